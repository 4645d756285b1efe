"""The engagement-recognition program: levels, criteria, awards, badge and certificate."""
