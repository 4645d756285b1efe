"""Open now follows a closure of a few hours: closed between them, open before and after."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import time_machine

from cote_a_cote.catalogue.models import Closure
from cote_a_cote.extensions import db
from cote_a_cote.search.query import Audience, SearchParams, search_services


def open_now() -> list[int]:
    return search_services(SearchParams(open_now=True, per_page=100), Audience.PUBLIC).service_ids


def test_a_closure_for_some_hours_closes_only_those_hours(reference, make_service):
    service = make_service(name_fr="Halte fictive", is_24_7=True)
    service.closures.append(
        Closure(
            starts_on=date(2025, 12, 24),
            ends_on=date(2025, 12, 24),
            closed_from=time(12, 0),
            closed_until=time(17, 0),
        )
    )
    db.session.commit()
    # Montréal is UTC-5 in December: 10:00, 13:00 and 18:00 local.
    with time_machine.travel(datetime(2025, 12, 24, 15, 0, tzinfo=UTC), tick=False):
        assert open_now() == [service.id]
    with time_machine.travel(datetime(2025, 12, 24, 18, 0, tzinfo=UTC), tick=False):
        assert open_now() == []
    with time_machine.travel(datetime(2025, 12, 24, 23, 0, tzinfo=UTC), tick=False):
        assert open_now() == [service.id]
    with time_machine.travel(datetime(2025, 12, 25, 18, 0, tzinfo=UTC), tick=False):
        assert open_now() == [service.id]
