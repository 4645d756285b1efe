"""Flask commands: flask --app cote_a_cote <command>."""

from __future__ import annotations

from flask import Flask


def init_cli(app: Flask) -> None:
    from .audit.cli import register as register_audit
    from .backup import register as register_backup
    from .catalogue.hsds_cli import register as register_hsds
    from .daily import register as register_daily
    from .demo.cli import register as register_demo
    from .mail.cli import register as register_mail
    from .referrals.cli import register as register_referrals
    from .search.cli import register as register_search

    register_demo(app)
    register_hsds(app)
    register_search(app)
    register_daily(app)
    register_audit(app)
    register_referrals(app)
    register_mail(app)
    register_backup(app)
