"""The optional short quiz of a self-paced module.

A module has a quiz when administrators give it a pass mark and at least one question. Provider
staff answer every question at once; only the score is kept. A pass creates the confirmed record
through services.record_completion, as attendance at a session does.

The quiz cannot be replayed to find the right answers by trial: a staff member gets at most
QUIZ_ATTEMPTS_PER_DAY attempts per module in any 24 hours and waits QUIZ_MINUTES_BETWEEN minutes
between two (both in config.py); the result says the score, never which answers were wrong. The
count is read from the stored attempts (shared by every worker) with the person's row locked, so
two posts at once cannot both slip through.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..accounts.models import User
from ..audit.services import record as audit
from ..config import settings
from ..database import utcnow
from ..extensions import db
from ..roles import Role
from .models import QuizAttempt, QuizQuestion, TrainingModule
from .rule import local_day
from .services import TrainingError, record_completion

MAX_CHOICES = 6


def attempts_per_day() -> int:
    return settings().quiz_attempts_per_day


def minutes_between() -> int:
    return settings().quiz_minutes_between


def questions_of(module: TrainingModule) -> list[QuizQuestion]:
    return list(
        db.session.scalars(
            select(QuizQuestion)
            .where(QuizQuestion.module_id == module.id)
            .order_by(QuizQuestion.position, QuizQuestion.id)
        )
    )


def has_quiz(module: TrainingModule) -> bool:
    return module.quiz_pass_percent is not None and bool(questions_of(module))


# --- Administrators -------------------------------------------------------------------------------


def set_pass_mark(module: TrainingModule, percent: int | None, actor: User) -> None:
    """Give the module a quiz pass mark (50 to 100 %), or None to take the quiz away."""
    if percent is not None and not 50 <= percent <= 100:
        raise TrainingError(_l("Give a pass mark from 50 to 100."), "pass_percent")
    module.quiz_pass_percent = percent
    db.session.flush()
    audit(actor, "training.quiz_pass_mark", "training_module", module.id)


def _lines(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def add_question(module: TrainingModule, values: dict, actor: User) -> QuizQuestion:
    """Add a question: choices one per line (2 to 6), the right one by its number (1 = first)."""
    prompt = (values.get("prompt_fr") or "").strip()
    if not prompt:
        raise TrainingError(_l("Write the question in French."), "prompt_fr")
    french, english = _lines(values.get("choices_fr")), _lines(values.get("choices_en"))
    if not 2 <= len(french) <= MAX_CHOICES:
        raise TrainingError(
            _l("Give from 2 to %(max)s choices, one per line.", max=MAX_CHOICES), "choices_fr"
        )
    if english and len(english) != len(french):
        raise TrainingError(
            _l("Give as many English choices as French ones, in the same order."), "choices_en"
        )
    correct = values.get("correct")
    if correct is None or not 1 <= correct <= len(french):
        raise TrainingError(
            _l("Give the number of the right choice, from 1 to %(max)s.", max=len(french)),
            "correct",
        )
    question = QuizQuestion(
        module_id=module.id,
        position=values.get("position") or 0,
        prompt_fr=prompt,
        prompt_en=(values.get("prompt_en") or "").strip() or None,
        choices_fr="\n".join(french),
        choices_en="\n".join(english) or None,
        correct_index=correct - 1,
    )
    db.session.add(question)
    db.session.flush()
    audit(actor, "training.quiz_question_add", "training_module", module.id)
    return question


def delete_question(question: QuizQuestion, actor: User) -> None:
    module_id = question.module_id
    db.session.delete(question)
    db.session.flush()
    audit(actor, "training.quiz_question_delete", "training_module", module_id)


# --- Provider staff -------------------------------------------------------------------------------


@dataclass(frozen=True)
class QuizAllowance:
    """Whether the person may try now, and if not, from when."""

    used_today: int
    allowed: int
    next_at: datetime | None  # None: may try now

    @property
    def left(self) -> int:
        return max(self.allowed - self.used_today, 0)


def allowance(user: User, module: TrainingModule, now: datetime | None = None) -> QuizAllowance:
    now = now or utcnow()
    window = now - timedelta(days=1)
    times = list(
        db.session.scalars(
            select(QuizAttempt.created_at)
            .where(
                QuizAttempt.user_id == user.id,
                QuizAttempt.module_id == module.id,
                QuizAttempt.created_at > window,
            )
            .order_by(QuizAttempt.created_at)
        )
    )
    allowed = attempts_per_day()
    waits = []
    if times:
        waits.append(times[-1] + timedelta(minutes=minutes_between()))
    if len(times) >= allowed:
        waits.append(times[len(times) - allowed] + timedelta(days=1))
    next_at = max(waits) if waits and max(waits) > now else None
    return QuizAllowance(len(times), allowed, next_at)


def submit_answers(
    user: User,
    module: TrainingModule,
    answers: dict[int, int],
    now: datetime | None = None,
) -> QuizAttempt:
    """Score answers ({question id: choice index}); a pass creates the confirmed record."""
    now = now or utcnow()
    pass_mark = module.quiz_pass_percent  # None when the module has no quiz
    if (
        user.role is not Role.PROVIDER
        or not module.active
        or pass_mark is None
        or not has_quiz(module)
    ):
        raise TrainingError(_l("This module has no quiz."))
    # One attempt at a time per person (PostgreSQL row lock; SQLite writes one at a time).
    db.session.execute(select(User.id).where(User.id == user.id).with_for_update())
    if allowance(user, module, now).next_at is not None:
        raise TrainingError(_l("You cannot try the quiz again yet."))
    questions = questions_of(module)
    right = sum(1 for q in questions if answers.get(q.id) == q.correct_index)
    score = round(100 * right / len(questions))
    attempt = QuizAttempt(
        user_id=user.id,
        module_id=module.id,
        created_at=now,
        score_percent=score,
        passed=score >= pass_mark,
    )
    db.session.add(attempt)
    db.session.flush()
    if attempt.passed:
        record = record_completion(user, module, local_day(now), actor=user, now=now)
        attempt.record_id = record.id
        db.session.flush()
    audit(user, "training.quiz_attempt", "training_module", module.id)
    return attempt
