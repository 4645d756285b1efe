"""seed-demo's work: each feature's reference data, then each feature's demo rows, in order."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..accounts.seeding import seed_demo_accounts
from ..catalogue.seeding import load_catalogue_reference_data, seed_demo_catalogue
from ..extensions import db
from ..feedback.seeding import seed_demo_answers
from ..helplines.services import load_helplines, seed_demo_listings
from ..recognition.seeding import load_recognition_levels, seed_demo_recognition
from ..referrals.seeding import seed_demo_referrals
from ..reporting.seeding import seed_demo_highlights
from ..training.seeding import load_training_modules, seed_demo_training


def load_reference_data() -> None:
    """Upsert taxonomies, terms and regions, add missing training modules, recognition levels
    and help lines; flushes only."""
    load_catalogue_reference_data()
    load_training_modules()
    load_recognition_levels()
    load_helplines()
    db.session.flush()


@dataclass
class SeedReport:
    """What seed_demo loaded: counts from the demo file and the demo accounts' e-mails."""

    organizations: int = 0
    providers: int = 0
    services: int = 0
    created: int = 0
    updated: int = 0
    accounts_created: list[str] = field(default_factory=list)
    accounts_existing: list[str] = field(default_factory=list)


def seed_demo(echo: Callable[[str], Any] = print, reset_passwords: bool = False) -> SeedReport:
    """Load reference data, the demo catalogue (by stable key) and demo accounts; flushes only.

    A demo account's generated password is echoed once, when the account is created (or when
    reset_passwords asks for new ones); it is never stored in clear.
    """
    load_reference_data()
    echo("Reference data loaded (taxonomies, terms, regions).")
    catalogue = seed_demo_catalogue(echo)
    accounts = seed_demo_accounts(catalogue.accounts, catalogue.orgs, echo, reset_passwords)
    orgs, now = catalogue.orgs, catalogue.now
    # Training badges follow from fictional staff records, never from the file directly.
    seed_demo_training(catalogue.entries, orgs, catalogue.accounts, now, echo)
    # Referrals before recognition: its criteria count them.
    seed_demo_referrals(orgs, now, echo)
    seed_demo_recognition(orgs, now, echo)
    seed_demo_answers()  # the people's own say about the demo referrals
    seed_demo_listings(orgs)
    seed_demo_highlights(now)
    return SeedReport(
        organizations=len(catalogue.entries),
        providers=catalogue.providers,
        services=catalogue.services,
        created=catalogue.created,
        updated=catalogue.updated,
        accounts_created=accounts.created,
        accounts_existing=accounts.existing,
    )
