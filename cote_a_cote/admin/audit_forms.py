"""The administrators' audit view: the GET filters and the chain check."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from wtforms import DateField, IntegerField, StringField
from wtforms.validators import Length, NumberRange, Optional, Regexp, ValidationError

from ..accounts.models import User
from ..config import LOCAL_ZONE
from ..extensions import db
from ..forms import BaseForm, strip_spaces

_MAX_ID = 2**31 - 1  # an INTEGER column: a larger number would make PostgreSQL fail
_NAME = r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$"


class AuditFilterForm(BaseForm):
    """Filters read from the address (no CSRF: it changes nothing)."""

    class Meta:
        csrf = False

    actor = StringField(
        _l("Who (account number or e-mail address)"),
        filters=[strip_spaces],
        validators=[Optional(), Length(max=254)],
    )
    action = StringField(
        _l("Action (for example referral.view)"),
        filters=[strip_spaces],
        validators=[
            Optional(),
            Length(max=60),
            Regexp(_NAME, message=_l("An action is written like referral.accept.")),
        ],
    )
    object_type = StringField(
        _l("Object type (for example referral)"),
        filters=[strip_spaces],
        validators=[
            Optional(),
            Length(max=40),
            Regexp(_NAME, message=_l("An object type is written like referral.")),
        ],
    )
    object_id = IntegerField(
        _l("Object number"),
        validators=[
            Optional(),
            NumberRange(min=1, max=_MAX_ID, message=_l("Enter a positive whole number.")),
        ],
    )
    since = DateField(_l("From (inclusive)"), validators=[Optional()])
    until = DateField(_l("To (inclusive)"), validators=[Optional()])

    actor_id: int | None = None

    def validate_actor(self, field) -> None:
        value = field.data
        if not value:
            return
        if value.isascii() and value.isdigit():
            if not 1 <= int(value) <= _MAX_ID:
                raise ValidationError(_l("No account has this number."))
            self.actor_id = int(value)
            return
        found = db.session.scalar(select(User.id).where(func.lower(User.email) == value.lower()))
        if found is None:
            raise ValidationError(_l("No account has this e-mail address."))
        self.actor_id = found

    def validate_until(self, field) -> None:
        if field.data and self.since.data and field.data < self.since.data:
            raise ValidationError(_l("The end date cannot be before the start date."))

    def criteria(self) -> dict:
        """Keyword arguments for audit.services.events_query (once the form is valid)."""

        def start_of(day):
            return datetime.combine(day, time.min, tzinfo=LOCAL_ZONE) if day else None

        return {
            "actor_id": self.actor_id,
            "action": self.action.data or None,
            "object_type": self.object_type.data or None,
            "object_id": self.object_id.data,
            "since": start_of(self.since.data),
            # The end date is inclusive on the page; events_query's until is exclusive.
            "until": start_of(self.until.data + timedelta(days=1)) if self.until.data else None,
        }

    def query_args(self) -> dict:
        """The filters as typed, to keep them across pages."""
        names = ("actor", "action", "object_type", "object_id", "since", "until")
        return {
            name: raw for name in names if (raw := self[name].raw_data and self[name].raw_data[0])
        }


class VerifyForm(BaseForm):
    """The CSRF token only."""
