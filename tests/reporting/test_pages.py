"""The report page: the year form, the full view, the glossary and the messages."""

from __future__ import annotations

import re

from cote_a_cote.reporting.services import default_year

from .conftest import NOW, fr, provider_names
from .test_funder_view import cells_of


def test_the_full_view_shows_the_year_and_its_figures(app, client, year, admin):
    response = client.get("/admin/rapport-annuel/?annee=2025")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert f"<h1>{fr(app, 'Annual report %(year)s', year='2025–2026')}</h1>" in html
    assert cells_of(html, "totals")[fr(app, "People")] == ["5"]
    assert cells_of(html, "outcome")[fr(app, "Declined by the provider")] == ["1", "1"]
    providers = cells_of(html, "providers")
    assert providers["Services Fictifs Cèdre"][-1] == fr(
        app, "Not applicable"
    )  # no response at all
    assert list(cells_of(html, "new-partners")) == ["Cabinet Fictif Boréal"]
    for referral in year.referrals.values():
        assert referral.code not in html
    # Links to both exports of this view and to the funder view, for the same year.
    assert "/admin/rapport-annuel/export.csv?annee=2025&amp;vue=complet" in html
    assert "/admin/rapport-annuel/export.pdf?annee=2025&amp;vue=complet" in html
    assert "/admin/rapport-annuel/bailleur?annee=2025" in html


def test_every_indicator_links_to_its_definition(client, year, admin):
    for url in ("/admin/rapport-annuel/?annee=2025", "/admin/rapport-annuel/bailleur?annee=2025"):
        html = client.get(url).get_data(as_text=True)
        targets = set(re.findall(r'href="#(def-[a-z-]+)"', html))
        defined = set(re.findall(r'<dt id="(def-[a-z-]+)"', html))
        assert {"def-activities", "def-people", "def-acceptance-rate", "def-region"} <= targets
        assert targets <= defined, targets - defined


def test_the_year_list_and_the_default(app, client, year, admin):
    html = client.get("/admin/rapport-annuel/").get_data(as_text=True)
    # The last complete year is chosen; the current one and every year with data are offered.
    assert '<option selected value="2025">2025–2026</option>' in html
    assert '<option value="2026">2026–2027</option>' in html
    assert '<option value="2019">2019–2020</option>' in html  # Alpha, partner since 2020
    assert '<option value="2018">' not in html
    assert default_year(NOW).start_year == 2025


def test_only_the_current_year_is_offered_without_data(client, reference, admin):
    html = client.get("/admin/rapport-annuel/").get_data(as_text=True)
    assert re.findall(r"<option[^>]*>([^<]*)</option>", html) == ["2026–2027"]


def test_an_invalid_year_says_so(app, client, year, admin):
    for raw in ("abc", "1999", "2031", "2025-2027x", "<script>"):
        response = client.get("/admin/rapport-annuel/", query_string={"annee": raw})
        assert response.status_code == 400
        html = response.get_data(as_text=True)
        assert 'class="field__error"' in html
        assert 'id="table-totals"' not in html
        assert "<script>" not in html.split("<main", 1)[1]
    html = client.get("/admin/rapport-annuel/?annee=1999").get_data(as_text=True)
    assert (
        fr(app, "There is no report for %(year)s: choose a year from the list.", year="1999–2000")
        in html
    )
    # The exports answer the same way instead of a file.
    response = client.get("/admin/rapport-annuel/export.pdf?annee=abc")
    assert response.status_code == 400
    assert response.mimetype == "text/html"
    assert fr(app, "Choose a reporting year from the list (for example 2025–2026).") in (
        response.get_data(as_text=True)
    )


def test_an_unknown_view_says_so(app, client, year, admin):
    response = client.get("/admin/rapport-annuel/export.csv?annee=2025&vue=public")
    assert response.status_code == 400
    assert fr(app, "Choose the full view or the funder view.") in response.get_data(as_text=True)


def test_the_funder_view_lists_no_organisation_even_in_the_year_form(client, year, admin):
    html = client.get("/admin/rapport-annuel/bailleur").get_data(as_text=True)
    for name in provider_names():
        assert name not in html
