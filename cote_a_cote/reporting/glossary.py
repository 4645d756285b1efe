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
            "Distinct persons referred during the year: a referral and its re-routes are one "
            "person. In a breakdown, a person counts in each row where one of their referrals "
            "counts."
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
            "declined by the person, withdrawn."
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
)

FUNDER = (
    Entry(
        "suppression",
        _l("Hidden small counts"),
        _l(
            'So that no one can be singled out, every count from 1 to 4 is shown as "%(small)s". '
            "When it is the only one hidden in a column of a table, the smallest other count "
            'above zero is hidden too (shown as "%(hidden)s"), so that it cannot be found again '
            "by subtracting the others from the total. A zero stays 0: it describes no one. "
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
