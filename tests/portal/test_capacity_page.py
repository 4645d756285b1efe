"""The capacity buttons show the current status, and the page and its confirmation agree that a
change shows at once (issue 11 §10)."""

from __future__ import annotations

import re

from cote_a_cote.catalogue.models import CapacityStatus, OrganizationStatus
from cote_a_cote.roles import Role
from tests.conftest import login, shown


def _pressed(html: str, service_id: int) -> dict:
    form = html[html.index(f'action="/portail/services/{service_id}/capacite"') :]
    form = form[: form.index("</form>")]
    return dict(
        re.findall(r'value="(\w+)" class="button capacity-form__status" aria-pressed="(\w+)"', form)
    )


def test_the_current_status_is_pressed_and_a_change_shows_at_once(
    app, client, reference, make_user, make_org, make_service
):
    org = make_org(
        status=OrganizationStatus.APPROVED
    )  # published: its profile changes are reviewed
    login(client, make_user(role=Role.PROVIDER, organization=org))
    service = make_service(organization=org)
    page = client.get("/portail/services").text
    assert _pressed(page, service.id) == {
        "waitlist": "false",
        "accepting": "true" if service.capacity is CapacityStatus.ACCEPTING else "false",
        "paused": "true" if service.capacity is CapacityStatus.PAUSED else "false",
    }
    assert (
        shown(app, "A change of capacity shows in the catalogue at once, without review.") in page
    )

    done = client.post(
        f"/portail/services/{service.id}/capacite",
        data={"status": "waitlist", "weeks": "3"},
        follow_redirects=True,
    ).text
    assert (
        shown(app, "Capacity of %(name)s updated: it shows at once.", name=service.name_fr) in done
    )
    assert _pressed(done, service.id) == {
        "waitlist": "true",
        "accepting": "false",
        "paused": "false",
    }
