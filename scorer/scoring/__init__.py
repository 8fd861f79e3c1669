"""Scoring: pure functions from a rule set and a department to a result. No I/O, no printing."""
