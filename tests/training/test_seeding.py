"""Starting modules load idempotently; the demo's trained badges follow from its records."""

from __future__ import annotations

from sqlalchemy import func, select

from cote_a_cote.accounts.models import User
from cote_a_cote.catalogue.models import Organization, OrganizationKind
from cote_a_cote.database import utcnow
from cote_a_cote.demo.seeding import seed_demo
from cote_a_cote.extensions import db
from cote_a_cote.roles import Role
from cote_a_cote.seeds import read_seed
from cote_a_cote.training import services
from cote_a_cote.training.models import RecordStatus, TrainingModule, TrainingRecord
from cote_a_cote.training.seeding import load_training_modules
from tests.training.conftest import REQUIRED


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_starting_modules_load_once_and_stay_the_administrators(reference):
    modules = db.session.scalars(select(TrainingModule).order_by(TrainingModule.position)).all()
    assert len(modules) == 10
    assert tuple(m.code for m in modules if m.required) == REQUIRED
    assert all(m.validity_months in (12, 24) and m.active for m in modules)
    assert all(m.name_fr and m.name_en and m.description_fr and m.description_en for m in modules)
    assert modules[6].name_en == "First Nations and Inuit realities"
    # The coordinators' programme (issue 17 §2), optional so the trained rule is unchanged.
    assert [m.code for m in modules[7:]] == [
        "crisis_intervention",
        "motivational_interviewing",
        "criminal_networks_recruitment",
    ]

    modules[0].required = False
    modules[0].name_fr = "Nom choisi par l'équipe"
    db.session.commit()
    assert load_training_modules() == 0
    db.session.commit()
    assert _count(TrainingModule) == 10
    assert not modules[0].required and modules[0].name_fr == "Nom choisi par l'équipe"


def test_demo_badges_are_the_rule_applied_to_the_demo_records(app, demo_data):
    today = services.local_day(utcnow())
    providers = db.session.scalars(
        select(Organization).where(Organization.kind == OrganizationKind.PROVIDER)
    ).all()
    rule = services.trained_by_organization(None, today)
    assert {o.id: o.is_trained for o in providers} == rule
    wanted = {e["key"]: e["is_trained"] for e in read_seed("demo_catalogue.json")["organizations"]}
    assert {o.external_id: o.is_trained for o in providers} == wanted
    assert all(o.trained_checked_at is not None for o in providers)

    # Varied: trained or not, listed or not, expiring soon, declarations waiting.
    assert any(o.is_listed and o.is_trained for o in providers)
    assert any(o.is_listed and not o.is_trained for o in providers)
    expiring = db.session.scalars(services.expiring_query(today)).all()
    assert any(r.module.required and r.user.organization.is_trained for r in expiring)
    assert db.session.scalar(
        select(func.count(TrainingRecord.id)).where(TrainingRecord.status == RecordStatus.DECLARED)
    )
    reasons = {
        s.state for o in providers for p in services.missing_for(o, today).staff for s in p.modules
    }
    assert reasons == set(services.ModuleState)
    assert any(not services.staff_of(o) for o in providers)

    account = db.session.scalar(
        select(User).where(User.email == "pourvoyeur@demo.cote-a-cote.invalid")
    )
    progress = services.missing_for(account.organization, today)
    assert progress.is_trained
    mine = next(p for p in progress.staff if p.user.id == account.id)
    assert any(m.state is services.ModuleState.EXPIRING for m in mine.modules)
    demo_staff = db.session.scalars(
        select(User).where(User.email.like("personnel.%@demo.cote-a-cote.invalid"))
    ).all()
    assert demo_staff and all(
        u.password_hash is None and u.role is Role.PROVIDER for u in demo_staff
    )

    counts = (_count(User), _count(TrainingRecord))
    seed_demo(echo=lambda _line: None)
    db.session.commit()
    assert (_count(User), _count(TrainingRecord)) == counts
    assert {o.id: o.is_trained for o in providers} == rule


def test_every_module_has_fictional_content_loaded_once(reference):
    from cote_a_cote.training.models import ModuleSection
    from cote_a_cote.training.seeding import load_module_sections
    from cote_a_cote.training.sessions import sections_of

    modules = db.session.scalars(select(TrainingModule)).all()
    for module in modules:
        sections = sections_of(module)
        assert len(sections) >= 3, module.code
        assert all(s.title_fr and s.title_en and s.body_fr and s.body_en for s in sections)
        assert sections[-1].title_fr == "À propos de ce contenu"
        assert "fictif" in sections[-1].body_fr and "Fictional" in sections[-1].body_en
    wheel = sections_of(next(m for m in modules if m.code == "exit_harm_reduction"))
    assert wheel[0].title_en == "The wheel of change" and "precontemplation" in wheel[0].body_en
    # A second load adds nothing; content an administrator changed stays theirs.
    wheel[0].body_fr = "Texte revu par l'équipe."
    db.session.commit()
    total = _count(ModuleSection)
    assert load_module_sections() == 0
    assert _count(ModuleSection) == total and wheel[0].body_fr == "Texte revu par l'équipe."


def test_the_demo_plans_fictional_sessions_once(app, demo_data):
    from cote_a_cote.training.models import TrainingSession
    from cote_a_cote.training.sessions import upcoming_sessions

    planned = upcoming_sessions()
    assert len(planned) == 3 and all(s.place or s.online_url for s in planned)
    assert all(".invalid/" in s.online_url for s in planned if s.online_url)
    seed_demo(echo=lambda _line: None)
    db.session.commit()
    assert _count(TrainingSession) == 3


def test_the_self_paced_demo_module_has_a_fictional_quiz_loaded_once(reference):
    from cote_a_cote.training import quiz
    from cote_a_cote.training.models import QuizQuestion
    from cote_a_cote.training.seeding import load_module_quizzes

    module = db.session.scalar(
        select(TrainingModule).where(TrainingModule.code == "motivational_interviewing")
    )
    assert quiz.has_quiz(module) and module.quiz_pass_percent == 80
    questions = quiz.questions_of(module)
    assert len(questions) == 3
    assert all(len(q.choices("fr")) == len(q.choices("en")) == 3 for q in questions)
    assert questions[0].choices("en")[questions[0].correct_index] == "The person themself"
    assert not any(
        quiz.has_quiz(m) for m in db.session.scalars(select(TrainingModule)) if m is not module
    )
    # An administrator who takes the quiz away keeps it away.
    module.quiz_pass_percent = None
    db.session.commit()
    assert load_module_quizzes() == 0 and _count(QuizQuestion) == 3
    assert module.quiz_pass_percent is None
