"""Query-string parsing for the HSDS API: every bad value becomes a ParameterError naming it."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import UTC, datetime

from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from ..catalogue.models import Region, Taxonomy, TaxonomyTerm
from ..extensions import db
from ..geo.gazetteer import find_municipality
from ..search.query import SearchParams
from ..vocabulary.languages import language_name
from . import queries

DEFAULT_PER_PAGE = 20
MAX_PER_PAGE = 100
MAX_PAGE = 10_000
MAX_RADIUS_KM = 2_000.0
MAX_TEXT = 200
NEED_TAXONOMY = "need"

_DIGITS = re.compile(r"^[0-9]{1,9}$")
_NUMBER = r"[+-]?[0-9]{1,3}(?:\.[0-9]{1,12})?"
_LAT_LON = re.compile(rf"^\s*({_NUMBER})\s*,\s*({_NUMBER})\s*$")
_LANGUAGE = re.compile(r"^[a-z]{2,3}$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


class ParameterError(ValueError):
    """A query parameter the API cannot use; answered with 400 and the parameter's name."""

    def __init__(self, parameter: str, message: str):
        super().__init__(message)
        self.parameter = parameter
        self.message = message


@dataclass(frozen=True)
class Paging:
    page: int
    per_page: int


def _integer(args: MultiDict, name: str, default: int, low: int, high: int) -> int:
    raw = args.get(name)
    if raw is None or raw == "":
        return default
    if not _DIGITS.match(raw.strip()):
        raise ParameterError(name, _("%(name)s must be a whole number.", name=name))
    value = int(raw.strip())
    if not low <= value <= high:
        raise ParameterError(
            name, _("%(name)s must be between %(low)d and %(high)d.", name=name, low=low, high=high)
        )
    return value


def paging(args: MultiDict) -> Paging:
    """page (1..10000) and per_page (1..100)."""
    return Paging(
        page=_integer(args, "page", 1, 1, MAX_PAGE),
        per_page=_integer(args, "per_page", DEFAULT_PER_PAGE, 1, MAX_PER_PAGE),
    )


def text(args: MultiDict, name: str) -> str:
    value = (args.get(name) or "").strip()
    if len(value) > MAX_TEXT:
        raise ParameterError(
            name, _("%(name)s is longer than %(max)d characters.", name=name, max=MAX_TEXT)
        )
    return _without_controls(name, value)


def _without_controls(name: str, value: str) -> str:
    """No parameter holds NUL or another control character (PostgreSQL refuses NUL in text)."""
    if _CONTROL.search(value):
        raise ParameterError(name, _("%(name)s contains invisible control characters.", name=name))
    return value


def values(args: MultiDict, name: str) -> list[str]:
    """A list parameter, repeated (region=06&region=13) or comma-separated (region=06,13)."""
    found: list[str] = []
    for raw in args.getlist(name):
        for part in raw.split(","):
            part = _without_controls(name, part.strip())
            if part and part not in found:
                found.append(part)
    if len(found) > 50:
        raise ParameterError(name, _("Too many values for %(name)s.", name=name))
    return found


def modified_after(args: MultiDict) -> datetime | None:
    """An ISO 8601 date or date-time; without a zone it is taken as UTC."""
    raw = (args.get("modified_after") or "").strip()
    if not raw:
        return None
    if "T" in raw:
        # An unencoded "+01:00" offset arrives as a space: put the plus back.
        raw = raw.replace(" ", "+")
    try:
        value = datetime.fromisoformat(raw)
    except ValueError:
        raise ParameterError(
            "modified_after",
            _("modified_after must be an ISO 8601 date or date-time (2025-04-01T00:00:00Z)."),
        ) from None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def regions(args: MultiDict) -> list[str]:
    codes = values(args, "region")
    if codes:
        known = set(db.session.scalars(select(Region.code)))
        for code in codes:
            if code.upper() not in known:
                raise ParameterError("region", _("Unknown region: %(code)s.", code=code))
    return [code.upper() for code in codes]


def languages(args: MultiDict) -> list[str]:
    codes = [code.lower() for code in values(args, "language")]
    for code in codes:
        if not _LANGUAGE.match(code) or language_name(code) is None:
            raise ParameterError(
                "language", _("Unknown language code (ISO 639 expected): %(code)s.", code=code)
            )
    return codes


def needs(args: MultiDict) -> list[str]:
    codes = values(args, "need")
    if codes:
        known = set(
            db.session.scalars(
                select(TaxonomyTerm.code)
                .join(TaxonomyTerm.taxonomy)
                .where(Taxonomy.code == NEED_TAXONOMY)
            )
        )
        for code in codes:
            if code not in known:
                raise ParameterError("need", _("Unknown need: %(code)s.", code=code))
    return codes


def taxonomy_term_ids(args: MultiDict) -> list[int]:
    """HSDS term ids or term codes, as our integer keys."""
    found = []
    for value in values(args, "taxonomy_term_id"):
        term = queries.find_term(value)
        if term is None:
            raise ParameterError(
                "taxonomy_term_id", _("Unknown taxonomy term: %(value)s.", value=value)
            )
        found.append(term.id)
    return found


def organization_id(args: MultiDict) -> int | None:
    value = text(args, "organization_id")
    if not value:
        return None
    organization = queries.public_organization(value)
    if organization is None:
        raise ParameterError("organization_id", _("Unknown organization: %(value)s.", value=value))
    return organization.id


def near(args: MultiDict) -> tuple[float, float] | None:
    """near=lat,lon or near=<municipality of the gazetteer>."""
    raw = text(args, "near")
    if not raw:
        return None
    match = _LAT_LON.match(raw)
    if match:
        lat, lon = float(match[1]), float(match[2])
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise ParameterError(
                "near", _("near must be latitude,longitude within -90..90 and -180..180.")
            )
        return lat, lon
    place = find_municipality(raw)
    if place is None:
        raise ParameterError(
            "near",
            _(
                "near must be latitude,longitude or a Québec municipality; unknown: %(value)s.",
                value=raw,
            ),
        )
    return place.latitude, place.longitude


def radius_km(args: MultiDict, point: tuple[float, float] | None) -> float | None:
    raw = (args.get("radius_km") or "").strip()
    if not raw:
        return None
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and 0 < value <= MAX_RADIUS_KM):
        raise ParameterError(
            "radius_km",
            _("radius_km must be a number above 0 and at most %(max)d.", max=int(MAX_RADIUS_KM)),
        )
    if point is None:
        raise ParameterError("radius_km", _("radius_km needs near."))
    return value


def service_search(args: MultiDict) -> SearchParams:
    """SearchParams for /services, every value checked."""
    page = paging(args)
    q = text(args, "search")
    point = near(args)
    if point is not None:
        sort = "distance"
    elif q:
        sort = "relevance"
    else:
        sort = "name"
    return SearchParams(
        q=q,
        regions=regions(args),
        needs=needs(args),
        languages=languages(args),
        taxonomy_term_ids=taxonomy_term_ids(args),
        organization_id=organization_id(args),
        modified_after=modified_after(args),
        near=point,
        radius_km=radius_km(args, point),
        sort=sort,
        page=page.page,
        per_page=page.per_page,
    )


def term_filters(args: MultiDict) -> tuple[Taxonomy | None, TaxonomyTerm | None]:
    """taxonomy_id and parent_id of /taxonomy_terms (HSDS ids or codes)."""
    taxonomy = None
    raw = text(args, "taxonomy_id")
    if raw:
        taxonomy = queries.find_taxonomy(raw)
        if taxonomy is None:
            raise ParameterError("taxonomy_id", _("Unknown taxonomy: %(value)s.", value=raw))
    parent = None
    raw = text(args, "parent_id")
    if raw:
        parent = queries.find_term(raw)
        if parent is None:
            raise ParameterError("parent_id", _("Unknown taxonomy term: %(value)s.", value=raw))
    return taxonomy, parent
