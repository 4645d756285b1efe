"""Training pages: administrators manage modules and records; provider staff see what remains."""

from __future__ import annotations

from collections.abc import Sequence

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..accounts.models import User
from ..catalogue.models import Organization, OrganizationKind
from ..database import utcnow
from ..errors import attempt
from ..extensions import db
from ..i18n import current_locale
from ..roles import Role, role_required
from ..uploads import services as uploads
from ..uploads.web import accepts_upload
from . import evidence, services, sessions, upkeep
from .forms import (
    ChooseOrganizationForm,
    DeclarationForm,
    ModuleForm,
    NewModuleForm,
    RecordFilterForm,
    RecordForm,
    RejectForm,
)
from .models import RecordStatus, TrainingModule, TrainingRecord

bp = Blueprint("training", __name__)
bp.before_app_request(upkeep.keep_trained_status_current)

RECORDS_PER_PAGE = 50


# --- Loaders: 404 for anything the signed-in user may not reach ------------------------------


def get_record_for(user: User, record_id: int) -> TrainingRecord:
    record = db.get_or_404(TrainingRecord, record_id)
    if user.role is not Role.ADMIN and record.user.organization_id != user.organization_id:
        abort(404)
    return record


def get_staff_for(user: User, staff_id: int | None) -> User:
    """A provider staff member the user may record for: anyone (admin), a colleague (provider)."""
    staff = db.session.get(User, staff_id) if staff_id else None
    if staff is None or staff.role is not Role.PROVIDER:
        abort(404)
    if user.role is not Role.ADMIN and staff.organization_id != user.organization_id:
        abort(404)
    return staff


def _provider_org_or_404(organization_id: int | None) -> Organization:
    org = db.session.get(Organization, organization_id) if organization_id else None
    if org is None or org.kind is not OrganizationKind.PROVIDER:
        abort(404)
    return org


# --- Administrators: modules -------------------------------------------------------------------


@bp.get("/admin/formation")
@role_required(Role.ADMIN)
def modules():
    return render_template(
        "training/modules.html",
        modules=db.session.scalars(services.modules_query()).all(),
        declared=db.session.scalar(
            services.count(services.records_query(status=RecordStatus.DECLARED))
        ),
        expiring=db.session.scalar(services.count(services.expiring_query(_today()))),
    )


@bp.route("/admin/formation/modules/nouveau", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def new_module():
    form = NewModuleForm()
    if form.validate_on_submit():
        return _save_module(None, form)
    return render_template("training/module_form.html", form=form, module=None)


@bp.route("/admin/formation/modules/<int:module_id>", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def edit_module(module_id: int):
    module = db.get_or_404(TrainingModule, module_id)
    form = ModuleForm(obj=module)
    if form.validate_on_submit():
        return _save_module(module, form)
    return render_template("training/module_form.html", form=form, module=module)


def _save_module(module: TrainingModule | None, form: ModuleForm):
    saved = attempt(lambda: services.save_module(module, form.values()), form).value
    if saved is None:  # refused
        return render_template("training/module_form.html", form=form, module=module)
    db.session.commit()
    flash(_("The module %(name)s is saved.", name=saved.name(current_locale())), "success")
    return redirect(url_for("training.modules"))


# --- Administrators: records -----------------------------------------------------------------


@bp.get("/admin/formation/dossiers")
@role_required(Role.ADMIN)
def records():
    form = RecordFilterForm(
        services.provider_organizations(),
        db.session.scalars(services.modules_query()).all(),
        current_locale(),
        formdata=request.args,
    )
    page = db.paginate(
        services.records_query(**form.criteria()), per_page=RECORDS_PER_PAGE, error_out=False
    )
    return render_template(
        "training/records.html",
        form=form,
        page=page,
        query_args=form.query_args(),
        labels=services.STATUS_LABELS,
        evidence=evidence.evidence_for(page.items),
    )


@bp.route("/admin/formation/dossiers/nouveau", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def new_record():
    chooser = ChooseOrganizationForm(services.provider_organizations(), formdata=request.args)
    if request.args.get("organization_id") is None:
        return render_template("training/record_form.html", chooser=chooser, form=None)
    org = _provider_org_or_404(chooser.organization_id.data)
    offered = db.session.scalars(services.modules_query(active_only=True)).all()
    form = RecordForm(services.staff_of(org), offered, current_locale())
    if form.validate_on_submit() and attempt(
        lambda: services.record_completion(
            get_staff_for(current_user, form.user_id.data),
            db.get_or_404(TrainingModule, form.module_id.data),
            form.completed_on.data,
            actor=current_user,
            expires_on=form.expires_on.data,
            evidence_note=form.evidence_note.data,
        ),
        form,
    ):
        db.session.commit()
        flash(_("The completion is recorded."), "success")
        return redirect(url_for("training.records", organization_id=org.id))
    return render_template("training/record_form.html", chooser=chooser, form=form, org=org)


@bp.post("/admin/formation/dossiers/<int:record_id>/confirmer")
@role_required(Role.ADMIN)
def confirm_record(record_id: int):
    record = get_record_for(current_user, record_id)
    if attempt(lambda: services.confirm_record(record, current_user)):
        db.session.commit()
        flash(_("The declaration is confirmed."), "success")
    return redirect(url_for("training.records", status=RecordStatus.DECLARED.value))


@bp.route("/admin/formation/dossiers/<int:record_id>/refuser", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def reject_record(record_id: int):
    record = get_record_for(current_user, record_id)
    form = RejectForm()
    if form.validate_on_submit():
        if not attempt(lambda: services.reject_record(record, current_user, form.note.data)):
            return redirect(url_for("training.records", status=RecordStatus.DECLARED.value))
        db.session.commit()
        flash(_("The declaration is marked as not confirmed."), "success")
        return redirect(url_for("training.records", status=RecordStatus.DECLARED.value))
    return render_template(
        "training/reject.html", form=form, record=record, evidence=evidence.evidence_of(record)
    )


@bp.post("/admin/formation/dossiers/<int:record_id>/supprimer")
@role_required(Role.ADMIN)
def delete_record(record_id: int):
    record = get_record_for(current_user, record_id)
    organization_id = record.user.organization_id
    services.delete_record(record)
    db.session.commit()
    flash(_("The record is deleted."), "success")
    return redirect(url_for("training.records", organization_id=organization_id))


@bp.get("/admin/formation/echeances")
@role_required(Role.ADMIN)
def expiring():
    today = _today()
    return render_template(
        "training/expiring.html",
        records=db.session.scalars(services.expiring_query(today)).all(),
        today=today,
        days=services.warning_days(),
    )


# --- Provider staff ------------------------------------------------------------------------------


@bp.route("/portail/formation", methods=["GET", "POST"])
@accepts_upload
@role_required(Role.PROVIDER)
def provider_page():
    org = current_user.organization
    offered = db.session.scalars(services.modules_query(active_only=True)).all()
    form = DeclarationForm(services.staff_of(org), offered, current_locale())
    if form.is_submitted() and form.user_id.data is not None:
        get_staff_for(current_user, form.user_id.data)  # someone else's staff: 404
    if form.validate_on_submit():
        try:
            evidence.declare_with_evidence(
                get_staff_for(current_user, form.user_id.data),
                db.get_or_404(TrainingModule, form.module_id.data),
                form.completed_on.data,
                actor=current_user,
                evidence_note=form.evidence_note.data,
                upload=form.evidence_file.data,
            )
        except (services.TrainingError, uploads.UploadError) as error:
            db.session.rollback()
            form.add_error(error.field or _upload_field(error), str(error))
        else:
            db.session.commit()
            flash(_("Thank you: the coordinating team will confirm the declaration."), "success")
            return redirect(url_for("training.provider_page"))
    elif request.method == "GET":
        form.user_id.data = current_user.id
    return _provider_page(org, form, offered)


def _upload_field(error: Exception) -> str | None:
    return "evidence_file" if isinstance(error, uploads.UploadError) else None


def _provider_page(org: Organization, form: DeclarationForm, offered: Sequence[TrainingModule]):
    upcoming = sessions.upcoming_sessions(include_cancelled=True)
    records = services.organization_records(org)
    return render_template(
        "training/provider.html",
        form=form,
        organization=org,
        sessions=upcoming,
        seats=sessions.seats_of(upcoming),
        enrolments=sessions.organization_enrolments(org.id, upcoming),
        enrolment_labels=sessions.ENROLMENT_LABELS,
        languages=sessions.LANGUAGE_LABELS,
        progress=services.missing_for(org, _today()),
        modules=offered,
        records=records,
        evidence=evidence.evidence_for(records),
        labels=services.STATUS_LABELS,
        upload_limit=uploads.megabytes(uploads.max_bytes()),
    )


@bp.post("/portail/formation/declarations/<int:record_id>/retirer")
@role_required(Role.PROVIDER)
def withdraw_declaration(record_id: int):
    record = get_record_for(current_user, record_id)
    if attempt(lambda: services.withdraw_declaration(record, current_user)):
        db.session.commit()
        flash(_("The declaration is withdrawn."), "success")
    return redirect(url_for("training.provider_page"))


@bp.get("/portail/formation/dossiers/<int:record_id>/preuve")
@role_required(Role.PROVIDER, Role.ADMIN)
def download_evidence(record_id: int):
    """A record's certificate: for its organisation's staff and administrators (404 otherwise)."""
    stored = evidence.evidence_of(get_record_for(current_user, record_id))
    if stored is None:
        abort(404)
    return uploads.send_stored(stored)


def _today():
    return services.local_day(utcnow())
