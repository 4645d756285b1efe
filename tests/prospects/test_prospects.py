"""Partner recruitment: suggestions, the coordinators' list, the invitation and the application."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from cote_a_cote.audit.models import AuditEvent
from cote_a_cote.catalogue.models import Organization
from cote_a_cote.extensions import db
from cote_a_cote.mail import outbox
from cote_a_cote.prospects.models import TRANSITIONS, Prospect, ProspectStatus
from cote_a_cote.roles import Role
from tests.portal.test_application import application

S = ProspectStatus
SUGGEST = "/prospects/suggerer"


def suggestion(**changes) -> dict:
    data = {
        "name": "Clinique dentaire Sourire (fictive)",
        "sector": "sector.medical_clinics",
        "region": "11",
        "why": "Accueil sans jugement, tarifs réduits",
        "knows_someone": "y",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def prospect(reference, make_user) -> Prospect:
    someone = make_user(role=Role.INTERVENANTE)
    db.session.add(
        Prospect(
            name="Taxi Fictif", region_code="06", why="Toujours là", suggested_by_id=someone.id
        )
    )
    db.session.commit()
    return db.session.scalars(select(Prospect)).one()


def test_an_intervenante_suggests_a_business(client, reference, login_as):
    me = login_as(Role.INTERVENANTE)
    page = client.get(SUGGEST).get_data(as_text=True)
    assert "Suggérer un partenaire" in page and "ni nom, ni histoire" in page
    response = client.post(SUGGEST, data=suggestion())
    assert response.status_code == 302
    prospect = db.session.scalars(select(Prospect)).one()
    assert prospect.name == "Clinique dentaire Sourire (fictive)"
    assert (prospect.sector.code, prospect.region_code) == ("sector.medical_clinics", "11")
    assert prospect.knows_someone is True and prospect.suggested_by_id == me.id
    assert prospect.status is S.SUGGESTED
    audit = db.session.scalars(
        select(AuditEvent.action).where(AuditEvent.object_type == "prospect")
    )
    assert list(audit) == ["prospect.suggest"]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"name": ""}, "Indiquez son nom."),
        ({"sector": "sector.nope"}, "un choix valide"),
        ({"region": ""}, "Choisissez une région."),
        ({"why": "x" * 1001}, "Gardez le texte sous 1000 caractères."),
        ({"why": "a\x00b"}, "Retirez les caractères de contrôle invisibles de ce texte."),
    ],
)
def test_bad_suggestions_are_refused_keeping_what_was_typed(
    client, reference, login_as, changes, message
):
    login_as(Role.INTERVENANTE)
    html = client.post(SUGGEST, data=suggestion(**changes)).get_data(as_text=True)
    assert message in html
    assert "Accueil sans jugement" in html or "why" in changes
    assert db.session.scalars(select(Prospect)).all() == []


def test_transitions_are_data_and_audited(client, prospect, login_as):
    admin = login_as(Role.ADMIN)
    url = f"/admin/prospects/{prospect.id}"
    # Not allowed from "suggested": straight to "interested" or "applied".
    for refused in (S.INTERESTED, S.APPLIED):
        assert refused not in TRANSITIONS[S.SUGGESTED]
        client.post(f"{url}/statut", data={"status": refused.value})
        db.session.refresh(prospect)
        assert prospect.status is S.SUGGESTED
    for step in (S.CONTACTED, S.INTERESTED, S.NOT_NOW):
        assert client.post(f"{url}/statut", data={"status": step.value}).status_code == 302
    db.session.refresh(prospect)
    assert prospect.status is S.NOT_NOW
    actions = db.session.scalars(
        select(AuditEvent.action)
        .where(AuditEvent.object_type == "prospect", AuditEvent.actor_id == admin.id)
        .order_by(AuditEvent.id)
    ).all()
    assert actions == ["prospect.contacted", "prospect.interested", "prospect.not_now"]


def test_notes_and_next_step(client, prospect, login_as):
    login_as(Role.ADMIN)
    url = f"/admin/prospects/{prospect.id}/suivi"
    html = client.post(url, data={"notes": "Rappeler", "next_step_on": "0001-01-01"}).get_data(
        as_text=True
    )
    assert "Entrez une date à partir du 1 janv. 2000." in html and "Rappeler" in html
    assert (
        client.post(url, data={"notes": "Rappeler", "next_step_on": "2026-01-15"}).status_code
        == 302
    )
    db.session.refresh(prospect)
    assert (prospect.notes, prospect.next_step_on.isoformat()) == ("Rappeler", "2026-01-15")


def test_the_list_filters_by_status_sector_and_region(client, reference, login_as):
    login_as(Role.INTERVENANTE)
    client.post(SUGGEST, data=suggestion(name="Dentiste Gaspésie"))
    client.post(
        SUGGEST, data=suggestion(name="Avocate Montréal", sector="sector.lawyers", region="06")
    )
    client.post("/deconnexion")
    login_as(Role.ADMIN)
    assert "Dentiste Gaspésie" in client.get("/admin/prospects").get_data(as_text=True)
    html = client.get("/admin/prospects?region=06").get_data(as_text=True)
    assert "Avocate Montréal" in html and "Dentiste Gaspésie" not in html
    html = client.get("/admin/prospects?sector=sector.medical_clinics&status=suggested").get_data(
        as_text=True
    )
    assert "Dentiste Gaspésie" in html and "Avocate Montréal" not in html
    html = client.get("/admin/prospects?status=applied").get_data(as_text=True)
    assert "Aucun partenaire potentiel" in html
    assert client.get("/admin/prospects?status=nonsense&page=99999999999999").status_code == 200


def test_the_invitation_goes_out_and_the_application_links_itself(client, prospect, login_as):
    login_as(Role.ADMIN)
    outbox().clear()
    response = client.post(
        f"/admin/prospects/{prospect.id}/inviter",
        data={"email": "Accueil@Taxi.example", "locale": "fr"},
    )
    assert response.status_code == 302
    [mail] = outbox()
    assert mail["To"] == "accueil@taxi.example"
    assert "/devenir-partenaire" in mail.get_content()
    db.session.refresh(prospect)
    assert prospect.status is S.CONTACTED
    client.post("/deconnexion")
    # The business applies with that address: its application is linked to the prospect.
    response = client.post(
        "/devenir-partenaire/postuler", data=application(email="accueil@taxi.example")
    )
    response.close()
    db.session.refresh(prospect)
    organization = db.session.scalars(
        select(Organization).where(Organization.name == "Coiffure Solidaire")
    ).one()
    assert prospect.organization_id == organization.id
    assert prospect.status is S.APPLIED


def test_a_bad_invitation_address_keeps_what_was_typed(client, prospect, login_as):
    login_as(Role.ADMIN)
    html = client.post(
        f"/admin/prospects/{prospect.id}/inviter", data={"email": "pas-une-adresse", "locale": "fr"}
    ).get_data(as_text=True)
    assert "Entrez une adresse courriel valide." in html and "pas-une-adresse" in html
    assert outbox() == []


def test_an_administrator_links_an_application_by_choice(client, prospect, login_as, make_org):
    org = make_org(name="Taxi Fictif inc.")
    login_as(Role.ADMIN)
    url = f"/admin/prospects/{prospect.id}/lier"
    assert "Choisissez une demande." in client.post(url, data={"organization_id": ""}).get_data(
        as_text=True
    )
    assert client.post(url, data={"organization_id": "9" * 40}).status_code == 200
    assert client.post(url, data={"organization_id": str(org.id)}).status_code == 302
    db.session.refresh(prospect)
    assert (prospect.organization_id, prospect.status) == (org.id, S.APPLIED)
    page = client.get(f"/admin/prospects/{prospect.id}").get_data(as_text=True)
    assert "Taxi Fictif inc." in page and "Demande déposée" in page


def test_the_dashboard_counts_prospects_by_sector_and_region(client, reference, login_as):
    login_as(Role.INTERVENANTE)
    client.post(SUGGEST, data=suggestion(name="Un"))
    client.post(SUGGEST, data=suggestion(name="Deux"))
    client.post(SUGGEST, data=suggestion(name="Trois", sector="sector.lawyers", region="06"))
    client.post("/deconnexion")
    login_as(Role.ADMIN)
    html = client.get("/admin/tableau-de-bord/").get_data(as_text=True)
    assert "3 partenaires potentiels en démarche" in html
    region = html[html.index('id="table-prospects-region"') :]
    assert "Gaspésie" in region[: region.index("</table>")]


def test_another_role_cannot_see_the_list(client, prospect, login_as):
    login_as(Role.INTERVENANTE)
    assert client.get("/admin/prospects").status_code == 403
    assert client.get(f"/admin/prospects/{prospect.id}").status_code == 403
    client.post("/deconnexion")
    login_as(Role.ADMIN)
    assert client.get("/admin/prospects/999999").status_code == 404
