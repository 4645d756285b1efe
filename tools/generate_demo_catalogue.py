"""Generate seeds/demo_catalogue.json, the fictional demo catalogue (fixed seed, same output).

Run from the project root:  .venv/bin/python tools/generate_demo_catalogue.py
The JSON is committed; the application only reads it (cote_a_cote/catalogue/seeding.py).
Dates are stored relative to the load date (…_days_ago, starts_in_days) so stale stays stale.
"""

from __future__ import annotations

import json
import math
import random
import re
import sys
import unicodedata
from collections import deque
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tools"))

from demo_catalogue_text import (  # noqa: E402
    ACCOMPANIMENT,
    APPROACH,
    AREA_CODES,
    BRANDS,
    COSTS,
    ELIGIBILITY,
    FREE_COSTS,
    HOURS,
    NEIGHBOURS,
    NOTICE_ORG,
    NOTICE_SERVICE,
    POSTAL_LETTER,
    REFERRERS,
    SECTOR_WEIGHTS,
    SECTORS,
    STREETS,
    SURNAMES,
    TRAINED,
)

from cote_a_cote.geo import find_municipality, places  # noqa: E402

SEED = 20240401
OUTPUT = ROOT / "seeds" / "demo_catalogue.json"
REGION_COUNTS = {
    "01": 7,
    "02": 8,
    "03": 14,
    "04": 8,
    "05": 9,
    "06": 26,
    "07": 9,
    "08": 6,
    "09": 6,
    "10": 5,
    "11": 6,
    "12": 8,
    "13": 9,
    "14": 8,
    "15": 9,
    "16": 14,
    "17": 7,
}
BILINGUAL_REGIONS = {"05", "06", "07", "11", "13", "16"}
CITY_LANGUAGES = ["es", "ar", "ht", "pt", "fa", "ru", "zh", "vi", "tl", "uk", "sw", "ln"]
REGIONAL_LANGUAGES = {
    "02": ["moe"],
    "04": ["atj"],
    "09": ["moe"],
    "10": ["cr", "iu"],
    "14": ["atj"],
    "08": ["alq"],
    "07": ["alq"],
}
POPULATIONS = [
    "population.women",
    "population.men",
    "population.trans_nonbinary",
    "population.lgbtq2s",
    "population.youth_18_24",
    "population.adults_25_plus",
    "population.first_nations_inuit",
    "population.immigrant_racialized",
    "population.no_legal_status",
    "population.homeless",
    "population.addiction",
    "population.sex_industry",
    "population.relatives",
]
EXPLOITATION = [
    "exploitation.forced_labour",
    "exploitation.domestic_servitude",
    "exploitation.forced_begging",
    "exploitation.forced_marriage",
    "exploitation.organ_removal",
]
EXTRA_ACCESS = [
    ("access.wheelchair_access", 0.4),
    ("access.accompaniment_welcome", 0.4),
    ("access.interpreter_available", 0.15),
    ("access.low_threshold", 0.15),
    ("access.harm_reduction", 0.1),
    ("access.pets_accepted", 0.05),
    ("access.mobile", 0.05),
]
# Age limits of an eligibility rule, and the age groups that cannot go with them.
AGE_POPULATION = {(12, 17): "population.youth_12_17", (18, 24): "population.youth_18_24"}
AGE_CONFLICTS = {
    (12, 17): {"population.youth_18_24", "population.adults_25_plus"},
    (18, 24): {"population.youth_12_17", "population.adults_25_plus"},
    (18, None): {"population.youth_12_17"},
    (None, None): set(),
}
# Hand-written English-only organisations: (region, municipality, name, sector, template index).
ENGLISH_ONLY = [
    ("07", "Shawville", "Pontiac Valley Counselling Centre", "sector.psychotherapy", 0),
    ("06", "Pointe-Claire", "Lakeshore Peer Support Collective", "sector.community", 2),
    ("05", "Stanstead", "Borderline Ink — Cover-Up Studio", "sector.tattoo", 0),
    ("11", "New Carlisle", "Bay Chaleur Community Kitchen", "sector.restaurants_bars", 0),
]
PROVINCE_WIDE = [
    ("sector.community", 5, "Montréal"),
    ("sector.translation", 0, "Québec"),
    ("sector.lawyers", 2, "Montréal"),
    ("sector.psychotherapy", 0, "Sherbrooke"),
    ("sector.telecom", 0, "Laval"),
    ("sector.air_transport", 0, "Québec"),
]
NOT_APPROVED = [
    "draft",
    "draft",
    "submitted",
    "submitted",
    "changes_requested",
    "suspended",
    "rejected",
]


def slugify(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40]


def in_place(name: str) -> str:
    """French 'in <town>', contracting the town's article: au Plateau, aux Coteaux, à La Tuque."""
    for article, contracted in (("Le ", "au "), ("Les ", "aux ")):
        if name.startswith(article):
            return contracted + name[len(article) :]
    return f"à {name}"


def compact_json(data: dict) -> str:
    """Indented JSON with every list of plain values kept on one line (a smaller, readable diff)."""
    text = json.dumps(data, ensure_ascii=False, indent=1)
    return re.sub(
        r"\[\s*((?:[^\[\]{}\s][^\[\]{}]*?)?)\s*\]",
        lambda m: "[" + re.sub(r"\s*\n\s*", " ", m.group(1)) + "]",
        text,
    )


class Generator:
    def __init__(self) -> None:
        self.rng = random.Random(SEED)
        self.org_no = self.loc_no = self.svc_no = 0
        self.names: set[str] = set()
        self.templates = {code: deque(range(len(s["services"]))) for code, s in SECTORS.items()}
        self.by_region: dict[str, list] = {}
        for place in places():
            self.by_region.setdefault(place.region_code, []).append(place)

    # --- small pieces -------------------------------------------------------------------
    def place_in(self, region: str):
        candidates = self.by_region[region]
        weights = [math.sqrt((p.population or 300) + 100) for p in candidates]
        return self.rng.choices(candidates, weights)[0]

    def phone(self, region: str) -> str:
        return f"{AREA_CODES[region]}-555-01{self.rng.randrange(100):02d}"

    def postal_code(self, region: str) -> str:
        letters = "ABCEGHJKLMNPRSTVWXYZ"
        r = self.rng
        return (
            f"{POSTAL_LETTER[region]}{r.randrange(10)}{r.choice(letters)} "
            f"{r.randrange(10)}{r.choice(letters)}{r.randrange(10)}"
        )

    def location(self, place, confidential: bool = False, name: str | None = None) -> dict:
        self.loc_no += 1
        jitter = 0 if confidential else 1
        return {
            "key": f"demo-loc-{self.loc_no:03d}",
            "name": name,
            "address_1": None
            if confidential
            else f"{self.rng.randrange(10, 2999)}, {self.rng.choice(STREETS)}",
            "postal_code": None if confidential else self.postal_code(place.region_code),
            "municipality": place.name,
            "region_code": place.region_code,
            "latitude": round(place.latitude + jitter * self.rng.uniform(-0.008, 0.008), 5),
            "longitude": round(place.longitude + jitter * self.rng.uniform(-0.012, 0.012), 5),
            "is_confidential": confidential,
        }

    def org_name(self, sector: str, place) -> str:
        for _ in range(50):
            pattern = self.rng.choice(SECTORS[sector]["names"])
            surname, surname2 = self.rng.sample(SURNAMES, 2)
            name = pattern.format(brand=self.rng.choice(BRANDS), surname=surname, surname2=surname2)
            if self.rng.random() < 0.5 or name in self.names:
                name = f"{name} ({place.name})"
            if name not in self.names:
                self.names.add(name)
                return name
        raise RuntimeError("no free organisation name")

    def pick_templates(self, sector: str, count: int) -> list[int]:
        queue = self.templates[sector]
        picked = []
        for _ in range(min(count, len(queue))):
            picked.append(queue[0])
            queue.rotate(-1)
        return picked

    # --- organisations and services -------------------------------------------------------
    def organization(
        self,
        region: str,
        sector: str,
        *,
        status: str = "approved",
        place=None,
        name: str | None = None,
        english_only: bool = False,
        templates: list[int] | None = None,
        province_wide: bool = False,
        force_good: bool = False,
    ) -> dict:
        rng = self.rng
        self.org_no += 1
        place = place or self.place_in(region)
        name = name or self.org_name(sector, place)
        self.names.add(name)
        french_only = not english_only and not force_good and rng.random() < 0.15
        trained = force_good or rng.random() < 0.75
        slug = slugify(name)
        phrase_fr, phrase_en = SECTORS[sector]["phrase"]
        desc_fr = (
            f"{phrase_fr[0].upper()}{phrase_fr[1:]} {in_place(place.name)} qui s'engage "
            f"auprès des personnes victimes de traite ou d'exploitation sexuelle. "
            f"{NOTICE_ORG[0]}"
        )
        desc_en = (
            f"{phrase_en[0].upper()}{phrase_en[1:]} in {place.name} committed to people "
            f"who are victims of trafficking or sexual exploitation. {NOTICE_ORG[1]}"
        )
        if english_only:
            desc_fr = f"{NOTICE_ORG[0]} Organisme anglophone; services offerts en anglais."
        org = {
            "key": f"demo-org-{self.org_no:03d}",
            "name": name,
            "alternate_name": None
            if french_only or english_only or rng.random() < 0.5
            else f"{name.split(' (')[0]} — {SECTORS[sector]['kind_en']}",
            "kind": "provider",
            "sector": sector,
            "status": status,
            "visibility": "intervenantes" if not force_good and rng.random() < 0.12 else "public",
            "description_fr": desc_fr,
            "description_en": None if french_only else desc_en,
            "email": f"info.{slug}@example.org",
            "website": f"https://{slug}.example.org" if rng.random() < 0.6 else None,
            "phone": self.phone("QC" if province_wide else place.region_code),
            "partner_since_days_ago": rng.randrange(60, 2200),
            "last_verified_days_ago": rng.randrange(3, 170)
            if force_good or rng.random() < 0.85
            else rng.randrange(200, 540),
            "is_trained": trained,
            "is_fictional": True,
            "locations": [self.location(place, name=None)],
            "services": [],
        }
        if templates is None:
            count = rng.choices([1, 2, 3], [45, 40, 15])[0]
            templates = self.pick_templates(sector, count)
        for index in templates:
            template = SECTORS[sector]["services"][index]
            org["services"].append(
                self.service(
                    org,
                    template,
                    place,
                    french_only=french_only,
                    english_only=english_only,
                    province_wide=province_wide,
                )
            )
        return org

    def service(
        self,
        org: dict,
        template: dict,
        place,
        *,
        french_only: bool,
        english_only: bool,
        province_wide: bool,
    ) -> dict:
        rng = self.rng
        self.svc_no += 1
        region = place.region_code
        always = template.get("always", False)
        remote = (
            template.get("remote", False)
            or province_wide
            or (template.get("remote_possible", False) and rng.random() < 0.4)
        )
        capacity = rng.choices(["accepting", "waitlist", "paused"], [72, 18, 10])[0]
        access = set(template["access"])
        access |= {code for code, p in EXTRA_ACCESS if rng.random() < p}
        if template["cost"] in FREE_COSTS:
            access.add("access.free_or_reduced_cost")
        if always:
            access.add("access.open_24_7")
        if remote:
            access.add("access.remote_service")
        if capacity != "accepting":
            access.discard("access.fast_track")
        approach = rng.sample(APPROACH, 2)
        parts_fr = [template["what_fr"], approach[0][0], approach[1][0]]
        parts_en = [template["what_en"], approach[0][1], approach[1][1]]
        if org["is_trained"]:
            parts_fr.append(TRAINED[0])
            parts_en.append(TRAINED[1])
        if "access.accompaniment_welcome" in access:
            parts_fr.append(ACCOMPANIMENT[0])
            parts_en.append(ACCOMPANIMENT[1])
        eligibility = self.eligibility(template)
        populations = set(template.get("populations", [])) | set(
            rng.sample(POPULATIONS, rng.randrange(1, 4))
        )
        populations -= AGE_CONFLICTS[eligibility[2:]]
        if eligibility[2:] in AGE_POPULATION:
            populations.add(AGE_POPULATION[eligibility[2:]])
        exploitation = {"exploitation.sexual"} if rng.random() < 0.85 else set()
        exploitation |= set(rng.sample(EXPLOITATION, rng.randrange(0, 3)))
        exploitation = exploitation or {"exploitation.forced_labour"}
        languages = self.languages(region, template, english_only)
        areas = {"QC"} if province_wide else {region}
        if not province_wide and rng.random() < 0.2:
            areas.add(rng.choice(NEIGHBOURS[region]))
        if remote and not province_wide and rng.random() < 0.5:
            areas.add("QC")
        if (
            region in {"07", "08", "11"}
            and rng.random() < 0.25
            or (province_wide and rng.random() < 0.5)
        ):
            areas.add("HQ")  # border towns and remote services follow people who move away
        locations = [org["locations"][0]["key"]]
        if template.get("confidential"):
            shelter = self.location(place, confidential=True, name="Adresse confidentielle")
            org["locations"].append(shelter)
            locations = [shelter["key"]]
        elif remote and (province_wide or rng.random() < 0.3):
            locations = []
        cost_fr, cost_en = COSTS[template["cost"]]
        name_fr, name_en = template["fr"], template["en"]
        desc_fr = " ".join(parts_fr + [NOTICE_SERVICE[0]])
        desc_en = " ".join(parts_en + [NOTICE_SERVICE[1]])
        if english_only:
            name_fr, desc_fr = name_en, f"{NOTICE_SERVICE[0]} Service offert en anglais seulement."
        waitlist = rng.randrange(1, 17) if capacity == "waitlist" else None
        return {
            "key": f"demo-svc-{self.svc_no:03d}",
            "name_fr": name_fr,
            "name_en": None if french_only else name_en,
            "description_fr": desc_fr,
            "description_en": None if french_only else desc_en,
            "eligibility_fr": eligibility[0],
            "eligibility_en": None if french_only else eligibility[1],
            "minimum_age": eligibility[2],
            "maximum_age": eligibility[3],
            "cost_fr": cost_fr,
            "cost_en": None if french_only else cost_en,
            "capacity": capacity,
            "waitlist_weeks": waitlist,
            "capacity_updated_days_ago": rng.randrange(0, 60)
            if rng.random() < 0.8
            else rng.randrange(90, 300),
            "email": f"accueil.{self.svc_no:03d}@example.org" if rng.random() < 0.5 else None,
            "url": None,
            "phone": self.phone("QC" if province_wide else region) if rng.random() < 0.6 else None,
            "is_24_7": always,
            "is_remote": remote,
            "terms": sorted(self.needs(template) | access | populations | exploitation),
            "languages": languages,
            "areas": sorted(areas),
            "locations": locations,
            "schedules": [] if always else self.schedule(template["hours"]),
            "closures": self.closures(),
        }

    def needs(self, template: dict) -> set[str]:
        codes = set(template["needs"])
        # A sub-need also carries its parent, so a search on the parent finds it.
        return codes | {".".join(c.split(".")[:2]) for c in codes}

    def eligibility(self, template: dict) -> tuple:
        if "population.women" in template.get("populations", []):
            return ELIGIBILITY[1]
        return self.rng.choices(ELIGIBILITY, [30, 10, 8, 8, 14, 30])[0]

    def languages(self, region: str, template: dict, english_only: bool) -> list[str]:
        rng = self.rng
        if english_only:
            return ["en"]
        codes = {"fr"}
        if rng.random() < (0.85 if region in BILINGUAL_REGIONS else 0.45):
            codes.add("en")
        city = region in {"06", "13", "16", "03", "07"}
        count = (
            rng.randrange(4, 9)
            if template.get("many_languages")
            else (
                rng.choices([0, 1, 2, 3], [40, 30, 20, 10])[0]
                if city
                else rng.choices([0, 1], [75, 25])[0]
            )
        )
        codes |= set(rng.sample(CITY_LANGUAGES, count))
        if region in REGIONAL_LANGUAGES and rng.random() < 0.35:
            codes.add(rng.choice(REGIONAL_LANGUAGES[region]))
        return sorted(codes)

    def schedule(self, pattern: str) -> list[dict]:
        return [[day, opens, closes] for days, opens, closes in HOURS[pattern] for day in days]

    def closures(self) -> list[dict]:
        roll = self.rng.random()
        if roll < 0.04:
            return [
                {
                    "starts_in_days": -3,
                    "ends_in_days": 11,
                    "note_fr": "Travaux de rénovation",
                    "note_en": "Renovation work",
                }
            ]
        if roll < 0.1:
            start = self.rng.randrange(10, 60)
            return [
                {
                    "starts_in_days": start,
                    "ends_in_days": start + 7,
                    "note_fr": "Fermeture pour vacances",
                    "note_en": "Closed for holidays",
                }
            ]
        return []

    # --- the whole catalogue -------------------------------------------------------------
    def sector_plan(self, count: int) -> list[str]:
        plan = [code for code in SECTOR_WEIGHTS for _ in range(2)]
        codes, weights = zip(*SECTOR_WEIGHTS.items(), strict=True)
        plan += self.rng.choices(codes, weights, k=count - len(plan))
        self.rng.shuffle(plan)
        return plan

    def build(self) -> dict:
        slots = [region for region, n in REGION_COUNTS.items() for _ in range(n)]
        slots = slots[: len(slots) - len(ENGLISH_ONLY)]
        sectors = self.sector_plan(len(slots))
        organizations = []
        first = self.organization(
            "06",
            "sector.psychotherapy",
            templates=[0, 3],
            place=find_municipality("Verdun"),
            force_good=True,
        )
        organizations.append(first)
        for region, sector in zip(slots[1:], sectors[1:], strict=True):
            organizations.append(self.organization(region, sector))
        for region, town, name, sector, index in ENGLISH_ONLY:
            organizations.append(
                self.organization(
                    region,
                    sector,
                    place=find_municipality(town),
                    name=name,
                    english_only=True,
                    templates=[index],
                )
            )
        for sector, index, town in PROVINCE_WIDE:
            organizations.append(
                self.organization(
                    "QC",
                    sector,
                    place=find_municipality(town),
                    templates=[index],
                    province_wide=True,
                )
            )
        for status in NOT_APPROVED:
            region = self.rng.choice(list(REGION_COUNTS))
            sector = self.rng.choice(list(SECTORS))
            organizations.append(
                self.organization(
                    region, sector, status=status, templates=self.pick_templates(sector, 1)
                )
            )
        return {
            "notice_fr": "Catalogue entièrement fictif, produit pour la démonstration. "
            "Les noms, adresses, numéros (555-01xx) et courriels sont inventés.",
            "notice_en": "Entirely fictional catalogue produced for demonstration. Names, "
            "addresses, numbers (555-01xx) and e-mails are made up.",
            "organizations": organizations,
            "referrers": self.referrers(),
            "coordination": self.coordination(),
            "accounts": [
                {
                    "role": "admin",
                    "email": "admin@demo.cote-a-cote.invalid",
                    "name": "Administratrice (démo)",
                    "organization": "demo-coord-01",
                },
                {
                    "role": "intervenante",
                    "email": "intervenante@demo.cote-a-cote.invalid",
                    "name": "Intervenante (démo)",
                    "organization": "demo-ref-01",
                },
                {
                    "role": "provider",
                    "email": "pourvoyeur@demo.cote-a-cote.invalid",
                    "name": "Pourvoyeur (démo)",
                    "organization": first["key"],
                },
            ],
        }

    def referrers(self) -> list[dict]:
        result = []
        for number, ref in enumerate(REFERRERS, start=1):
            place = find_municipality(ref["place"])
            result.append(
                {
                    "key": f"demo-ref-{number:02d}",
                    "name": ref["name"],
                    "kind": "referrer",
                    "sector": ref["sector"],
                    "status": "approved",
                    "visibility": "intervenantes",
                    "description_fr": f"{ref['fr']} {NOTICE_ORG[0]}",
                    "description_en": f"{ref['en']} {NOTICE_ORG[1]}",
                    "email": f"info.{slugify(ref['name'])}@example.org",
                    "phone": self.phone(place.region_code),
                    "last_verified_days_ago": 30,
                    "is_fictional": True,
                    "locations": [
                        self.location(place, confidential=ref.get("confidential", False))
                    ],
                    "services": [],
                }
            )
        return result

    def coordination(self) -> dict:
        return {
            "key": "demo-coord-01",
            "name": "Côte-à-Côte — équipe de coordination (démo)",
            "kind": "coordination",
            "sector": None,
            "status": "approved",
            "visibility": "intervenantes",
            "description_fr": f"L'équipe qui coordonne la plateforme. {NOTICE_ORG[0]}",
            "description_en": f"The team coordinating the platform. {NOTICE_ORG[1]}",
            "email": "coordination@demo.cote-a-cote.invalid",
            "phone": self.phone("06"),
            "last_verified_days_ago": 1,
            "is_fictional": True,
            "locations": [],
            "services": [],
        }


def check(catalogue: dict) -> None:
    """Stop if the listed part of the catalogue misses a sector, a need or a region."""
    taxonomy = json.loads((ROOT / "seeds" / "taxonomy.json").read_text(encoding="utf-8"))
    terms = {t["code"]: t for tx in taxonomy["taxonomies"] for t in tx["terms"]}
    listed = [o for o in catalogue["organizations"] if o["status"] == "approved"]
    services = [s for o in listed for s in o["services"]]
    used = {code for s in services for code in s["terms"]}
    missing = {c for c in terms if c not in used and not c.startswith("sector.")}
    missing |= set(SECTOR_WEIGHTS) - {o["sector"] for o in listed}
    missing |= (set(REGION_COUNTS) | {"QC", "HQ"}) - {a for s in services for a in s["areas"]}
    missing |= {c for c in used if c not in terms}
    if missing or len(listed) < 150 or len(services) < 250:
        sys.exit(f"demo catalogue incomplete: {sorted(missing)}, {len(listed)}, {len(services)}")


def main() -> None:
    catalogue = Generator().build()
    check(catalogue)
    OUTPUT.write_text(compact_json(catalogue) + "\n", encoding="utf-8")
    orgs = catalogue["organizations"]
    services = sum(len(o["services"]) for o in orgs)
    print(f"{len(orgs)} providers, {services} services written to {OUTPUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
