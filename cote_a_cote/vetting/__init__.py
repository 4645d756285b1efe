"""Vetting: applications, decisions, profile revisions and the organisation's history."""
