"""The search page: GET /recherche, the whole page or, for a fetch, only its results region."""

from __future__ import annotations

from flask import Blueprint, make_response, render_template, request
from flask_login import current_user

from ..i18n import current_locale
from ..recognition.services import today_badge_labels
from . import services
from .forms import SearchForm, page_number

bp = Blueprint("search", __name__)

PARTIAL_HEADER = "X-Search-Partial"


@bp.get("/recherche")
def results():
    """Open to everyone; what each audience finds is decided by the search itself."""
    form = SearchForm(formdata=request.args)
    form.validate()
    number = page_number(request.args.get("page"))
    page = services.search_page(form, number, current_user, current_locale())
    partial = request.headers.get(PARTIAL_HEADER) == "1" or request.args.get("partial") == "1"
    template = "search/_results.html" if partial else "search/index.html"
    recognition = today_badge_labels(
        [item.card.organization_id for item in page.items], current_locale()
    )
    response = make_response(
        render_template(template, form=form, page=page, recognition=recognition)
    )
    response.vary.add(PARTIAL_HEADER)  # the same URL answers with the page or its partial
    return response
