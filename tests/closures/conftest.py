"""The referral tests' fictional world (two providers, intervenantes, an administrator)."""

from tests.referrals.conftest import referral_world, world  # noqa: F401
