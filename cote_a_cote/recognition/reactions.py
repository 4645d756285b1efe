"""What recognition tells the catalogue pages: each partner's public badge today."""

from __future__ import annotations

from .. import signals
from .services import today_badge_labels


def _badge_labels(org_ids, locale, **_):
    return today_badge_labels(org_ids, locale)


def connect() -> None:
    """Subscribe recognition to the questions it answers (connecting twice changes nothing)."""
    signals.badge_labels_asked.connect(_badge_labels)
