"""The annual report and its CSV and PDF exports (administrators only)."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..errors import attempt
from ..extensions import db
from ..i18n import current_locale
from ..roles import Role, role_required
from . import exports, glossary, story
from .forms import HighlightsForm, YearForm
from .services import YearError, available_years, compute, parse_year, record_export
from .tables import FULL, FUNDER, VIEWS, report_tables

bp = Blueprint("reporting", __name__)

_AUDIT_VIEW = {FULL: "full", FUNDER: "funder"}
_FORMATS = {"csv": "text/csv; charset=utf-8", "pdf": "application/pdf"}


def _chosen():
    """(year, view, form, error): the year and view asked for, or the message saying why not."""
    form = YearForm(formdata=None)
    view = request.args.get("vue", FULL)
    error = None
    try:
        year = parse_year(request.args.get("annee"))
    except YearError as problem:
        year, error = None, str(problem)
        form.annee.errors = [error]
    form.offer(available_years(), year)
    if year is None:
        form.annee.data = request.args.get("annee", "")
    return year, view, form, error


def _page(view: str, year, form, status: int = 200, message: str | None = None):
    figures = compute(year, current_locale()) if year is not None else None
    return (
        render_template(
            "reporting/report.html",
            form=form,
            view=view,
            views={"full": FULL, "funder": FUNDER},
            year=year,
            figures=figures,
            tables=report_tables(figures, view) if figures else [],
            glossary=glossary.entries(view == FUNDER),
            display=exports.display,
            cell_class=exports.cell_class,
            message=message,
        ),
        status,
    )


@bp.get("/")
@role_required(Role.ADMIN)
def index():
    year, _view, form, error = _chosen()
    return _page(FULL, year, form, 400 if error else 200)


@bp.get("/bailleur")
@role_required(Role.ADMIN)
def funder():
    year, _view, form, error = _chosen()
    return _page(FUNDER, year, form, 400 if error else 200)


def _export(fmt: str):
    year, view, form, error = _chosen()
    if error:
        return _page(view if view in VIEWS else FULL, None, form, 400)
    if view not in VIEWS:
        return _page(FULL, year, form, 400, _("Choose the full view or the funder view."))
    locale = current_locale()
    figures = compute(year, locale)
    tables = report_tables(figures, view)
    entries = glossary.entries(view == FUNDER)
    if fmt == "csv":
        body = exports.to_csv(
            year.label, view, figures.as_of, tables, entries, locale, figures.story.highlights
        )
    else:
        body = exports.to_pdf(
            year.label, view, figures.as_of, tables, entries, figures.story.highlights
        )
    record_export(current_user, year, _AUDIT_VIEW[view], fmt, request.remote_addr)
    db.session.commit()
    response = Response(body, content_type=_FORMATS[fmt])
    name = exports.filename(year.label, view, fmt)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/export.csv")
@role_required(Role.ADMIN)
def export_csv():
    return _export("csv")


@bp.get("/export.pdf")
@role_required(Role.ADMIN)
def export_pdf():
    return _export("pdf")


@bp.route("/faits-saillants", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def highlights():
    """The year's highlights, one short text per quarter."""
    try:
        year = parse_year(request.values.get("annee"))
    except YearError:
        abort(404)
    form = HighlightsForm()
    if not form.is_submitted():
        form.fill(story.highlight_texts(year))
    elif form.validate_on_submit() and attempt(
        lambda: story.save_highlights(year, form.texts(), current_user), form
    ):
        db.session.commit()
        flash(_("The highlights of %(year)s are saved.", year=year.label), "success")
        return redirect(url_for("reporting.index", annee=year.start_year))
    status = 400 if form.is_submitted() else 200
    return render_template("reporting/highlights.html", form=form, year=year), status
