"""Referrals: the workflow from a search result to a closed, evaluated referral."""
