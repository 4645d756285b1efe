"""Settings read from environment variables, with safe defaults for local use."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from zoneinfo import ZoneInfo

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


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _words(name: str, default: tuple[str, ...]) -> tuple[str, ...]:
    """A comma-separated list from the environment, or default when unset or empty."""
    words = tuple(w.strip() for w in os.environ.get(name, "").split(",") if w.strip())
    return words or default


def _search_backend(database_url: str) -> str:
    """SEARCH_BACKEND: whoosh or postgresql; by default postgresql on a PostgreSQL database
    (every app server then searches the same rows), whoosh otherwise."""
    on_postgresql = database_url.startswith("postgresql")
    default = "postgresql" if on_postgresql else "whoosh"
    value = os.environ.get("SEARCH_BACKEND", default).strip().lower()
    if value not in {"whoosh", "postgresql"}:
        raise RuntimeError("SEARCH_BACKEND must be whoosh or postgresql.")
    if value == "postgresql" and not on_postgresql:
        raise RuntimeError("SEARCH_BACKEND=postgresql needs a PostgreSQL DATABASE_URL.")
    return value


def _list(name: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, "").split(",") if item.strip()]


def _local_secret_key(instance_path: Path, name: str = "secret_key") -> str:
    """Return the key stored under instance/, creating it once for local use."""
    key_file = instance_path / name
    if key_file.exists():
        return key_file.read_text().strip()
    instance_path.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


def build_config(instance_path: Path) -> dict:
    """Settings for create_app: environment first, then defaults rooted in instance_path."""
    env = os.environ.get("COTE_ENV", "development").strip().lower()
    production = env == "production"
    secret_key = os.environ.get("SECRET_KEY")
    if not secret_key:
        if production:
            raise RuntimeError("SECRET_KEY must be set when COTE_ENV=production.")
        secret_key = _local_secret_key(instance_path)
    # The audit chain's HMAC key: outside the database, so write access to it cannot rewrite
    # the chain. Keep it apart from the database's backups.
    audit_key = os.environ.get("AUDIT_KEY")
    if not audit_key:
        if production:
            raise RuntimeError("AUDIT_KEY must be set when COTE_ENV=production.")
        audit_key = _local_secret_key(instance_path, "audit_key")
    _upload_max = int(os.environ.get("UPLOAD_MAX_BYTES", str(5 * 1024 * 1024)))

    database_url = os.environ.get(
        "DATABASE_URL", f"sqlite:///{instance_path / 'cote_a_cote.sqlite3'}"
    )
    if database_url.startswith("postgres://"):
        database_url = "postgresql+psycopg://" + database_url[len("postgres://") :]
    elif database_url.startswith("postgresql://"):
        database_url = "postgresql+psycopg://" + database_url[len("postgresql://") :]

    smtp_host = os.environ.get("SMTP_HOST", "")
    return {
        "ENV_NAME": env,
        "SECRET_KEY": secret_key,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "AUDIT_KEY": audit_key,
        # Where `flask daily` appends the audit chain's head (id, hash, time) each day; keep a
        # copy off the machine (verify-audit checks that the chain still holds every head).
        "AUDIT_ANCHOR_FILE": os.environ.get(
            "AUDIT_ANCHOR_FILE", str(instance_path / "audit-anchors.jsonl")
        ),
        # whoosh: an index on this server's disk; postgresql: search rows in the database.
        "SEARCH_BACKEND": _search_backend(database_url),
        "SEARCH_INDEX_DIR": os.environ.get("SEARCH_INDEX_DIR", str(instance_path / "search-index")),
        "UPLOAD_DIR": os.environ.get("UPLOAD_DIR", str(instance_path / "uploads")),
        # Babel: French first.
        "BABEL_DEFAULT_LOCALE": "fr",
        "BABEL_DEFAULT_TIMEZONE": LOCAL_TIMEZONE,
        "LANGUAGES": ["fr", "en"],
        # Cookies: HttpOnly always, Secure outside development.
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": _bool("SESSION_COOKIE_SECURE", production),
        "SESSION_COOKIE_NAME": "cac_session",
        "PERMANENT_SESSION_LIFETIME": int(os.environ.get("SESSION_HOURS", "12")) * 3600,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SECURE": _bool("SESSION_COOKIE_SECURE", production),
        "WTF_CSRF_TIME_LIMIT": None,
        # Rate limits: counted in the app's database (database://) or Redis (redis://host:port).
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", "database://"),
        "RATELIMIT_HEADERS_ENABLED": False,
        "LOGIN_LIMIT_PER_ACCOUNT": os.environ.get("LOGIN_LIMIT_PER_ACCOUNT", "5 per 15 minutes"),
        "LOGIN_LIMIT_PER_ADDRESS": os.environ.get("LOGIN_LIMIT_PER_ADDRESS", "20 per 15 minutes"),
        # Mail: SMTP when SMTP_HOST is set, otherwise the outbox under instance/.
        "MAIL_BACKEND": os.environ.get("MAIL_BACKEND", "smtp" if smtp_host else "outbox"),
        "MAIL_OUTBOX_DIR": os.environ.get("MAIL_OUTBOX_DIR", str(instance_path / "outbox")),
        "SMTP_HOST": smtp_host,
        "SMTP_PORT": int(os.environ.get("SMTP_PORT", "587")),
        "SMTP_USERNAME": os.environ.get("SMTP_USERNAME", ""),
        "SMTP_PASSWORD": os.environ.get("SMTP_PASSWORD", ""),
        "SMTP_STARTTLS": _bool("SMTP_STARTTLS", True),
        "MAIL_FROM": os.environ.get("MAIL_FROM", "Côte-à-Côte <no-reply@cote-a-cote.invalid>"),
        # Mail outbox: attempts before a message is kept for an administrator, the first retry's
        # delay in seconds (doubled after each failure, at most 6 hours), and how often
        # `flask mail-worker` looks for due messages.
        "MAIL_MAX_ATTEMPTS": int(os.environ.get("MAIL_MAX_ATTEMPTS", "8")),
        "MAIL_RETRY_SECONDS": int(os.environ.get("MAIL_RETRY_SECONDS", "60")),
        "MAIL_WORKER_INTERVAL": int(os.environ.get("MAIL_WORKER_INTERVAL", "30")),
        # Days an e-mail that was never delivered stays on the administrators' page.
        "MAIL_DEAD_LETTER_DAYS": int(os.environ.get("MAIL_DEAD_LETTER_DAYS", "30")),
        # Absolute links in e-mails, documents and the API: never taken from the Host header.
        "PUBLIC_BASE_URL": os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:5000"),
        # Host names the platform answers to (comma-separated); in production, when unset, the
        # host of PUBLIC_BASE_URL only. Any other Host header is answered 400.
        "TRUSTED_HOSTS": _list("TRUSTED_HOSTS"),
        # Reverse proxies in front of the platform (0: none). With N, the last N hops of
        # X-Forwarded-For/-Proto/-Host are believed; a client's own header never is.
        "TRUSTED_PROXIES": int(os.environ.get("TRUSTED_PROXIES", "0")),
        # Request bodies: forms need far less than 1 MB; anything larger is answered 413 before
        # it is parsed. Upload routes only (cote_a_cote/uploads) accept a file of up to
        # UPLOAD_MAX_BYTES, in a body of up to UPLOAD_REQUEST_MAX_BYTES (so a file a little too
        # large is refused on the form, not by the 413 page).
        "MAX_CONTENT_LENGTH": int(os.environ.get("MAX_CONTENT_LENGTH", str(1024 * 1024))),
        "UPLOAD_MAX_BYTES": _upload_max,
        "UPLOAD_REQUEST_MAX_BYTES": int(
            os.environ.get("UPLOAD_REQUEST_MAX_BYTES", str(2 * _upload_max))
        ),
        "MAX_FORM_MEMORY_SIZE": int(os.environ.get("MAX_FORM_MEMORY_SIZE", str(512 * 1024))),
        "MAX_FORM_PARTS": int(os.environ.get("MAX_FORM_PARTS", "1000")),
        "PASSWORD_RESET_HOURS": int(os.environ.get("PASSWORD_RESET_HOURS", "2")),
        "INVITATION_DAYS": int(os.environ.get("INVITATION_DAYS", "14")),
        "QUICK_EXIT_URL": os.environ.get("QUICK_EXIT_URL", "https://www.meteomedia.com/"),
        # Partner applications: filed per address, verification links resent per address, and
        # hours a verification link stays valid.
        "APPLICATION_LIMIT_PER_ADDRESS": os.environ.get(
            "APPLICATION_LIMIT_PER_ADDRESS", "5 per hour"
        ),
        "VERIFICATION_RESEND_LIMIT": os.environ.get("VERIFICATION_RESEND_LIMIT", "3 per hour"),
        "EMAIL_VERIFICATION_HOURS": int(os.environ.get("EMAIL_VERIFICATION_HOURS", "72")),
        # Problems reported on a listing by visitors who are not signed in, per address.
        "LISTING_REPORT_LIMIT_PER_ADDRESS": os.environ.get(
            "LISTING_REPORT_LIMIT_PER_ADDRESS", "5 per hour"
        ),
        # Profiles: days a "still accurate" confirmation lasts, and days before that limit
        # when the partner is reminded.
        "STALE_AFTER_DAYS": int(os.environ.get("STALE_AFTER_DAYS", "182")),
        "STALE_WARNING_DAYS": int(os.environ.get("STALE_WARNING_DAYS", "14")),
        # Search: how far "near a place" reaches before it widens by itself (doubling, then any
        # distance), and after how many days a declared capacity is flagged as possibly outdated.
        "SEARCH_DEFAULT_RADIUS_KM": max(1, int(os.environ.get("SEARCH_DEFAULT_RADIUS_KM", "50"))),
        "CAPACITY_STALE_DAYS": max(1, int(os.environ.get("CAPACITY_STALE_DAYS", "30"))),
        # Training: the share of an organisation's active provider staff who must hold every
        # required module for it to count as trained (1.0: everyone), and how many days before an
        # expiry the staff member and administrators are told.
        "TRAINED_MIN_STAFF_SHARE": float(os.environ.get("TRAINED_MIN_STAFF_SHARE", "1.0")),
        "TRAINING_EXPIRY_WARNING_DAYS": int(os.environ.get("TRAINING_EXPIRY_WARNING_DAYS", "60")),
        "QUIZ_ATTEMPTS_PER_DAY": int(os.environ.get("QUIZ_ATTEMPTS_PER_DAY", "3")),
        "QUIZ_MINUTES_BETWEEN": int(os.environ.get("QUIZ_MINUTES_BETWEEN", "15")),
        # Referrals: how long a consent lasts by default, business days before an unanswered
        # referral is flagged, days after closing before free text is erased, days a draft is
        # kept, and how many ratings before a provider's averages are shown.
        "REFERRAL_CONSENT_DAYS": int(os.environ.get("REFERRAL_CONSENT_DAYS", "90")),
        "REFERRAL_RESPONSE_BUSINESS_DAYS": int(
            os.environ.get("REFERRAL_RESPONSE_BUSINESS_DAYS", "3")
        ),
        "REFERRAL_PURGE_DAYS": int(os.environ.get("REFERRAL_PURGE_DAYS", "30")),
        "REFERRAL_DRAFT_DAYS": int(os.environ.get("REFERRAL_DRAFT_DAYS", "30")),
        "REFERRAL_RATINGS_MINIMUM": int(os.environ.get("REFERRAL_RATINGS_MINIMUM", "5")),
        # Sign-in throttling (README, Security): failed sign-ins per account from one network
        # address, per account from a known device, how long a browser stays known to an
        # account, invitations one person may send, and a prefix for the limiter's keys.
        "LOGIN_LIMIT_PER_ACCOUNT_ADDRESS": os.environ.get(
            "LOGIN_LIMIT_PER_ACCOUNT_ADDRESS", "5 per 15 minutes"
        ),
        "LOGIN_LIMIT_PER_KNOWN_DEVICE": os.environ.get(
            "LOGIN_LIMIT_PER_KNOWN_DEVICE", "10 per 15 minutes"
        ),
        "KNOWN_DEVICE_DAYS": int(os.environ.get("KNOWN_DEVICE_DAYS", "180")),
        "INVITATION_LIMIT_PER_USER": os.environ.get("INVITATION_LIMIT_PER_USER", "10 per hour"),
        "RATELIMIT_KEY_PREFIX": os.environ.get("RATELIMIT_KEY_PREFIX", "cac"),
        "HANDOUT_FORBIDDEN_WORDS": _words(
            "HANDOUT_FORBIDDEN_WORDS", DEFAULT_HANDOUT_FORBIDDEN_WORDS
        ),
        # The coordinator's address shown to recognised partners in their toolkit.
        "RECOGNITION_CONTACT_EMAIL": os.environ.get(
            "RECOGNITION_CONTACT_EMAIL", "reconnaissance@cote-a-cote.invalid"
        ),
        # The person's own say (/avis): answers per address, days a comment is kept, and the
        # address printed on handouts (point it at a neutral domain in production).
        "FEEDBACK_LIMIT_PER_ADDRESS": os.environ.get("FEEDBACK_LIMIT_PER_ADDRESS", "10 per hour"),
        "FEEDBACK_COMMENT_PURGE_DAYS": int(os.environ.get("FEEDBACK_COMMENT_PURGE_DAYS", "30")),
        "FEEDBACK_PUBLIC_URL": os.environ.get(
            "FEEDBACK_PUBLIC_URL",
            os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:5000").rstrip("/") + "/avis",
        ),
    }
