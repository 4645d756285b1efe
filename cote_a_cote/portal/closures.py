"""Closures and pauses of a service, set by its provider's staff (/portail/services/<id>/...).

Provider role on every route; services.own_service answers 404 for another organisation's.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..errors import attempt
from ..extensions import db
from ..roles import Role, role_required
from . import closure_services as closures
from .closure_forms import ClosureForm, PauseForm
from .services import own_service

bp = Blueprint("closures", __name__)
provider_only = role_required(Role.PROVIDER)


def _closure_of(service, closure_id: int):
    closure = next((c for c in service.closures if c.id == closure_id), None)
    if closure is None:
        abort(404)
    return closure


def _page(service, closure_form=None, pause_form=None, editing=None):
    pause = service.pause
    if pause_form is None:
        pause_form = PauseForm(formdata=None, obj=pause, prefix="pause")
    return render_template(
        "portal/closures.html",
        service=service,
        closures=closures.current_closures(service),
        pause=pause,
        closure_form=closure_form or ClosureForm(formdata=None),
        pause_form=pause_form,
        editing=editing,
    )


def _back(service):
    return redirect(url_for("closures.page", service_id=service.id))


@bp.get("/services/<int:service_id>/fermetures")
@provider_only
def page(service_id: int):
    return _page(own_service(current_user, service_id))


@bp.post("/services/<int:service_id>/fermetures")
@provider_only
def add(service_id: int):
    service = own_service(current_user, service_id)
    form = ClosureForm()
    if form.validate_on_submit() and attempt(
        lambda: closures.save_closure(service, form.data_for_service(), current_user), form
    ):
        db.session.commit()
        flash(_("The closure is saved and shown at once."), "success")
        return _back(service)
    return _page(service, closure_form=form)


@bp.route("/services/<int:service_id>/fermetures/<int:closure_id>", methods=["GET", "POST"])
@provider_only
def edit(service_id: int, closure_id: int):
    service = own_service(current_user, service_id)
    closure = _closure_of(service, closure_id)
    form = ClosureForm(obj=closure)
    if form.validate_on_submit():
        if attempt(
            lambda: closures.save_closure(service, form.data_for_service(), current_user, closure),
            form,
        ):
            db.session.commit()
            flash(_("The closure is saved and shown at once."), "success")
            return _back(service)
        return _page(service, closure_form=form, editing=closure)
    return _page(service, closure_form=form, editing=closure)


@bp.post("/services/<int:service_id>/fermetures/<int:closure_id>/supprimer")
@provider_only
def remove(service_id: int, closure_id: int):
    service = own_service(current_user, service_id)
    closures.remove_closure(service, _closure_of(service, closure_id), current_user)
    db.session.commit()
    flash(_("The closure is removed."), "success")
    return _back(service)


@bp.post("/services/<int:service_id>/pause")
@provider_only
def pause(service_id: int):
    service = own_service(current_user, service_id)
    form = PauseForm(prefix="pause")
    if form.validate_on_submit() and attempt(
        lambda: closures.set_pause(
            service,
            form.starts_on.data,
            form.ends_on.data,
            form.message_fr.data,
            form.message_en.data,
            current_user,
        ),
        form,
    ):
        db.session.commit()
        flash(_("The pause is saved: the service takes no new referrals during it."), "success")
        return _back(service)
    return _page(service, pause_form=form)


@bp.post("/services/<int:service_id>/pause/retirer")
@provider_only
def end_pause(service_id: int):
    service = own_service(current_user, service_id)
    closures.remove_pause(service, current_user)
    db.session.commit()
    flash(_("The pause is removed."), "success")
    return _back(service)
