"""A replayable mix of 1,000 searches, shaped like an intervenante's day (fixed seed)."""

from __future__ import annotations

import os
import random
from dataclasses import dataclass, field

from .corpus import Reference, load_reference

COMMON_FR = [
    "logement",
    "hébergement d'urgence",
    "avocat",
    "thérapie",
    "psychologue",
    "dentiste",
    "emploi",
    "interprète",
    "dépannage alimentaire",
    "désintoxication",
    "clinique",
    "budget",
    "transport",
    "vêtements",
    "sexologue",
    "immigration",
    "tatouage",
    "refuge",
]
ENGLISH = [
    "lawyer",
    "housing",
    "therapy",
    "dentist",
    "interpreter",
    "food bank",
    "detox",
    "shelter",
    "employment",
    "counselling",
    "taxi",
    "tattoo removal",
    "immigration lawyer",
]
NO_ACCENTS = ["therapie", "hebergement", "desintoxication", "interprete", "epicerie", "securite"]
STEM_VARIANTS = ["logements", "avocate", "avocats", "lawyers", "thérapies", "dentistes", "refuges"]
PHRASES = [
    "hébergement d'urgence confidentiel",
    "avocat immigration statut",
    "thérapie traumatisme sans jugement",
    "logement de transition supervisé",
    "emergency shelter confidential",
    "dentiste coût réduit rapide",
    "interprète documents assermentée",
    "aide financière dettes faillite",
]
TYPOS = ["therapei", "logemnet", "avocta", "interpete", "psycologue", "hebergment"]
RARE = ["ostéopathie", "acupuncture", "vétérinaire", "entreposage", "autodéfense", "cellulaire"]
ZERO = ["zxqvbn", "astrophysique quantique", "kayak polaire", "wqzrt"]


@dataclass
class BenchQuery:
    kind: str
    q: str = ""
    regions: list[str] = field(default_factory=list)
    needs: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    access: list[str] = field(default_factory=list)
    accepting_only: bool = False
    trained_only: bool = False
    near: tuple[str, float, float] | None = None  # municipality, lat, lon
    radius_km: float | None = None
    sort: str = "relevance"


def generate(
    count: int = 1000, seed: int = 4242, reference: Reference | None = None
) -> list[BenchQuery]:
    """count queries: 60 % with filters, 50 % sorted by distance, every kind represented."""
    ref = reference or load_reference()
    rng = random.Random(seed)
    kinds = [
        ("common_fr", COMMON_FR, 0.30),
        ("english", ENGLISH, 0.12),
        ("no_accents", NO_ACCENTS, 0.10),
        ("stem_variant", STEM_VARIANTS, 0.10),
        ("phrase", PHRASES, 0.10),
        ("typo", TYPOS, 0.06),
        ("browse", [""], 0.12),
        ("rare", RARE, 0.06),
        ("zero", ZERO, 0.04),
    ]
    quebec = [r for r in ref.regions if r.isdigit()]
    big_places = [p for p in ref.places if p[1].isdigit()]
    queries = []
    for index in range(count):
        kind, pool, _weight = rng.choices(kinds, weights=[k[2] for k in kinds])[0]
        query = BenchQuery(kind=kind, q=rng.choice(pool))
        with_filters = kind == "browse" or rng.random() < 0.6
        if with_filters:
            choice = rng.random()
            if choice < 0.45:
                query.regions = [rng.choice(quebec)]
            if kind == "browse" or rng.random() < 0.4:
                query.needs = [rng.choice([n for n in ref.needs if n.count(".") == 1])]
            if rng.random() < 0.25:
                query.languages = [rng.choice(["en", "es", "ar", "fa", "ht"])]
            if rng.random() < 0.25:
                query.access = [rng.choice(ref.access)]
            query.accepting_only = rng.random() < 0.3
            query.trained_only = rng.random() < 0.2
        if index % 2 == 0:
            name, _region, lat, lon = rng.choice(big_places)
            query.near = (name, lat, lon)
            query.sort = "distance"
            query.radius_km = rng.choice([None, 25.0, 50.0, 100.0])
        queries.append(query)
    return queries


def replayed() -> list[BenchQuery]:
    """The mix every measure replays: BENCH_QUERIES of them (default 1,000), the same first ones
    whatever the count (one seeded sequence)."""
    return generate(int(os.environ.get("BENCH_QUERIES", "1000")))
