"""Every setting, declared once: its environment variable, kind, accepted values and default.

load_settings() reads the environment once into a frozen Settings and reports every bad value
at once (ConfigError); init_settings() fills Flask's app.config from it and keeps it in
app.extensions, where modules find it with settings(). Defaults live here only.
"""

from __future__ import annotations

import math
import os
import re
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, Generic, Protocol, TypeVar
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import click
import limits
from flask import Flask, current_app
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_INSTANCE = PROJECT_ROOT / "instance"

# Québec's time: every "today", "open now", business day, consent date and April–March report
# year is counted in it (America/Montreal is an alias of this zone).
LOCAL_TIMEZONE = "America/Toronto"
LOCAL_ZONE = ZoneInfo(LOCAL_TIMEZONE)

# Never printed for the person (cote_a_cote/printsafe.py says how they match; "*" marks a stem).
DEFAULT_HANDOUT_FORBIDDEN_WORDS = (
    "Côte-à-Côte",
    "cote a cote",
    "exploitation",
    "exploitation sexuelle",
    "exploité*",
    "traite",
    "trafficking",
    "traffick*",
    "trafic humain",
    "human trafficking",
    "proxénète*",
    "proxénétisme",
    "prostitu*",
    "sex work*",
    "travail du sexe",
    "travailleuse du sexe",
    "travailleur du sexe",
    "industrie du sexe",
    "sex industr*",
    "pimp",
    "victime de traite",
    "survivante",
    "survivant",
    "survivor*",
)

KIB = 1024
MIB = 1024 * KIB
GIB = 1024 * MIB
# More digits than any range below needs: a longer number is refused before int() reads it.
MAX_DIGITS = 12
# Longest shown part of a refused value in an error message.
SHOWN_CHARACTERS = 40
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f]")

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)


class ConfigError(click.ClickException, RuntimeError):
    """Settings that cannot be used, all named in one message; flask and gunicorn print it and
    stop with status 1 (a RuntimeError too, as the settings' errors were before)."""

    def __init__(self, problems: list[str]) -> None:
        count = "1 setting is" if len(problems) == 1 else f"{len(problems)} settings are"
        lines = "".join(f"\n  - {problem}" for problem in problems)
        super().__init__(f"Côte-à-Côte cannot start: {count} wrong.{lines}")
        self.problems = tuple(problems)


# Kinds: how a variable's text becomes a value. parse() raises ValueError with what is wrong
# with the value, worded to follow it ("'abc' is not a whole number").


class Kind(Protocol[T_co]):
    @property
    def accepted(self) -> str:
        """What the variable accepts, worded to follow "must be"."""
        ...

    @property
    def hidden(self) -> bool:
        """Whether the value is kept out of messages (keys, passwords, URLs with a password)."""
        ...

    def parse(self, text: str) -> T_co: ...


@dataclass(frozen=True)
class WholeNumber:
    minimum: int
    maximum: int
    hidden: bool = False

    @property
    def accepted(self) -> str:
        return f"a whole number from {self.minimum} to {self.maximum}"

    def parse(self, text: str) -> int:
        digits = text.strip()
        if not re.fullmatch(r"[+-]?[0-9]+", digits):
            raise ValueError("is not a whole number")
        if len(digits.lstrip("+-")) > MAX_DIGITS:
            raise ValueError(f"is too long (more than {MAX_DIGITS} digits)")
        number = int(digits)
        if number < self.minimum:
            raise ValueError(f"is below {self.minimum}")
        if number > self.maximum:
            raise ValueError(f"is above {self.maximum}")
        return number


@dataclass(frozen=True)
class Share:
    """A share of a whole: above 0, at most 1."""

    hidden: bool = False
    accepted: str = "a decimal number above 0 and at most 1 (such as 0.75)"

    def parse(self, text: str) -> float:
        if not re.fullmatch(r"[0-9]{1,3}(\.[0-9]{0,12})?|\.[0-9]{1,12}", text.strip()):
            raise ValueError("is not a decimal number")
        share = float(text)
        if not (math.isfinite(share) and 0 < share <= 1):
            raise ValueError("is not above 0 and at most 1")
        return share


@dataclass(frozen=True)
class Choice:
    options: tuple[str, ...]
    hidden: bool = False

    @property
    def accepted(self) -> str:
        return " or ".join((", ".join(self.options[:-1]), self.options[-1]))

    def parse(self, text: str) -> str:
        option = text.strip().lower()
        if option not in self.options:
            raise ValueError("is not one of them")
        return option


@dataclass(frozen=True)
class Flag:
    hidden: bool = False
    accepted: str = "1, true, yes or on; or 0, false, no or off"

    def parse(self, text: str) -> bool:
        word = text.strip().lower()
        if word in {"1", "true", "yes", "on"}:
            return True
        if word in {"0", "false", "no", "off"}:
            return False
        raise ValueError("is neither")


@dataclass(frozen=True)
class Words:
    """Comma-separated words, each trimmed."""

    hidden: bool = False
    accepted: str = "words separated by commas, without control characters"

    def parse(self, text: str) -> tuple[str, ...]:
        if CONTROL_CHARACTERS.search(text):
            raise ValueError("contains a control character")
        words = tuple(word.strip() for word in text.split(",") if word.strip())
        if not words:
            raise ValueError("holds no word")
        return words


@dataclass(frozen=True)
class Text:
    """Text taken as written (a key keeps its spaces), without control characters."""

    hidden: bool = False
    max_length: int = 500

    @property
    def accepted(self) -> str:
        return f"text of at most {self.max_length} characters, without control characters"

    def parse(self, text: str) -> str:
        if CONTROL_CHARACTERS.search(text):
            raise ValueError("contains a control character")
        if len(text) > self.max_length:
            raise ValueError(f"is longer than {self.max_length} characters")
        return text


@dataclass(frozen=True)
class Folder:
    hidden: bool = False
    accepted: str = "a folder's path"

    def parse(self, text: str) -> Path:
        return Path(Text(max_length=4096).parse(text)).resolve()


@dataclass(frozen=True)
class WebAddress:
    hidden: bool = False
    accepted: str = "an http:// or https:// address with a host name"

    def parse(self, text: str) -> str:
        address = Text(max_length=2000).parse(text.strip())
        parts = urlsplit(address)
        if parts.scheme not in {"http", "https"} or not parts.hostname:
            raise ValueError("is not such an address")
        return address


@dataclass(frozen=True)
class RateLimit:
    hidden: bool = False
    accepted: str = "a rate such as '5 per 15 minutes' or '3 per hour'"

    def parse(self, text: str) -> str:
        try:
            limits.parse_many(Text(max_length=200).parse(text))
        except ValueError:
            raise ValueError("is not such a rate") from None
        return text


@dataclass(frozen=True)
class DatabaseUrl:
    """A PostgreSQL or SQLite URL, spelt for the psycopg driver; hidden (it may hold a
    password)."""

    hidden: bool = True
    accepted: str = "a postgresql://… or sqlite:///… database URL"

    def parse(self, text: str) -> str:
        url = re.sub(r"^postgres(ql)?://", "postgresql+psycopg://", text.strip())
        try:
            driver = make_url(url).drivername
        except (ArgumentError, ValueError):
            raise ValueError("is not a database URL") from None
        if not driver.startswith(("postgresql", "sqlite")):
            raise ValueError("is for another database")
        return url


SECRET = Text(hidden=True)


@dataclass(frozen=True)
class Derived(Generic[T]):
    """A default computed from the settings declared before it (by field name)."""

    compute: Callable[[Mapping[str, Any]], T]


@dataclass(frozen=True)
class Declaration(Generic[T]):
    env: str
    kind: Kind[T]
    default: T | Derived[T]
    flask_key: str

    def refusal(self, text: str, problem: str) -> str:
        """The error line for a refused value; a hidden value is never shown."""
        if self.kind.hidden:
            shown = "the value (hidden)"
        elif len(text) > SHOWN_CHARACTERS:
            shown = f"{text[:SHOWN_CHARACTERS]!r}… ({len(text)} characters)"
        else:
            shown = repr(text)
        return f"{self.env} must be {self.kind.accepted}: {shown} {problem}."


def setting(env: str, kind: Kind[T], default: T | Derived[T], *, flask_key: str = "") -> T:
    """Declare a Settings field: read from env, checked by kind, default when unset or empty;
    flask_key names it in app.config when Flask knows it by another name."""
    return field(metadata={"declaration": Declaration(env, kind, default, flask_key or env)})


def _local_secret_key(instance_path: Path, name: str) -> str:
    """Return the key stored under instance/, creating it once for local use."""
    key_file = instance_path / name
    if key_file.exists():
        return key_file.read_text().strip()
    instance_path.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


def _local_secret(file_name: str) -> Derived[str]:
    """A key generated once under instance/ for local use; none in production, where the key
    must be given (_conflicts says so)."""

    def compute(values: Mapping[str, Any]) -> str:
        if values["cote_env"] == "production":
            return ""
        return _local_secret_key(values["instance_path"], file_name)

    return Derived(compute)


def _under_instance(name: str) -> Derived[str]:
    return Derived(lambda values: str(values["instance_path"] / name))


def _search_backend(values: Mapping[str, Any]) -> str:
    """PostgreSQL rows on a PostgreSQL database (every app server searches the same rows)."""
    return "postgresql" if values["database_url"].startswith("postgresql") else "whoosh"


def _sqlite_under_instance(values: Mapping[str, Any]) -> str:
    return f"sqlite:///{values['instance_path'] / 'cote_a_cote.sqlite3'}"


def _in_production(values: Mapping[str, Any]) -> bool:
    return values["cote_env"] == "production"


def _mail_backend(values: Mapping[str, Any]) -> str:
    """SMTP when SMTP_HOST is set, otherwise the outbox under instance/."""
    return "smtp" if values["smtp_host"] else "outbox"


def _twice_the_largest_upload(values: Mapping[str, Any]) -> int:
    return 2 * values["upload_max_bytes"]


def _feedback_address(values: Mapping[str, Any]) -> str:
    return values["public_base_url"].rstrip("/") + "/avis"


# One line per setting: its environment variable (app.config's key too, unless flask_key names
# another), its kind (what it accepts) and its default.
@dataclass(frozen=True, kw_only=True)
class Settings:
    """Every setting, typed and checked; built by load_settings() (init_settings lays the
    overrides a test gives create_app over it)."""

    # `production` makes cookies Secure and requires SECRET_KEY and AUDIT_KEY.
    cote_env: str = setting(
        "COTE_ENV", Choice(("development", "production")), "development", flask_key="ENV_NAME"
    )
    instance_path: Path = setting("INSTANCE_PATH", Folder(), DEFAULT_INSTANCE)
    secret_key: str = setting("SECRET_KEY", SECRET, _local_secret("secret_key"))
    # The audit chain's HMAC key: outside the database, so write access to it cannot rewrite
    # the chain. Keep it apart from the database's backups.
    audit_key: str = setting("AUDIT_KEY", SECRET, _local_secret("audit_key"))
    database_url: str = setting(
        "DATABASE_URL",
        DatabaseUrl(),
        Derived(_sqlite_under_instance),
        flask_key="SQLALCHEMY_DATABASE_URI",
    )
    # Where `flask daily` appends the audit chain's head (id, hash, time) each day; keep a copy
    # off the machine (verify-audit checks that the chain still holds every head).
    audit_anchor_file: str = setting(
        "AUDIT_ANCHOR_FILE", Text(), _under_instance("audit-anchors.jsonl")
    )
    # whoosh: an index on this server's disk; postgresql: search rows in the database.
    search_backend: str = setting(
        "SEARCH_BACKEND", Choice(("whoosh", "postgresql")), Derived(_search_backend)
    )
    search_index_dir: str = setting("SEARCH_INDEX_DIR", Text(), _under_instance("search-index"))
    upload_dir: str = setting("UPLOAD_DIR", Text(), _under_instance("uploads"))
    # Cookies: HttpOnly always, Secure outside development.
    session_cookie_secure: bool = setting("SESSION_COOKIE_SECURE", Flag(), Derived(_in_production))
    session_hours: int = setting("SESSION_HOURS", WholeNumber(1, 24 * 366), 12)
    # Rate limits: counted in the app's database (database://) or Redis (redis://host:port).
    ratelimit_storage_uri: str = setting("RATELIMIT_STORAGE_URI", Text(hidden=True), "database://")
    login_limit_per_account: str = setting(
        "LOGIN_LIMIT_PER_ACCOUNT", RateLimit(), "5 per 15 minutes"
    )
    login_limit_per_address: str = setting(
        "LOGIN_LIMIT_PER_ADDRESS", RateLimit(), "20 per 15 minutes"
    )
    # Mail: SMTP when SMTP_HOST is set, otherwise the outbox under instance/.
    smtp_host: str = setting("SMTP_HOST", Text(), "")
    mail_backend: str = setting(
        "MAIL_BACKEND",
        Choice(("smtp", "outbox", "memory")),
        Derived(_mail_backend),
    )
    mail_outbox_dir: str = setting("MAIL_OUTBOX_DIR", Text(), _under_instance("outbox"))
    smtp_port: int = setting("SMTP_PORT", WholeNumber(1, 65535), 587)
    smtp_username: str = setting("SMTP_USERNAME", Text(), "")
    smtp_password: str = setting("SMTP_PASSWORD", SECRET, "")
    smtp_starttls: bool = setting("SMTP_STARTTLS", Flag(), True)
    mail_from: str = setting("MAIL_FROM", Text(), "Côte-à-Côte <no-reply@cote-a-cote.invalid>")
    # Mail outbox: attempts before a message is kept for an administrator, the first retry's
    # delay in seconds (doubled after each failure, at most 6 hours), how often
    # `flask mail-worker` looks for due messages, and days an e-mail that was never delivered
    # stays on the administrators' page.
    mail_max_attempts: int = setting("MAIL_MAX_ATTEMPTS", WholeNumber(1, 100), 8)
    mail_retry_seconds: int = setting("MAIL_RETRY_SECONDS", WholeNumber(1, 86400), 60)
    mail_worker_interval: int = setting("MAIL_WORKER_INTERVAL", WholeNumber(1, 3600), 30)
    mail_dead_letter_days: int = setting("MAIL_DEAD_LETTER_DAYS", WholeNumber(1, 3650), 30)
    # Absolute links in e-mails, documents and the API: never taken from the Host header.
    public_base_url: str = setting("PUBLIC_BASE_URL", WebAddress(), "http://127.0.0.1:5000")
    # Host names the platform answers to; in production, when unset, the host of
    # PUBLIC_BASE_URL only. Any other Host header is answered 400.
    trusted_hosts: tuple[str, ...] = setting("TRUSTED_HOSTS", Words(), ())
    # Reverse proxies in front of the platform (0: none). With N, the last N hops of
    # X-Forwarded-For/-Proto/-Host are believed; a client's own header never is.
    trusted_proxies: int = setting("TRUSTED_PROXIES", WholeNumber(0, 10), 0)
    # Request bodies: forms need far less than 1 MB; anything larger is answered 413 before
    # it is parsed. Upload routes only (cote_a_cote/uploads) accept a file of up to
    # UPLOAD_MAX_BYTES, in a body of up to UPLOAD_REQUEST_MAX_BYTES (so a file a little too
    # large is refused on the form, not by the 413 page).
    max_content_length: int = setting("MAX_CONTENT_LENGTH", WholeNumber(KIB, GIB), MIB)
    upload_max_bytes: int = setting("UPLOAD_MAX_BYTES", WholeNumber(KIB, GIB), 5 * MIB)
    upload_request_max_bytes: int = setting(
        "UPLOAD_REQUEST_MAX_BYTES",
        WholeNumber(KIB, 2 * GIB),
        Derived(_twice_the_largest_upload),
    )
    max_form_memory_size: int = setting("MAX_FORM_MEMORY_SIZE", WholeNumber(KIB, GIB), 512 * KIB)
    max_form_parts: int = setting("MAX_FORM_PARTS", WholeNumber(1, 100_000), 1000)
    password_reset_hours: int = setting("PASSWORD_RESET_HOURS", WholeNumber(1, 168), 2)
    invitation_days: int = setting("INVITATION_DAYS", WholeNumber(1, 365), 14)
    quick_exit_url: str = setting("QUICK_EXIT_URL", WebAddress(), "https://www.meteomedia.com/")
    # Partner applications: filed per address, verification links resent per address, and
    # hours a verification link stays valid.
    application_limit_per_address: str = setting(
        "APPLICATION_LIMIT_PER_ADDRESS", RateLimit(), "5 per hour"
    )
    verification_resend_limit: str = setting("VERIFICATION_RESEND_LIMIT", RateLimit(), "3 per hour")
    email_verification_hours: int = setting("EMAIL_VERIFICATION_HOURS", WholeNumber(1, 720), 72)
    # Problems reported on a listing by visitors who are not signed in, per address.
    listing_report_limit_per_address: str = setting(
        "LISTING_REPORT_LIMIT_PER_ADDRESS", RateLimit(), "5 per hour"
    )
    # Profiles: days a "still accurate" confirmation lasts, and days before that limit when
    # the partner is reminded.
    stale_after_days: int = setting("STALE_AFTER_DAYS", WholeNumber(1, 3650), 182)
    stale_warning_days: int = setting("STALE_WARNING_DAYS", WholeNumber(0, 3650), 14)
    # Search: how far "near a place" reaches before it widens by itself (doubling, then any
    # distance), and after how many days a declared capacity is flagged as possibly outdated.
    search_default_radius_km: int = setting("SEARCH_DEFAULT_RADIUS_KM", WholeNumber(1, 2000), 50)
    capacity_stale_days: int = setting("CAPACITY_STALE_DAYS", WholeNumber(1, 3650), 30)
    # Training: the share of an organisation's active provider staff who must hold every
    # required module for it to count as trained (1.0: everyone), how many days before an
    # expiry the staff member and administrators are told, and the quiz's pace.
    trained_min_staff_share: float = setting("TRAINED_MIN_STAFF_SHARE", Share(), 1.0)
    training_expiry_warning_days: int = setting(
        "TRAINING_EXPIRY_WARNING_DAYS", WholeNumber(0, 3650), 60
    )
    quiz_attempts_per_day: int = setting("QUIZ_ATTEMPTS_PER_DAY", WholeNumber(1, 100), 3)
    quiz_minutes_between: int = setting("QUIZ_MINUTES_BETWEEN", WholeNumber(0, 1440), 15)
    # Referrals: how long a consent lasts by default, business days before an unanswered
    # referral is flagged, days after closing before free text is erased, days a draft is
    # kept, and how many ratings before a provider's averages are shown.
    referral_consent_days: int = setting("REFERRAL_CONSENT_DAYS", WholeNumber(1, 3650), 90)
    referral_response_business_days: int = setting(
        "REFERRAL_RESPONSE_BUSINESS_DAYS", WholeNumber(1, 60), 3
    )
    referral_purge_days: int = setting("REFERRAL_PURGE_DAYS", WholeNumber(0, 3650), 30)
    referral_draft_days: int = setting("REFERRAL_DRAFT_DAYS", WholeNumber(1, 3650), 30)
    referral_ratings_minimum: int = setting("REFERRAL_RATINGS_MINIMUM", WholeNumber(1, 1000), 5)
    # Sign-in throttling (README, Security): failed sign-ins per account from one network
    # address, per account from a known device, how long a browser stays known to an account,
    # invitations one person may send, and a prefix for the limiter's keys.
    login_limit_per_account_address: str = setting(
        "LOGIN_LIMIT_PER_ACCOUNT_ADDRESS", RateLimit(), "5 per 15 minutes"
    )
    login_limit_per_known_device: str = setting(
        "LOGIN_LIMIT_PER_KNOWN_DEVICE", RateLimit(), "10 per 15 minutes"
    )
    known_device_days: int = setting("KNOWN_DEVICE_DAYS", WholeNumber(1, 3650), 180)
    invitation_limit_per_user: str = setting(
        "INVITATION_LIMIT_PER_USER", RateLimit(), "10 per hour"
    )
    ratelimit_key_prefix: str = setting("RATELIMIT_KEY_PREFIX", Text(max_length=100), "cac")
    handout_forbidden_words: tuple[str, ...] = setting(
        "HANDOUT_FORBIDDEN_WORDS", Words(), DEFAULT_HANDOUT_FORBIDDEN_WORDS
    )
    # The coordinator's address shown to recognised partners in their toolkit.
    recognition_contact_email: str = setting(
        "RECOGNITION_CONTACT_EMAIL", Text(), "reconnaissance@cote-a-cote.invalid"
    )
    # The person's own say (/avis): answers per address, days a comment is kept, and the
    # address printed on handouts (point it at a neutral domain in production).
    feedback_limit_per_address: str = setting(
        "FEEDBACK_LIMIT_PER_ADDRESS", RateLimit(), "10 per hour"
    )
    feedback_comment_purge_days: int = setting(
        "FEEDBACK_COMMENT_PURGE_DAYS", WholeNumber(0, 3650), 30
    )
    feedback_public_url: str = setting(
        "FEEDBACK_PUBLIC_URL",
        WebAddress(),
        Derived(_feedback_address),
    )
    # Fonts of the PDFs (pdf.py looks for DejaVu Sans there first; it reads the variable itself,
    # as it finds its fonts once per process, outside any app).
    pdf_font_dir: str = setting("PDF_FONT_DIR", Text(), "")


def declarations() -> list[tuple[str, Declaration[Any]]]:
    """(field name, declaration) of every setting, in the order they are read."""
    return [(each.name, each.metadata["declaration"]) for each in fields(Settings)]


def load_settings(
    environ: Mapping[str, str] | None = None, instance_path: Path | None = None
) -> Settings:
    """Read every setting once from environ (os.environ by default); instance_path, when
    given, stands for INSTANCE_PATH. Raises ConfigError naming every bad value."""
    source = dict(os.environ if environ is None else environ)
    if instance_path is not None:
        source["INSTANCE_PATH"] = str(instance_path)
    values: dict[str, Any] = {}
    problems: list[str] = []
    for name, declaration in declarations():
        values[name] = _read(declaration, source.get(declaration.env), values, problems)
    problems.extend(_conflicts(values))
    if problems:
        raise ConfigError(problems)
    return Settings(**values)


def _read(
    declaration: Declaration[T], text: str | None, values: Mapping[str, Any], problems: list[str]
) -> T:
    """The value of text, or the default when it is unset, empty or refused (a refusal is
    added to problems, and the default lets the settings after it be checked)."""
    if text is not None and text.strip():
        try:
            return declaration.kind.parse(text)
        except ValueError as error:
            problems.append(declaration.refusal(text, str(error)))
    if isinstance(declaration.default, Derived):
        return declaration.default.compute(values)
    return declaration.default


def _conflicts(values: Mapping[str, Any]) -> list[str]:
    """Values each fine alone that cannot go together."""
    problems = []
    if values["cote_env"] == "production":
        for name, env in (("secret_key", "SECRET_KEY"), ("audit_key", "AUDIT_KEY")):
            if not values[name]:
                problems.append(f"{env} must be set when COTE_ENV=production.")
    if values["search_backend"] == "postgresql" and not values["database_url"].startswith(
        "postgresql"
    ):
        problems.append("SEARCH_BACKEND=postgresql needs a PostgreSQL DATABASE_URL.")
    return problems


def flask_config(loaded: Settings) -> dict[str, Any]:
    """app.config: every setting under its Flask name, and Flask's fixed choices."""
    config: dict[str, Any] = {
        declaration.flask_key: getattr(loaded, name) for name, declaration in declarations()
    }
    config.update(
        SQLALCHEMY_ENGINE_OPTIONS={"pool_pre_ping": True},
        # Babel: French first.
        BABEL_DEFAULT_LOCALE="fr",
        BABEL_DEFAULT_TIMEZONE=LOCAL_TIMEZONE,
        LANGUAGES=["fr", "en"],
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_NAME="cac_session",
        PERMANENT_SESSION_LIFETIME=loaded.session_hours * 3600,
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SECURE=loaded.session_cookie_secure,
        WTF_CSRF_TIME_LIMIT=None,
        RATELIMIT_HEADERS_ENABLED=False,
    )
    return config


def build_config(instance_path: Path) -> dict[str, Any]:
    """app.config's settings, read from the environment with instance_path for INSTANCE_PATH."""
    return flask_config(load_settings(instance_path=instance_path))


def init_settings(app: Flask, overrides: Mapping[str, Any] | None = None) -> None:
    """Fill app.config from the environment, then overrides (by Flask name, as tests give
    them); keep the settings, overrides included, for settings()."""
    loaded = load_settings(instance_path=Path(app.instance_path))
    overrides = overrides or {}
    loaded = _overridden(loaded, overrides)
    app.config.from_mapping(flask_config(loaded))
    app.config.from_mapping(overrides)
    app.extensions["settings"] = loaded


def update_settings(app: Flask, overrides: Mapping[str, Any]) -> None:
    """Change settings of a running app by Flask name (as tests do), in app.config and in what
    settings() returns alike. Flask's derived choices (such as the session lifetime) are not
    recomputed."""
    app.extensions["settings"] = _overridden(settings(app), overrides)
    app.config.from_mapping(overrides)


def _overridden(loaded: Settings, overrides: Mapping[str, Any]) -> Settings:
    fields_by_key = {declaration.flask_key: name for name, declaration in declarations()}
    return replace(
        loaded,
        **{fields_by_key[key]: value for key, value in overrides.items() if key in fields_by_key},
    )


def settings(app: Flask | None = None) -> Settings:
    """The settings of app (the current app by default), read once when it was created."""
    loaded: Settings = (app or current_app).extensions["settings"]
    return loaded
