"""Shortlists: made, filled, ordered and annotated by an intervenante, private unless shared,
entries kept (and marked unavailable) when their service leaves the catalogue."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from cote_a_cote.catalogue.models import OrganizationStatus
from cote_a_cote.database import utcnow
from cote_a_cote.extensions import db
from cote_a_cote.shortlists import services
from cote_a_cote.shortlists.models import Shortlist, ShortlistEntry
from tests.conftest import login, shown

UNAVAILABLE = (
    "Unavailable: this service is no longer listed in the catalogue. It is not printed and "
    "cannot receive a referral."
)


def _list_with(world, *service_list, owner=None):
    shortlist = services.create(owner or world.alice, "Logement et santé, Montréal")
    for service in service_list:
        services.add_service(shortlist, service)
    db.session.commit()
    return shortlist


def _positions(shortlist) -> list[int]:
    db.session.expire_all()
    return [
        e.service_id
        for e in db.session.scalars(
            select(ShortlistEntry)
            .where(ShortlistEntry.shortlist_id == shortlist.id)
            .order_by(ShortlistEntry.position)
        )
    ]


def test_an_intervenante_creates_a_list_and_adds_a_service_from_its_page(app, client, world):
    login(client, world.alice)
    service_page = client.get(f"/services/{world.service.id}").get_data(as_text=True)
    assert f'href="/listes/ajouter?service={world.service.id}"' in service_page
    response = client.post(
        f"/listes/ajouter?service={world.service.id}", data={"shortlist": "0", "name": "Dentiste"}
    )
    shortlist = db.session.scalar(select(Shortlist))
    assert response.headers["Location"] == f"/listes/{shortlist.id}"
    assert (shortlist.name, shortlist.owner_id) == ("Dentiste", world.alice.id)
    page = client.get(f"/listes/{shortlist.id}").get_data(as_text=True)
    assert "Soins dentaires solidaires" in page
    assert f'href="/references/nouvelle?service={world.service.id}"' in page  # refer from it


def test_the_same_service_twice_and_an_empty_name_are_refused(app, client, world):
    shortlist = _list_with(world, world.service)
    login(client, world.alice)
    page = client.post(
        f"/listes/ajouter?service={world.service.id}",
        data={"shortlist": str(shortlist.id)},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert shown(app, "This service is already on the list.") in page
    page = client.post("/listes/", data={"name": "   "}).get_data(as_text=True)
    assert shown(app, "Give the list a name.") in page
    page = client.post("/listes/", data={"name": "x" * 121}).get_data(as_text=True)
    assert 'value="' + "x" * 121 in page  # kept as typed, with its error
    assert db.session.scalar(select(Shortlist.id).where(Shortlist.id != shortlist.id)) is None


def test_entries_move_up_and_down(app, client, world, make_service):
    third = make_service(world.provider, name_fr="Troisième service")
    shortlist = _list_with(world, world.service, world.other_service, third)
    entries = {e.service_id: e.id for e in shortlist.entries}
    login(client, world.alice)
    base = f"/listes/{shortlist.id}/entrees"
    client.post(f"{base}/{entries[third.id]}/monter")
    assert _positions(shortlist) == [world.service.id, third.id, world.other_service.id]
    client.post(f"{base}/{entries[world.service.id]}/descendre")
    assert _positions(shortlist) == [third.id, world.service.id, world.other_service.id]
    client.post(f"{base}/{entries[third.id]}/monter")  # already first: nothing changes
    assert _positions(shortlist) == [third.id, world.service.id, world.other_service.id]
    assert client.post(f"{base}/{entries[third.id]}/ailleurs").status_code == 404


def test_a_note_is_saved_limited_and_purged_after_thirty_days(app, client, world):
    shortlist = _list_with(world, world.service)
    entry = shortlist.entries[0]
    login(client, world.alice)
    url = f"/listes/{shortlist.id}/entrees/{entry.id}/note"
    client.post(url, data={f"e{entry.id}-note": "Appeler avant 10 h"})
    db.session.refresh(entry)
    assert entry.note == "Appeler avant 10 h"
    page = client.post(url, data={f"e{entry.id}-note": "n" * 501}, follow_redirects=True)
    assert shown(app, "At most %(max)d characters.", max=500) in page.get_data(as_text=True)
    db.session.refresh(entry)
    assert entry.note == "Appeler avant 10 h"
    assert services.purge_notes(utcnow() + timedelta(days=29)) == 0
    assert services.purge_notes(utcnow() + timedelta(days=31)) == 1
    db.session.commit()
    db.session.refresh(entry)
    assert entry.note is None


def test_lists_are_private_unless_the_organisation_shares(app, client, world):
    shortlist = _list_with(world, world.service)
    login(client, world.claire)  # Alice's colleague
    assert client.get(f"/listes/{shortlist.id}").status_code == 404
    assert "Logement et santé" not in client.get("/listes/").get_data(as_text=True)
    world.referrer.share_referrals = True
    db.session.commit()
    assert client.get(f"/listes/{shortlist.id}").status_code == 200
    client.post("/deconnexion")
    login(client, world.berthe)  # another organisation
    assert client.get(f"/listes/{shortlist.id}").status_code == 404
    assert client.post(f"/listes/{shortlist.id}/supprimer").status_code == 404
    assert db.session.get(Shortlist, shortlist.id) is not None


def test_a_suspended_or_deleted_service_stays_on_the_list_as_unavailable(app, client, world):
    shortlist = _list_with(world, world.service, world.other_service)
    world.other_provider.status = OrganizationStatus.SUSPENDED
    db.session.delete(world.service)
    db.session.commit()
    login(client, world.alice)
    page = client.get(f"/listes/{shortlist.id}").get_data(as_text=True)
    assert page.count(shown(app, UNAVAILABLE)) == 2
    assert "Soins dentaires solidaires" in page and "Consultation juridique" in page
    assert "/references/nouvelle" not in page
    sheet = client.get(f"/listes/{shortlist.id}/imprimer").get_data(as_text=True)
    assert "Consultation juridique" not in sheet.split("<main>")[1]


def test_renaming_removing_and_deleting(app, client, world):
    shortlist = _list_with(world, world.service)
    entry_id = shortlist.entries[0].id
    login(client, world.alice)
    client.post(f"/listes/{shortlist.id}/renommer", data={"name": "Santé"})
    db.session.refresh(shortlist)
    assert shortlist.name == "Santé"
    client.post(f"/listes/{shortlist.id}/entrees/{entry_id}/retirer")
    assert db.session.get(ShortlistEntry, entry_id) is None
    client.post(f"/listes/{shortlist.id}/supprimer")
    db.session.expire_all()
    assert db.session.get(Shortlist, shortlist.id) is None
