"""Fixtures for the person's say: the referral world of tests/referrals (fictional people)."""

from __future__ import annotations

from tests.referrals.conftest import World, referral_in, referral_world, world  # noqa: F401  (fixtures)
