"""The read-only Open Referral HSDS API (blueprint api, /api/hsds)."""
