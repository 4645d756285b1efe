"""People and activities: the one definition the dashboard and the annual report share.

An activity is a referral sent; a person is a person's code (Person row), whatever the number of
referrals made under it, re-routes included. The code may be erased by the purge: the row's id
still counts the person once. Pure functions take plain values so each figure can be checked by
hand; person_of reads the database.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from sqlalchemy import select

from ..extensions import db
from .models import Referral


def person_of(where) -> dict[int, int]:
    """Referral id → person id for the referrals matching the SQL conditions where."""
    return dict(db.session.execute(select(Referral.id, Referral.person_id).where(*where)).all())


def distinct_people(referral_ids: Iterable[int], persons: Mapping[int, int]) -> int:
    """How many persons the referrals are for."""
    return len({persons[i] for i in referral_ids})


@dataclass(frozen=True)
class PerPerson:
    """Averages over the people of a period (None when there is nobody to divide by)."""

    people: int
    referrals: int
    referrals_per_person: float | None
    needs_per_person: float | None  # distinct need terms named over each person's referrals


def per_person(
    referral_needs: Iterable[tuple[int, Iterable[int]]], persons: Mapping[int, int]
) -> PerPerson:
    """referral_needs: (referral id, its need term ids) for each referral of the period."""
    needs_of: dict[int, set[int]] = {}
    count = 0
    for referral_id, need_ids in referral_needs:
        count += 1
        needs_of.setdefault(persons[referral_id], set()).update(need_ids)
    people = len(needs_of)
    if not people:
        return PerPerson(0, count, None, None)
    return PerPerson(
        people=people,
        referrals=count,
        referrals_per_person=count / people,
        needs_per_person=sum(len(n) for n in needs_of.values()) / people,
    )
