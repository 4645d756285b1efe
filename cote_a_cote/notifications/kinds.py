"""The wording of each kind of notification, in one table (translated when shown or e-mailed).

A notification says what happened and where to look; its parameters are names of organisations,
modules or dates, never anything about a person who is referred. Features add their kinds here.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class Kind:
    subject: object  # lazy string: the e-mail subject and the notification's title
    text: object  # lazy string with %(name)s placeholders filled from Notification.params


KINDS: dict[str, Kind] = {
    # Vetting (issue 4)
    "application_received": Kind(
        _l("New partner application"),
        _l("%(organization)s applied to become a partner and awaits review."),
    ),
    "application_changes_requested": Kind(
        _l("Changes requested on your application"),
        _l("The coordinating team asks for changes to the profile of %(organization)s."),
    ),
    "application_approved": Kind(
        _l("Your application is approved"),
        _l("%(organization)s is now a partner of Côte-à-Côte."),
    ),
    "application_rejected": Kind(
        _l("Decision on your application"),
        _l("The application of %(organization)s was not accepted."),
    ),
    "logo_submitted": Kind(
        _l("New logo awaiting review"),
        _l("%(organization)s sent a new logo to publish."),
    ),
    "logo_published": Kind(
        _l("Your new logo is published"),
        _l("The new logo of %(organization)s is now shown on its page."),
    ),
    "logo_refused": Kind(
        _l("Your new logo was not published"),
        _l("The new logo of %(organization)s was not published; the previous one stays."),
    ),
    "revision_submitted": Kind(
        _l("Profile change awaiting review"),
        _l("%(organization)s proposed a change to its profile."),
    ),
    "revision_approved": Kind(
        _l("Profile change published"),
        _l("A change to the profile of %(organization)s is now published."),
    ),
    "revision_returned": Kind(
        _l("Profile change returned"),
        _l("A change to the profile of %(organization)s was returned with a message."),
    ),
    "organization_suspended": Kind(
        _l("Organisation suspended"),
        _l("%(organization)s is suspended and no longer appears in search."),
    ),
    "organization_reinstated": Kind(
        _l("Organisation reinstated"),
        _l("%(organization)s appears in search again."),
    ),
    "stale_soon": Kind(
        _l("Please confirm your profile"),
        _l("The profile of %(organization)s must be confirmed as still accurate by %(date)s."),
    ),
    "stale_now": Kind(
        _l("Your profile is marked out of date"),
        _l("The profile of %(organization)s has not been confirmed for a long time."),
    ),
    # Training (issue 4)
    "training_declared": Kind(
        _l("Training declared"),
        _l("%(organization)s declared a completed training module to confirm."),
    ),
    "training_confirmed": Kind(
        _l("Training confirmed"),
        _l("A training record of %(organization)s was confirmed."),
    ),
    "training_rejected": Kind(
        _l("Training not confirmed"),
        _l("A training record of %(organization)s could not be confirmed."),
    ),
    "training_expiring": Kind(
        _l("Training expires soon"),
        _l("The module %(module)s expires on %(date)s for a member of %(organization)s."),
    ),
    # Training sessions (issue 17 §2)
    "training_seat_offered": Kind(
        _l("A seat is yours in a training session"),
        _l("A seat opened for you in the session of %(module)s on %(date)s."),
    ),
    "training_session_reminder": Kind(
        _l("Training session soon"),
        _l("Reminder: you have a seat in the session of %(module)s on %(date)s."),
    ),
    "training_session_cancelled": Kind(
        _l("Training session cancelled"),
        _l(
            "The session of %(module)s on %(date)s is cancelled: your seat or your place on the "
            "waiting list is released. The session's page says why."
        ),
    ),
    # Engagement recognition (issue 6): level_fr / level_en fill %(level)s in the reader's language.
    "recognition_awarded": Kind(
        _l("Engagement recognition awarded"),
        _l("%(organization)s is recognised at the %(level)s level for %(year)s."),
    ),
    "recognition_renewed": Kind(
        _l("Engagement recognition renewed"),
        _l("The %(level)s recognition of %(organization)s is renewed until %(date)s."),
    ),
    "recognition_withdrawn": Kind(
        _l("Engagement recognition withdrawn"),
        _l("The %(level)s recognition of %(organization)s was withdrawn."),
    ),
    "recognition_expiring": Kind(
        _l("Engagement recognition ending soon"),
        _l("The %(level)s recognition of %(organization)s ends on %(date)s unless it is renewed."),
    ),
    # Referrals (issue 5): never the code, the needs, the briefing or anything about the person.
    "referral_new": Kind(_l("New referral"), _l("You have a new referral.")),
    "referral_answered": Kind(
        _l("Answer to a referral"), _l("A provider answered one of your referrals.")
    ),
    "referral_updated": Kind(_l("Referral updated"), _l("One of your referrals was updated.")),
    "referral_withdrawn": Kind(
        _l("Referral withdrawn"), _l("A referral addressed to your organisation was withdrawn.")
    ),
    "referral_overdue": Kind(
        _l("Referral without an answer"),
        _l("A referral has had no answer within the expected business days."),
    ),
    "referral_reminder": Kind(
        _l("A referral awaits your answer"),
        _l("A referral addressed to your organisation awaits your answer."),
    ),
    "referral_reroute": Kind(
        _l("Referral to re-route"),
        _l("A service you referred someone to cannot receive them now; consider another one."),
    ),
    "referral_reassigned": Kind(
        _l("Referrals passed to you"), _l("Open referrals of a colleague were passed to you.")
    ),
    # Reports on a listing (issue 11 §9): never who reported, never the note; the link shows which
    # service. The provider hears only of information problems, one kind each.
    "listing_report_new": Kind(
        _l("Problem reported on a listing"),
        _l("A problem was reported on a listing of %(organization)s."),
    ),
    "listing_report_wrong_information": Kind(
        _l("Information to check on your listing"),
        _l("A report says a service of %(organization)s is listed with wrong information."),
    ),
    "listing_report_closed_or_moved": Kind(
        _l("Information to check on your listing"),
        _l("A report says a service of %(organization)s has closed or moved."),
    ),
    "referral_handover_pending": Kind(
        _l("Referrals waiting for a designated colleague"),
        _l(
            "%(organization)s has open referrals of a deactivated intervenante and no designated "
            "colleague: they wait, frozen, until the organisation designates one."
        ),
    ),
    "handout_forbidden_word": Kind(
        _l("A word was left out of a handout"),
        _l(
            "A handout was printed without a word that must never appear on paper, found in a "
            "text of %(organization)s. Please have that text corrected."
        ),
    ),
}
