"""The person's own say: a rating of the welcome, without an account (issue 12 §5)."""
