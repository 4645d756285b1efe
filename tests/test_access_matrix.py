"""Every route × every role answers as this table says; a route missing from the table fails.

Object-level rules (another organisation's data answers 404) are tested with each feature;
this table pins the role level and makes sure no route is forgotten.
"""

from __future__ import annotations

from http.cookies import SimpleCookie

import pytest
from flask import current_app, g, url_for

from cote_a_cote.catalogue.hsds import record_id, service_at_location_id
from cote_a_cote.roles import Role
from tests.conftest import login, new_org, new_service, new_user, snapshot_fixture

ROLES = ("anonymous", "intervenante", "provider", "admin")
LOGIN = "login"  # a redirect to the sign-in page


def everyone(code):
    return dict.fromkeys(ROLES, code)


def admin_only(code):
    return {"anonymous": LOGIN, "intervenante": 403, "provider": 403, "admin": code}


# (method, endpoint) -> expected answer per role.
MATRIX: dict[tuple[str, str], dict[str, int | str]] = {
    ("GET", "home.index"): everyone(200),
    ("GET", "home.quick_exit_help"): everyone(200),
    ("POST", "home.set_language"): everyone(302),
    ("GET", "accounts.login"): {
        "anonymous": 200,
        "intervenante": 302,
        "provider": 302,
        "admin": 302,
    },
    ("POST", "accounts.login"): {
        "anonymous": 200,
        "intervenante": 302,
        "provider": 302,
        "admin": 302,
    },
    ("POST", "accounts.logout"): everyone(302),
    ("GET", "accounts.forgot_password"): everyone(200),
    ("POST", "accounts.forgot_password"): everyone(302),
    # E-mailed links land on a form that posts their secret (none in any URL); empty: shown again.
    ("GET", "accounts.open_reset_link"): everyone(200),
    ("POST", "accounts.open_reset_link"): everyone(200),
    ("GET", "accounts.new_password"): everyone(404),
    ("POST", "accounts.new_password"): everyone(404),
    ("GET", "accounts.open_invitation_link"): everyone(200),
    ("POST", "accounts.open_invitation_link"): everyone(200),
    ("GET", "accounts.accept_invitation"): everyone(404),
    ("POST", "accounts.accept_invitation"): everyone(404),
    ("GET", "catalogue.listing"): everyone(200),
    ("GET", "catalogue.service"): everyone(200),
    ("GET", "catalogue.organization"): everyone(200),
    ("GET", "search.results"): everyone(200),
    ("POST", "search.check_person"): everyone(200),
    # "Use my position": open to everyone like the search it fills in; posted empty, a 400 (JSON).
    ("POST", "search.near_me"): everyone(400),
    ("GET", "admin.index"): admin_only(200),
    ("GET", "admin.accounts"): admin_only(200),
    ("GET", "admin.new_invitation"): admin_only(200),
    ("GET", "admin.referring_organizations"): admin_only(200),
    ("POST", "admin.referral_sharing"): admin_only(404),  # the world's organisation is a provider
    ("POST", "admin.referral_delegate"): admin_only(404),
    ("POST", "admin.new_invitation"): admin_only(200),
    ("POST", "admin.revoke_invitation"): admin_only(302),
    ("POST", "admin.deactivate_account"): admin_only(302),
    ("POST", "admin.reactivate_account"): admin_only(302),
    ("GET", "admin.taxonomy"): admin_only(200),
    ("GET", "admin.taxonomy_term"): admin_only(200),
    ("POST", "admin.taxonomy_term"): admin_only(302),  # nothing sent: the keywords are emptied
    ("GET", "api.info"): everyone(200),
    ("GET", "api.openapi"): everyone(200),
    ("GET", "api.services"): everyone(200),
    ("GET", "api.service"): everyone(200),
    ("GET", "api.service_at_locations"): everyone(200),
    ("GET", "api.service_at_location"): everyone(200),
    ("GET", "api.organizations"): everyone(200),
    ("GET", "api.organization"): everyone(200),
    ("GET", "api.taxonomies"): everyone(200),
    ("GET", "api.taxonomy_terms"): everyone(200),
}

# Vetting and notifications (issue 4, sections 3 and 5). The world's provider is approved, so
# decisions that need another status redirect with a message, and suspending without a reason
# (or returning a revision without a message) shows the form again.
MATRIX.update(
    {
        ("GET", "vetting.queue"): admin_only(200),
        ("GET", "vetting.review"): admin_only(200),
        ("POST", "vetting.request_changes"): admin_only(302),
        ("POST", "vetting.approve"): admin_only(302),
        ("POST", "vetting.reject"): admin_only(302),
        ("POST", "vetting.suspend"): admin_only(200),
        ("POST", "vetting.reinstate"): admin_only(302),
        ("GET", "vetting.history"): admin_only(200),
        ("GET", "vetting.stale"): admin_only(200),
        ("GET", "vetting.revisions"): admin_only(200),
        ("GET", "vetting.revision"): admin_only(200),
        ("POST", "vetting.approve_revision"): admin_only(302),
        ("POST", "vetting.return_revision"): admin_only(200),
        ("GET", "notifications.index"): {**everyone(200), "anonymous": LOGIN},
        ("POST", "notifications.mark_all_read"): {**everyone(302), "anonymous": LOGIN},
    }
)

# Training (issue 4, section 4): administrators manage modules and records; provider staff see
# their organisation's page. The world's record belongs to another organisation than the signed-in
# provider's, so withdrawing it answers 404; empty forms show themselves again (200).
PROVIDER_ONLY = {"anonymous": LOGIN, "intervenante": 403, "provider": 200, "admin": 403}
MATRIX.update(
    {
        ("GET", "training.modules"): admin_only(200),
        ("GET", "training.new_module"): admin_only(200),
        ("POST", "training.new_module"): admin_only(200),
        ("GET", "training.edit_module"): admin_only(200),
        ("POST", "training.edit_module"): admin_only(302),  # nothing sent: saved unchanged
        ("GET", "training.records"): admin_only(200),
        ("GET", "training.new_record"): admin_only(200),
        ("POST", "training.new_record"): admin_only(200),
        ("POST", "training.confirm_record"): admin_only(302),
        ("GET", "training.reject_record"): admin_only(200),
        ("POST", "training.reject_record"): admin_only(200),
        ("POST", "training.delete_record"): admin_only(302),
        ("GET", "training.expiring"): admin_only(200),
        ("GET", "training.provider_page"): PROVIDER_ONLY,
        ("POST", "training.provider_page"): PROVIDER_ONLY,
        ("POST", "training.withdraw_declaration"): {**PROVIDER_ONLY, "provider": 404},
    }
)


def _training_world(provider_org, make_user) -> dict:
    """A module and a declaration by a staff member of the world's provider."""
    from datetime import date

    from cote_a_cote.extensions import db
    from cote_a_cote.training.models import RecordStatus, TrainingModule, TrainingRecord

    module = db.session.scalars(db.select(TrainingModule)).first()
    member = make_user(role=Role.PROVIDER, organization=provider_org, email="staff@example.org")
    record = TrainingRecord(
        user_id=member.id,
        module_id=module.id,
        completed_on=date(2025, 1, 15),
        status=RecordStatus.DECLARED,
        declared_by_id=member.id,
    )
    db.session.add(record)
    db.session.commit()
    return {"module_id": module.id, "record_id": record.id}


# Partner application and provider portal (issue 4, sections 1 and 2). Signed-in people are sent
# away from the application; the verification pages need a token in the session (404 without).
# The signed-in provider's organisation is approved and empty: the world's service, place,
# revision, invitation and user belong to others, so their routes answer 404; empty forms show
# themselves again (200) and refused one-click actions redirect with a message (302).
def portal_only(code):
    return {"anonymous": LOGIN, "intervenante": 403, "provider": code, "admin": 403}


SIGNED_IN_AWAY = {"anonymous": 200, "intervenante": 302, "provider": 302, "admin": 302}
MATRIX.update(
    {
        ("GET", "partners.become"): everyone(200),
        ("GET", "partners.apply"): SIGNED_IN_AWAY,
        ("POST", "partners.apply"): SIGNED_IN_AWAY,
        ("GET", "partners.application_sent"): everyone(200),
        ("GET", "partners.verify_link"): everyone(200),
        ("POST", "partners.verify_link"): everyone(200),
        ("GET", "partners.confirm_email"): everyone(404),
        ("POST", "partners.confirm_email"): everyone(404),
        ("POST", "partners.resend_verification"): everyone(302),
        ("GET", "portal.dashboard"): portal_only(200),
        ("POST", "portal.submit"): portal_only(302),
        ("POST", "portal.still_accurate"): portal_only(302),
        ("GET", "portal.edit_organization"): portal_only(200),
        ("POST", "portal.edit_organization"): portal_only(302),  # nothing sent: nothing changes
        ("GET", "portal.service_list"): portal_only(200),
        ("GET", "portal.new_service"): portal_only(200),
        ("POST", "portal.new_service"): portal_only(200),
        ("GET", "portal.edit_service"): portal_only(404),
        ("POST", "portal.edit_service"): portal_only(404),
        ("POST", "portal.delete_service"): portal_only(404),
        ("GET", "portal.schedules"): portal_only(404),
        ("POST", "portal.schedules"): portal_only(404),
        ("POST", "portal.capacity"): portal_only(404),
        ("GET", "portal.location_list"): portal_only(200),
        ("GET", "portal.new_location"): portal_only(200),
        ("POST", "portal.new_location"): portal_only(200),
        ("GET", "portal.edit_location"): portal_only(404),
        ("POST", "portal.edit_location"): portal_only(404),
        ("POST", "portal.delete_location"): portal_only(404),
        ("GET", "portal.edit_proposal"): portal_only(404),
        ("POST", "portal.edit_proposal"): portal_only(404),
        ("POST", "portal.withdraw"): portal_only(404),
        ("GET", "portal.colleagues"): portal_only(200),
        ("GET", "portal.invite"): portal_only(200),
        ("POST", "portal.invite"): portal_only(200),
        ("POST", "portal.revoke_invitation"): portal_only(404),
        ("POST", "portal.remove_colleague"): portal_only(404),
    }
)


def _portal_world(provider_org) -> dict:
    """A place of the world's provider (the portal's place routes need its id)."""
    from cote_a_cote.catalogue.models import Location
    from cote_a_cote.extensions import db

    place = Location(organization_id=provider_org.id, municipality="Laval", region_code="13")
    db.session.add(place)
    db.session.commit()
    return {"location_id": place.id}


# Referrals, provider side (issue 5, section 3) and the audit trail (issue 6, section 4). The
# world's referral is addressed to the world's provider, not to the signed-in provider's
# organisation: every page about it answers 404 to provider staff (the loader), before any form.
MATRIX.update(
    {
        ("GET", "referral_inbox.inbox"): portal_only(200),
        ("GET", "referral_inbox.detail"): portal_only(404),
        ("POST", "referral_inbox.accept"): portal_only(404),
        ("POST", "referral_inbox.waitlist"): portal_only(404),
        ("POST", "referral_inbox.decline"): portal_only(404),
        ("POST", "referral_inbox.start"): portal_only(404),
        ("POST", "referral_inbox.complete"): portal_only(404),
        ("POST", "referral_inbox.not_complete"): portal_only(404),
        ("GET", "audit.journal"): admin_only(200),
        ("POST", "audit.verify"): admin_only(302),
    }
)


def _provider_referral_world(service, intervenante) -> dict:
    """A referral sent by intervenante to the world's provider's service."""
    from cote_a_cote.database import utcnow
    from cote_a_cote.extensions import db
    from cote_a_cote.referrals.models import Referral, ReferralStatus
    from cote_a_cote.referrals.services import new_code

    now = utcnow()
    referral = Referral(
        code=new_code(),
        service_id=service.id,
        provider_organization_id=service.organization_id,
        referring_user_id=intervenante.id,
        referring_organization_id=intervenante.organization_id,
        status=ReferralStatus.SENT,
        status_changed_at=now,
        sent_at=now,
        created_at=now,
    )
    db.session.add(referral)
    db.session.commit()
    return {"referral_id": referral.id}


# Referrals, intervenante side (issue 5, sections 1, 4 and 5). Intervenante-only pages: other
# roles answer 403 (role_required). The world's referral is another intervenante's, so every
# page about it answers 404 to the signed-in intervenante (the loader), before any form; the new
# referral form is shown again when posted empty (200).
def intervenante_only(code):
    return {"anonymous": LOGIN, "intervenante": code, "provider": 403, "admin": 403}


MATRIX.update(
    {
        ("GET", "referrals.index"): intervenante_only(200),
        ("GET", "referrals.new"): intervenante_only(200),
        ("POST", "referrals.new"): intervenante_only(200),
        ("GET", "referrals.consent"): intervenante_only(404),
        ("POST", "referrals.consent"): intervenante_only(404),
        ("GET", "referrals.detail"): intervenante_only(404),
        ("GET", "referrals.handout"): intervenante_only(404),
        ("POST", "referrals.start"): intervenante_only(404),
        ("POST", "referrals.complete"): intervenante_only(404),
        ("POST", "referrals.not_complete"): intervenante_only(404),
        ("POST", "referrals.withdraw"): intervenante_only(404),
        ("POST", "referrals.withdraw_consent"): intervenante_only(404),
        ("POST", "referrals.reroute"): intervenante_only(404),
        ("POST", "referrals.evaluate"): intervenante_only(404),
        ("GET", "referrals.edit_draft"): intervenante_only(404),
        ("POST", "referrals.edit_draft"): intervenante_only(404),
        ("POST", "referrals.decline"): intervenante_only(404),
    }
)


# Recognition, dashboard and annual report (issue 6, sections 1 to 3): their rows and objects live
# beside their tests.
from tests.closures import access as closures_access  # noqa: E402
from tests.feedback import access as feedback_access  # noqa: E402
from tests.helplines import access as helplines_access  # noqa: E402
from tests.listing_reports import access as listing_reports_access  # noqa: E402
from tests.mail import access as mail_access  # noqa: E402
from tests.prospects import access as prospects_access  # noqa: E402
from tests.recognition import access as recognition_access  # noqa: E402
from tests.referrals import access as person_access  # noqa: E402
from tests.reporting import access as reporting_access  # noqa: E402
from tests.shortlists import access as shortlists_access  # noqa: E402
from tests.stats import access as stats_access  # noqa: E402
from tests.training import access as training_access  # noqa: E402
from tests.uploads import access as uploads_access  # noqa: E402

FEATURE_ACCESS = (
    recognition_access,
    stats_access,
    reporting_access,
    listing_reports_access,
    mail_access,
    person_access,
    closures_access,
    prospects_access,
    feedback_access,
    helplines_access,
    shortlists_access,
    training_access,
    uploads_access,
)
for feature in FEATURE_ACCESS:
    MATRIX.update(feature.ROWS)


# Form data sent with POSTs (CSRF is checked separately; here the role decides).
POST_DATA = {
    "home.set_language": {"locale": "en"},
    "accounts.login": {"email": "nobody@example.org", "password": "not the password"},
    "accounts.forgot_password": {"email": "nobody@example.org"},
}


def _routes(app):
    found = set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        for method in sorted(rule.methods & {"GET", "POST", "PUT", "PATCH", "DELETE"}):
            found.add((method, rule.endpoint))
    return found


def test_every_route_is_in_the_matrix(app):
    routes = _routes(app)
    assert routes - MATRIX.keys() == set(), "routes missing from the access matrix"
    assert MATRIX.keys() - routes == set(), "matrix rows for routes that no longer exist"


@snapshot_fixture
def matrix_world() -> dict:
    """One object of each kind for the URLs that need an id (built once, restored per test)."""
    return _matrix_objects()


@snapshot_fixture
def signed_in_matrix_world() -> dict:
    """The matrix's world and one visitor of each signed-in role, signed in through the login form
    while it is built: `cookies` holds the cookies each visitor's browser received, whose server-
    side session is among the rows every test starts from. Tests that set these cookies are that
    visitor, without a new account and a sign-in of their own (~40 ms each, for ~1,000 tests)."""
    objects = _matrix_objects()
    objects["cookies"] = {role: _signed_in_cookies(Role(role)) for role in ROLES[1:]}
    return objects


def _signed_in_cookies(role: Role) -> list[tuple[str, str, str]]:
    """A new user of role signs in; the cookies their browser keeps, as (name, value, path)."""
    user = new_user(role=role)
    response = login(current_app.test_client(), user)
    assert response.status_code == 302, response.status_code
    cookies = SimpleCookie()
    for header in response.headers.getlist("Set-Cookie"):
        cookies.load(header)
    assert current_app.config["SESSION_COOKIE_NAME"] in cookies
    return [(name, morsel.value, morsel["path"] or "/") for name, morsel in cookies.items()]


def sign_in_as(client, world: dict, role: str) -> None:
    """client is the signed_in_matrix_world's visitor of role (anonymous: nobody)."""
    for name, value, path in world["cookies"].get(role, ()):
        client.set_cookie(name, value, path=path)


def _matrix_objects() -> dict:
    from cote_a_cote.accounts.services import create_invitation

    provider_org = new_org(name="Clinique publique")
    service = new_service(organization=provider_org, name_fr="Soins publics")
    admin = new_user(role=Role.ADMIN, email="matrix-admin@example.org")
    someone = new_user(role=Role.INTERVENANTE, email="someone@example.org")
    invitation = create_invitation(
        name="Invitée",
        email="invitee@example.org",
        role=Role.INTERVENANTE,
        organization=someone.organization,
        invited_by=admin,
        locale="fr",
    )
    from cote_a_cote.extensions import db

    db.session.commit()
    from cote_a_cote.revisions.models import ProfileRevision, RevisionAction, RevisionTarget

    revision = ProfileRevision(
        organization_id=provider_org.id,
        target=RevisionTarget.ORGANIZATION,
        target_id=provider_org.id,
        action=RevisionAction.UPDATE,
        payload={"name": "Clinique publique renommée"},
    )
    db.session.add(revision)
    db.session.commit()
    objects = {
        "revision_id": revision.id,
        "organization_id": provider_org.id,
        "service_id": service.id,
        "user_id": someone.id,
        "invitation_id": invitation.id,
        "term_id": _any_term_id(),
        "token": "not-a-real-token",
        "api.service": {"service_id": record_id(service)},
        "api.organization": {"organization_id": record_id(provider_org)},
        "api.service_at_location": {"link_id": _public_link_id(provider_org)},
        **_training_world(provider_org, new_user),
        **_portal_world(provider_org),
        **_provider_referral_world(service, someone),
        "referrals.new": {"service": service.id},
    }
    for feature in FEATURE_ACCESS:
        objects.update(feature.world(provider_org, service, new_user))
    return objects


def _public_link_id(provider_org) -> str:
    """The HSDS id of a public service's link to its (fictional) location."""
    placed = new_service(
        organization=provider_org,
        name_fr="Soins sur place",
        location={"municipality": "Montréal", "region_code": "06"},
    )
    return service_at_location_id(record_id(placed), record_id(placed.locations[0]))


def _any_term_id() -> int:
    from cote_a_cote.catalogue.models import TaxonomyTerm
    from cote_a_cote.extensions import db

    return db.session.scalars(db.select(TaxonomyTerm.id).order_by(TaxonomyTerm.id)).first()


def _url(app, endpoint, world):
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
    values = world.get(endpoint) or {name: world[name] for name in rule.arguments}
    with app.test_request_context():
        return url_for(endpoint, **values)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "endpoint"), sorted(MATRIX))
def test_access(app, client, signed_in_matrix_world, role, method, endpoint):
    sign_in_as(client, signed_in_matrix_world, role)
    url = _url(app, endpoint, signed_in_matrix_world)
    response = client.open(url, method=method, data=POST_DATA.get(endpoint, {}))
    expected = MATRIX[(method, endpoint)][role]
    if expected == LOGIN:
        assert response.status_code == 302, (url, response.status_code)
        assert response.headers["Location"].startswith("/connexion"), response.headers["Location"]
    else:
        assert response.status_code == expected, (url, role, response.status_code)


@pytest.mark.parametrize("role", ROLES[1:])
def test_each_visitor_of_the_signed_in_world_is_signed_in_with_their_role(
    app, client, signed_in_matrix_world, role
):
    """The shared sessions are valid in every test's copy of the world, each for its role."""
    from cote_a_cote.accounts.models import User, UserSession
    from cote_a_cote.extensions import db

    sign_in_as(client, signed_in_matrix_world, role)
    response = client.get("/notifications")
    assert response.status_code == 200
    signed_in = g.get("_login_user")  # whom the request's cookie signed in
    assert signed_in is not None and signed_in.role == Role(role)
    assert db.session.scalar(db.select(db.func.count()).select_from(UserSession)) == 3
    assert db.session.get(User, signed_in.id).last_login_at is not None
    client.post("/deconnexion")
    assert client.get("/notifications").status_code == 302
