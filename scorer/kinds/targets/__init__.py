"""Declared targets: as written, read, worded and judged."""
