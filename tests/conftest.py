"""Shared fixtures: a fresh app and database per test, clients, a login helper, factories.

The suite runs on SQLite by default and on PostgreSQL when TEST_DATABASE_URL is set.
"""

from __future__ import annotations

import atexit
import copy
import gc
import hashlib
import itertools
import os
import pickle
import re
import secrets
import shutil
import sqlite3
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

try:
    import fcntl
except ImportError:  # pragma: no cover - not on Windows
    fcntl = None  # type: ignore[assignment]

import jinja2
import pytest
from argon2 import PasswordHasher
from flask import Flask, g, request_started
from flask_sqlalchemy import SQLAlchemy as FlaskSQLAlchemy
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from sqlalchemy import create_engine, event, make_url, text
from sqlalchemy.engine import Dialect, Engine
from sqlalchemy.orm import Mapper
from sqlalchemy.util import HasMemoized, LRUCache
from werkzeug.routing.rules import Rule

from cote_a_cote import create_app
from cote_a_cote.accounts import passwords
from cote_a_cote.accounts.models import User
from cote_a_cote.accounts.passwords import hash_password
from cote_a_cote.catalogue.models import (
    CapacityStatus,
    Location,
    Organization,
    OrganizationKind,
    OrganizationStatus,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceLanguage,
    TaxonomyTerm,
    Visibility,
)
from cote_a_cote.database import utcnow
from cote_a_cote.extensions import db
from cote_a_cote.roles import Role

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL")

# Hypothesis: no deadline anywhere (a loaded machine is slow, not wrong). In CI the examples are
# derandomised (the same inputs every run, so a failure reproduces) and the health checks that
# measure speed are off. HYPOTHESIS_PROFILE chooses explicitly; `make fuzz` uses "fuzz".
_SLOW_MACHINE_CHECKS = [HealthCheck.too_slow, HealthCheck.filter_too_much]
hypothesis_settings.register_profile("dev", deadline=None)
hypothesis_settings.register_profile(
    "ci",
    deadline=None,
    derandomize=True,
    suppress_health_check=_SLOW_MACHINE_CHECKS,
    print_blob=True,
)
hypothesis_settings.register_profile(
    "fuzz", deadline=None, suppress_health_check=_SLOW_MACHINE_CHECKS, print_blob=True
)
_IN_CI = bool(os.environ.get("CI") or os.environ.get("REQUIRE_BROWSER_TESTS"))
hypothesis_settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if _IN_CI else "dev")
)


def _memoise_url_builders() -> None:
    """Compile each URL rule's builder once per test process instead of once per app.

    Werkzeug turns every rule into Python code through ast + compile when an app registers its
    routes: ~2 ms a rule, so most of the cost of create_app(), which the suite calls for every
    test. The compiled builder takes the rule as an argument (`.self`) and keeps nothing of it,
    so the same code serves every app's identical rule. Production builds one app per process.
    """
    original = Rule._compile_builder
    cache: dict[tuple, object] = {}

    def compile_builder(self, append_unknown=True):
        key = (
            self.rule,
            self.host,
            self.subdomain,
            self.map.host_matching,
            tuple(self._trace),
            repr(sorted((self.defaults or {}).items())),
            append_unknown,
        )
        if key not in cache:
            cache[key] = original(self, append_unknown)
        return cache[key]

    Rule._compile_builder = compile_builder


_memoise_url_builders()


def _memoise_rule_parsing() -> None:
    """Parse each URL rule's text once per test process instead of once per app.

    After the builders, parsing the rules was a third of what was left of create_app()
    (~8 ms an app). A rule's parts depend only on its text and on the map's converter classes;
    each new rule gets the same parts, trace and arguments, and copies of the converters bound
    to its own map."""
    original = Rule._parse_rule
    cache: dict[tuple, tuple] = {}

    def parse_rule(self, rule):
        key = (rule, tuple(self.map.converters.items()))
        if key not in cache:
            trace_before, converters_before = len(self._trace), set(self._converters)
            parts = list(original(self, rule))
            converters = {
                name: converter
                for name, converter in self._converters.items()
                if name not in converters_before
            }
            cache[key] = (parts, self._trace[trace_before:], converters)
            return parts
        parts, trace, converters = cache[key]
        self._trace.extend(trace)
        for name, converter in converters.items():
            bound = copy.copy(converter)
            bound.map = self.map
            self._converters[name] = bound
            self.arguments.add(name)
        return list(parts)

    Rule._parse_rule = parse_rule


_memoise_rule_parsing()


def _scratch_in_memory() -> None:
    """Put pytest's temporary folders on a RAM file system (/dev/shm) when there is room.

    Every test writes a database (~0.9 MB), instance files and a search index into its tmp_path:
    ~2.3 GB and 50,000 files a run. On this machine's ext4, copying a test's files and removing
    them took ~20 ms a test, and pytest deletes the run before last at the end of each run, in
    one process: ~30 s of unlinking after the last test. On tmpfs the same took ~7 ms and the
    disk is not touched. Passing tests' folders are removed as they end (see tmp_path below), so
    the space used stays small. --basetemp or TMPDIR, when given, are left alone."""
    shm = Path("/dev/shm")  # noqa: S108 - a RAM file system of our own user's folders
    if os.environ.get("TMPDIR") or not shm.is_dir() or not os.access(shm, os.W_OK):
        return
    room = os.statvfs(shm)
    if room.f_bavail * room.f_frsize >= 2 * 1024**3:
        tempfile.tempdir = str(shm)


_scratch_in_memory()


class _TemplatesCompiledOnce(jinja2.BytecodeCache):
    """Every test app's Jinja environment shares one in-memory cache of compiled templates.

    Jinja parses and compiles a template the first time an environment renders it (~20 ms
    each); with a new app per test, every test paid that again for each page it opened. The cache
    is keyed by template name and checked against the source's checksum, so an edited template is
    compiled again. All test apps come from the same create_app(), with the same Jinja settings,
    so their compiled code is the same. Production builds one app per process: no cache needed.
    """

    def __init__(self) -> None:
        self._compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket) -> None:
        compiled = self._compiled.get(bucket.key)
        if compiled is not None:
            bucket.bytecode_from_string(compiled)

    def dump_bytecode(self, bucket) -> None:
        self._compiled[bucket.key] = bucket.bytecode_to_string()


def _share_compiled_templates() -> None:
    shared = _TemplatesCompiledOnce()
    original = Flask.create_jinja_environment

    def create_jinja_environment(self):
        environment = original(self)
        environment.bytecode_cache = shared
        return environment

    Flask.create_jinja_environment = create_jinja_environment


_share_compiled_templates()


class _CompiledSqlOfEveryEngine(LRUCache):
    """One cache of compiled SQL for every test app's engine.

    SQLAlchemy compiles each statement once per engine and keeps the result in the engine's own
    LRU cache (Engine._compiled_cache), keyed by the engine's dialect object among other things.
    Each test builds an app, so an engine and a dialect of its own: every test compiled again each
    statement it ran. Here the dialect in a key is replaced by what makes one dialect's SQL differ
    from another's (its class, the server's version, its parameter style), so an engine reuses
    what another engine of the same kind compiled. Production has one engine per process."""

    @staticmethod
    def _shared_key(key):
        if isinstance(key, tuple) and key and isinstance(key[0], Dialect):
            dialect = key[0]
            kind = (type(dialect), dialect.server_version_info, dialect.paramstyle)
            return (kind, *key[1:])
        return key

    def get(self, key, default=None):
        return super().get(self._shared_key(key), default)

    def __getitem__(self, key):
        return super().__getitem__(self._shared_key(key))

    def __setitem__(self, key, value) -> None:
        super().__setitem__(self._shared_key(key), value)


def _share_compiled_sql() -> None:
    """Hand every engine Flask-SQLAlchemy makes the one _CompiledSqlOfEveryEngine (see
    tests/test_conftest.py, which fails if SQLAlchemy stops reusing what it holds)."""
    shared = _CompiledSqlOfEveryEngine(5_000)
    original = FlaskSQLAlchemy._make_engine

    def make_engine(self, bind_key, options, app):
        engine = original(self, bind_key, options, app)
        found = getattr(engine, "_compiled_cache", None)
        if not isinstance(found, LRUCache):
            raise RuntimeError(
                "SQLAlchemy's Engine no longer keeps its compiled SQL in _compiled_cache (an "
                f"LRUCache), found {found!r}: update _share_compiled_sql in tests/conftest.py"
            )
        engine._compiled_cache = shared
        return engine

    FlaskSQLAlchemy._make_engine = make_engine


def _share_orm_compiled_sql() -> None:
    """The ORM keeps its INSERT, UPDATE and DELETE statements in a cache of each mapper's (shared
    by every engine, but keyed by the dialect object too): make it key by the kind of dialect."""
    original = Mapper.__dict__.get("_compiled_cache")
    if not isinstance(original, HasMemoized.memoized_attribute):
        raise RuntimeError(
            "SQLAlchemy's Mapper no longer memoises _compiled_cache: "
            "update _share_orm_compiled_sql in tests/conftest.py"
        )

    def _compiled_cache(mapper):
        found = original.fget(mapper)
        if not isinstance(found, LRUCache):
            raise RuntimeError(f"Mapper._compiled_cache is {found!r}, not an LRUCache")
        return _CompiledSqlOfEveryEngine(found.capacity)

    Mapper._compiled_cache = HasMemoized.memoized_attribute(_compiled_cache)  # type: ignore[method-assign,assignment]


_share_compiled_sql()
_share_orm_compiled_sql()


def _share_postgres_engine() -> None:
    """One engine, and so one pool of connections, for every test app of this process on its
    PostgreSQL database. A new connection is a new server process whose catalogue caches start
    empty: its first statement on each table reads the catalogue, which made emptying the ~50
    tables before each test take ~24 ms instead of ~8, and every test's own first queries slower
    too (the access matrix's 996 tests: 62 s alone, 38 s on kept connections). The pool hands
    back each connection rolled back, as production's does between requests. SQLite keeps an
    engine per test, on the test's own file."""
    original = FlaskSQLAlchemy._make_engine
    shared: dict[str, Engine] = {}

    def make_engine(self, bind_key, options, app):
        if not TEST_DATABASE_URL or str(options.get("url")) != TEST_DATABASE_URL:
            return original(self, bind_key, options, app)
        key = repr(sorted((name, repr(value)) for name, value in options.items()))
        if key not in shared:
            shared[key] = original(self, bind_key, options, app)
        return shared[key]

    FlaskSQLAlchemy._make_engine = make_engine


_share_postgres_engine()


@event.listens_for(Engine, "connect")
def _sqlite_without_fsync(dbapi_connection, connection_record) -> None:
    """Test SQLite databases need no durability: a commit does not wait for the disk (each commit
    of the factories cost an fsync, ~60 ms on a busy machine). Production keeps SQLite's default."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        dbapi_connection.execute("PRAGMA synchronous = OFF")


# Argon2 at production cost takes ~0.2 s a hash; the suite hashes thousands of times. Tests use
# a cheap Argon2id (same algorithm, same code paths); test_passwords.py pins production's cost.
passwords._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
PASSWORD = "correct horse battery staple"  # noqa: S105 - test-only password

_schema_ready = False


def _private_postgres_url(base_url: str) -> str:
    """Create a database of our own beside TEST_DATABASE_URL so parallel runs never collide."""
    url = make_url(base_url)
    name = f"cac_test_{os.getpid()}_{secrets.token_hex(3)}"
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
        # A test database needs no durability: a commit need not wait for the disk.
        conn.execute(text(f'ALTER DATABASE "{name}" SET synchronous_commit = off'))
    engine.dispose()
    atexit.register(_drop_postgres_database, url, name)
    return url.set(database=name).render_as_string(hide_password=False)


def _drop_postgres_database(url, name: str) -> None:
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    engine.dispose()


if TEST_DATABASE_URL:
    TEST_DATABASE_URL = _private_postgres_url(TEST_DATABASE_URL)


class _PostgresState:
    """What this test process's private PostgreSQL database holds between tests.

    The schema is created once. Between tests every table is emptied with DELETE (~8 ms on
    tables of a few rows through a connection kept from the test before, where TRUNCATE of ~50
    tables took ~0.4 s) and every sequence restarts, as TRUNCATE ... RESTART IDENTITY would.
    The reference data (taxonomy, regions, modules…) is loaded for real once, copied into a
    snapshot schema, and copied back for each test that asks for it (~0.5 s saved a test).
    """

    schema_ready = False
    clear_sql = ""
    restart_sequences_sql = ""
    reference_sql = ""


def _reset_postgres(with_reference: bool) -> bool:
    """Empty the database (and restore the reference snapshot when asked and taken); True when the
    reference data is in place."""
    state = _PostgresState
    if not state.schema_ready:
        db.drop_all()
        with db.engine.begin() as conn:
            conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
        db.create_all()
        tables = [t.name for t in reversed(db.metadata.sorted_tables)]
        state.clear_sql = ";".join(f'DELETE FROM "{name}"' for name in tables)  # noqa: S608 - our own table names
        with db.engine.connect() as conn:
            sequences = conn.execute(
                text(
                    "SELECT quote_ident(schemaname) || '.' || quote_ident(sequencename), "
                    "start_value FROM pg_sequences WHERE schemaname = 'public'"
                )
            ).all()
        # What ALTER SEQUENCE ... RESTART does, without its new file and catalogue update for
        # each sequence (6 ms a test for the ~60 sequences).
        restarts = [f"setval('{name}', {int(start)}, false)" for name, start in sequences]
        state.restart_sequences_sql = "SELECT " + ", ".join(restarts) if restarts else ""
        state.schema_ready = True
    with db.engine.begin() as conn:
        conn.exec_driver_sql(state.clear_sql)
        if state.restart_sequences_sql:
            conn.exec_driver_sql(state.restart_sequences_sql)
        if with_reference and state.reference_sql:
            conn.exec_driver_sql(state.reference_sql)
            return True
    return False


def _snapshot_postgres_reference() -> None:
    """Copy the freshly loaded reference rows and sequence positions aside, to restore them."""
    _PostgresState.reference_sql = _postgres_snapshot("cac_reference")


def _postgres_snapshot(schema: str) -> str:
    """Copy every non-empty table into schema; the SQL that puts these rows and the sequences'
    positions back into emptied tables."""
    with db.engine.begin() as conn:
        conn.exec_driver_sql(f"DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}")
        restore = []
        for table in db.metadata.sorted_tables:
            if conn.execute(text(f'SELECT EXISTS (SELECT 1 FROM "{table.name}")')).scalar():  # noqa: S608 - our own table names
                conn.exec_driver_sql(
                    f'CREATE TABLE {schema}."{table.name}" AS SELECT * FROM "{table.name}"'  # noqa: S608 - our own table names
                )
                restore.append(
                    f'INSERT INTO "{table.name}" SELECT * FROM {schema}."{table.name}"'  # noqa: S608 - our own table names
                )
        for name, last_value in conn.execute(
            text(
                "SELECT quote_ident(schemaname) || '.' || quote_ident(sequencename), last_value "
                "FROM pg_sequences WHERE schemaname = 'public' AND last_value IS NOT NULL"
            )
        ):
            restore.append(f"SELECT setval('{name}', {int(last_value)}, true)")
    return ";".join(restore)


def make_test_app(tmp_path, monkeypatch, **overrides):
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path / "instance"))
    monkeypatch.setenv("SECRET_KEY", "test-secret-key-not-for-production")
    config = {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": TEST_DATABASE_URL or f"sqlite:///{tmp_path / 'test.sqlite3'}",
        "SEARCH_INDEX_DIR": str(tmp_path / "search-index"),
        "UPLOAD_DIR": str(tmp_path / "uploads"),
        "MAIL_BACKEND": "memory",
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_STORAGE_URI": "memory://",
        "SERVER_NAME": None,
    }
    config.update(overrides)
    return create_app(config)


_OUTCOMES = pytest.StashKey[list[bool]]()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    item.stash.setdefault(_OUTCOMES, []).append(report.failed)
    return report


@pytest.fixture
def tmp_path(tmp_path_factory, request):
    """pytest's tmp_path, removed as soon as its test has passed (a failed test's is kept, as
    pytest keeps them all): the run leaves no gigabytes behind for the next run to delete."""
    name = re.sub(r"\W", "_", request.node.name)[:30]
    path = tmp_path_factory.mktemp(name, numbered=True)
    yield path
    if not any(request.node.stash.get(_OUTCOMES, [True])):
        shutil.rmtree(path, ignore_errors=True)


@pytest.fixture
def app_config():
    """Override in a test module to change settings for its app."""
    return {}


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory):
    """An empty SQLite database with the schema, built once and copied for each test."""
    folder = tmp_path_factory.mktemp("template")
    path = folder / "template.sqlite3"
    with pytest.MonkeyPatch.context() as monkeypatch:
        template_app = make_test_app(
            folder, monkeypatch, SQLALCHEMY_DATABASE_URI=f"sqlite:///{path}"
        )
        with template_app.app_context():
            db.create_all()
            db.engine.dispose()
    return path


@pytest.fixture(scope="session")
def sqlite_reference_template(sqlite_template, tmp_path_factory):
    """The schema plus the reference data, loaded for real once and copied for each test that
    asks for `reference` (loading it took ~0.4 s a test)."""
    folder = tmp_path_factory.mktemp("reference-template")
    path = folder / "reference.sqlite3"
    shutil.copyfile(sqlite_template, path)
    with pytest.MonkeyPatch.context() as monkeypatch:
        template_app = make_test_app(
            folder, monkeypatch, SQLALCHEMY_DATABASE_URI=f"sqlite:///{path}"
        )
        with template_app.app_context():
            _load_reference()
            db.session.remove()
            db.engine.dispose()
    return path


def _load_reference() -> None:
    from cote_a_cote.demo.seeding import load_reference_data

    load_reference_data()
    db.session.commit()


_REFERENCE_LOADED = "tests.reference_loaded"


@dataclass
class _Built:
    """A snapshot as built for one app configuration."""

    folder: Path  # the instance files as built (and the SQLite database)
    restore_sql: str  # PostgreSQL: what puts the rows back into emptied tables
    result: Any  # what build() returned


@dataclass
class _Snapshot:
    """A state of the database and instance files, built once per test process and app
    configuration by build()."""

    name: str
    build: Callable[[], Any]
    built: dict[str, _Built] = field(default_factory=dict)


_SNAPSHOTS: dict[str, _Snapshot] = {}
_SNAPSHOT_RESULT = "tests.snapshot_result"


def snapshot_fixture(build: Callable[[], Any]):
    """A fixture, named like build, for a state many tests start from (a world of objects).

    build() runs once per test process (and app configuration), in an app of its own on the
    reference data, and returns plain data (ids, not ORM objects); every test that names the
    fixture starts from a copy of the rows and files it made (a copied SQLite file, or rows copied
    back on PostgreSQL) and gets a copy of what it returned. Its name must be used by no other
    fixture of the suite. Building the access matrix's world took ~0.3 s for each of its thousand
    tests."""
    name = build.__name__
    assert name not in _SNAPSHOTS, f"two snapshot fixtures named {name}"
    _SNAPSHOTS[name] = _Snapshot(name, build)

    @pytest.fixture(name=name)
    def fixture(app):
        return copy.deepcopy(app.extensions[_SNAPSHOT_RESULT])

    return fixture


def _requested_snapshot(request, app_config: dict) -> _Built | None:
    found = [_SNAPSHOTS[name] for name in request.fixturenames if name in _SNAPSHOTS]
    assert len(found) <= 1, "a test can start from one snapshot only"
    if not found:
        return None
    snapshot, key = found[0], repr(sorted(app_config.items()))
    if key not in snapshot.built:
        schema = f"cac_snapshot_{snapshot.name}_{len(snapshot.built)}"
        snapshot.built[key] = _shared_snapshot(snapshot, key, schema, request, app_config)
    return snapshot.built[key]


def _shared_snapshot(snapshot: _Snapshot, key: str, schema: str, request, app_config) -> _Built:
    """On SQLite under pytest-xdist, the first worker to need a snapshot builds it into the run's
    shared folder and the others copy it from there: the demo data took ~15 s to build in each
    worker. PostgreSQL keeps one build per worker (each worker has a database of its own)."""
    factory = request.getfixturevalue("tmp_path_factory")
    if TEST_DATABASE_URL or not os.environ.get("PYTEST_XDIST_WORKER") or fcntl is None:
        return _build_snapshot(
            snapshot.build, schema, request, app_config, factory.mktemp("snapshot")
        )
    digest = hashlib.sha256(key.encode()).hexdigest()[:12]
    shared = factory.getbasetemp().parent / f"shared-snapshot-{snapshot.name}-{digest}"
    shared.mkdir(exist_ok=True)
    with (shared / "lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        done, unshareable = shared / "result.pickle", shared / "not-shareable"
        if done.exists():
            result, counter = pickle.loads(done.read_bytes())  # noqa: S301 - our own file
            _counter_past(counter)
            return _Built(shared / "files", "", result)
        if unshareable.exists():
            return _build_snapshot(
                snapshot.build, schema, request, app_config, factory.mktemp("snapshot")
            )
        try:
            built = _build_snapshot(snapshot.build, schema, request, app_config, shared / "files")
        except BaseException:
            unshareable.touch()  # the other workers try for themselves, and fail as clearly
            raise
        try:
            done.write_bytes(pickle.dumps((built.result, next(_counter))))
        except (pickle.PicklingError, TypeError, AttributeError):
            unshareable.touch()
        return built


def _counter_past(value: int) -> None:
    """Number the factories' next names past those of a snapshot another worker built."""
    global _counter  # noqa: PLW0603 - the factories' shared numbering
    _counter = itertools.count(max(value, next(_counter)))


def _build_snapshot(build, schema: str, request, app_config: dict, folder: Path) -> _Built:
    folder.mkdir(exist_ok=True)
    if not TEST_DATABASE_URL:
        shutil.copyfile(
            request.getfixturevalue("sqlite_reference_template"), folder / "test.sqlite3"
        )
    restore_sql = ""
    with pytest.MonkeyPatch.context() as monkeypatch:
        builder_app = make_test_app(folder, monkeypatch, **app_config)
        with builder_app.app_context():
            if TEST_DATABASE_URL and not _reset_postgres(with_reference=True):
                _load_reference()
                db.session.remove()
                _snapshot_postgres_reference()
            result = build()
            db.session.commit()
            db.session.remove()
            if TEST_DATABASE_URL:
                restore_sql = _postgres_snapshot(schema)
            db.engine.dispose()
    return _Built(folder, restore_sql, result)


def _restore_postgres_snapshot(snapshot: _Built) -> None:
    _reset_postgres(with_reference=False)
    with db.engine.begin() as conn:
        conn.exec_driver_sql(snapshot.restore_sql)


@pytest.fixture
def app(tmp_path, monkeypatch, app_config, request):
    snapshot = _requested_snapshot(request, app_config)
    wants_reference = snapshot is not None or "reference" in request.fixturenames
    if snapshot is not None:
        shutil.copytree(snapshot.folder, tmp_path, symlinks=True, dirs_exist_ok=True)
    elif not TEST_DATABASE_URL:
        template = "sqlite_reference_template" if wants_reference else "sqlite_template"
        shutil.copyfile(request.getfixturevalue(template), tmp_path / "test.sqlite3")
    app = make_test_app(tmp_path, monkeypatch, **app_config)

    def fresh_request_globals(sender, **extra):
        # The fixture keeps one app context pushed, which Flask reuses for every test request;
        # empty g so each request starts as a real one would (user, locale, CSRF token).
        vars(g).clear()

    request_started.connect(fresh_request_globals, app, weak=False)
    with app.app_context():
        if TEST_DATABASE_URL and snapshot is not None:
            _restore_postgres_snapshot(snapshot)
        elif TEST_DATABASE_URL:
            restored = _reset_postgres(wants_reference)
            if wants_reference and not restored:
                _load_reference()  # the first time in this process, into the empty database
                db.session.remove()
                _snapshot_postgres_reference()
        app.extensions[_REFERENCE_LOADED] = wants_reference
        if snapshot is not None:
            app.extensions[_SNAPSHOT_RESULT] = snapshot.result
        yield app
        db.session.remove()
        if not TEST_DATABASE_URL:
            db.engine.dispose()  # PostgreSQL's is kept for the next test (_share_postgres_engine)


@snapshot_fixture
def demo_data():
    """The demo data as `make run` loads it (seed-demo: catalogue, accounts, referrals, training,
    awards), committed and indexed; the fixture gives what seed_demo reported."""
    from cote_a_cote.demo.seeding import seed_demo

    return seed_demo(echo=lambda _line: None)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def reference(app):
    """Taxonomy and regions from seeds/, as every real installation has them.

    The app fixture puts them in place from a snapshot of a real load when the test names this
    fixture (see above); a test that asks for it later gets them loaded here."""
    if not app.extensions.get(_REFERENCE_LOADED):
        _load_reference()
        app.extensions[_REFERENCE_LOADED] = True


_counter = itertools.count(1)


# The factories: each adds one row (and what it needs) and commits. Fixtures hand them to tests;
# snapshot builders, which run before any test app exists, call them directly.
def new_org(
    name: str | None = None,
    kind: OrganizationKind = OrganizationKind.PROVIDER,
    status: OrganizationStatus = OrganizationStatus.APPROVED,
    visibility: Visibility = Visibility.PUBLIC,
    **fields,
) -> Organization:
    org = Organization(
        name=name or f"Organisation {next(_counter)}",
        kind=kind,
        status=status,
        visibility=visibility,
        **fields,
    )
    db.session.add(org)
    db.session.commit()
    return org


def new_user(
    role: Role = Role.INTERVENANTE,
    organization: Organization | None = None,
    email: str | None = None,
    password: str = PASSWORD,
    **fields,
) -> User:
    if organization is None:
        kind = {
            Role.INTERVENANTE: OrganizationKind.REFERRER,
            Role.PROVIDER: OrganizationKind.PROVIDER,
            Role.ADMIN: OrganizationKind.COORDINATION,
        }[role]
        organization = new_org(kind=kind)
    fields.setdefault("email_verified_at", utcnow())
    user = User(
        email=email or f"user{next(_counter)}@example.org",
        name=fields.pop("name", "Test User"),
        password_hash=hash_password(password),
        role=role,
        organization_id=organization.id,
        **fields,
    )
    db.session.add(user)
    db.session.commit()
    return user


def new_service(
    organization: Organization | None = None,
    name_fr: str | None = None,
    terms: tuple[str, ...] = (),
    regions: tuple[str, ...] = ("06",),
    languages: tuple[str, ...] = ("fr",),
    location: dict | None = None,
    **fields,
) -> Service:
    organization = organization or new_org()
    fields.setdefault("capacity", CapacityStatus.ACCEPTING)
    service = Service(
        organization=organization, name_fr=name_fr or f"Service {next(_counter)}", **fields
    )
    db.session.add(service)
    if terms:
        found = db.session.scalars(
            db.select(TaxonomyTerm).where(TaxonomyTerm.code.in_(terms))
        ).all()
        missing = set(terms) - {t.code for t in found}
        assert not missing, f"unknown taxonomy codes {missing}; use the reference fixture"
        service.terms = list(found)
    service.areas = [ServiceArea(region_code=code) for code in regions]
    service.languages = [ServiceLanguage(code=code) for code in languages]
    db.session.add(service)
    db.session.flush()
    if location:
        place = Location(organization=organization, **location)
        db.session.add(place)
        db.session.flush()
        db.session.add(ServiceAtLocation(service_id=service.id, location_id=place.id))
    db.session.commit()
    return service


@pytest.fixture
def make_org(app):
    return new_org


@pytest.fixture
def make_user(app):
    return new_user


@pytest.fixture
def make_service(app):
    return new_service


_CSRF_VALUE = re.compile(r'name="csrf_token" value="[^"]*"')


def without_csrf_tokens(html: str) -> str:
    """The page with its per-request CSRF token values blanked, to compare two answers."""
    return _CSRF_VALUE.sub('name="csrf_token" value=""', html)


def login(client, user: User, password: str = PASSWORD, follow_redirects: bool = False):
    """Sign user in through the real login form."""
    return client.post(
        "/connexion",
        data={"email": user.email, "password": password},
        follow_redirects=follow_redirects,
    )


@pytest.fixture
def login_as(client, make_user):
    """Create a user with role and sign the test client in as them."""

    def factory(role: Role, **fields) -> User:
        user = make_user(role=role, **fields)
        response = login(client, user)
        assert response.status_code in (302, 303), response.status_code
        return user

    return factory


def pytest_sessionstart(session):
    """Compile the message catalogues when a .po is newer than its .mo (make does the same)."""
    from pathlib import Path

    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    root = Path(__file__).resolve().parent.parent / "cote_a_cote" / "translations"
    for po_path in root.glob("*/LC_MESSAGES/messages.po"):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as fh:
            catalogue = read_po(fh, locale=po_path.parent.parent.name)
        # Write then rename: parallel test workers (pytest-xdist) all run this at start.
        partial = mo_path.with_suffix(f".mo.{os.getpid()}")
        with partial.open("wb") as fh:
            write_mo(fh, catalogue)
        os.replace(partial, mo_path)


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole run (browser tests live in several folders)."""
    from tests.browser.conftest import CHROMIUM, LAUNCH_ARGS, REQUIRED

    if not os.path.exists(CHROMIUM):
        message = "Chromium not found (apt-get install -y chromium); browser tests skipped"
        if REQUIRED:
            pytest.fail(message + " but REQUIRE_BROWSER_TESTS=1")
        pytest.skip(message)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as error:  # pragma: no cover - playwright is a test dependency
        if REQUIRED:
            pytest.fail(f"Playwright missing: {error}")
        pytest.skip(f"Playwright missing: {error}")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=LAUNCH_ARGS
        )
        yield chromium
        chromium.close()


def shown(app, message: str, locale: str = "fr", **values) -> str:
    """message as a page in locale shows it: our translated text as is, the values escaped.

    (Templates and lazy messages both render a translation as trusted text and escape only the
    values put into it; see cote_a_cote/i18n.py.)"""
    from flask_babel import force_locale, gettext
    from markupsafe import Markup, escape

    with app.test_request_context(), force_locale(locale):
        if not values:
            return str(gettext(message))
        return str(Markup(gettext(message)) % {k: escape(v) for k, v in values.items()})  # noqa: S704


# The garbage collector: each test builds an app (thousands of objects in reference cycles), and
# CPython's default threshold (700 allocations) ran a collection every few hundred of them, each
# one walking the tens of thousands of long-lived objects the imports made — a third of
# create_app()'s time. Modules and collected tests are frozen out of the collector's walks once
# collected, and the young generation is collected every 50,000 allocations instead: the
# referral, auth and portal tests (268) went from 84 s to 66 s of CPU, for ~100 MB more memory
# per worker. Production keeps the defaults.
gc.set_threshold(50_000, 20, 20)


def pytest_collection_finish(session):
    gc.collect()
    gc.freeze()
