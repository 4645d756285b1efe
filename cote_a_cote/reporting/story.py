"""What the annual report tells beyond referral counts (issue 17 §4).

- Highlights: a short text per quarter, written by administrators, in every view and export.
- Counts: referrals where the intervenante accompanied the person, fast-track requests, and the
  engagement records the coordinating team confirmed (awareness activities, informal
  partnerships, in-kind contributions, mentoring), dated in the year.
- Training delivered: the sessions held in the year with someone present, and the hours of
  training given (each session's length for each person present).
- Gender and age group: the optional answers a referral may carry, counted as referrals in a
  cross table whose small counts are suppressed in every view (complementary suppression, so no
  hidden cell comes back from the row and column totals). "Not asked" stays apart from
  "prefers not to say".
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from ..audit.services import record
from ..errors import UserError
from ..extensions import db
from ..recognition.models import EngagementKind
from ..recognition.services import confirmed_engagement_counts
from ..referrals.forms import AGE_BAND_LABELS, GENDER_LABELS
from ..referrals.models import AGE_BANDS, GENDERS, Referral
from ..stats.metrics import sent_between
from ..training.models import EnrolmentStatus, SessionEnrolment, TrainingSession
from .models import ReportHighlight
from .shapes import Column, Row, Table
from .suppression import Line, Mark, suppress_count, suppress_lines
from .year import ReportingYear

HIGHLIGHT_MAX = 1500
QUARTERS = (1, 2, 3, 4)
QUARTER_LABELS = {
    1: _l("April to June"),
    2: _l("July to September"),
    3: _l("October to December"),
    4: _l("January to March"),
}
NOT_ASKED = None


class HighlightError(UserError, ValueError):
    """A quarter's text the report cannot keep; shown on that quarter's field."""

    def __init__(self, message, quarter: int) -> None:
        super().__init__(message, field=f"q{quarter}")
        self.quarter = quarter


@dataclass(frozen=True)
class Highlight:
    quarter: int
    label: object
    text: str


@dataclass
class Story:
    highlights: list[Highlight]
    accompanied: int
    fast_track: int
    engagement: dict[EngagementKind, int]
    training_sessions: int
    training_hours: float  # hours of session × people present
    # (gender or None, age band or None) -> referrals
    gender_age: dict[tuple[str | None, str | None], int]


# --- Highlights ---------------------------------------------------------------------------------


def highlights(year: ReportingYear) -> list[Highlight]:
    """The year's highlights that have a text, in quarter order."""
    rows = db.session.scalars(
        select(ReportHighlight)
        .where(ReportHighlight.start_year == year.start_year)
        .order_by(ReportHighlight.quarter)
    )
    return [Highlight(h.quarter, QUARTER_LABELS[h.quarter], h.text) for h in rows if h.text]


def highlight_texts(year: ReportingYear) -> dict[int, str]:
    return {h.quarter: h.text for h in highlights(year)}


def save_highlights(year: ReportingYear, texts: dict[int, str | None], actor) -> int:
    """Write the year's quarter texts (an empty one removes it); returns how many changed.
    Flushes, never commits; one audit event per change."""
    existing = {
        h.quarter: h
        for h in db.session.scalars(
            select(ReportHighlight).where(ReportHighlight.start_year == year.start_year)
        )
    }
    changed = 0
    for quarter in QUARTERS:
        text = (texts.get(quarter) or "").strip()
        if len(text) > HIGHLIGHT_MAX:
            raise HighlightError(_l("Keep each highlight under 1500 characters."), quarter)
        current = existing.get(quarter)
        if current is not None and current.text == text:
            continue
        if current is None and not text:
            continue
        if not text:
            db.session.delete(current)
        else:
            if current is None:
                current = ReportHighlight(start_year=year.start_year, quarter=quarter)
                db.session.add(current)
            current.text = text
            current.updated_by_id = actor.id if actor else None
        changed += 1
    db.session.flush()
    if changed:
        record(actor, "annual_report.highlights_save", "annual_report", year.start_year)
    return changed


# --- Counts -------------------------------------------------------------------------------------


def training_delivered(year: ReportingYear) -> tuple[int, float]:
    """Sessions that began in the year with at least one person present, and the hours of
    training they gave (a 3-hour session with 4 people present gives 12 hours)."""
    rows = db.session.execute(
        select(TrainingSession.id, TrainingSession.starts_at, TrainingSession.ends_at)
        .join(SessionEnrolment, SessionEnrolment.session_id == TrainingSession.id)
        .where(
            SessionEnrolment.status == EnrolmentStatus.ATTENDED,
            TrainingSession.starts_at >= year.starts_at,
            TrainingSession.starts_at < year.ends_at,
        )
    ).all()
    hours = sum((ends - starts).total_seconds() / 3600 for _, starts, ends in rows)
    return len({session_id for session_id, _, _ in rows}), round(hours, 1)


def compute_story(year: ReportingYear) -> Story:
    accompanied, fast_track = db.session.execute(
        select(
            func.count(Referral.id).filter(Referral.accompanied.is_(True)),
            func.count(Referral.id).filter(Referral.fast_track.is_(True)),
        ).where(sent_between(year.starts_at, year.ends_at))
    ).one()
    gender_age = {
        (gender, age): int(n)
        for gender, age, n in db.session.execute(
            select(Referral.gender, Referral.age_band, func.count(Referral.id))
            .where(sent_between(year.starts_at, year.ends_at))
            .group_by(Referral.gender, Referral.age_band)
        )
    }
    sessions, hours = training_delivered(year)
    return Story(
        highlights=highlights(year),
        accompanied=int(accompanied or 0),
        fast_track=int(fast_track or 0),
        engagement=confirmed_engagement_counts(year.first_day, year.last_day),
        training_sessions=sessions,
        training_hours=hours,
        gender_age=gender_age,
    )


# --- Tables -------------------------------------------------------------------------------------

ENGAGEMENT_ROWS = (
    (EngagementKind.AWARENESS, _l("Awareness activities"), "engagement"),
    (EngagementKind.INFORMAL_PARTNERSHIP, _l("Informal partnerships"), "engagement"),
    (EngagementKind.IN_KIND, _l("In-kind contributions"), "engagement"),
    (EngagementKind.MENTORING, _l("Partners mentoring another partner"), "engagement"),
)


def story_table(story: Story, funder: bool) -> Table:
    count = suppress_count if funder else (lambda value: value)
    rows = [
        Row(
            _l("Accompaniments (the intervenante went along)"),
            [count(story.accompanied)],
            "accompanied",
        ),
        Row(_l("Fast-track (priority) requests"), [count(story.fast_track)], "fast-track"),
        *(
            Row(label, [count(story.engagement[kind])], term)
            for kind, label, term in ENGAGEMENT_ROWS
        ),
        # Training is given to partners' staff, not to the people served: nothing to suppress.
        Row(_l("Training sessions held"), [story.training_sessions], "training-delivered"),
        Row(
            _l("Hours of training delivered (hours × people present)"),
            [float(story.training_hours)],
            "training-delivered",
        ),
    ]
    return Table(
        "story",
        _l("Accompaniments, priority requests, engagement and training"),
        [Column(_l("Indicator")), Column(_l("Value"))],
        rows,
    )


def gender_age_table(story: Story, total: int) -> Table:
    """Gender (rows) by age group (columns), referrals, suppressed in every view."""
    genders = [*GENDERS, NOT_ASKED]
    ages = [*AGE_BANDS, NOT_ASKED]
    cells = _gender_age_cells(story, total, genders, ages)
    not_asked = _l("Not asked")
    rows = [
        Row(
            GENDER_LABELS[g] if g else not_asked,
            [*(cells["cell", g, a] for a in ages), cells["row", g]],
        )
        for g in genders
    ]
    columns = [
        Column(_l("Gender"), "gender-age"),
        *(Column(AGE_BAND_LABELS[a] if a else not_asked) for a in ages),
        Column(_l("All ages")),
    ]
    return Table(
        "gender-age",
        _l("Referrals by gender and age group"),
        columns,
        rows,
        Row(_l("All referrals of the year"), [*(cells["col", a] for a in ages), cells["all"]]),
        note=_l(
            "Optional answers, counted only here. Counts from 1 to 4 read “< 5”, in every view, "
            "and an “x” hides a larger count that would give one back."
        ),
        term="gender-age",
    )


def _gender_age_cells(
    story: Story, total: int, genders: list[str | None], ages: list[str | None]
) -> dict[Hashable, int | Mark]:
    """Each cell, row total, column total and the year's total, suppressed as one table."""
    values: dict[Hashable, int] = {
        ("cell", g, a): story.gender_age.get((g, a), 0) for g in genders for a in ages
    }
    values |= {("row", g): sum(values["cell", g, a] for a in ages) for g in genders}
    values |= {("col", a): sum(values["cell", g, a] for g in genders) for a in ages}
    values["all"] = total
    lines = [
        *(Line([("cell", g, a) for a in ages], ("row", g)) for g in genders),
        *(Line([("cell", g, a) for g in genders], ("col", a)) for a in ages),
        Line([("row", g) for g in genders], "all"),
        Line([("col", a) for a in ages], "all"),
    ]
    # The year's total is shown in the totals table: hiding it here would protect nothing.
    return suppress_lines(values, lines, fixed={"all"})
