"""The person's answer form: the code (posted, never in the address), four ratings, a comment."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, SelectChoice, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from ..forms import BaseForm, plain_text
from .models import COMMENT_MAX

SCALE = [
    SelectChoice("1", _l("Not at all")),
    SelectChoice("2", _l("A little")),
    SelectChoice("3", _l("Somewhat")),
    SelectChoice("4", _l("Mostly")),
    SelectChoice("5", _l("Completely")),
]


def _rating(label):
    return RadioField(
        label,
        choices=SCALE,
        validators=[InputRequired(message=_l("Please choose an answer on the scale."))],
    )


class FeedbackForm(BaseForm):
    code = StringField(
        _l("Your reference number"),
        filters=[plain_text],
        validators=[
            InputRequired(message=_l("Enter the reference number written on your sheet.")),
            Length(max=20, message=_l("A reference number has 8 characters, like ABCD-EFGH.")),
        ],
    )
    respect = _rating(_l("Respect: was the welcome respectful?"))
    no_judgement = _rating(_l("No judgement: was the welcome free of judgement?"))
    confidentiality = _rating(_l("Confidentiality: did what you said stay confidential?"))
    felt_safe = _rating(_l("Safety: did you feel safe?"))
    comment = TextAreaField(
        _l("Anything to add? (optional)"),
        filters=[plain_text],
        validators=[
            Optional(),
            Length(
                max=COMMENT_MAX,
                message=_l("Please keep the comment to %(max)d characters.", max=COMMENT_MAX),
            ),
        ],
    )

    RATINGS = ("respect", "no_judgement", "confidentiality", "felt_safe")

    def ratings(self) -> dict[str, int]:
        return {name: int(self[name].data) for name in self.RATINGS}
