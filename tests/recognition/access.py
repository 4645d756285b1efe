"""Access-matrix rows and world objects for the recognition routes.

Merged by tests/test_access_matrix.py (and so checked by tests/test_accessibility.py too).
The world's award belongs to the world's provider, not to the signed-in provider's organisation:
that one holds no award, so its certificate answers 404. Forms posted empty show themselves again
(200); a level posted with nothing is saved unchanged (302). The badge of the world's current award
is an SVG file for everyone (tests/recognition/test_documents.py covers its content).
"""

from __future__ import annotations

LOGIN = "login"


def everyone(code):
    return {"anonymous": code, "intervenante": code, "provider": code, "admin": code}


def admin_only(code):
    return {"anonymous": LOGIN, "intervenante": 403, "provider": 403, "admin": code}


def portal_only(code):
    return {"anonymous": LOGIN, "intervenante": 403, "provider": code, "admin": 403}


# (method, endpoint) -> expected answer per role, as in tests/test_access_matrix.py.
ROWS: dict[tuple[str, str], dict[str, int | str]] = {
    ("GET", "recognition.admin_index"): admin_only(200),
    ("GET", "recognition.new_level"): admin_only(200),
    ("POST", "recognition.new_level"): admin_only(200),
    ("GET", "recognition.edit_level"): admin_only(200),
    ("POST", "recognition.edit_level"): admin_only(302),
    ("GET", "recognition.admin_organization"): admin_only(200),
    ("POST", "recognition.award"): admin_only(200),
    ("POST", "recognition.renew"): admin_only(200),
    ("POST", "recognition.withdraw"): admin_only(200),
    ("GET", "recognition.partner_page"): portal_only(200),
    ("POST", "recognition.set_visibility"): portal_only(302),
    ("GET", "recognition.certificate"): portal_only(404),
    ("GET", "recognition.public_page"): everyone(200),
    ("GET", "recognition.badge"): everyone(200),
    ("GET", "recognition.verify"): everyone(200),
    # Engagement records (issue 17 §3): an empty record is refused (400); the signed-in
    # provider's organisation holds no award, so it has no poster; the world's record is
    # submitted, and an administrator's decision redirects to the queue.
    ("POST", "recognition.submit_engagement"): portal_only(400),
    ("GET", "recognition.display_material"): portal_only(404),
    ("GET", "recognition.engagement_queue"): admin_only(200),
    ("POST", "recognition.review_engagement"): admin_only(302),
}


def world(provider_org, service, make_user) -> dict:
    """A level (from the reference data) and a current award of the world's provider."""
    from sqlalchemy import select

    from cote_a_cote.database import utcnow
    from cote_a_cote.extensions import db
    from cote_a_cote.recognition.models import (
        AwardStatus,
        EngagementKind,
        EngagementRecord,
        RecognitionAward,
        RecognitionLevel,
    )
    from cote_a_cote.recognition.services import new_verification_code, one_year_after
    from cote_a_cote.training.rule import local_day

    level = db.session.scalars(select(RecognitionLevel).order_by(RecognitionLevel.rank)).first()
    today = local_day(utcnow())
    award = RecognitionAward(
        organization_id=provider_org.id,
        level_id=level.id,
        year=today.year,
        valid_from=today,
        valid_until=one_year_after(today),
        rationale="Matrice",
        status=AwardStatus.ACTIVE,
        verification_code=new_verification_code(),
    )
    db.session.add(award)
    record = EngagementRecord(
        organization_id=provider_org.id,
        kind=EngagementKind.AWARENESS,
        occurred_on=today,
        description="Matrice",
    )
    db.session.add(record)
    db.session.commit()
    return {
        "level_id": level.id,
        "award_id": award.id,
        "code": award.verification_code,
        "recognition.review_engagement": {"record_id": record.id, "decision": "refuser"},
    }
