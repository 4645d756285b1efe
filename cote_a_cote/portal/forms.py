"""Forms of the partner application and the provider portal.

Each edit form turns its input into the JSON-safe values revisions.py stores (``values()``) and
is filled from such values (``values=``), so a pending change is shown exactly as proposed.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    EmailField,
    FieldList,
    FormField,
    IntegerField,
    PasswordField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TelField,
    TextAreaField,
    TimeField,
    URLField,
)
from wtforms.validators import (
    DataRequired,
    Email,
    EqualTo,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)

from ..accounts.services import MIN_PASSWORD_LENGTH
from ..catalogue.models import (
    COST_FEE,
    COST_FREE,
    COST_KINDS,
    COST_REDUCED,
    CapacityStatus,
    Visibility,
)
from ..catalogue.services import language_name
from ..forms import (
    AtLeastOne,
    BaseForm,
    DecimalCommaField,
    MultiCheckboxField,
    SubForm,
    UploadForm,
    strip_spaces,
    trimmed,
    web_address,
)
from ..printsafe import found_words
from ..validators import Required
from ..vocabulary.languages import OFFERED

APPLICATION_SERVICE_ROWS = 3
BLANK_SCHEDULE_ROWS = 3
MAX_SCHEDULE_ROWS = 28


def _email_field(label, required=False):
    first = Required() if required else Optional()
    return EmailField(
        label,
        filters=[trimmed],
        validators=[first, Length(max=254), Email(message=_l("Enter a valid e-mail address."))],
    )


def _text(label, max_length=200, required=False):
    first = Required() if required else Optional()
    return StringField(label, filters=[trimmed], validators=[first, Length(max=max_length)])


def _area(label):
    return TextAreaField(label, filters=[trimmed], validators=[Optional(), Length(max=5000)])


def _no_forbidden_word(form, field) -> None:
    """A text printed for the person names neither the platform nor its purpose."""
    words = found_words(field.data)
    if words:
        raise ValidationError(
            _l(
                "This text is printed for the person: remove “%(words)s”. It must name neither "
                "the platform nor trafficking, exploitation or the sex industry.",
                words="”, “".join(words),
            )
        )


def _person_text(label):
    return TextAreaField(
        label,
        filters=[trimmed],
        validators=[Optional(), Length(max=400), _no_forbidden_word],
    )


PERSON_TEXT_FIELDS = ("person_text_fr", "person_text_en")


VISIBILITY_CHOICES = [
    SelectChoice(Visibility.PUBLIC.value, _l("Listed publicly: anyone can see that we take part")),
    SelectChoice(
        Visibility.INTERVENANTES.value,
        _l("Intervenantes only: our participation is not shown to the public"),
    ),
]


def _options(pairs) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in pairs]


def _with_blank(choices, label=None):
    return [SelectChoice("", label or _l("Choose…")), *_options(choices)]


# --- The public application -----------------------------------------------------------------------


class ServiceRowForm(SubForm):
    name = _text(_l("Name of the service"))
    needs = MultiCheckboxField(_l("Needs it answers"))


class ApplicationForm(BaseForm):
    organization_name = _text(_l("Name of the organisation"), required=True)
    sector = SelectField(_l("Sector of activity"), validators=[Required()])
    contact_name = _text(_l("Your name"), max_length=120, required=True)
    email = _email_field(_l("Your e-mail address"), required=True)
    password = PasswordField(
        _l("Choose a password"),
        validators=[
            Required(message=_l("Choose a password.")),
            Length(
                min=MIN_PASSWORD_LENGTH,
                message=_l("The password must have at least %(min)d characters."),
            ),
            Length(max=1024),
        ],
    )
    confirm = PasswordField(
        _l("Confirm the password"),
        validators=[
            Required(message=_l("Enter the password again to confirm it.")),
            EqualTo("password", message=_l("The two passwords do not match.")),
        ],
    )
    phone = TelField(_l("Phone"), filters=[trimmed], validators=[Optional(), Length(max=40)])
    regions = MultiCheckboxField(
        _l("Regions you serve"),
        validators=[AtLeastOne(_l("Choose at least one region."))],
    )
    services = FieldList(
        FormField(ServiceRowForm),
        min_entries=APPLICATION_SERVICE_ROWS,
        max_entries=APPLICATION_SERVICE_ROWS,
    )
    visibility = RadioField(
        _l("Visibility"), choices=VISIBILITY_CHOICES, default=Visibility.PUBLIC.value
    )
    accept = BooleanField(
        _l("We commit to the partner commitments described on this page."),
        validators=[DataRequired(message=_l("Accept the commitments to apply."))],
    )

    def __init__(self, sectors, regions, needs, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.sector.choices = _with_blank(sectors)
        self.regions.choices = _options(regions)
        for entry in self.services.entries:
            entry.form.needs.choices = _options(needs)

    services_error = None  # the message about the services as a whole, shown above them

    def validate_services(self, field):
        complete = 0
        for entry in field.entries:
            row = entry.form
            if row.name.data and not row.needs.data:
                row.needs.errors = [*row.needs.errors, _l("Choose at least one need.")]
            elif row.needs.data and not row.name.data:
                row.name.errors = [*row.name.errors, _l("Give the service a name.")]
            else:
                complete += bool(row.name.data)
                continue
            self.services_error = _l("Each service needs a name and at least one need.")
            raise ValidationError(self.services_error)
        if not complete:
            self.services_error = _l("Describe at least one service you offer.")
            raise ValidationError(self.services_error)

    def service_drafts(self) -> list[tuple[str, list[str]]]:
        return [
            (e.form.name.data, e.form.needs.data) for e in self.services.entries if e.form.name.data
        ]


class ResendVerificationForm(BaseForm):
    email = EmailField(
        _l("E-mail address"),
        filters=[strip_spaces],
        validators=[Required(), Length(max=254)],
    )


class ConfirmEmailForm(BaseForm):
    """Only a button: opening the link changes nothing by itself (mail scanners open links)."""


# --- Organisation ---------------------------------------------------------------------------------


class LogoForm(UploadForm):
    """The organisation's logo (a PNG or JPEG image; checked by the uploads package)."""

    logo = FileField(_l("Logo"), validators=[FileRequired(message=_l("Choose an image."))])


class OrganizationForm(BaseForm):
    name = _text(_l("Name of the organisation"), required=True)
    alternate_name = _text(_l("Other name (acronym, trade name)"))
    sector = SelectField(_l("Sector of activity"))
    description_fr = _area(_l("Description in French"))
    description_en = _area(_l("Description in English"))
    email = _email_field(_l("E-mail address"))
    phone = TelField(_l("Phone"), filters=[trimmed], validators=[Optional(), Length(max=40)])
    website = URLField(
        _l("Website"),
        filters=[trimmed],
        validators=[Optional(), Length(max=300), web_address],
    )
    visibility = RadioField(_l("Visibility"), choices=VISIBILITY_CHOICES)

    def __init__(self, sectors, values: dict | None = None, **kwargs):
        data = dict(values or {})
        data["sector"] = data.get("sector") or ""
        super().__init__(data=data, **kwargs)
        self.sector.choices = _with_blank(sectors, _l("Not given"))

    def values(self) -> dict:
        return {
            "name": self.name.data,
            "alternate_name": self.alternate_name.data,
            "sector": self.sector.data or None,
            "description_fr": self.description_fr.data,
            "description_en": self.description_en.data,
            "email": self.email.data,
            "phone": self.phone.data,
            "website": self.website.data,
            "visibility": self.visibility.data,
        }


# --- Service --------------------------------------------------------------------------------------

TERM_FIELDS = {
    "need": "needs",
    "population": "populations",
    "exploitation": "exploitation",
    "access": "access",
}


class ServiceForm(BaseForm):
    name_fr = _text(_l("Name in French"), required=True)
    name_en = _text(_l("Name in English"))
    description_fr = _area(_l("Description in French"))
    description_en = _area(_l("Description in English"))
    eligibility_fr = _area(_l("Who can use it (French)"))
    eligibility_en = _area(_l("Who can use it (English)"))
    cost_fr = _area(_l("Cost (French)"))
    cost_en = _area(_l("Cost (English)"))
    person_text_fr = _person_text(_l("Text for the person (French)"))
    person_text_en = _person_text(_l("Text for the person (English)"))
    minimum_age = IntegerField(
        _l("Minimum age"), validators=[Optional(), NumberRange(min=0, max=120)]
    )
    maximum_age = IntegerField(
        _l("Maximum age"), validators=[Optional(), NumberRange(min=0, max=120)]
    )
    email = _email_field(_l("E-mail address"))
    url = URLField(
        _l("Web page"),
        filters=[trimmed],
        validators=[Optional(), Length(max=300), web_address],
    )
    phone = TelField(_l("Phone"), filters=[trimmed], validators=[Optional(), Length(max=40)])
    text_phone = TelField(
        _l("Number for text messages (SMS)"),
        filters=[trimmed],
        validators=[Optional(), Length(max=40)],
    )
    cost_kind = SelectField(
        _l("What it costs the person"),
        choices=[
            SelectChoice("", _l("Not stated")),
            SelectChoice(COST_FREE, _l("Free")),
            SelectChoice(COST_REDUCED, _l("Reduced cost")),
            SelectChoice(COST_FEE, _l("Fee charged")),
        ],
        default="",
        validate_choice=False,  # absent means not stated; validate_cost_kind refuses the rest
    )
    is_24_7 = BooleanField(_l("Open 24 hours a day, 7 days a week"))
    is_remote = BooleanField(_l("Also offered remotely (phone, video)"))
    needs = MultiCheckboxField(
        _l("Needs"), validators=[AtLeastOne(_l("Choose at least one need."))]
    )
    populations = MultiCheckboxField(_l("Populations served"))
    excluded = MultiCheckboxField(_l("Populations not served"))
    exploitation = MultiCheckboxField(_l("Forms of exploitation"))
    access = MultiCheckboxField(_l("Access features"))
    languages = MultiCheckboxField(
        _l("Languages"), validators=[AtLeastOne(_l("Choose at least one language."))]
    )
    regions = MultiCheckboxField(
        _l("Regions served"), validators=[AtLeastOne(_l("Choose at least one region."))]
    )
    locations = MultiCheckboxField(_l("Places where it is offered"), coerce=int)

    def __init__(self, choices: dict, locale: str, values: dict | None = None, **kwargs):
        """choices: term choices by taxonomy code, plus 'regions' and 'locations'."""
        data = dict(values or {})
        terms = set(data.pop("terms", None) or [])
        for taxonomy, name in TERM_FIELDS.items():
            data[name] = [code for code, _label in choices[taxonomy] if code in terms]
        super().__init__(data=data, **kwargs)
        for taxonomy, name in TERM_FIELDS.items():
            self[name].choices = _options(choices[taxonomy])
        known = list(OFFERED)
        known += [c for c in (values or {}).get("languages") or [] if c not in known]
        self.languages.choices = _options((code, language_name(code, locale)) for code in known)
        self.excluded.choices = _options(choices["population"])
        self.regions.choices = _options(choices["regions"])
        self.locations.choices = _options(choices["locations"])

    def validate_maximum_age(self, field):
        low = self.minimum_age.data
        if field.data is not None and low is not None and field.data < low:
            raise ValidationError(_l("The maximum age cannot be lower than the minimum age."))

    def validate_cost_kind(self, field):
        if field.data and field.data not in COST_KINDS:
            raise ValidationError(_l("Choose what the service costs from the list."))

    def validate_excluded(self, field):
        served = set(field.data or []) & set(self.populations.data or [])
        if served:
            raise ValidationError(
                _l("A population cannot be both served and not served: choose one or the other.")
            )

    def values(self) -> dict:
        names = (
            "name_fr", "name_en", "description_fr", "description_en", "eligibility_fr",
            "eligibility_en", "cost_fr", "cost_en", "minimum_age", "maximum_age", "email", "url",
            "phone", "text_phone", "cost_kind", "is_24_7", "is_remote", "languages", "regions",
            "locations", "excluded",
        )  # fmt: skip
        values = {name: self[name].data for name in names}
        values["cost_kind"] = values["cost_kind"] or None
        values.update({name: self[name].data for name in PERSON_TEXT_FIELDS})
        values["terms"] = [code for name in TERM_FIELDS.values() for code in self[name].data]
        return values


# --- Place ----------------------------------------------------------------------------------------


class LocationForm(BaseForm):
    name = _text(_l("Name of the place"))
    address_1 = _text(_l("Street address"))
    postal_code = StringField(
        _l("Postal code"),
        filters=[trimmed, lambda v: v.upper() if isinstance(v, str) else v],
        validators=[
            Optional(),
            Regexp(
                r"^[A-Z]\d[A-Z] ?\d[A-Z]\d$",
                message=_l("Enter a Canadian postal code, for example H2X 1Y4."),
            ),
        ],
    )
    municipality = _text(_l("Municipality"), max_length=120, required=True)
    latitude = DecimalCommaField(
        _l("Latitude"), validators=[Optional(), NumberRange(min=-90, max=90)]
    )
    longitude = DecimalCommaField(
        _l("Longitude"), validators=[Optional(), NumberRange(min=-180, max=180)]
    )
    region_code = SelectField(_l("Region"))
    is_confidential = BooleanField(
        _l(
            "Confidential address: only an intervenante with an accepted referral will see "
            "the street address"
        )
    )

    def __init__(self, regions, values: dict | None = None, **kwargs):
        data = dict(values or {})
        data["region_code"] = data.get("region_code") or ""
        super().__init__(data=data, **kwargs)
        self.region_code.choices = _with_blank(regions, _l("From the municipality"))

    def values(self) -> dict:
        return {
            "name": self.name.data,
            "address_1": self.address_1.data,
            "postal_code": self.postal_code.data,
            "municipality": self.municipality.data,
            "region_code": self.region_code.data or None,
            "latitude": self.latitude.data,
            "longitude": self.longitude.data,
            "is_confidential": bool(self.is_confidential.data),
        }

    def add_error(self, field_name: str | None, message: str) -> None:
        field = self._fields.get(field_name or "", self.municipality)
        field.errors = [*field.errors, message]


# --- Opening hours, capacity ----------------------------------------------------------------------


class ScheduleRowForm(SubForm):
    weekday = SelectField(_l("Day"), validators=[Optional()])
    opens_at = TimeField(_l("Opens at"), validators=[Optional()])
    closes_at = TimeField(_l("Closes at"), validators=[Optional()])

    def validate(self, extra_validators=None) -> bool:
        # The row as a whole: each field's own chain stops at Optional() when it is empty, so a
        # day without times would otherwise pass.
        if not super().validate(extra_validators):
            return False
        try:
            self.check_row(self.closes_at)
        except ValidationError as error:
            self.closes_at.errors = [*self.closes_at.errors, str(error)]
            return False
        return True

    def check_row(self, field):
        if not self.weekday.data and not self.opens_at.data and not field.data:
            return  # an empty row
        if not (self.weekday.data and self.opens_at.data and field.data):
            raise ValidationError(_l("Give the day, the opening time and the closing time."))
        if self.opens_at.data >= field.data:
            raise ValidationError(_l("The closing time must come after the opening time."))


class ScheduleForm(BaseForm):
    rows = FieldList(FormField(ScheduleRowForm), max_entries=MAX_SCHEDULE_ROWS)

    def __init__(self, day_names: list[tuple[str, str]], periods=None, **kwargs):
        rows = [
            {"weekday": str(p.weekday), "opens_at": p.opens_at, "closes_at": p.closes_at}
            for p in periods or []
        ]
        super().__init__(data={"rows": rows}, **kwargs)
        if not self.is_submitted():
            for _ in range(BLANK_SCHEDULE_ROWS):
                self.rows.append_entry()
        for entry in self.rows.entries:
            entry.form.weekday.choices = _with_blank(day_names, _l("No day"))

    def periods(self):
        return [
            (int(e.form.weekday.data), e.form.opens_at.data, e.form.closes_at.data)
            for e in self.rows.entries
            if e.form.weekday.data
        ]


class CapacityForm(BaseForm):
    # The buttons carry the status: one click records it.
    status = SelectField(
        _l("Capacity"),
        choices=[SelectChoice(c.value, c.value) for c in CapacityStatus],
        validators=[InputRequired()],
    )
    weeks = IntegerField(
        _l("Waiting time in weeks"), validators=[Optional(), NumberRange(min=1, max=104)]
    )


# --- Colleagues -----------------------------------------------------------------------------------


class InviteColleagueForm(BaseForm):
    name = _text(_l("Name"), max_length=120, required=True)
    email = _email_field(_l("E-mail address"), required=True)
    locale = SelectField(
        _l("Language of the invitation e-mail"),
        choices=[SelectChoice("fr", "Français"), SelectChoice("en", "English")],
        default="fr",
    )

    def add_error(self, field_name: str | None, message: str) -> None:
        field = self._fields.get(field_name or "", self.email)
        field.errors = [*field.errors, message]
