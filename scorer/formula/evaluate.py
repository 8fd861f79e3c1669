"""The formula language: plain arithmetic over an indicator's inputs, checked against an allow-list.

An allow-list of expression forms, names and functions is checked here, when the rules are loaded, so that
nothing outside the language is ever evaluated. A checked formula keeps its parsed tree and the plain closures
built from it once (scorer/formula/closure.py), so evaluating it is a few calls over exact fractions.

Allowed: numbers, `True`/`False`, the names given (an indicator's inputs, `weight`, `year`), the functions in
`FUNCTIONS`, `+ - * / %`, `**` with a small literal exponent, comparisons, `and`/`or`/`not`, `x if c else y`.
"""

from __future__ import annotations

import ast
import math
import operator
from collections.abc import Callable, Mapping
from decimal import Context, Decimal, Inexact, InvalidOperation, Overflow, Underflow, localcontext
from decimal import DivisionByZero as DecimalDivisionByZero
from fractions import Fraction
from functools import cached_property
from typing import Any

from msgspec import Struct

from scorer.errors import did_you_mean
from scorer.facts import fact
from scorer.i18n import Worded
from scorer.immutable import reused

MAX_LENGTH = 1000
MAX_DEPTH = 40
MAX_EXPONENT = 10
MAX_RESULT = 10**12
# A power may not build a number larger than this many bits: nested powers of bounded inputs could otherwise
# build numbers of millions of digits.
MAX_POWER_BITS = 4096

Number = Fraction | int


def _clamp(value: Number, low: Number, high: Number) -> Number:
    return max(low, min(value, high))


def _floor(value: Number) -> int:
    return math.floor(value)  # exact for Fractions: floor(-2.5) is -3


def _ceil(value: Number) -> int:
    return math.ceil(value)


def _power(base: Number, exponent: Number) -> Number:
    base = Fraction(base)
    size = max(base.numerator.bit_length(), base.denominator.bit_length())
    if size * abs(int(exponent)) > MAX_POWER_BITS:
        raise OverflowError(fact("formula.power_too_large"))
    return base ** int(exponent)


FUNCTIONS: dict[str, Callable[..., Any]] = {
    "min": min,
    "max": max,
    "abs": abs,
    "clamp": _clamp,
    "floor": _floor,
    "ceil": _ceil,
}
FUNCTION_ARITY = {
    "min": (2, 8),
    "max": (2, 8),
    "abs": (1, 1),
    "clamp": (3, 3),
    "floor": (1, 1),
    "ceil": (1, 1),
}

_OPERATORS: dict[type[ast.AST], Callable[..., Any]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.Mod: operator.mod,
    ast.Pow: _power,
    ast.USub: operator.neg,
    ast.UAdd: operator.pos,
    ast.Not: operator.not_,
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
}
_ALLOWED_NODES = (
    ast.Expression,
    ast.BinOp,
    ast.UnaryOp,
    ast.BoolOp,
    ast.Compare,
    ast.IfExp,
    ast.Call,
    ast.Name,
    ast.Constant,
    ast.Load,
    ast.And,
    ast.Or,
    *_OPERATORS,
)
# Constructs outside the language, and the catalogue key that names each in a message.
_FORBIDDEN = {
    ast.Attribute: "formula.construct.attribute",
    ast.Subscript: "formula.construct.subscript",
    ast.Lambda: "formula.construct.lambda",
    ast.ListComp: "formula.construct.comprehension",
    ast.SetComp: "formula.construct.comprehension",
    ast.DictComp: "formula.construct.comprehension",
    ast.GeneratorExp: "formula.construct.comprehension",
    ast.NamedExpr: "formula.construct.assignment",
    ast.JoinedStr: "formula.construct.fstring",
    ast.Starred: "formula.construct.starred",
    ast.BitXor: "formula.construct.xor",
}


class FormulaError(Worded, ValueError):
    """The formula is outside the language, or cannot be evaluated on these values."""


class DivisionByZero(FormulaError):
    """The formula divides by zero on these values."""


class MissingInput(FormulaError):
    """A condition read an input that was not given (the others it holds or fails without are not needed)."""

    def __init__(self, name: str):
        self.name = name
        super().__init__(fact("formula.needs_input", name=name))


# A Struct with a `__dict__` for the functools.cached_property closures (kept there, never pickled: a Struct
# pickles its fields). Equal by its text and names, not by its tree (ast nodes compare by identity).
class Formula(Struct, frozen=True, dict=True, eq=False):
    source: str
    tree: ast.expr  # compiled from `source`
    names: frozenset[str]

    def __eq__(self, other: object) -> bool:
        if type(other) is not Formula:
            return NotImplemented
        return self.source == other.source and self.names == other.names

    def __hash__(self) -> int:
        return hash((self.source, self.names))

    def evaluate(self, names: Mapping[str, Decimal | Fraction | bool | int]) -> Fraction:
        """Evaluate exactly, over fractions: `a / b * b` is `a`, and nothing is rounded until the rule's own
        rounding. Independent of any decimal context. Raises FormulaError for a runtime fault."""
        result = self._execute(names)
        if type(result) is not Fraction:
            if isinstance(result, bool) or not isinstance(result, int | Fraction):
                raise FormulaError(fact("formula.result_not_a_number", kind=type(result).__name__))
            result = Fraction(result)
        if abs(result.numerator) > MAX_RESULT * result.denominator:  # |n/d| > MAX, in integers
            raise FormulaError(fact("formula.result_out_of_range"))
        return result

    def evaluate_exact(self, names: Mapping[str, Decimal]) -> Decimal | Fraction:
        """The value `evaluate` gives, worked out in Decimal arithmetic where every step is exact (a context that
        traps any inexact step; no `%` or `**`, whose Decimal forms differ): a Decimal equal to it. Over fractions,
        as `evaluate`, where a step is not a finite decimal (1/3) or fails: then also every error is its own."""
        run = self._run_decimal
        if run is not None:
            try:
                with localcontext(_FINITE):
                    result = run(names)
            except (ArithmeticError, TypeError, ValueError):  # MissingInput among them: `evaluate` says it
                pass
            else:
                if type(result) is Decimal and abs(result) <= MAX_RESULT:
                    return result
        return self.evaluate(names)

    def holds(self, names: Mapping[str, Decimal | Fraction | bool | int]) -> bool:
        """A condition (a gate, a not-applicable rule, an alternative's `when`): true, or a number other than 0.

        Evaluated with the names given: `not targets_set or targets_total == 0` holds when targets_set is false
        without asking for targets_total. Raises MissingInput only when a name not given is read."""
        result = self._execute(names, partial=True)
        if not isinstance(result, bool | int | Fraction):
            raise FormulaError(fact("formula.result_not_a_number", kind=type(result).__name__))
        return bool(result)

    def _execute(self, names: Mapping[str, Decimal | Fraction | bool | int], partial: bool = False) -> object:
        if not partial:
            missing = self.names - names.keys()
            if missing:
                raise FormulaError(fact("formula.cannot_evaluate", detail=", ".join(sorted(missing))))
        values = {k: _exact(names[k]) for k in self.names if k in names}
        try:
            return self._run(values)
        except MissingInput:  # only with partial names: a name not given was read
            raise
        except ZeroDivisionError:
            raise DivisionByZero(fact("formula.division_by_zero")) from None
        except (TypeError, ValueError, ArithmeticError, InvalidOperation) as exc:
            raise FormulaError(fact("formula.cannot_evaluate", detail=str(exc))) from None

    @cached_property
    def _run(self) -> Callable[[Mapping[str, Any]], Any]:
        """The checked tree as plain closures, built once per formula (and never pickled)."""
        from scorer.formula.closure import closure

        return closure(self.tree, _OPERATORS, FUNCTIONS, MissingInput)

    @cached_property
    def _run_decimal(self) -> Callable[[Mapping[str, Any]], Any] | None:
        """The closures over Decimals, literals as Decimals; None for a formula with `%` or `**`."""
        from scorer.formula.closure import closure

        if any(isinstance(node, ast.Mod | ast.Pow) for node in ast.walk(self.tree)):
            return None
        try:
            return closure(self.tree, _OPERATORS, FUNCTIONS, MissingInput, _decimal_literal)
        except (
            ArithmeticError
        ):  # a literal that is no finite decimal: never, as literals are read from decimals
            return None


# Decimal arithmetic that never rounds: an inexact step (1/3), a division by zero or a number out of range
# raises, and the formula is worked out over fractions instead.
_FINITE = Context(
    prec=60, Emax=99, Emin=-99, traps=[InvalidOperation, Inexact, Overflow, Underflow, DecimalDivisionByZero]
)


def _decimal_literal(value: object) -> object:
    """A literal (an exact Fraction read from its decimal text, or a truth value) as a Decimal computes with it."""
    if type(value) is Fraction:
        return _FINITE.divide(Decimal(value.numerator), Decimal(value.denominator))
    return value


def _exact(value: Decimal | Fraction | bool | int) -> Fraction | bool:
    """A value as the formula computes with it: an exact Fraction (a truth value stays one)."""
    kind = type(value)
    if kind is Fraction or kind is bool:
        return value  # type: ignore[return-value]
    if kind is Decimal:
        return _fraction_of(value)  # type: ignore[arg-type]
    return Fraction(value)  # type: ignore[arg-type]


@reused(maxsize=4096)  # a department's values repeat (weights, years, common rates): each read once
def _fraction_of(value: Decimal) -> Fraction:
    return Fraction(value)


def compile_formula(source: str, allowed_names: set[str]) -> Formula:
    """Parse and check a formula once. Raises FormulaError naming the first thing outside the language."""
    if not isinstance(source, str) or not source.strip():
        raise FormulaError(fact("formula.empty"))
    if len(source) > MAX_LENGTH:
        raise FormulaError(fact("formula.too_long", length=len(source), limit=MAX_LENGTH))
    if source.count("(") > MAX_DEPTH:
        raise FormulaError(fact("formula.too_many_parentheses", depth=MAX_DEPTH))
    try:
        module = ast.parse(source.strip(), mode="eval")
    except SyntaxError as exc:
        raise FormulaError(fact("formula.syntax", detail=exc.msg)) from None
    except (RecursionError, MemoryError, ValueError):
        raise FormulaError(fact("formula.too_deep_to_parse")) from None
    checker = _Checker(allowed_names)
    checker.check(module, 0)
    _exact_constants(module, source.strip())
    return Formula(source, module.body, frozenset(checker.names))


class _Checker:
    def __init__(self, allowed_names: set[str]):
        self.allowed = allowed_names
        self.names: set[str] = set()

    def check(self, node: ast.AST, depth: int) -> None:
        if depth > MAX_DEPTH:
            raise FormulaError(fact("formula.too_deep", depth=MAX_DEPTH))
        if type(node) in _FORBIDDEN:
            raise FormulaError(fact("formula.forbidden", construct=fact(_FORBIDDEN[type(node)])))
        if not isinstance(node, _ALLOWED_NODES):
            raise FormulaError(fact("formula.node_not_allowed", node=type(node).__name__))
        if isinstance(node, ast.Call):
            if not isinstance(node.func, ast.Name):
                self.check(node.func, depth + 1)  # `(lambda: 1)()`, `x.f()`: name the construct itself
            self.check_function(node)
            for arg in node.args:  # the function's own name is not a variable
                self.check(arg, depth + 1)
            self.check_arity(node)
            return
        if isinstance(node, ast.Name):
            self.check_name(node)
        elif isinstance(node, ast.Constant):
            self.check_constant(node)
        elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Pow):
            self.check_power(node)
        for child in ast.iter_child_nodes(node):
            self.check(child, depth + 1)

    def check_name(self, node: ast.Name) -> None:
        if node.id in FUNCTIONS:
            raise FormulaError(fact("formula.function_as_name", name=node.id))
        if node.id not in self.allowed:
            hint = did_you_mean(node.id, self.allowed)
            raise FormulaError(fact("formula.undefined_name", name=node.id, hint=hint))
        self.names.add(node.id)

    @staticmethod
    def check_constant(node: ast.Constant) -> None:
        if isinstance(node.value, bool) or type(node.value) in (int, float):
            return
        if isinstance(node.value, complex):
            raise FormulaError(fact("formula.imaginary"))
        raise FormulaError(fact("formula.only_numbers", value=repr(node.value)))

    @staticmethod
    def check_function(node: ast.Call) -> None:
        if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS:
            name = node.func.id if isinstance(node.func, ast.Name) else ast.unparse(node.func)
            hint = did_you_mean(name, FUNCTIONS)
            allowed = ", ".join(sorted(FUNCTIONS))
            raise FormulaError(fact("formula.function_not_allowed", name=name, allowed=allowed, hint=hint))
        if node.keywords:
            raise FormulaError(fact("formula.no_keywords", name=node.func.id))

    @staticmethod
    def check_arity(node: ast.Call) -> None:
        assert isinstance(node.func, ast.Name)
        low, high = FUNCTION_ARITY[node.func.id]
        if not low <= len(node.args) <= high:
            raise FormulaError(
                fact("formula.arity", name=node.func.id, low=low, high=high, count=len(node.args))
            )

    @staticmethod
    def check_power(node: ast.BinOp) -> None:
        exponent = node.right
        if isinstance(exponent, ast.UnaryOp) and isinstance(exponent.op, ast.USub | ast.UAdd):
            exponent = exponent.operand
        value = exponent.value if isinstance(exponent, ast.Constant) else None
        if not isinstance(value, int) or isinstance(value, bool):
            raise FormulaError(fact("formula.exponent_not_literal"))
        if abs(value) > MAX_EXPONENT:
            raise FormulaError(fact("formula.exponent_too_large", value=value, limit=MAX_EXPONENT))


def _exact_constants(module: ast.AST, source: str) -> None:
    """Turn number literals into exact Fractions read from their source text, never through a binary float:
    `0.99999999999999999` is not 1, and `0.1` is exactly one tenth."""
    for node in ast.walk(module):
        if isinstance(node, ast.Constant) and type(node.value) in (int, float):
            text = (ast.get_source_segment(source, node) or "").replace("_", "")
            try:
                number = Decimal(text)
            except (InvalidOperation, ValueError):
                raise FormulaError(fact("formula.unreadable_number", text=repr(text))) from None
            # Checked before it becomes a Fraction: 1e999999999 as a fraction is a billion digits long.
            if number and (len(text) > 30 or not -30 < number.adjusted() < 12):
                raise FormulaError(fact("formula.number_out_of_range", text=text))
            exact = Fraction(number)
            node.value = exact  # type: ignore[assignment]  # a constant is handed back as it is
