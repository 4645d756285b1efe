"""Processes for the concurrency test: each starts its own app, as a gunicorn worker would."""

from __future__ import annotations

import logging
import os


class _ErrorCounter(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.ERROR)
        self.count = 0

    def emit(self, record):
        self.count += 1


def _app(config: dict):
    os.environ["INSTANCE_PATH"] = config.pop("INSTANCE_PATH")
    os.environ["SECRET_KEY"] = "test-secret-key-not-for-production"
    from cote_a_cote import create_app

    return create_app(config)


def token(worker: int, number: int, version: int) -> str:
    """A word found in exactly one version of one service's name."""
    return f"w{worker}n{number}v{version}"


def write(config: dict, worker: int, rounds: int, results) -> None:
    """Create, rename and delete services, one commit each, through the app's own session."""
    errors = _ErrorCounter()
    logging.getLogger().addHandler(errors)
    app = _app(config)
    from cote_a_cote.catalogue.models import (
        Organization,
        OrganizationKind,
        OrganizationStatus,
        Service,
        ServiceArea,
    )
    from cote_a_cote.extensions import db

    failures = 0
    with app.app_context():
        org = Organization(
            name=f"Organisme {worker}",
            kind=OrganizationKind.PROVIDER,
            status=OrganizationStatus.APPROVED,
        )
        db.session.add(org)
        db.session.commit()
        mine: list[Service] = []
        for number in range(rounds):
            try:
                service = Service(organization=org, name_fr=f"Atelier {token(worker, number, 0)}")
                service.areas = [ServiceArea(region_code="06")]
                db.session.add(service)
                db.session.commit()
                mine.append(service)
                if number % 3 == 2:  # rename an earlier one: same number, next version
                    earlier = mine[len(mine) // 2]
                    first, version = earlier.name_fr.split("n", 1)[1].split("v")
                    earlier.name_fr = f"Atelier {token(worker, int(first), int(version) + 1)}"
                    db.session.commit()
                if number % 5 == 4:  # delete the oldest still there
                    db.session.delete(mine.pop(0))
                    db.session.commit()
            except Exception:
                logging.getLogger(__name__).exception("writer %s failed", worker)
                db.session.rollback()
                failures += 1
    results.put(("writer", worker, failures + errors.count))


def read(config: dict, reader: int, stop, results) -> None:
    """Search over and over while the writers work."""
    errors = _ErrorCounter()
    logging.getLogger().addHandler(errors)
    app = _app(config)
    from cote_a_cote.search.query import Audience, SearchParams, search_services

    failures = searches = 0
    with app.test_request_context():
        while not stop.is_set() or searches < 5:
            try:
                search_services(SearchParams(q="atelier", per_page=5), Audience.PUBLIC, True)
                search_services(SearchParams(regions=["06"], sort="name"), Audience.PUBLIC)
                searches += 1
            except Exception:
                logging.getLogger(__name__).exception("reader %s failed", reader)
                failures += 1
    results.put(("reader", reader, failures + errors.count))
