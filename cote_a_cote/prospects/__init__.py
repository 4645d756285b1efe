"""Partner recruitment: suggested businesses followed by coordinators to an application."""
