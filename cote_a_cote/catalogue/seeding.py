"""Loading seeds/: reference data (taxonomy, regions) and the fictional demo catalogue."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlalchemy import select

from ..config import PROJECT_ROOT
from ..extensions import db
from .models import Region, Taxonomy, TaxonomyTerm

SEEDS_DIR = PROJECT_ROOT / "seeds"


def read_seed(name: str) -> Any:
    """The parsed content of seeds/<name> (a JSON file)."""
    return json.loads((SEEDS_DIR / name).read_text(encoding="utf-8"))


def _assign(obj: object, values: dict[str, Any]) -> bool:
    """Set only the attributes that differ, so an unchanged row is never rewritten."""
    changed = False
    for key, value in values.items():
        if getattr(obj, key) != value:
            setattr(obj, key, value)
            changed = True
    return changed


def load_reference_data() -> None:
    """Upsert taxonomies, terms and regions from seeds/ by code; flushes, never commits."""
    _load_taxonomies(read_seed("taxonomy.json")["taxonomies"])
    _load_regions(read_seed("regions.json")["regions"])
    db.session.flush()


def _load_taxonomies(taxonomies: list[dict]) -> None:
    existing = {t.code: t for t in db.session.scalars(select(Taxonomy))}
    terms = {t.code: t for t in db.session.scalars(select(TaxonomyTerm))}
    for entry in taxonomies:
        taxonomy = existing.get(entry["code"])
        if taxonomy is None:
            taxonomy = Taxonomy(code=entry["code"])
            db.session.add(taxonomy)
        _assign(taxonomy, _labels(entry))
        for index, item in enumerate(entry["terms"], start=1):
            term = terms.get(item["code"])
            if term is None:
                term = TaxonomyTerm(code=item["code"], active=True)
                db.session.add(term)
            values = _labels(item) | {"position": item.get("position", index * 10)}
            _assign(term, values)
            if term.taxonomy is not taxonomy:
                term.taxonomy = taxonomy


def _labels(item: dict) -> dict[str, Any]:
    return {
        "name_fr": item["name_fr"],
        "name_en": item["name_en"],
        "description_fr": item.get("description_fr"),
        "description_en": item.get("description_en"),
    }


def _load_regions(regions: list[dict]) -> None:
    existing = {r.code: r for r in db.session.scalars(select(Region))}
    for item in regions:
        region = existing.get(item["code"])
        if region is None:
            region = Region(code=item["code"])
            db.session.add(region)
        _assign(
            region,
            {
                "name_fr": item["name_fr"],
                "name_en": item["name_en"],
                "position": item["position"],
                "latitude": item.get("latitude"),
                "longitude": item.get("longitude"),
            },
        )
