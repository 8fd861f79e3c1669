"""rubric-scorer: score a department's 部门整体支出绩效自评 against a versioned YAML rubric, exactly.

The pipeline, one module a step: `yamlio` reads files → `rules` / `inputs` load and check them (with
`schemas` and `validate`) → `engine` scores (pure) → `report` renders. `api` strings the steps together.
"""

__version__ = "0.1.0"
