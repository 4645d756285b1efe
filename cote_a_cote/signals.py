"""What one feature tells the others: blinker signals, so the teller never imports the listeners.

A lower feature (accounts, catalogue, revisions, vetting) sends; the features that must react
(referrals, training, recognition, vetting) subscribe in their own ``reactions.py``, connected
by create_app's ``connect_reactions`` step. Receivers run at once, in the sender's transaction:
they change rows and flush, never commit, exactly as if the sender had called them.

Some signals are questions rather than news (``*_asked``): the catalogue asks them about data
that belongs to a feature above it, every receiver answers, and the sender reads the answers.
"""

from __future__ import annotations

from collections.abc import Sequence

from blinker import Namespace

_signals = Namespace()

# sender: the User just deactivated; actor: the User who did it.
account_deactivated = _signals.signal("account-deactivated")

# sender: a User who joined (by invitation), left (deactivated) or came back (reactivated).
staff_changed = _signals.signal("staff-changed")

# sender: the Organization; delegate: the User now designated; actor, remote_addr.
referral_delegate_designated = _signals.signal("referral-delegate-designated")

# sender: the Organization just suspended; now, actor.
organization_suspended = _signals.signal("organization-suspended")

# sender: the Organization whose profile revision was submitted, approved or returned;
# actor, revision (a ProfileRevision), now; message for a returned one.
revision_submitted = _signals.signal("revision-submitted")
revision_approved = _signals.signal("revision-approved")
revision_returned = _signals.signal("revision-returned")

# Questions. sender: the Service; viewer: a signed-in User. Answer True to reveal the street
# address of the service's confidential location (any True reveals it).
confidential_address_asked = _signals.signal("confidential-address-asked")

# sender: the Organization. Answer the welcome ratings' summary, or None (too few ratings).
provider_ratings_asked = _signals.signal("provider-ratings-asked")

# sender: the ids of organisations; locale. Answer {organisation id: its public badge's label}.
badge_labels_asked = _signals.signal("badge-labels-asked")


def any_answer(answers: Sequence[tuple[object, object]]) -> bool:
    """Whether any receiver of a question said yes (none connected means no)."""
    return any(value for _receiver, value in answers)


def first_answer(answers: Sequence[tuple[object, object]]):
    """The first answer that is not None, or None."""
    return next((value for _receiver, value in answers if value is not None), None)
