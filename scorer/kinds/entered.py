"""A row known to exist but not encoded yet: it keeps its weight and provenance, and is scored only by the
score an evaluator enters for it (the 自评分 with its reason: `score:` and `reason:` in an inputs file, the 自评分
column of a clerk's workbook, `<row>.score` of a batch sheet). It never scores full marks by default: a department
that enters nothing for it is refused at the row, and every output marks the rubric as partly encoded.

```yaml
scoring: entered
entered:
  standard: 按制度建设情况综合评分（评分细则尚未编码）   # the published standard, as the evaluator applies it
```
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from scorer.facts import fact
from scorer.kinds.base import Step
from scorer.kinds.context import Declarative, Row
from scorer.kinds.parts import Ask, Reader
from scorer.kinds.specs import Path, Texts, where

if TYPE_CHECKING:
    from scorer.errors import Problem
    from scorer.kinds.rule import Rule


@dataclass(frozen=True, slots=True)
class Entered:
    standard: Texts  # the scoring standard as published: what the evaluator applies by hand
    path: Path
    kind: str = "entered"


class EnteredKind(Declarative[Entered]):
    name = "entered"
    judged = True  # the evaluator's 自评分 is the score: below the weight, its reason says why
    unencoded = True  # every output marks the rubric as partly encoded

    def read(self, data: Mapping[str, Any], path: Path, at: Reader) -> Entered:
        return Entered(at.texts(data["standard"], path + ("standard",), self.placeholders), path)

    def lint(self, spec: Entered, rule: Rule, year: int | None) -> Iterator[Problem]:
        from scorer.errors import Problem
        from scorer.kinds.lint_tools import at

        yield Problem(at(rule, spec.path), fact("lint.entered", id=rule.id), severity="warning")

    def scored(self, spec: Entered, row: Row) -> Decimal:
        # The reader refuses the row without the evaluator's score (or an override): the score entered stands
        # as the weight less its points lost, which the engine takes off with their reason.
        row.exercised.append(where(spec.path))
        if row.explain:
            row.steps.append(Step("base", fact("step.entered", weight=row.weight), row.weight))
        return row.finish(row.weight)

    def parts(self, spec: Entered) -> Iterator[tuple[str, str]]:
        yield where(spec.path + ("standard",)), _standard(spec)

    def asks(self, spec: Entered) -> Iterator[Ask]:
        yield Ask(
            "score", "score", (), "standard", _standard(spec), "inputs.entered_missing", "scaffold.entered"
        )


def _standard(spec: Entered) -> str:
    """The standard as the rule file writes it (its first language: Chinese)."""
    return spec.standard[0][1].source if spec.standard else ""


KIND = EnteredKind()
