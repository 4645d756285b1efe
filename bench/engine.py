"""Benchmark child processes: `load N` fills the database, `query N` times the engine."""

from __future__ import annotations

import json
import sys
import time

from sqlalchemy import select

from cote_a_cote import create_app
from cote_a_cote.catalogue.models import Service
from cote_a_cote.extensions import db
from cote_a_cote.search.query import Audience, SearchParams, search_services

from . import corpus, queries
from .load import load
from .measures import percentiles

WARM_UP = 50
EDITS = 20


def to_params(query: queries.BenchQuery) -> SearchParams:
    return SearchParams(
        q=query.q,
        regions=list(query.regions),
        needs=list(query.needs),
        languages=list(query.languages),
        access=list(query.access),
        accepting_only=query.accepting_only,
        trained_only=query.trained_only,
        near=(query.near[1], query.near[2]) if query.near else None,
        radius_km=query.radius_km,
        sort=query.sort,
    )


def _time_queries(mix: list[queries.BenchQuery], with_facets: bool) -> dict[str, float]:
    for query in mix[:WARM_UP]:
        search_services(to_params(query), Audience.INTERVENANTE, with_facets=with_facets)
    timings = []
    for query in mix:
        started = time.perf_counter()
        search_services(to_params(query), Audience.INTERVENANTE, with_facets=with_facets)
        timings.append((time.perf_counter() - started) * 1000)
    return percentiles(timings)


def _edit_visible() -> dict[str, float]:
    """Rename a service, commit, and time until the engine finds the new name."""
    timings = []
    ids = db.session.scalars(select(Service.id).order_by(Service.id).limit(EDITS)).all()
    for number, service_id in enumerate(ids):
        marker = f"zzbenchmark{number}qq"
        service = db.session.get(Service, service_id)
        service.name_fr = f"{service.name_fr} {marker}"
        started = time.perf_counter()
        db.session.commit()
        while True:
            found = search_services(SearchParams(q=marker), Audience.INTERVENANTE)
            if service_id in found.service_ids:
                break
            if time.perf_counter() - started > 30:
                raise RuntimeError("edit not visible after 30 s")
            time.sleep(0.005)
        timings.append((time.perf_counter() - started) * 1000)
    return percentiles(timings)


def main() -> None:
    command, size = sys.argv[1], int(sys.argv[2])
    app = create_app()
    with app.app_context():
        if command == "load":
            load(corpus.generate(size))
            return
        mix = queries.replayed()
        result = {
            "engine": _time_queries(mix, with_facets=True),
            "engine_no_facets": _time_queries(mix, with_facets=False),
            "edit_visible_ms": _edit_visible(),
        }
        print(json.dumps(result))


if __name__ == "__main__":
    main()
