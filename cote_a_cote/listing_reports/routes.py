"""Report a problem on a listing (anyone), the coordinators' queue, and the provider's list.

Every object goes through a loader: a service not listed for the viewer, a report of another
organisation or one the provider is not shown all answer 404.
"""

from __future__ import annotations

from flask import (
    Blueprint,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import current_user

from ..config import settings
from ..errors import attempt
from ..extensions import db, limiter
from ..i18n import current_locale
from ..roles import Role, role_required
from . import services
from .forms import QueueFilterForm, ReportForm, StatusForm
from .labels import KIND_LABELS, STATUS_LABELS
from .models import ReportStatus

bp = Blueprint("listing_reports", __name__)

PER_PAGE = 50
MAX_PAGE = 10_000
# Marks a request that really filed a report, so only those count against the public's limit.
FILED_FLAG = "cote_a_cote.listing_report_filed"


@bp.app_context_processor
def _template_helpers() -> dict:
    """What the includes in other features' pages (service, portal, history) need."""
    return {
        "listing_report_kind_labels": KIND_LABELS,
        "listing_report_status_labels": STATUS_LABELS,
        "listing_reports_of_organization": services.for_organization,
        "open_listing_reports_of": services.open_information_reports,
    }


def _report_limit() -> str:
    return settings().listing_report_limit_per_address


def _signed_in() -> bool:
    return current_user.is_authenticated


def _filed(response) -> bool:
    return bool(request.environ.get(FILED_FLAG))


# --- Anyone who sees the listing ------------------------------------------------------------------


@bp.route("/services/<int:service_id>/signaler", methods=["GET", "POST"])
@limiter.limit(
    _report_limit,
    key_func=get_remote_address,
    methods=["POST"],
    exempt_when=_signed_in,
    deduct_when=_filed,
)
def report(service_id: int):
    service = services.reportable_service(current_user, service_id)
    form = ReportForm()
    if form.validate_on_submit():
        reporter = current_user._get_current_object() if current_user.is_authenticated else None
        if attempt(
            lambda: services.file_report(service, form.kind_value, form.note.data, reporter),
            form,
            field="note",
        ):
            db.session.commit()
            request.environ[FILED_FLAG] = True
            flash(_("Thank you: your report was sent to the coordinating team."), "success")
            return redirect(url_for("catalogue.service", service_id=service.id))
    return render_template(
        "listing_reports/report.html", form=form, service=service, locale=current_locale()
    )


# --- Coordinators ---------------------------------------------------------------------------------


def _page_number() -> int:
    page = request.args.get("page", 1, type=int)
    return min(max(page, 1), MAX_PAGE)


@bp.get("/admin/signalements")
@role_required(Role.ADMIN)
def queue():
    form = QueueFilterForm(formdata=request.args)
    form.validate()
    status = form.chosen()
    page = db.paginate(
        services.queue_query(status), page=_page_number(), per_page=PER_PAGE, error_out=False
    )
    return render_template(
        "listing_reports/queue.html",
        form=form,
        status=status,
        page=page,
        counts=services.status_counts(),
        statuses=list(ReportStatus),
    )


@bp.get("/admin/signalements/<int:report_id>")
@role_required(Role.ADMIN)
def admin_detail(report_id: int):
    found = services.report_or_404(report_id)
    return _detail_page(found, StatusForm(services.allowed_targets(found)))


def _detail_page(found, form):
    return render_template(
        "listing_reports/admin_detail.html", report=found, form=form, locale=current_locale()
    )


@bp.post("/admin/signalements/<int:report_id>/statut")
@role_required(Role.ADMIN)
def change_status(report_id: int):
    found = services.report_or_404(report_id)
    form = StatusForm(services.allowed_targets(found))
    if form.validate_on_submit() and attempt(
        lambda: services.change_status(found, form.target, form.note.data, current_user),
        form,
        field="note",
    ):
        db.session.commit()
        flash(_("The report is now: %(status)s.", status=STATUS_LABELS[found.status]), "success")
        return redirect(url_for("listing_reports.admin_detail", report_id=found.id))
    return _detail_page(found, form)


# --- Provider staff -------------------------------------------------------------------------------


@bp.get("/portail/signalements")
@role_required(Role.PROVIDER)
def provider_list():
    return render_template(
        "listing_reports/provider_list.html",
        reports=services.open_information_reports(current_user.organization_id),
    )


@bp.get("/portail/signalements/<int:report_id>")
@role_required(Role.PROVIDER)
def provider_detail(report_id: int):
    found = services.report_for_provider(current_user, report_id)
    return render_template("listing_reports/provider_detail.html", report=found)
