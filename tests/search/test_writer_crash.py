"""The index writer after a crash: its indexing processes die with it, its lock is never stale.

These tests run the real `flask reindex` in a child process on a generated catalogue of a few
thousand fictional services (bench/corpus.py), kill it mid-build, and check what remains.
"""

from __future__ import annotations

import fcntl
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cote_a_cote.search.backend_whoosh import LOCK_FILE, WhooshStore, _alive

ROOT = Path(__file__).resolve().parents[2]
SERVICES = 2000


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    """A database of SERVICES generated services (no index yet), shared by this module."""
    folder = tmp_path_factory.mktemp("crash")
    run([sys.executable, "-m", "bench.engine", "load", str(SERVICES)], env_for(folder))
    return folder


def env_for(folder: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("TEST_DATABASE_URL", None)
    env.update(
        INSTANCE_PATH=str(folder / "instance"),
        DATABASE_URL=f"sqlite:///{folder / 'crash.sqlite3'}",
        SEARCH_INDEX_DIR=str(folder / "index"),
        SECRET_KEY="crash-test-only",
        MAIL_BACKEND="memory",
    )
    return env


def run(args: list[str], env: dict[str, str], timeout: int = 300) -> str:
    done = subprocess.run(  # noqa: S603 - our own interpreter and modules
        args, env=env, cwd=ROOT, capture_output=True, text=True, timeout=timeout, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def start_reindex(folder: Path) -> subprocess.Popen:
    return subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "flask", "--app", "cote_a_cote", "reindex", "--procs", "2"],
        env=env_for(folder),
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def wait_for(condition, seconds: float, what: str):
    """Poll condition until it is true (returning its value) or the deadline passes."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"still waiting after {seconds} s: {what}")


def children_of(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(p) for p in text.split()]


def lock_is_free(folder: Path) -> bool:
    with open(folder / "index" / LOCK_FILE, "a+b") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        fcntl.flock(handle, fcntl.LOCK_UN)
        return True


def kill_mid_build(folder: Path, signum: int, attempts: int = 3) -> tuple[int, list[int]]:
    """Start a reindex, wait until it indexes in child processes, send signum; (exit, children).

    On a loaded machine this process can be descheduled between seeing the indexing processes and
    sending the signal, long enough for a 2,000-service build to finish: such a run (exit 0) never
    received the signal mid-build, so the scenario is tried again, a few times at most."""
    for _ in range(attempts):
        status, children = _signal_one_build(folder, signum)
        if status != 0:
            break
    return status, children


def _signal_one_build(folder: Path, signum: int) -> tuple[int, list[int]]:
    writer = start_reindex(folder)
    try:
        children = wait_for(lambda: children_of(writer.pid), 120, "indexing processes")
        assert (folder / "index" / LOCK_FILE).read_text().strip() == str(writer.pid)
        os.kill(writer.pid, signum)
        return writer.wait(60), children
    finally:
        if writer.poll() is None:
            writer.kill()


SEARCH = """
from cote_a_cote import create_app
from cote_a_cote.search.query import Audience, SearchParams, search_services
from cote_a_cote.extensions import db
from sqlalchemy import text
with create_app().app_context():
    found = search_services(SearchParams(q="zyxquorne"), Audience.INTERVENANTE).service_ids
    queued = db.session.scalar(text("SELECT count(*) FROM search_outbox"))
    print(list(found), queued)
"""

QUEUE_AN_UPDATE = """
from cote_a_cote import create_app
from cote_a_cote.extensions import db
from sqlalchemy import text
with create_app().app_context():
    # As a web worker would leave it when it found the lock held: the change and its outbox
    # row committed, the index not yet told.
    db.session.execute(text("UPDATE service SET name_fr = 'Zyxquorne de garde' WHERE id = 7"))
    db.session.execute(text(
        "INSERT INTO search_outbox (service_id, created_at) VALUES (7, CURRENT_TIMESTAMP)"
    ))
    db.session.commit()
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/proc and prctl are Linux's")
def test_a_reindex_killed_mid_build_leaves_no_orphan_and_no_stale_lock(workdir):
    status, children = kill_mid_build(workdir, signal.SIGKILL)
    assert status == -signal.SIGKILL
    # The indexing processes die with their writer (dead or a zombie awaiting its reaper).
    wait_for(lambda: not any(_alive(pid) for pid in children), 10, "indexing processes to die")
    assert lock_is_free(workdir)

    run([sys.executable, "-c", QUEUE_AN_UPDATE], env_for(workdir))
    output = run(
        [sys.executable, "-m", "flask", "--app", "cote_a_cote", "reindex", "--procs", "2"],
        env_for(workdir),
    )
    assert f"{SERVICES} services" in output
    assert run([sys.executable, "-c", SEARCH], env_for(workdir)).split() == ["[7]", "0"]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/proc is Linux's")
def test_a_reindex_stopped_with_sigterm_cleans_up_after_itself(workdir):
    status, children = kill_mid_build(workdir, signal.SIGTERM)
    assert status == 128 + signal.SIGTERM
    assert not any(_alive(pid) for pid in children)
    assert lock_is_free(workdir)
    # The half-built generation is removed; the complete one (if any) still serves.
    index = workdir / "index"
    built = [p for p in index.glob("gen-*") if not (p / "READY").exists()]
    assert built == []


def test_a_lock_kept_by_an_orphan_of_a_dead_writer_is_taken_over(tmp_path):
    store = WhooshStore(tmp_path)
    dead = subprocess.Popen([sys.executable, "-c", "pass"])  # noqa: S603
    dead.wait()
    # An orphan that inherited a dead writer's descriptor: it holds the lock, the file names
    # the dead writer.
    orphan = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-c",
            "import fcntl, sys, time\n"
            f"f = open({str(tmp_path / LOCK_FILE)!r}, 'a+b')\n"
            "fcntl.flock(f, fcntl.LOCK_EX)\n"
            f"f.truncate(0); f.write(b'{dead.pid}\\n'); f.flush()\n"
            "print('holding', flush=True)\n"
            "time.sleep(120)\n",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert orphan.stdout.readline().strip() == "holding"
        with store.writer_lock(blocking=False) as mine:
            assert mine is True
            assert (tmp_path / LOCK_FILE).read_text().strip() == str(os.getpid())
        # A live holder is respected.
        with store.writer_lock(blocking=False) as first:
            assert first is True
            probe = subprocess.run(  # noqa: S603
                [
                    sys.executable,
                    "-c",
                    "from cote_a_cote.search.backend_whoosh import WhooshStore\n"
                    f"with WhooshStore({str(tmp_path)!r}).writer_lock(blocking=False) as m:\n"
                    "    print(m)\n",
                ],
                cwd=ROOT,
                capture_output=True,
                text=True,
                check=True,
            )
            assert probe.stdout.strip() == "False"
    finally:
        orphan.kill()
        orphan.wait()
        orphan.stdout.close()
