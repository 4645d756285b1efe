"""The provider portal: the organisation's profile, services, places, hours, capacity, colleagues.

Every route needs the provider role, and every object is loaded through services.own_* (404 for
another organisation's). Profile edits go through revisions.save_change, which applies them at
once or files them for review depending on the organisation's status.
"""

from __future__ import annotations

from babel.dates import get_day_names
from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ..catalogue import logo as logos
from ..catalogue.models import CapacityStatus
from ..catalogue.services import STATUS_LABELS
from ..catalogue.services import capacity as capacity_view
from ..config import settings
from ..confirmation import confirm_first
from ..errors import attempt
from ..extensions import db, limiter
from ..i18n import current_locale
from ..revisions import diff as revision_diff
from ..revisions import services as revisions
from ..revisions.models import RevisionAction, RevisionStatus, RevisionTarget
from ..roles import Role, role_required
from ..uploads import services as uploads
from ..uploads.web import accepts_upload
from ..vetting import services as vetting
from . import services
from .forms import (
    CapacityForm,
    InviteColleagueForm,
    LocationForm,
    LogoForm,
    OrganizationForm,
    ScheduleForm,
    ServiceForm,
)

bp = Blueprint("portal", __name__)
T = RevisionTarget
provider_only = role_required(Role.PROVIDER)
# Marks a request that really asked for an invitation, for the rate limiter.
INVITED_FLAG = "cote_a_cote.invitation_requested"


def _me():
    return current_user._get_current_object()


def _org():
    return current_user.organization


def _saved(revision, what: str):
    if revision is None:
        flash(what, "success")
    else:
        flash(
            _(
                "Your change was sent to the coordinating team. The published profile stays as "
                "it is until they approve it."
            ),
            "info",
        )


@bp.get("/")
@provider_only
def dashboard():
    org = _org()
    return render_template(
        "portal/dashboard.html",
        org=org,
        status_label=STATUS_LABELS[org.status],
        mode=revisions.edit_mode(org),
        change_request=vetting.latest_change_request(org),
        missing=services.missing_items(org),
        can_submit=org.status in services.SUBMITTABLE,
        can_confirm=org.status in services.CONFIRMABLE,
        pending=revisions.pending_revisions(org),
        returned=revisions.returned_revisions(org),
        describe=revision_diff.describe,
    )


@bp.post("/soumettre")
@provider_only
def submit():
    if not attempt(lambda: services.submit(_org(), _me())):
        return redirect(url_for("portal.dashboard"))
    db.session.commit()
    flash(_("Your application was sent. The coordinating team will review it."), "success")
    return redirect(url_for("portal.dashboard"))


@bp.post("/toujours-exact")
@provider_only
def still_accurate():
    if not attempt(lambda: services.confirm_still_accurate(_org(), _me())):
        return redirect(url_for("portal.dashboard"))
    db.session.commit()
    flash(_("Thank you: your profile is marked as verified today."), "success")
    return redirect(url_for("portal.dashboard"))


# --- Organisation ---------------------------------------------------------------------------------


@bp.route("/organisation", methods=["GET", "POST"])
@provider_only
def edit_organization():
    org = _org()
    pending = revisions.pending_for(org, T.ORGANIZATION, org.id)
    values = pending.payload if pending else revisions.organization_values(org)
    form = OrganizationForm(services.term_choices("sector", current_locale()), values=values)
    if form.validate_on_submit():
        outcome = attempt(
            lambda: revisions.save_change(
                org, T.ORGANIZATION, RevisionAction.UPDATE, form.values(), _me(), obj=org
            )
        )
        if not outcome:
            return redirect(url_for("portal.dashboard"))
        revision = outcome.value
        db.session.commit()
        _saved(revision, _("The organisation's profile is saved."))
        return redirect(url_for("portal.dashboard"))
    return _organization_page(form, pending)


def _organization_page(form: OrganizationForm, pending, logo_form: LogoForm | None = None):
    org = _org()
    return render_template(
        "portal/organization_form.html",
        form=form,
        pending=pending,
        mode=revisions.edit_mode(org),
        logo=logos.logo_of(org),
        pending_logo=logos.pending_logo_of(org),
        logo_form=logo_form or LogoForm(formdata=None),
        upload_limit=uploads.megabytes(uploads.max_bytes()),
    )


@bp.post("/organisation/logo")
@accepts_upload
@provider_only
def upload_logo():
    """A new logo: shown at once while the profile is a draft, reviewed once it is listed."""
    org = _org()
    form = LogoForm()
    if revisions.edit_mode(org) is revisions.EditMode.LOCKED:
        flash(_("The profile cannot be changed now."), "error")
        return redirect(url_for("portal.dashboard"))
    if form.validate_on_submit():
        outcome = attempt(lambda: revisions.save_logo(org, form.logo.data, _me()), form)
        if outcome:
            pending = outcome.value
            db.session.commit()
            if pending:
                flash(
                    _(
                        "The new logo is sent for review; the current one stays on your page "
                        "until the coordinating team publishes it."
                    ),
                    "success",
                )
            else:
                flash(_("The logo is saved."), "success")
            return redirect(url_for("portal.edit_organization"))
    pending = revisions.pending_for(org, T.ORGANIZATION, org.id)
    values = pending.payload if pending else revisions.organization_values(org)
    profile = OrganizationForm(
        services.term_choices("sector", current_locale()), values=values, formdata=None
    )
    return _organization_page(profile, pending, form)


@bp.get("/organisation/logo/en-attente")
@provider_only
def pending_logo():
    """The organisation's own logo awaiting review (404 when there is none)."""
    stored = logos.pending_logo_of(_org())
    if stored is None:
        abort(404)
    return uploads.send_stored(stored)


@bp.post("/organisation/logo/supprimer")
@provider_only
def remove_logo():
    if logos.remove_logo(_org(), _me()):
        db.session.commit()
        flash(_("The logo is removed."), "success")
    return redirect(url_for("portal.edit_organization"))


# --- Services -------------------------------------------------------------------------------------


@bp.get("/services")
@provider_only
def service_list():
    org = _org()
    pending = {r.target_id: r for r in revisions.pending_revisions(org) if r.target is T.SERVICE}
    return render_template(
        "portal/services.html",
        services=services.services_of(org),
        pending=pending,
        proposals=services.proposals(org, T.SERVICE),
        mode=revisions.edit_mode(org),
        describe=revision_diff.describe,
        Capacity=CapacityStatus,
        capacity_of=capacity_view,
    )


def _service_form(values=None):
    return ServiceForm(
        services.service_choices(_org(), current_locale()), current_locale(), values=values
    )


@bp.route("/services/nouveau", methods=["GET", "POST"])
@provider_only
def new_service():
    org = _org()
    form = _service_form({"languages": ["fr"]})
    if form.validate_on_submit():
        outcome = attempt(
            lambda: revisions.save_change(
                org, T.SERVICE, RevisionAction.CREATE, form.values(), _me()
            )
        )
        if not outcome:
            return redirect(url_for("portal.service_list"))
        revision = outcome.value
        db.session.commit()
        _saved(revision, _("The service is added."))
        return redirect(url_for("portal.service_list"))
    return render_template(
        "portal/service_form.html",
        form=form,
        service=None,
        pending=None,
        mode=revisions.edit_mode(org),
    )


@bp.route("/services/<int:service_id>/modifier", methods=["GET", "POST"])
@provider_only
def edit_service(service_id: int):
    org = _org()
    service = services.own_service(current_user, service_id)
    pending = revisions.pending_for(org, T.SERVICE, service.id)
    proposed = pending is not None and pending.action is RevisionAction.UPDATE
    form = _service_form(pending.payload if proposed else revisions.service_values(service))
    if form.validate_on_submit():
        outcome = attempt(
            lambda: revisions.save_change(
                org, T.SERVICE, RevisionAction.UPDATE, form.values(), _me(), obj=service
            )
        )
        if not outcome:
            return redirect(url_for("portal.service_list"))
        revision = outcome.value
        db.session.commit()
        _saved(revision, _("The service is saved."))
        return redirect(url_for("portal.service_list"))
    return render_template(
        "portal/service_form.html",
        form=form,
        service=service,
        pending=pending,
        mode=revisions.edit_mode(org),
    )


@bp.post("/services/<int:service_id>/supprimer")
@provider_only
def delete_service(service_id: int):
    service = services.own_service(current_user, service_id)
    outcome = attempt(
        lambda: revisions.save_change(
            _org(), T.SERVICE, RevisionAction.DELETE, {}, _me(), obj=service
        )
    )
    if not outcome:
        return redirect(url_for("portal.service_list"))
    revision = outcome.value
    db.session.commit()
    _saved(revision, _("The service is deleted."))
    return redirect(url_for("portal.service_list"))


def _day_names() -> list[tuple[str, str]]:
    names = get_day_names("wide", locale=current_locale())  # 0 = Monday
    return [(str(day), names[day - 1].capitalize()) for day in range(1, 8)]


@bp.route("/services/<int:service_id>/horaire", methods=["GET", "POST"])
@provider_only
def schedules(service_id: int):
    service = services.own_service(current_user, service_id)
    form = ScheduleForm(_day_names(), periods=service.schedules)
    if form.validate_on_submit():
        if not attempt(lambda: services.set_schedules(service, form.periods())):
            return redirect(url_for("portal.schedules", service_id=service.id))
        db.session.commit()
        flash(_("The opening hours are saved and shown at once."), "success")
        return redirect(url_for("portal.service_list"))
    return render_template("portal/schedules.html", form=form, service=service)


@bp.post("/services/<int:service_id>/capacite")
@provider_only
def capacity(service_id: int):
    service = services.own_service(current_user, service_id)
    form = CapacityForm()
    if not form.validate_on_submit():
        flash(_("Give the waiting time as a number of weeks (1 to 104)."), "error")
        return redirect(url_for("portal.service_list"))
    if not attempt(
        lambda: services.set_capacity(service, CapacityStatus(form.status.data), form.weeks.data)
    ):
        return redirect(url_for("portal.service_list"))
    db.session.commit()
    flash(_("Capacity of %(name)s updated: it shows at once.", name=service.name_fr), "success")
    return redirect(url_for("portal.service_list"))


# --- Places ---------------------------------------------------------------------------------------


@bp.get("/lieux")
@provider_only
def location_list():
    org = _org()
    pending = {r.target_id: r for r in revisions.pending_revisions(org) if r.target is T.LOCATION}
    return render_template(
        "portal/locations.html",
        locations=services.locations_of(org),
        pending=pending,
        proposals=services.proposals(org, T.LOCATION),
        mode=revisions.edit_mode(org),
        describe=revision_diff.describe,
    )


def _location_form(values=None):
    return LocationForm(services.region_choices(current_locale()), values=values)


def _placed(form):
    """The form's values with coordinates and region resolved, or None (error shown on the form)."""
    return attempt(lambda: services.resolve_place(form.values()), form).value


@bp.route("/lieux/nouveau", methods=["GET", "POST"])
@provider_only
def new_location():
    form = _location_form()
    if form.validate_on_submit() and (values := _placed(form)) is not None:
        outcome = attempt(
            lambda: revisions.save_change(_org(), T.LOCATION, RevisionAction.CREATE, values, _me())
        )
        if not outcome:
            return redirect(url_for("portal.location_list"))
        revision = outcome.value
        db.session.commit()
        _saved(revision, _("The place is added."))
        return redirect(url_for("portal.location_list"))
    return render_template(
        "portal/location_form.html",
        form=form,
        location=None,
        pending=None,
        mode=revisions.edit_mode(_org()),
    )


@bp.route("/lieux/<int:location_id>/modifier", methods=["GET", "POST"])
@provider_only
def edit_location(location_id: int):
    org = _org()
    location = services.own_location(current_user, location_id)
    pending = revisions.pending_for(org, T.LOCATION, location.id)
    proposed = pending is not None and pending.action is RevisionAction.UPDATE
    form = _location_form(pending.payload if proposed else revisions.location_values(location))
    if form.validate_on_submit() and (values := _placed(form)) is not None:
        outcome = attempt(
            lambda: revisions.save_change(
                org, T.LOCATION, RevisionAction.UPDATE, values, _me(), obj=location
            )
        )
        if not outcome:
            return redirect(url_for("portal.location_list"))
        revision = outcome.value
        db.session.commit()
        _saved(revision, _("The place is saved."))
        return redirect(url_for("portal.location_list"))
    return render_template(
        "portal/location_form.html",
        form=form,
        location=location,
        pending=pending,
        mode=revisions.edit_mode(org),
    )


@bp.post("/lieux/<int:location_id>/supprimer")
@provider_only
def delete_location(location_id: int):
    location = services.own_location(current_user, location_id)
    outcome = attempt(
        lambda: revisions.save_change(
            _org(), T.LOCATION, RevisionAction.DELETE, {}, _me(), obj=location
        )
    )
    if not outcome:
        return redirect(url_for("portal.location_list"))
    revision = outcome.value
    db.session.commit()
    _saved(revision, _("The place is deleted."))
    return redirect(url_for("portal.location_list"))


# --- Proposals of new services and places, withdrawals --------------------------------------------


@bp.route("/propositions/<int:revision_id>/modifier", methods=["GET", "POST"])
@provider_only
def edit_proposal(revision_id: int):
    revision = services.own_revision(current_user, revision_id)
    editable = (RevisionStatus.PENDING, RevisionStatus.RETURNED)
    if revision.action is not RevisionAction.CREATE or revision.status not in editable:
        abort(404)
    is_service = revision.target is T.SERVICE
    form = _service_form(revision.payload) if is_service else _location_form(revision.payload)
    back = "portal.service_list" if is_service else "portal.location_list"
    if form.validate_on_submit():
        values = form.values() if is_service else _placed(form)
        if values is not None:
            if not attempt(lambda: revisions.update_proposal(revision, values, _me())):
                return redirect(url_for(back))
            db.session.commit()
            _saved(revision, "")
            return redirect(url_for(back))
    template = "portal/service_form.html" if is_service else "portal/location_form.html"
    return render_template(
        template, form=form, service=None, location=None, pending=None, proposal=revision,
        mode=revisions.edit_mode(revision.organization),
    )  # fmt: skip


@bp.post("/propositions/<int:revision_id>/retirer")
@provider_only
def withdraw(revision_id: int):
    revision = services.own_revision(current_user, revision_id)
    if not attempt(lambda: revisions.withdraw_revision(revision, _me())):
        return redirect(url_for("portal.dashboard"))
    db.session.commit()
    flash(_("Your proposed change is withdrawn."), "success")
    return redirect(url_for("portal.dashboard"))


# --- Colleagues -----------------------------------------------------------------------------------


@bp.get("/collegues")
@provider_only
def colleagues():
    org = _org()
    return render_template(
        "portal/colleagues.html",
        colleagues=services.colleagues(org),
        invitations=services.pending_invitations(org),
    )


def _invitation_limit() -> str:
    return settings().invitation_limit_per_user


def _inviter_key() -> str:
    return f"inviter:{current_user.get_id()}"


def _invitation_attempted(response) -> bool:
    return bool(request.environ.get(INVITED_FLAG))


@bp.route("/collegues/inviter", methods=["GET", "POST"])
@limiter.limit(
    _invitation_limit, key_func=_inviter_key, methods=["POST"], deduct_when=_invitation_attempted
)
@provider_only
def invite():
    form = InviteColleagueForm(locale=current_locale())
    if form.validate_on_submit():
        # Every complete request counts, whatever the address: the limit reveals nothing either.
        request.environ[INVITED_FLAG] = True
        if attempt(
            lambda: services.invite_colleague(
                _org(), _me(), form.name.data, form.email.data, form.locale.data
            ),
            form,
        ):
            db.session.commit()
            flash(_("The invitation was sent."), "success")
            return redirect(url_for("portal.colleagues"))
    return render_template("portal/invite.html", form=form)


@bp.post("/collegues/invitations/<int:invitation_id>/revoquer")
@provider_only
def revoke_invitation(invitation_id: int):
    invitation = services.own_invitation(current_user, invitation_id)
    if not attempt(lambda: services.revoke_colleague_invitation(invitation)):
        return redirect(url_for("portal.colleagues"))
    db.session.commit()
    flash(_("The invitation was revoked; its link no longer works."), "success")
    return redirect(url_for("portal.colleagues"))


@bp.post("/collegues/<int:user_id>/retirer")
@provider_only
@confirm_first(
    lambda colleague: _("Remove the access of %(name)s to the portal?", name=colleague.name),
    button=_l("Yes, remove the access"),
    cancel="portal.colleagues",
    load=lambda user_id: services.own_colleague(current_user, user_id),
)
def remove_colleague(user_id: int):
    colleague = services.own_colleague(current_user, user_id)
    if not attempt(lambda: services.remove_colleague(colleague, _me())):
        return redirect(url_for("portal.colleagues"))
    db.session.commit()
    current_app.logger.info("User %s removed by colleague %s", colleague.id, current_user.id)
    flash(_("%(name)s no longer has access to the portal.", name=colleague.name), "success")
    return redirect(url_for("portal.colleagues"))
