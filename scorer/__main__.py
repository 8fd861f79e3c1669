"""`python -m scorer`: the `score` command (scorer/cli/main.py)."""

from scorer.cli.main import app, command, main

__all__ = ["app", "command", "main"]

if __name__ == "__main__":
    command()
