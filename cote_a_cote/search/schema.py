"""What the index holds, independent of the engine: field names, kinds and the facets built on them.

Texts are indexed at three levels of importance (names, taxonomy labels, everything else). Each
word is stored with its French stem and its English stem, so a query word matches whatever the
language of either side; a query word is looked up by both of its stems.
"""

from __future__ import annotations

# Bump when fields or documents change: an index built with another version is rebuilt on open.
SCHEMA_VERSION = 7

LANGUAGES = ("fr", "en")

# Text levels and the points a query word earns at that level (fuzzy and prefix earn FUZZY_POINTS).
# Boosts (BOOST_POINTS) add up to less than the smallest gap, so they only order equal relevance.
TEXT_LEVELS = (("name", 80), ("terms", 60), ("body", 30))
FUZZY_POINTS = 10
BOOST_POINTS = (("trained", 4), ("accepting", 3), ("recent", 2))

UNIQUE_FIELD = "sid"
PAYLOAD_FIELD = "payload"
# Words of every level, folded but not stemmed, where near misses are looked up: only words long
# enough to be guessed (see FUZZY_MIN_LENGTH in query.py).
WORDS_FIELD = "words"
WORDS_MIN_LENGTH = 6

# Keyword fields: exact values, no analysis. Facets and filters are built on them.
KEYWORD_FIELDS = (
    "region",  # service areas and location regions ("01".."17", "QC", "HQ")
    "need",  # need term codes, with their ancestors (need.legal for need.legal.lawyer)
    "sector",
    "lang",
    "population",
    "exploitation",
    "access",
    "flag",  # FLAG_* below
    "audience",  # AUDIENCE_PUBLIC or AUDIENCE_INTERVENANTES
    "org",  # organisation id
    "term",  # every taxonomy term id the service carries (HSDS taxonomy_term filter)
    "min_age",  # the service's minimum age, as text ("18"), when it has one
    "max_age",
    "excluded",  # population codes of the populations the service does not serve
)

FLAG_ACCEPTING = "accepting"
FLAG_TRAINED = "trained"
FLAG_REMOTE = "remote"
FLAG_PROVINCE_WIDE = "province_wide"
FLAG_ALWAYS_OPEN = "always_open"
AUDIENCE_PUBLIC = "public"
AUDIENCE_INTERVENANTES = "intervenantes"

PROVINCE_WIDE = "QC"
OUTSIDE_QUEBEC = "HQ"
# The region codes that are no region of Québec: a province-wide service serves every other
# region, and a remote one counts for these two.
NOT_A_REGION = (PROVINCE_WIDE, OUTSIDE_QUEBEC)


def serves_every_region(codes) -> bool:
    """Whether a filter on these region codes admits the province-wide services (as serving
    every region): when it names one region of Québec at least."""
    return any(code not in NOT_A_REGION for code in codes)


# Facet name (as in SearchParams) -> keyword field.
FACETS = {
    "regions": "region",
    "needs": "need",
    "sectors": "sector",
    "languages": "lang",
    "populations": "population",
    "exploitation": "exploitation",
    "access": "access",
}

# Access features also derived from service columns, so the facet and the column always agree.
ACCESS_OPEN_24_7 = "access.open_24_7"
ACCESS_REMOTE = "access.remote_service"

TEXT_FIELDS = tuple(level for level, _ in TEXT_LEVELS)
