"""The catalogue listing and service/organisation detail pages."""

from flask import Blueprint

bp = Blueprint("catalogue", __name__)
