"""The offline gazetteer: seeds/municipalities.csv, loaded once, looked up by forgiving names."""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from functools import cache

from ..config import PROJECT_ROOT
from .distance import haversine_km

MUNICIPALITIES_CSV = PROJECT_ROOT / "seeds" / "municipalities.csv"
_ABBREVIATIONS = {"st": "saint", "ste": "sainte", "mt": "mont"}
_SEPARATORS = re.compile(r"[\s\-‐‑–—'’.,/()]+")


@dataclass(frozen=True)
class Place:
    """A municipality (or a district of one) with its administrative region code."""

    name: str
    region_code: str
    latitude: float
    longitude: float
    population: int | None


@dataclass(frozen=True)
class _Index:
    places: tuple[Place, ...]
    by_key: dict[str, Place]
    keys: tuple[tuple[str, Place], ...]  # (normalized name, place), most populous first


def normalize_name(name: str) -> str:
    """Fold accents, case, hyphens and St/Ste: 'St-Jérôme' -> 'saint jerome'."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    words = [w for w in _SEPARATORS.split(text) if w]
    return " ".join(_ABBREVIATIONS.get(w, w) for w in words)


def _rank(place: Place) -> int:
    return place.population or 0


@cache
def _index() -> _Index:
    listed: list[Place] = []
    with MUNICIPALITIES_CSV.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["kind"] == "census_tract":  # statistical areas, not places people name
                continue
            listed.append(
                Place(
                    name=row["name"],
                    region_code=row["region_code"],
                    latitude=float(row["latitude"]),
                    longitude=float(row["longitude"]),
                    population=int(row["population"]) if row["population"] else None,
                )
            )
    ranked = sorted(listed, key=lambda p: (-_rank(p), p.name))
    by_key: dict[str, Place] = {}
    for place in ranked:  # homonyms: the most populous place wins the plain-name lookup
        by_key.setdefault(normalize_name(place.name), place)
    keys = tuple((normalize_name(p.name), p) for p in ranked)
    return _Index(places=tuple(listed), by_key=by_key, keys=keys)


def places() -> list[Place]:
    """Every place of the gazetteer, in file order (alphabetical)."""
    return list(_index().places)


def find_municipality(name: str) -> Place | None:
    """The place called name (accent-, case-, hyphen- and Saint/St-insensitive), or None."""
    return _index().by_key.get(normalize_name(name or ""))


def suggest(prefix: str, limit: int = 10) -> list[Place]:
    """Places whose name starts with prefix, then places with a word starting with it."""
    key = normalize_name(prefix or "")
    if not key or limit <= 0:
        return []
    starts, inside = [], []
    for name, place in _index().keys:
        if name.startswith(key):
            starts.append(place)
        elif f" {key}" in f" {name}":
            inside.append(place)
        if len(starts) >= limit:
            break
    return (starts + inside)[:limit]


def nearest(latitude: float, longitude: float, within_km: float) -> Place | None:
    """The place of the gazetteer closest to a position, if one is within within_km. Only a
    place its name leads back to counts (a small homonym of a bigger town is skipped), since
    the search goes on with the name."""
    index = _index()
    named = (p for p in index.places if index.by_key.get(normalize_name(p.name)) is p)
    best = min(
        named,
        key=lambda p: haversine_km(latitude, longitude, p.latitude, p.longitude),
        default=None,
    )
    if best is None:
        return None
    if haversine_km(latitude, longitude, best.latitude, best.longitude) > within_km:
        return None
    return best
