"""The administrators' coverage and activity dashboard."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("stats", __name__)
