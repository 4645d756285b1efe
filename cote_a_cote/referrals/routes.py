"""The intervenante's side of referrals: refer, consent and send, follow, close, evaluate, print.

Every page showing a referral writes one audit event (services.record_view); every action is a
POST that calls one service (which writes its own event) and commits once.
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import and_, case, exists, func, or_, select
from sqlalchemy.orm import aliased

from ..catalogue import services as catalogue
from ..catalogue.models import Service, Taxonomy, TaxonomyTerm
from ..config import settings
from ..confirmation import ask, confirmed
from ..converters import db_id
from ..database import utcnow
from ..errors import attempt
from ..extensions import db
from ..i18n import current_locale
from ..roles import Role, role_required
from . import handout as sheet
from . import services
from .forms import (
    OUTCOME_LABELS,
    ActionForm,
    ConsentForm,
    DraftForm,
    EvaluationForm,
    NotCompleteForm,
    PersonDeclinedForm,
    ReferralForm,
    RerouteForm,
)
from .models import DeclinedBy, Person, Referral, ReferralEvaluation, ReferralStatus
from .transitions import Action, allowed_actions
from .visibility import (
    get_person_for,
    get_referral_for,
    person_referrals,
    visible_persons_query,
    visible_query,
)

bp = Blueprint("referrals", __name__)

PER_PAGE = 25
REROUTE_CHOICES = 20
S = ReferralStatus

STATUS_LABELS = {
    S.DRAFT: _l("Draft: not sent"),
    S.SENT: _l("Sent"),
    S.RECEIVED: _l("Opened by the provider"),
    S.ACCEPTED: _l("Accepted"),
    S.WAITLISTED: _l("On the waiting list"),
    S.DECLINED: _l("Declined"),
    S.IN_PROGRESS: _l("In progress"),
    S.COMPLETED: _l("Completed"),
    S.NOT_COMPLETED: _l("Not completed"),
    S.WITHDRAWN: _l("Withdrawn"),
}
# The list's groups, most urgent first.
GROUPS = (
    _l("To follow up"),
    _l("Answered by the provider"),
    _l("To evaluate"),
    _l("In progress"),
    _l("Drafts: not sent"),
    _l("Waiting for an answer"),
    _l("Closed"),
)


@bp.app_context_processor
def referral_helpers() -> dict:
    return {"referrals_needing_attention": referrals_needing_attention}


def _group_rank():
    """The list group of each referral (an index into GROUPS), as a SQL expression."""
    rerouted = aliased(Referral)
    was_rerouted = exists().where(rerouted.rerouted_from_id == Referral.id)
    evaluated = exists().where(ReferralEvaluation.referral_id == Referral.id)
    open_statuses = (S.SENT, S.RECEIVED, S.ACCEPTED, S.WAITLISTED, S.IN_PROGRESS)
    return case(
        (
            or_(
                and_(
                    Referral.status.in_((S.SENT, S.RECEIVED)),
                    Referral.overdue_flagged_at.is_not(None),
                ),
                and_(Referral.status.in_(open_statuses), Referral.reroute_flagged_at.is_not(None)),
            ),
            0,
        ),
        (Referral.status.in_((S.ACCEPTED, S.WAITLISTED)), 1),
        (and_(Referral.status == S.DECLINED, ~was_rerouted), 1),
        (and_(Referral.status.in_((S.COMPLETED, S.NOT_COMPLETED)), ~evaluated), 2),
        (Referral.status == S.IN_PROGRESS, 3),
        (Referral.status == S.DRAFT, 4),
        (Referral.status.in_((S.SENT, S.RECEIVED)), 5),
        else_=6,
    )


def referrals_needing_attention() -> int:
    """How many of the signed-in intervenante's visible referrals sit in the first three groups."""
    if not current_user.is_authenticated or current_user.role is not Role.INTERVENANTE:
        return 0
    query = visible_query(current_user).where(_group_rank() <= 2)
    return db.session.scalar(select(func.count()).select_from(query.subquery())) or 0


@bp.get("/")
@role_required(Role.INTERVENANTE)
def index():
    query = visible_query(current_user).order_by(
        _group_rank(), Referral.status_changed_at.desc(), Referral.id.desc()
    )
    page = db.paginate(query, per_page=PER_PAGE, error_out=False)
    ids = [referral.id for referral in page.items]
    group_of: dict[int, int] = dict(
        db.session.execute(select(Referral.id, _group_rank()).where(Referral.id.in_(ids))).all()
    )
    return render_template(
        "referrals/index.html",
        page=page,
        group_of=group_of,
        groups=GROUPS,
        status_labels=STATUS_LABELS,
        locale=current_locale(),
    )


def _need_terms() -> list[TaxonomyTerm]:
    return list(
        db.session.scalars(
            select(TaxonomyTerm)
            .join(Taxonomy)
            .where(Taxonomy.code == "need", TaxonomyTerm.active.is_(True))
            .order_by(TaxonomyTerm.position, TaxonomyTerm.code)
        )
    )


@bp.route("/nouvelle", methods=["GET", "POST"])
@role_required(Role.INTERVENANTE)
def new():
    service = catalogue.get_service_for(current_user, request.args.get("service", 0, type=db_id))
    locale = current_locale()
    form = ReferralForm()
    offered = [term.code for term in service.terms_in("need")]
    form.set_choices(_need_terms(), locale, request.args.getlist("need"), offered)
    form.set_person_choices(_person_choices(), request.args.get("personne", type=int))
    if form.validate_on_submit():
        outcome = attempt(
            lambda: services.create_draft(
                current_user,
                service,
                idempotency_key=form.idempotency_key.data,
                remote_addr=request.remote_addr,
                person=get_person_for(current_user, form.person_id.data)
                if form.person_id.data
                else None,
                **form.content(),
            )
        )
        referral = outcome.value
        if referral is not None:
            db.session.commit()
            flash(_("The draft is saved. Give the person their code."), "success")
            return redirect(url_for("referrals.consent", referral_id=referral.id))
    return render_template(
        "referrals/new.html",
        form=form,
        service=catalogue.service_card(service, current_user, locale),
        action=url_for("referrals.new", service=service.id),
    )


PERSON_CHOICES = 300


def _person_choices() -> list[tuple[int, str]]:
    """(id, code) of the persons the intervenante may refer under, most recent first."""
    query = (
        visible_persons_query(current_user)
        .order_by(Person.created_at.desc(), Person.id.desc())
        .limit(PERSON_CHOICES)
    )
    return [
        (person.id, person.code)
        for person in db.session.scalars(query)
        if services.may_refer_under(current_user, person)
    ]


@bp.route("/<int:referral_id>/modifier", methods=["GET", "POST"])
@role_required(Role.INTERVENANTE)
def edit_draft(referral_id: int):
    referral = get_referral_for(current_user, referral_id)
    if referral.status is not S.DRAFT or referral.service is None:
        flash(_("Only a draft can be changed."), "info")
        return redirect(url_for("referrals.detail", referral_id=referral_id))
    locale = current_locale()
    form = DraftForm.for_draft(referral)
    form.set_choices(_need_terms(), locale)
    if form.validate_on_submit() and attempt(
        lambda: services.update_draft(
            referral, current_user, remote_addr=request.remote_addr, **form.content()
        )
    ):
        db.session.commit()
        flash(
            _("The draft is saved. The person's consent is needed again before sending."),
            "success",
        )
        return redirect(url_for("referrals.consent", referral_id=referral.id))
    services.record_view(current_user, referral, request.remote_addr)
    page = render_template(
        "referrals/new.html",
        form=form,
        referral=referral,
        service=catalogue.service_card(referral.service, current_user, locale),
        action=url_for("referrals.edit_draft", referral_id=referral.id),
    )
    db.session.commit()
    return page


def _consent_page(referral: Referral, form: ConsentForm):
    services.record_view(current_user, referral, request.remote_addr)
    page = render_template(
        "referrals/consent.html",
        referral=referral,
        form=form,
        status_label=STATUS_LABELS[referral.status],
        language=catalogue.language_name(referral.preferred_language, current_locale()),
        locale=current_locale(),
    )
    db.session.commit()
    return page


@bp.route("/<int:referral_id>/consentement", methods=["GET", "POST"])
@role_required(Role.INTERVENANTE)
def consent(referral_id: int):
    referral = get_referral_for(current_user, referral_id)
    if referral.status is not S.DRAFT:
        flash(_("This referral was already sent."), "info")
        return redirect(url_for("referrals.detail", referral_id=referral_id))
    form = ConsentForm()
    form.set_defaults(services.local_today(utcnow()), settings().referral_consent_days)
    if not form.validate_on_submit():
        return _consent_page(referral, form)
    sent = attempt(
        lambda: services.confirm_consent_and_send(
            referral,
            current_user,
            remote_addr=request.remote_addr,
            share_contact=form.share_contact.data,
            share_briefing=form.share_briefing.data,
            purpose=form.purpose.data,
            valid_until=form.valid_until.data,
        )
    )
    if not sent:
        return redirect(url_for("referrals.consent", referral_id=referral_id))
    db.session.commit()
    flash(_("The referral is sent to the provider."), "success")
    return redirect(url_for("referrals.detail", referral_id=referral_id))


# The intervenante's actions on the detail page: action -> (form class, prefix, done message).
ACTIONS = {
    Action.START: (ActionForm, "start", _l("The referral is marked in progress.")),
    Action.COMPLETE: (ActionForm, "complete", _l("The referral is completed.")),
    Action.NOT_COMPLETE: (NotCompleteForm, "not-complete", _l("The referral is closed.")),
    Action.WITHDRAW: (ActionForm, "withdraw", _l("The referral is withdrawn.")),
    Action.DECLINE: (PersonDeclinedForm, "decline", _l("The person's refusal is recorded.")),
    Action.REROUTE: (RerouteForm, "reroute", _l("A new draft is ready for the other service.")),
    Action.EVALUATE: (EvaluationForm, "evaluate", _l("Thank you: the evaluation is saved.")),
    Action.WITHDRAW_CONSENT: (
        ActionForm,
        "withdraw-consent",
        _l(
            "The person's consent is withdrawn: the provider no longer sees anything and the text "
            "is erased."
        ),
    ),
}


# Actions that cannot be undone ask first (question, button): see cote_a_cote/confirmation.py.
CONFIRM = {
    Action.WITHDRAW: (_l("Withdraw this referral?"), _l("Yes, withdraw the referral")),
    Action.DECLINE: (_l("Record that the person declines?"), _l("Yes, record the refusal")),
    Action.WITHDRAW_CONSENT: (
        _l("Withdraw the person's consent?"),
        _l("Yes, withdraw the consent"),
    ),
}


def _forms(referral: Referral) -> dict:
    """A form for each action the transition table allows the signed-in user now."""
    parties = services.parties_of(current_user, referral)
    forms = {
        action: ACTIONS[action][0](prefix=ACTIONS[action][1])
        for action in allowed_actions(referral.status, parties)
        if action in ACTIONS
    }
    if Action.EVALUATE in forms and services.evaluated_ids([referral]):
        del forms[Action.EVALUATE]
    return forms


def _reroute_choices(referral: Referral, q: str) -> list[Service]:
    """Listed services whose name contains q (other than the referral's), for re-routing."""
    return _service_choices(q, exclude=referral.service_id or 0)


def _service_choices(q: str, exclude: int | None) -> list[Service]:
    """Listed services whose name contains q (except the service exclude)."""
    if not q:
        return []
    pattern = f"%{q.lower()}%"
    query = (
        catalogue.listed_services_query(current_user)
        .where(
            or_(
                func.lower(Service.name_fr).like(pattern), func.lower(Service.name_en).like(pattern)
            ),
            Service.id != (exclude or 0),
        )
        .order_by(Service.name_fr, Service.id)
        .limit(REROUTE_CHOICES)
    )
    return list(db.session.scalars(query))


def _detail_page(referral: Referral, forms: dict):
    services.record_view(current_user, referral, request.remote_addr)
    locale = current_locale()
    q = request.args.get("q", "", type=str).strip()[:100]
    page = render_template(
        "referrals/detail.html",
        referral=referral,
        forms={action.value: form for action, form in forms.items()},
        status_label=STATUS_LABELS[referral.status],
        outcome_labels=OUTCOME_LABELS,
        language=catalogue.language_name(referral.preferred_language, locale),
        evaluation=db.session.scalar(
            select(ReferralEvaluation).where(ReferralEvaluation.referral_id == referral.id)
        ),
        rerouted_to=services.rerouted_to(referral),
        q=q,
        reroute_choices=_reroute_choices(referral, q) if Action.REROUTE in forms else [],
        locale=locale,
    )
    db.session.commit()
    return page


@bp.get("/<int:referral_id>")
@role_required(Role.INTERVENANTE)
def detail(referral_id: int):
    referral = get_referral_for(current_user, referral_id)
    return _detail_page(referral, _forms(referral))


def _act(referral_id: int, action: Action, call):
    """Validate the action's form, apply it, commit; a refusal comes back as a message."""
    referral = get_referral_for(current_user, referral_id)
    here = url_for("referrals.detail", referral_id=referral_id)
    forms = _forms(referral)
    form = forms.get(action)
    if form is None:
        flash(_("This action is not possible in the referral's current status."), "error")
        return redirect(here)
    if not form.validate_on_submit():
        return _detail_page(referral, forms)
    if action in CONFIRM and not confirmed():
        return ask(str(CONFIRM[action][0]), button=str(CONFIRM[action][1]), cancel_url=here)
    outcome = attempt(lambda: call(referral, form, remote_addr=request.remote_addr))
    if not outcome:
        return redirect(here)
    result = outcome.value
    db.session.commit()
    flash(str(ACTIONS[action][2]), "success")
    if isinstance(result, Referral):  # a re-routed draft: its consent comes next
        return redirect(url_for("referrals.consent", referral_id=result.id))
    return redirect(here)


@bp.post("/<int:referral_id>/commencer")
@role_required(Role.INTERVENANTE)
def start(referral_id: int):
    return _act(referral_id, Action.START, lambda r, f, **kw: services.start(r, current_user, **kw))


@bp.post("/<int:referral_id>/terminer")
@role_required(Role.INTERVENANTE)
def complete(referral_id: int):
    return _act(
        referral_id, Action.COMPLETE, lambda r, f, **kw: services.complete(r, current_user, **kw)
    )


@bp.post("/<int:referral_id>/non-terminee")
@role_required(Role.INTERVENANTE)
def not_complete(referral_id: int):
    return _act(
        referral_id,
        Action.NOT_COMPLETE,
        lambda r, f, **kw: services.not_complete(r, current_user, outcome=f.outcome.data, **kw),
    )


@bp.post("/<int:referral_id>/refus")
@role_required(Role.INTERVENANTE)
def decline(referral_id: int):
    """The person declines the provider's answer (waiting list, or before it answered)."""
    return _act(
        referral_id,
        Action.DECLINE,
        lambda r, f, **kw: services.decline(
            r, current_user, reason=f.reason.data, declined_by=DeclinedBy.PERSON, **kw
        ),
    )


@bp.post("/<int:referral_id>/retirer")
@role_required(Role.INTERVENANTE)
def withdraw(referral_id: int):
    return _act(
        referral_id, Action.WITHDRAW, lambda r, f, **kw: services.withdraw(r, current_user, **kw)
    )


@bp.post("/<int:referral_id>/retirer-consentement")
@role_required(Role.INTERVENANTE)
def withdraw_consent(referral_id: int):
    return _act(
        referral_id,
        Action.WITHDRAW_CONSENT,
        lambda r, f, **kw: services.withdraw_consent(r, current_user, **kw),
    )


def _reroute(referral: Referral, form: RerouteForm, **kw) -> Referral:
    service = db.session.scalar(
        catalogue.listed_services_query(current_user).where(Service.id == form.service_id.data)
    )
    if service is None:
        raise services.ReferralError(_l("Please choose the service."))
    return services.reroute(referral, current_user, service=service, **kw)


@bp.post("/<int:referral_id>/rediriger")
@role_required(Role.INTERVENANTE)
def reroute(referral_id: int):
    return _act(referral_id, Action.REROUTE, _reroute)


@bp.post("/<int:referral_id>/evaluer")
@role_required(Role.INTERVENANTE)
def evaluate(referral_id: int):
    return _act(
        referral_id,
        Action.EVALUATE,
        lambda r, f, **kw: services.evaluate(
            r,
            current_user,
            respect=f.respect.data,
            no_judgement=f.no_judgement.data,
            confidentiality=f.confidentiality.data,
            would_refer_again=f.would_refer_again.data == "yes",
            **kw,
        ),
    )


def _handout_page(person: Person, referrals: list[Referral], language: str, back: str):
    """The handout of person in language (or French then English), every view audited."""
    clean = sheet.scrubber()
    sheets = []
    for locale in sheet.languages_for(language):
        with force_locale(locale):
            sheets.append(
                (
                    locale,
                    sheet.entries(referrals, current_user, locale, clean),
                    _sheet_labels(person.code),
                )
            )
    for referral in referrals:
        services.record_view(current_user, referral, request.remote_addr)
    sheet.warn_if_scrubbed(clean, current_user, person, request.remote_addr)
    with force_locale(sheets[0][0]):
        page = render_template(
            "referrals/handout.html",
            sheets=sheets,
            locale=sheets[0][0],
            back=back,
            code=person.code,
        )
    db.session.commit()
    return page


def _sheet_labels(code: str | None) -> dict:
    """The handout's fixed words in the current (forced) locale."""
    return {
        "title": _("Appointments"),
        "code": _("Your reference number: %(code)s", code=code or "—"),
        "where": _("How to get there"),
        "no_address": _("Call before going to get the address."),
        "phone": _("Phone:"),
        "hours": _("Hours"),
        "always_open": _("Open 24 hours a day, 7 days a week"),
        "call_hours": _("Call to know the hours."),
        "know": _("Good to know"),
        "accompanied": _("Someone you know will come with you."),
        "removed": _("This service is no longer available."),
        "closing": _(
            "Give your reference number when you arrive. You do not have to explain your "
            "situation again, and you may stop at any time."
        ),
    }


@bp.get("/<int:referral_id>/fiche")
@role_required(Role.INTERVENANTE)
def handout(referral_id: int):
    """The person's handout, opened from one referral: in that referral's recorded language."""
    referral = get_referral_for(current_user, referral_id)
    referrals = sheet.current_referrals(referral.person, current_user, also=referral)
    return _handout_page(
        referral.person,
        referrals,
        referral.preferred_language,
        url_for("referrals.detail", referral_id=referral.id),
    )


@bp.get("/personnes/<int:person_id>/fiche")
@role_required(Role.INTERVENANTE)
def person_handout(person_id: int):
    """The person's handout: every current referral, in the language of the latest one."""
    person = get_person_for(current_user, person_id)
    referrals = sheet.current_referrals(person, current_user)
    language = referrals[-1].preferred_language if referrals else "fr"
    return _handout_page(
        person, referrals, language, url_for("referrals.person", person_id=person.id)
    )


@bp.get("/personnes/<int:person_id>")
@role_required(Role.INTERVENANTE)
def person(person_id: int):
    """Every referral under the person's code that the intervenante may see, oldest first."""
    person = get_person_for(current_user, person_id)
    locale = current_locale()
    referrals = person_referrals(current_user, person)
    q = request.args.get("q", "", type=str).strip()[:100]
    for referral in referrals:
        services.record_view(current_user, referral, request.remote_addr)
    page = render_template(
        "referrals/person.html",
        person=person,
        referrals=referrals,
        may_refer=services.may_refer_under(current_user, person),
        status_labels=STATUS_LABELS,
        outcome_labels=OUTCOME_LABELS,
        evaluated=services.evaluated_ids(referrals),
        q=q,
        choices=_service_choices(q, exclude=None) if q else [],
        locale=locale,
    )
    db.session.commit()
    return page
