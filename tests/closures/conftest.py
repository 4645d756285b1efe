"""The referral tests' fictional world (two providers, intervenantes, an administrator)."""

from tests.referrals.conftest import world  # noqa: F401
