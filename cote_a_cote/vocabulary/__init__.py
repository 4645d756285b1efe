"""Shared vocabulary below every feature: the names the platform gives to codes (languages)."""
