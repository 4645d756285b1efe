"""How criteria, measures and thresholds read on the pages, in the reader's language."""

from __future__ import annotations

from flask_babel import format_decimal, gettext, ngettext
from flask_babel import lazy_gettext as _l

from .criteria import MET, NO_DATA, NOT_APPLICABLE, NOT_REQUIRED, Criterion, Measure

CRITERION_LABELS = {
    "trained_share": _l("Share of staff trained"),
    "partner_months": _l("Time as a partner"),
    "referrals_accepted": _l("Referrals accepted"),
    "referrals_completed": _l("Referrals completed"),
    "median_response_hours": _l("Median time to first response"),
    "average_rating": _l("Average welcome rating"),
    "reduced_cost_services": _l("Services offered free or at reduced cost"),
    "months_since_verified": _l("Profile last verified"),
    "regional_rank_share": _l("Share of its region's partners ahead of it (referrals accepted)"),
    "accepted_per_thousand_region": _l("Referrals accepted per 1,000 referrals of its region"),
    "engagement_records": _l("Engagement records confirmed (last 12 months)"),
}

REGIONAL = ("regional_rank_share", "accepted_per_thousand_region")

STATE_LABELS = {
    MET: _l("Met"),
    "unmet": _l("Not met"),
    NOT_REQUIRED: _l("Not required"),
}

ENGAGEMENT_STATUS_LABELS = {
    "submitted": _l("Waiting for confirmation"),
    "confirmed": _l("Confirmed"),
    "declined": _l("Declined"),
}

AWARD_STATE_LABELS = {
    "current": _l("Award in force"),
    "upcoming": _l("Award starting later"),
    "expired": _l("Expired award"),
    "withdrawn": _l("Withdrawn award"),
}


def _number(value) -> str:
    if isinstance(value, int) or float(value).is_integer():
        return format_decimal(int(value))
    return format_decimal(value, format="#,##0.0#")


def describe_measure(code: str, measure: Measure) -> str:
    """The measured value as a sentence fragment; 'no data' and 'not applicable' said apart."""
    if measure.state == NO_DATA:
        return _describe_no_data(code, measure)
    if measure.state == NOT_APPLICABLE:
        return _describe_not_applicable(code, measure)
    if measure.value is None:
        raise ValueError(f"the measure {code} has neither a value nor a reason for none")
    return _describe_value(code, measure.value, measure.count)


def _describe_no_data(code: str, measure: Measure) -> str:
    if code in REGIONAL and measure.count == -1:
        return gettext("No data: no region known (no location or service area)")
    return {
        "partner_months": gettext("No data: no partnership date"),
        "months_since_verified": gettext("No data: never verified"),
        "reduced_cost_services": gettext("No data: no service"),
        "average_rating": gettext("No data: no rating yet"),
    }.get(code, gettext("No data: no referral received"))


def _describe_not_applicable(code: str, measure: Measure) -> str:
    if code == "trained_share":
        return gettext("Not applicable: no active staff account")
    if code == "average_rating":
        return ngettext(
            "Not applicable: %(num)d rating, too few to average",
            "Not applicable: %(num)d ratings, too few to average",
            measure.count or 0,
        )
    if code == "regional_rank_share":
        return gettext("Not applicable: no referral accepted yet")
    return gettext("Not applicable: no referral answered yet")


def _describe_value(code: str, value: float, count: int | None) -> str:
    if code in ("regional_rank_share", "accepted_per_thousand_region", "average_rating"):
        return _describe_counted_value(code, value, count or 0)
    if code == "engagement_records":
        return ngettext("%(num)d confirmed record", "%(num)d confirmed records", int(value))
    if code == "trained_share":
        return gettext("%(value)s %%", value=_number(value))
    if code in ("partner_months", "months_since_verified"):
        text = ngettext("%(num)d month", "%(num)d months", int(value))
        return gettext("%(months)s ago", months=text) if code == "months_since_verified" else text
    if code == "median_response_hours":
        return gettext("%(hours)s h", hours=_number(value))
    if code == "reduced_cost_services":
        return gettext(
            "%(value)s of %(total)s services", value=_number(value), total=_number(count)
        )
    return _number(value)


def _describe_counted_value(code: str, value: float, count: int) -> str:
    """The value of a measure said with how many things it was computed from."""
    if code == "regional_rank_share":
        return ngettext(
            "%(value)s %% of the %(num)d partner of its region",
            "%(value)s %% of the %(num)d partners of its region",
            count,
            value=_number(value),
        )
    if code == "accepted_per_thousand_region":
        return ngettext(
            "%(value)s per 1,000 (%(num)d referral in its region)",
            "%(value)s per 1,000 (%(num)d referrals in its region)",
            count,
            value=_number(value),
        )
    return ngettext(
        "%(value)s / 5 (%(num)d rating)",
        "%(value)s / 5 (%(num)d ratings)",
        count,
        value=_number(value),
    )


def describe_threshold(criterion: Criterion, threshold) -> str:
    if threshold is None:
        return str(STATE_LABELS[NOT_REQUIRED])
    code = criterion.code
    if code in ("trained_share", "regional_rank_share"):
        amount = gettext("%(value)s %%", value=_number(threshold))
    elif code == "accepted_per_thousand_region":
        amount = gettext("%(value)s per 1,000", value=_number(threshold))
    elif code in ("partner_months", "months_since_verified"):
        amount = ngettext("%(num)d month", "%(num)d months", int(threshold))
    elif code == "median_response_hours":
        amount = gettext("%(hours)s h", hours=_number(threshold))
    elif code == "average_rating":
        amount = gettext("%(value)s / 5", value=_number(threshold))
    else:
        amount = _number(threshold)
    if criterion.at_least:
        return gettext("at least %(amount)s", amount=amount)
    return gettext("at most %(amount)s", amount=amount)
