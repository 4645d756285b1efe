"""Training: modules, records per staff member, and the organisation's trained status."""
