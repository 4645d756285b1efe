"""Training that is delivered: sessions and attendance (administrators), content pages, enrolment
(provider staff, from /portail/formation).

Every route checks the role, then loads its object through a loader that answers 404 for what the
user may not reach: another organisation's enrolment, a session of a module no longer offered.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from wtforms import SelectChoice

from ..accounts.models import User
from ..errors import attempt
from ..extensions import db
from ..i18n import current_locale
from ..roles import Role, role_required
from ..uploads import services as uploads
from ..uploads.web import accepts_upload
from . import materials, quiz, services, sessions
from .forms import (
    CancelSessionForm,
    EnrolForm,
    MaterialForm,
    PassMarkForm,
    QuestionForm,
    SectionForm,
    SessionForm,
    quiz_form,
)
from .models import (
    EnrolmentStatus,
    ModuleSection,
    QuizQuestion,
    SessionEnrolment,
    TrainingModule,
    TrainingSession,
)

bp = Blueprint("training_sessions", __name__)
admin_only = role_required(Role.ADMIN)
provider_only = role_required(Role.PROVIDER)
bp.add_app_template_filter(sessions.when, "session_when")


# --- Loaders ------------------------------------------------------------------------------------


def offered_session_or_404(session_id: int) -> TrainingSession:
    """A session provider staff may see: its module is still offered."""
    session = db.get_or_404(TrainingSession, session_id)
    if not session.module.active:
        abort(404)
    return session


def own_enrolment_or_404(user: User, enrolment_id: int) -> SessionEnrolment:
    """An enrolment of the user's organisation (404 for anyone else's)."""
    enrolment = db.get_or_404(SessionEnrolment, enrolment_id)
    if enrolment.user.organization_id != user.organization_id:
        abort(404)
    return enrolment


def enrolment_in_session_or_404(session: TrainingSession, enrolment_id: int) -> SessionEnrolment:
    enrolment = db.get_or_404(SessionEnrolment, enrolment_id)
    if enrolment.session_id != session.id:
        abort(404)
    return enrolment


def section_of_or_404(module: TrainingModule, section_id: int) -> ModuleSection:
    section = db.get_or_404(ModuleSection, section_id)
    if section.module_id != module.id:
        abort(404)
    return section


# --- Administrators: sessions and attendance ------------------------------------------------------


@bp.get("/admin/formation/seances")
@admin_only
def admin_list():
    listed = sessions.admin_sessions()
    return render_template(
        "training/sessions_admin.html",
        sessions=listed,
        seats=sessions.seats_of(listed),
        labels=sessions.LANGUAGE_LABELS,
    )


def _session_form(**kwargs) -> SessionForm:
    offered = db.session.scalars(services.modules_query(active_only=True)).all()
    return SessionForm(offered, current_locale(), **kwargs)


@bp.route("/admin/formation/seances/nouvelle", methods=["GET", "POST"])
@admin_only
def new_session():
    form = _session_form()
    if form.validate_on_submit():
        return _save_session(form, None)
    return render_template("training/session_form.html", form=form, session=None)


@bp.route("/admin/formation/seances/<int:session_id>/modifier", methods=["GET", "POST"])
@admin_only
def edit_session(session_id: int):
    session = db.get_or_404(TrainingSession, session_id)
    form = _session_form()
    if request.method == "GET":
        form.module_id.data = session.module_id
        form.day.data, form.starts.data = sessions.local_parts(session.starts_at)
        form.ends.data = sessions.local_parts(session.ends_at)[1]
        form.place.data, form.online_url.data = session.place, session.online_url
        form.seats.data, form.language.data = session.seats, session.language.value
    if session.module_id not in {choice.value for choice in form.module_id.choices}:
        form.module_id.choices = [
            SelectChoice(session.module_id, session.module.name(current_locale()))
        ]
    form.module_id.render_kw = {"disabled": True}
    form.module_id.data = session.module_id  # a session's module never changes
    if form.validate_on_submit():
        return _save_session(form, session)
    return render_template("training/session_form.html", form=form, session=session)


def _save_session(form: SessionForm, session: TrainingSession | None):
    saved = attempt(lambda: sessions.save_session(form.values(), current_user, session), form).value
    if saved is None:  # refused
        return render_template("training/session_form.html", form=form, session=session)
    db.session.commit()
    flash(_("The session is saved."), "success")
    return redirect(url_for("training_sessions.admin_session", session_id=saved.id))


@bp.get("/admin/formation/seances/<int:session_id>")
@admin_only
def admin_session(session_id: int):
    return _admin_session_page(db.get_or_404(TrainingSession, session_id))


def _admin_session_page(session: TrainingSession, cancel_form: CancelSessionForm | None = None):
    return render_template(
        "training/session_admin.html",
        session=session,
        seats=sessions.seats_of([session])[session.id],
        begun=sessions.has_begun(session),
        labels=sessions.ENROLMENT_LABELS,
        languages=sessions.LANGUAGE_LABELS,
        seated=[e for e in session.enrolments if e.status in sessions.SEATED],
        waiting=[e for e in session.enrolments if e.status is EnrolmentStatus.WAITING],
        cancel_form=cancel_form or CancelSessionForm(formdata=None),
    )


@bp.post("/admin/formation/seances/<int:session_id>/annuler")
@admin_only
def cancel_session(session_id: int):
    session = db.get_or_404(TrainingSession, session_id)
    form = CancelSessionForm()
    if form.validate_on_submit():
        outcome = attempt(
            lambda: sessions.cancel_session(session, form.reason.data, current_user), form
        )
        if outcome:
            told = outcome.value
            db.session.commit()
            flash(
                ngettext(
                    "The session is cancelled; %(num)d person was told by e-mail.",
                    "The session is cancelled; %(num)d people were told by e-mail.",
                    told,
                ),
                "success",
            )
            return redirect(url_for("training_sessions.admin_session", session_id=session.id))
    return _admin_session_page(session, form), 200


@bp.post("/admin/formation/seances/<int:session_id>/presences/<int:enrolment_id>")
@admin_only
def attendance(session_id: int, enrolment_id: int):
    session = db.get_or_404(TrainingSession, session_id)
    enrolment = enrolment_in_session_or_404(session, enrolment_id)
    present = request.form.get("present")
    if present not in ("yes", "no"):
        flash(_("Choose present or absent."), "error")
        return redirect(url_for("training_sessions.admin_session", session_id=session.id))
    if attempt(lambda: sessions.set_attendance(enrolment, present == "yes", current_user)):
        db.session.commit()
        flash(_("The attendance of %(name)s is saved.", name=enrolment.user.name), "success")
    return redirect(url_for("training_sessions.admin_session", session_id=session.id))


# --- Administrators: content pages ----------------------------------------------------------------


@bp.route("/admin/formation/modules/<int:module_id>/contenu", methods=["GET", "POST"])
@admin_only
def admin_content(module_id: int):
    module = db.get_or_404(TrainingModule, module_id)
    form = SectionForm()
    if form.validate_on_submit():
        return _save_section(module, form, None)
    return _content_page(module, form)


@bp.route(
    "/admin/formation/modules/<int:module_id>/contenu/<int:section_id>", methods=["GET", "POST"]
)
@admin_only
def edit_section(module_id: int, section_id: int):
    module = db.get_or_404(TrainingModule, module_id)
    section = section_of_or_404(module, section_id)
    form = SectionForm(obj=section)
    if form.validate_on_submit():
        return _save_section(module, form, section)
    return _content_page(module, form, editing=section)


@bp.post("/admin/formation/modules/<int:module_id>/contenu/<int:section_id>/supprimer")
@admin_only
def delete_section(module_id: int, section_id: int):
    module = db.get_or_404(TrainingModule, module_id)
    sessions.delete_section(section_of_or_404(module, section_id), current_user)
    db.session.commit()
    flash(_("The section is deleted."), "success")
    return redirect(url_for("training_sessions.admin_content", module_id=module.id))


def _content_page(
    module, form, editing=None, pass_form=None, question_form=None, material_form=None
):
    return render_template(
        "training/content_admin.html",
        module=module,
        sections=sessions.sections_of(module),
        form=form,
        editing=editing,
        questions=quiz.questions_of(module),
        pass_form=pass_form
        or PassMarkForm(formdata=None, data={"pass_percent": module.quiz_pass_percent}),
        question_form=question_form or QuestionForm(formdata=None),
        materials=materials.materials_of(module),
        material_form=material_form or MaterialForm(formdata=None),
        upload_limit=uploads.megabytes(uploads.max_bytes()),
    )


@bp.post("/admin/formation/modules/<int:module_id>/documents")
@accepts_upload
@admin_only
def add_material(module_id: int):
    module = db.get_or_404(TrainingModule, module_id)
    form = MaterialForm()
    if form.validate_on_submit():
        added = attempt(
            lambda: materials.add_material(module, form.document.data, current_user), form
        ).value
        if added is not None:
            db.session.commit()
            flash(_("The file %(name)s is attached.", name=added.original_name), "success")
            return redirect(url_for("training_sessions.admin_content", module_id=module.id))
    return _content_page(module, SectionForm(formdata=None), material_form=form)


@bp.post("/admin/formation/modules/<int:module_id>/documents/<int:file_id>/supprimer")
@admin_only
def delete_material(module_id: int, file_id: int):
    module = db.get_or_404(TrainingModule, module_id)
    material = materials.material_of(module, file_id)
    if material is None:
        abort(404)
    materials.delete_material(material, current_user)
    db.session.commit()
    flash(_("The file is deleted."), "success")
    return redirect(url_for("training_sessions.admin_content", module_id=module.id))


@bp.post("/admin/formation/modules/<int:module_id>/quiz")
@admin_only
def pass_mark(module_id: int):
    module = db.get_or_404(TrainingModule, module_id)
    form = PassMarkForm()
    if form.validate_on_submit():
        quiz.set_pass_mark(module, form.pass_percent.data, current_user)
        db.session.commit()
        flash(_("The quiz's pass mark is saved."), "success")
        return redirect(url_for("training_sessions.admin_content", module_id=module.id))
    return _content_page(module, SectionForm(formdata=None), pass_form=form)


@bp.post("/admin/formation/modules/<int:module_id>/quiz/questions")
@admin_only
def add_question(module_id: int):
    module = db.get_or_404(TrainingModule, module_id)
    form = QuestionForm()
    if form.validate_on_submit() and attempt(
        lambda: quiz.add_question(module, form.values(), current_user), form
    ):
        db.session.commit()
        flash(_("The question is added."), "success")
        return redirect(url_for("training_sessions.admin_content", module_id=module.id))
    return _content_page(module, SectionForm(formdata=None), question_form=form)


@bp.post("/admin/formation/modules/<int:module_id>/quiz/questions/<int:question_id>/supprimer")
@admin_only
def delete_question(module_id: int, question_id: int):
    module = db.get_or_404(TrainingModule, module_id)
    question = db.get_or_404(QuizQuestion, question_id)
    if question.module_id != module.id:
        abort(404)
    quiz.delete_question(question, current_user)
    db.session.commit()
    flash(_("The question is deleted."), "success")
    return redirect(url_for("training_sessions.admin_content", module_id=module.id))


def _save_section(module, form, section):
    if not attempt(
        lambda: sessions.save_section(module, form.values(), current_user, section), form
    ):
        return _content_page(module, form, editing=section)
    db.session.commit()
    flash(_("The section is saved."), "success")
    return redirect(url_for("training_sessions.admin_content", module_id=module.id))


# --- Provider staff -------------------------------------------------------------------------------


def _offered_module_or_404(module_id: int) -> TrainingModule:
    module = db.get_or_404(TrainingModule, module_id)
    if not module.active:
        abort(404)
    return module


@bp.get("/portail/formation/modules/<int:module_id>")
@provider_only
def module_page(module_id: int):
    module = _offered_module_or_404(module_id)
    return _module_page(module, _quiz_form(module))


def _quiz_form(module: TrainingModule, **kwargs):
    if not quiz.has_quiz(module):
        return None
    return quiz_form(quiz.questions_of(module), current_locale(), **kwargs)


@bp.get("/portail/formation/modules/<int:module_id>/documents/<int:file_id>")
@role_required(Role.PROVIDER, Role.ADMIN)
def download_material(module_id: int, file_id: int):
    """Provider staff download an offered module's files; administrators any module's."""
    module = db.get_or_404(TrainingModule, module_id)
    if current_user.role is not Role.ADMIN and not module.active:
        abort(404)
    material = materials.material_of(module, file_id)
    if material is None:
        abort(404)
    return uploads.send_stored(material)


def _module_page(module: TrainingModule, form, attempt=None):
    upcoming = [s for s in sessions.upcoming_sessions() if s.module_id == module.id]
    return render_template(
        "training/module_page.html",
        module=module,
        sections=sessions.sections_of(module),
        materials=materials.materials_of(module),
        sessions=upcoming,
        seats=sessions.seats_of(upcoming),
        languages=sessions.LANGUAGE_LABELS,
        quiz_form=form,
        allowance=quiz.allowance(current_user, module) if form else None,
        attempt=attempt,
    )


@bp.post("/portail/formation/modules/<int:module_id>/quiz")
@provider_only
def answer_quiz(module_id: int):
    module = _offered_module_or_404(module_id)
    form = _quiz_form(module)
    if form is None:
        abort(404)
    if form.validate_on_submit():
        outcome = attempt(lambda: quiz.submit_answers(current_user, module, form.answers()))
        if outcome:
            db.session.commit()
            return _module_page(module, _quiz_form(module, formdata=None), outcome.value)
    return _module_page(module, form)


@bp.get("/portail/formation/seances/<int:session_id>")
@provider_only
def provider_session(session_id: int):
    session = offered_session_or_404(session_id)
    return _provider_session_page(session, _enrol_form(session))


def _enrol_form(session: TrainingSession, **kwargs) -> EnrolForm:
    form = EnrolForm(services.staff_of(current_user.organization), **kwargs)
    if request.method == "GET":
        form.user_id.data = current_user.id
    return form


def _provider_session_page(session: TrainingSession, form: EnrolForm):
    return render_template(
        "training/session_provider.html",
        session=session,
        form=form,
        seats=sessions.seats_of([session])[session.id],
        begun=sessions.has_begun(session),
        enrolments=sessions.organization_enrolments(current_user.organization_id, [session]),
        labels=sessions.ENROLMENT_LABELS,
        languages=sessions.LANGUAGE_LABELS,
        position=sessions.waiting_position,
    )


@bp.post("/portail/formation/seances/<int:session_id>/inscrire")
@provider_only
def enrol(session_id: int):
    session = offered_session_or_404(session_id)
    form = _enrol_form(session)
    staff = db.session.get(User, form.user_id.data) if form.user_id.data else None
    if staff is not None and staff.organization_id != current_user.organization_id:
        abort(404)  # someone else's staff
    if form.validate_on_submit() and staff is not None:  # a chosen person: the form requires one
        enrolment = attempt(lambda: sessions.enrol(session, staff, current_user), form).value
        if enrolment is not None:
            db.session.commit()
            _flash_enrolment(enrolment, staff)
            return redirect(url_for("training_sessions.provider_session", session_id=session.id))
    return _provider_session_page(session, form)


def _flash_enrolment(enrolment: SessionEnrolment, staff: User) -> None:
    if enrolment.status is EnrolmentStatus.ENROLLED:
        flash(_("%(name)s is enrolled in the session.", name=staff.name), "success")
    else:
        flash(
            _(
                "The session is full: %(name)s is on the waiting list and gets the "
                "first seat that opens.",
                name=staff.name,
            ),
            "success",
        )


@bp.post("/portail/formation/inscriptions/<int:enrolment_id>/annuler")
@provider_only
def cancel(enrolment_id: int):
    enrolment = own_enrolment_or_404(current_user, enrolment_id)
    session_id = enrolment.session_id
    if attempt(lambda: sessions.cancel_enrolment(enrolment, current_user)):
        db.session.commit()
        flash(_("The enrolment is cancelled; the seat goes to the next person waiting."), "success")
    return redirect(url_for("training_sessions.provider_session", session_id=session_id))
