"""Several processes writing and reading at once: no lock error, no lost update."""

from __future__ import annotations

import multiprocessing
import re
import sys

import pytest
from flask import current_app
from sqlalchemy import func, select

from cote_a_cote.catalogue.models import Service
from cote_a_cote.extensions import db
from cote_a_cote.search import sync
from cote_a_cote.search.models import SearchOutbox
from cote_a_cote.search.query import Audience, SearchParams, search_services
from tests.search import concurrency_workers as workers

WRITERS = 4
READERS = 2
ROUNDS = 12


@pytest.mark.slow
def test_concurrent_writers_and_readers_leave_the_index_equal_to_the_database(app, reference):
    search_services(SearchParams(), Audience.PUBLIC)  # the index exists before the crowd arrives
    config = {
        "TESTING": True,
        "INSTANCE_PATH": str(app.instance_path),
        "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
        "SEARCH_INDEX_DIR": app.config["SEARCH_INDEX_DIR"],
        "MAIL_BACKEND": "memory",
    }
    # Each process builds its own app, engine and index reader, as a gunicorn worker does. They
    # fork from a server process that imported the application's modules once (none of them
    # reads the environment or opens anything on import), instead of each importing them anew:
    # about 2 s of CPU a process (six processes: 25 s of CPU before, 11 s after).
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(
        sorted(name for name in sys.modules if name.startswith("cote_a_cote")) + [workers.__name__]
    )
    results, stop = context.Queue(), context.Event()
    readers = [
        context.Process(target=workers.read, args=(dict(config), n, stop, results))
        for n in range(READERS)
    ]
    writers = [
        context.Process(target=workers.write, args=(dict(config), n, ROUNDS, results))
        for n in range(WRITERS)
    ]
    for process in readers + writers:
        process.start()
    for process in writers:
        process.join(timeout=180)
    stop.set()
    for process in readers:
        process.join(timeout=60)
    reports = [results.get(timeout=5) for _ in range(WRITERS + READERS)]
    assert all(p.exitcode == 0 for p in readers + writers)
    assert [r for r in reports if r[2]] == []  # no process logged an error (LockError included)

    # Nothing left to apply: the last writer drained after everyone else committed.
    assert db.session.scalar(select(func.count(SearchOutbox.id))) == 0
    current_app.extensions["search"].reader.close()
    sync.init_sync(current_app)  # look with a fresh process's eyes
    services = db.session.scalars(select(Service)).all()
    assert len(services) == WRITERS * (ROUNDS - ROUNDS // 5)
    found = search_services(SearchParams(per_page=200), Audience.PUBLIC)
    assert sorted(found.service_ids) == sorted(s.id for s in services)
    for service in services:
        word = re.search(r"w\d+n\d+v\d+", service.name_fr).group()
        assert search_services(SearchParams(q=word), Audience.PUBLIC).service_ids == [service.id]
        if not word.endswith("v0"):  # a renamed service is no longer found by its old name
            old = word[: word.rindex("v") + 1] + "0"
            assert search_services(SearchParams(q=old), Audience.PUBLIC).service_ids == []
