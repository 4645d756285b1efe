"""Relevance: judged queries over a small fictional catalogue, on every search backend.

Each case names the services a person typing the query wants (relevant), those that may show up
but only after every relevant one (decoys: "avocat" the fruit for a lawyer query), and those that
must never show up (absent: another meaning, a filter, a hidden service). A case passes when every
relevant service is in the first ten, no decoy ranks above a relevant one and nothing absent is
found; a service that is none of these may show up, unjudged (it only lowers precision).
Over the cases with relevant services the suite measures precision@10 (relevant among what
the first page of ten shows, so a short exact answer scores 1) and recall (relevant found at all).

Thresholds (see THRESHOLDS): both backends pass exactly the same cases (the conformance rule of
issue 13), and each passes every case but at most two. The catalogue is ours and small, so a
well-working engine should answer nearly all cases; two leave room for a judgement call on a
stem or a typo without letting a regression through (one lost synonym family breaks several
cases at once). Precision@10 ≥ 0.85: bag-of-words keywords legitimately bring a few neighbours
(a multi-word keyword matches on each of its words), below that the synonyms would flood
results. Recall ≥ 0.95: the synonyms exist to find what would be missed; missing more than one
in twenty means they do not work.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cote_a_cote.catalogue.models import OrganizationStatus, Visibility
from cote_a_cote.extensions import db
from cote_a_cote.search.query import Audience, SearchParams, search_services
from tests.search.conftest import (
    LAVAL,
    LONGUEUIL,
    MONTREAL,
    QUEBEC,
    RIMOUSKI,
    SHERBROOKE,
    place,
    term,
)

THRESHOLDS = {"pass_rate": 0.97, "precision_at_10": 0.85, "recall": 0.95}
FICTIONAL = " (Service fictif — données de démonstration des tests)"


def _catalogue(make_org, add_service) -> dict[str, int]:
    """Fictional services by short name; tags are what a provider would choose."""
    s = {}

    def add(key, org, name, terms, region="06", where=None, **fields):
        fields["description_fr"] = (fields.get("description_fr") or "") + FICTIONAL
        located = place(*where, region) if where else None
        s[key] = add_service(org, name, terms=terms, regions=(region,), location=located, **fields)

    def org(name, **fields):
        return make_org(name, **fields)

    # Legal: tagged with children of need.legal only, in French only.
    add(
        "lawyer",
        org("Cabinet Fictif Lemieux", sector=term("sector.lawyers")),
        "Représentation devant le tribunal",
        ("need.legal.lawyer", "population.women"),
        where=("Montréal", MONTREAL),
        description_fr="Une professionnelle plaide votre dossier.",
    )
    add(
        "immigration",
        org("Clinique Fictive du Plateau"),
        "Demandes de résidence permanente",
        ("need.legal.immigration", "population.no_legal_status", "access.free_or_reduced_cost"),
        where=("Montréal", MONTREAL),
        description_fr="Dossiers de statut et de parrainage.",
    )
    add(
        "court",
        org("Soutien Fictif Capitale"),
        "Accompagnement à la cour",
        ("need.legal.court_accompaniment", "exploitation.sexual"),
        region="03",
        where=("Québec", QUEBEC),
        description_fr="Préparation au témoignage.",
    )
    # Mental health and helping relationship.
    add(
        "therapy",
        org("Clinique Fictive Estrie", is_trained=True),
        "Suivi individuel",
        ("need.mental_health.psychotherapy", "access.fast_track"),
        region="05",
        where=("Sherbrooke", SHERBROOKE),
        languages=("fr", "en"),
        description_fr="Rencontres avec une professionnelle.",
    )
    add(
        "sexology",
        org("Cabinet Fictif Rive-Sud"),
        "Consultation en sexologie",
        ("need.mental_health.sexology",),
        region="16",
        where=("Longueuil", LONGUEUIL),
    )
    add(
        "social_work",
        org("Organisme Fictif Laval", sector=term("sector.community")),
        "Suivi psychosocial",
        ("need.mental_health.social_work",),
        region="13",
        where=("Laval", LAVAL),
    )
    add(
        "peer",
        org("Collectif Fictif des Survivantes"),
        "Groupe entre pairs",
        ("need.peer_support", "population.sex_industry"),
        description_fr="Rencontres mensuelles.",
    )
    # Shelter and housing.
    add(
        "shelter",
        org("Halte Fictive", visibility=Visibility.INTERVENANTES),
        "Maison d'hébergement La Halte",
        ("need.safety_shelter", "access.open_24_7"),
        region="16",
        where=("Longueuil", LONGUEUIL),
        is_24_7=True,
    )
    add(
        "housing",
        org("Habitations Fictives"),
        "Logements de transition",
        ("need.housing", "population.youth_18_24"),
        region="13",
        where=("Laval", LAVAL),
    )
    add(
        "hotel",
        org("Hôtel Fictif du Port", sector=term("sector.hotels")),
        "Chambres à court terme",
        ("need.housing",),
        region="03",
        where=("Québec", QUEBEC),
    )
    # Basic needs; the grocery sells avocados (the decoy of every lawyer query).
    add("food", org("Cuisine Fictive"), "Dépannage alimentaire", ("need.basic_needs.food",))
    add(
        "clothing",
        org("Vestiaire Fictif"),
        "Vêtements pour toutes et tous",
        ("need.basic_needs.clothing",),
        region="13",
    )
    add(
        "grocery",
        org("Épicerie Fictive", sector=term("sector.groceries_pharmacies")),
        "Épicerie solidaire",
        ("need.basic_needs.food",),
        description_fr="Fruits et légumes frais : avocats, mangues et bananes à petit prix.",
        description_en="Fresh fruit and vegetables: avocados, mangoes and bananas.",
    )
    # Physical health.
    add(
        "dental",
        org("Sourire Fictif"),
        "Clinique dentaire",
        ("need.physical_health.dental", "access.wheelchair_access"),
        region="01",
        where=("Rimouski", RIMOUSKI),
    )
    add(
        "medical",
        org("Clinique Fictive Centre-Ville", sector=term("sector.medical_clinics")),
        "Soins sans rendez-vous",
        ("need.physical_health.medical",),
        where=("Montréal", MONTREAL),
    )
    add(
        "gynaecology",
        org("Centre Fictif des Femmes"),
        "Contraception et dépistage",
        ("need.physical_health.gynaecology", "population.women"),
        where=("Montréal", MONTREAL),
    )
    add(
        "detox",
        org("Centre Fictif Renaissance", sector=term("sector.private_detox")),
        "Programme résidentiel",
        ("need.addiction", "access.harm_reduction"),
        region="05",
    )
    # Everything else a person may need.
    add(
        "interpreting",
        org("Fictional Language Bridge", sector=term("sector.translation")),
        "Community interpreting",
        ("need.interpreting",),
        region="QC",
        languages=("en", "ar"),
        is_remote=True,
        description_en="Interpreters on call, in person or by phone.",
    )
    add("employment", org("Carrières Fictives"), "Retour au travail", ("need.employment",))
    add(
        "transport",
        org("Taxi Fictif", sector=term("sector.ground_transport")),
        "Déplacements accompagnés",
        ("need.transport",),
        region="03",
    )
    add(
        "tattoo",
        org("Studio Fictif", sector=term("sector.tattoo")),
        "Recouvrement gratuit",
        ("need.self_image.tattoo", "access.free_or_reduced_cost"),
    )
    add(
        "hair",
        org("Salon Fictif", sector=term("sector.beauty")),
        "Coupes solidaires",
        ("need.self_image.hair",),
        region="13",
    )
    add(
        "vet",
        org("Clinique Vétérinaire Fictive", sector=term("sector.veterinarians")),
        "Soins pour animaux à bas prix",
        ("need.pets.veterinary",),
        description_fr="Nous gérons aussi un refuge pour animaux abandonnés.",
    )
    add("telecom", org("Réseau Fictif"), "Forfaits solidaires", ("need.telecom",))
    add("finance", org("Budget Fictif"), "Consultations budgétaires", ("need.finances",))
    add(
        "self_defence",
        org("Dojo Fictif"),
        "Cours pour femmes",
        ("need.wellbeing.self_defence",),
        description_en="Classes in our gym; outdoor court in summer.",
    )
    add("massage", org("Mains Fictives"), "Massothérapie", ("need.wellbeing.massage",))
    # Never found: a provider that is not approved.
    add(
        "draft",
        org("Brouillon Fictif", status=OrganizationStatus.DRAFT),
        "Avocat brouillon",
        ("need.legal.lawyer",),
    )
    db.session.commit()
    return {key: service.id for key, service in s.items()}


@dataclass
class Case:
    kind: str
    q: str
    relevant: tuple[str, ...]
    decoys: tuple[str, ...] = ()
    absent: tuple[str, ...] = ()
    filters: dict = field(default_factory=dict)
    audience: Audience = Audience.INTERVENANTE
    first: str | None = None  # the service that must come first (distance order)


LEGAL = ("lawyer", "immigration", "court")
HEALTH = ("dental", "medical", "gynaecology")
CASES = [
    # Synonyms: a keyword of the term or of a term above it.
    Case("synonym", "avocat", LEGAL, decoys=("grocery",), absent=("draft",)),
    Case("synonym", "avocate", LEGAL, decoys=("grocery",)),
    Case("synonym", "juriste", LEGAL),
    Case("synonym", "notaire", LEGAL),
    Case("synonym", "aide juridique", LEGAL),
    Case("synonym", "psychologue", ("therapy", "sexology", "social_work")),
    Case("synonym", "relation d'aide", ("therapy", "sexology", "social_work")),
    Case("synonym", "banque alimentaire", ("food", "grocery")),
    Case("synonym", "friperie", ("clothing",)),
    Case("synonym", "toxicomanie", ("detox",)),
    Case("synonym", "CV", ("employment",)),
    Case("synonym", "taxi", ("transport",)),
    Case("synonym", "chien", ("vet",)),
    Case("synonym", "arts martiaux", ("self_defence",)),
    Case("synonym", "cellulaire", ("telecom",)),
    Case("synonym", "impôts", ("finance",)),
    Case("synonym", "avortement", ("gynaecology", "medical")),
    Case("synonym", "coiffeur", ("hair",)),
    Case("synonym", "sans papiers", ("immigration",)),
    Case("synonym", "gratuit", ("immigration", "tattoo")),
    Case("synonym", "fauteuil roulant", ("dental",)),
    Case("synonym", "proxénétisme", ("court",)),
    # A parent term's label finds the services of its children.
    Case("hierarchy", "santé physique", HEALTH),
    Case("hierarchy", "juridique", LEGAL),
    Case("hierarchy", "besoins de base", ("food", "clothing", "grocery")),
    Case("hierarchy", "image de soi", ("tattoo", "hair")),
    Case("hierarchy", "bien-être", ("self_defence", "massage")),
    Case("hierarchy", "animaux", ("vet",)),
    # Across languages, through labels and keywords.
    Case("cross-language", "lawyer", LEGAL),
    Case("cross-language", "attorney", LEGAL),
    Case("cross-language", "legal aid", LEGAL),
    # Its parent's keyword "psychotherapy" brings the other mental-health services too: found,
    # but not judged relevant.
    Case("cross-language", "psychotherapy", ("therapy",)),
    Case("cross-language", "counselling", ("therapy", "sexology", "social_work")),
    Case("cross-language", "food bank", ("food", "grocery")),
    Case("cross-language", "dentist", ("dental",)),
    Case("cross-language", "haircut", ("hair",)),
    Case("cross-language", "tattoo removal", ("tattoo",)),
    Case("cross-language", "debt", ("finance",)),
    Case("cross-language", "detox", ("detox",)),
    Case("cross-language", "interprète", ("interpreting",)),
    Case("cross-language", "traduction", ("interpreting",)),
    # Accents and case.
    Case("accents", "hebergement", ("shelter", "housing", "hotel")),
    Case("accents", "THERAPIE", ("therapy", "sexology", "social_work")),
    Case("accents", "vetements", ("clothing",)),
    Case("accents", "desintoxication", ("detox",)),
    Case("accents", "medecin", ("medical",)),
    Case("accents", "veterinaire", ("vet",)),
    # Stems in both languages.
    Case("stems", "avocates", LEGAL, decoys=("grocery",)),
    Case("stems", "logements", ("housing", "hotel")),
    Case("stems", "lawyers", LEGAL),
    Case("stems", "interpreters", ("interpreting",)),
    Case("stems", "dentistes", ("dental",)),
    Case("stems", "thérapies", ("therapy", "sexology", "social_work")),
    # One typo in a long word.
    Case("typo", "psychoterapie", ("therapy",)),
    Case("typo", "imigration", ("immigration",)),
    Case("typo", "dentite", ("dental",)),
    Case("typo", "coifeur", ("hair",)),
    Case("typo", "vétérinare", ("vet",)),
    # Filters, audience and distance.
    Case(
        "filter",
        "avocat",
        ("court",),
        absent=("lawyer", "immigration"),
        filters={"regions": ["03"]},
    ),
    Case("filter", "", LEGAL, absent=("grocery", "draft"), filters={"needs": ["need.legal"]}),
    Case(
        "filter",
        "therapy",
        ("therapy",),
        absent=("sexology", "social_work"),
        filters={"languages": ["en"]},
    ),
    Case(
        "filter",
        "hébergement",
        ("shelter",),
        absent=("housing",),
        filters={"access": ["access.open_24_7"]},
    ),
    Case("filter", "refuge", (), absent=("shelter",), decoys=("vet",), audience=Audience.PUBLIC),
    Case(
        "distance",
        "avocat",
        ("lawyer", "immigration"),
        absent=("court",),
        filters={"near": MONTREAL, "radius_km": 25},
    ),
    Case(
        "distance",
        "santé physique",
        HEALTH,
        first="dental",
        filters={"near": RIMOUSKI, "sort": "distance"},
    ),
    Case(
        "distance",
        "psychologue",
        ("sexology", "social_work"),
        absent=("therapy",),
        first="sexology",
        filters={"near": MONTREAL, "radius_km": 25, "sort": "distance"},
    ),
    Case(
        "distance",
        "hébergement",
        ("shelter",),
        absent=("housing", "hotel"),
        filters={"near": LONGUEUIL, "radius_km": 10},
    ),
    # Decoys: the other meaning of a word ranks after the one meant, or not at all.
    Case("decoy", "avocado", ("grocery",), absent=LEGAL),
    Case("decoy", "refuge", ("shelter",), decoys=("vet",)),
    # "court" is also French ("short"): the hotel's "court terme" may show, unjudged.
    Case("decoy", "court", ("court",), decoys=("self_defence",)),
    Case("decoy", "xylophone", ()),
]


def _label(case: Case) -> str:
    return f"{case.kind}: {case.q}"


# The cases every backend misses today, the same on both (a backend that differs on any case
# fails). "refuge" for the public: French stems "réfugié" (an immigration keyword) and "refuge"
# alike, so the immigration clinic shows; a better stemmer, not a shorter keyword list, fixes it.
KNOWN_MISSES = {"filter: refuge"}


def _judge(case: Case, found: list[int], ids: dict[str, int]) -> tuple[bool, float, float]:
    """(passed, precision@10, recall) of one case."""
    relevant = {ids[k] for k in case.relevant}
    top = found[:10]
    ranks = {service_id: rank for rank, service_id in enumerate(found)}
    last_relevant = max((ranks[i] for i in relevant if i in ranks), default=-1)
    passed = (
        relevant <= set(top)
        and all(ranks.get(ids[k], len(found)) > last_relevant for k in case.decoys)
        and not {ids[k] for k in case.absent} & set(found)
        and (relevant or not set(found) - {ids[k] for k in case.decoys})
        and (case.first is None or found[:1] == [ids[case.first]])
    )
    precision = len(relevant & set(top)) / len(top) if top else 0.0
    recall = len(relevant & set(found)) / len(relevant) if relevant else 1.0
    return bool(passed), precision, recall


def _kind_figures(kind: str, results) -> str:
    rows = [r for r in results if r[0].kind == kind]
    judged = [r for r in rows if r[0].relevant]
    precision = sum(r[2] for r in judged) / len(judged) if judged else 1.0
    return f"{kind} {sum(r[1] for r in rows)}/{len(rows)} {precision:.2f}"


def test_there_are_enough_judged_cases_of_every_kind():
    kinds = {case.kind for case in CASES}
    assert len(CASES) >= 60
    assert kinds >= {
        "synonym",
        "hierarchy",
        "cross-language",
        "accents",
        "stems",
        "typo",
        "filter",
        "distance",
        "decoy",
    }


def test_relevance(search_backend, reference, make_org, add_service, capsys):
    ids = _catalogue(make_org, add_service)
    names = {service_id: key for key, service_id in ids.items()}
    results, failures = [], []
    for case in CASES:
        params = SearchParams(q=case.q, per_page=100, **case.filters)
        found = search_services(params, case.audience).service_ids
        passed, precision, recall = _judge(case, found, ids)
        results.append((case, passed, precision, recall))
        if not passed:
            failures.append(f"{case.kind} {case.q!r}: found {[names[i] for i in found]}")
    judged = [r for r in results if r[0].relevant]
    figures = {
        "pass_rate": sum(r[1] for r in results) / len(results),
        "precision_at_10": sum(r[2] for r in judged) / len(judged),
        "recall": sum(r[3] for r in judged) / len(judged),
    }
    with capsys.disabled():  # the figures show in every run, not only with -s
        print(
            f"\nrelevance [{search_backend}] {len(results)} cases: pass rate "
            f"{figures['pass_rate']:.3f}, precision@10 {figures['precision_at_10']:.3f}, "
            f"recall {figures['recall']:.3f}"
        )
        kinds = dict.fromkeys(case.kind for case in CASES)
        print(
            "  by kind (passed/cases, precision@10):",
            ", ".join(_kind_figures(kind, results) for kind in kinds),
        )
        for line in failures:
            print("  failed:", line)
    missed = {_label(case) for case, passed, *_ in results if not passed}
    assert missed == KNOWN_MISSES, (search_backend, missed, failures)
    for name, minimum in THRESHOLDS.items():
        assert figures[name] >= minimum, (name, figures, failures)
