"""The search page: GET /recherche, the whole page or, for a fetch, only its results region."""

from __future__ import annotations

from flask import Blueprint, jsonify, make_response, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from ..geo.gazetteer import nearest
from ..i18n import current_locale
from ..recognition.services import today_badge_labels
from . import services
from .forms import PersonForm, PositionForm, SearchForm, page_number

bp = Blueprint("search", __name__)

PARTIAL_HEADER = "X-Search-Partial"
# "Use my position" names a municipality only when one is this close: beyond, the device is
# not in Québec (or the position is wrong) and the intervenante types the place instead.
NEAR_ME_MAX_KM = 60


@bp.get("/recherche")
def results():
    """Open to everyone; what each audience finds is decided by the search itself."""
    choices = services.reference_choices(current_locale())
    return _render(SearchForm(formdata=request.args), request.args, choices, person=None)


@bp.post("/recherche")
def check_person():
    """The same search, posted with who the person is (age, population) to mark the services
    that would turn them away. Posted so that it never lands in a URL, a log or the history."""
    choices = services.reference_choices(current_locale())
    person = PersonForm()
    person.set_populations(services.population_choices(choices))
    person.validate_on_submit()
    return _render(SearchForm(formdata=request.form), request.form, choices, person=person)


@bp.post("/recherche/ma-position")
def near_me():
    """The municipality nearest the device, for the search's place field. The position itself
    goes no further than this function: the search then runs near a place name, as if typed."""
    form = PositionForm()
    if not form.validate_on_submit():
        response = make_response(jsonify(error=_("Your device did not give a position.")), 400)
    else:
        place = nearest(form.latitude.data, form.longitude.data, within_km=NEAR_ME_MAX_KM)
        if place is None:
            message = _(
                "Your position is not near a municipality of Québec: type the place instead."
            )
            response = make_response(jsonify(error=message), 422)
        else:
            answer = jsonify(near=place.name, message=_("Near %(place)s", place=place.name))
            response = make_response(answer)
    response.headers["Cache-Control"] = "no-store"  # where the intervenante is, never kept
    return response


def _render(form: SearchForm, args, choices, person: PersonForm | None):
    form.validate()
    if person is None:
        person = PersonForm(formdata=None)
        person.set_populations(services.population_choices(choices))
    number = page_number(args.get("page"))
    page = services.search_page(form, number, current_user, current_locale(), choices, person)
    partial = request.headers.get(PARTIAL_HEADER) == "1" or args.get("partial") == "1"
    template = "search/_results.html" if partial else "search/index.html"
    recognition = today_badge_labels(
        [item.card.organization_id for item in page.items], current_locale()
    )
    response = make_response(
        render_template(template, form=form, page=page, recognition=recognition, person_form=person)
    )
    response.vary.add(PARTIAL_HEADER)  # the same URL answers with the page or its partial
    response.headers["Cache-Control"] = "no-store"  # a page about a person is never kept
    return response
