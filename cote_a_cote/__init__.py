"""Côte-à-Côte: the application factory."""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask

from .config import DEFAULT_INSTANCE, init_settings


def create_app(config: dict | None = None) -> Flask:
    """Build the application: named steps only, no side effects beyond reading settings."""
    instance_path = Path(os.environ.get("INSTANCE_PATH", DEFAULT_INSTANCE)).resolve()
    app = Flask(__name__, instance_path=str(instance_path))
    configure(app, config)
    register_extensions(app)
    register_i18n(app)
    register_security(app)
    register_blueprints(app)
    connect_reactions(app)
    register_error_handlers(app)
    register_cli(app)
    return app


def configure(app: Flask, overrides: dict | None) -> None:
    init_settings(app, overrides)


def register_extensions(app: Flask) -> None:
    from . import models  # noqa: F401  (every table known to SQLAlchemy and Alembic)
    from .extensions import csrf, db, limiter, login_manager

    db.init_app(app)
    from .uploads.web import init_uploads

    init_uploads(app)  # before CSRF: upload routes' larger body limit is set before it is read
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)

    from .accounts.sessions import init_login_manager

    init_login_manager(login_manager)

    from .mail import init_mail

    init_mail(app)

    from .search.sync import init_sync

    init_sync(app)


def register_i18n(app: Flask) -> None:
    from .i18n import init_i18n

    init_i18n(app)


def register_security(app: Flask) -> None:
    from .security import init_security

    init_security(app)


def register_blueprints(app: Flask) -> None:
    _register_site_blueprints(app)
    _register_training_and_portal_blueprints(app)
    _register_referral_and_report_blueprints(app)
    _register_person_blueprints(app)


def _register_site_blueprints(app: Flask) -> None:
    """Home, accounts, the catalogue, administration, the HSDS API and search."""
    from .accounts.routes import bp as accounts_bp
    from .admin.routes import bp as admin_bp
    from .api.routes import bp as api_bp
    from .catalogue.routes import bp as catalogue_bp
    from .home.routes import bp as home_bp
    from .search.routes import bp as search_bp

    app.register_blueprint(home_bp)
    app.register_blueprint(accounts_bp)
    app.register_blueprint(catalogue_bp)
    app.register_blueprint(admin_bp, url_prefix="/admin")
    app.register_blueprint(api_bp)
    app.register_blueprint(search_bp)


def _register_training_and_portal_blueprints(app: Flask) -> None:
    """Training, the partners' pages, the providers' portal, vetting and notifications."""
    from .notifications.routes import bp as notifications_bp
    from .portal.closures import bp as closures_bp
    from .portal.public import bp as partners_bp
    from .portal.routes import bp as portal_bp
    from .training.delivery_routes import bp as training_sessions_bp
    from .training.routes import bp as training_bp
    from .vetting.routes import bp as vetting_bp

    app.register_blueprint(training_bp)
    app.register_blueprint(training_sessions_bp)
    app.register_blueprint(partners_bp)
    app.register_blueprint(portal_bp, url_prefix="/portail")
    app.register_blueprint(closures_bp, url_prefix="/portail")
    app.register_blueprint(vetting_bp, url_prefix="/admin/verification")
    app.register_blueprint(notifications_bp)


def _register_referral_and_report_blueprints(app: Flask) -> None:
    """Referrals, the audit trail, recognition, statistics, reports and prospects."""
    from .admin.audit_routes import bp as audit_bp
    from .listing_reports.routes import bp as listing_reports_bp
    from .prospects.routes import bp as prospects_bp
    from .recognition.routes import bp as recognition_bp
    from .referrals.provider_routes import bp as referral_inbox_bp
    from .referrals.routes import bp as referrals_bp
    from .reporting.routes import bp as reporting_bp
    from .stats.routes import bp as stats_bp

    app.register_blueprint(referral_inbox_bp, url_prefix="/portail/references")
    app.register_blueprint(referrals_bp, url_prefix="/references")
    app.register_blueprint(audit_bp, url_prefix="/admin/journal")
    # Recognition spans the public, the portal and administrators: its routes carry full paths.
    app.register_blueprint(recognition_bp)
    app.register_blueprint(stats_bp, url_prefix="/admin/tableau-de-bord")
    app.register_blueprint(reporting_bp, url_prefix="/admin/rapport-annuel")
    # Reports on a listing span the public, administrators and the portal: full paths.
    app.register_blueprint(listing_reports_bp)
    app.register_blueprint(prospects_bp)


def _register_person_blueprints(app: Flask) -> None:
    """Issue 12: the person's say (/avis), help lines (/obtenir-de-l-aide), shortlists (/listes)."""
    from .feedback.routes import bp as feedback_bp
    from .helplines.routes import bp as helplines_bp
    from .shortlists.routes import bp as shortlists_bp

    app.register_blueprint(feedback_bp)
    app.register_blueprint(helplines_bp)
    app.register_blueprint(shortlists_bp, url_prefix="/listes")


def connect_reactions(app: Flask) -> None:
    """Subscribe features to what other features announce (signals.py); idempotent."""
    from .recognition.reactions import connect as connect_recognition
    from .referrals.reactions import connect as connect_referrals
    from .training.reactions import connect as connect_training
    from .vetting.reactions import connect as connect_vetting

    connect_referrals()
    connect_training()
    connect_recognition()
    connect_vetting()


def register_error_handlers(app: Flask) -> None:
    from .errors import init_error_handlers

    init_error_handlers(app)


def register_cli(app: Flask) -> None:
    from .cli import init_cli

    init_cli(app)
