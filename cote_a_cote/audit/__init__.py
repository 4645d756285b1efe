"""The audit trail: who did what to which object, when and from where, in a tamper-evident chain."""
