"""Field-by-field checks of an HSDS record being imported; each problem names record and field."""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..vocabulary.languages import codes_by_name
from ..vocabulary.languages import fold as fold_name
from .hsds import (
    PROFILE_KEY,
    QUEBEC_REGION_CODES,
    WEEKDAYS,
    language_name,
    term_id_for_code,
)
from .models import COST_KINDS, CapacityStatus, Region, TaxonomyTerm

MAX_ID = 64
TEXT_PHONE_TYPES = ("text", "sms")
NOT_VOICE_TYPES = ("fax", "pager")
SECTOR_TAXONOMY = "sector"
# Québec and its neighbours (Ontario, New Brunswick, Labrador, New England), generously.
QUEBEC_BOX = {"latitude": (42.0, 64.0), "longitude": (-82.0, -52.0)}
_TIME = re.compile(
    r"^([01][0-9]|2[0-3]):([0-5][0-9])(?::[0-5][0-9])?(?:Z|[+-][0-9]{2}:?[0-9]{2})?$"
)


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold()


@dataclass
class Reference:
    """Regions and terms of this installation, indexed the ways an import may name them."""

    regions: dict[str, Region]
    region_names: dict[str, str]
    terms: dict[str, TaxonomyTerm]
    term_labels: dict[str, list[TaxonomyTerm]]
    term_ids: dict[str, TaxonomyTerm]
    language_names: dict[str, str]
    # Unmapped external terms and how often each was met; crosswalk: folded code, id or label
    # of an external term -> our term; unmapped_policy: "fail" (a problem), "skip" (dropped) or
    # "keep" (a service's term stored as an external term, for administrators to see).
    unmapped: Counter = field(default_factory=Counter)
    crosswalk: dict[str, TaxonomyTerm] = field(default_factory=dict)
    unmapped_policy: str = "fail"

    @classmethod
    def load(cls) -> Reference:
        regions = {r.code: r for r in db.session.scalars(select(Region))}
        names = {}
        for region in regions.values():
            names[_fold(region.name_fr)] = region.code
            names[_fold(region.name_en)] = region.code
        terms = {
            t.code: t
            for t in db.session.scalars(
                select(TaxonomyTerm).options(selectinload(TaxonomyTerm.taxonomy))
            )
        }
        labels: dict[str, list[TaxonomyTerm]] = {}
        for term in terms.values():
            for label in {_fold(term.name_fr), _fold(term.name_en)}:
                labels.setdefault(label, []).append(term)
        languages = codes_by_name()
        return cls(
            regions=regions,
            region_names=names,
            terms=terms,
            term_labels=labels,
            term_ids={term_id_for_code(code): t for code, t in terms.items()},
            language_names=languages,
        )

    def crosswalked(self, *names) -> TaxonomyTerm | None:
        """Our term the crosswalk gives for the first of an external term's names it lists."""
        if not self.crosswalk:
            return None
        for value in names:
            if isinstance(value, str | int) and not isinstance(value, bool):
                term = self.crosswalk.get(_fold(str(value)))
                if term is not None:
                    return term
        return None

    def region_code(self, value: str) -> str | None:
        if value.strip().upper() in self.regions:
            return value.strip().upper()
        return self.region_names.get(_fold(value))


class Checker:
    """Reads one record's fields, recording a problem for each bad value and returning None."""

    def __init__(self, index: int, record, reference: Reference, problems: list[str]):
        self.index = index
        self.record_id = record.get("id") if isinstance(record, dict) else None
        self.reference = reference
        self.problems = problems
        # Unmapped terms of the record's service, kept under --unmapped keep ("code / label").
        self.kept_terms: list[str] = []

    def problem(self, path: str, message: str) -> None:
        self.problems.append(
            _(
                "Record %(index)d (id %(id)s), field %(field)s: %(message)s",
                index=self.index,
                id=f'"{self.record_id}"' if isinstance(self.record_id, str) else "-",
                field=path or "-",
                message=message,
            )
        )

    # --- Scalars ---------------------------------------------------------------------------------

    def identifier(self, data: dict, key: str, path: str | None = None) -> str | None:
        path = path or key
        value = data.get(key)
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str) or not value.strip():
            self.problem(path, _("missing: every record needs an id"))
            return None
        if len(value.strip()) > MAX_ID:
            self.problem(path, _("longer than %(max)d characters", max=MAX_ID))
            return None
        return value.strip()

    def text(self, data: dict, key: str, limit: int | None, path: str, required: bool = False):
        value = data.get(key)
        if value is not None and not isinstance(value, str):
            self.problem(path, _("must be text"))
            return None
        value = (value or "").strip()
        if not value:
            if required:
                self.problem(path, _("missing"))
            return None
        if limit is not None and len(value) > limit:
            self.problem(path, _("longer than %(max)d characters", max=limit))
            return None
        return value

    def profile(self, data: dict, path: str) -> dict:
        value = data.get(PROFILE_KEY) or {}
        if not isinstance(value, dict):
            self.problem(_join(path, PROFILE_KEY), _("must be an object"))
            return {}
        return value

    def translation(self, profile: dict, key: str, limit: int | None, path: str):
        english = (profile.get("translations") or {}).get("en") or {}
        if not isinstance(english, dict):
            self.problem(_join(path, PROFILE_KEY, "translations.en"), _("must be an object"))
            return None
        return self.text(english, key, limit, _join(path, PROFILE_KEY, "translations.en", key))

    def phone(self, data: dict, path: str, text: bool = False) -> str | None:
        """The first voice number (any type but text, fax, pager), or with text=True the first
        number that takes text messages (HSDS type "text", also "sms")."""
        phones = data.get("phones") or []
        if not isinstance(phones, list) or not all(isinstance(p, dict) for p in phones):
            if not text:  # said once
                self.problem(_join(path, "phones"), _("must be a list of objects"))
            return None
        for position, phone in enumerate(phones):
            kind = str(phone.get("type") or "voice").strip().lower()
            if (kind in TEXT_PHONE_TYPES) != text or (not text and kind in NOT_VOICE_TYPES):
                continue
            number = self.text(phone, "number", 40, _join(path, f"phones[{position}].number"))
            if number:
                return number
        return None

    def cost_kind(self, profile: dict) -> str | None:
        value = profile.get("cost_kind")
        if value is None:
            return None
        if value not in COST_KINDS:
            self.problem(
                f"{PROFILE_KEY}.cost_kind",
                _("must be one of %(values)s", values=", ".join(COST_KINDS)),
            )
            return None
        return value

    def excluded_populations(self, profile: dict) -> list[int]:
        codes = profile.get("excluded_populations") or []
        path = f"{PROFILE_KEY}.excluded_populations"
        if not isinstance(codes, list):
            self.problem(path, _("must be a list"))
            return []
        found: list[int] = []
        for code in codes:
            term = self.reference.terms.get(code) if isinstance(code, str) else None
            if term is None or term.taxonomy.code != "population":
                self.problem(path, _("unknown population %(code)s", code=code))
            elif term.id not in found:
                found.append(term.id)
        return found

    def choice(self, data: dict, key: str, enum_cls, default, prefix: str):
        value = data.get(key)
        if value is None:
            return default
        allowed = [member.value for member in enum_cls]
        if value not in allowed:
            self.problem(
                _join(prefix, key),
                _("must be one of %(allowed)s", allowed=", ".join(allowed)),
            )
            return default
        return enum_cls(value)

    def boolean(self, data: dict, key: str, default: bool, prefix: str) -> bool:
        value = data.get(key, default)
        if not isinstance(value, bool):
            self.problem(_join(prefix, key), _("must be true or false"))
            return default
        return value

    def moment(self, data: dict, key: str, prefix: str) -> datetime | None:
        value = data.get(key)
        if value is None:
            return None
        try:
            parsed = datetime.fromisoformat(value)
        except (TypeError, ValueError):
            self.problem(_join(prefix, key), _("must be an ISO 8601 date-time"))
            return None
        return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)

    def day(self, data: dict, key: str, prefix: str) -> date | None:
        value = data.get(key)
        if value is None:
            return None
        try:
            return date.fromisoformat(value)
        except (TypeError, ValueError):
            self.problem(_join(prefix, key), _("must be an ISO 8601 date (YYYY-MM-DD)"))
            return None

    def age(self, data: dict, key: str) -> int | None:
        value = data.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float) or value != int(value):
            self.problem(key, _("must be a whole number"))
            return None
        if not 0 <= value <= 130:
            self.problem(key, _("must be between 0 and 130"))
            return None
        return int(value)

    def capacity(self, capacity: dict) -> dict:
        path = f"{PROFILE_KEY}.capacity"
        status = self.choice(capacity, "status", CapacityStatus, CapacityStatus.ACCEPTING, path)
        weeks = capacity.get("waitlist_weeks")
        if weeks is not None and (
            isinstance(weeks, bool) or not isinstance(weeks, int) or not 0 <= weeks <= 520
        ):
            self.problem(f"{path}.waitlist_weeks", _("must be a whole number of weeks"))
            weeks = None
        return {
            "capacity": status,
            "waitlist_weeks": weeks,
            "capacity_updated_at": self.moment(capacity, "updated_at", path),
        }

    # --- Lists -----------------------------------------------------------------------------------

    def _list(self, data: dict, key: str, path: str | None = None) -> list[tuple[int, dict]]:
        path = path or key
        items = data.get(key) or []
        if not isinstance(items, list):
            self.problem(path, _("must be a list"))
            return []
        found = []
        for position, item in enumerate(items):
            if isinstance(item, dict):
                found.append((position, item))
            else:
                self.problem(f"{path}[{position}]", _("must be an object"))
        return found

    def term(self, attribute: dict, path: str) -> TaxonomyTerm | None:
        """Map an attribute's term: by code, then exact French or English label, then HSDS id."""
        term = attribute.get("taxonomy_term") or {}
        if not isinstance(term, dict):
            self.problem(f"{path}.taxonomy_term", _("must be an object"))
            return None
        code, name = term.get("code"), term.get("name")
        english_name = _english_name(term)
        mapped = self.reference.crosswalked(
            code, attribute.get("taxonomy_term_id"), term.get("id"), name, english_name
        )
        if mapped is not None:
            return mapped
        if isinstance(code, str) and code in self.reference.terms:
            return self.reference.terms[code]
        candidates = self._terms_labelled((name, english_name), attribute.get("link_type"))
        if len(candidates) == 1:
            return candidates[0]
        for value in (attribute.get("taxonomy_term_id"), term.get("id")):
            if isinstance(value, str) and value.lower() in self.reference.term_ids:
                return self.reference.term_ids[value.lower()]
        shown = " / ".join(str(v) for v in (code, name) if v) or str(
            attribute.get("taxonomy_term_id") or "?"
        )
        self._unmapped_term(path, shown, ambiguous=len(candidates) > 1)
        return None

    def _terms_labelled(self, labels: tuple[object, ...], taxonomy: object) -> list[TaxonomyTerm]:
        """Our terms named by one of the labels; when several, only those of the given taxonomy."""
        candidates: list[TaxonomyTerm] = []
        for label in labels:
            if isinstance(label, str):
                for found in self.reference.term_labels.get(_fold(label), []):
                    if found not in candidates:
                        candidates.append(found)
        if len(candidates) > 1 and taxonomy:
            candidates = [t for t in candidates if t.taxonomy.code == taxonomy]
        return candidates

    def _unmapped_term(self, path: str, shown: str, ambiguous: bool) -> None:
        """Count a term we could not map, then keep it, skip it or report it, as the policy says."""
        self.reference.unmapped[shown] += 1
        if self.reference.unmapped_policy == "keep":
            self.kept_terms.append(shown[:300])
            return
        if self.reference.unmapped_policy == "skip":
            return
        if ambiguous:
            self.problem(path, _("ambiguous taxonomy term %(term)s", term=shown))
        else:
            self.problem(path, _("unknown taxonomy term %(term)s", term=shown))

    def terms(self, record: dict) -> list[int]:
        found: list[int] = []
        for position, attribute in self._list(record, "attributes"):
            term = self.term(attribute, f"attributes[{position}]")
            if term is not None and term.id not in found:
                found.append(term.id)
        return found

    def sector(self, organization: dict, profile: dict) -> int | None:
        code = profile.get("sector")
        if code is not None:
            term = self.reference.crosswalked(code) or (
                self.reference.terms.get(code) if isinstance(code, str) else None
            )
            if term is None or term.taxonomy.code != SECTOR_TAXONOMY:
                self.reference.unmapped[str(code)] += 1
                # A sector is the organisation's single one: "keep" has nowhere to keep it.
                if self.reference.unmapped_policy in ("skip", "keep"):
                    return None
                self.problem(
                    f"organization.{PROFILE_KEY}.sector", _("unknown sector %(code)s", code=code)
                )
                return None
            return term.id
        for position, attribute in self._list(
            organization, "attributes", "organization.attributes"
        ):
            term = self.term(attribute, f"organization.attributes[{position}]")
            if term is not None and term.taxonomy.code == SECTOR_TAXONOMY:
                return term.id
        return None

    def languages(self, record: dict) -> list[str]:
        codes: list[str] = []
        for position, language in self._list(record, "languages"):
            path = f"languages[{position}]"
            code, name = language.get("code"), language.get("name")
            if isinstance(code, str) and code.strip():
                # Region subtags (fr-CA) say nothing the catalogue records: keep the language.
                code = re.split(r"[-_]", code.strip().lower())[0]
                if not re.fullmatch(r"[a-z]{2,3}", code) or language_name(code) is None:
                    self.problem(
                        f"{path}.code",
                        _("unknown ISO 639 language code %(code)s", code=language["code"]),
                    )
                    continue
            elif isinstance(name, str) and fold_name(name) in self.reference.language_names:
                code = self.reference.language_names[fold_name(name)]
            else:
                self.problem(path, _("a language needs an ISO 639 code"))
                continue
            if code not in codes:
                codes.append(code)
        return codes

    def areas(self, record: dict) -> list[str]:
        codes: list[str] = []
        for position, area in self._list(record, "service_areas"):
            path = f"service_areas[{position}]"
            value = (area.get(PROFILE_KEY) or {}).get("region_code") or area.get("name")
            code = self.reference.region_code(value) if isinstance(value, str) else None
            if code is None:
                self.problem(path, _("unknown region %(value)s", value=value))
            elif code not in codes:
                codes.append(code)
        return codes

    def schedules(self, record: dict) -> list[tuple[int, time, time]]:
        found: list[tuple[int, time, time]] = []
        for position, schedule in self._list(record, "schedules"):
            path = f"schedules[{position}]"
            freq = schedule.get("freq") or "WEEKLY"
            if str(freq).upper() != "WEEKLY" or schedule.get("interval", 1) not in (1, "1"):
                self.problem(path, _("only weekly schedules can be imported"))
                continue
            days = str(schedule.get("byday") or "").upper().replace(" ", "")
            weekdays = [WEEKDAYS.index(day) + 1 for day in days.split(",") if day in WEEKDAYS]
            if not days or len(weekdays) != len(days.split(",")):
                self.problem(f"{path}.byday", _("must list days such as MO,TU"))
                continue
            opens = self._time(schedule, "opens_at", path)
            closes = self._time(schedule, "closes_at", path)
            if opens is not None and closes is not None:
                found.extend((day, opens, closes) for day in weekdays)
        return found

    def _time(self, schedule: dict, key: str, path: str) -> time | None:
        value = schedule.get(key)
        match = _TIME.match(value.strip()) if isinstance(value, str) else None
        if match is None:
            self.problem(f"{path}.{key}", _("must be a time such as 09:30"))
            return None
        return time(int(match[1]), int(match[2]))

    def closures(self, profile: dict) -> list[tuple]:
        found = []
        for position, closure in self._list(profile, "closures", f"{PROFILE_KEY}.closures"):
            path = f"{PROFILE_KEY}.closures[{position}]"
            if closure.get("starts_on") is None or closure.get("ends_on") is None:
                self.problem(path, _("needs starts_on and ends_on"))
                continue
            starts = self.day(closure, "starts_on", path)
            ends = self.day(closure, "ends_on", path)
            if starts is None or ends is None:
                continue
            if ends < starts:
                self.problem(path, _("ends before it starts"))
                continue
            note = self.text(closure, "note", 200, f"{path}.note")
            note_en = self.text(closure, "note_en", 200, f"{path}.note_en")
            found.append((starts, ends, note, note_en))
        return found

    # --- Location --------------------------------------------------------------------------------

    def location(self, location: dict, path: str) -> dict | None:
        before = len(self.problems)
        external_id = self.identifier(location, "id", f"{path}.id")
        profile = self.profile(location, path)
        addresses = self._list(location, "addresses", f"{path}.addresses")
        address = addresses[0][1] if addresses else {}
        region = self._location_region(profile, address, path)
        # Without an address object (a confidential or incomplete one), the profile holds it.
        if address or "municipality" not in profile:
            source, where, city = address, f"{path}.addresses[0]", "city"
        else:
            source, where, city = profile, f"{path}.{PROFILE_KEY}", "municipality"
        values = {
            "external_id": external_id,
            "name": self.text(location, "name", 200, f"{path}.name"),
            "address_1": self.text(source, "address_1", 200, f"{where}.address_1"),
            "postal_code": self.text(source, "postal_code", 10, f"{where}.postal_code"),
            "municipality": self.text(source, city, 120, f"{where}.{city}", required=True),
            "region_code": region,
            "is_confidential": self.boolean(
                profile, "confidential", False, f"{path}.{PROFILE_KEY}"
            ),
        }
        values.update(self._coordinates(location, path, region))
        return values if len(self.problems) == before else None

    def _location_region(self, profile: dict, address: dict, path: str) -> str | None:
        value = profile.get("region_code")
        where = f"{path}.{PROFILE_KEY}.region_code"
        if value is None:
            value, where = address.get("region"), f"{path}.addresses[0].region"
        if value is None:
            return None
        code = self.reference.region_code(value) if isinstance(value, str) else None
        if code is None:
            self.problem(where, _("unknown region %(value)s", value=value))
        return code

    def _coordinates(self, location: dict, path: str, region: str | None) -> dict:
        values, valid = {}, True
        for key, low, high in (("latitude", -90, 90), ("longitude", -180, 180)):
            raw = location.get(key)
            values[key], message = _degrees(raw, low, high, QUEBEC_BOX[key], region)
            if message:
                self.problem(f"{path}.{key}", message)
                valid = False
        if valid and (values["latitude"] is None) != (values["longitude"] is None):
            self.problem(path, _("latitude and longitude go together"))
        return values


def _degrees(raw, low: int, high: int, box: tuple[float, float], region: str | None):
    """(value, None) for usable degrees or nothing; (None, message) otherwise."""
    if raw is None:
        return None, None
    try:
        number = math.nan if isinstance(raw, bool) else float(raw)
    except (TypeError, ValueError):
        number = math.nan
    if not math.isfinite(number):
        return None, _("must be a number")
    if not low <= number <= high:
        return None, _("%(value)s is outside %(low)d..%(high)d", value=raw, low=low, high=high)
    if region in QUEBEC_REGION_CODES and not box[0] <= number <= box[1]:
        return None, _(
            "%(value)s is far outside Québec although the region is %(region)s",
            value=raw,
            region=region,
        )
    return number, None


def _join(*parts: str) -> str:
    return ".".join(part for part in parts if part)


def _english_name(term: dict) -> object:
    """The English name under the term's quebec_profile translations, if any."""
    english = ((term.get(PROFILE_KEY) or {}).get("translations") or {}).get("en") or {}
    return english.get("name") if isinstance(english, dict) else None
