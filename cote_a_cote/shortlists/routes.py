"""The intervenante's shortlists: make, fill, order, annotate, print, and refer from an entry.

Every change is a POST that calls one service and commits once; every page goes through the
role check and the shortlist loader (another intervenante's private list answers 404).
"""

from __future__ import annotations

from functools import partial

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..catalogue import services as catalogue
from ..errors import attempt
from ..extensions import db
from ..i18n import current_locale
from ..roles import Role, role_required
from . import services
from .forms import NEW_LIST, AddForm, NameForm, NoteForm
from .sheet import build_sheet

bp = Blueprint("shortlists", __name__)


def _done(call, success: str, target: str):
    """Run call(); commit and flash success, or roll back and flash the refusal; redirect."""
    if attempt(call):
        db.session.commit()
        flash(success, "success")
    return redirect(target)


@bp.route("/", methods=["GET", "POST"])
@role_required(Role.INTERVENANTE)
def index():
    form = NameForm()
    if form.validate_on_submit():
        outcome = attempt(lambda: services.create(current_user, form.name.data), form, "name")
        if outcome.value is not None:
            db.session.commit()
            flash(_("The list is created."), "success")
            return redirect(url_for("shortlists.detail", shortlist_id=outcome.value.id))
    return render_template(
        "shortlists/index.html", lists=services.lists_of(current_user), form=form
    )


@bp.get("/<int:shortlist_id>")
@role_required(Role.INTERVENANTE)
def detail(shortlist_id: int):
    shortlist = services.get_shortlist_for(current_user, shortlist_id)
    return render_template(
        "shortlists/detail.html",
        shortlist=shortlist,
        available=services.available_ids(current_user, shortlist),
        locale=current_locale(),
        rename_form=NameForm(name=shortlist.name),
        note_forms={e.id: NoteForm(prefix=f"e{e.id}", note=e.note) for e in shortlist.entries},
    )


def _here(shortlist_id: int) -> str:
    return url_for("shortlists.detail", shortlist_id=shortlist_id)


@bp.post("/<int:shortlist_id>/renommer")
@role_required(Role.INTERVENANTE)
def rename(shortlist_id: int):
    shortlist = services.get_shortlist_for(current_user, shortlist_id)
    form = NameForm()
    if not form.validate():
        flash(" ".join(form.name.errors), "error")
        return redirect(_here(shortlist_id))
    return _done(
        partial(services.rename, shortlist, form.name.data),
        _("The list is renamed."),
        _here(shortlist_id),
    )


@bp.post("/<int:shortlist_id>/supprimer")
@role_required(Role.INTERVENANTE)
def delete(shortlist_id: int):
    shortlist = services.get_shortlist_for(current_user, shortlist_id)
    return _done(
        partial(services.delete, shortlist), _("The list is deleted."), url_for("shortlists.index")
    )


@bp.post("/<int:shortlist_id>/entrees/<int:entry_id>/<any(monter, descendre):direction>")
@role_required(Role.INTERVENANTE)
def move(shortlist_id: int, entry_id: int, direction: str):
    shortlist = services.get_shortlist_for(current_user, shortlist_id)
    entry = services.get_entry(shortlist, entry_id)
    services.move(shortlist, entry, -1 if direction == "monter" else 1)
    db.session.commit()
    return redirect(_here(shortlist_id) + f"#entree-{entry_id}")


@bp.post("/<int:shortlist_id>/entrees/<int:entry_id>/note")
@role_required(Role.INTERVENANTE)
def note(shortlist_id: int, entry_id: int):
    shortlist = services.get_shortlist_for(current_user, shortlist_id)
    entry = services.get_entry(shortlist, entry_id)
    form = NoteForm(prefix=f"e{entry_id}")
    if not form.validate():
        flash(" ".join(form.note.errors), "error")
        return redirect(_here(shortlist_id))
    return _done(
        partial(services.set_note, entry, form.note.data),
        _("The note is saved."),
        _here(shortlist_id) + f"#entree-{entry_id}",
    )


@bp.post("/<int:shortlist_id>/entrees/<int:entry_id>/retirer")
@role_required(Role.INTERVENANTE)
def remove(shortlist_id: int, entry_id: int):
    shortlist = services.get_shortlist_for(current_user, shortlist_id)
    entry = services.get_entry(shortlist, entry_id)
    return _done(
        partial(services.remove, shortlist, entry),
        _("The service is removed from the list."),
        _here(shortlist_id),
    )


@bp.get("/<int:shortlist_id>/imprimer")
@role_required(Role.INTERVENANTE)
def print_sheet(shortlist_id: int):
    """A neutral sheet for the person: available services, public facts only."""
    shortlist = services.get_shortlist_for(current_user, shortlist_id)
    available = services.available_ids(current_user, shortlist)
    locale = current_locale()
    listed = [
        e.service for e in shortlist.entries if e.service is not None and e.service_id in available
    ]
    return render_template(
        "shortlists/sheet.html",
        shortlist=shortlist,
        sheet=build_sheet(listed, locale),
        unavailable=sum(e.service_id not in available for e in shortlist.entries),
        locale=locale,
    )


@bp.route("/ajouter", methods=["GET", "POST"])
@role_required(Role.INTERVENANTE)
def add():
    service = catalogue.get_service_for(current_user, request.args.get("service", 0, type=int))
    lists = services.lists_of(current_user)
    form = AddForm()
    form.set_choices(lists)
    if form.validate_on_submit():
        chosen = None if form.shortlist.data == NEW_LIST else form.shortlist.data
        added = attempt(lambda: services.add_to_list(current_user, service, chosen, form.name.data))
        if added.value is not None:
            db.session.commit()
            flash(_("The service is added to the list."), "success")
            return redirect(_here(added.value.id))
    return render_template(
        "shortlists/add.html",
        form=form,
        service=catalogue.service_card(service, current_user, current_locale()),
    )
