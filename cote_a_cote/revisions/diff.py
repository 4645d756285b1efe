"""The side-by-side difference of a profile revision: labels and readable values, translated."""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..catalogue.models import Location, Region, TaxonomyTerm, Visibility
from ..catalogue.services import COST_LABELS, language_name
from ..extensions import db
from ..i18n import current_locale
from .models import ProfileRevision, RevisionAction, RevisionStatus, RevisionTarget
from .services import FIELDS, T, target_object, term_by_code, values_of


@dataclass(frozen=True)
class Piece:
    """A run of words (or list items) of one side of a change, and whether it changed."""

    text: str
    changed: bool


@dataclass(frozen=True)
class DiffRow:
    label: str
    before: str
    after: str
    changed: bool
    before_pieces: tuple[Piece, ...] = ()
    after_pieces: tuple[Piece, ...] = ()


def _tokens(value) -> list[str]:
    """Words with the spaces that follow them; a list's items, each followed by a comma."""
    if value is None or value == "":
        return []
    if isinstance(value, (list, tuple)):
        return [f"{item}, " for item in value[:-1]] + [str(value[-1])] if value else []
    return re.findall(r"\s*\S+\s*", str(value))


def word_changes(before, after) -> tuple[tuple[Piece, ...], tuple[Piece, ...]]:
    """Which words were removed from `before` and added in `after`, so the reviewer sees the
    two words that changed in a long description, not only that the description changed."""
    old, new = _tokens(before), _tokens(after)
    matcher = SequenceMatcher(
        a=[t.strip(" ,") for t in old], b=[t.strip(" ,") for t in new], autojunk=False
    )
    left: list[Piece] = []
    right: list[Piece] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if i2 > i1:
            left.append(Piece("".join(old[i1:i2]), tag != "equal"))
        if j2 > j1:
            right.append(Piece("".join(new[j1:j2]), tag != "equal"))
    return tuple(left), tuple(right)


LABELS = {
    "name": _l("Name"),
    "alternate_name": _l("Other name"),
    "sector": _l("Sector"),
    "description_fr": _l("Description (French)"),
    "description_en": _l("Description (English)"),
    "email": _l("E-mail address"),
    "phone": _l("Phone"),
    "website": _l("Website"),
    "visibility": _l("Visibility"),
    "name_fr": _l("Name (French)"),
    "name_en": _l("Name (English)"),
    "eligibility_fr": _l("Eligibility (French)"),
    "eligibility_en": _l("Eligibility (English)"),
    "cost_fr": _l("Cost (French)"),
    "cost_en": _l("Cost (English)"),
    "person_text_fr": _l("Text for the person (French)"),
    "person_text_en": _l("Text for the person (English)"),
    "minimum_age": _l("Minimum age"),
    "maximum_age": _l("Maximum age"),
    "url": _l("Web address"),
    "text_phone": _l("Number for text messages (SMS)"),
    "cost_kind": _l("What it costs the person"),
    "excluded": _l("Populations not served"),
    "is_24_7": _l("Open 24/7"),
    "is_remote": _l("Offered remotely"),
    "terms:need": _l("Needs"),
    "terms:population": _l("Populations served"),
    "terms:exploitation": _l("Forms of exploitation"),
    "terms:access": _l("Access features"),
    "languages": _l("Languages"),
    "regions": _l("Regions served"),
    "locations": _l("Places"),
    "address_1": _l("Street address"),
    "postal_code": _l("Postal code"),
    "municipality": _l("Municipality"),
    "region_code": _l("Region"),
    "latitude": _l("Latitude"),
    "longitude": _l("Longitude"),
    "is_confidential": _l("Confidential address"),
}
VISIBILITY_LABELS = {
    Visibility.PUBLIC.value: _l("Listed publicly"),
    Visibility.INTERVENANTES.value: _l("Seen by intervenantes only"),
}
TERM_GROUPS = ("need", "population", "exploitation", "access")


def _rows_of(target: RevisionTarget, values: dict | None, only=None) -> dict[str, str]:
    """Readable text of each field of a payload, keyed like LABELS; {} for no object.

    only limits the fields to those named (the ones a proposed change carries).
    """
    if values is None:
        return {}
    locale = current_locale()
    shown: dict[str, str] = {}
    for name in FIELDS[target]:
        if only is not None and name not in only:
            continue
        value = values.get(name)
        if name == "terms":
            terms = _terms(value or [])
            for group in TERM_GROUPS:
                labels = [t.label(locale) for t in terms if t.taxonomy.code == group]
                shown[f"terms:{group}"] = ", ".join(labels)
        elif name == "excluded":
            shown[name] = ", ".join(t.label(locale) for t in _terms(value or []))
        elif name == "cost_kind":
            shown[name] = str(COST_LABELS.get(value, "")) if value else ""
        elif name == "sector":
            term = term_by_code(value)
            shown[name] = term.label(locale) if term else ""
        elif name == "visibility":
            shown[name] = str(VISIBILITY_LABELS.get(value or "", value or ""))
        elif name == "languages":
            shown[name] = ", ".join(language_name(code, locale) for code in value or [])
        elif name in ("regions", "region_code"):
            codes = value if isinstance(value, list) else ([value] if value else [])
            shown[name] = ", ".join(_region_names(codes, locale))
        elif name == "locations":
            shown[name] = ", ".join(_location_names(value or []))
        elif isinstance(value, bool):
            shown[name] = _("Yes") if value else _("No")
        else:
            shown[name] = "" if value is None else str(value)
    return shown


def _terms(codes: list[str]) -> list[TaxonomyTerm]:
    if not codes:
        return []
    return list(
        db.session.scalars(
            select(TaxonomyTerm)
            .where(TaxonomyTerm.code.in_(codes))
            .order_by(TaxonomyTerm.position, TaxonomyTerm.code)
        )
    )


def _region_names(codes: list[str], locale: str) -> list[str]:
    regions = {r.code: r for r in db.session.scalars(select(Region).where(Region.code.in_(codes)))}
    return [regions[c].label(locale) if c in regions else c for c in codes]


def _location_names(ids: list[int]) -> list[str]:
    if not ids:
        return []
    places = db.session.scalars(select(Location).where(Location.id.in_(ids)).order_by(Location.id))
    return [p.name or p.municipality for p in places]


def live_values(revision: ProfileRevision) -> dict | None:
    obj = target_object(revision.organization_id, revision.target, revision.target_id)
    return None if obj is None else values_of(revision.target, obj)


def diff(revision: ProfileRevision) -> list[DiffRow]:
    """Field by field, the live value beside the proposed one, translated for the reader."""
    before: dict[str, str]
    if revision.action is RevisionAction.CREATE:
        before = {}
    elif revision.status is RevisionStatus.APPROVED:
        before = {}  # the live row now holds the change (or is gone); nothing left to compare
    elif revision.action is RevisionAction.UPDATE:
        before = _rows_of(revision.target, live_values(revision), only=set(revision.payload))
    else:
        before = _rows_of(revision.target, live_values(revision))
    if revision.action is RevisionAction.DELETE:
        after = {}
    else:
        after = _rows_of(revision.target, revision.payload, only=set(revision.payload))
    names = list(dict.fromkeys([*before, *after]))
    return [_row(name, before.get(name, ""), after.get(name, "")) for name in names]


def _row(name: str, before, after) -> DiffRow:
    changed = before != after
    pieces = word_changes(before, after) if changed else ((), ())
    return DiffRow(str(LABELS[name]), before, after, changed, *pieces)


def describe(revision: ProfileRevision) -> str:
    """A short title saying what the revision is about, e.g. 'Service: Clinique (change)'."""
    values = revision.payload or live_values(revision) or {}
    name = values.get("name_fr") or values.get("name") or values.get("municipality") or ""
    kind = {
        T.ORGANIZATION: _("Organisation"),
        T.SERVICE: _("Service"),
        T.LOCATION: _("Place"),
    }[revision.target]
    action = {
        RevisionAction.CREATE: _("new"),
        RevisionAction.UPDATE: _("change"),
        RevisionAction.DELETE: _("deletion"),
    }[revision.action]
    if name:
        return _("%(kind)s: %(name)s (%(action)s)", kind=kind, name=name, action=action)
    return _("%(kind)s (%(action)s)", kind=kind, action=action)
