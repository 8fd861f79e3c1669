"""What rubric maintainers run: `score lint`, `score test` (golden cases, coverage) and `score diff`."""
