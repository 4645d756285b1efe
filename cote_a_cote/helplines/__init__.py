"""A way in for the person: 24/7 help lines and the referring organisations (issue 12 §7)."""
