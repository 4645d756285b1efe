"""Fixtures for shortlists: the referral world of tests/referrals (fictional organisations)."""

from __future__ import annotations

from tests.referrals.conftest import World, referral_world, world  # noqa: F401  (fixtures)
