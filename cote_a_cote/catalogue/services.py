"""Who may see which part of the catalogue, and the view-models its pages render.

Templates never receive a Location (nor a Service or Organization that leads to one): they get the
frozen view-models built here, so a confidential street address cannot be printed by accident.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from urllib.parse import parse_qsl

from babel.dates import format_time, get_day_names
from flask import abort
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import Select, and_, false, func, or_, select
from sqlalchemy.orm import selectinload

from .. import signals
from ..config import LOCAL_ZONE, settings
from ..database import utcnow
from ..extensions import db
from ..roles import Role
from ..vocabulary.languages import language_label
from .card_rows import OrganizationRecord, ServiceRecord, TermRecord
from .models import (
    COST_FEE,
    COST_FREE,
    COST_REDUCED,
    CapacityStatus,
    Closure,
    Location,
    Organization,
    OrganizationKind,
    OrganizationStatus,
    Region,
    Service,
    ServiceArea,
    Taxonomy,
    TaxonomyTerm,
    Visibility,
)

PER_PAGE = 20
PROVINCE_WIDE = "QC"
FREE_OR_REDUCED = "access.free_or_reduced_cost"
COST_LABELS = {
    COST_FREE: _l("Free"),
    COST_REDUCED: _l("Reduced cost"),
    COST_FEE: _l("Fee charged"),
}
_EXTENSION = re.compile(r"(?i)\s*(?:poste|ext\.?|x|#)\s*\d+\s*$")

STATUS_LABELS = {
    OrganizationStatus.DRAFT: _l("Draft"),
    OrganizationStatus.SUBMITTED: _l("Submitted for review"),
    OrganizationStatus.CHANGES_REQUESTED: _l("Changes requested"),
    OrganizationStatus.APPROVED: _l("Approved"),
    OrganizationStatus.SUSPENDED: _l("Suspended"),
    OrganizationStatus.REJECTED: _l("Rejected"),
}


# --- Visibility: the catalogue's rules, written once -------------------------------------------


def _role(viewer) -> Role | None:
    if viewer is None or not getattr(viewer, "is_authenticated", False):
        return None
    return viewer.role


def allowed_visibilities(viewer) -> tuple[Visibility, ...]:
    """Intervenantes and admins also see intervenantes-only partners; everyone else public ones."""
    if _role(viewer) in (Role.INTERVENANTE, Role.ADMIN):
        return (Visibility.PUBLIC, Visibility.INTERVENANTES)
    return (Visibility.PUBLIC,)


def _listed_condition(viewer):
    return and_(
        Organization.kind == OrganizationKind.PROVIDER,
        Organization.status == OrganizationStatus.APPROVED,
        Organization.visibility.in_(allowed_visibilities(viewer)),
    )


def _own_condition(viewer):
    """Provider staff always see their own organisation, whatever its status."""
    if _role(viewer) is Role.PROVIDER:
        return Organization.id == viewer.organization_id
    return false()


def visible_services(viewer) -> Select:
    """select(Service) the viewer may open: listed services plus her own organisation's."""
    return (
        select(Service)
        .join(Service.organization)
        .where(or_(_listed_condition(viewer), _own_condition(viewer)))
    )


def listed_services_query(viewer) -> Select:
    """select(Service) of what the catalogue lists for the viewer: approved providers only."""
    return (
        select(Service)
        .join(Service.organization)
        .where(
            Organization.kind == OrganizationKind.PROVIDER,
            Organization.status == OrganizationStatus.APPROVED,
            or_(
                Organization.visibility.in_(allowed_visibilities(viewer)),
                _own_condition(viewer),
            ),
        )
    )


def get_service_for(viewer, service_id: int) -> Service:
    """The service if the viewer may see it, else 404 (a 403 would confirm that it exists)."""
    service = db.session.scalar(visible_services(viewer).where(Service.id == service_id))
    if service is None:
        abort(404)
    return service


def get_organization_for(viewer, organization_id: int) -> Organization:
    """The organisation if it is listed for the viewer or is her own; 404 otherwise."""
    organization = db.session.scalar(
        select(Organization).where(
            Organization.id == organization_id,
            or_(_listed_condition(viewer), _own_condition(viewer)),
        )
    )
    if organization is None:
        abort(404)
    return organization


# --- View-models --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Badge:
    code: str
    label: str


@dataclass(frozen=True)
class PlaceView:
    """A location as it may be shown: street and postal code are None when confidential."""

    name: str | None
    street: str | None
    postal_code: str | None
    municipality: str
    region: str | None
    is_confidential: bool


@dataclass(frozen=True)
class Capacity:
    status: str
    label: str
    updated_at: datetime
    is_stale: bool = False  # declared longer ago than CAPACITY_STALE_DAYS


@dataclass(frozen=True)
class PhoneView:
    number: str  # as the provider wrote it
    href: str  # tel: or sms: link, digits only
    is_text: bool  # takes text messages (SMS)


@dataclass(frozen=True)
class Today:
    """Today's opening in Montréal: the hours, or closed, and whether it is open right now."""

    hours: str | None  # "9 h – 17 h", None when closed or always open
    is_closed: bool
    is_always_open: bool
    is_open_now: bool


@dataclass(frozen=True)
class Verification:
    verified_at: datetime | None
    is_stale: bool


@dataclass(frozen=True)
class ServiceCard:
    id: int
    name: str
    organization_id: int
    organization_name: str
    needs: tuple[Badge, ...]
    languages: tuple[Badge, ...]
    regions: tuple[str, ...]
    capacity: Capacity
    verification: Verification
    is_trained: bool
    is_fictional: bool
    is_listed: bool
    phones: tuple[PhoneView, ...] = ()
    today: Today | None = None  # None when no hours are given
    cost: str | None = None  # free / reduced / fee, when stated
    age_range: str | None = None
    populations: tuple[Badge, ...] = ()
    excluded: tuple[Badge, ...] = ()  # populations the service does not serve
    closed_until: date | None = None  # closed all day today, until that day included


@dataclass(frozen=True)
class DayHours:
    day: str
    periods: tuple[str, ...]


@dataclass(frozen=True)
class ClosureView:
    starts_on: date
    ends_on: date
    note: str | None
    hours: str | None = None  # "12 h 00 – 17 h 00" when closed only between two hours
    reason: str | None = None  # only for intervenantes, administrators and the provider's staff


@dataclass(frozen=True)
class PauseView:
    starts_on: date
    ends_on: date
    message: str
    running: bool


@dataclass(frozen=True)
class Contact:
    phone: str | None
    email: str | None
    website: str | None  # only http(s) addresses, so a stored "javascript:" never becomes a link


@dataclass(frozen=True)
class ServiceDetail:
    card: ServiceCard
    description: str | None
    populations: tuple[Badge, ...]
    exploitation: tuple[Badge, ...]
    access: tuple[Badge, ...]
    places: tuple[PlaceView, ...]
    is_24_7: bool
    is_remote: bool
    hours: tuple[DayHours, ...]
    closures: tuple[ClosureView, ...]
    eligibility: str | None
    age_range: str | None
    cost: str | None
    contact: Contact
    status_label: str
    pause: PauseView | None = None
    # Another directory's terms kept by an import, for administrators only ("code / label").
    external_terms: tuple[str, ...] = ()


@dataclass(frozen=True)
class OrganizationProfile:
    id: int
    name: str
    alternate_name: str | None
    description: str | None
    sector: str | None
    partner_since: date | None
    verification: Verification
    is_trained: bool
    is_fictional: bool
    is_listed: bool
    status_label: str
    contact: Contact
    places: tuple[PlaceView, ...]
    services: tuple[ServiceCard, ...]


@dataclass(frozen=True)
class ListingPage:
    cards: tuple[ServiceCard, ...]
    page: int
    pages: int
    total: int
    has_prev: bool
    has_next: bool
    prev_num: int | None
    next_num: int | None


def _pick(locale: str, french: str | None, english: str | None) -> str | None:
    """The English text when asked for and present, else the French one."""
    return (english if locale == "en" else None) or french


def location_display(
    location: Location, viewer, locale: str, reveal_confidential: bool = False
) -> PlaceView:
    """What the viewer may see of a location: only the municipality when it is confidential,
    unless reveal_confidential (an intervenante whose referral to the service was accepted)."""
    hidden = location.is_confidential and not reveal_confidential
    return PlaceView(
        name=None if hidden else location.name,
        street=None if hidden else location.address_1,
        postal_code=None if hidden else location.postal_code,
        municipality=location.municipality,
        region=location.region.label(locale) if location.region else None,
        is_confidential=hidden,
    )


def verification(organization: OrganizationRecord) -> Verification:
    """When the profile was last verified, and whether that is older than STALE_AFTER_DAYS."""
    verified_at = organization.last_verified_at
    limit = timedelta(days=settings().stale_after_days)
    return Verification(verified_at, verified_at is None or utcnow() - verified_at > limit)


def capacity(service: ServiceRecord) -> Capacity:
    if service.capacity is CapacityStatus.ACCEPTING:
        label = _("Accepting referrals")
    elif service.capacity is CapacityStatus.PAUSED:
        label = _("Not accepting referrals for now")
    elif service.waitlist_weeks:
        label = ngettext(
            "Waiting list of %(num)d week", "Waiting list of %(num)d weeks", service.waitlist_weeks
        )
    else:
        label = _("Waiting list")
    days = settings().capacity_stale_days
    stale = utcnow() - service.capacity_updated_at > timedelta(days=days)
    return Capacity(service.capacity.value, label, service.capacity_updated_at, stale)


def local_now() -> datetime:
    return utcnow().astimezone(LOCAL_ZONE)


def _dial(number: str) -> str:
    """The digits to dial (an extension dropped): '514 555-0100 poste 2' -> '5145550100'."""
    return re.sub(r"[^0-9+]", "", _EXTENSION.sub("", number))


def phones(service: ServiceRecord) -> tuple[PhoneView, ...]:
    """The service's numbers (else its organisation's), each with its link; text numbers last."""
    found = []
    voice = service.phone or service.organization.phone
    if voice and _dial(voice):
        found.append(PhoneView(voice, "tel:" + _dial(voice), False))
    if service.text_phone and _dial(service.text_phone):
        found.append(PhoneView(service.text_phone, "sms:" + _dial(service.text_phone), True))
    return tuple(found)


def _minutes(moment: time) -> int:
    return moment.hour * 60 + moment.minute


def _open_during(opens: time, closes: time, minute: int) -> bool:
    start, end = _minutes(opens), _minutes(closes) or 1440  # closing at 00:00 is midnight
    return start <= minute < end if end > start else minute >= start or minute < end


def _open_since_yesterday(service: ServiceRecord, now: datetime) -> bool:
    """Yesterday's opening that runs past midnight (22 h – 2 h) and is still going on."""
    yesterday = now.isoweekday() - 1 or 7
    minute = now.hour * 60 + now.minute
    return any(
        s.weekday == yesterday
        and 0 < _minutes(s.closes_at) <= _minutes(s.opens_at)
        and minute < _minutes(s.closes_at)
        for s in service.schedules
    )


def today(service: ServiceRecord, locale: str) -> Today | None:
    """Today's hours in Montréal ("Closed today" on a closure), or None without any hours."""
    now = local_now()
    if any(c.starts_on <= now.date() <= c.ends_on for c in service.closures):
        return Today(None, True, False, False)
    if service.is_24_7:
        return Today(None, False, True, True)
    if not service.schedules:
        return None
    slots = [s for s in service.schedules if s.weekday == now.isoweekday()]
    if not slots:
        return Today(None, True, False, False)
    minute = now.hour * 60 + now.minute
    canadian = f"{locale}_CA"
    hours = ", ".join(
        f"{format_time(s.opens_at, 'short', locale=canadian)} – "
        f"{format_time(s.closes_at, 'short', locale=canadian)}"
        for s in slots
    )
    is_open = any(_open_during(s.opens_at, s.closes_at, minute) for s in slots)
    return Today(hours, False, False, is_open or _open_since_yesterday(service, now))


def cost_label(service: ServiceRecord) -> str | None:
    """Free, reduced cost or fee when the provider said; else the access feature if present."""
    if service.cost_kind in COST_LABELS:
        return str(COST_LABELS[service.cost_kind])
    if any(t.code == FREE_OR_REDUCED for t in service.terms):
        return _("Free or reduced cost")
    return None


def language_name(code: str, locale: str) -> str:
    """A language's name in the page's language ("Espagnol"), or its code when unknown."""
    return language_label(code, locale)


def _badges(terms: Sequence[TermRecord], taxonomy: str, locale: str) -> tuple[Badge, ...]:
    return tuple(Badge(t.code, t.label(locale)) for t in terms if t.taxonomy.code == taxonomy)


def service_card(service: ServiceRecord, viewer, locale: str) -> ServiceCard:
    """A result card: of a Service, or of a ServiceCardRow (card_rows.py) read for a page of
    results."""
    organization = service.organization
    return ServiceCard(
        id=service.id,
        name=service.name(locale),
        organization_id=organization.id,
        organization_name=organization.name,
        needs=_badges(service.terms, "need", locale),
        languages=tuple(
            Badge(lang.code, language_name(lang.code, locale)) for lang in service.languages
        ),
        regions=tuple(
            area.region.label(locale) if area.region else area.region_code for area in service.areas
        ),
        capacity=capacity(service),
        verification=verification(organization),
        is_trained=organization.is_trained,
        is_fictional=organization.is_fictional,
        is_listed=organization.is_listed,
        phones=phones(service),
        today=today(service, locale),
        cost=cost_label(service),
        age_range=_age_range(service),
        populations=_badges(service.terms, "population", locale),
        excluded=tuple(Badge(t.code, t.label(locale)) for t in service.excluded_populations),
        closed_until=_closed_until(service, _local_today()),
    )


def _local_today() -> date:
    return utcnow().astimezone(LOCAL_ZONE).date()


def _closed_until(service: ServiceRecord, today: date) -> date | None:
    """The last day of the whole-day closure service is in today, if any."""
    for closure in service.closures:
        if closure.closed_from is None and closure.starts_on <= today <= closure.ends_on:
            return closure.ends_on
    return None


def _period(closure: Closure, locale: str) -> str | None:
    if closure.closed_from is None or closure.closed_until is None:
        return None
    canadian = f"{locale}_CA" if locale in ("fr", "en") else locale
    opens = format_time(closure.closed_from, "short", locale=canadian)
    closes = format_time(closure.closed_until, "short", locale=canadian)
    return f"{opens} – {closes}"


def _may_read_closure_reasons(viewer, service: Service) -> bool:
    role = _role(viewer)
    if role is Role.PROVIDER:
        return viewer.organization_id == service.organization_id
    return role in (Role.INTERVENANTE, Role.ADMIN)


def _pause_view(service: Service, locale: str, today: date) -> PauseView | None:
    pause = service.pause
    if pause is None or pause.ends_on < today:
        return None
    return PauseView(
        pause.starts_on,
        pause.ends_on,
        _pick(locale, pause.message_fr, pause.message_en) or "",
        pause.starts_on <= today,
    )


def _hours(service: Service, locale: str) -> tuple[DayHours, ...]:
    names = get_day_names("wide", locale=locale)  # 0 = Monday, as Schedule.weekday - 1
    # Hours as written in Canada: "9 h 30" in French, "9:30 a.m." in English.
    canadian = f"{locale}_CA" if locale in ("fr", "en") else locale
    days: dict[int, list[str]] = {}
    for slot in service.schedules:
        opens = format_time(slot.opens_at, "short", locale=canadian)
        closes = format_time(slot.closes_at, "short", locale=canadian)
        period = f"{opens} – {closes}"
        days.setdefault(slot.weekday, []).append(period)
    return tuple(
        DayHours(names[(weekday - 1) % 7].capitalize(), tuple(periods))
        for weekday, periods in sorted(days.items())
    )


def _age_range(service: ServiceRecord) -> str | None:
    low, high = service.minimum_age, service.maximum_age
    if low is not None and high is not None:
        return _("From %(low)d to %(high)d years old", low=low, high=high)
    if low is not None:
        return _("%(low)d years old and over", low=low)
    if high is not None:
        return _("Up to %(high)d years old", high=high)
    return None


def _web_address(url: str | None) -> str | None:
    return url if url and url.lower().startswith(("https://", "http://")) else None


def _may_see_confidential_address(viewer, service: Service) -> bool:
    if not getattr(viewer, "is_authenticated", False):
        return False
    return signals.any_answer(signals.confidential_address_asked.send(service, viewer=viewer))


def service_detail(service: Service, viewer, locale: str) -> ServiceDetail:
    """Everything the service page shows, already translated and with addresses masked."""
    today = _local_today()
    reveal = _may_see_confidential_address(viewer, service)
    reasons = _may_read_closure_reasons(viewer, service)
    return ServiceDetail(
        card=service_card(service, viewer, locale),
        description=service.description(locale),
        populations=_badges(service.terms, "population", locale),
        exploitation=_badges(service.terms, "exploitation", locale),
        access=_badges(service.terms, "access", locale),
        places=tuple(
            location_display(place, viewer, locale, reveal_confidential=reveal)
            for place in service.locations
        ),
        is_24_7=service.is_24_7,
        is_remote=service.is_remote,
        hours=_hours(service, locale),
        closures=tuple(
            ClosureView(
                c.starts_on,
                c.ends_on,
                _pick(locale, c.note_fr, c.note_en),
                _period(c, locale),
                c.reason if reasons else None,
            )
            for c in service.closures
            if c.ends_on >= today
        ),
        eligibility=_pick(locale, service.eligibility_fr, service.eligibility_en),
        age_range=_age_range(service),
        cost=_pick(locale, service.cost_fr, service.cost_en),
        contact=Contact(service.phone, service.email, _web_address(service.url)),
        status_label=str(STATUS_LABELS[service.organization.status]),
        pause=_pause_view(service, locale, today),
        external_terms=_external_terms(service, viewer),
    )


def _external_terms(service: Service, viewer) -> tuple[str, ...]:
    """Unmapped imported terms: administrators map them; nobody else needs to see them."""
    if _role(viewer) is not Role.ADMIN:
        return ()
    return tuple(term.label for term in service.external_terms)


def _eager(query: Select) -> Select:
    return query.options(
        selectinload(Service.organization),
        selectinload(Service.terms).selectinload(TaxonomyTerm.taxonomy),
        selectinload(Service.languages),
        selectinload(Service.excluded_populations),
        selectinload(Service.areas).selectinload(ServiceArea.region),
        selectinload(Service.schedules),
        selectinload(Service.closures),
    )


def organization_profile(organization: Organization, viewer, locale: str) -> OrganizationProfile:
    """The organisation page: its profile and the services of it the viewer may see."""
    services = db.session.scalars(
        _eager(visible_services(viewer))
        .where(Service.organization_id == organization.id)
        .order_by(Service.name_fr, Service.id)
    ).all()
    return OrganizationProfile(
        id=organization.id,
        name=organization.name,
        alternate_name=organization.alternate_name,
        description=_pick(locale, organization.description_fr, organization.description_en),
        sector=organization.sector.label(locale) if organization.sector else None,
        partner_since=organization.partner_since,
        verification=verification(organization),
        is_trained=organization.is_trained,
        is_fictional=organization.is_fictional,
        is_listed=organization.is_listed,
        status_label=str(STATUS_LABELS[organization.status]),
        contact=Contact(organization.phone, organization.email, _web_address(organization.website)),
        places=tuple(location_display(place, viewer, locale) for place in organization.locations),
        services=tuple(service_card(s, viewer, locale) for s in services),
    )


# --- The way back to a search -------------------------------------------------------------------

BACK_QUERY_MAX = 2000
_BACK_KEY = re.compile(r"^[a-z_]{1,20}$")


def search_back_args(raw: str | None) -> list[tuple[str, str]] | None:
    """The filters of the search a service page was opened from, to link back to it; None when
    there is none or it looks odd. The link always goes to the search page, never elsewhere."""
    if not raw or len(raw) > BACK_QUERY_MAX or "\x00" in raw:
        return None
    pairs = parse_qsl(raw, keep_blank_values=False)
    if not pairs or not all(_BACK_KEY.match(key) and len(value) <= 200 for key, value in pairs):
        return None
    return pairs


# --- The listing --------------------------------------------------------------------------------


def filtered_listing(viewer, q: str = "", region: str = "", need: str = "") -> Select:
    """The catalogue listing with its simple filters, ordered by organisation then service name."""
    # Deliberately simple: a substring match on names. The search feature replaces this with its
    # index (accents, stemming, descriptions, relevance); do not grow this into a second engine.
    query = listed_services_query(viewer)
    if q:
        query = query.where(
            or_(
                Service.name_fr.icontains(q, autoescape=True),
                Service.name_en.icontains(q, autoescape=True),
                Organization.name.icontains(q, autoescape=True),
            )
        )
    if region:
        # A province-wide service serves every region too.
        codes = [region] if region == PROVINCE_WIDE else [region, PROVINCE_WIDE]
        query = query.where(Service.areas.any(ServiceArea.region_code.in_(codes)))
    if need:
        # A need includes its sub-needs (need.physical_health covers need.physical_health.dental).
        query = query.where(
            Service.terms.any(
                or_(
                    TaxonomyTerm.code == need,
                    TaxonomyTerm.code.startswith(need + ".", autoescape=True),
                )
            )
        )
    return query.order_by(Organization.name, Service.name_fr, Service.id)


def listing_page(
    viewer, filters: dict[str, str], locale: str, page: int | None = None
) -> ListingPage:
    """One page of PER_PAGE cards of the filtered listing; 404 past the last page."""
    result = db.paginate(
        _eager(filtered_listing(viewer, **filters)),
        page=page,
        per_page=PER_PAGE,
        max_per_page=PER_PAGE,
    )
    return ListingPage(
        cards=tuple(service_card(s, viewer, locale) for s in result.items),
        page=result.page,
        pages=result.pages,
        total=result.total or 0,
        has_prev=result.has_prev,
        has_next=result.has_next,
        prev_num=result.prev_num,
        next_num=result.next_num,
    )


def region_choices(locale: str) -> list[tuple[str, str]]:
    regions = db.session.scalars(select(Region).order_by(Region.position, Region.code))
    return [(r.code, r.label(locale)) for r in regions]


def need_choices(locale: str) -> list[tuple[str, str]]:
    """Active need terms in taxonomy order; sub-needs are marked with a dash after their parent."""
    terms = db.session.scalars(
        select(TaxonomyTerm)
        .join(TaxonomyTerm.taxonomy)
        .where(TaxonomyTerm.active.is_(True), TaxonomyTerm.taxonomy.has(code="need"))
        .order_by(TaxonomyTerm.position, TaxonomyTerm.code)
    )
    return [(t.code, ("– " if t.code.count(".") > 1 else "") + t.label(locale)) for t in terms]


# --- Figures for the home pages -----------------------------------------------------------------


def catalogue_counts() -> dict[str, int]:
    """Listed providers, their services, and organisations waiting for a decision."""
    listed = and_(
        Organization.kind == OrganizationKind.PROVIDER,
        Organization.status == OrganizationStatus.APPROVED,
    )
    return {
        "providers": db.session.scalar(select(func.count(Organization.id)).where(listed)) or 0,
        "services": db.session.scalar(
            select(func.count(Service.id)).join(Service.organization).where(listed)
        )
        or 0,
        "awaiting_review": db.session.scalar(
            select(func.count(Organization.id)).where(
                Organization.status == OrganizationStatus.SUBMITTED
            )
        )
        or 0,
    }


def has_fictional_data() -> bool:
    """True when the fictional demo catalogue is loaded (every page then says so)."""
    return (
        db.session.scalar(select(Organization.id).where(Organization.is_fictional).limit(1))
        is not None
    )


def full_service_options() -> tuple:
    """Loader options that fetch everything a service page, index document or HSDS record shows."""
    return (
        selectinload(Service.organization).selectinload(Organization.sector),
        selectinload(Service.terms).selectinload(TaxonomyTerm.taxonomy),
        selectinload(Service.languages),
        selectinload(Service.excluded_populations),
        selectinload(Service.areas).selectinload(ServiceArea.region),
        selectinload(Service.schedules),
        selectinload(Service.closures),
        selectinload(Service.locations).selectinload(Location.region),
    )


def taxonomy_terms(taxonomy_code: str, active_only: bool = True) -> list[TaxonomyTerm]:
    """The terms of one taxonomy (need, sector, …) in their display order."""
    query = (
        select(TaxonomyTerm)
        .join(Taxonomy, Taxonomy.id == TaxonomyTerm.taxonomy_id)
        .where(Taxonomy.code == taxonomy_code)
        .order_by(TaxonomyTerm.position, TaxonomyTerm.code)
    )
    if active_only:
        query = query.where(TaxonomyTerm.active.is_(True))
    return list(db.session.scalars(query))
