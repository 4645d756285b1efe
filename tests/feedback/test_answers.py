"""The person's answer at /avis: recorded once, by a code posted in the form, neutral refusals.

Every test reads what the person sees (the page) and what the database holds.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from cote_a_cote.database import utcnow
from cote_a_cote.extensions import db
from cote_a_cote.feedback import services
from cote_a_cote.feedback.models import PersonFeedback
from cote_a_cote.referrals.models import ReferralStatus
from tests.conftest import shown, without_csrf_tokens
from tests.referrals.conftest import referral_in

RATINGS = {"respect": "5", "no_judgement": "4", "confidentiality": "5", "felt_safe": "3"}
NEUTRAL = (
    "No answer can be recorded with this code. Check the code on your sheet: an answer is "
    "possible once the appointment or service is over, for a few weeks."
)


def answer(client, code, **extra):
    return client.post("/avis", data={"code": code, **RATINGS, **extra})


def count() -> int:
    return db.session.scalar(select(func.count(PersonFeedback.id)))


def test_the_form_asks_for_the_code_and_four_ratings_without_naming_the_platform(app, client):
    page = client.get("/avis").get_data(as_text=True)
    assert 'action="/avis"' in page and 'method="post"' in page
    for name in ("code", "respect", "no_judgement", "confidentiality", "felt_safe", "comment"):
        assert f'name="{name}"' in page
    assert shown(app, "Safety: did you feel safe?") in page
    assert "Côte-à-Côte" not in page
    assert "<script>" not in page  # works without JavaScript: only the quick-exit file
    assert client.get("/avis").headers["Cache-Control"] == "no-store"


def test_a_completed_referral_receives_one_answer(app, client, world):
    referral = referral_in(world, ReferralStatus.COMPLETED)
    db.session.commit()
    response = answer(client, referral.code.lower().replace("-", " "), comment="Accueil chaleureux")
    assert response.status_code == 200
    assert shown(
        app, "Your answer is recorded. It helps make sure every person is welcomed well."
    ) in (response.get_data(as_text=True))
    saved = db.session.scalar(select(PersonFeedback))
    assert (saved.referral_id, saved.provider_organization_id) == (referral.id, world.provider.id)
    assert (saved.respect, saved.no_judgement, saved.confidentiality, saved.felt_safe) == (
        5,
        4,
        5,
        3,
    )
    assert saved.comment == "Accueil chaleureux"


def test_a_second_answer_is_refused_clearly(app, client, world):
    referral = referral_in(world, ReferralStatus.NOT_COMPLETED)
    db.session.commit()
    answer(client, referral.code)
    again = answer(client, referral.code).get_data(as_text=True)
    assert (
        shown(app, "An answer was already given for this code. Thank you: only one answer is kept.")
        in again
    )
    assert count() == 1


@pytest.mark.parametrize(
    "case", ["unknown", "malformed", "open", "draft", "purged", "withdrawn_draft"]
)
def test_codes_that_cannot_be_answered_all_get_the_same_page(app, client, world, case):
    """No probing: an unknown code and a real but unanswerable one read exactly alike."""
    statuses = {
        "open": ReferralStatus.ACCEPTED,
        "draft": ReferralStatus.DRAFT,
        "purged": ReferralStatus.COMPLETED,
        "withdrawn_draft": ReferralStatus.WITHDRAWN,
    }
    code = {"unknown": "ZZZZ-ZZZZ", "malformed": "not a code at all"}.get(case)
    if code is None:
        referral = referral_in(world, statuses[case])
        if case == "purged":
            referral.purged_at = utcnow()
        if case == "withdrawn_draft":
            referral.sent_at = None  # withdrawn before it was ever sent
        db.session.commit()
        code = referral.code
    reference = without_csrf_tokens(answer(client, "ZZZZ-ZZZ2").get_data(as_text=True))
    page = answer(client, code)
    assert page.status_code == 200
    text = without_csrf_tokens(page.get_data(as_text=True))
    assert shown(app, NEUTRAL) in text
    # The same page, apart from the code echoed back in its field.
    assert text.replace(code, "CODE") == reference.replace("ZZZZ-ZZZ2", "CODE")
    assert count() == 0


def test_missing_ratings_and_a_long_comment_are_refused_and_the_text_is_kept(app, client, world):
    referral = referral_in(world, ReferralStatus.COMPLETED)
    db.session.commit()
    page = client.post(
        "/avis", data={"code": referral.code, "respect": "4", "comment": "é" * 501}
    ).get_data(as_text=True)
    assert shown(app, "Please choose an answer on the scale.") in page
    assert shown(app, "Please keep the comment to %(max)d characters.", max=500) in page
    assert "é" * 501 in page  # what was typed is still there
    assert referral.code in page
    assert count() == 0


@pytest.mark.parametrize("bad", ["0", "6", "99999999999999999999", "cinq"])
def test_a_rating_off_the_scale_is_refused(app, client, world, bad):
    referral = referral_in(world, ReferralStatus.COMPLETED)
    db.session.commit()
    response = answer(client, referral.code, respect=bad)
    assert response.status_code == 200
    assert count() == 0


def test_control_characters_and_an_over_long_code_never_break_the_page(app, client, world):
    referral = referral_in(world, ReferralStatus.COMPLETED)
    db.session.commit()
    assert answer(client, "A" * 5000).status_code == 200
    response = answer(client, referral.code, comment="Merci\x00 pour tout")
    assert response.status_code == 200
    assert db.session.scalar(select(PersonFeedback.comment)) == "Merci pour tout"


def test_the_code_in_the_address_is_ignored(client, world):
    referral = referral_in(world, ReferralStatus.COMPLETED)
    db.session.commit()
    page = client.get(f"/avis?code={referral.code}").get_data(as_text=True)
    assert referral.code not in page
    client.post(f"/avis?code={referral.code}", data=RATINGS)
    assert count() == 0


def test_comments_are_purged_after_thirty_days_and_ratings_stay(app, world):
    old = referral_in(world, ReferralStatus.COMPLETED)
    recent = referral_in(world, ReferralStatus.COMPLETED)
    db.session.commit()
    now = utcnow()
    ratings = {k: int(v) for k, v in RATINGS.items()}
    services.record_answer(old.code, ratings, "Ancien", now=now - timedelta(days=31))
    services.record_answer(recent.code, ratings, "Récent", now=now - timedelta(days=29))
    db.session.commit()
    assert services.purge_comments(now) == 1
    db.session.commit()
    rows = {r.referral_id: r for r in db.session.scalars(select(PersonFeedback))}
    assert rows[old.id].comment is None and rows[old.id].comment_purged_at is not None
    assert rows[old.id].respect == 5
    assert rows[recent.id].comment == "Récent"


def test_the_daily_purge_erases_old_comments(app, world):
    from cote_a_cote.daily import run_daily

    referral = referral_in(world, ReferralStatus.COMPLETED)
    db.session.commit()
    ratings = {k: int(v) for k, v in RATINGS.items()}
    services.record_answer(referral.code, ratings, "À effacer", now=utcnow() - timedelta(days=40))
    db.session.commit()
    with app.test_request_context():
        assert run_daily(utcnow(), lambda line: None)
    assert db.session.scalar(select(PersonFeedback.comment)) is None


def test_the_handout_invites_the_person_to_give_their_opinion(app, client, world):
    from tests.conftest import login

    referral = referral_in(world, ReferralStatus.ACCEPTED)
    db.session.commit()
    login(client, world.alice)
    page = client.get(f"/references/{referral.id}/fiche").get_data(as_text=True)
    assert "127.0.0.1:5000/avis" in page
    assert referral.code in page


def test_a_refused_code_is_named_on_its_field_with_the_ratings_kept(app, client):
    page = answer(client, "ZZZZ-ZZZ2", comment="Accueil chaleureux").get_data(as_text=True)
    message = shown(app, NEUTRAL)
    assert f'<a href="#code">{message}</a>' in page  # the error summary links to the field
    assert f'<p class="field__error" id="code-error">{message}</p>' in page
    assert 'aria-invalid="true" class="field__input" id="code"' in page
    assert "Accueil chaleureux" in page and 'value="ZZZZ-ZZZ2"' in page
    assert count() == 0
