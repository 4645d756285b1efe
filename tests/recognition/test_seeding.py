"""The starting levels load with the reference data, once, and leave administrators' edits alone."""

from __future__ import annotations

from sqlalchemy import select

from cote_a_cote.demo.seeding import load_reference_data
from cote_a_cote.extensions import db
from cote_a_cote.recognition.models import RecognitionLevel


def test_three_increasing_levels_load_once_and_keep_edits(reference):
    levels = db.session.scalars(select(RecognitionLevel).order_by(RecognitionLevel.rank)).all()
    assert [(lv.name_fr, lv.name_en) for lv in levels] == [
        ("Engagé", "Committed"),
        ("Allié", "Ally"),
        ("Ambassadeur", "Ambassador"),
    ]
    shares = [lv.min_trained_share for lv in levels]
    assert shares == sorted(shares) and len(set(shares)) == 3
    levels[0].min_trained_share = 40
    db.session.commit()
    load_reference_data()
    db.session.commit()
    assert db.session.scalar(select(db.func.count(RecognitionLevel.id))) == 3
    db.session.refresh(levels[0])
    assert levels[0].min_trained_share == 40


def test_demo_awards_go_to_providers_whose_data_meet_the_level(app, demo_data):
    from cote_a_cote.database import utcnow
    from cote_a_cote.demo.seeding import seed_demo
    from cote_a_cote.recognition.criteria import standings
    from cote_a_cote.recognition.models import RecognitionAward
    from cote_a_cote.training.rule import local_day

    awards = db.session.scalars(select(RecognitionAward)).all()
    assert len(awards) >= 3
    today = local_day(utcnow())
    found = standings([a.organization_id for a in awards], today)
    for award in awards:
        assert award.valid_from <= today <= award.valid_until
        assert award.organization.is_fictional
        assert found[award.organization_id].level.rank >= award.level.rank
    # Some end within 30 days, so the "ending soon" list and its notices have something to show.
    assert any((award.valid_until - today).days <= 30 for award in awards)
    public = [a.organization.recognition_public for a in awards]
    assert any(public) and not all(public)  # the partner's choice, both ways
    seed_demo(echo=lambda _line: None)
    assert db.session.scalar(select(db.func.count(RecognitionAward.id))) == len(awards)


def test_the_demo_reaches_every_level_in_a_small_region(app, demo_data):
    """Issue 17 §3: with thresholds relative to the region and confirmed engagement records, the
    demo's partners reach every starting level in a region of a few partners."""
    from collections import Counter, defaultdict

    from cote_a_cote.database import utcnow
    from cote_a_cote.recognition.criteria import partner_regions, standings
    from cote_a_cote.recognition.models import EngagementRecord, EngagementStatus
    from cote_a_cote.training.rule import local_day

    statuses = Counter(db.session.scalars(select(EngagementRecord.status)))
    assert statuses[EngagementStatus.CONFIRMED] > 0 and statuses[EngagementStatus.SUBMITTED] == 1
    regions = partner_regions()
    reached: dict[str, set] = defaultdict(set)
    partners = Counter(regions.values())
    for org_id, found in standings(None, local_day(utcnow())).items():
        if found.level is not None:
            reached[regions.get(org_id)].add(found.level.code)
    every = {"engage", "allie", "ambassadeur"}
    complete = [code for code, codes in reached.items() if codes == every]
    assert complete, dict(reached)
    assert min(partners[code] for code in complete) <= 8  # a small region among them
