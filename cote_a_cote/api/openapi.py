"""The OpenAPI 3.1 description of the HSDS API, Québec profile included (technical English)."""

from __future__ import annotations

from ..catalogue.hsds import ADDRESS_REQUIRED, HSDS_VERSION, PROFILE_KEY
from .params import DEFAULT_PER_PAGE, MAX_PAGE, MAX_PER_PAGE, MAX_RADIUS_KM

HSDS_SCHEMA = "https://raw.githubusercontent.com/openreferral/specification/3.1/schema/"

PROFILE_DESCRIPTION = (
    "Québec profile of HSDS 3.x. Services and organisations carry a `quebec_profile` object "
    "with what HSDS has no field for: region codes (Québec's administrative regions 01-17, "
    "QC = province-wide or remote, HQ = outside Québec), capacity (accepting / waitlist / "
    "paused, with weeks and update time), whether the provider completed the required training, "
    "when its profile was last verified, 24/7 and remote flags, closures and English "
    "translations (main fields are in French). Locations carry their region code and a "
    "`confidential` flag: a confidential location (a shelter) never exposes its street address, "
    "postal code, name or coordinates, only its municipality and region (in quebec_profile; it "
    "has no HSDS address object, which requires a street). /services accepts the "
    "profile filters region, language, need, near and radius_km. Identifiers: an external id "
    "when the record was imported, else a derived UUIDv8 (c07eac07-<kind>-8000-8000-<key>); "
    "taxonomies and terms use a UUIDv5 of their stable code, and the code is accepted too. "
    "Schedule times are local Québec time (America/Toronto). Only approved providers that chose "
    "public visibility appear; referrals, consent, training records and accounts never do. "
    "Query parameters not documented here are ignored."
)


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _param(name: str, description: str, schema: dict, profile: bool = False) -> dict:
    param = {"name": name, "in": "query", "required": False, "schema": schema}
    if profile:
        param["description"] = "Québec profile. " + description
        param["x-quebec-profile"] = True
    else:
        param["description"] = description
    return param


def _list(item: dict) -> dict:
    return {"type": "array", "items": item}


def _string(**extra) -> dict:
    return {"type": "string", **extra}


PARAMETERS = {
    "search": _param("search", "Full-text search, French and English.", _string(maxLength=200)),
    "page": _param(
        "page", "Page number, from 1.", {"type": "integer", "minimum": 1, "maximum": MAX_PAGE}
    ),
    "per_page": _param(
        "per_page",
        "Items per page.",
        {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE, "default": DEFAULT_PER_PAGE},
    ),
    "taxonomy_term_id": _param(
        "taxonomy_term_id",
        "Services carrying this term (HSDS id or term code); comma-separate several.",
        _string(),
    ),
    "organization_id": _param(
        "organization_id", "Services of this organization (HSDS id).", _string()
    ),
    "modified_after": _param(
        "modified_after",
        "Services changed on or after this ISO 8601 date or date-time (UTC when no zone).",
        _string(format="date-time"),
    ),
    "region": _param(
        "region",
        "Region code (01-17, QC, HQ) of a service area or location; repeat or comma-separate.",
        _string(pattern="^([0-9]{2}|QC|HQ)$"),
        profile=True,
    ),
    "language": _param(
        "language",
        "ISO 639 code of a language the service is offered in.",
        _string(),
        profile=True,
    ),
    "need": _param(
        "need",
        "Code of a term of the `need` taxonomy (e.g. need.housing).",
        _string(),
        profile=True,
    ),
    "near": _param(
        "near",
        "`lat,lon` in decimal degrees, or the name of a Québec municipality of the gazetteer; "
        "results are sorted by distance and carry quebec_profile.distance_km.",
        _string(examples=["46.81,-71.21", "Rimouski"]),
        profile=True,
    ),
    "radius_km": _param(
        "radius_km",
        "Only services within this many kilometres of `near` (requires near).",
        {"type": "number", "exclusiveMinimum": 0, "maximum": MAX_RADIUS_KM},
        profile=True,
    ),
    "taxonomy_id": _param("taxonomy_id", "Terms of this taxonomy (HSDS id or code).", _string()),
    "parent_id": _param("parent_id", "Direct children of this term (HSDS id or code).", _string()),
}


def _p(name: str) -> dict:
    return {"$ref": f"#/components/parameters/{name}"}


def _ok(description: str, schema: dict) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


ERRORS = {
    "400": _ok("A parameter is invalid; `parameter` names it.", _ref("Error")),
    "404": _ok("Unknown, or not public.", _ref("Error")),
}


def _page_of(name: str) -> dict:
    return {
        "allOf": [
            _ref("Page"),
            {"type": "object", "properties": {"contents": _list(_ref(name))}},
        ]
    }


def _get(summary: str, response: dict, parameters: list | None = None, errors=("400",)) -> dict:
    responses = {"200": response} | {code: ERRORS[code] for code in errors}
    operation: dict[str, object] = {"summary": summary, "responses": responses}
    if parameters:
        operation["parameters"] = parameters
    return {"get": operation}


def _path_id(what: str) -> dict:
    return {
        "name": "id",
        "in": "path",
        "required": True,
        "description": f"The HSDS id of the {what}.",
        "schema": _string(),
    }


def _by_id(summary: str, what: str, schema: str) -> dict:
    item = _get(summary, _ok(f"The {what}.", _ref(schema)), errors=("404",))
    item["parameters"] = [_path_id(what)]
    return item


SERVICE_FILTERS = [
    _p(name)
    for name in (
        "search",
        "taxonomy_term_id",
        "organization_id",
        "modified_after",
        "page",
        "per_page",
        "region",
        "language",
        "need",
        "near",
        "radius_km",
    )
]

PATHS = {
    "/": _get(
        "About this API: HSDS version, profile and OpenAPI document.",
        _ok("API information.", _ref("ApiInfo")),
        errors=(),
    ),
    "/openapi.json": _get(
        "This document.", _ok("OpenAPI 3.1 document.", {"type": "object"}), errors=()
    ),
    "/services": _get(
        "Public services, fully nested, with HSDS and Québec profile filters.",
        _ok("A page of services.", _page_of("Service")),
        SERVICE_FILTERS,
    ),
    "/services/{id}": _by_id("One public service, fully nested.", "service", "Service"),
    "/service_at_locations": _get(
        "Where public services are offered: one entry per service and location. Filters, order "
        "and paging are those of /services (page and per_page count services; a page holds the "
        "entries of that page's services, and total_items counts services; a remote service "
        "without a location has none).",
        _ok("A page of service_at_locations.", _page_of("ServiceAtLocationItem")),
        SERVICE_FILTERS,
    ),
    "/service_at_locations/{id}": _by_id(
        "One service_at_location, with its location and its service fully nested.",
        "service_at_location",
        "ServiceAtLocationDetail",
    ),
    "/organizations": _get(
        "Public providers, by name.",
        _ok("A page of organizations.", _page_of("Organization")),
        [_p("search"), _p("page"), _p("per_page")],
    ),
    "/organizations/{id}": _by_id(
        "One public provider, with its locations and services.",
        "organization",
        "OrganizationDetail",
    ),
    "/taxonomies": _get(
        "Taxonomies: needs, sectors, populations, forms of exploitation, access features.",
        _ok("A page of taxonomies.", _page_of("Taxonomy")),
        [_p("page"), _p("per_page")],
    ),
    "/taxonomy_terms": _get(
        "Active taxonomy terms.",
        _ok("A page of taxonomy terms.", _page_of("TaxonomyTerm")),
        [_p("search"), _p("taxonomy_id"), _p("parent_id"), _p("page"), _p("per_page")],
    ),
}


def _object(properties: dict, required: tuple[str, ...] = (), description: str = "") -> dict:
    schema = {"type": "object", "properties": properties}
    if required:
        schema["required"] = list(required)
    if description:
        schema["description"] = description
    return schema


_S = _string()
_DT = _string(format="date-time")
_DATE = _string(format="date")
_BOOL = {"type": "boolean"}
_NUM = {"type": "number"}
_INT = {"type": "integer"}
_NULL_DT = {"type": ["string", "null"], "format": "date-time"}
_TRANSLATIONS = _object(
    {"en": {"type": "object", "additionalProperties": _S}},
    description="English versions of the French main fields, by HSDS field name.",
)

SCHEMAS = {
    "Page": _object(
        {
            "total_items": _INT,
            "total_pages": _INT,
            "page_number": _INT,
            "size": _INT,
            "first_page": _BOOL,
            "last_page": _BOOL,
            "empty": _BOOL,
            "contents": _list({}),
        },
        (
            "total_items",
            "total_pages",
            "page_number",
            "size",
            "first_page",
            "last_page",
            "empty",
            "contents",
        ),
        "HSDS paged envelope. total_pages is 0 when nothing matches; a page past the end is empty.",
    ),
    "Error": _object(
        {"error": _object({"status": _INT, "message": _S, "parameter": _S}, ("status", "message"))},
        ("error",),
    ),
    "ApiInfo": _object(
        {
            "version": _S,
            "profile": _string(format="uri"),
            "openapi_url": _string(format="uri"),
            "description": _S,
            "publisher": _object({"name": _S}),
        },
        ("version",),
    ),
    "Taxonomy": _object(
        {
            "id": _S,
            "name": _S,
            "description": _S,
            PROFILE_KEY: _object({"code": _S, "translations": _TRANSLATIONS}),
        },
        ("id", "name", "description"),
    ),
    "TaxonomyTerm": _object(
        {
            "id": _S,
            "code": _S,
            "name": _S,
            "description": _S,
            "parent_id": _S,
            "taxonomy": _S,
            "taxonomy_id": _S,
            "language": _S,
            PROFILE_KEY: _object(
                {"taxonomy_code": _S, "active": _BOOL, "translations": _TRANSLATIONS}
            ),
        },
        ("id", "name", "description"),
    ),
    "Attribute": _object(
        {
            "id": _S,
            "link_id": _S,
            "link_entity": _string(enum=["service", "organization"]),
            "link_type": _string(description="The term's taxonomy code."),
            "taxonomy_term_id": _S,
            "taxonomy_term": _ref("TaxonomyTerm"),
        },
        ("id",),
    ),
    "Phone": _object(
        {
            "id": _S,
            "service_id": _S,
            "organization_id": _S,
            "number": _S,
            "type": _string(
                enum=["voice", "text"], description="`text`: the number takes text messages (SMS)."
            ),
        },
        ("id", "number"),
    ),
    "Language": _object(
        {
            "id": _S,
            "service_id": _S,
            "code": _string(description="ISO 639."),
            "name": _string(description="In French."),
        },
        ("id",),
    ),
    "ServiceArea": _object(
        {
            "id": _S,
            "service_id": _S,
            "name": _S,
            PROFILE_KEY: _object({"region_code": _S}),
        },
        ("id",),
    ),
    "Schedule": _object(
        {
            "id": _S,
            "service_id": _S,
            "freq": _string(enum=["WEEKLY"]),
            "wkst": _S,
            "byday": _string(enum=["MO", "TU", "WE", "TH", "FR", "SA", "SU"]),
            "opens_at": _string(description="HH:MM, local Québec time."),
            "closes_at": _string(description="HH:MM, local Québec time."),
        },
        ("id",),
    ),
    "Address": _object(
        {
            "id": _S,
            "location_id": _S,
            "address_1": _S,
            "city": _S,
            "region": _S,
            "state_province": _S,
            "postal_code": _S,
            "country": _S,
            "address_type": _S,
        },
        ADDRESS_REQUIRED,
        "HSDS address, given only when complete: never for a confidential location.",
    ),
    "Location": _object(
        {
            "id": _S,
            "location_type": _S,
            "name": _S,
            "latitude": _NUM,
            "longitude": _NUM,
            "addresses": _list(_ref("Address")),
            PROFILE_KEY: _object(
                {
                    "region_code": {"type": ["string", "null"]},
                    "municipality": _S,
                    "confidential": _BOOL,
                    "address_1": _string(
                        description="Only when the address is incomplete (no HSDS address)."
                    ),
                    "postal_code": _string(
                        description="Only when the address is incomplete (no HSDS address)."
                    ),
                },
                ("municipality", "confidential"),
                "A confidential location (a shelter) has neither name, coordinates nor address: "
                "only its municipality and region code here. A location whose street or postal "
                "code is unknown has no HSDS address either: the known half is here.",
            ),
        },
        ("id", "location_type"),
    ),
    "ServiceAtLocation": _object(
        {"id": _S, "service_id": _S, "location_id": _S, "location": _ref("Location")}, ("id",)
    ),
    "ServiceAtLocationItem": {
        "allOf": [
            _ref("ServiceAtLocation"),
            _object({"service": _ref("CompactService")}, ("service",)),
        ]
    },
    "ServiceAtLocationDetail": {
        "allOf": [
            _ref("ServiceAtLocation"),
            _object({"service": _ref("Service")}, ("service",)),
        ]
    },
    "CompactService": _object(
        {
            "id": _S,
            "organization_id": _S,
            "name": _S,
            "description": _S,
            "status": _string(enum=["active"]),
        },
        ("id", "name", "status"),
        "A service's one-to-one fields.",
    ),
    "Organization": _object(
        {
            "id": _S,
            "name": _S,
            "alternate_name": _S,
            "description": _S,
            "email": _S,
            "website": _S,
            "phones": _list(_ref("Phone")),
            "attributes": _list(_ref("Attribute")),
            PROFILE_KEY: _object(
                {
                    "kind": _string(enum=["provider"]),
                    "status": _string(enum=["approved"]),
                    "visibility": _string(enum=["public"]),
                    "sector": {
                        "type": ["string", "null"],
                        "description": "Code of a term of the `sector` taxonomy (null: none).",
                    },
                    "trained": {
                        "type": "boolean",
                        "description": "Completed the required training.",
                    },
                    "last_verified": _NULL_DT,
                    "partner_since": {"type": ["string", "null"], "format": "date"},
                    "fictional": _BOOL,
                    "updated_at": _DT,
                    "translations": _TRANSLATIONS,
                },
                description="Québec profile of an organization.",
            ),
        },
        ("id", "name", "description"),
    ),
    "OrganizationDetail": {
        "allOf": [
            _ref("Organization"),
            _object(
                {
                    "locations": _list(_ref("Location")),
                    "services": _list(_ref("CompactService")),
                }
            ),
        ]
    },
    "Service": _object(
        {
            "id": _S,
            "organization_id": _S,
            "name": _S,
            "description": _S,
            "url": _S,
            "email": _S,
            "status": _string(enum=["active"]),
            "eligibility_description": _S,
            "minimum_age": _NUM,
            "maximum_age": _NUM,
            "fees_description": _S,
            "assured_date": _DATE,
            "phones": _list(_ref("Phone")),
            "schedules": _list(_ref("Schedule")),
            "service_areas": _list(_ref("ServiceArea")),
            "service_at_locations": _list(_ref("ServiceAtLocation")),
            "languages": _list(_ref("Language")),
            "organization": _ref("Organization"),
            "attributes": _list(_ref("Attribute")),
            PROFILE_KEY: _object(
                {
                    "region_codes": _list(_S),
                    "capacity": _object(
                        {
                            "status": _string(enum=["accepting", "waitlist", "paused"]),
                            "waitlist_weeks": {"type": ["integer", "null"]},
                            "updated_at": _DT,
                        }
                    ),
                    "trained": _BOOL,
                    "last_verified": _NULL_DT,
                    "open_24_7": _BOOL,
                    "remote": _BOOL,
                    "cost_kind": {
                        "type": ["string", "null"],
                        "enum": ["free", "reduced", "fee", None],
                        "description": "What the service costs the person, when stated.",
                    },
                    "excluded_populations": _list(
                        _string(description="Code of a population term the service does not serve.")
                    ),
                    "closures": _list(
                        _object(
                            {
                                "starts_on": _DATE,
                                "ends_on": _DATE,
                                "closed_from": _string(
                                    description="HH:MM; with closed_until, closed only between "
                                    "these hours on each day of the period."
                                ),
                                "closed_until": _string(description="HH:MM"),
                                "note": _S,
                                "note_en": _S,
                            }
                        )
                    ),
                    "updated_at": _DT,
                    "distance_km": {"type": "number", "description": "Only when `near` is given."},
                    "translations": _TRANSLATIONS,
                },
                description="Québec profile of a service.",
            ),
        },
        ("id", "name", "status"),
    ),
}


def openapi_document() -> dict:
    """The whole OpenAPI 3.1 document, relative to /api/hsds."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Côte-à-Côte HSDS API",
            "version": f"{HSDS_VERSION}-qc.1",
            "summary": "Read-only Open Referral HSDS API of the Côte-à-Côte catalogue.",
            "description": PROFILE_DESCRIPTION,
        },
        "jsonSchemaDialect": "https://json-schema.org/draft/2020-12/schema",
        "externalDocs": {"description": "Open Referral HSDS", "url": HSDS_SCHEMA},
        "servers": [{"url": "/api/hsds"}],
        "x-quebec-profile": {
            "description": PROFILE_DESCRIPTION,
            "profile_key": PROFILE_KEY,
            "filters": ["region", "language", "need", "near", "radius_km"],
            "filtered_paths": ["/services", "/service_at_locations"],
        },
        "paths": PATHS,
        "components": {"schemas": SCHEMAS, "parameters": PARAMETERS},
    }
