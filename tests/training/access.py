"""Access-matrix rows and world objects for delivered training (issue 17 §2).

The world's enrolment belongs to the world's provider, not to the signed-in provider's
organisation: cancelling it answers 404 to that one. Sessions and content pages are not any
organisation's: every provider reads them.
"""

from __future__ import annotations

LOGIN = "login"


def admin_only(code):
    return {"anonymous": LOGIN, "intervenante": 403, "provider": 403, "admin": code}


def provider_only(code):
    return {"anonymous": LOGIN, "intervenante": 403, "provider": code, "admin": 403}


ROWS: dict[tuple[str, str], dict[str, int | str]] = {
    ("GET", "training_sessions.admin_list"): admin_only(200),
    ("GET", "training_sessions.new_session"): admin_only(200),
    ("POST", "training_sessions.new_session"): admin_only(200),  # empty: shown again
    ("GET", "training_sessions.edit_session"): admin_only(200),
    ("POST", "training_sessions.edit_session"): admin_only(200),
    ("GET", "training_sessions.admin_session"): admin_only(200),
    ("POST", "training_sessions.attendance"): admin_only(302),  # nothing chosen: a message
    ("GET", "training_sessions.admin_content"): admin_only(200),
    ("POST", "training_sessions.admin_content"): admin_only(200),
    ("GET", "training_sessions.edit_section"): admin_only(200),
    ("POST", "training_sessions.edit_section"): admin_only(302),  # nothing sent: unchanged
    ("POST", "training_sessions.delete_section"): admin_only(302),
    ("GET", "training_sessions.module_page"): provider_only(200),
    ("GET", "training_sessions.provider_session"): provider_only(200),
    ("POST", "training_sessions.enrol"): provider_only(200),  # nobody chosen: shown again
    ("POST", "training_sessions.cancel"): provider_only(404),
    ("POST", "training_sessions.pass_mark"): admin_only(302),  # empty: the quiz is taken away
    ("POST", "training_sessions.add_question"): admin_only(200),  # empty: shown again
    ("POST", "training_sessions.delete_question"): admin_only(302),
    ("POST", "training_sessions.answer_quiz"): provider_only(404),  # the module has no quiz
    ("POST", "training_sessions.cancel_session"): admin_only(200),  # no reason: shown again
    # The world's record (and its certificate) is another organisation's: 404 to the provider.
    ("GET", "training.download_evidence"): {
        "anonymous": LOGIN,
        "intervenante": 403,
        "provider": 404,
        "admin": 200,
    },
}


def world(provider_org, service, make_user) -> dict:
    """A session of the first module, a content section, and an enrolment of the world's staff."""
    from datetime import timedelta

    from cote_a_cote.database import utcnow
    from cote_a_cote.extensions import db
    from cote_a_cote.roles import Role
    from cote_a_cote.training.models import (
        ModuleSection,
        QuizQuestion,
        SessionEnrolment,
        TrainingModule,
        TrainingSession,
    )

    module = db.session.scalars(db.select(TrainingModule)).first()
    start = utcnow() + timedelta(days=10)
    session = TrainingSession(
        module_id=module.id,
        starts_at=start,
        ends_at=start + timedelta(hours=3),
        place="Salle fictive",
        seats=10,
    )
    section = ModuleSection(module_id=module.id, title_fr="Section fictive", body_fr="Texte.")
    member = make_user(
        role=Role.PROVIDER, organization=provider_org, email="sessions-staff@example.org"
    )
    question = QuizQuestion(
        module_id=module.id, prompt_fr="Question fictive ?", choices_fr="Oui\nNon", correct_index=0
    )
    db.session.add_all([session, section, question])
    db.session.flush()
    enrolment = SessionEnrolment(session_id=session.id, user_id=member.id)
    db.session.add(enrolment)
    _attach_evidence_to_the_declaration()
    db.session.commit()
    return {
        "session_id": session.id,
        "section_id": section.id,
        "enrolment_id": enrolment.id,
        "question_id": question.id,
    }


def _attach_evidence_to_the_declaration() -> None:
    """The world's declared record (made by the main matrix) gets a PDF certificate."""
    from cote_a_cote.extensions import db
    from cote_a_cote.training.models import RecordStatus, TrainingRecord
    from cote_a_cote.uploads import services as uploads
    from cote_a_cote.uploads.models import OwnerKind
    from tests.uploads.files import PDF, upload

    record = db.session.scalars(
        db.select(TrainingRecord).where(TrainingRecord.status == RecordStatus.DECLARED)
    ).first()
    uploads.save_upload(upload(PDF), OwnerKind.TRAINING_EVIDENCE, record.id)
