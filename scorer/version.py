"""The version of rubric-scorer: named in every result and in the rules cache's key."""

__version__ = "0.1.0"
