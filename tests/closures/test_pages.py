"""The closures page of the portal, and what search, the service page and the API show at once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from cote_a_cote.catalogue.hsds import record_id
from cote_a_cote.catalogue.models import CapacityStatus, Closure
from cote_a_cote.extensions import db
from cote_a_cote.portal.closure_services import today
from cote_a_cote.search.query import Audience, SearchParams, search_services
from tests.conftest import login


def _day(offset: int) -> str:
    return (today() + timedelta(days=offset)).isoformat()


@pytest.fixture
def provider(app, world, client):
    login(client, world.paul)
    return world.paul


def test_a_closure_from_the_portal_closes_the_service_everywhere(app, world, client, provider):
    world.service.is_24_7 = True
    db.session.commit()
    params = SearchParams(open_now=True, per_page=100)
    assert world.service.id in search_services(params, Audience.INTERVENANTE).service_ids
    response = client.post(
        f"/portail/services/{world.service.id}/fermetures",
        data={"starts_on": _day(0), "ends_on": _day(3), "reason": "Inventaire annuel"},
    )
    assert response.status_code == 302
    # Search (open now) no longer finds it, the service page says it is closed, the API lists it.
    assert world.service.id not in search_services(params, Audience.INTERVENANTE).service_ids
    page = client.get(f"/services/{world.service.id}").get_data(as_text=True)
    assert "Fermé aujourd’hui" in page or "Fermé aujourd'hui" in page
    body = client.get(f"/api/hsds/services/{record_id(world.service)}").get_json()
    assert [c["starts_on"] for c in body["quebec_profile"]["closures"]] == [_day(0)]
    assert "Inventaire annuel" not in str(body)


def test_the_reason_is_shown_to_intervenantes_only(app, world, client):
    world.service.closures.append(
        Closure(starts_on=today(), ends_on=today() + timedelta(days=2), reason="Dégât d'eau")
    )
    db.session.commit()
    url = f"/services/{world.service.id}"
    assert "Dégât d" not in client.get(url).get_data(as_text=True)
    login(client, world.alice)
    assert "Dégât d" in client.get(url).get_data(as_text=True)


def test_errors_are_translated_and_keep_what_was_typed(app, world, client, provider):
    response = client.post(
        f"/portail/services/{world.service.id}/fermetures",
        data={"starts_on": _day(5), "ends_on": _day(2), "reason": "Rénovations du local"},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Le dernier jour ne peut pas précéder le premier jour." in html
    assert _day(5) in html and "Rénovations du local" in html
    assert db.session.scalars(select(Closure)).all() == []


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"starts_on": "0001-01-01", "ends_on": "0001-01-02"},
            "Entrez une date à partir du 1 janv. 2000.",
        ),
        ({"starts_on": "99999-01-01", "ends_on": "2025-01-01"}, "Entrez une date (AAAA-MM-JJ)."),
        ({"reason": "x" * 301}, "Gardez la raison sous 300 caractères."),
        ({"reason": "a\x00b"}, "Retirez les caractères de contrôle invisibles de ce texte."),
        ({"closed_from": "12:00"}, "Indiquez les deux heures"),
    ],
)
def test_bad_input_never_breaks_the_page(app, world, client, provider, data, message):
    values = {"starts_on": _day(1), "ends_on": _day(2), **data}
    response = client.post(f"/portail/services/{world.service.id}/fermetures", data=values)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert db.session.scalars(select(Closure)).all() == []


def test_overlapping_closures_are_refused(app, world, client, provider):
    url = f"/portail/services/{world.service.id}/fermetures"
    assert client.post(url, data={"starts_on": _day(1), "ends_on": _day(5)}).status_code == 302
    html = client.post(url, data={"starts_on": _day(4), "ends_on": _day(8)}).get_data(as_text=True)
    assert "chevauche" in html
    assert len(db.session.scalars(select(Closure)).all()) == 1


def test_change_and_remove_a_closure(app, world, client, provider):
    url = f"/portail/services/{world.service.id}/fermetures"
    client.post(url, data={"starts_on": _day(1), "ends_on": _day(2)})
    closure = db.session.scalars(select(Closure)).one()
    assert client.get(f"{url}/{closure.id}").status_code == 200
    response = client.post(
        f"{url}/{closure.id}",
        data={
            "starts_on": _day(1),
            "ends_on": _day(2),
            "closed_from": "12:00",
            "closed_until": "17:00",
        },
    )
    assert response.status_code == 302
    db.session.refresh(closure)
    assert (closure.closed_from.hour, closure.closed_until.hour) == (12, 17)
    body = client.get(f"/api/hsds/services/{record_id(world.service)}").get_json()
    [shown] = body["quebec_profile"]["closures"]
    assert (shown["closed_from"], shown["closed_until"]) == ("12:00", "17:00")
    assert client.post(f"{url}/{closure.id}/supprimer").status_code == 302
    assert db.session.scalars(select(Closure)).all() == []


def test_a_pause_from_the_portal_is_shown_on_the_service_page(app, world, client, provider):
    response = client.post(
        f"/portail/services/{world.service.id}/pause",
        data={
            "pause-starts_on": _day(0),
            "pause-ends_on": _day(10),
            "pause-message_fr": "De retour bientôt",
        },
    )
    assert response.status_code == 302
    db.session.refresh(world.service)
    assert world.service.capacity is CapacityStatus.PAUSED
    page = client.get(f"/services/{world.service.id}").get_data(as_text=True)
    assert "De retour bientôt" in page and "Aucune nouvelle référence" in page
    assert client.post(f"/portail/services/{world.service.id}/pause/retirer").status_code == 302
    db.session.refresh(world.service)
    assert world.service.capacity is CapacityStatus.ACCEPTING


def test_a_pause_without_message_keeps_the_dates_typed(app, world, client, provider):
    response = client.post(
        f"/portail/services/{world.service.id}/pause",
        data={"pause-starts_on": _day(2), "pause-ends_on": _day(4), "pause-message_fr": ""},
    )
    html = response.get_data(as_text=True)
    assert "Écrivez le message affiché pendant la pause." in html
    assert _day(4) in html


def test_another_organisations_service_answers_404(app, world, client, provider):
    other = world.other_service
    assert client.get(f"/portail/services/{other.id}/fermetures").status_code == 404
    response = client.post(
        f"/portail/services/{other.id}/fermetures", data={"starts_on": _day(1), "ends_on": _day(2)}
    )
    assert response.status_code == 404
    assert db.session.scalars(select(Closure)).all() == []


def test_the_closures_page_passes_the_accessibility_audit(app, world, client, provider):
    from tests.test_accessibility import PageAudit

    world.service.closures.append(Closure(starts_on=today(), ends_on=today(), reason="Inventaire"))
    db.session.commit()
    response = client.get(f"/portail/services/{world.service.id}/fermetures")
    audit = PageAudit()
    audit.feed(response.get_data(as_text=True))
    assert audit.unlabelled() == [] and audit.headings.count(1) == 1
    skips = [(a, b) for a, b in zip(audit.headings, audit.headings[1:], strict=False) if b > a + 1]
    assert skips == []
    html = response.get_data(as_text=True)
    assert html.count('id="starts_on"') == 1 and html.count('id="pause-starts_on"') == 1
