"""How each referring organisation's referrals are shared among its staff and handed over."""

from __future__ import annotations

import re

from sqlalchemy import select

from cote_a_cote.accounts.models import User
from cote_a_cote.audit.models import AuditEvent
from cote_a_cote.catalogue.models import OrganizationKind
from cote_a_cote.extensions import db
from cote_a_cote.referrals.models import Referral, ReferralStatus
from cote_a_cote.referrals.services import new_code
from cote_a_cote.roles import Role
from tests.conftest import login, shown


def _world(make_org, make_user, make_service):
    referrer = make_org(name="Maison Fictive des Berges", kind=OrganizationKind.REFERRER)
    other = make_org(name="Refuge Imaginaire du Nord", kind=OrganizationKind.REFERRER)
    provider = make_org(name="Clinique Fictive Soleil")
    alice = make_user(Role.INTERVENANTE, referrer, name="Alice", email="alice@example.org")
    claire = make_user(Role.INTERVENANTE, referrer, name="Claire", email="claire@example.org")
    make_user(Role.INTERVENANTE, other, name="Berthe", email="berthe@example.org")
    service = make_service(provider, name_fr="Soins fictifs")
    referral = Referral(
        code=new_code(),
        service_id=service.id,
        provider_organization_id=provider.id,
        referring_user_id=claire.id,
        referring_organization_id=referrer.id,
        status=ReferralStatus.SENT,
    )
    db.session.add(referral)
    db.session.commit()
    return referrer, other, provider, alice, referral


def test_sharing_is_turned_on_and_off_by_an_administrator(
    app, client, reference, make_org, make_user, make_service
):
    referrer, other, provider, alice, referral = _world(make_org, make_user, make_service)
    admin = make_user(Role.ADMIN, email="admin@example.org")

    # Before: Alice does not see her colleague's referral.
    login(client, alice)
    assert referral.code not in client.get("/references/").text
    assert client.get(f"/references/{referral.id}").status_code == 404
    client.post("/deconnexion")

    login(client, admin)
    page = client.get("/admin/organisations-referentes").text
    assert "Maison Fictive des Berges" in page and "Refuge Imaginaire du Nord" in page
    assert "Clinique Fictive Soleil" not in page  # providers have no intervenantes
    response = client.post(
        f"/admin/organisations-referentes/{referrer.id}/partage", data={"share": "yes"}
    )
    assert response.status_code == 302
    message = shown(
        app,
        "The intervenantes of %(name)s now see each other's referrals.",
        name="Maison Fictive des Berges",
    )
    assert message in client.get(response.headers["Location"]).text
    db.session.expire_all()
    assert referrer.share_referrals is True and other.share_referrals is False
    event = db.session.scalar(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(1))
    assert (event.action, event.object_id, event.actor_id) == (
        "organization.share_referrals_on",
        referrer.id,
        admin.id,
    )
    client.post("/deconnexion")

    # After: she sees it, and is told why.
    login(client, alice)
    listing = client.get("/references/").text
    assert referral.code in listing
    assert (
        shown(
            app,
            "Your organisation shares referrals: you also see those of your colleagues, and they "
            "see yours.",
        )
        in listing
    )
    assert client.get(f"/references/{referral.id}").status_code == 200
    client.post("/deconnexion")

    login(client, admin)
    client.post(f"/admin/organisations-referentes/{referrer.id}/partage", data={"share": "no"})
    db.session.expire_all()
    assert referrer.share_referrals is False


def test_bad_requests_change_nothing(app, client, reference, make_org, make_user, make_service):
    referrer, other, provider, alice, referral = _world(make_org, make_user, make_service)
    login(client, make_user(Role.ADMIN, email="admin@example.org"))
    url = f"/admin/organisations-referentes/{referrer.id}/partage"
    response = client.post(url, data={"share": "maybe"})
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).text
    assert shown(app, "Nothing was changed: please try again.") in page
    assert (
        client.post(
            f"/admin/organisations-referentes/{provider.id}/partage", data={"share": "yes"}
        ).status_code
        == 404
    )
    assert (
        client.post(
            "/admin/organisations-referentes/999999/partage", data={"share": "yes"}
        ).status_code
        == 404
    )
    db.session.expire_all()
    assert referrer.share_referrals is False and provider.share_referrals is False


def test_intervenantes_and_providers_cannot_change_it(
    client, reference, make_org, make_user, make_service
):
    referrer, other, provider, alice, referral = _world(make_org, make_user, make_service)
    login(client, alice)
    url = f"/admin/organisations-referentes/{referrer.id}/partage"
    assert client.post(url, data={"share": "yes"}).status_code == 403
    db.session.expire_all()
    assert referrer.share_referrals is False


def _open_referral(author, service) -> Referral:
    referral = Referral(
        code=new_code(),
        service_id=service.id,
        provider_organization_id=service.organization_id,
        referring_user_id=author.id,
        referring_organization_id=author.organization_id,
        status=ReferralStatus.SENT,
    )
    db.session.add(referral)
    db.session.commit()
    return referral


def test_the_designated_colleague_takes_over_a_deactivated_intervenante(
    app, client, reference, make_org, make_user, make_service
):
    referrer, other, provider, alice, referral = _world(make_org, make_user, make_service)
    claire = db.session.get(User, referral.referring_user_id)
    admin = make_user(Role.ADMIN, email="admin@example.org")
    login(client, admin)
    page = client.get("/admin/organisations-referentes").text
    assert f'name="org{referrer.id}-delegate"' in page
    response = client.post(
        f"/admin/organisations-referentes/{referrer.id}/relais",
        data={f"org{referrer.id}-delegate": str(alice.id)},
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert alice.is_referral_delegate and not claire.is_referral_delegate
    page = client.get("/admin/organisations-referentes").text
    assert re.search(rf'<option selected value="{alice.id}">Alice</option>', page)

    client.post(f"/admin/comptes/{claire.id}/desactiver")
    db.session.expire_all()
    assert referral.referring_user_id == alice.id  # her colleague, not the administrator


def test_without_a_designated_colleague_the_referrals_wait_frozen(
    app, client, reference, make_org, make_user, make_service
):
    referrer, other, provider, alice, referral = _world(make_org, make_user, make_service)
    claire = db.session.get(User, referral.referring_user_id)
    admin = make_user(Role.ADMIN, email="admin@example.org")
    login(client, admin)
    # A designated colleague who is herself deactivated does not count.
    client.post(
        f"/admin/organisations-referentes/{referrer.id}/relais",
        data={f"org{referrer.id}-delegate": str(alice.id)},
    )
    client.post(f"/admin/comptes/{alice.id}/desactiver")
    client.post(f"/admin/comptes/{claire.id}/desactiver")
    db.session.expire_all()
    # Frozen with the departed intervenante, never passed to the administrator.
    assert referral.referring_user_id == claire.id
    page = client.get("/admin/organisations-referentes").text
    pending = page[page.index(f'data-pending="{referrer.id}"') :]
    assert "1 " in pending[: pending.index("</td>")]
    assert referral.code not in page
    # Nobody designated.
    client.post(
        f"/admin/organisations-referentes/{referrer.id}/relais",
        data={f"org{referrer.id}-delegate": "0"},
    )
    db.session.expire_all()
    assert not alice.is_referral_delegate
    # A colleague designated later inherits the frozen referral.
    dora = make_user(Role.INTERVENANTE, referrer, name="Dora", email="dora@example.org")
    client.post(
        f"/admin/organisations-referentes/{referrer.id}/relais",
        data={f"org{referrer.id}-delegate": str(dora.id)},
    )
    db.session.expire_all()
    assert referral.referring_user_id == dora.id
    page = client.get("/admin/organisations-referentes").text
    pending = page[page.index(f'data-pending="{referrer.id}"') :]
    assert shown(app, "None") in pending[: pending.index("</td>")]


def test_only_a_colleague_of_the_organisation_can_be_designated(
    app, client, reference, make_org, make_user, make_service
):
    referrer, other, provider, alice, referral = _world(make_org, make_user, make_service)
    berthe = db.session.scalar(select(User).where(User.email == "berthe@example.org"))
    login(client, make_user(Role.ADMIN, email="admin@example.org"))
    response = client.post(
        f"/admin/organisations-referentes/{referrer.id}/relais",
        data={f"org{referrer.id}-delegate": str(berthe.id)},
    )
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).text
    assert shown(app, "Nothing was changed: please try again.") in page
    db.session.expire_all()
    assert not berthe.is_referral_delegate
