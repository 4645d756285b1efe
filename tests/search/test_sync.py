"""Keeping the index true: every committed change is searchable right after the commit."""

from __future__ import annotations

from sqlalchemy import func, select, update

from cote_a_cote.catalogue.models import (
    CapacityStatus,
    Location,
    OrganizationStatus,
    Service,
    ServiceArea,
    ServiceLanguage,
    TaxonomyTerm,
    Visibility,
)
from cote_a_cote.extensions import db
from cote_a_cote.search.models import SearchOutbox
from cote_a_cote.search.query import Audience
from cote_a_cote.search.sync import enqueue
from tests.search.conftest import MONTREAL, QUEBEC, find, ids, term


def outbox_size() -> int:
    return db.session.scalar(select(func.count(SearchOutbox.id)))


def test_create_update_delete_service(add_service):
    service = add_service(name_fr="Atelier de menuiserie")
    assert find("menuiserie") == [service.id]
    service.name_fr = "Atelier de poterie"
    db.session.commit()
    assert find("menuiserie") == []
    assert find("poterie") == [service.id]
    db.session.delete(service)
    db.session.commit()
    assert find("poterie") == []
    assert outbox_size() == 0


def test_outbox_rows_are_part_of_the_transaction(add_service):
    service = add_service(name_fr="Atelier de vélo")
    service.name_fr = "Atelier de ski"
    db.session.flush()
    assert outbox_size() == 1  # written with the change, not yet applied
    db.session.rollback()
    assert outbox_size() == 0
    assert find("vélo") == [service.id]
    assert find("ski") == []


def test_suspending_an_organisation_removes_its_services(catalogue):
    org = catalogue["lawyer"].organization
    org.status = OrganizationStatus.SUSPENDED
    db.session.commit()
    assert find("avocate") == []
    assert find(needs=["need.legal"]) == []
    org.status = OrganizationStatus.APPROVED
    db.session.commit()
    assert set(find(needs=["need.legal"])) == set(ids(catalogue, "lawyer", "court"))


def test_visibility_and_training_changes(catalogue):
    org = catalogue["housing"].organization
    org.visibility = Visibility.INTERVENANTES
    org.is_trained = True
    db.session.commit()
    assert find("logement", Audience.PUBLIC) == []
    assert catalogue["housing"].id in find(trained_only=True)


def test_deleting_an_organisation_removes_its_services(catalogue):
    db.session.delete(catalogue["housing"].organization)
    db.session.commit()
    assert find("logement") == []


def test_moving_a_location(catalogue):
    place = catalogue["housing"].locations[0]
    assert catalogue["housing"].id in find(near=MONTREAL, radius_km=25)
    place.latitude, place.longitude, place.municipality = QUEBEC[0], QUEBEC[1], "Lévis"
    db.session.commit()
    assert catalogue["housing"].id not in find(near=MONTREAL, radius_km=25)
    assert catalogue["housing"].id in find(near=QUEBEC, radius_km=5)
    assert find("lévis") == ids(catalogue, "housing")


def test_deleting_a_location(catalogue):
    assert catalogue["housing"].id in find(near=MONTREAL, radius_km=25)
    db.session.delete(db.session.get(Location, catalogue["housing"].locations[0].id))
    db.session.commit()
    assert catalogue["housing"].id not in find(near=MONTREAL, radius_km=25)


def test_taxonomy_label_change_reaches_every_tagged_service(catalogue):
    # Labels alone: keywords (test_synonyms.py) say "lawyer" and "counselling" too.
    for taxonomy_term in db.session.scalars(select(TaxonomyTerm)):
        taxonomy_term.keywords_fr = taxonomy_term.keywords_en = ""
    db.session.commit()
    assert set(find("lawyer")) == set(ids(catalogue, "lawyer", "court"))
    term("need.legal.lawyer").name_en = "Counsel"
    term("sector.lawyers").name_en = "Attorneys"  # a sector label reaches the whole organisation
    db.session.commit()
    assert find("lawyer") == []
    assert find("counsel") == ids(catalogue, "lawyer")
    assert set(find("attorney")) == set(ids(catalogue, "lawyer", "court"))


def test_service_details_changes(catalogue):
    service = catalogue["housing"]
    service.languages.append(ServiceLanguage(code="es"))
    service.areas.append(ServiceArea(region_code="04"))
    service.capacity = CapacityStatus.PAUSED
    db.session.commit()
    assert set(find(languages=["es"])) == set(ids(catalogue, "lawyer", "housing"))
    assert catalogue["housing"].id in find(regions=["04"])
    assert catalogue["housing"].id not in find(accepting_only=True)
    service.terms = [term("need.storage")]
    db.session.commit()
    assert find(needs=["need.storage"]) == ids(catalogue, "housing")
    assert find(needs=["need.housing"]) == []


def test_changes_made_with_bulk_sql_are_announced_with_enqueue(catalogue):
    service_id = catalogue["housing"].id
    db.session.execute(update(Service).where(Service.id == service_id).values(name_fr="Toit"))
    enqueue(db.session, [service_id])
    db.session.commit()
    assert find("toit") == [service_id]


def test_no_search_work_for_unrelated_commits(catalogue, make_user):
    make_user()
    assert outbox_size() == 0


def test_a_change_committed_while_another_writer_finishes_is_not_lost(
    app, add_service, monkeypatch
):
    """The race the outbox design closes: the writer has found the outbox empty and still holds
    the lock when another commit arrives; that committer cannot take the lock and leaves. The
    writer must see the new row once it has released the lock."""
    import threading

    from cote_a_cote.search import sync

    service = add_service(name_fr="Atelier de tricot")
    finished_last_check, may_release = threading.Event(), threading.Event()
    real = sync._drain_locked

    def pause_before_release(state):
        applied = real(state)
        finished_last_check.set()
        may_release.wait(timeout=120)
        return applied

    def other_writer():
        with app.app_context():
            sync.drain()

    monkeypatch.setattr(sync, "_drain_locked", pause_before_release)
    thread = threading.Thread(target=other_writer)
    thread.start()
    assert finished_last_check.wait(timeout=120)
    monkeypatch.setattr(sync, "_drain_locked", real)
    service.name_fr = "Atelier de crochet"
    db.session.commit()  # its own drain finds the lock taken and leaves the row
    assert outbox_size() == 1
    may_release.set()
    thread.join(timeout=120)
    assert outbox_size() == 0
    assert find("crochet") == [service.id]
