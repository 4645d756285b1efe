"""Forms of the vetting pages: one per decision, each with its own prefix (several per page)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from ..forms import BaseForm, strip_spaces
from .models import EventAction

MESSAGE_MAX = 5000


def _required(label, hint=None):
    return TextAreaField(
        label,
        filters=[strip_spaces],
        validators=[
            DataRequired(message=_l("Please write the message; the organisation will read it.")),
            Length(max=MESSAGE_MAX),
        ],
        description=hint,
    )


def _optional(label, hint=None):
    return TextAreaField(
        label,
        filters=[strip_spaces],
        validators=[Optional(), Length(max=MESSAGE_MAX)],
        description=hint,
    )


class DecisionForm(BaseForm):
    """A decision about an organisation; subclasses set the message field and its rule."""

    message = _optional(_l("Note"))


class RequestChangesForm(DecisionForm):
    message = _required(
        _l("What should the organisation change?"),
        _l("The organisation's staff read this message on their profile."),
    )


class ApproveForm(DecisionForm):
    message = _optional(
        _l("Note (optional)"), _l("Kept in the history; the organisation can read it.")
    )


class RejectForm(DecisionForm):
    message = _required(
        _l("Reason for the refusal"), _l("The organisation's staff can read this reason.")
    )


class SuspendForm(DecisionForm):
    message = _required(
        _l("Reason for the suspension"),
        _l("The organisation disappears from search at once; its staff can read this reason."),
    )


class ReinstateForm(DecisionForm):
    message = _optional(_l("Note (optional)"))


# decision -> (form class, prefix of its fields on the review page)
DECISION_FORMS: dict[EventAction, tuple[type[DecisionForm], str]] = {
    EventAction.CHANGES_REQUESTED: (RequestChangesForm, "changes"),
    EventAction.APPROVED: (ApproveForm, "approve"),
    EventAction.REJECTED: (RejectForm, "reject"),
    EventAction.SUSPENDED: (SuspendForm, "suspend"),
    EventAction.REINSTATED: (ReinstateForm, "reinstate"),
}


class ApproveRevisionForm(BaseForm):
    """Publishing a revision needs nothing but the CSRF token."""


class ReturnRevisionForm(BaseForm):
    message = _required(
        _l("Message to the organisation"),
        _l("Say what to correct; the organisation's staff read it with the returned change."),
    )
