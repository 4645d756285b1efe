"""The words for each kind of problem and each status, in one place (translated when shown)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from .models import ReportKind, ReportStatus

KIND_LABELS = {
    ReportKind.WRONG_INFORMATION: _l("Wrong information (phone, hours, address, services)"),
    ReportKind.CLOSED_OR_MOVED: _l("Closed or moved"),
    ReportKind.POOR_WELCOME: _l("Poor welcome"),
    ReportKind.OTHER: _l("Other problem"),
}

# Own msgids (English msgstr "New", "Fixed"…): a report (un signalement) takes the masculine in
# French, where the referral statuses take the feminine.
STATUS_LABELS = {
    ReportStatus.NEW: _l("Report status: new"),
    ReportStatus.IN_PROGRESS: _l("Report status: in progress"),
    ReportStatus.FIXED: _l("Report status: fixed"),
    ReportStatus.DISMISSED: _l("Report status: dismissed"),
}

# The button that moves a report to each status.
ACTION_LABELS = {
    ReportStatus.IN_PROGRESS: _l("Take it up (in progress)"),
    ReportStatus.FIXED: _l("Mark as fixed"),
    ReportStatus.DISMISSED: _l("Dismiss"),
}
