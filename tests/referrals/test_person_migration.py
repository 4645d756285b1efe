"""The person-code migration turns each existing referral into one person keeping its code."""

from __future__ import annotations

from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from tests.migrating import migrated_database

REVISION = "c4d2a7e91f30"
BEFORE = "5e1a7c0d2b9f"


def _referral(conn, referral_id: int, code: str, user_id: int, org_id: int) -> None:
    conn.execute(
        text(
            "INSERT INTO referral (id, code, version, provider_organization_id, "
            "referring_user_id, referring_organization_id, status, status_changed_at, "
            "preferred_language, fast_track, accompanied, contact_mode, consent_share_contact, "
            "consent_share_briefing, created_at) VALUES (:id, :code, 1, 90, :user, :org, "
            "'completed', '2025-01-02 10:00:00', 'fr', 0, 0, 'through_intervenante', 0, 0, "
            "'2025-01-02 09:00:00')"
        ),
        {"id": referral_id, "code": code, "user": user_id, "org": org_id},
    )


def test_each_existing_referral_becomes_one_person_with_its_code(app, tmp_path):
    # Always on a SQLite file of its own (foreign keys are not enforced there, so the test
    # needs no users or organisations), whatever database the suite runs on.
    url = f"sqlite:///{tmp_path / 'person-migration.sqlite3'}"
    with migrated_database(app, url) as engine:
        upgrade(revision=BEFORE)
        with engine.begin() as conn:
            _referral(conn, 1, "AAAA-BBBB", 7, 3)
            _referral(conn, 2, "CCCC-DDDD", 8, 4)
        upgrade(revision=REVISION)
        with engine.connect() as conn:
            persons = conn.execute(
                text("SELECT id, code, owner_id, organization_id FROM person ORDER BY id")
            ).all()
            links = conn.execute(text("SELECT id, person_id FROM referral ORDER BY id")).all()
        assert [tuple(p) for p in persons] == [(1, "AAAA-BBBB", 7, 3), (2, "CCCC-DDDD", 8, 4)]
        assert [tuple(link) for link in links] == [(1, 1), (2, 2)]
        # And back: each referral gets its code again.
        downgrade(revision=BEFORE)
        with engine.connect() as conn:
            codes = conn.execute(text("SELECT id, code FROM referral ORDER BY id")).all()
        assert [tuple(c) for c in codes] == [(1, "AAAA-BBBB"), (2, "CCCC-DDDD")]
