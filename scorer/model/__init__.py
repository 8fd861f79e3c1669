"""Frozen types only: the rule set, a department\x27s inputs, results and problems. No file, YAML or schema code."""
