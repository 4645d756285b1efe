"""What every request meets: headers (strict CSP, no sniffing, no referrer, no framing), bounded
ids in URLs, the hosts and proxies trusted, and absolute links built from PUBLIC_BASE_URL."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, request, url_for
from flask_login import current_user
from werkzeug.middleware.proxy_fix import ProxyFix

from .config import settings
from .converters import init_converters

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "object-src 'none'",
    ]
)


def public_url(endpoint: str, **values) -> str:
    """An absolute link for pages, documents and e-mails: PUBLIC_BASE_URL, never the Host header
    (a forged Host would otherwise land in cached answers and printed certificates)."""
    return public_address(url_for(endpoint, **values))


def public_address(path: str) -> str:
    """PUBLIC_BASE_URL followed by path, an absolute path such as one url_for() built."""
    return settings().public_base_url.rstrip("/") + path


def trusted_hosts(app: Flask) -> list[str] | None:
    """TRUSTED_HOSTS when set; in production, at least the host of PUBLIC_BASE_URL."""
    hosts = list(app.config["TRUSTED_HOSTS"] or [])
    if not hosts and app.config["ENV_NAME"] == "production":
        host = urlsplit(app.config["PUBLIC_BASE_URL"]).hostname
        hosts = [host] if host else []
    return hosts or None


def init_security(app: Flask) -> None:
    init_converters(app)
    app.config["TRUSTED_HOSTS"] = trusted_hosts(app)
    proxies = int(app.config["TRUSTED_PROXIES"])
    if proxies > 0:
        # Only as many X-Forwarded-* hops as there are proxies of ours in front: a client's own
        # X-Forwarded-For is ignored beyond them.
        # Flask's documented way to add WSGI middleware, though its stubs declare a method.
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies, x_port=proxies
        )
    app.jinja_env.globals["public_url"] = public_url

    @app.after_request
    def set_security_headers(response):
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        headers["X-Content-Type-Options"] = "nosniff"
        # No referrer: leaving for the quick-exit site must not tell it where she was.
        headers["Referrer-Policy"] = "no-referrer"
        headers["X-Frame-Options"] = "DENY"
        headers["Cross-Origin-Opener-Policy"] = "same-origin"
        # Geolocation for this site only ("Use my position" on the search page), never a frame.
        headers["Permissions-Policy"] = "geolocation=(self), camera=(), microphone=(), payment=()"
        if app.config["SESSION_COOKIE_SECURE"]:
            headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
        # Pages seen when signed in must not stay in shared caches or the back-forward cache.
        if not request.path.startswith("/static/") and current_user.is_authenticated:
            headers["Cache-Control"] = "no-store"
        return response
