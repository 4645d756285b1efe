"""Notifications: in-app messages, each also sent by e-mail without any sensitive content."""
