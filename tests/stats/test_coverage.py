"""The drill-down of a coverage cell: the providers counted, and the leads with their reasons."""

from __future__ import annotations

import pytest

from cote_a_cote.roles import Role
from tests.conftest import shown
from tests.stats.pages import Tables

URL = "/admin/tableau-de-bord/couverture"


@pytest.fixture
def admin(client, world, frozen, login_as):
    return login_as(Role.ADMIN)


def rows(html: str, table_id: str) -> list[str]:
    """Organisation names of a table, in order (its rows are keyed by organisation id)."""
    return [cells[0] for cells in Tables(html).tables.get(table_id, {}).values()]


def _keyed(html: str) -> str:
    # The drill-down keys rows by organisation; read them with the same parser.
    return html.replace("data-organization=", "data-key=")


def test_a_cell_lists_the_counted_providers_and_the_leads(client, admin, world, app):
    response = client.get(URL, query_string={"region": "06", "need": "need.housing"})
    assert response.status_code == 200
    html = _keyed(response.get_data(as_text=True))
    assert rows(html, "counted") == ["Clinique Fictive Alpha", "Refuge Fictif Beta"]
    assert rows(html, "leads") == ["Cabinet Fictif Delta", "Logis Fictif Gamma"]
    leads = Tables(html)["leads"]
    assert leads[str(world.delta.id)][1] == shown(app, "Not trained")
    assert leads[str(world.gamma.id)][1] == shown(app, "Not accepting referrals for now")
    assert "Candidat Fictif Epsilon" not in html  # not approved: neither counted nor a lead
    # Alpha's two services in the cell are both listed, the provider once.
    assert "Thérapie fictive" in html and "Hébergement fictif" in html


def test_a_zero_cell_says_none_and_lists_the_untrained_provider_as_a_lead(
    client, admin, world, app
):
    response = client.get(URL, query_string={"region": "06", "need": "need.legal"})
    html = _keyed(response.get_data(as_text=True))
    message = "No active, trained provider accepting referrals meets this need in this region."
    assert shown(app, message) in html
    assert 'id="counted"' not in html
    assert rows(html, "leads") == ["Cabinet Fictif Delta"]  # via its sub-need, lawyer


def test_a_cell_in_another_region_leaves_the_others_out(client, admin, world):
    html = _keyed(
        client.get(URL, query_string={"region": "13", "need": "need.housing"}).get_data(
            as_text=True
        )
    )
    assert rows(html, "counted") == ["Clinique Fictive Alpha"]
    assert rows(html, "leads") == []


@pytest.mark.parametrize(
    "query",
    [
        {"region": "99", "need": "need.housing"},
        {"region": "06", "need": "sector.lawyers"},  # a term, but not a need
        {"region": "06", "need": "need.nothing"},
        {"region": "06"},
        {},
    ],
)
def test_an_unknown_cell_is_not_found(client, admin, query):
    assert client.get(URL, query_string=query).status_code == 404
