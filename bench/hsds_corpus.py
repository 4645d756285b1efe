"""Synthetic HSDS 3 files for the import benchmark, written record by record (fictional data)."""

from __future__ import annotations

import json
from pathlib import Path

from .corpus import generate, load_reference


def hsds_record(item: dict) -> dict:
    """One generated service as another directory would send it: nested HSDS 3, our profile."""
    key, org_key = item["key"], item["organization_key"]
    location = {
        "id": f"{key}-loc",
        "location_type": "physical",
        "latitude": round(item["latitude"], 5),
        "longitude": round(item["longitude"], 5),
        "addresses": [
            {
                "id": f"{key}-addr",
                "address_1": f"{len(key) * 7} rue Fictive",
                "city": item["municipality"],
                "postal_code": "H2X 1Y4",
                "state_province": "QC",
                "country": "CA",
                "address_type": "physical",
            }
        ],
        "quebec_profile": {
            "region_code": item["region_code"],
            "confidential": item["confidential"],
        },
    }
    terms = [*item["needs"], *item["populations"], *item["exploitation"], *item["access"]]
    return {
        "id": key,
        "name": item["name_fr"],
        "description": item["description_fr"],
        "status": "active",
        "organization": {
            "id": org_key,
            "name": item["organization_name"],
            "description": "Organisme fictif généré pour la mesure.",
            "phones": [{"id": f"{org_key}-phone", "number": "514-555-0100"}],
            "quebec_profile": {"sector": item["sector"], "trained": item["trained"]},
        },
        "languages": [{"id": f"{key}-{code}", "code": code} for code in item["languages"]],
        "service_areas": [
            {"id": f"{key}-{code}", "quebec_profile": {"region_code": code}}
            for code in item["regions"]
        ],
        "service_at_locations": [{"id": f"{key}-sal", "location": location}],
        "schedules": [
            {
                "id": f"{key}-sched",
                "freq": "WEEKLY",
                "byday": "MO,TU,WE,TH,FR",
                "opens_at": "09:00",
                "closes_at": "17:00",
            }
        ],
        "attributes": [_attribute(f"{key}-{code}", code) for code in terms],
        "quebec_profile": {
            "capacity": {"status": item["capacity"]},
            "open_24_7": item["is_24_7"],
            "remote": item["is_remote"],
            "translations": {
                "en": {"name": item["name_en"], "description": item["description_en"]}
            },
        },
    }


def _attribute(attribute_id: str, code: str) -> dict:
    """An HSDS 3.1 attribute naming one of our terms by code; the schema wants ids and texts."""
    term = {"id": f"term-{code}", "code": code, "name": code, "description": code}
    return {"id": attribute_id, "taxonomy_term_id": term["id"], "taxonomy_term": term}


def write_file(path: Path, count: int) -> int:
    """Write count services to path as one JSON list; returns the file's size in bytes."""
    reference = load_reference()
    with path.open("w", encoding="utf-8") as out:
        out.write("[\n")
        for position, item in enumerate(generate(count, reference=reference)):
            if position:
                out.write(",\n")
            out.write(json.dumps(hsds_record(item), ensure_ascii=False))
        out.write("\n]\n")
    return path.stat().st_size
