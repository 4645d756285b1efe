"""Sign in and out, password reset, invitations."""

from flask import Blueprint

bp = Blueprint("accounts", __name__)
