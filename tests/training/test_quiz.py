"""Issue 17 §2: the optional quiz of a self-paced module: a pass mark, a pass that records the
module, and retries limited so the quiz cannot be replayed to find the answers. Fictional names."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from cote_a_cote.database import utcnow
from cote_a_cote.extensions import db
from cote_a_cote.roles import Role
from cote_a_cote.training import quiz
from cote_a_cote.training.models import QuizAttempt, RecordStatus, TrainingRecord
from cote_a_cote.training.services import TrainingError
from tests.conftest import login


@pytest.fixture
def module(modules):
    return modules["criminal_networks_recruitment"]  # no seeded quiz


@pytest.fixture
def admin_client(app, make_user, modules):
    admin = make_user(role=Role.ADMIN, name="Coordination Kappa")
    other = app.test_client()
    assert login(other, admin).status_code == 302
    other.user = admin
    return other


@pytest.fixture
def with_quiz(admin_client, module):
    """Two questions and a pass mark of 100 %, entered through the administrators' page."""
    url = f"/admin/formation/modules/{module.id}"
    for prompt, choices, right in (
        ("Qui recrute souvent ?", "Une personne de confiance\nUn inconnu\nPersonne", "1"),
        ("Que faire d’un signe ?", "Interroger\nOffrir de l’aide", "2"),
    ):
        data = {"prompt_fr": prompt, "choices_fr": choices, "correct": right}
        assert admin_client.post(f"{url}/quiz/questions", data=data).status_code == 302
    assert admin_client.post(f"{url}/quiz", data={"pass_percent": "100"}).status_code == 302
    db.session.expire_all()
    return quiz.questions_of(module)


@pytest.fixture
def member(client, make_org, staff):
    user = staff(make_org("Clinique Fictive Kappa"), name="Alexis Kappa")
    assert login(client, user).status_code == 302
    return user


def _answers(questions, right: bool) -> dict:
    return {
        f"q{q.id}": str(q.correct_index if right else (q.correct_index + 1) % 2) for q in questions
    }


def test_question_input_is_checked_and_kept(admin_client, module):
    url = f"/admin/formation/modules/{module.id}/quiz/questions"
    data = {"prompt_fr": "Question fictive ?", "choices_fr": "Une seule", "correct": "1"}
    page = admin_client.post(url, data=data).get_data(as_text=True)
    assert "Indiquez de 2 à 6 choix, un par ligne." in page
    assert 'value="Question fictive ?"' in page
    data = {"prompt_fr": "Question fictive ?", "choices_fr": "Oui\nNon", "correct": "3"}
    page = admin_client.post(url, data=data).get_data(as_text=True)
    assert "Indiquez le numéro du bon choix, de 1 à 2." in page
    refused = admin_client.post(
        f"/admin/formation/modules/{module.id}/quiz", data={"pass_percent": "20"}
    )
    assert "Indiquez une note de passage de 50 à 100." in refused.get_data(as_text=True)
    assert quiz.questions_of(module) == [] and module.quiz_pass_percent is None


def test_a_pass_records_the_module_and_a_fail_does_not(client, member, module, with_quiz):
    url = f"/portail/formation/modules/{module.id}"
    page = client.get(url).get_data(as_text=True)
    assert "Qui recrute souvent ?" in page and "La note de passage est de 100 %" in page

    unanswered = client.post(f"{url}/quiz", data={f"q{with_quiz[0].id}": "0"})
    assert "Choisissez une réponse." in unanswered.get_data(as_text=True)
    assert db.session.scalar(select(QuizAttempt.id)) is None

    failed = client.post(f"{url}/quiz", data=_answers(with_quiz, right=False))
    text = failed.get_data(as_text=True)
    assert "Votre résultat : 0 %." in text and "sous la note de passage de 100 %" in text
    assert db.session.scalar(select(TrainingRecord.id)) is None

    later = utcnow() + timedelta(minutes=16)
    attempt = quiz.submit_answers(
        member, module, {q.id: q.correct_index for q in with_quiz}, now=later
    )
    db.session.commit()
    assert attempt.passed and attempt.score_percent == 100
    record = db.session.get(TrainingRecord, attempt.record_id)
    assert record.status is RecordStatus.CONFIRMED and record.module_id == module.id
    assert record.user_id == member.id


def test_retries_are_limited_so_the_quiz_cannot_be_brute_forced(client, member, module, with_quiz):
    url = f"/portail/formation/modules/{module.id}/quiz"
    assert client.post(url, data=_answers(with_quiz, right=False)).status_code == 200
    again = client.post(url, data=_answers(with_quiz, right=True), follow_redirects=True)
    assert "Vous ne pouvez pas encore refaire le questionnaire." in again.get_data(as_text=True)
    assert len(db.session.scalars(select(QuizAttempt)).all()) == 1
    assert db.session.scalar(select(TrainingRecord.id)) is None

    # Three attempts in 24 hours, fifteen minutes apart at least; the fourth waits a day.
    start = utcnow()
    for minutes in (20, 40):
        quiz.submit_answers(member, module, {}, now=start + timedelta(minutes=minutes))
    with pytest.raises(TrainingError):
        quiz.submit_answers(member, module, {}, now=start + timedelta(hours=5))
    allowance = quiz.allowance(member, module, now=start + timedelta(hours=5))
    assert allowance.left == 0 and allowance.next_at > start + timedelta(hours=23)
    right = {q.id: q.correct_index for q in with_quiz}
    assert quiz.submit_answers(member, module, right, now=start + timedelta(days=1, minutes=1))


def test_a_module_without_quiz_takes_no_answers(client, member, modules):
    module = modules["trauma_informed"]
    assert client.post(f"/portail/formation/modules/{module.id}/quiz", data={}).status_code == 404
    with pytest.raises(TrainingError):
        quiz.submit_answers(member, module, {})
