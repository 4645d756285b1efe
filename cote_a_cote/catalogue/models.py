"""The catalogue, shaped after Open Referral HSDS 3.x (organization, service, location, ...)."""

from __future__ import annotations

import enum
from datetime import date, datetime, time
from typing import ClassVar

from sqlalchemy import (
    Boolean,
    Date,
    Float,
    ForeignKey,
    Integer,
    SmallInteger,
    String,
    Text,
    Time,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..database import UTCDateTime, enum_column, utcnow
from ..extensions import Model


class OrganizationKind(enum.Enum):
    PROVIDER = "provider"
    REFERRER = "referrer"
    COORDINATION = "coordination"


class OrganizationStatus(enum.Enum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    CHANGES_REQUESTED = "changes_requested"
    APPROVED = "approved"
    SUSPENDED = "suspended"
    REJECTED = "rejected"


class Visibility(enum.Enum):
    PUBLIC = "public"
    INTERVENANTES = "intervenantes"


class CapacityStatus(enum.Enum):
    ACCEPTING = "accepting"
    WAITLIST = "waitlist"
    PAUSED = "paused"


# What a service costs the person (Service.cost_kind); None when the provider did not say.
COST_FREE, COST_REDUCED, COST_FEE = "free", "reduced", "fee"
COST_KINDS = (COST_FREE, COST_REDUCED, COST_FEE)


class Taxonomy(Model):
    """A group of terms: needs, sectors, populations, exploitation forms, access features."""

    __tablename__ = "taxonomy"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name_fr: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    description_fr: Mapped[str | None] = mapped_column(Text)
    description_en: Mapped[str | None] = mapped_column(Text)

    terms: Mapped[list[TaxonomyTerm]] = relationship(
        back_populates="taxonomy", order_by="TaxonomyTerm.position"
    )


class TaxonomyTerm(Model):
    """One term with a stable code and bilingual labels (HSDS taxonomy_term)."""

    __tablename__ = "taxonomy_term"

    id: Mapped[int] = mapped_column(primary_key=True)
    taxonomy_id: Mapped[int] = mapped_column(ForeignKey("taxonomy.id"), index=True)
    code: Mapped[str] = mapped_column(String(80), unique=True)
    name_fr: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    description_fr: Mapped[str | None] = mapped_column(Text)
    description_en: Mapped[str | None] = mapped_column(Text)
    position: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Search synonyms, one per line: words people type for this term (and for every term under
    # it). None until seeded; once set, they belong to the administrators (seeding leaves them).
    keywords_fr: Mapped[str | None] = mapped_column(Text)
    keywords_en: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    taxonomy: Mapped[Taxonomy] = relationship(back_populates="terms")

    def label(self, locale: str) -> str:
        return self.name_en if locale == "en" else self.name_fr

    def keywords(self) -> list[str]:
        return keywords_of(self.keywords_fr, self.keywords_en)


def keywords_of(stored_fr: str | None, stored_en: str | None) -> list[str]:
    """Every search keyword of a term, French then English."""
    return keyword_list(stored_fr) + keyword_list(stored_en)


def keyword_list(stored: str | None) -> list[str]:
    """The keywords of a stored keyword text (one per line)."""
    return [line.strip() for line in (stored or "").splitlines() if line.strip()]


class Region(Model):
    """Québec's administrative regions (01-17) plus province-wide and outside Québec."""

    __tablename__ = "region"

    code: Mapped[str] = mapped_column(String(8), primary_key=True)
    name_fr: Mapped[str] = mapped_column(String(120))
    name_en: Mapped[str] = mapped_column(String(120))
    position: Mapped[int] = mapped_column(Integer, default=0)
    # Centre point, used to propose nearby regions when a search finds nothing.
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)

    def label(self, locale: str) -> str:
        return self.name_en if locale == "en" else self.name_fr


class Organization(Model):
    """A provider or a referring organisation (HSDS organization)."""

    __tablename__ = "organization"
    hsds_kind: ClassVar[str] = "organization"  # names its derived HSDS id (catalogue/hsds.py)

    id: Mapped[int] = mapped_column(primary_key=True)
    # Stable key from an import or the demo seeds (HSDS id), so reloading updates in place.
    external_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    alternate_name: Mapped[str | None] = mapped_column(String(200))
    kind: Mapped[OrganizationKind] = mapped_column(enum_column(OrganizationKind), index=True)
    sector_id: Mapped[int | None] = mapped_column(ForeignKey("taxonomy_term.id"), index=True)
    status: Mapped[OrganizationStatus] = mapped_column(
        enum_column(OrganizationStatus), default=OrganizationStatus.DRAFT, index=True
    )
    visibility: Mapped[Visibility] = mapped_column(
        enum_column(Visibility), default=Visibility.PUBLIC
    )
    description_fr: Mapped[str | None] = mapped_column(Text)
    description_en: Mapped[str | None] = mapped_column(Text)
    email: Mapped[str | None] = mapped_column(String(254))
    website: Mapped[str | None] = mapped_column(String(300))
    phone: Mapped[str | None] = mapped_column(String(40))
    partner_since: Mapped[date | None] = mapped_column(Date)
    last_verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    is_fictional: Mapped[bool] = mapped_column(Boolean, default=False)
    # Training status is computed by the training feature; stored so search can filter on it.
    is_trained: Mapped[bool] = mapped_column(Boolean, default=False)
    trained_checked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # A referring organisation may let its intervenantes see each other's referrals.
    share_referrals: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # The partner chose to show its engagement recognition publicly (off until it opts in).
    recognition_public: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # Vetting: when the application was last submitted, and the stale-profile reminders sent
    # since the last "still accurate" confirmation (reset by it).
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    stale_warning_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    stale_notice_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    sector: Mapped[TaxonomyTerm | None] = relationship()
    services: Mapped[list[Service]] = relationship(
        back_populates="organization", cascade="all, delete-orphan", order_by="Service.id"
    )
    locations: Mapped[list[Location]] = relationship(
        back_populates="organization", cascade="all, delete-orphan", order_by="Location.id"
    )

    @property
    def is_listed(self) -> bool:
        return Organization.listed(self.kind, self.status)

    @staticmethod
    def listed(kind: OrganizationKind, status: OrganizationStatus) -> bool:
        """Only approved providers ever appear in the catalogue."""
        return kind is OrganizationKind.PROVIDER and status is OrganizationStatus.APPROVED


class ServiceAttribute(Model):
    """Links a service to a taxonomy term (HSDS attribute with link_entity 'service')."""

    __tablename__ = "service_attribute"

    service_id: Mapped[int] = mapped_column(
        ForeignKey("service.id", ondelete="CASCADE"), primary_key=True
    )
    taxonomy_term_id: Mapped[int] = mapped_column(
        ForeignKey("taxonomy_term.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class ServiceExclusion(Model):
    """A population a service does not serve (HSDS eligibility, our population terms)."""

    __tablename__ = "service_exclusion"

    service_id: Mapped[int] = mapped_column(
        ForeignKey("service.id", ondelete="CASCADE"), primary_key=True
    )
    taxonomy_term_id: Mapped[int] = mapped_column(
        ForeignKey("taxonomy_term.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class Service(Model):
    """What a provider offers (HSDS service)."""

    __tablename__ = "service"
    hsds_kind: ClassVar[str] = "service"  # names its derived HSDS id (catalogue/hsds.py)

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organization.id", ondelete="CASCADE"), index=True
    )
    # Stable key from an import or the demo seeds (HSDS id), so reloading updates in place.
    external_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    name_fr: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str | None] = mapped_column(String(200))
    description_fr: Mapped[str | None] = mapped_column(Text)
    description_en: Mapped[str | None] = mapped_column(Text)
    eligibility_fr: Mapped[str | None] = mapped_column(Text)
    eligibility_en: Mapped[str | None] = mapped_column(Text)
    minimum_age: Mapped[int | None] = mapped_column(SmallInteger)
    maximum_age: Mapped[int | None] = mapped_column(SmallInteger)
    cost_fr: Mapped[str | None] = mapped_column(Text)
    cost_en: Mapped[str | None] = mapped_column(Text)
    # A short, plain text printed on the person's handout instead of the description.
    person_text_fr: Mapped[str | None] = mapped_column(String(400))
    person_text_en: Mapped[str | None] = mapped_column(String(400))
    capacity: Mapped[CapacityStatus] = mapped_column(
        enum_column(CapacityStatus), default=CapacityStatus.ACCEPTING
    )
    waitlist_weeks: Mapped[int | None] = mapped_column(SmallInteger)
    capacity_updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    email: Mapped[str | None] = mapped_column(String(254))
    url: Mapped[str | None] = mapped_column(String(300))
    phone: Mapped[str | None] = mapped_column(String(40))
    # A number that takes text messages (SMS): HSDS phone of type "text", shown as "Texto".
    text_phone: Mapped[str | None] = mapped_column(String(40))
    cost_kind: Mapped[str | None] = mapped_column(String(16))  # one of COST_KINDS
    is_24_7: Mapped[bool] = mapped_column(Boolean, default=False)
    is_remote: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    organization: Mapped[Organization] = relationship(back_populates="services")
    terms: Mapped[list[TaxonomyTerm]] = relationship(
        secondary="service_attribute", order_by="(TaxonomyTerm.position, TaxonomyTerm.id)"
    )
    # Populations the service turns away (population terms), shown and checked at search time.
    excluded_populations: Mapped[list[TaxonomyTerm]] = relationship(
        secondary="service_exclusion", order_by="(TaxonomyTerm.position, TaxonomyTerm.id)"
    )
    languages: Mapped[list[ServiceLanguage]] = relationship(
        cascade="all, delete-orphan", order_by="ServiceLanguage.code"
    )
    areas: Mapped[list[ServiceArea]] = relationship(
        cascade="all, delete-orphan", order_by="ServiceArea.region_code"
    )
    schedules: Mapped[list[Schedule]] = relationship(
        cascade="all, delete-orphan", order_by="(Schedule.weekday, Schedule.opens_at, Schedule.id)"
    )
    closures: Mapped[list[Closure]] = relationship(
        cascade="all, delete-orphan", order_by="(Closure.starts_on, Closure.id)"
    )
    pause: Mapped[ServicePause | None] = relationship(cascade="all, delete-orphan")
    locations: Mapped[list[Location]] = relationship(
        secondary="service_at_location", order_by="Location.id", viewonly=True
    )
    # Terms of an imported file's taxonomy that match none of ours (import-hsds --unmapped keep).
    external_terms: Mapped[list[ServiceExternalTerm]] = relationship(
        cascade="all, delete-orphan", order_by="ServiceExternalTerm.label"
    )

    def name(self, locale: str) -> str:
        return Service.name_in(self.name_fr, self.name_en, locale)

    @staticmethod
    def name_in(name_fr: str, name_en: str | None, locale: str) -> str:
        """The English name on English pages when there is one, else the French name."""
        return (name_en if locale == "en" else None) or name_fr

    def description(self, locale: str) -> str | None:
        return (self.description_en if locale == "en" else None) or self.description_fr

    def person_text(self, locale: str) -> str | None:
        return (self.person_text_en if locale == "en" else None) or self.person_text_fr

    def terms_in(self, taxonomy_code: str) -> list[TaxonomyTerm]:
        return [t for t in self.terms if t.taxonomy.code == taxonomy_code]


class ServiceExternalTerm(Model):
    """A term of another directory's taxonomy kept by an import, as "code / label".

    Shown to administrators on the service page so that they can map it to one of ours; never a
    facet, a filter nor part of the HSDS API or export.
    """

    __tablename__ = "service_external_term"
    __table_args__ = (UniqueConstraint("service_id", "label"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    service_id: Mapped[int] = mapped_column(
        ForeignKey("service.id", ondelete="CASCADE"), index=True
    )
    label: Mapped[str] = mapped_column(String(300))


class ServiceLanguage(Model):
    """A language the service is offered in, as an ISO 639 code (HSDS language)."""

    __tablename__ = "service_language"
    __table_args__ = (UniqueConstraint("service_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    service_id: Mapped[int] = mapped_column(
        ForeignKey("service.id", ondelete="CASCADE"), index=True
    )
    code: Mapped[str] = mapped_column(String(8), index=True)


class ServiceArea(Model):
    """A region the service covers (HSDS service_area)."""

    __tablename__ = "service_area"
    __table_args__ = (UniqueConstraint("service_id", "region_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    service_id: Mapped[int] = mapped_column(
        ForeignKey("service.id", ondelete="CASCADE"), index=True
    )
    region_code: Mapped[str] = mapped_column(ForeignKey("region.code"), index=True)

    region: Mapped[Region] = relationship()


class Location(Model):
    """A physical place of an organisation (HSDS location with its address)."""

    __tablename__ = "location"
    hsds_kind: ClassVar[str] = "location"  # names its derived HSDS id (catalogue/hsds.py)

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organization.id", ondelete="CASCADE"), index=True
    )
    # Stable key from an import or the demo seeds (HSDS id), so reloading updates in place.
    external_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    name: Mapped[str | None] = mapped_column(String(200))
    address_1: Mapped[str | None] = mapped_column(String(200))
    postal_code: Mapped[str | None] = mapped_column(String(10))
    municipality: Mapped[str] = mapped_column(String(120))
    region_code: Mapped[str | None] = mapped_column(ForeignKey("region.code"), index=True)
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    # A confidential address (a shelter) is never shown: only the municipality.
    is_confidential: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    organization: Mapped[Organization] = relationship(back_populates="locations")
    region: Mapped[Region | None] = relationship()


class ServiceAtLocation(Model):
    """Where a service is delivered (HSDS service_at_location)."""

    __tablename__ = "service_at_location"

    service_id: Mapped[int] = mapped_column(
        ForeignKey("service.id", ondelete="CASCADE"), primary_key=True
    )
    location_id: Mapped[int] = mapped_column(
        ForeignKey("location.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class Schedule(Model):
    """Weekly opening hours of a service (HSDS schedule, one row per day and period)."""

    __tablename__ = "schedule"

    id: Mapped[int] = mapped_column(primary_key=True)
    service_id: Mapped[int] = mapped_column(
        ForeignKey("service.id", ondelete="CASCADE"), index=True
    )
    weekday: Mapped[int] = mapped_column(SmallInteger)  # ISO: 1 = Monday … 7 = Sunday
    opens_at: Mapped[time] = mapped_column(Time)
    closes_at: Mapped[time] = mapped_column(Time)


class Closure(Model):
    """A period when a service is closed (holidays, renovations)."""

    __tablename__ = "closure"

    id: Mapped[int] = mapped_column(primary_key=True)
    service_id: Mapped[int] = mapped_column(
        ForeignKey("service.id", ondelete="CASCADE"), index=True
    )
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    note_fr: Mapped[str | None] = mapped_column(String(200))
    note_en: Mapped[str | None] = mapped_column(String(200))
    # Closed only between these hours on each day of the period; both empty: the whole day.
    closed_from: Mapped[time | None] = mapped_column(Time)
    closed_until: Mapped[time | None] = mapped_column(Time)
    # Why, in the provider's words: shown to intervenantes only (never public, never in HSDS).
    reason: Mapped[str | None] = mapped_column(String(300))


class ServicePause(Model):
    """A period when a service takes no new referrals, with a message (set by its provider).

    While it runs the service's capacity is "paused"; the capacity it had before comes back at
    its end, unless the provider changed it in between.
    """

    __tablename__ = "service_pause"

    id: Mapped[int] = mapped_column(primary_key=True)
    service_id: Mapped[int] = mapped_column(
        ForeignKey("service.id", ondelete="CASCADE"), unique=True
    )
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date, index=True)
    message_fr: Mapped[str] = mapped_column(String(300))
    message_en: Mapped[str | None] = mapped_column(String(300))
    applied: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    capacity_before: Mapped[CapacityStatus | None] = mapped_column(enum_column(CapacityStatus))
    waitlist_weeks_before: Mapped[int | None] = mapped_column(SmallInteger)
