"""Errors the GOV.UK way (issue 11 §6), through the shared macros: a summary listing each error as
a link to its field, fields marked invalid and tied to their message, messages that say what to do.
"""

from __future__ import annotations

import re

from cote_a_cote.extensions import db
from cote_a_cote.roles import Role
from tests.conftest import login, shown


def _summary(html: str) -> list[tuple[str, str]]:
    """(href, text) of each link of the error summary."""
    start = html.index('id="form-errors"')
    box = html[start : html.index("</div>", start)]
    return re.findall(r'<a href="#([^"]+)">([^<]+)</a>', box)


def _attrs(html: str, field_id: str) -> str:
    return re.search(rf'<(?:input|select|textarea)[^>]*\bid="{field_id}"[^>]*>', html).group(0)


def test_the_empty_application_lists_each_field_with_what_to_do(app, client, reference):
    html = client.post("/devenir-partenaire/postuler", data={}).text
    links = dict(_summary(html))
    assert links["organization_name"] == shown(
        app, "Enter “%(label)s”.", label=shown(app, "Name of the organisation")
    )
    assert links["sector"] == shown(
        app, "Choose an option for “%(label)s”.", label=shown(app, "Sector of activity")
    )
    assert links["password"] == shown(app, "Choose a password.")
    assert links["regions-0"] == shown(app, "Choose at least one region.")  # its first box
    assert links["services-0-name"] == shown(app, "Describe at least one service you offer.")
    assert links["accept"] == shown(app, "Accept the commitments to apply.")
    assert "Ce champ est requis" not in html and "This field is required" not in html
    # Each field says it is invalid and which message describes it; the checkbox too.
    for field_id in ("organization_name", "sector", "password", "accept"):
        tag = _attrs(html, field_id)
        assert 'aria-invalid="true"' in tag, tag
        assert f'aria-describedby="{field_id}-error"' in tag or f'{field_id}-error"' in tag
        assert f'id="{field_id}-error"' in html
    assert 'role="alert"' in html and 'tabindex="-1"' in html


def test_the_consent_checkbox_is_marked_invalid(app, client, make_user, make_service, reference):
    from cote_a_cote.referrals import services

    intervenante = make_user(role=Role.INTERVENANTE)
    service = make_service(terms=("need.physical_health",))
    referral = services.create_draft(
        intervenante, service, needs=[], contact_mode="through_intervenante"
    )
    db.session.commit()
    login(client, intervenante)
    html = client.post(
        f"/references/{referral.id}/consentement", data={"valid_until": "2027-01-31"}
    ).text
    links = dict(_summary(html))
    refused = "The referral cannot be sent without the person's consent."
    assert links["agreed"] == shown(app, refused)
    tag = _attrs(html, "agreed")
    assert 'aria-invalid="true"' in tag and 'aria-describedby="agreed-error"' in tag
