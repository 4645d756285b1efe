"""The seeds/ folder: reference and demo data files, read by every feature's seeder."""

from __future__ import annotations

import json
from typing import Any

from .config import PROJECT_ROOT

SEEDS_DIR = PROJECT_ROOT / "seeds"


def read_seed(name: str) -> Any:
    """The parsed content of seeds/<name> (a JSON file)."""
    return json.loads((SEEDS_DIR / name).read_text(encoding="utf-8"))
