"""The pages: administrators decide, partners see their own standing, the public sees opt-ins."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from cote_a_cote.catalogue.models import OrganizationKind, OrganizationStatus
from cote_a_cote.database import utcnow
from cote_a_cote.extensions import db
from cote_a_cote.recognition import services
from cote_a_cote.recognition.models import AwardStatus, RecognitionAward, RecognitionLevel
from cote_a_cote.roles import Role
from cote_a_cote.training.rule import local_day
from tests.conftest import shown


def today():
    """Pages run on the real clock."""
    return local_day(utcnow())


@pytest.fixture
def easy(level_with):
    return level_with(code="facile", rank=5)


@pytest.fixture
def admin(make_user):
    return make_user(role=Role.ADMIN)


def give(org, level, admin, days_ago=0, public=None):
    made = services.award(
        org, level, "Engagement constant", admin, today() - timedelta(days=days_ago)
    )
    if public is not None:
        org.recognition_public = public
    db.session.commit()
    return made


# --- Administrators ---------------------------------------------------------------------------


def test_admin_home_lists_levels_partners_and_expiring_awards(
    app, client, login_as, make_org, levels, easy
):
    me = login_as(Role.ADMIN)
    org = make_org(name="Clinique Aurore")
    give(org, easy, me, days_ago=350)
    html = client.get("/admin/reconnaissance").get_data(as_text=True)
    for name in ("Engagé", "Allié", "Ambassadeur", "Clinique Aurore"):
        assert name in html
    assert shown(app, "Awards ending within 30 days") in html
    section = html.split(shown(app, "Awards ending within 30 days"))[1].split("<h2")[0]
    assert "Clinique Aurore" in section


def test_admin_finds_partners_by_name_and_award(app, client, login_as, make_org, easy):
    me = login_as(Role.ADMIN)
    give(make_org(name="Clinique Aurore"), easy, me)
    make_org(name="Clinique Boréale")
    make_org(name="Taxi Fictif 100%")

    def listed(query: str) -> set[str]:
        html = client.get("/admin/reconnaissance" + query).get_data(as_text=True)
        section = html.split('id="orgs-title"')[1]
        return {n for n in ("Clinique Aurore", "Clinique Boréale", "Taxi Fictif") if n in section}

    assert listed("") == {"Clinique Aurore", "Clinique Boréale", "Taxi Fictif"}
    assert listed("?q=clinique") == {"Clinique Aurore", "Clinique Boréale"}
    assert listed("?q=100%25") == {"Taxi Fictif"}  # a % is a character, not a wildcard
    assert listed("?award=current") == {"Clinique Aurore"}
    assert listed("?q=clinique&award=none") == {"Clinique Boréale"}
    page = client.get("/admin/reconnaissance?q=zzz").get_data(as_text=True)
    assert shown(app, "No partner matches these filters.") in page
    assert 'value="zzz"' in page  # the search is kept


def test_admin_awards_renews_and_withdraws_through_the_forms(client, login_as, make_org, easy):
    login_as(Role.ADMIN)
    org = make_org(name="Taxi Solidaire")
    page = f"/admin/reconnaissance/organisations/{org.id}"
    answer = client.post(
        f"{page}/attribuer",
        data={"award-level_id": easy.id, "award-rationale": "Accueil exemplaire"},
    )
    assert answer.status_code == 302
    made = db.session.scalar(select(RecognitionAward))
    assert (made.organization_id, made.rationale) == (org.id, "Accueil exemplaire")
    html = client.get(page).get_data(as_text=True)
    assert "Accueil exemplaire" in html
    answer = client.post(
        f"/admin/reconnaissance/distinctions/{made.id}/retirer",
        data={"withdraw-reason": "Plainte fondée"},
    )
    assert answer.status_code == 302
    db.session.refresh(made)
    assert made.status is AwardStatus.WITHDRAWN
    html = client.get(page).get_data(as_text=True)
    assert "Plainte fondée" in html and "Accueil exemplaire" in html  # the history is kept


def test_admin_renews_an_award_ending_soon_through_the_form(client, login_as, make_org, easy):
    me = login_as(Role.ADMIN)
    made = give(make_org(name="Taxi Solidaire"), easy, me, days_ago=330)
    answer = client.post(
        f"/admin/reconnaissance/distinctions/{made.id}/renouveler",
        data={"renew-rationale": "Une autre année exemplaire"},
    )
    assert answer.status_code == 302
    renewal = db.session.scalar(
        select(RecognitionAward).where(RecognitionAward.renewed_from_id == made.id)
    )
    assert renewal.rationale == "Une autre année exemplaire"
    assert renewal.valid_from == made.valid_until + timedelta(days=1)  # no gap, no overlap
    assert renewal.status is AwardStatus.ACTIVE


def test_renewing_too_early_says_why(app, client, login_as, make_org, easy):
    me = login_as(Role.ADMIN)
    made = give(make_org(), easy, me)
    answer = client.post(
        f"/admin/reconnaissance/distinctions/{made.id}/renouveler",
        data={"renew-rationale": "Une autre année"},
    )
    html = answer.get_data(as_text=True)
    assert answer.status_code == 200
    assert (
        shown(app, "An award can be renewed only in the 60 days before it ends, or after.") in html
    )
    assert "Une autre année" in html
    assert db.session.scalar(select(db.func.count(RecognitionAward.id))) == 1


def test_award_form_keeps_its_values_and_asks_for_the_override(
    app, client, login_as, make_org, levels
):
    login_as(Role.ADMIN)
    org = make_org()
    answer = client.post(
        f"/admin/reconnaissance/organisations/{org.id}/attribuer",
        data={"award-level_id": levels["ambassadeur"].id, "award-rationale": "Mon avis à moi"},
    )
    html = answer.get_data(as_text=True)
    assert answer.status_code == 200
    assert (
        shown(
            app,
            "This organisation does not meet every criterion of this level. To award it anyway, "
            "tick the override and explain why in the rationale.",
        )
        in html
    )
    assert "Mon avis à moi" in html
    assert f'<option selected value="{levels["ambassadeur"].id}"' in html
    assert db.session.scalar(select(RecognitionAward.id)) is None


def test_award_without_rationale_is_refused(app, client, login_as, make_org, easy):
    login_as(Role.ADMIN)
    org = make_org()
    answer = client.post(
        f"/admin/reconnaissance/organisations/{org.id}/attribuer",
        data={"award-level_id": easy.id, "award-rationale": "  "},
    )
    assert answer.status_code == 200
    assert shown(app, "Give a rationale.") in answer.get_data(as_text=True)
    assert db.session.scalar(select(RecognitionAward.id)) is None


def test_level_form_saves_thresholds_and_keeps_values_on_error(app, client, login_as, levels):
    login_as(Role.ADMIN)
    level = levels["allie"]
    data = {
        "name_fr": "Allié",
        "name_en": "Ally",
        "rank": "20",
        "active": "y",
        "min_trained_share": "150",
        "min_average_rating": "4.5",
        "min_partner_months": "",  # a browser sends an emptied field as ""
    }
    answer = client.post(f"/admin/reconnaissance/niveaux/{level.id}", data=data)
    html = answer.get_data(as_text=True)
    assert answer.status_code == 200
    assert shown(app, "Enter a percentage from 0 to 100.") in html
    assert 'value="150"' in html and 'value="4.5"' in html
    data["min_trained_share"] = "80"
    assert client.post(f"/admin/reconnaissance/niveaux/{level.id}", data=data).status_code == 302
    db.session.refresh(level)
    assert (level.min_trained_share, level.min_average_rating) == (80, 4.5)
    assert level.min_partner_months is None  # emptied: no longer required


def test_new_level_code_must_be_unique(app, client, login_as, levels):
    login_as(Role.ADMIN)
    answer = client.post(
        "/admin/reconnaissance/niveaux/nouveau",
        data={"code": "allie", "name_fr": "Double", "name_en": "Double", "rank": "40"},
    )
    assert answer.status_code == 200
    assert shown(app, "Another level already uses this code.") in answer.get_data(as_text=True)
    answer = client.post(
        "/admin/reconnaissance/niveaux/nouveau",
        data={"code": "pilier", "name_fr": "Pilier", "name_en": "Pillar", "rank": "40"},
    )
    assert answer.status_code == 302
    assert db.session.scalar(select(RecognitionLevel).where(RecognitionLevel.code == "pilier"))


def test_admin_page_of_a_referring_organisation_is_404(client, login_as, make_org, levels):
    login_as(Role.ADMIN)
    referrer = make_org(kind=OrganizationKind.REFERRER)
    assert client.get(f"/admin/reconnaissance/organisations/{referrer.id}").status_code == 404


def test_provider_cannot_award(client, login_as, make_org, easy):
    me = login_as(Role.PROVIDER)
    answer = client.post(
        f"/admin/reconnaissance/organisations/{me.organization_id}/attribuer",
        data={"award-level_id": easy.id, "award-rationale": "Moi-même"},
    )
    assert answer.status_code == 403
    assert db.session.scalar(select(RecognitionAward.id)) is None


# --- Partners -----------------------------------------------------------------------------------


def test_partner_sees_its_standing_award_and_downloads(
    app, client, login_as, admin, staff, easy, levels
):
    me = login_as(Role.PROVIDER)
    org = me.organization
    staff(org, count=1)
    made = give(org, easy, admin)
    html = client.get("/portail/reconnaissance").get_data(as_text=True)
    assert "Niveau test" in html
    assert f"/reconnaissance/badge/{made.verification_code}.svg" in html
    assert "/portail/reconnaissance/certificat" in html
    assert f"/reconnaissance/verifier/{made.verification_code}" in html
    assert shown(app, "Share of staff trained") in html
    assert shown(app, "What remains for the level %(level)s:", level="Engagé") in html
    badge = client.get(f"/reconnaissance/badge/{made.verification_code}.svg")
    assert badge.status_code == 200 and badge.mimetype == "image/svg+xml"
    certificate = client.get("/portail/reconnaissance/certificat")
    assert certificate.status_code == 200 and certificate.data.startswith(b"%PDF")


def test_partner_never_sees_another_organisations_award(
    app, client, login_as, make_org, admin, easy
):
    other = make_org(name="Autre partenaire")
    give(other, easy, admin)
    login_as(Role.PROVIDER)
    html = client.get("/portail/reconnaissance").get_data(as_text=True)
    assert "Autre partenaire" not in html
    assert shown(app, "Your organisation holds no current recognition.") in html
    assert client.get("/portail/reconnaissance/certificat").status_code == 404


def test_partner_opts_in_and_out_of_public_recognition(client, login_as):
    me = login_as(Role.PROVIDER)
    assert (
        client.post("/portail/reconnaissance/visibilite", data={"public": "y"}).status_code == 302
    )
    db.session.refresh(me.organization)
    assert me.organization.recognition_public is True
    client.post("/portail/reconnaissance/visibilite", data={})
    db.session.refresh(me.organization)
    assert me.organization.recognition_public is False


# --- The public -------------------------------------------------------------------------------


def test_public_page_lists_only_opted_in_current_listed_partners(
    client, make_org, make_service, admin, easy, levels
):
    shown_ = make_org(name="Partenaire Visible")
    make_service(organization=shown_, regions=("06",))
    private = make_org(name="Partenaire Discret")
    expired = make_org(name="Partenaire Expiré")
    withdrawn = make_org(name="Partenaire Retiré")
    suspended = make_org(name="Partenaire Suspendu")
    make_org(name="Partenaire Sans Distinction", recognition_public=True)  # opted in, no award
    give(shown_, easy, admin, public=True)
    give(private, easy, admin, public=False)
    give(expired, easy, admin, days_ago=400, public=True)
    services.withdraw(give(withdrawn, easy, admin, public=True), "Retrait", admin)
    give(suspended, easy, admin, public=True)
    suspended.status = OrganizationStatus.SUSPENDED
    db.session.commit()
    html = client.get("/reconnaissance").get_data(as_text=True)
    assert "Partenaire Visible" in html
    for name in ("Discret", "Expiré", "Retiré", "Suspendu", "Sans Distinction"):
        assert f"Partenaire {name}" not in html
    assert "Partenaire Visible" in client.get("/reconnaissance?region=06").get_data(as_text=True)
    assert "Partenaire Visible" not in client.get("/reconnaissance?region=13").get_data(
        as_text=True
    )


def test_public_page_filters_by_sector(client, make_org, admin, easy):
    from cote_a_cote.catalogue.models import TaxonomyTerm

    lawyers = db.session.scalar(select(TaxonomyTerm).where(TaxonomyTerm.code == "sector.lawyers"))
    taxis = db.session.scalar(
        select(TaxonomyTerm).where(
            TaxonomyTerm.code.like("sector.%"), TaxonomyTerm.id != lawyers.id
        )
    )
    give(make_org(name="Cabinet Reconnu", sector_id=lawyers.id), easy, admin, public=True)
    give(make_org(name="Autre Reconnu", sector_id=taxis.id), easy, admin, public=True)
    html = client.get(f"/reconnaissance?sector={lawyers.id}").get_data(as_text=True)
    assert "Cabinet Reconnu" in html and "Autre Reconnu" not in html


def test_public_page_is_paged_and_keeps_the_filters(
    client, make_org, make_service, admin, easy, monkeypatch
):
    from cote_a_cote.recognition.public import PER_PAGE

    # The 32 partners in one transaction: each of the factories' 96 commits updated the search
    # index (the test took 3.0 s, now 1.3 s).
    with monkeypatch.context() as one_transaction:
        one_transaction.setattr(db.session, "commit", db.session.flush)
        for n in range(PER_PAGE + 2):
            org = make_org(name=f"Partenaire {n:02d}")
            make_service(organization=org, regions=("06",))
            give(org, easy, admin, public=True)
    db.session.commit()
    first = client.get("/reconnaissance?region=06").get_data(as_text=True)
    assert first.count('class="card"') == PER_PAGE
    assert "/reconnaissance?page=2&amp;region=06" in first
    second = client.get("/reconnaissance?region=06&page=2").get_data(as_text=True)
    assert second.count('class="card"') == 2
    # Past the last page: the last page.
    assert (
        client.get("/reconnaissance?region=06&page=99").get_data(as_text=True).count('class="card"')
        == 2
    )


@pytest.mark.parametrize(
    ("state", "alert"),
    [("current", "alert--success"), ("expired", "alert--warning"), ("withdrawn", "alert--error")],
)
def test_verification_page(app, client, make_org, admin, easy, state, alert):
    org = make_org(name="Boulangerie du Coin", recognition_public=False)
    made = give(org, easy, admin, days_ago=400 if state == "expired" else 0)
    if state == "withdrawn":
        services.withdraw(made, "Fermeture", admin)
        db.session.commit()
    html = client.get(f"/reconnaissance/verifier/{made.verification_code}").get_data(as_text=True)
    assert "Boulangerie du Coin" in html  # shown even without public recognition: it is proof
    assert "Niveau test" in html
    assert f'class="alert {alert}"' in html
    assert "Fermeture" not in html  # nothing else: not the reason


def test_verification_of_an_unknown_code_is_404(app, client):
    answer = client.get("/reconnaissance/verifier/pas-un-vrai-code")
    assert answer.status_code == 404
    assert shown(app, "Unknown recognition") in answer.get_data(as_text=True)


# --- The badge in the catalogue ---------------------------------------------------------------


def test_search_and_catalogue_show_the_badge_only_when_opted_in(
    app, client, make_org, make_service, admin, easy
):
    public = make_org(name="Atelier Reconnu")
    private = make_org(name="Atelier Discret")
    with db.session.no_autoflush:
        service = make_service(organization=public, name_fr="Atelier de couture solidaire")
        make_service(organization=private, name_fr="Atelier de menuiserie solidaire")
    give(public, easy, admin, public=True)
    give(private, easy, admin, public=False)
    badge = shown(app, "Recognised partner: %(level)s", level="Niveau test")
    html = client.get("/recherche?q=atelier").get_data(as_text=True)
    assert html.count(badge) == 1
    assert badge in client.get(f"/services/{service.id}").get_data(as_text=True)
    assert badge in client.get(f"/organisations/{public.id}").get_data(as_text=True)
    assert badge not in client.get(f"/organisations/{private.id}").get_data(as_text=True)


def test_withdraw_form_keeps_the_page_and_says_what_is_missing(
    app, client, login_as, make_org, easy
):
    me = login_as(Role.ADMIN)
    made = give(make_org(), easy, me)
    answer = client.post(
        f"/admin/reconnaissance/distinctions/{made.id}/retirer", data={"withdraw-reason": ""}
    )
    assert answer.status_code == 200
    assert shown(app, "Give a rationale.") in answer.get_data(as_text=True)
    db.session.refresh(made)
    assert made.status is AwardStatus.ACTIVE


def test_verification_of_a_renewal_not_yet_in_force(client, make_org, admin, easy):
    first = give(make_org(name="Garage Solidaire"), easy, admin, days_ago=330)
    renewal = services.renew(first, "Encore", admin, today())
    db.session.commit()
    html = client.get(f"/reconnaissance/verifier/{renewal.verification_code}").get_data(
        as_text=True
    )
    assert 'class="alert alert--info"' in html and "Garage Solidaire" in html


def test_public_page_links_only_to_public_profiles(client, make_org, admin, easy):
    from cote_a_cote.catalogue.models import Visibility

    discreet = make_org(name="Refuge Reconnu", visibility=Visibility.INTERVENANTES)
    give(discreet, easy, admin, public=True)
    html = client.get("/reconnaissance").get_data(as_text=True)
    assert "Refuge Reconnu" in html  # its own choice
    assert f"/organisations/{discreet.id}" not in html
