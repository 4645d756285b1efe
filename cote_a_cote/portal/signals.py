"""Signals the portal sends, for features that react to it without being called by it."""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

# Sent with the draft organisation as sender and email= the applicant's address, in the
# transaction that filed a "Devenir partenaire" application.
partner_applied = _signals.signal("partner-applied")
