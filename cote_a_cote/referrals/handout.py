"""The person's handout: safe by construction (principle 7).

It prints only what is meant for the person: the code, and for each current referral under it
the service's name, its provider, the provider's short text for the person (never the
description), the places (a confidential street only once revealed to the intervenante), phone
and hours. Every text passes through printsafe.scrub: a listed word is left out and the
administrators are warned once per printing (an audit event and a notification, ids only).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

from ..accounts.models import User
from ..audit.services import record
from ..catalogue import services as catalogue
from ..catalogue.models import Service
from ..extensions import db
from ..i18n import safe_format_datetime
from ..notifications.services import notify_admins
from ..printsafe import scrub
from .models import Person, Referral
from .visibility import confidential_address_visible, person_referrals

# The languages the platform prints in; any other gets French with English below.
PRINTED_LANGUAGES = ("fr", "en")


@dataclass(frozen=True)
class Place:
    name: str | None
    street: str | None
    postal_code: str | None
    municipality: str | None


@dataclass(frozen=True)
class Entry:
    """One referral as the handout prints it, in one language."""

    service_name: str | None
    organization_name: str | None
    person_text: str | None
    places: list[Place]
    phone: str | None
    is_24_7: bool
    hours: tuple
    appointment: str | None  # 'Appointment: …', in the sheet's language
    accompanied: bool
    available: bool  # False when the service was removed


def languages_for(language: str | None) -> list[str]:
    """The languages to print in, in order: the person's when printed, else French then English."""
    return [language] if language in PRINTED_LANGUAGES else ["fr", "en"]


def current_referrals(person: Person, user: User, also: Referral | None = None) -> list[Referral]:
    """The person's referrals user may see that are not closed (and also, whatever its status)."""
    found = person_referrals(user, person, open_only=True)
    if also is not None and also not in found:
        found.insert(0, also)
    return found


class _Scrubber:
    """Leaves listed words out and remembers which services' texts held one."""

    def __init__(self) -> None:
        self.hits: dict[int, set[str]] = {}

    def __call__(self, text: str | None, service: Service | None) -> str | None:
        clean, found = scrub(text)
        if found and service is not None:
            self.hits.setdefault(service.id, set()).update(found)
        return clean


def _places(service: Service, user: User, locale: str, clean: _Scrubber) -> list[Place]:
    reveal = confidential_address_visible(user, service)
    places = []
    for location in service.locations:
        shown = catalogue.location_display(location, user, locale, reveal_confidential=reveal)
        places.append(
            Place(
                name=clean(shown.name, service),
                street=clean(shown.street, service),
                postal_code=shown.postal_code,
                municipality=clean(shown.municipality, service),
            )
        )
    return places


def entries(referrals: list[Referral], user: User, locale: str, clean: _Scrubber) -> list[Entry]:
    """What the handout prints for each referral, in locale (call under force_locale(locale))."""
    result = []
    for referral in referrals:
        service = referral.service
        if service is None:
            result.append(
                Entry(None, None, None, [], None, False, (), None, referral.accompanied, False)
            )
            continue
        detail = catalogue.service_detail(service, user, locale)
        result.append(
            Entry(
                service_name=clean(service.name(locale), service),
                organization_name=clean(service.organization.name, service),
                person_text=clean(service.person_text(locale), service),
                places=_places(service, user, locale, clean),
                phone=clean(detail.contact.phone, service),
                is_24_7=detail.is_24_7,
                hours=detail.hours,
                appointment=_(
                    "Appointment: %(when)s", when=safe_format_datetime(referral.appointment_at)
                )
                if referral.appointment_at
                else None,
                accompanied=referral.accompanied,
                available=True,
            )
        )
    return result


def scrubber() -> _Scrubber:
    return _Scrubber()


def warn_if_scrubbed(
    clean: _Scrubber, actor: User, person: Person, remote_addr: str | None = None
) -> None:
    """One audit event per service whose text lost a word, and one notice to administrators."""
    if not clean.hits:
        return
    names = set()
    for service_id in sorted(clean.hits):
        record(actor, "handout.forbidden_word", "service", service_id, remote_addr)
        service = db.session.get(Service, service_id)
        if service is not None:
            names.add(service.organization.name)
    notify_admins(
        "handout_forbidden_word", endpoint="admin.index", organization=", ".join(sorted(names))
    )
