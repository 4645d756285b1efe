"""Loading seeds/recognition_levels.json, and a few fictional awards for the demo."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select

from ..catalogue.models import Organization, OrganizationKind, OrganizationStatus
from ..extensions import db
from ..seeds import read_seed
from ..training.rule import local_day
from .criteria import standings
from .models import (
    AwardStatus,
    EngagementKind,
    EngagementRecord,
    EngagementStatus,
    RecognitionAward,
    RecognitionLevel,
)
from .services import new_verification_code, one_year_after

SEED_FILE = "recognition_levels.json"
LEVEL_COLUMNS = (
    "name_fr",
    "name_en",
    "description_fr",
    "description_en",
    "rank",
    "min_trained_share",
    "min_partner_months",
    "min_referrals_accepted",
    "min_referrals_completed",
    "max_median_response_hours",
    "min_average_rating",
    "min_reduced_cost_services",
    "max_months_since_verified",
    "max_regional_rank_share",
    "min_accepted_per_thousand_region",
    "min_engagement_records",
)
# Demo awards go to the demo providers whose own data meet a level; two in three opt in.
DEMO_RATIONALE = "Distinction de démonstration (fictive)."


def load_recognition_levels() -> int:
    """Create the starting levels missing by code; returns how many. Flushes, never commits.

    A level that exists is left alone: its names and thresholds belong to the administrators.
    """
    existing = set(db.session.scalars(select(RecognitionLevel.code)))
    created = 0
    for item in read_seed(SEED_FILE)["levels"]:
        if item["code"] in existing:
            continue
        level = RecognitionLevel(code=item["code"], active=True)
        for name in LEVEL_COLUMNS:
            setattr(level, name, item.get(name))
        db.session.add(level)
        created += 1
    db.session.flush()
    return created


def seed_demo_recognition(
    orgs: dict[str, Organization], now: datetime, echo: Callable[[str], Any] = print
) -> int:
    """Give a few approved demo providers a fictional award, once (never twice on a re-run)."""
    if db.session.scalar(select(RecognitionAward.id).limit(1)) is not None:
        return 0
    providers = _demo_providers(orgs)
    today = local_day(now)
    seed_demo_engagement(providers, now)
    found = standings([org.id for org in providers], today)
    made = 0
    for org in providers:
        level = found[org.id].level if org.id in found else None
        if level is None:
            continue
        # Awarded over the past year: the oldest end within days, for the "ending soon" list.
        starts = today - timedelta(days=30 * (1 + made % 12))
        db.session.add(_demo_award(org, level, starts, now))
        org.recognition_public = made % 3 != 2
        made += 1
    db.session.flush()
    echo(f"Recognition: {made} fictional awards.")
    return made


def _demo_providers(orgs: dict[str, Organization]) -> list[Organization]:
    """The approved fictional providers, in the order of their keys."""
    return sorted(
        (
            org
            for org in orgs.values()
            if org.kind is OrganizationKind.PROVIDER
            and org.status is OrganizationStatus.APPROVED
            and org.is_fictional
        ),
        key=lambda org: org.external_id or "",
    )


def _demo_award(
    org: Organization, level: RecognitionLevel, starts: date, now: datetime
) -> RecognitionAward:
    """A year's award of level to org from starts, as its criteria are met by the demo's data."""
    return RecognitionAward(
        organization_id=org.id,
        level_id=level.id,
        year=starts.year,
        awarded_at=datetime.combine(starts, datetime.min.time(), tzinfo=now.tzinfo),
        valid_from=starts,
        valid_until=one_year_after(starts),
        rationale=DEMO_RATIONALE,
        criteria_override=False,  # met today by the demo's own data
        status=AwardStatus.ACTIVE,
        verification_code=new_verification_code(),
    )


DEMO_ENGAGEMENT = {
    EngagementKind.AWARENESS: "Atelier de sensibilisation offert à un commerce voisin (fictif).",
    EngagementKind.IN_KIND: "Don de produits d’hygiène à un organisme partenaire (fictif).",
    EngagementKind.INFORMAL_PARTNERSHIP: (
        "Entente informelle d’accueil rapide avec une maison d’hébergement (fictif)."
    ),
    EngagementKind.MENTORING: (
        "Accompagnement d’un nouveau partenaire de la région dans sa formation (fictif)."
    ),
}


def seed_demo_engagement(providers: list[Organization], now: datetime) -> int:
    """Fictional engagement records, once: two in three demo partners have a confirmed one, and
    one record waits for the coordinating team's confirmation."""
    if db.session.scalar(select(EngagementRecord.id).limit(1)) is not None:
        return 0
    today = local_day(now)
    kinds = list(EngagementKind)
    made = 0
    for index, org in enumerate(providers):
        if index % 3 == 2:
            continue
        kind = kinds[index % len(kinds)]
        db.session.add(
            EngagementRecord(
                organization_id=org.id,
                kind=kind,
                occurred_on=today - timedelta(days=20 + (37 * index) % 300),
                description=DEMO_ENGAGEMENT[kind],
                status=EngagementStatus.SUBMITTED if made == 0 else EngagementStatus.CONFIRMED,
                submitted_at=now - timedelta(days=10),
                reviewed_at=None if made == 0 else now - timedelta(days=5),
            )
        )
        made += 1
    db.session.flush()
    return made
