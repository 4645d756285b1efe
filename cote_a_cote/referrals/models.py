"""Referrals: an intervenante sends a person to a provider's service, with her consent.

A referral holds the minimum a provider needs and nothing that identifies the person.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    SmallInteger,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import User
from ..catalogue.models import Organization, Service, TaxonomyTerm
from ..database import UTCDateTime, enum_column, utcnow
from ..extensions import Model


class ReferralStatus(enum.Enum):
    DRAFT = "draft"
    SENT = "sent"
    RECEIVED = "received"
    ACCEPTED = "accepted"
    WAITLISTED = "waitlisted"
    DECLINED = "declined"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    NOT_COMPLETED = "not_completed"
    WITHDRAWN = "withdrawn"


# Sent and not yet closed: the provider may act, the briefing may be read.
OPEN_STATUSES = frozenset(
    {
        ReferralStatus.SENT,
        ReferralStatus.RECEIVED,
        ReferralStatus.ACCEPTED,
        ReferralStatus.WAITLISTED,
        ReferralStatus.IN_PROGRESS,
    }
)
CLOSED_STATUSES = frozenset(
    {
        ReferralStatus.DECLINED,
        ReferralStatus.COMPLETED,
        ReferralStatus.NOT_COMPLETED,
        ReferralStatus.WITHDRAWN,
    }
)


class ContactMode(enum.Enum):
    THROUGH_INTERVENANTE = "through_intervenante"  # the provider never contacts her directly
    DIRECT = "direct"  # through the channel and at the safe times given


class DeclinedBy(enum.Enum):
    PROVIDER = "provider"
    PERSON = "person"


class Outcome(enum.Enum):
    """Why a referral that had started was not completed."""

    NO_SHOW = "no_show"
    PERSON_WITHDREW = "person_withdrew"
    PROVIDER_COULD_NOT_SERVE = "provider_could_not_serve"
    OTHER = "other"


class Person(Model):
    """A person followed by referrals, known only by a random code (the parcours).

    Deliberately NO identity: no name, birth date, address or contact, and none must be added.
    The code is what the person keeps; once every referral under it is closed and purged the
    code itself is erased (purge.py) and only the row's id remains, so people can be counted.
    """

    __tablename__ = "person"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Random, ABCD-EFGH; None once erased.
    code: Mapped[str | None] = mapped_column(String(9), unique=True)
    # The intervenante who follows the person, and her organisation (for sharing and hand-over).
    owner_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    purged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    owner: Mapped[User] = relationship(foreign_keys=[owner_id])
    organization: Mapped[Organization] = relationship(foreign_keys=[organization_id])
    # Read-only: a referral joins a person by its own person (no pending-object surprises).
    referrals: Mapped[list[Referral]] = relationship(
        order_by="Referral.created_at, Referral.id", viewonly=True
    )


class ReferralNeed(Model):
    """Links a referral to a term of the 'need' taxonomy (kept after purge, for statistics)."""

    __tablename__ = "referral_need"

    referral_id: Mapped[int] = mapped_column(
        ForeignKey("referral.id", ondelete="CASCADE"), primary_key=True
    )
    taxonomy_term_id: Mapped[int] = mapped_column(
        ForeignKey("taxonomy_term.id"), primary_key=True, index=True
    )


# Optional, broad answers a referral may carry for the annual report's aggregates (codes stored).
AGE_BANDS = ("12_17", "18_24", "25_34", "35_49", "50_plus", "prefer_not")
GENDERS = ("woman", "man", "non_binary", "two_spirit", "another", "prefer_not")


class Referral(Model):
    """A person referred to a service, known to the provider only by a random code.

    Privacy by design: there is deliberately NO column for a name, a birth date, an address, a
    phone number of the person or any identity document, and none must be added. The free-text
    columns (needs as she sees them, contact channel and safe times, briefing, consent purpose,
    decline reason) are short, optional, and erased by purge.py; what stays for statistics is
    the code, statuses, dates, need terms and outcome.
    """

    __tablename__ = "referral"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The person referred: the code the intervenante gives them lives there, shared by all
    # the person's referrals.
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    # Set by the form so a double submission creates one referral.
    idempotency_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    # Optimistic lock: an UPDATE from a stale copy matches no row and is refused.
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    service_id: Mapped[int | None] = mapped_column(
        ForeignKey("service.id", ondelete="SET NULL"), index=True
    )
    # Denormalised from the service so visibility needs no join (and survives its deletion).
    provider_organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id"), index=True)
    referring_user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    referring_organization_id: Mapped[int] = mapped_column(
        ForeignKey("organization.id"), index=True
    )
    status: Mapped[ReferralStatus] = mapped_column(
        enum_column(ReferralStatus), default=ReferralStatus.DRAFT, index=True
    )
    status_changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    status_changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    # What the provider needs to know.
    person_needs_text: Mapped[str | None] = mapped_column(Text)  # her own words, purged
    preferred_language: Mapped[str] = mapped_column(String(8), default="fr")  # ISO 639
    fast_track: Mapped[bool] = mapped_column(Boolean, default=False)
    accompanied: Mapped[bool] = mapped_column(Boolean, default=False)
    # Optional and non-identifying, for aggregate counts only (see AGE_BANDS, GENDERS below):
    # None is "not asked", apart from "prefer_not" (the person chose not to say).
    age_band: Mapped[str | None] = mapped_column(String(16))
    gender: Mapped[str | None] = mapped_column(String(16))
    contact_mode: Mapped[ContactMode] = mapped_column(
        enum_column(ContactMode), default=ContactMode.THROUGH_INTERVENANTE
    )
    contact_channel: Mapped[str | None] = mapped_column(String(200))  # purged
    contact_safe_times: Mapped[str | None] = mapped_column(String(200))  # purged
    briefing: Mapped[str | None] = mapped_column(Text)  # purged

    # Consent, recorded before anything is sent.
    consent_share_contact: Mapped[bool] = mapped_column(Boolean, default=False)
    consent_share_briefing: Mapped[bool] = mapped_column(Boolean, default=False)
    consent_purpose: Mapped[str | None] = mapped_column(String(300))  # purged
    consent_valid_until: Mapped[date | None] = mapped_column(Date)
    consent_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    consent_withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    # The provider's answer and what followed.
    appointment_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    waitlist_expected_on: Mapped[date | None] = mapped_column(Date)
    decline_reason: Mapped[str | None] = mapped_column(String(500))  # purged
    declined_by: Mapped[DeclinedBy | None] = mapped_column(enum_column(DeclinedBy))
    outcome: Mapped[Outcome | None] = mapped_column(enum_column(Outcome))
    rerouted_from_id: Mapped[int | None] = mapped_column(
        ForeignKey("referral.id", ondelete="SET NULL"), index=True
    )

    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    received_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    first_response_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    purged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Reminders and flags, each sent once.
    overdue_flagged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reroute_flagged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    service: Mapped[Service | None] = relationship()
    provider_organization: Mapped[Organization] = relationship(
        foreign_keys=[provider_organization_id]
    )
    referring_organization: Mapped[Organization] = relationship(
        foreign_keys=[referring_organization_id]
    )
    referring_user: Mapped[User] = relationship(foreign_keys=[referring_user_id])
    needs: Mapped[list[TaxonomyTerm]] = relationship(
        secondary="referral_need", order_by="TaxonomyTerm.position"
    )
    rerouted_from: Mapped[Referral | None] = relationship(remote_side=[id])
    person: Mapped[Person] = relationship()

    __mapper_args__ = {"version_id_col": version}

    def __init__(self, *, code: str | None = None, **fields) -> None:
        """A referral of fields' person; given a code instead, of a new person with that code.

        The workflow always passes the person; seeding and tests that build a referral by hand
        may give just its code, as they did when the code belonged to the referral.
        """
        super().__init__(**fields)
        if self.person is None and self.person_id is None:
            if code is None:
                raise TypeError("a referral needs a person or a code")
            person = Person(code=code, created_at=self.created_at or utcnow())
            if self.referring_user is not None:
                person.owner = self.referring_user
            else:
                person.owner_id = self.referring_user_id
            if self.referring_organization is not None:
                person.organization = self.referring_organization
            else:
                person.organization_id = self.referring_organization_id
            self.person = person
        elif code is not None:
            raise TypeError("give a referral its person or a code, not both")

    @property
    def code(self) -> str | None:
        """The person's code (None once erased)."""
        return self.person.code if self.person is not None else None

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_closed(self) -> bool:
        return self.status in CLOSED_STATUSES


class ReferralEvaluation(Model):
    """The intervenante's rating of the welcome, once per referral; shown only in aggregate."""

    __tablename__ = "referral_evaluation"
    __table_args__ = (
        CheckConstraint("respect BETWEEN 1 AND 5", name="respect_range"),
        CheckConstraint("no_judgement BETWEEN 1 AND 5", name="no_judgement_range"),
        CheckConstraint("confidentiality BETWEEN 1 AND 5", name="confidentiality_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    referral_id: Mapped[int] = mapped_column(
        ForeignKey("referral.id", ondelete="CASCADE"), unique=True
    )
    respect: Mapped[int] = mapped_column(SmallInteger)
    no_judgement: Mapped[int] = mapped_column(SmallInteger)
    confidentiality: Mapped[int] = mapped_column(SmallInteger)
    would_refer_again: Mapped[bool] = mapped_column(Boolean)
    evaluator_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    referral: Mapped[Referral] = relationship()
