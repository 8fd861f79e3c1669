"""`python -m scorer` and the `score` command.

The command line lives in `cli.py` at the project's root. An installed wheel carries it inside this package
as `scorer/cli.py` (so that no generic top-level `cli` module lands in site-packages); a checkout or an
editable install imports it from the root.
"""

from __future__ import annotations

import gc

# Importing makes a great many objects and no garbage: the collector is paused meanwhile (it would walk them all
# again and again), and what the import made is then frozen, so that later collections, and the one at exit,
# pass over it. About a sixth of `score run`'s start (benchmarks/startup.py).
gc.disable()
try:
    from scorer.cli import app, main  # an installed wheel
except ModuleNotFoundError as exc:  # pragma: no cover - depends on how the package was installed
    if exc.name != "scorer.cli":
        raise
    from cli import app, main  # a checkout
finally:
    gc.freeze()
    gc.enable()

__all__ = ["app", "main"]

if __name__ == "__main__":
    main()
