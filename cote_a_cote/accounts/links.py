"""Opening an e-mailed link without its secret ever being in a URL that reaches a server.

E-mails carry links such as `/invitation#secret`. Browsers never send what follows "#", so no
access log, proxy or analytics sees the secret; the page's small script (static/js/link-token.js)
posts it in a form, and without JavaScript the person pastes the link into the same form. Once
checked, the secret waits in the signed session cookie for the next step.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import redirect, render_template, request, session, url_for

from .forms import OpenLinkForm


def open_emailed_link(
    is_valid: Callable[[str], bool],
    session_key: str,
    next_endpoint: str,
    title: str,
    invalid_page: Callable[[], object],
):
    """The landing page of an e-mailed link (GET), and the post of its secret (POST)."""
    form = OpenLinkForm()
    if form.validate_on_submit():
        if not is_valid(form.token.data):
            return invalid_page()
        session[session_key] = form.token.data
        return redirect(url_for(next_endpoint))
    return render_template("accounts/open_link.html", form=form, title=title, action=request.path)
