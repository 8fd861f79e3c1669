"""rubric-scorer: score a department's 部门整体支出绩效自评 against a versioned YAML rubric, exactly.

The pipeline, one package a step (docs/architecture.md draws it): `load` reads and checks the rule files and a
department's inputs (`load/yamlio.py` is the one YAML reader) → `scoring` scores them (`scoring/engine.py`, pure)
→ `render` writes the result in a format and a language. `model` holds the types passed between the steps;
`commands` holds what each command of `cli.py` calls.
"""

from scorer.deferred_patterns import import_deferring_patterns
from scorer.version import __version__

__all__ = ["__version__"]

# Every command does exact arithmetic in Fractions; the pattern `fractions` compiles at import reads a Fraction
# from text, which `score` never asks for.
import_deferring_patterns("fractions")
