"""What every kind shares with the rest of the scorer: the inputs a rule asks (`InputSpec`), the steps of how a
score came about (`Step`, for `score explain`), and the protocol a scoring kind stands behind (`Kind`).

A scoring kind is one module `scorer/kinds/<name>.py` (or a package with its `kind.py`), where `<name>` is the
`scoring:` value of the rule files, ending with `KIND = <its Kind>()`. The registry (`kinds/registry.py`) imports
it only when a rule set uses it. Everything outside `scorer/kinds/` asks the kind through this protocol and never
tells kinds apart by their spec's class or their name; every method has a default, so a kind writes only what
it has. `S` is the kind's frozen spec (`Indicator.kinds.spec`; None for a 2022 kind, whose spec is the
indicator's own fields).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any, ClassVar, Generic, NamedTuple, TypeVar

from msgspec import Struct

from scorer.errors import Location, Problem
from scorer.facts import Fact, Message

if TYPE_CHECKING:
    from collections.abc import Callable

    from scorer.formula.evaluate import Formula
    from scorer.kinds.context import Row
    from scorer.kinds.parts import Ask, Edge, EdgeKey, Item, Names, Outside, Reader
    from scorer.kinds.rule import Given, Rule
    from scorer.kinds.specs import Path
    from scorer.kinds.targets.model import TargetOutcome
    from scorer.rounding import Exact

# The names a row's formulas and conditions read besides its inputs (`Rule.formula_names` gives them).
FORMULA_NAMES = frozenset({"weight", "year"})


class InputSpec(Struct, frozen=True):
    name: str
    type: str  # number | integer | percent | yes_no (1 for yes, 0 for no)
    label: str
    unit: str = ""
    min: Decimal | None = None
    max: Decimal | None = None
    max_ref: str | None = None
    optional: bool = False
    # Where a department gives it: "" under the row; "shared" the inputs file's `shared:` (an input the rubric
    # declares once for several rows); "budget" its budget block (`budget_total` is `budget: {total: …}`).
    shared: str = ""


class Step(Struct, frozen=True):
    """One step of how a score came about, for `score explain`."""

    what: str
    detail: Message
    value: Decimal | Fraction | None = None  # a roll-up's raw score is an exact fraction


class KindScore(NamedTuple):
    """A row's score before the evaluator's deductions, as a kind's compiled scorer works it out: rounded once and
    within [0, weight], with the reasons for the points lost, the notes and the targets judged."""

    score: Decimal
    reasons: tuple[Message, ...] = ()
    notes: tuple[Message, ...] = ()
    targets: tuple[TargetOutcome, ...] = ()
    # The rest worked out only when read, in place of the fields above but `score` (a formula's reason template
    # filled in; targets judged one by one, with their reasons): an output that reads none of it never works it
    # out. Set where the row has reasons or targets to say.
    later: Callable[[], KindScore] | None = None


S = TypeVar("S")


class Kind(Generic[S]):
    """A scoring kind. Pure: each method reads its spec and what it is given, nothing else."""

    name: ClassVar[str]  # the `scoring:` value
    # The result depends only on the indicator, the department's inputs and the year: the engine works out the
    # result of a row a department leaves empty once per rule set and year.
    pure: ClassVar[bool] = False
    # The score is the rule's own formula over the row's inputs: every declared input is asked for, the
    # department's own reason (`reason:`) may stand for the rule's, and `score audit` works the score out again
    # from the values its reason states.
    by_formula: ClassVar[bool] = False
    # The row's inputs are evidence shown beside its score (a ratio), never scored.
    evidence_only: ClassVar[bool] = False
    # A person may judge the row by typing its score (自评分): the score below the weight is the points lost
    # (`judged_row` says whether a department's row is so judged).
    judged: ClassVar[bool] = False
    # A row known to exist but not encoded yet, scored only by what an evaluator enters: the rubric is partly
    # encoded, and every output says so.
    unencoded: ClassVar[bool] = False
    # The keys of an indicator in a rule file that only this kind reads (`formula`, `targets`).
    owns: ClassVar[frozenset[str]] = frozenset()
    # What an inputs file to fill says of a row of this kind that asks for nothing (a catalogue key, with title).
    nothing_to_fill: ClassVar[str] = "scaffold.nothing_to_fill"

    # The placeholders its texts in a rule file may name, besides the indicator's inputs, metrics, weight, year.
    placeholders: ClassVar[frozenset[str]] = frozenset()

    def check_keys(self, rule: Rule) -> Iterator[Problem]:
        """What the kind needs of its indicator's keys and does not have (`score lint`)."""
        return iter(())

    def judged_row(self, entry: Mapping[str, Any]) -> bool:
        """Whether a department's row, as its inputs file gives it, is judged by the score a person types."""
        return self.judged

    def read(self, data: Any, path: Path, at: Reader) -> S:
        """The spec a rule file declares under the kind's key (already checked against its schema)."""
        raise NotImplementedError(self.name)

    def lint(self, spec: S, rule: Rule, year: int | None) -> Iterator[Problem]:
        """What is wrong with the spec (`score lint`); with a year, formulas are tried on sample values."""
        return iter(())

    def formulas(self, spec: S) -> Iterator[tuple[Formula, Path]]:
        """The spec's formulas and where each stands, for the lint every formula gets."""
        return iter(())

    def reads(self, spec: S) -> frozenset[str]:
        """Every name the spec's formulas read and every input it asks for."""
        return frozenset()

    def conditions(self, spec: S) -> Iterator[Formula]:
        """The conditions that decide how the spec scores (an alternative's `when`)."""
        return iter(())

    def score(self, spec: S, row: Row) -> Decimal:
        """The row's score before the evaluator's deductions, rounded once (`row.finish`); each step said
        through `row.steps`, each lost point's reason through `row.reasons`."""
        raise NotImplementedError(self.name)

    def compile(self, spec: S, rule: Rule) -> Callable[[Given, int], KindScore | None] | None:
        """The row's scoring as one plain callable of the department's row and the year, made once per rule set
        (scorer/engine/compiled.py): it gives what `score` gives, as a `KindScore`, or None for inputs it leaves to
        `score` (a missing input, a formula that fails, a raw value to be clamped), so every message and step
        stays `score`'s own. None where the kind has no compiled form: the engine scores its rows by `score`."""
        return None

    def needs(self, spec: S, names: Mapping[str, Decimal], choice: str) -> frozenset[str]:
        """The inputs a department must give for the row to be scored, given the values it gave."""
        return frozenset()

    def items(self, spec: S, ident: str) -> Iterator[Item]:
        """The parts `score test --coverage` wants exercised."""
        return iter(())

    def edges(self, spec: S, ident: str) -> Iterator[Edge]:
        """The edges `score test --coverage` wants reached, each from each side a value can reach it from."""
        return iter(())

    def edges_seen(self, spec: S, names: Names) -> set[EdgeKey]:
        """The edges a case's values reach (`names`: its inputs, with the row's weight and year)."""
        return set()

    def parts(self, spec: S) -> Iterator[tuple[str, str]]:
        """`score diff`: each part's place and the rule's own text for it."""
        return iter(())

    def asks(self, spec: S) -> Iterator[Ask]:
        """What a department gives besides its inputs (a grade, a choice)."""
        return iter(())

    def rows(self, spec: S, weight: Decimal, lang: str) -> list[InputSpec]:
        """Those asks as rows of the input workbook and columns of the batch sheet, each under the name that
        says where its value goes (`judgement.grade`, `choice`)."""
        return []

    def schema(self, spec: S) -> Mapping[str, Any]:
        """Those keys' properties in the inputs schema."""
        return {}

    def needed_when(self, spec: S) -> Iterator[tuple[str, Fact | None]]:
        """Each input the kind scores with, and the case it is asked in (None: unless a condition decides)."""
        return iter(())

    def outside(self, spec: S, names: Mapping[str, Decimal], choice: str) -> Outside | None:
        """A value these figures give that the kind cannot score, to be reported at the department's figure."""
        return None

    def stated(self, spec: S, rule: Any, reason: str) -> dict[str, Decimal] | None:
        """`score audit`: the inputs a row's reason states, read back with the kind's own texts; None when they
        cannot be read back."""
        return None


def within(rule: Rule, raw: Exact) -> Decimal | None:
    """A compiled scorer's raw value rounded once by the rule, when it lies within [0, weight]; None when it must
    be brought inside first (left to `score`, which says so in a note)."""
    if 0 <= raw <= (rule.exact_weight if type(raw) is Fraction else rule.weight):
        return rule.rounding.apply(raw)
    return None


def within_ratio(rule: Rule) -> Callable[[int, int], Decimal | None]:
    """As `within`, for an exact value given as numerator, denominator (> 0), in integers: made once per row,
    the weight's ratio read once."""
    weight_n, weight_d = rule.exact_weight.numerator, rule.exact_weight.denominator
    of_ratio = rule.rounding.of_ratio

    def rounded(numerator: int, denominator: int) -> Decimal | None:
        if numerator >= 0 and numerator * weight_d <= weight_n * denominator:
            return of_ratio(numerator, denominator)
        return None

    return rounded


def fixed_names(rule: Rule, year: int) -> dict[str, Decimal | Fraction]:
    """What a formula reads besides its inputs, as the engine gives it: the indicator's weight, the rules' year."""
    return {"weight": rule.weight, "year": Decimal(year)}


def place(rule: Rule, *path: str | int) -> Location:
    """Where a key of a rule stands: its file, line, indicator and key, for lint."""
    from scorer.kinds.specs import where

    return Location(rule.path, rule.lines.line(tuple(path)), rule.id, where(tuple(path)) or None)
