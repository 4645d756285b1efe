"""The glossary shown with every view and export: one definition per indicator, written once."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class Entry:
    id: str  # the page shows it as id="def-<id>"; tables link to it
    term: object
    definition: object


COMMON = (
    Entry(
        "reporting-year",
        _l("Reporting year"),
        _l(
            "From April 1 at 00:00 to March 31 at the end of the day, Montréal time; the year "
            "2025–2026 starts on April 1, 2025. A year still in progress is counted up to today."
        ),
    ),
    Entry(
        "activities",
        _l("Referrals (activities)"),
        _l(
            "Referrals sent during the year (by the date they were sent, Montréal time). Drafts "
            "never count. A re-routed referral is a new activity."
        ),
    ),
    Entry(
        "people",
        _l("People"),
        _l(
            "Distinct persons referred during the year, counted by their code: every referral "
            "made under one code (to several services, or re-routed) is one person. In a "
            "breakdown, a person counts in each row where one of their referrals counts."
        ),
    ),
    Entry(
        "referrals-per-person",
        _l("Referrals per person (average)"),
        _l(
            "Referrals of the year divided by the people referred during the year. In the funder "
            "view it is shown only when it rests on at least 5 people."
        ),
    ),
    Entry(
        "needs-per-person",
        _l("Different needs per person (average)"),
        _l(
            "For each person, the different needs named over their referrals of the year; the "
            "average over the people referred. In the funder view it is shown only when it rests "
            "on at least 5 people."
        ),
    ),
    Entry(
        "responded",
        _l("Referrals with a response"),
        _l(
            "Referrals the provider answered (accepted, put on a waiting list or declined); the "
            "time of the first answer is kept."
        ),
    ),
    Entry(
        "accepted",
        _l("Accepted referrals"),
        _l(
            "Referrals the provider said yes to: accepted, in progress, completed or not completed."
        ),
    ),
    Entry(
        "acceptance-rate",
        _l("Acceptance rate"),
        _l(
            "Accepted referrals divided by referrals with a response, in per cent. Not "
            "applicable when no referral had a response."
        ),
    ),
    Entry(
        "response-time",
        _l("Median time to first response"),
        _l(
            "Hours between sending and the provider's first answer; the median of the referrals "
            "that had an answer (half were answered faster)."
        ),
    ),
    Entry(
        "region",
        _l("Region"),
        _l(
            "The regions the service covers (its service areas). A service that covers several "
            "regions counts in each, so the rows can add up to more than the total. "
            '"Not known": the service was removed or covers no region.'
        ),
    ),
    Entry(
        "need",
        _l("Need"),
        _l(
            "The needs recorded on the referral (several per referral, so the rows can add up to "
            "more than the total). Main needs are always listed; detailed needs when they were "
            "used."
        ),
    ),
    Entry(
        "sector",
        _l("Sector"),
        _l("The sector of the provider organisation the referral was sent to."),
    ),
    Entry(
        "outcome",
        _l("Outcome"),
        _l(
            "The referral's status today, grouped: open (sent, received, accepted, waitlisted or "
            "in progress), completed, not completed (with the reason), declined by the provider, "
            "declined by the person, withdrawn, and, as on the dashboard, declined with no record "
            "of by whom (shown only when it happens)."
        ),
    ),
    Entry(
        "approved-partners",
        _l("Approved partners at the end of the year"),
        _l(
            "Provider organisations approved on March 31 (today for the year in progress), as "
            "their history of decisions shows."
        ),
    ),
    Entry(
        "trained-partners",
        _l("Trained partners"),
        _l(
            "Approved partners that met the training rule on the same day: enough of their "
            "current staff held every required module, unexpired."
        ),
    ),
    Entry(
        "new-partners",
        _l("New partners"),
        _l("Provider organisations whose partnership began during the year (partner since)."),
    ),
    Entry(
        "not-applicable",
        _l("Not applicable, no data, 0"),
        _l(
            '"Not applicable": the figure has no denominator (a rate with no response). '
            '"No data": there is nothing to compute from (no referral at all). 0 is a real '
            "zero."
        ),
    ),
    Entry(
        "accompanied",
        _l("Accompaniments"),
        _l(
            "Referrals sent during the year where the intervenante said they would accompany the "
            "person (one referral, one accompaniment)."
        ),
    ),
    Entry(
        "fast-track",
        _l("Fast-track (priority) requests"),
        _l("Referrals sent during the year with a fast track requested because it was urgent."),
    ),
    Entry(
        "training-delivered",
        _l("Training delivered"),
        _l(
            "Training sessions that began during the year with at least one person present, and "
            "the hours they gave: each session's length counted once for each person present."
        ),
    ),
    Entry(
        "engagement",
        _l("Engagement records"),
        _l(
            "What partners declared in their portal beyond referrals (awareness activities, "
            "informal partnerships, in-kind contributions, mentoring another partner), counted "
            "once the coordinating team confirmed them, by the date the engagement took place."
        ),
    ),
    Entry(
        "gender-age",
        _l("Gender and age group"),
        _l(
            "Optional answers a referral may carry, chosen with the person; never a name or a "
            'birth date. "Not asked": the referral carries no answer; "prefers not to say" is '
            "an answer. Referrals are counted, not people. Counts from 1 to 4 are hidden in every "
            "view, and larger counts too when a small one could be found again by subtraction."
        ),
    ),
)

FUNDER = (
    Entry(
        "suppression",
        _l("Hidden small counts"),
        _l(
            'So that no one can be singled out, every count from 1 to 4 is shown as "%(small)s". '
            'Other counts are then hidden too (shown as "%(hidden)s"), the smallest first, until '
            "no hidden count can be found again from the totals: whatever one subtracts, each "
            "hidden count could still have more than one value. A zero stays 0: it describes no "
            "one. "
            "Rates and medians resting on fewer than 5 responses are not shown. This view lists "
            "no organisation and no referral.",
            small="< 5",
            hidden="x",
        ),
    ),
)

EXPORT = (
    Entry(
        "csv",
        _l("CSV file"),
        _l(
            "UTF-8 with a byte order mark (for Excel), fields separated by semicolons; decimals "
            "with a comma in French and a point in English. A cell that begins with =, +, -, @, "
            "a tab or a carriage return is preceded by an apostrophe so that a spreadsheet never "
            "runs it as a formula."
        ),
    ),
)


def entries(funder: bool) -> tuple[Entry, ...]:
    return COMMON + (FUNDER if funder else ()) + EXPORT
