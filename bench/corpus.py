"""Synthetic, HSDS-shaped catalogues for the benchmark: fixed seed, bilingual, realistic vocabulary.

Everything here is invented for measurement; nothing describes a real organisation.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from pathlib import Path

SEEDS = Path(__file__).resolve().parent.parent / "seeds"

# Topic vocabulary per need family: (French words, English words). Descriptions draw from
# these so that stems, accents and cross-language matches behave as they would on real listings.
TOPICS = {
    "need.safety_shelter": (
        "hébergement d'urgence sécurité maison refuge chambre nuit accueil confidentiel protection",
        "emergency shelter safety house refuge room night welcome confidential protection",
    ),
    "need.housing": (
        "logement logements appartement bail loyer recherche transition propriétaire supervisé",
        "housing apartment lease rent search transitional landlord supported home",
    ),
    "need.basic_needs": (
        "alimentation épicerie vêtements hygiène dépannage repas banque alimentaire produits",
        "food grocery clothing hygiene emergency meals food bank products",
    ),
    "need.financial": (
        "budget dettes impôts faillite aide financière comptable planification crédit",
        "budget debts taxes bankruptcy financial aid accountant planning credit",
    ),
    "need.physical_health": (
        "santé médecin clinique dentiste gynécologie infirmière nutrition dépistage soins",
        "health doctor clinic dentist gynaecology nurse nutrition screening care",
    ),
    "need.mental_health": (
        "thérapie psychothérapie psychologue sexologue relation d'aide écoute traumatisme anxiété",
        "therapy psychotherapy psychologist sexologist counselling listening trauma anxiety",
    ),
    "need.addiction": (
        "dépendance désintoxication toxicomanie réduction des méfaits sevrage alcool drogues",
        "addiction detox substance harm reduction withdrawal alcohol drugs",
    ),
    "need.legal": (
        "avocat avocate avocats juridique tribunal accompagnement immigration statut droits",
        "lawyer lawyers legal court accompaniment immigration status rights complaint",
    ),
    "need.employment": (
        "emploi orientation carrière curriculum entrevue stage formation travail insertion",
        "employment career guidance resume interview internship training work integration",
    ),
    "need.education": (
        "éducation école francisation cours alphabétisation diplôme études retour",
        "education school french classes literacy diploma studies return",
    ),
    "need.transport": (
        "transport taxi autobus train déplacement billet rendez-vous chauffeur",
        "transport taxi bus train travel ticket appointment driver",
    ),
    "need.interpreting": (
        "interprète interprétation traduction langue documents assermentée",
        "interpreter interpreting translation language documents certified",
    ),
    "need.self_image": (
        "esthétique coiffure tatouage recouvrement détatouage soins beauté image",
        "esthetics hair tattoo cover-up removal care beauty image",
    ),
    "need.wellbeing": (
        "bien-être activité physique autodéfense massage ostéopathie acupuncture conditionnement",
        "wellbeing physical activity self-defence massage osteopathy acupuncture fitness",
    ),
    "need.telecom": (
        "téléphone cellulaire forfait internet appareil communication",
        "phone cellphone plan internet device communication",
    ),
    "need.pets": (
        "animaux vétérinaire chien chat garde accepte",
        "pets veterinary dog cat boarding accepted",
    ),
    "need.storage": (
        "entreposage casier boîtes déménagement biens",
        "storage locker boxes moving belongings",
    ),
    "need.peer_support": (
        "pairs aidantes entraide groupe soutien vécu",
        "peers peer helpers mutual aid group support",
    ),
}
COMMON_FR = (
    "nous offrons un accueil respectueux sans jugement et confidentiel aux personnes "
    "référées par une intervenante le rythme de chaque personne est respecté "
    "les services sont gratuits ou à coût réduit selon la situation "
    "aucune question intrusive rendez-vous rapide accompagnement bienvenu "
    "notre équipe est formée aux réalités de l'exploitation sexuelle et de la traite"
).split()
COMMON_EN = (
    "we offer a respectful welcome without judgement and confidential to people "
    "referred by a social worker each person's pace is respected "
    "services are free or at reduced cost depending on the situation "
    "no intrusive questions quick appointment accompaniment welcome "
    "our team is trained on the realities of sexual exploitation and trafficking"
).split()
ORG_WORDS = (
    "Centre Clinique Cabinet Maison Réseau Atelier Coop Groupe Services Espace Alliance Studio"
).split()
ORG_NAMES = (
    "Boréal Horizon Phare Passerelle Tremplin Ancrage Érable Rivière Aurore Saule Fleuve Cap "
    "Boussole Lueur Halte Envol Racines Sentier Marée Colline"
).split()
LANGUAGES = ["fr", "en", "es", "ar", "ht", "pt", "fa", "ru", "zh", "vi", "ti", "sw"]


@dataclass
class Reference:
    needs: list[str]
    sectors: list[str]
    populations: list[str]
    exploitation: list[str]
    access: list[str]
    regions: list[str]
    places: list[tuple[str, str, float, float]] = field(default_factory=list)


def load_reference() -> Reference:
    from cote_a_cote.geo import places

    taxonomy = json.loads((SEEDS / "taxonomy.json").read_text())["taxonomies"]
    by_code = {t["code"]: [term["code"] for term in t["terms"]] for t in taxonomy}
    regions = [r["code"] for r in json.loads((SEEDS / "regions.json").read_text())["regions"]]
    return Reference(
        needs=by_code["need"],
        sectors=by_code["sector"],
        populations=by_code["population"],
        exploitation=by_code["exploitation"],
        access=by_code["access"],
        regions=regions,
        places=[(p.name, p.region_code, p.latitude, p.longitude) for p in places()],
    )


def _topic_for(need: str) -> tuple[list[str], list[str]]:
    for prefix, (fr, en) in TOPICS.items():
        if need.startswith(prefix):
            return fr.split(), en.split()
    return TOPICS["need.peer_support"][0].split(), TOPICS["need.peer_support"][1].split()


def _paragraph(rng: random.Random, topic: list[str], common: list[str], words: int) -> str:
    out = []
    while len(out) < words:
        pool = topic if rng.random() < 0.35 else common
        out.append(rng.choice(pool))
    text = " ".join(out)
    return text[0].upper() + text[1:] + "."


def generate(count: int, seed: int = 20261123, reference: Reference | None = None) -> list[dict]:
    """count services as plain dicts (about 1.6 per organisation), deterministic for seed."""
    ref = reference or load_reference()
    rng = random.Random(seed)
    services = []
    org_count = max(1, int(count / 1.6))
    quebec_regions = [r for r in ref.regions if r.isdigit()]
    for index in range(count):
        org_index = index % org_count
        org_rng = random.Random(seed * 7919 + org_index)
        place = org_rng.choice(ref.places)
        needs = rng.sample(ref.needs, k=rng.choice([1, 1, 2, 3]))
        fr_topic, en_topic = _topic_for(needs[0])
        remote = rng.random() < 0.08
        regions = (
            ["QC"]
            if remote
            else sorted({place[1], *rng.sample(quebec_regions, k=rng.choice([0, 0, 1]))})
        )
        services.append(
            {
                "key": f"bench-{index}",
                "organization_key": f"bench-org-{org_index}",
                "organization_name": (
                    f"{org_rng.choice(ORG_WORDS)} {org_rng.choice(ORG_NAMES)} {org_index}"
                ),
                "sector": org_rng.choice(ref.sectors),
                "trained": org_rng.random() < 0.6,
                "intervenantes_only": org_rng.random() < 0.1,
                "verified_days_ago": org_rng.randint(0, 400),
                "name_fr": f"{fr_topic[0].capitalize()} {rng.choice(fr_topic)} — {place[0]}",
                "name_en": f"{en_topic[0].capitalize()} {rng.choice(en_topic)} — {place[0]}",
                "description_fr": _paragraph(rng, fr_topic, COMMON_FR, rng.randint(80, 150)),
                "description_en": _paragraph(rng, en_topic, COMMON_EN, rng.randint(80, 150)),
                "needs": needs,
                "populations": rng.sample(ref.populations, k=rng.randint(0, 3)),
                "exploitation": rng.sample(ref.exploitation, k=rng.randint(0, 2)),
                "access": rng.sample(ref.access, k=rng.randint(0, 4)),
                "languages": sorted({"fr", *rng.sample(LANGUAGES, k=rng.randint(0, 2))}),
                "regions": regions,
                "is_remote": remote,
                "is_24_7": rng.random() < 0.05,
                "capacity": rng.choices(["accepting", "waitlist", "paused"], [7, 2, 1])[0],
                "municipality": place[0],
                "region_code": place[1],
                "latitude": place[2] + rng.uniform(-0.02, 0.02),
                "longitude": place[3] + rng.uniform(-0.02, 0.02),
                "confidential": rng.random() < 0.04,
            }
        )
    return services
