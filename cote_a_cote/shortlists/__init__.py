"""Shortlists: services an intervenante keeps together to show a person (issue 12 §4)."""
