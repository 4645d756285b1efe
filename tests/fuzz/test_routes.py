"""Every route, as every role, with Hypothesis-made values in every field: never a 5xx.

The routes and their objects come from the access matrix (tests/test_access_matrix.py), so a new
route is fuzzed as soon as it is in the matrix. Each signed-in role is a member of the world's
organisations, so forms about the world's referral, service and records are reached, not only
their 404. Field names are read from the pages themselves (every input, select and textarea of
every form a role can open) plus the names of every form class; values mix the awkward (NUL,
control characters, year 1 and 9999, integers past 64 bits, NaN, very long text, a file where
text is expected) with ordinary ones. The app runs with TESTING, so an exception would propagate
here and fail the test with its traceback.
"""

from __future__ import annotations

import io
import re
from datetime import date
from urllib.parse import urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import event, select, text
from werkzeug.datastructures import MultiDict
from wtforms.fields.core import UnboundField

from cote_a_cote.accounts.models import User
from cote_a_cote.catalogue.models import Organization
from cote_a_cote.database import Base
from cote_a_cote.forms import BaseForm, SubForm
from tests.conftest import login
from tests.fuzz.conftest import ANSWERS, FUZZ_EXAMPLES, TRIED
from tests.test_access_matrix import LOGIN, MATRIX, ROLES, _url, matrix_world  # noqa: F401 - a fixture

# Fuzzed searches can leave a Whoosh segment file for the garbage collector to close (reported
# to the search package); that is not what this suite looks for.
pytestmark = pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")

# Signing out would end the role's session; everything else is fair game.
SKIPPED = {("POST", "accounts.logout")}
# A member of the world's organisations for each role (see the world fixture).
WORLD_ACCOUNTS = {
    "intervenante": "someone@example.org",
    "provider": "staff@example.org",
    "admin": "matrix-admin@example.org",
}
QUERY_NAMES = ("page", "per_page", "q", "next", "service", "organization_id", "vue", "annee")

AWKWARD = [
    "",
    " ",
    "0",
    "-1",
    "1",
    "2147483647",
    "2147483648",
    "9223372036854775808",
    "99999999999999999999",
    "9" * 5000,
    "1e400",
    "NaN",
    "-inf",
    "0001-01-01",
    "9999-12-31",
    "1899-12-31",
    "2024-02-30",
    "25:61",
    "00:00",
    "\x00",
    "a\x00b",
    "\x1b[31mred\x1b[0m",
    "line\r\nbreak",
    "\t",
    "\u202eevil",
    "\ufeff",
    "<script>alert(1)</script>",
    "' OR '1'='1",
    "../../etc/passwd",
    "%00",
    "//evil.example",
    "javascript:alert(1)",
    "y",
    "on",
    "fr",
    "en",
    "public",
    "intervenantes",
    "accepting",
    "x@demo.cote-a-cote.invalid",
    "name@example.org",
]
VALUES = st.one_of(
    st.sampled_from(AWKWARD),
    st.text(max_size=60),
    st.text(min_size=1000, max_size=12_000),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)).map(date.isoformat),
)

_NAME = re.compile(r"""<(?:input|select|textarea|button)\b[^>]*?\bname="([^"]+)\"""")
_FORM = re.compile(r"""<form\b([^>]*)>(.*?)</form>""", re.S)
_ACTION = re.compile(r"""\baction="([^"]*)\"""")


def _form_class_names() -> set[str]:
    names: set[str] = set()
    pending = [BaseForm, SubForm]
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        names.update(n for n in dir(cls) if isinstance(getattr(cls, n, None), UnboundField))
    return names


def _scrape(client, urls: list[str]) -> tuple[dict[str, set[str]], set[str]]:
    """The field names of every form on these pages, by the path each form posts to."""
    by_action: dict[str, set[str]] = {}
    every: set[str] = set()
    for url in urls:
        html = _text(client.get(url))
        for attributes, body in _FORM.findall(html):
            action = _ACTION.search(attributes)
            target = urlsplit(action.group(1) if action and action.group(1) else url).path
            names = set(_NAME.findall(body))
            by_action.setdefault(target, set()).update(names)
            every.update(names)
    return by_action, every


def _targets(app, role: str, world_objects: dict) -> list[tuple[str, str, str]]:
    """The routes this role may use (refusals by role are the access matrix's business)."""
    targets = []
    for (method, endpoint), expected in sorted(MATRIX.items()):
        if (method, endpoint) in SKIPPED or endpoint.startswith("api."):
            continue  # the API has its own fuzzing (test_api.py)
        if expected[role] in (403, LOGIN):
            continue
        targets.append((method, endpoint, _url(app, endpoint, world_objects)))
    return targets


def _int_segments(url: str) -> list[int]:
    return [i for i, part in enumerate(url.split("/")) if part.isdigit()]


@pytest.mark.parametrize("role", ROLES)
def test_no_route_answers_5xx_whatever_is_sent(app, client, matrix_world, role):  # noqa: F811
    if role != "anonymous":
        user = app.extensions["sqlalchemy"].session.scalar(
            select(User).where(User.email == WORLD_ACCOUNTS[role])
        )
        assert login(client, user).status_code == 302
    targets = _targets(app, role, matrix_world)
    session = app.extensions["sqlalchemy"].session
    pages = [url for method, _, url in targets if method == "GET"]
    by_action, every_name = _scrape(client, pages)
    names = sorted(every_name | _form_class_names() | set(QUERY_NAMES))

    writes = _CommittedWrites(app.extensions["sqlalchemy"].engine)
    committed = {"state": _database_state(session)}

    @settings(
        max_examples=FUZZ_EXAMPLES,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        deadline=None,
    )
    @given(data=st.data())
    def one_request(data):
        method, endpoint, url = data.draw(st.sampled_from(targets), label="route")
        path = urlsplit(url).path
        segments = path.split("/")
        for index in _int_segments(path):
            if data.draw(st.booleans(), label="replace id"):
                segments[index] = data.draw(
                    st.integers(min_value=0, max_value=2**70).map(str), label="id"
                )
        path = "/".join(segments)
        known = sorted(by_action.get(urlsplit(url).path, set()))
        fields = data.draw(
            st.lists(
                st.sampled_from(known) if known else st.sampled_from(names),
                max_size=len(known) or 4,
            )
            | st.lists(st.sampled_from(names), max_size=6),
            label="fields",
        )
        payload = [(name, data.draw(VALUES, label=name)) for name in fields]
        query = [(name, data.draw(VALUES, label=name)) for name in data.draw(
            st.lists(st.sampled_from(QUERY_NAMES), max_size=2), label="query"
        )] + list(_query_of(url))  # fmt: skip
        kind = data.draw(st.sampled_from(["form", "form", "form", "multipart", "json"]))
        options: dict = {"method": method, "query_string": MultiDict(query)}
        if method == "GET":
            options["query_string"] = MultiDict(query + payload)
        elif kind == "json":
            options["json"] = dict(payload)
        elif kind == "multipart" and payload:
            body = {name: value for name, value in payload}
            victim = payload[0][0]
            body[victim] = (io.BytesIO(str(body[victim]).encode("utf-8", "replace")), "x.txt")
            options["data"] = body
            options["content_type"] = "multipart/form-data"
        else:
            options["data"] = MultiDict(payload)
        TRIED[role] += 1
        writes.tables.clear()
        response = client.open(path, **options)
        ANSWERS[f"{response.status_code}"] += 1
        assert response.status_code < 500, (method, path, response.status_code)
        assert "Traceback" not in _text(response)
        if writes.tables - RECORDS_REFUSALS:
            # Something was committed: compare every table with what it held before.
            after = _database_state(session)
            if response.status_code >= 400:
                # A refused request leaves nothing behind: no row added, changed or removed.
                changed = _changed_tables(committed["state"], after)
                assert not changed, (method, path, response.status_code, changed)
            committed["state"] = after

    one_request()
    assert TRIED[role] > 0


class _CommittedWrites:
    """The tables that committed statements wrote to, as the app's engine ran them.

    The database cannot change without a committed INSERT, UPDATE or DELETE through the app's one
    engine, so the fuzz test fingerprints every table (~60 queries) only after a request that
    committed one, instead of before and after every request. A statement whose table cannot be
    read (a CTE that writes, raw SQL) counts as a write to every table ("*").
    """

    _WRITE = re.compile(
        r'^\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.I
    )
    _READ = re.compile(r"^\s*(?:SELECT|PRAGMA|SAVEPOINT|RELEASE|ROLLBACK|BEGIN|SHOW)\b", re.I)
    _WRITE_ANYWHERE = re.compile(r"\b(?:INSERT|UPDATE|DELETE|MERGE|TRUNCATE)\b", re.I)

    def __init__(self, engine) -> None:
        self.tables: set[str] = set()
        self._pending: dict[int, set[str]] = {}
        event.listen(engine, "after_cursor_execute", self._executed)
        event.listen(engine, "commit", self._committed)
        event.listen(engine, "rollback", self._rolled_back)

    def _executed(self, conn, cursor, statement, parameters, context, executemany) -> None:
        written = self._WRITE.match(statement)
        if written:
            table = written.group(1).lower()
        elif self._READ.match(statement) or not self._WRITE_ANYWHERE.search(statement):
            return  # a read (SELECT … FOR UPDATE included) or transaction control
        else:
            table = "*"
        self._pending.setdefault(id(conn), set()).add(table)

    def _committed(self, conn) -> None:
        self.tables |= self._pending.pop(id(conn), set())

    def _rolled_back(self, conn) -> None:
        self._pending.pop(id(conn), None)


# Written by refusals on purpose: the limiter's counters (a refused sign-in still counts) and
# the session table's last-seen times.
RECORDS_REFUSALS = {"rate_limit_counter", "user_session"}


def _database_state(session) -> dict[str, int]:
    """A fingerprint of every table's rows, to tell whether a request changed anything."""
    session.rollback()  # read what is committed, not what this session remembers
    state = {}
    for table in Base.metadata.sorted_tables:
        if table.name in RECORDS_REFUSALS:
            continue
        rows = sorted(repr(tuple(row)) for row in session.execute(select(table)))
        state[table.name] = hash(tuple(rows))
    return state


def _changed_tables(before: dict[str, int], after: dict[str, int]) -> list[str]:
    return sorted(name for name, value in after.items() if before.get(name) != value)


def _text(response) -> str:
    """The body as text (a PDF or an image reads as mostly replacement characters)."""
    return response.get_data().decode("utf-8", "replace")


def _query_of(url: str) -> list[tuple[str, str]]:
    query = urlsplit(url).query
    return [tuple(part.split("=", 1)) for part in query.split("&") if "=" in part]


def test_the_partial_write_check_sees_a_row_changed_or_added(app, matrix_world, make_org):  # noqa: F811
    session = app.extensions["sqlalchemy"].session
    writes = _CommittedWrites(app.extensions["sqlalchemy"].engine)
    before = _database_state(session)
    assert writes.tables == set()
    assert _changed_tables(before, _database_state(session)) == []
    organization = session.scalar(select(Organization).order_by(Organization.id))
    organization.name = organization.name + " (modifiée)"
    session.commit()
    assert "organization" in writes.tables
    changed = _database_state(session)
    assert _changed_tables(before, changed) == ["organization"]
    writes.tables.clear()
    make_org(name="Une de plus")
    assert "organization" in writes.tables
    assert "organization" in _changed_tables(changed, _database_state(session))


def test_a_write_rolled_back_is_not_counted_and_raw_sql_counts_as_every_table(app, matrix_world):  # noqa: F811
    session = app.extensions["sqlalchemy"].session
    writes = _CommittedWrites(app.extensions["sqlalchemy"].engine)
    organization = session.scalar(select(Organization).order_by(Organization.id))
    organization.name = "Jamais enregistrée"
    session.flush()
    session.rollback()
    assert writes.tables == set()
    session.execute(text("UPDATE organization SET name = name"))
    session.commit()
    assert writes.tables == {"organization"}
    writes.tables.clear()
    session.execute(
        text(
            "WITH ids AS (SELECT id FROM organization WHERE id < 0) "
            "DELETE FROM organization WHERE id IN (SELECT id FROM ids)"
        )
    )
    session.commit()
    assert writes.tables == {"*"}
