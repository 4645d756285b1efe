"""The annual report and its CSV and PDF exports."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("reporting", __name__)
