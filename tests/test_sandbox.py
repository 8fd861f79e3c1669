"""Escape attempts against the formula sandbox and the reason templates: refused on load, never evaluated.

Each attempt is written into a copy of the frozen rules in tests/fixtures, whose lines the messages pin.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import scorer.formula.evaluate
from scorer.maintain.lint import lint

BE = "indicators/budget_execution.yaml"
FORMULA = "formula: weight * min(execution_rate, 100) / 100"
PREFIX = "<R>/indicators/budget_execution.yaml:11: [budget_execution] formula: "

# (attempt, the message lint and load give)
ESCAPES = [
    ("().__class__.__bases__[0].__subclasses__()", "attribute access ('.') is not allowed in formulas"),
    ("weight.__class__.__mro__", "attribute access ('.') is not allowed in formulas"),
    ("(1).__class__", "attribute access ('.') is not allowed in formulas"),
    ("min.__self__", "attribute access ('.') is not allowed in formulas"),
    ("__import__('os').system('echo pwned')", "attribute access ('.') is not allowed in formulas"),
    ("__import__('os')", "function '__import__' is not allowed (allowed: abs, ceil, clamp, floor, max, min)"),
    (
        "getattr(weight, '__class__')",
        "function 'getattr' is not allowed (allowed: abs, ceil, clamp, floor, max, min)",
    ),
    ("type(weight)", "function 'type' is not allowed (allowed: abs, ceil, clamp, floor, max, min)"),
    ("globals()", "function 'globals' is not allowed (allowed: abs, ceil, clamp, floor, max, min)"),
    ("open('/etc/passwd')", "function 'open' is not allowed (allowed: abs, ceil, clamp, floor, max, min)"),
    ("exec('import os')", "function 'exec' is not allowed (allowed: abs, ceil, clamp, floor, max, min)"),
    ("eval('1')", "function 'eval' is not allowed (allowed: abs, ceil, clamp, floor, max, min)"),
    ("__builtins__", "name '__builtins__' is not defined"),
    ("'{0.__class__}'.format(weight)", "attribute access ('.') is not allowed in formulas"),
    ("f'{weight.__class__}'", "an f-string is not allowed in formulas"),
    ("'%s' % weight", "only numbers may be written in formulas, not '%s'"),
    ("(lambda: 1)()", "a lambda is not allowed in formulas"),
    ("[x for x in (1, 2)]", "a comprehension is not allowed in formulas"),
    ("{x: 1 for x in (1,)}", "a comprehension is not allowed in formulas"),
    ("max(x for x in (1, 2))", "a comprehension is not allowed in formulas"),
    ("(y := 1)", "assignment (':=') is not allowed in formulas"),
    ("9**9**9**9", "the exponent of '**' must be a whole number written out (e.g. 2)"),
    ("weight ** 1000000", "the exponent 1000000 is larger than 10"),
    ("'a' * 10**9", "only numbers may be written in formulas, not 'a'"),
    ("[1] * 10**9", "'List' is not allowed in formulas"),
    ("(1, 2)", "'Tuple' is not allowed in formulas"),
    ("{}", "'Dict' is not allowed in formulas"),
    ("b'x'", "only numbers may be written in formulas, not b'x'"),
    ("max(*[1, 2])", "'*' unpacking is not allowed in formulas"),
    ("min(weight, key=abs)", "min() takes no keyword arguments"),
    (
        "weight if True else __import__('os')",
        "function '__import__' is not allowed (allowed: abs, ceil, clamp, floor, max, min)",
    ),
    ("1; import os", "cannot parse the formula: invalid syntax"),
    ("(" * 200 + "1" + ")" * 200, "the formula nests more than 40 parentheses"),
    ("- " * 400 + "1", "the formula nests deeper than 40 levels"),
    ("1+" * 600 + "1", "the formula is 1201 characters long; the limit is 1000"),
]


@pytest.fixture
def no_evaluation(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record every formula the engine is asked to evaluate."""
    evaluated: list[str] = []
    original = scorer.formula.evaluate.Formula.evaluate

    def spy(self: scorer.formula.evaluate.Formula, names: Any) -> object:
        evaluated.append(self.source)
        return original(self, names)

    monkeypatch.setattr(scorer.formula.evaluate.Formula, "evaluate", spy)
    return evaluated


@pytest.mark.parametrize(("attempt", "message"), ESCAPES, ids=[e[0][:40] for e in ESCAPES])
def test_escape_attempt_is_refused_on_load_and_never_evaluated(
    attempt: str, message: str, rules_copy: Callable[..., Path], no_evaluation: list[str]
) -> None:
    folder = rules_copy({BE: (FORMULA, "formula: " + json.dumps(attempt))})
    report = lint([str(folder)])
    assert [str(p).replace(str(folder), "<R>") for p in report.errors] == [PREFIX + message]
    assert attempt not in no_evaluation


TEMPLATE_ESCAPES = [
    ("{execution_rate.__class__}", "placeholder '{execution_rate.__class__}' must be a plain name (no '.', '[' or numbers)"),
    ("{execution_rate[0]}", "placeholder '{execution_rate[0]}' must be a plain name (no '.', '[' or numbers)"),
    ("{0.__init__}", "placeholder '{0.__init__}' must be a plain name (no '.', '[' or numbers)"),
    ("{weight.__class__.__mro__[1].__subclasses__}", "placeholder '{weight.__class__.__mro__[1].__subclasses__}' must be a plain name (no '.', '[' or numbers)"),
    ("{score!r}", "placeholder '{score}' may not carry a format spec or conversion"),
    ("{score:{weight}}", "placeholder '{score}' may not carry a format spec or conversion"),
    ("{__builtins__}", "unknown placeholder '{__builtins__}'"),
]  # fmt: skip


@pytest.mark.parametrize(("template", "message"), TEMPLATE_ESCAPES, ids=[t[0] for t in TEMPLATE_ESCAPES])
def test_reason_template_escape_is_refused_on_load(
    template: str, message: str, rules_copy: Callable[..., Path]
) -> None:
    folder = rules_copy({BE: ("按执行率×权重得{score}分。", template)})
    report = lint([str(folder)])
    assert [str(p).replace(str(folder), "<R>") for p in report.errors] == [
        "<R>/indicators/budget_execution.yaml:15: [budget_execution] reason: " + message
    ]
