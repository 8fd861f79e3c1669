"""`score`'s command line lives in scorer/cli/; this name is kept for a checkout's `python cli.py` and for
programs that import `cli` from it. The wheel does not install it."""

from scorer.cli.app import registered
from scorer.cli.main import main

app = registered()  # every command, for programs that invoke the app itself

__all__ = ["app", "main"]

if __name__ == "__main__":
    main()
