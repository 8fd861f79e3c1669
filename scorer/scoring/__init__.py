"""Judging checked values and rolling them up into an indicator's raw score, exactly."""
