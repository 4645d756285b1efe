"""The administrators' coverage and activity dashboard."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from sqlalchemy import select

from ..catalogue.models import Region, Taxonomy, TaxonomyTerm
from ..database import utcnow
from ..extensions import db
from ..i18n import current_locale
from ..listing_reports.services import counts_by_sector_and_region
from ..recognition.services import counts_by_level
from ..roles import Role, role_required
from . import services
from .facts import NEED_TAXONOMY
from .forms import PeriodForm
from .presenting import CAPACITY_LABELS, HELPERS, dashboard_charts

bp = Blueprint("stats", __name__)


@bp.context_processor
def _helpers() -> dict:
    return HELPERS


@bp.get("/")
@role_required(Role.ADMIN)
def dashboard():
    now = utcnow()
    form = PeriodForm(formdata=request.args)
    period = form.period(services.local_today(now)) if form.validate() else None
    locale = current_locale()
    recognition = counts_by_level(services.local_today(now), locale)
    board = services.dashboard(period, now=now, locale=locale, recognition=recognition)
    return render_template(
        "stats/dashboard.html",
        form=form,
        board=board,
        charts=dashboard_charts(board),
        listing_report_counts=_report_counts(period, locale),
    )


def _report_counts(period, locale: str):
    """Problems reported on listings in the same months as the referral figures (None if none)."""
    if period is None:
        return None
    first, last = period
    tz = services.zone()
    return counts_by_sector_and_region(first.start(tz), last.plus(1).start(tz), locale)


def _region_or_404(code: str | None) -> Region:
    region = db.session.get(Region, code) if code else None
    if region is None:
        abort(404)
    return region


def _need_or_404(code: str | None) -> TaxonomyTerm:
    term = (
        db.session.scalar(
            select(TaxonomyTerm)
            .join(Taxonomy, Taxonomy.id == TaxonomyTerm.taxonomy_id)
            .where(Taxonomy.code == NEED_TAXONOMY, TaxonomyTerm.code == code)
        )
        if code
        else None
    )
    if term is None:
        abort(404)
    return term


@bp.get("/couverture")
@role_required(Role.ADMIN)
def coverage():
    region = _region_or_404(request.args.get("region", type=str))
    need = _need_or_404(request.args.get("need", type=str))
    locale = current_locale()
    return render_template(
        "stats/coverage.html",
        cell=services.cell(region, need, locale),
        capacity_labels=CAPACITY_LABELS,
    )
