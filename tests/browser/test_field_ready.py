"""Issue 11 in a real browser: a quick exit that never fires by accident, results first on a
phone, errors the GOV.UK way, a confirmation before withdrawing, and the keyboard-only referral."""

from __future__ import annotations

import pytest

from cote_a_cote.accounts.models import Role
from tests.test_access_matrix import MATRIX, ROLES, _url
from tests.test_accessibility import DOWNLOADS

PHONE = {"width": 375, "height": 812}
ZOOMED = {"width": 320, "height": 256}  # 1280×1024 at 400 %


def _stays(page, path: str) -> None:
    """Nothing left: the page still shows the platform and its address did not change."""
    page.wait_for_timeout(300)  # leaving would start at once; give it time to show
    assert page.url.endswith(path)
    assert page.locator("#quick-exit").count() == 1


def _type_capitals(page, text: str) -> None:
    """Type as a person does: Shift held down for each capital, then released."""
    for letter in text:
        page.keyboard.down("Shift")
        page.keyboard.press(f"Key{letter}")
        page.keyboard.up("Shift")


def test_typing_capitals_does_not_leave(page):
    page.goto("/connexion")
    field = page.locator("input[name=email]")
    field.click()
    _type_capitals(page, "DPJ")
    _type_capitals(page, "ABC")
    _stays(page, "/connexion")
    assert field.input_value() == "DPJABC"


def test_shift_tab_back_through_a_form_does_not_leave(page):
    page.goto("/connexion")
    page.locator("form:has(input[name=password]) button[type=submit]").focus()
    for _ in range(3):
        page.keyboard.press("Shift+Tab")
    _stays(page, "/connexion")
    assert page.evaluate("document.activeElement.tagName") in {"INPUT", "A", "BUTTON"}


def test_shift_then_another_key_resets_the_count(page):
    page.goto("/connexion")
    page.locator("input[name=email]").click()
    page.keyboard.press("Shift")
    page.keyboard.press("Shift")
    page.keyboard.press("ArrowLeft")  # any other key starts counting again
    page.keyboard.press("Shift")
    _stays(page, "/connexion")


def test_three_lone_shift_presses_leave(page, live_server, neutral_site):
    page.goto("/")
    page.goto("/connexion")
    page.locator("input[name=email]").click()
    page.keyboard.press("Shift")
    assert "2" in page.locator(".quick-exit__status").inner_text()  # told how many remain
    page.keyboard.press("Shift")
    page.keyboard.press("Shift")
    page.wait_for_url(neutral_site)
    assert "Meteo" in page.content()
    page.go_back()  # the page was replaced: Back skips it
    assert page.url == f"{live_server}/"


def test_quick_exit_is_in_the_banner_and_an_icon_when_zoomed(page):
    page.set_viewport_size(ZOOMED)
    page.goto("/connexion")
    button = page.locator("header #quick-exit")
    assert button.is_visible()
    box = button.bounding_box()
    assert 44 <= box["width"] <= 60 and 44 <= box["height"] <= 60
    assert page.locator("#quick-exit .quick-exit__label").inner_text() in {
        "Quitter rapidement",
        "Quick exit",
    }
    assert (
        page.evaluate("document.querySelector('#quick-exit').textContent.trim()")
        == page.locator("#quick-exit .quick-exit__label").inner_text()
    )


@pytest.mark.parametrize("path", ["/connexion", "/", "/recherche?q=logement", "/catalogue"])
def test_the_quick_exit_never_hides_the_focused_control_at_400_percent(page, path):
    page.set_viewport_size(ZOOMED)
    page.goto(path)
    hidden = []
    for step in range(60):
        page.keyboard.press("Tab")
        overlap = page.evaluate(
            """() => {
              const el = document.activeElement;
              const exit = document.getElementById('quick-exit');
              if (!el || el === document.body || exit.parentNode.contains(el)) return null;
              const a = el.getBoundingClientRect(), b = exit.getBoundingClientRect();
              const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
              const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
              return (w > 0 && h > 0) ? el.outerHTML.slice(0, 80) : null;
            }"""
        )
        if overlap:
            hidden.append((step, overlap))
    assert hidden == []


def test_quick_exit_keeps_its_red_in_forced_colours(page):
    page.emulate_media(forced_colors="active")
    page.goto("/connexion")
    colour = page.evaluate(
        "getComputedStyle(document.getElementById('quick-exit')).backgroundColor"
    )
    assert colour == "rgb(179, 38, 30)"


# --- Results first on a phone (§2) ----------------------------------------------------------------


@pytest.fixture
def catalogue(reference, make_org, make_service):
    org = make_org(name="Clinique Imaginaire du Fleuve")
    return [
        make_service(
            organization=org,
            name_fr=f"Soins dentaires fictifs {n}",
            terms=("need.physical_health",),
            regions=("06",),
        )
        for n in range(3)
    ]


def _first_card_top(page) -> float:
    return page.locator(".search__results .result").first.bounding_box()["y"] + page.evaluate(
        "window.scrollY"
    )


def test_the_first_result_starts_within_the_first_screen_of_a_phone(page, catalogue, make_user):
    from tests.conftest import PASSWORD

    from .test_journeys import sign_in

    intervenante = make_user(role=Role.INTERVENANTE, email="terrain@example.org")
    page.set_viewport_size(PHONE)
    sign_in(page, intervenante.email, PASSWORD)
    page.goto("/recherche?q=dentaires&need=need.physical_health")
    top = _first_card_top(page)
    assert top < PHONE["height"]
    # The filters are folded into "Filtres (1)"; the applied one shows as a chip above the results.
    toggle = page.locator("#search-filters > summary")
    assert toggle.inner_text().strip() == "Filtres (1)"
    assert page.locator("#search-filters").get_attribute("open") is None
    chip = page.locator("#applied-filters a.chip")
    assert chip.count() == 1
    chip.click()
    page.wait_for_load_state()
    assert "need=" not in page.url and "q=dentaires" in page.url
    assert page.locator("#applied-filters").count() == 0
    toggle.click()
    assert page.locator("#search-filters input[type=checkbox]").first.is_visible()


def test_wide_screens_keep_the_filters_beside_the_results(page, catalogue):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/recherche?q=dentaires")
    facets = page.locator("#search-filters").bounding_box()
    results = page.locator(".search__results").bounding_box()
    assert facets["x"] + facets["width"] <= results["x"]
    assert page.locator("#search-filters > summary").is_hidden()
    assert page.locator("#search-filters input[type=checkbox]").first.is_visible()


# --- No horizontal scrolling at 375 px, on every page each role opens (§2) ------------------------


@pytest.mark.parametrize("role", ROLES)
def test_no_page_scrolls_sideways_on_a_phone(app, page, make_user, matrix_world, role):
    from tests.conftest import PASSWORD

    from .test_journeys import sign_in

    page.set_viewport_size(PHONE)
    if role != "anonymous":
        user = make_user(role=Role(role))
        sign_in(page, user.email, PASSWORD)
    wide = []
    for endpoint in sorted(
        e
        for (method, e), expected in MATRIX.items()
        if method == "GET" and expected[role] == 200 and not e.startswith("api.")
        and e not in DOWNLOADS
    ):  # fmt: skip
        url = _url(app, endpoint, matrix_world)
        page.goto(url)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            wide.append(f"{url}: {width} px")
    assert not wide, "\n".join(wide)


# --- Errors the GOV.UK way (§6) and a confirmation before withdrawing (§7) ------------------------


def _focused_id(page) -> str:
    return page.evaluate("document.activeElement && document.activeElement.id")


def test_a_failed_submit_focuses_the_summary_whose_links_focus_the_fields(page, reference):
    page.goto("/devenir-partenaire/postuler")
    page.locator("form.portal-form button[type=submit]").click()
    page.wait_for_load_state()
    summary = page.locator("#form-errors")
    assert summary.get_attribute("role") == "alert"
    assert summary.locator("h2").inner_text().strip()
    page.wait_for_function("document.activeElement && document.activeElement.id === 'form-errors'")
    # By keyboard: the first link is the first field.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('href')") == "#organization_name"
    page.keyboard.press("Enter")
    assert _focused_id(page) == "organization_name"
    # By pointer: a group of boxes leads to its first box, the consent box to itself.
    summary.locator("a[href='#regions-0']").click()
    assert _focused_id(page) == "regions-0"
    summary.locator("a[href='#accept']").click()
    assert _focused_id(page) == "accept"
    assert page.locator("#accept").get_attribute("aria-invalid") == "true"
    assert page.locator("#accept").get_attribute("aria-describedby") == "accept-error"


def _sent_referral(make_user, make_service):
    from sqlalchemy import select

    from cote_a_cote.catalogue.models import TaxonomyTerm
    from cote_a_cote.extensions import db
    from cote_a_cote.referrals import services

    intervenante = make_user(role=Role.INTERVENANTE, email="retrait@example.org")
    service = make_service(name_fr="Hébergement fictif", terms=("need.physical_health",))
    need = db.session.scalar(
        select(TaxonomyTerm).where(TaxonomyTerm.code == "need.physical_health")
    )
    referral = services.create_draft(
        intervenante, service, needs=[need.id], contact_mode="through_intervenante"
    )
    services.confirm_consent(referral, intervenante, share_contact=True, share_briefing=True)
    services.send(referral, intervenante)
    db.session.commit()
    return intervenante, referral


def test_withdrawing_asks_first_and_cancel_changes_nothing(
    page, reference, make_user, make_service
):
    from cote_a_cote.extensions import db
    from cote_a_cote.referrals.models import ReferralStatus
    from tests.conftest import PASSWORD

    from .test_journeys import sign_in

    intervenante, referral = _sent_referral(make_user, make_service)
    sign_in(page, intervenante.email, PASSWORD)
    page.goto(f"/references/{referral.id}")
    withdraw = page.locator(f"form[action='/references/{referral.id}/retirer'] button")
    # Neutral ink, not the quick exit's red.
    colours = page.evaluate(
        "([a, b]) => [a, b].map((el) => getComputedStyle(el).backgroundColor)",
        [withdraw.element_handle(), page.locator("#quick-exit").element_handle()],
    )
    assert colours[0] != colours[1]
    withdraw.click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Retirer cette référence?"
    page.get_by_role("link", name="Annuler").click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/references/{referral.id}")
    db.session.refresh(referral)
    assert referral.status is ReferralStatus.SENT

    withdraw.click()
    page.wait_for_load_state()
    page.get_by_role("button", name="Oui, retirer la référence").click()
    page.wait_for_load_state()
    db.session.refresh(referral)
    assert referral.status is ReferralStatus.WITHDRAWN


# --- Fewer steps to refer, by keyboard only (§5) -------------------------------------------------


class Keyboard:
    """Presses keys on the page and counts them (each typed character is one press)."""

    def __init__(self, page):
        self.page = page
        self.presses = 0
        self.loads = 0
        page.on("load", self._loaded)

    def _loaded(self, _page):
        self.loads += 1

    def press(self, key: str, times: int = 1) -> None:
        for _ in range(times):
            self.page.keyboard.press(key)
            self.presses += 1

    def type(self, text: str) -> None:
        self.page.keyboard.type(text)
        self.presses += len(text)

    def tab_until(self, condition: str, limit: int) -> int:
        """Tab until the focused element matches the JS condition (on `el`); how many Tabs."""
        for count in range(1, limit + 1):
            self.press("Tab")
            if self.page.evaluate(f"(el => {condition})(document.activeElement)"):
                return count
        raise AssertionError(f"not reached in {limit} Tabs: {condition}")

    def submit(self, key: str = "Enter") -> None:
        """Press a key that loads a page, and wait for it."""
        with self.page.expect_navigation():
            self.press(key)


def test_keyboard_only_sign_in_search_refer_consent_sent(page, catalogue, make_user):
    from sqlalchemy import select

    from cote_a_cote.catalogue.models import TaxonomyTerm
    from cote_a_cote.extensions import db
    from cote_a_cote.referrals.models import Referral, ReferralStatus

    password = "douze-signes"
    user = make_user(role=Role.INTERVENANTE, email="a@example.org", password=password)
    keys = Keyboard(page)
    page.goto("/connexion")
    # Sign in: the skip link leads to the form.
    keys.press("Tab")
    keys.press("Enter")
    keys.tab_until("el.name === 'email'", 3)
    keys.type(user.email)
    keys.press("Tab")
    keys.type(password)
    keys.submit()
    # Home: the need first, then search.
    keys.press("Tab")
    keys.press("Enter")
    keys.tab_until("el.name === 'need'", 3)
    keys.type("santé p")
    assert page.locator("#home-need").input_value() == "need.physical_health"
    keys.press("Tab")
    keys.submit()
    assert "need=need.physical_health" in page.url
    # Results: from the search field to the first "Refer a person", with the skip link.
    page.locator("#search-form input[name=q]").focus()
    before = keys.presses
    keys.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('href')") == "#search-count"
    keys.press("Enter")
    tabs = keys.tab_until("el.textContent.trim() === 'Référer une personne'", 15)
    from_search_field = keys.presses - before
    keys.submit()
    # The referral form: the searched need is ticked and listed first.
    need = db.session.scalar(
        select(TaxonomyTerm).where(TaxonomyTerm.code == "need.physical_health")
    )
    first_box = page.locator("#needs .choice-group__list").first.locator("input").first
    assert first_box.get_attribute("value") == str(need.id) and first_box.is_checked()
    keys.press("Tab")
    keys.press("Enter")
    keys.tab_until(f"el.name === 'needs' && el.value === '{need.id}'", 4)
    keys.submit()  # implicit submission from the ticked box
    # Consent, then send.
    keys.press("Tab")
    keys.press("Enter")
    keys.tab_until("el.name === 'agreed'", 12)
    keys.press("Space")
    keys.submit()
    referral = db.session.scalar(select(Referral))
    assert referral is not None and referral.status is ReferralStatus.SENT
    print(
        f"keyboard journey: {keys.presses} key presses, {keys.loads} page loads; "
        f"{tabs} Tabs ({from_search_field} keys) from the search field to 'Référer une personne'"
    )
    assert keys.presses <= 90
    assert keys.loads <= 6
    assert from_search_field <= 15
