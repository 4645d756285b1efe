"""Profile changes: proposed by provider staff (portal), reviewed by administrators (vetting).

models.py holds ProfileRevision; services.py applies or queues a change and decides on it;
diff.py shows what a pending change would do, side by side.
"""
