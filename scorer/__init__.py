"""rubric-scorer: score a department's 部门整体支出绩效自评 against a versioned YAML rubric, exactly.

The packages are layers, bottom first (docs/architecture.md draws them): `sources` reads files into documents
that name their places, `formula` and `kinds` are how a rule scores, `rules` and `inputs` read a rule set and a
department, `engine` scores them (pure), `render` writes a result in a format and a language; the features
(`run`, `batch`, `audit`, `maintain`, `template`) use them, and `cli` is the command line.
"""

from scorer.version import __version__

__all__ = ["__version__"]
