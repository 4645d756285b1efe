"""The annual report (April 1 – March 31) and its exports."""
