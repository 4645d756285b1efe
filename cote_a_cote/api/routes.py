"""The read-only Open Referral HSDS API: public services and providers, in HSDS 3.x shapes."""

from __future__ import annotations

from flask import Blueprint, abort, request
from flask_babel import gettext as _

from ..catalogue.hsds import (
    HSDS_VERSION,
    compact_service,
    location_to_hsds,
    organization_to_hsds,
    page_envelope,
    record_id,
    service_at_location_to_hsds,
    service_to_hsds,
    taxonomy_term_to_hsds,
    taxonomy_to_hsds,
)
from ..search.query import Audience, load_services, search_services
from ..security import public_url
from . import params, queries
from .openapi import openapi_document

bp = Blueprint("api", __name__, url_prefix="/api/hsds")

CACHE_SECONDS = 300


@bp.errorhandler(params.ParameterError)
def bad_parameter(error: params.ParameterError):
    body = {"status": 400, "message": error.message, "parameter": error.parameter}
    return {"error": body}, 400


@bp.after_request
def cache_and_share(response):
    """Public data: shared caches may keep it briefly; errors are never cached."""
    if response.status_code == 200:
        response.headers["Cache-Control"] = f"public, max-age={CACHE_SECONDS}"
        response.add_etag()
        response.make_conditional(request)
    else:
        response.headers["Cache-Control"] = "no-store"
    # Error messages follow the visitor's language, chosen from her session cookie.
    response.vary.add("Cookie")
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@bp.get("/")
def info():
    openapi_url = public_url("api.openapi")
    return {
        "version": HSDS_VERSION,
        "profile": openapi_url + "#/x-quebec-profile",
        "openapi_url": openapi_url,
        "description": _(
            "Côte-à-Côte: trained providers for people leaving trafficking and sexual "
            "exploitation in Québec. Public services only."
        ),
        "publisher": {"name": "Côte-à-Côte"},
    }


@bp.get("/openapi.json")
def openapi():
    return openapi_document()


@bp.get("/services")
def services():
    search = params.service_search(request.args)
    result = search_services(search, Audience.PUBLIC)
    contents = [
        service_to_hsds(service, distance_km=result.distances_km.get(service.id))
        for service in load_services(result.service_ids)
    ]
    return page_envelope(contents, result.total, search.page, search.per_page)


@bp.get("/services/<service_id>")
def service(service_id: str):
    found = queries.public_service(service_id)
    if found is None:
        abort(404)
    return service_to_hsds(found)


@bp.get("/service_at_locations")
def service_at_locations():
    """The links of /services' page: paging, filters and order are those of /services."""
    search = params.service_search(request.args)
    result = search_services(search, Audience.PUBLIC)
    contents = []
    for found in load_services(result.service_ids):
        compact = compact_service(found)
        for location in found.locations:
            link = service_at_location_to_hsds(compact["id"], location)
            contents.append(link | {"service": compact})
    return page_envelope(contents, result.total, search.page, search.per_page)


@bp.get("/service_at_locations/<link_id>")
def service_at_location(link_id: str):
    found = queries.public_service_at_location(link_id)
    if found is None:
        abort(404)
    service, location = found
    return service_at_location_to_hsds(record_id(service), location) | {
        "service": service_to_hsds(service)
    }


@bp.get("/organizations")
def organizations():
    paging = params.paging(request.args)
    rows, total = queries.public_organizations_page(
        params.text(request.args, "search"), paging.page, paging.per_page
    )
    contents = [organization_to_hsds(row) for row in rows]
    return page_envelope(contents, total, paging.page, paging.per_page)


@bp.get("/organizations/<organization_id>")
def organization(organization_id: str):
    found = queries.public_organization(organization_id)
    if found is None:
        abort(404)
    body = organization_to_hsds(found)
    body["locations"] = [location_to_hsds(location) for location in found.locations]
    body["services"] = [compact_service(service) for service in found.services]
    return body


@bp.get("/taxonomies")
def taxonomies():
    paging = params.paging(request.args)
    rows, total = queries.taxonomies_page(paging.page, paging.per_page)
    return page_envelope([taxonomy_to_hsds(t) for t in rows], total, paging.page, paging.per_page)


@bp.get("/taxonomy_terms")
def taxonomy_terms():
    paging = params.paging(request.args)
    taxonomy, parent = params.term_filters(request.args)
    rows, total = queries.terms_page(
        params.text(request.args, "search"), taxonomy, parent, paging.page, paging.per_page
    )
    contents = [taxonomy_term_to_hsds(term) for term in rows]
    return page_envelope(contents, total, paging.page, paging.per_page)
