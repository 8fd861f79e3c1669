"""A rule set: its model, read from a rules folder, checked, and cached as data."""
