"""`python -m scorer`: the `score` command (scorer/cli/main.py)."""

from scorer.cli.main import command, main

__all__ = ["command", "main"]

if __name__ == "__main__":
    command()
