"""The index on disk: reindex, atomic swaps, and damaged or half-built indexes rebuilt on open."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from flask import current_app

from cote_a_cote.search import sync
from cote_a_cote.search.backend_whoosh import CURRENT, READY
from tests.search.conftest import find, ids


def index_root() -> Path:
    return Path(current_app.config["SEARCH_INDEX_DIR"])


def current_generation() -> Path:
    return index_root() / os.readlink(index_root() / CURRENT)


def new_process() -> None:
    """Forget this process's searcher and bitsets, as a freshly started worker would."""
    current_app.extensions["search"].reader.close()
    sync.init_sync(current_app)


def test_reindex_command_rebuilds_with_progress(runner, catalogue):
    before = current_generation()
    result = runner.invoke(args=["reindex"])
    assert result.exit_code == 0, (result.output, repr(result.exception))
    assert "8 services" in result.output  # the listed ones: drafts and suspended never count
    after = current_generation()
    assert after != before
    assert (after / READY).exists()
    assert before.exists()  # kept for readers still on it; older generations are removed
    runner.invoke(args=["reindex"])
    assert not before.exists()
    assert find("avocate") == ids(catalogue, "lawyer", "court")


def test_reindex_reflects_changes_the_outbox_missed(runner, catalogue):
    from sqlalchemy import update

    from cote_a_cote.catalogue.models import Service
    from cote_a_cote.extensions import db

    # A bulk update bypasses the ORM events: only a rebuild can catch it.
    service_id = catalogue["housing"].id
    db.session.execute(update(Service).where(Service.id == service_id).values(name_fr="Toit"))
    db.session.commit()
    assert find("toit") == []
    result = runner.invoke(args=["reindex"])
    assert result.exit_code == 0, (result.output, repr(result.exception))
    assert find("toit") == [service_id]


def break_ready_marker():
    (current_generation() / READY).unlink()


def break_table_of_contents():
    for toc in current_generation().glob("*.toc"):
        toc.write_bytes(b"not an index")


def break_segment_files():
    damaged = 0
    for segment in current_generation().glob("*"):
        if segment.suffix in (".trm", ".pst", ".col", ".seg"):
            segment.write_bytes(b"\0" * 10)
            damaged += 1
    assert damaged


def break_link():
    (index_root() / CURRENT).unlink()


def break_version():
    (current_generation() / READY).write_text("0")


@pytest.mark.parametrize(
    "damage",
    [break_ready_marker, break_table_of_contents, break_segment_files, break_link, break_version],
    ids=lambda f: f.__name__,
)
def test_damaged_index_is_detected_and_rebuilt(catalogue, damage):
    damaged = current_generation()
    damage()
    new_process()
    assert find("avocate") == ids(catalogue, "lawyer", "court")
    assert current_generation() != damaged


def test_crash_while_rebuilding_leaves_the_old_index_serving(catalogue, monkeypatch):
    before = current_generation()
    real = sync.iter_documents

    def crash_midway(session, service_ids, batch=500):
        for count, document in enumerate(real(session, service_ids, batch)):
            if count == 3:
                raise RuntimeError("power cut")
            yield document

    monkeypatch.setattr(sync, "iter_documents", crash_midway)
    with pytest.raises(RuntimeError):
        sync.rebuild_index()
    assert current_generation() == before
    assert sorted(p.name for p in index_root().glob("gen-*")) == [before.name]
    new_process()
    assert find("avocate") == ids(catalogue, "lawyer", "court")


def test_half_built_generation_left_by_a_killed_process_is_ignored(catalogue):
    half = index_root() / "gen-half-built"
    half.mkdir()
    (half / "_MAIN_1.toc").write_bytes(b"partial")
    link = index_root() / "current.tmp"
    os.symlink(half.name, link)
    os.replace(link, index_root() / CURRENT)  # as if it died right after a wrong swap
    new_process()
    assert find("avocate") == ids(catalogue, "lawyer", "court")
    assert current_generation() != half
    assert not half.exists()


def test_first_search_builds_a_missing_index(add_service):
    service = add_service(name_fr="Premier service")
    import shutil

    shutil.rmtree(index_root())
    new_process()
    assert find("premier") == [service.id]


def test_reindex_with_several_processes_finds_the_same(runner, catalogue):
    before = {q: find(q) for q in ("avocate", "logemnet", "interprète", "")}
    result = runner.invoke(args=["reindex", "--procs", "2"])
    assert result.exit_code == 0, (result.output, repr(result.exception))
    new_process()
    assert {q: find(q) for q in before} == before


def _segment_sizes() -> list[int]:
    from whoosh.index import open_dir

    index = open_dir(str(current_generation()))
    try:
        return sorted(seg.doc_count_all() for seg in index._segments())
    finally:
        index.close()


def test_updates_merge_only_their_own_small_segments(runner, catalogue, monkeypatch):
    from cote_a_cote.extensions import db
    from cote_a_cote.search import backend_whoosh

    # Build segments of 2 documents, and count anything under 2 documents as an update's.
    monkeypatch.setattr(backend_whoosh, "BUILD_SEGMENT_DOCS", 2)
    monkeypatch.setattr(backend_whoosh, "UPDATE_SEGMENT_MAX_DOCS", 2)
    assert runner.invoke(args=["reindex", "--procs", "1"]).exit_code == 0
    built = _segment_sizes()
    assert built.count(2) == 4  # 8 listed services (+ the vocabulary document)

    service = catalogue["housing"]
    for number in range(3):
        service.name_fr = f"Maison numéro{number}"
        db.session.commit()
    # Three update segments of one document each were merged as they came; the build's stay.
    sizes = _segment_sizes()
    assert sizes.count(2) >= 4
    assert sizes.count(1) <= 2
    assert find("numéro2") == [service.id]
    assert find("numéro0") == []
