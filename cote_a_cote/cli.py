"""Flask commands: flask --app cote_a_cote <command>."""

from __future__ import annotations

from flask import Flask


def init_cli(app: Flask) -> None:
    from .catalogue.cli import register as register_catalogue

    register_catalogue(app)
