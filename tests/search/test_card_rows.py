"""A page of results reads its cards as plain rows (catalogue/card_rows.py), not ORM objects:
every card, every reason to turn a person away, every place and matched need or language must be
the same as the one the models give."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import time_machine
from flask_babel import force_locale
from sqlalchemy import select

from cote_a_cote.catalogue.card_rows import load_card_rows
from cote_a_cote.catalogue.models import (
    Closure,
    OrganizationStatus,
    Schedule,
    Service,
    TaxonomyTerm,
)
from cote_a_cote.catalogue.services import service_card
from cote_a_cote.extensions import db
from cote_a_cote.search.query import SearchParams, load_services
from cote_a_cote.search.services import turned_away_reasons

# A Wednesday at 23:30 in Montréal: the overnight hours added below are open, the partial
# closure below is on, and yesterday's opening past midnight is over.
NIGHT = datetime(2026, 12, 10, 4, 30, tzinfo=UTC)


def _harder_cases() -> None:
    """What the demo catalogue has little of: hours past midnight, a closure of some hours,
    a service without English name and an organisation no longer listed."""
    services = db.session.scalars(select(Service).order_by(Service.id)).all()
    first, second, third = services[:3]
    first.schedules = [
        Schedule(weekday=3, opens_at=time(22), closes_at=time(2)),
        Schedule(weekday=3, opens_at=time(9), closes_at=time(12)),
        Schedule(weekday=2, opens_at=time(20), closes_at=time(1)),
    ]
    day = NIGHT.date() - timedelta(days=1)
    second.closures = [
        Closure(starts_on=day, ends_on=day, closed_from=time(13), closed_until=time(16)),
        Closure(starts_on=day, ends_on=day + timedelta(days=3)),
    ]
    third.name_en = None
    third.organization.status = OrganizationStatus.SUSPENDED
    db.session.commit()


def test_every_card_read_as_rows_is_the_card_of_the_model(app, demo_data):
    _harder_cases()
    ids = db.session.scalars(select(Service.id).order_by(Service.id.desc())).all()
    populations = db.session.scalars(
        select(TaxonomyTerm.code).where(TaxonomyTerm.code.like("population.%"))
    ).all()
    people = [
        SearchParams(),
        SearchParams(person_age=9, person_populations=tuple(populations)),
        SearchParams(person_age=99, person_populations=tuple(populations[::2])),
    ]
    rows = load_card_rows(list(ids) + [10**9])  # one that does not exist
    assert [row.id for row in rows] == list(ids)  # in the order asked, the missing one left out
    with app.test_request_context(), time_machine.travel(NIGHT, tick=False):
        models = load_services(list(ids))
        for locale in ("fr", "en"):
            with force_locale(locale):
                for model, row in zip(models, rows, strict=True):
                    assert service_card(row, None, locale) == service_card(model, None, locale)
                    for person in people:
                        assert turned_away_reasons(row, person, locale) == turned_away_reasons(
                            model, person, locale
                        )
                    assert [p.municipality for p in row.locations] == [
                        p.municipality for p in model.locations
                    ]
                    assert row.organization.visibility is model.organization.visibility
                    assert [t.code for t in row.terms] == [t.code for t in model.terms]
                    assert [t.keywords() for t in row.terms] == [t.keywords() for t in model.terms]
        cards = {m.id: service_card(m, None, "en") for m in models}
    first, second, third = sorted(ids)[:3]
    assert cards[first].today.is_open_now and cards[first].today.hours  # the overnight opening
    assert cards[second].closed_until is not None
    assert cards[third].is_listed is False
    assert any(card.excluded for card in cards.values())
    assert any(card.phones and card.phones[-1].is_text for card in cards.values())
    assert len({card.capacity.label for card in cards.values()}) >= 3
