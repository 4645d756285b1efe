"""axe-core in a real browser over every page each kind of user reaches, in French and in English,
and over each form after a failed submit: zero violations of any impact of WCAG 2.0, 2.1 and 2.2 A
and AA, nor of axe's best practices ("region": content outside every landmark, headings, landmarks).

The pages are the access matrix's (tests/test_access_matrix.py), so a page added there is audited
here too. Each role signs in as the owner of the matrix's objects (the intervenante who sent its
referral, a staff member of its provider, its administrator), so the pages about one referral, one
service or one closure answer with their content instead of 404. Each role's audit in each
language is a few tests (PARTS), each reusing one browser page for its share of the pages and
forms; a failure names the rule, the page and the elements to fix.
"""

from __future__ import annotations

import os
import time
from collections import Counter

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.conftest import PASSWORD
from tests.test_access_matrix import MATRIX, ROLES, _url
from tests.test_accessibility import DOWNLOADS

from .test_journeys import sign_in

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": AXE_TAGS},
    "resultTypes": ["violations"],
    # Only the violations are read: the passes are neither described nor sent back.
    "reporter": "no-passes",
}
# The owners of the matrix's objects (see tests/test_access_matrix.py's world).
OWNERS = {
    "intervenante": "someone@example.org",
    "provider": "staff@example.org",
    "admin": "matrix-admin@example.org",
}
# Forms of an object's owner that the matrix cannot post (they answer 404 to its signed-in
# user); posted empty, each is refused and shown again with its errors.
OWNER_FORMS = {
    "anonymous": (),
    "intervenante": (),
    "provider": ("portal.edit_service", "portal.edit_location", "closures.add", "closures.edit"),
    "admin": (),
}
LANGUAGES = ("fr", "en")
# Public pages whose content does not depend on who is signed in (their templates never look at
# the user): audited once, as anonymous. The signed-in header around them is audited on every
# other page of each role. Run time: each axe run takes about half a second.
SAME_FOR_EVERYONE = {
    "accounts.forgot_password",
    "accounts.open_invitation_link",
    "accounts.open_reset_link",
    "feedback.give",
    "helplines.get_help",
    "home.quick_exit_help",
    "partners.application_sent",
    "partners.become",
    "partners.verify_link",
    "recognition.public_page",
    "recognition.verify",
}

_axe = Axe()


def load_axe_in_every_page(page) -> None:
    """axe-core (570 kB) loaded by the browser itself as each page of this tab starts, before the
    page's own scripts: sent once, instead of through the test's connection for every page."""
    page.context.add_init_script(script=_axe.axe_script)


def _run_axe(page) -> dict:
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(_axe.axe_script)  # a page opened before load_axe_in_every_page
    return page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)


def _pages(role: str) -> list[str]:
    """GET endpoints the role may open (the 404s of the matrix are other people's objects)."""
    return sorted(
        endpoint
        for (method, endpoint), expected in MATRIX.items()
        if method == "GET"
        and not endpoint.startswith("api.")
        and endpoint not in DOWNLOADS
        and expected[role] in (200, 404)
        and set(expected.values()) != {404}  # pages reached only through an e-mailed secret
        and (role == "anonymous" or endpoint not in SAME_FOR_EVERYONE)
    )


def _forms(role: str) -> list[str]:
    """POST endpoints that show their form again, with its errors, when posted empty."""
    return sorted(
        endpoint
        for (method, endpoint), expected in MATRIX.items()
        if method == "POST"
        and expected[role] == 200
        and (role == "anonymous" or endpoint not in SAME_FOR_EVERYONE)
    ) + list(OWNER_FORMS[role])


def _post_empty(page, url: str) -> int:
    """Submit a form with nothing but its CSRF token, as a browser does, and return the status."""
    token = page.locator("input[name=csrf_token]").first.get_attribute("value")
    with page.expect_navigation() as navigation:
        page.evaluate(
            """([url, token]) => {
                const form = document.createElement('form');
                form.method = 'post';
                form.action = url;
                const field = document.createElement('input');
                field.type = 'hidden';
                field.name = 'csrf_token';
                field.value = token;
                form.append(field);
                document.body.append(form);
                form.submit();
            }""",
            [url, token],
        )
    return navigation.value.status


class Audit:
    """axe on one page after another; keeps what it found for one message at the end."""

    def __init__(self, page, language: str):
        self.page = page
        self.language = language
        self.pages = 0
        self.problems: list[str] = []
        self.by_rule: Counter[str] = Counter()

    def check(self, label: str) -> None:
        page = self.page
        # The person's handout speaks the person's language, whatever the interface's.
        assert page.evaluate("document.documentElement.lang") in LANGUAGES, label
        self.pages += 1
        for violation in _run_axe(page)["violations"]:
            self.by_rule[violation["id"]] += len(violation["nodes"])
            targets = "; ".join(
                " ".join(map(str, node["target"])) for node in violation["nodes"][:6]
            )
            more = len(violation["nodes"]) - 6
            self.problems.append(
                f"{violation['id']} ({violation['impact']}) on {label} [{self.language}]: "
                f"{targets}{f' … and {more} more' if more > 0 else ''}"
                f"\n    {violation['help']}"
            )

    def visit(self, url: str) -> None:
        response = self.page.goto(url)
        status = response.status if response else 0
        assert status in (200, 404), f"{url} answered {status}"
        if "text/html" in (response.headers.get("content-type") or ""):
            self.check(f"GET {url} ({status})")

    def fail_if_any(self) -> None:
        summary = ", ".join(f"{rule}: {n}" for rule, n in self.by_rule.most_common())
        print(f"axe [{self.language}]: {self.pages} pages, violations by rule: {summary or 'none'}")
        assert not self.problems, (
            f"{len(self.problems)} axe violations on {self.pages} pages ({summary}):\n"
            + "\n".join(self.problems)
        )


def _switch_to(page, language: str) -> None:
    if page.evaluate("document.documentElement.lang") != language:
        page.locator("form.language-switch button").click()
        page.wait_for_load_state()
    assert page.evaluate("document.documentElement.lang") == language


def _extra_objects(app, role: str, world: dict) -> None:
    """What the owner also needs: the intervenante's own shortlist."""
    if role != "intervenante":
        return
    from sqlalchemy import select

    from cote_a_cote.accounts.models import User
    from cote_a_cote.catalogue.models import Service
    from cote_a_cote.extensions import db
    from cote_a_cote.shortlists import services

    owner = db.session.scalar(select(User).where(User.email == OWNERS[role]))
    shortlist = services.create(owner, "Liste de la personne")
    services.add_service(shortlist, db.session.get(Service, world["service_id"]))
    db.session.commit()
    world["shortlist_id"] = shortlist.id


# The audit reads the pages' markup, which is the same whichever database holds the data: CI runs
# the whole suite on SQLite, then on PostgreSQL, and the audit (several minutes) in the first pass.
MARKUP_ONLY = pytest.mark.skipif(
    bool(os.environ.get("TEST_DATABASE_URL")),
    reason="markup audit: the same pages on either database; it runs in the SQLite pass",
)


# Each role's audit in one language is cut into PARTS tests of about the same number of steps, so
# the test processes share them out (one test of the administrator's ~80 pages and forms took
# ~90 s, longer than everything else a process had left to do). Each part signs in for itself.
PARTS = 3
SEARCH_FOUND = "/recherche?q=soins"
SEARCH_NONE = "/recherche?q=introuvablezzz"
NOT_FOUND = "/cette-page-n-existe-pas"


def _steps(role: str) -> list[tuple[str, str]]:
    """Everything the role's audit looks at, in order: its pages, two searches (something found,
    nothing found), a page that does not exist, the failed sign-in, and each form refused."""
    steps = [("page", endpoint) for endpoint in _pages(role)]
    steps += [("found", SEARCH_FOUND), ("none", SEARCH_NONE), ("missing", NOT_FOUND)]
    if role == "anonymous":
        steps.append(("failed sign-in", "/connexion"))
    return steps + [("form", endpoint) for endpoint in _forms(role)]


def _part(role: str, part: int) -> list[tuple[str, str]]:
    steps = _steps(role)
    return steps[part * len(steps) // PARTS : (part + 1) * len(steps) // PARTS]


def test_the_parts_of_each_audit_cover_all_its_steps_once():
    for role in ROLES:
        parts = [_part(role, part) for part in range(PARTS)]
        assert [step for steps in parts for step in steps] == _steps(role)
        assert all(len(steps) >= len(_steps(role)) // PARTS for steps in parts)
    assert ("failed sign-in", "/connexion") in _steps("anonymous")


def _fail_to_sign_in(page) -> None:
    page.goto("/connexion")
    page.locator("form:has(input[name=password]) input[name=email]").fill("x@example.org")
    page.locator("form:has(input[name=password]) input[name=password]").fill("wrong")
    page.locator("form:has(input[name=password]) button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".alert, #form-errors").count() >= 1


def _audit_step(audit: Audit, app, world: dict, step: tuple[str, str]) -> None:
    kind, target = step
    page = audit.page
    if kind == "page":
        audit.visit(_url(app, target, world))
    elif kind == "failed sign-in":
        _fail_to_sign_in(page)
        audit.check("failed sign-in")
    elif kind == "form":
        # Each form refused: its errors, the summary and the fields marked invalid.
        url = _url(app, target, world)
        status = _post_empty(page, url)
        assert status == 200, f"POST {url} answered {status}"
        audit.check(f"POST {url} (empty)")
    else:
        audit.visit(target)
        if kind != "missing":
            found = page.locator(".search__results .result").count()
            assert found >= 1 if kind == "found" else found == 0, (target, found)


@pytest.mark.slow
@MARKUP_ONLY
@pytest.mark.parametrize("part", range(PARTS))
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("role", ROLES)
def test_every_page_and_failed_form_has_no_axe_violation(
    app,
    page,
    matrix_world,
    role,
    language,
    part,
):
    started = time.monotonic()
    world = matrix_world
    _extra_objects(app, role, world)
    load_axe_in_every_page(page)
    page.goto("/")
    if role != "anonymous":
        sign_in(page, OWNERS[role], PASSWORD)
        assert page.locator("form.language-switch").count() == 1
    _switch_to(page, language)
    audit = Audit(page, language)
    for step in _part(role, part):
        _audit_step(audit, app, world, step)
    took = time.monotonic() - started
    print(f"{role} [{language}] {part + 1}/{PARTS}: {audit.pages} pages audited in {took:.1f} s")
    audit.fail_if_any()


# --- At 400 % zoom the quick exit never covers the focused control --------------------------------

ZOOMED = {"width": 320, "height": 256}  # 1280×1024 at 400 %
# Where the focus stopped, and the focused control if the quick exit covers it (else null): one
# round trip to the browser per stop.
FOCUS_STOP = """() => {
  const el = document.activeElement;
  const stop = !el || el === document.body ? 'body'
    : (el.id || el.name || '') + el.outerHTML.length + ':'
      + Math.round(el.getBoundingClientRect().top + scrollY);
  const exit = document.getElementById('quick-exit');
  if (!el || el === document.body || exit.contains(el) || el.closest('.quick-exit')) {
    return [stop, null];
  }
  const a = el.getBoundingClientRect(), b = exit.getBoundingClientRect();
  const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
  const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
  return [stop, (w > 0 && h > 0) ? el.outerHTML.slice(0, 100) : null];
}"""


def _tab_through(page, key: str, limit: int = 200) -> tuple[int, list[str]]:
    """Press key until the focus comes back to where it started; the stops it covered."""
    covered, stops, seen = [], 0, set()
    for _ in range(limit):
        page.keyboard.press(key)
        marker, hidden = page.evaluate(FOCUS_STOP)
        if marker in seen:
            break
        seen.add(marker)
        stops += 1
        if hidden:
            covered.append(f"{key} stop {stops}: {hidden}")
    return stops, covered


@MARKUP_ONLY
@pytest.mark.parametrize("role", ["anonymous", "intervenante"])
def test_tabbing_through_forms_at_400_percent_the_quick_exit_hides_no_focused_control(
    app,
    page,
    matrix_world,
    role,
):
    """Forward and back through whole forms, their error states and the person's pages."""
    world = matrix_world
    if role == "anonymous":
        paths = ["/devenir-partenaire/postuler", "/avis", "/services/{service_id}/signaler"]
        forms = ["/devenir-partenaire/postuler", "/avis"]
    else:
        sign_in(page, OWNERS[role], PASSWORD)
        paths = [
            "/references/nouvelle?service={service_id}",
            "/references/{referral_id}/fiche",
            "/prospects/suggerer",
        ]
        forms = ["/references/nouvelle?service={service_id}"]
    page.set_viewport_size(ZOOMED)
    stops, covered = 0, []
    for path in paths:
        page.goto(path.format(**world))
        for key in ("Tab", "Shift+Tab"):
            count, hidden = _tab_through(page, key)
            stops += count
            covered += [f"{path} {line}" for line in hidden]
    for path in forms:
        page.goto(path.format(**world))
        assert _post_empty(page, path.format(**world)) == 200
        assert page.locator("#form-errors").count() == 1
        for key in ("Tab", "Shift+Tab"):
            count, hidden = _tab_through(page, key)
            stops += count
            covered += [f"{path} (errors) {line}" for line in hidden]
    assert stops > 60, stops
    assert covered == [], f"{len(covered)} of {stops} focus stops under the quick exit:\n" + (
        "\n".join(covered)
    )


def test_the_audit_reports_faint_text_outside_every_landmark(page):
    """The options run the WCAG rules and 'region': a planted fault is named with its page."""
    page.goto("/connexion")
    page.evaluate(
        """() => {
          const p = document.createElement('p');
          p.id = 'planted';
          p.textContent = 'Texte pâle hors de tout repère';
          p.style.cssText = 'color:#bbbbbb;background:#ffffff';
          document.body.append(p);
        }"""
    )
    audit = Audit(page, "fr")
    audit.check("GET /connexion (planted)")
    assert {"color-contrast", "region"} <= set(audit.by_rule)
    assert any("#planted" in line and "/connexion" in line for line in audit.problems)
    with pytest.raises(AssertionError, match="color-contrast"):
        audit.fail_if_any()
