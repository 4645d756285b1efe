"""Filters and facets: each filter alone and combined, and facet counts computed by hand."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest
import time_machine

from cote_a_cote.catalogue.models import Closure, Schedule
from cote_a_cote.extensions import db
from cote_a_cote.search.query import Audience, SearchParams, search_services
from tests.search.conftest import NOW, find, ids

ACCESS_CODES = (
    "access.free_or_reduced_cost",
    "access.fast_track",
    "access.mobile",
    "access.accompaniment_welcome",
    "access.open_24_7",
    "access.low_threshold",
    "access.harm_reduction",
    "access.pets_accepted",
    "access.wheelchair_access",
    "access.remote_service",
    "access.interpreter_available",
)


def facets(audience=Audience.INTERVENANTE, **filters) -> dict[str, dict[str, int]]:
    result = search_services(SearchParams(**filters), audience, with_facets=True)
    return {name: {k: v for k, v in counts.items() if v} for name, counts in result.facets.items()}


def test_region_covers_service_areas_locations_and_province_wide_services(catalogue):
    # Montréal: the lawyer (area and place), the helpline (area), the interpreters (province-wide).
    assert set(find(regions=["06"])) == set(ids(catalogue, "lawyer", "helpline", "interpreting"))
    assert find(regions=["QC"]) == ids(catalogue, "interpreting")


def test_region_from_location_alone(add_service, catalogue):
    located = add_service(
        name_fr="Bureau lavallois",
        regions=("06",),
        location={"municipality": "Laval", "region_code": "13"},
    )
    assert set(find(regions=["13"])) == {located.id, *ids(catalogue, "housing", "interpreting")}


def test_regions_combine_with_or(catalogue):
    assert set(find(regions=["05", "01"])) == set(
        ids(catalogue, "therapy", "dental", "interpreting")
    )


def test_need_includes_its_sub_needs(catalogue):
    assert set(find(needs=["need.legal"])) == set(ids(catalogue, "lawyer", "court"))
    assert find(needs=["need.legal.lawyer"]) == ids(catalogue, "lawyer")


def test_sector_comes_from_the_organisation(catalogue):
    assert set(find(sectors=["sector.lawyers"])) == set(ids(catalogue, "lawyer", "court"))


def test_language_population_and_exploitation(catalogue):
    assert find(languages=["es"]) == ids(catalogue, "lawyer")
    assert set(find(languages=["en"])) == set(ids(catalogue, "therapy", "interpreting"))
    assert set(find(populations=["population.women"])) == set(ids(catalogue, "lawyer", "shelter"))
    assert set(find(exploitation=["exploitation.sexual"])) == set(
        ids(catalogue, "court", "shelter")
    )


@pytest.mark.parametrize("code", ACCESS_CODES)
def test_each_access_feature_filters(add_service, code):
    services = {c: add_service(name_fr=f"Service {c}", terms=(c,)) for c in ACCESS_CODES}
    assert find(access=[code]) == [services[code].id]


def test_access_features_follow_the_24_7_and_remote_columns(add_service):
    always = add_service(name_fr="Toujours ouvert", is_24_7=True)
    remote = add_service(name_fr="À distance", is_remote=True)
    assert find(access=["access.open_24_7"]) == [always.id]
    assert find(access=["access.remote_service"]) == [remote.id]


def test_accepting_and_trained(catalogue):
    accepting = ids(
        catalogue, "lawyer", "interpreting", "housing", "therapy", "shelter", "helpline"
    )
    assert set(find(accepting_only=True)) == set(accepting)
    assert set(find(trained_only=True)) == set(ids(catalogue, "lawyer", "court", "therapy"))


def test_open_now_uses_local_time_24_7_and_closures(catalogue):
    # Wednesday 11:00 in Montréal: the therapist is in; the dentist would be, but is closed today.
    with time_machine.travel(NOW, tick=False):
        assert set(find(open_now=True)) == set(ids(catalogue, "therapy", "shelter"))
    # Thursday 13:00 local (17:00 UTC): the therapist closed at noon.
    with time_machine.travel(datetime(2025, 3, 13, 17, 0, tzinfo=UTC), tick=False):
        assert find(open_now=True) == ids(catalogue, "shelter")


def test_open_now_across_midnight(add_service):
    late = add_service(name_fr="Halte de nuit")
    late.schedules = [Schedule(weekday=5, opens_at=time(22, 0), closes_at=time(2, 0))]
    db.session.commit()
    # Saturday 01:30 in Montréal (EDT) is 05:30 UTC: still Friday night's opening.
    with time_machine.travel(datetime(2025, 3, 15, 5, 30, tzinfo=UTC), tick=False):
        assert find(open_now=True) == [late.id]
    with time_machine.travel(datetime(2025, 3, 15, 8, 0, tzinfo=UTC), tick=False):
        assert find(open_now=True) == []


def test_open_now_with_a_closure_for_some_hours(add_service):
    # Open all Wednesday; closed from 12:00 to 14:00 on that Wednesday and the next day only.
    clinic = add_service(name_fr="Clinique du midi")
    clinic.schedules = [Schedule(weekday=3, opens_at=time(9, 0), closes_at=time(17, 0))]
    clinic.closures = [
        Closure(
            starts_on=date(2025, 3, 12),
            ends_on=date(2025, 3, 13),
            closed_from=time(12, 0),
            closed_until=time(14, 0),
        )
    ]
    db.session.commit()
    local = {"11:00": 15, "12:30": 16, "13:59": 17, "14:00": 18, "16:30": 20}  # EDT = UTC-4
    open_at = {}
    for label, utc_hour in local.items():
        minute = 59 if label == "13:59" else 30 if label.endswith(":30") else 0
        moment = datetime(2025, 3, 12, utc_hour, minute, tzinfo=UTC)
        with time_machine.travel(moment, tick=False):
            open_at[label] = find(open_now=True) == [clinic.id]
    assert open_at == {"11:00": True, "12:30": False, "13:59": False, "14:00": True, "16:30": True}
    # The next Wednesday, after the closure: open over lunch.
    with time_machine.travel(datetime(2025, 3, 19, 16, 30, tzinfo=UTC), tick=False):
        assert find(open_now=True) == [clinic.id]


def test_filters_combine_with_and_and_with_text(catalogue):
    assert find(needs=["need.legal"], languages=["es"]) == ids(catalogue, "lawyer")
    assert find("immigration", regions=["03"]) == []
    assert find("accompagnement", regions=["03"]) == ids(catalogue, "court")


def test_organisation_term_and_modified_filters(catalogue):
    legal = catalogue["lawyer"].organization_id
    assert set(find(organization_id=legal)) == set(ids(catalogue, "lawyer", "court"))
    dental_term = next(t.id for t in catalogue["dental"].terms)
    assert find(taxonomy_term_ids=[dental_term]) == ids(catalogue, "dental")
    assert find(modified_after=datetime(2999, 1, 1, tzinfo=UTC)) == []
    assert len(find(modified_after=datetime(2000, 1, 1, tzinfo=UTC))) == 8


def test_facet_counts_for_everything(catalogue):
    with time_machine.travel(NOW, tick=False):
        counts = facets()
    assert counts["regions"] == {"01": 2, "03": 2, "05": 2, "06": 3, "13": 2, "16": 2, "QC": 1}
    assert counts["needs"] == {
        "need.legal": 2,
        "need.legal.lawyer": 1,
        "need.legal.immigration": 1,
        "need.legal.court_accompaniment": 1,
        "need.interpreting": 1,
        "need.housing": 1,
        "need.mental_health": 1,
        "need.mental_health.psychotherapy": 1,
        "need.safety_shelter": 1,
        "need.physical_health": 1,
        "need.physical_health.dental": 1,
        "need.peer_support": 1,
    }
    assert counts["sectors"] == {"sector.lawyers": 2, "sector.translation": 1}
    assert counts["languages"] == {"fr": 7, "en": 2, "es": 1, "ar": 1}
    assert counts["populations"] == {"population.women": 2, "population.youth_18_24": 1}
    assert counts["exploitation"] == {"exploitation.sexual": 2}
    assert counts["access"] == {
        "access.interpreter_available": 1,
        "access.remote_service": 2,
        "access.free_or_reduced_cost": 1,
        "access.fast_track": 1,
        "access.open_24_7": 1,
        "access.wheelchair_access": 1,
    }
    assert counts["options"] == {"accepting_only": 6, "trained_only": 3, "open_now": 2}


def test_facet_counts_follow_the_query_and_the_other_filters(catalogue):
    counts = facets(needs=["need.legal"])
    # The need group ignores its own choice, so another need can be added with a true count...
    assert counts["needs"]["need.housing"] == 1
    # ...every other group counts only within legal needs.
    assert counts["languages"] == {"fr": 2, "es": 1}
    assert counts["regions"] == {"06": 1, "03": 1}
    assert counts["options"] == {"accepting_only": 1, "trained_only": 2}
    counts = facets(q="avocate", regions=["06"])
    assert counts["needs"] == {
        "need.legal": 1,
        "need.legal.lawyer": 1,
        "need.legal.immigration": 1,
    }
    assert counts["regions"] == {"03": 1, "06": 1}


def test_facet_counts_under_a_filter_without_facet_count_only_what_it_admits(catalogue):
    # "Accepting" and "trained" have no facet of their own: a service they refuse is counted for
    # no value of any facet, and each count is what ticking that value would find.
    for option in ("accepting_only", "trained_only"):
        counts = facets(**{option: True})
        for name in ("needs", "languages", "regions", "access"):
            for value, number in counts[name].items():
                found = find(**{option: True, name: [value]})
                assert number == len(found), (option, name, value, number, found)
    counts = facets(trained_only=True)
    assert counts["languages"] == {"fr": 3, "en": 1, "es": 1}
    assert counts["options"]["accepting_only"] == 2  # among the trained ones
    assert len(find(trained_only=True, accepting_only=True)) == 2
    assert counts["options"]["trained_only"] == 3  # not limited by itself


@pytest.mark.parametrize(
    "chosen",
    [
        {"needs": ["need.legal"], "languages": ["fr"]},
        {"regions": ["06"], "languages": ["fr"], "needs": ["need.housing"]},  # finds nothing
    ],
)
def test_facet_counts_under_two_facet_filters_are_what_ticking_finds(catalogue, chosen):
    # A service refused by one facet's filter counts for that facet's values only (on
    # PostgreSQL, only that facet's run of its codes is read); each count is what ticking
    # that value, with the other choices kept, would find.
    counts = facets(**chosen)
    for name in ("needs", "languages", "regions", "access", "sectors", "populations"):
        for value, number in counts[name].items():
            found = find(**{**chosen, name: [value]})
            assert number == len(found), (name, value, number, found)
    assert any(counts[name] for name in chosen)


@pytest.mark.parametrize("audience", [Audience.INTERVENANTE, Audience.PUBLIC])
@pytest.mark.parametrize(
    "chosen",
    [
        {"needs": ["need.legal"]},
        {"regions": ["06"]},
        {"regions": ["HQ"]},  # outside Québec: province-wide services are refused, yet counted
        {"languages": ["es"]},
        {"access": ["access.open_24_7"]},
        {"needs": ["need.pets"]},  # finds nothing
    ],
)
def test_facet_counts_under_one_facet_filter_alone_are_what_ticking_finds(
    catalogue, chosen, audience
):
    # Browsing by one facet, no words: a value of that facet counts every service the audience
    # sees that has it (on PostgreSQL, counted over the process's sets of what each audience
    # sees, the matched rows holding only the services chosen); a value of another facet,
    # what adding it finds.
    [(facet, values)] = chosen.items()
    result = search_services(SearchParams(**chosen), audience, with_facets=True)
    for name in ("needs", "languages", "regions", "access", "sectors", "populations"):
        for value, number in result.facets[name].items():
            ticked = {**chosen, name: [value]} if name != facet else {name: [value]}
            found = find(audience=audience, **ticked)
            assert number == len(found), (name, value, number, found)
    assert result.facets[facet][values[0]] == result.total
    # Its own values count as if nothing were chosen.
    unfiltered = search_services(SearchParams(), audience, with_facets=True)
    assert _nonzero(result.facets[facet]) == _nonzero(unfiltered.facets[facet])
    if values == ["need.pets"]:
        assert result.total == 0  # so the widening below is checked
    if result.total == 0:
        drop = {(w.kind, w.value): w.count for w in result.widenings}[("drop", facet)]
        assert drop == unfiltered.total


def _nonzero(counts: dict[str, int]) -> dict[str, int]:
    return {value: number for value, number in counts.items() if number}


def test_public_facets_never_count_intervenante_only_services(catalogue):
    counts = facets(Audience.PUBLIC)
    assert "need.safety_shelter" not in counts["needs"]
    assert counts["languages"]["fr"] == 6
