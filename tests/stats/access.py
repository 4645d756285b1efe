"""Access-matrix rows and world objects for the stats routes.

Merged by tests/test_access_matrix.py (and so checked by tests/test_accessibility.py too).
"""

from __future__ import annotations

# (method, endpoint) -> expected answer per role, as in tests/test_access_matrix.py.
ROWS: dict[tuple[str, str], dict[str, int | str]] = {}


def world(provider_org, service, make_user) -> dict:
    """Objects the URLs need: by URL argument name, or by endpoint for explicit values."""
    return {}
