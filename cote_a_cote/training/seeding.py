"""Loading seeds/training_modules.json: the starting modules, and fictional demo staff and records.

In the demo, an organisation's trained badge is never written directly: each demo provider gets
staff and records (complete, incomplete, expired, expiring soon, awaiting confirmation) that lead
the rule to the badge demo_catalogue.json asks for ("is_trained"), then the rule is applied.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select

from ..accounts.models import User
from ..catalogue.models import Organization, OrganizationKind
from ..extensions import db
from ..roles import Role
from ..seeds import read_seed
from .models import (
    ModuleSection,
    QuizQuestion,
    RecordStatus,
    SessionLanguage,
    TrainingModule,
    TrainingRecord,
    TrainingSession,
)
from .rule import local_day, refresh_trained_status
from .services import expiry_for

SEED_FILE = "training_modules.json"
# A relative date is rewritten only when it moved by more than this (as for the demo catalogue).
DATE_TOLERANCE = timedelta(days=1)


def _read() -> dict:
    return read_seed(SEED_FILE)


def load_training_modules() -> int:
    """Create the starting modules missing by code; returns how many. Flushes, never commits.

    A module that exists is left alone: once created, its labels, validity and whether it is
    required belong to the administrators.
    """
    existing = set(db.session.scalars(select(TrainingModule.code)))
    created = 0
    for item in _read()["modules"]:
        if item["code"] in existing:
            continue
        db.session.add(
            TrainingModule(
                code=item["code"],
                name_fr=item["name_fr"],
                name_en=item["name_en"],
                description_fr=item.get("description_fr"),
                description_en=item.get("description_en"),
                validity_months=item.get("validity_months"),
                required=item.get("required", False),
                active=True,
                position=item.get("position", 0),
            )
        )
        created += 1
    db.session.flush()
    load_module_sections()
    load_module_quizzes()
    return created


def load_module_sections() -> int:
    """Give each seeded module that has no content page yet the fictional sections of the seed,
    closed by a section saying the text is fictional demonstration content. Returns how many
    sections were added. A module with content keeps it: it belongs to the administrators."""
    seed = _read()
    notice = seed.get("content_notice")
    with_content = set(db.session.scalars(select(ModuleSection.module_id).distinct()))
    modules = {m.code: m for m in db.session.scalars(select(TrainingModule))}
    added = 0
    for item in seed["modules"]:
        module = modules.get(item["code"])
        if module is None or module.id in with_content or not item.get("sections"):
            continue
        texts = list(item["sections"]) + ([notice] if notice else [])
        for position, text in enumerate(texts, start=1):
            db.session.add(
                ModuleSection(
                    module_id=module.id,
                    position=1000 if text is notice else position * 10,
                    title_fr=text["title_fr"],
                    title_en=text.get("title_en"),
                    body_fr=text["body_fr"],
                    body_en=text.get("body_en"),
                )
            )
            added += 1
    db.session.flush()
    return added


def load_module_quizzes() -> int:
    """Give a seeded self-paced module its fictional quiz when it has neither a pass mark nor a
    question yet (a quiz an administrator set or removed stays theirs). Returns how many."""
    modules = {m.code: m for m in db.session.scalars(select(TrainingModule))}
    with_questions = set(db.session.scalars(select(QuizQuestion.module_id).distinct()))
    loaded = 0
    for item in _read()["modules"]:
        module, quiz = modules.get(item["code"]), item.get("quiz")
        if module is None or not quiz or module.id in with_questions:
            continue
        if module.quiz_pass_percent is not None:
            continue
        module.quiz_pass_percent = quiz["pass_percent"]
        for position, question in enumerate(quiz["questions"], start=1):
            db.session.add(
                QuizQuestion(
                    module_id=module.id,
                    position=position * 10,
                    prompt_fr=question["prompt_fr"],
                    prompt_en=question.get("prompt_en"),
                    choices_fr="\n".join(question["choices_fr"]),
                    choices_en="\n".join(question.get("choices_en") or []) or None,
                    correct_index=question["correct"] - 1,
                )
            )
        loaded += 1
    db.session.flush()
    return loaded


def seed_demo_sessions(now: datetime) -> int:
    """Fictional upcoming sessions for the demo, dated from now; none when any session exists."""
    from .sessions import local_moment

    if db.session.scalar(select(TrainingSession.id).limit(1)) is not None:
        return 0
    modules = {m.code: m for m in db.session.scalars(select(TrainingModule))}
    today = local_day(now)
    created = 0
    for item in _read().get("demo_sessions", {}).get("sessions", []):
        module = modules.get(item["module"])
        if module is None or not module.active:
            continue
        day = today + timedelta(days=item["in_days"])
        db.session.add(
            TrainingSession(
                module_id=module.id,
                starts_at=local_moment(day, time.fromisoformat(item["starts"])),
                ends_at=local_moment(day, time.fromisoformat(item["ends"])),
                place=item.get("place"),
                online_url=item.get("online_url"),
                seats=item["seats"],
                language=SessionLanguage(item["language"]),
                created_at=now,
            )
        )
        created += 1
    db.session.flush()
    return created


# --- Demo staff and records ---------------------------------------------------------------------


@dataclass
class DemoTrainingReport:
    staff_created: int = 0
    records_created: int = 0
    records_updated: int = 0
    trained: int = 0
    changed: int = 0
    sessions_created: int = 0


# (module index or code, days since completion, status) for one person.
Plan = list[tuple[str, int, RecordStatus]]
C, D = RecordStatus.CONFIRMED, RecordStatus.DECLARED


def _number(key: str) -> int:
    return int(key.rsplit("-", 1)[-1])


def _plans(n: int, trained: bool, required: list[str], demo_account: bool) -> list[Plan]:
    """The records of each staff member of demo organisation number n (fixed, varied by n)."""
    if demo_account:
        # The demo provider account: complete, one module expiring soon, one declaration waiting.
        plan = [(code, 30 + 7 * i, C) for i, code in enumerate(required)]
        plan[0] = (required[0], 325, C)
        return [plan + [("immigrant_racialised", 10, D)]]
    if trained:
        people = []
        for i in range(2 if n % 4 == 0 else 1):
            base = 20 + (n * 47 + i * 13) % 270
            plan = [(code, base + 3 * j, C) for j, code in enumerate(required)]
            if n % 6 == 0 and i == 0:
                plan[0] = (required[0], 320, C)  # expires within the warning period
            if n % 3 == 0:
                plan.append(("immigrant_racialised", base, C))
            if n % 5 == 0:
                plan.append(("first_nations_inuit", base, C))
            people.append(plan)
        return people
    variant = n % 4
    if variant == 0 or not required:
        return []  # nobody on the platform yet
    if variant == 1:
        return [[(code, 60, C) for code in required[:3]]]  # modules missing
    if variant == 2:
        return [[(code, 400 if code == required[-1] else 90, C) for code in required]]  # expired
    return [[(code, 45, C) for code in required[:-1]] + [(required[-1], 5, D)]]  # awaiting


def seed_demo_training(
    entries: list[dict],
    orgs: dict[str, Organization],
    accounts: list[dict],
    now: datetime,
    echo: Callable[[str], Any] = print,
) -> DemoTrainingReport:
    """Give demo providers fictional staff and records, then apply the rule. Flushes only."""
    load_training_modules()
    report = DemoTrainingReport()
    loader = _DemoTraining(now, report)
    account_emails = {a["organization"]: a["email"] for a in accounts if a["role"] == "provider"}
    for entry in entries:
        if entry["kind"] != OrganizationKind.PROVIDER.value:
            continue
        org = orgs[entry["key"]]
        n = _number(entry["key"])
        plans = _plans(n, entry.get("is_trained", False), loader.required, demo_account=False)
        for index, plan in enumerate(plans, start=1):
            loader.person(loader.staff_member(org, n, index), plan)
        if entry["key"] in account_emails:
            account = loader.users.get(account_emails[entry["key"]])
            if account is not None and account.role is Role.PROVIDER:
                trained = entry.get("is_trained", False)
                for plan in _plans(n, trained, loader.required, demo_account=trained)[:1]:
                    loader.person(account, plan)
    db.session.flush()
    report.sessions_created = seed_demo_sessions(now)
    report.changed = refresh_trained_status(now)
    report.trained = sum(
        1 for entry in entries if entry["kind"] == "provider" and orgs[entry["key"]].is_trained
    )
    echo(
        f"Training (fictional): {report.staff_created} demo staff and {report.records_created} "
        f"records created, {report.records_updated} updated; {report.trained} providers trained; "
        f"{report.sessions_created} sessions planned."
    )
    return report


class _DemoTraining:
    def __init__(self, now: datetime, report: DemoTrainingReport) -> None:
        self.now = now
        self.today = local_day(now)
        self.report = report
        seed = _read()["demo"]
        self.domain = seed["email_domain"]
        self.names = seed["staff_names"]
        self.modules = {m.code: m for m in db.session.scalars(select(TrainingModule))}
        self.required = [
            m.code
            for m in sorted(self.modules.values(), key=lambda m: (m.position, m.id))
            if m.required and m.active
        ]
        self.users = {
            u.email: u
            for u in db.session.scalars(select(User).where(User.email.like(f"%@{self.domain}")))
        }
        self.records: dict[tuple[int, int], TrainingRecord] = {}
        ids = [u.id for u in self.users.values() if u.id is not None]
        for record in db.session.scalars(
            select(TrainingRecord)
            .where(TrainingRecord.user_id.in_(ids))
            .order_by(TrainingRecord.id)
        ):
            self.records[(record.user_id, record.module_id)] = record  # the latest one wins
        self.admin = next((u for u in self.users.values() if u.role is Role.ADMIN), None)

    def staff_member(self, org: Organization, n: int, index: int) -> User:
        email = f"personnel.{n:03d}.{index}@{self.domain}"
        user = self.users.get(email)
        if user is None:
            user = User(
                email=email,
                name=self.names[(n + index) % len(self.names)],
                password_hash=None,  # a name on a roster: nobody signs in with it
                role=Role.PROVIDER,
                organization=org,
            )
            db.session.add(user)
            db.session.flush()
            self.users[email] = user
            self.report.staff_created += 1
        return user

    def person(self, user: User, plan: Plan) -> None:
        for code, days, status in plan:
            module = self.modules.get(code)
            if module is None:
                continue
            completed_on = self.today - timedelta(days=days)
            record = self.records.get((user.id, module.id))
            if record is None:
                self._create(user, module, completed_on, status)
            elif abs(record.completed_on - completed_on) > DATE_TOLERANCE:
                self._move(record, module, completed_on)

    def _create(self, user: User, module: TrainingModule, on: date, status: RecordStatus) -> None:
        when = self.now - (self.today - on)
        record = TrainingRecord(
            user_id=user.id,
            module_id=module.id,
            completed_on=on,
            expires_on=expiry_for(module, on),
            evidence_note="Attestation de participation (démo)",
            status=status,
            created_at=when,
        )
        if status is RecordStatus.DECLARED:
            record.declared_by_id = user.id
        else:
            record.confirmed_by_id = self.admin.id if self.admin else None
            record.confirmed_at = when
        db.session.add(record)
        self.records[(user.id, module.id)] = record
        self.report.records_created += 1

    def _move(self, record: TrainingRecord, module: TrainingModule, on: date) -> None:
        """A later load keeps the same story: dates stay as far in the past as the plan says."""
        record.completed_on = on
        expires_on = expiry_for(module, on)
        if record.expires_on != expires_on:
            record.expires_on = expires_on
            record.expiry_notice_sent_at = None
        self.report.records_updated += 1
