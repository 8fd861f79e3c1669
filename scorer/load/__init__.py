"""Readers: files (YAML, …) → the frozen model, every problem located by file and line."""
