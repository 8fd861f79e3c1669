"""A checked formula as closures over exact integer ratios: each number a pair (numerator, denominator > 0), never
reduced, so that `+ - * /`, comparisons and `min`/`max`/`abs`/`clamp` are a few integer operations each and the
one rounding is an integer division (`Rounding.of_ratio`). The value is exactly what `Formula.evaluate` computes
over fractions; a formula with `%`, `**`, `floor` or `ceil`, or a step these closures do not take (a truth value
in arithmetic, a division by zero, a truth value as the result), is left to `Formula.evaluate`, which says what
is wrong, if anything: `NotHere` is raised, never a wrong value.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Mapping
from decimal import Decimal
from fractions import Fraction
from typing import Any

from scorer.formula.evaluate import MAX_RESULT

Ratio = tuple[int, int]
Values = Mapping[str, Any]
Node = Callable[[Values, int], Any]  # the department's values and the year → a Ratio or a truth value


_NO_VALUES: Values = {}


class NotHere(Exception):
    """A step these closures leave to `Formula.evaluate`."""


def ratio_closure(tree: ast.expr, fixed: Mapping[str, Decimal]) -> Node | None:
    """The closure computing `tree` over ratios, `fixed` names (the row's weight) read once; None for a formula
    with a form it leaves to `Formula.evaluate`."""
    try:
        whole = _node(tree, {name: value.as_integer_ratio() for name, value in fixed.items()})
    except NotHere:
        return None

    def bounded(values: Values, year: int) -> Any:
        found = whole(values, year)
        if type(found) is tuple and abs(found[0]) > MAX_RESULT * found[1]:
            raise NotHere  # out of range: `Formula.evaluate` refuses it
        return found

    return bounded


def as_ratio(value: Any) -> Ratio:
    kind = type(value)
    if kind is Decimal:
        try:
            return value.as_integer_ratio()  # type: ignore[no-any-return]
        except (ValueError, OverflowError):  # NaN, ∞: the reader never gives them
            raise NotHere from None
    if kind is int:
        return value, 1
    raise NotHere  # a truth value or anything else: as Formula.evaluate takes it


def _number(value: Any) -> Ratio:
    if type(value) is tuple:
        return value
    raise NotHere  # a truth value in arithmetic


def _truth(value: Any) -> bool:
    return value[0] != 0 if type(value) is tuple else bool(value)


def _add(a: Any, b: Any) -> Ratio:
    (n, d), (m, e) = _number(a), _number(b)
    return (n * e + m * d, d * e)


def _sub(a: Any, b: Any) -> Ratio:
    (n, d), (m, e) = _number(a), _number(b)
    return (n * e - m * d, d * e)


def _mul(a: Any, b: Any) -> Ratio:
    (n, d), (m, e) = _number(a), _number(b)
    return (n * m, d * e)


def _div(a: Any, b: Any) -> Ratio:
    (n, d), (m, e) = _number(a), _number(b)
    if m == 0:
        raise NotHere  # Formula.evaluate says the division by zero
    return (n * e, d * m) if m > 0 else (-n * e, -d * m)


def _neg(a: Any) -> Ratio:
    n, d = _number(a)
    return (-n, d)


def _pos(a: Any) -> Ratio:
    return _number(a)


def _cross(a: Any, b: Any) -> tuple[int, int]:
    """a and b over one denominator (both > 0): what compares as they do."""
    (n, d), (m, e) = _number(a), _number(b)
    return n * e, m * d


def _lt(a: Any, b: Any) -> bool:
    left, right = _cross(a, b)
    return left < right


def _le(a: Any, b: Any) -> bool:
    left, right = _cross(a, b)
    return left <= right


def _gt(a: Any, b: Any) -> bool:
    left, right = _cross(a, b)
    return left > right


def _ge(a: Any, b: Any) -> bool:
    left, right = _cross(a, b)
    return left >= right


def _eq(a: Any, b: Any) -> bool:
    left, right = _cross(a, b)
    return left == right


def _ne(a: Any, b: Any) -> bool:
    left, right = _cross(a, b)
    return left != right


def _min(*values: Any) -> Ratio:
    least = _number(values[0])
    for value in values[1:]:
        if _lt(value, least):  # the first of equal values, as Python's min
            least = value
    return least


def _max(*values: Any) -> Ratio:
    most = _number(values[0])
    for value in values[1:]:
        if _gt(value, most):
            most = value
    return most


def _abs(a: Any) -> Ratio:
    n, d = _number(a)
    return (-n, d) if n < 0 else (n, d)


def _clamp(value: Any, low: Any, high: Any) -> Ratio:
    return _max(low, _min(value, high))


_OPERATORS: dict[type[ast.AST], Callable[..., Any]] = {
    ast.Add: _add,
    ast.Sub: _sub,
    ast.Mult: _mul,
    ast.Div: _div,
    ast.USub: _neg,
    ast.UAdd: _pos,
    ast.Eq: _eq,
    ast.NotEq: _ne,
    ast.Lt: _lt,
    ast.LtE: _le,
    ast.Gt: _gt,
    ast.GtE: _ge,
}
_FUNCTIONS: dict[str, Callable[..., Any]] = {"min": _min, "max": _max, "abs": _abs, "clamp": _clamp}


def _node(node: ast.AST, fixed: dict[str, Ratio]) -> Node:
    """One node's closure, of the checked forms only; any other raises NotHere (the formula is left whole)."""
    if isinstance(node, ast.Constant):
        value = node.value
        constant = (value.numerator, value.denominator) if type(value) is Fraction else value
        if type(constant) is not tuple and type(constant) is not bool:
            raise NotHere
        return lambda values, year: constant
    if isinstance(node, ast.Name):
        return _name(node.id, fixed)
    if isinstance(node, ast.BinOp | ast.UnaryOp) and type(node.op) in _OPERATORS:
        apply = _OPERATORS[type(node.op)]
        if isinstance(node, ast.UnaryOp):
            operand = _node(node.operand, fixed)
            return lambda values, year: apply(operand(values, year))
        left, right = _node(node.left, fixed), _node(node.right, fixed)
        if isinstance(node.right, ast.Constant):  # `… / 100`: the literal taken as it is, not called for
            constant = right(_NO_VALUES, 0)
            return lambda values, year: apply(left(values, year), constant)
        return lambda values, year: apply(left(values, year), right(values, year))
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        negated = _node(node.operand, fixed)
        return lambda values, year: not _truth(negated(values, year))
    if isinstance(node, ast.IfExp):
        test, body, orelse = (_node(n, fixed) for n in (node.test, node.body, node.orelse))
        return lambda values, year: body(values, year) if _truth(test(values, year)) else orelse(values, year)
    if isinstance(node, ast.BoolOp):
        return _boolop(node, fixed)
    if isinstance(node, ast.Compare):
        return _compare(node, fixed)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in _FUNCTIONS:
        function, args = _FUNCTIONS[node.func.id], [_node(a, fixed) for a in node.args]
        return lambda values, year: function(*[arg(values, year) for arg in args])
    raise NotHere


def _name(name: str, fixed: dict[str, Ratio]) -> Node:
    if name in fixed:
        constant = fixed[name]
        return lambda values, year: constant
    if name == "year":
        return lambda values, year: (year, 1)
    return lambda values, year: as_ratio(values[name])  # every input is given: the caller checks first


def _boolop(node: ast.BoolOp, fixed: dict[str, Ratio]) -> Node:
    """`and`/`or`: the deciding operand, as Python gives it."""
    parts, stop_when = [_node(value, fixed) for value in node.values], isinstance(node.op, ast.Or)

    def decided(values: Values, year: int) -> Any:
        result: Any = False
        for part in parts:
            result = part(values, year)
            if _truth(result) is stop_when:
                break
        return result

    return decided


def _compare(node: ast.Compare, fixed: dict[str, Ratio]) -> Node:
    """A comparison, chained ones stopping at the first that fails."""
    if any(type(op) not in _OPERATORS for op in node.ops):
        raise NotHere
    first = _node(node.left, fixed)
    steps = [
        (_OPERATORS[type(op)], _node(c, fixed)) for op, c in zip(node.ops, node.comparators, strict=True)
    ]

    def compared(values: Values, year: int) -> bool:
        right = first(values, year)
        for apply, other in steps:
            left, right = right, other(values, year)
            if not apply(left, right):
                return False
        return True

    return compared
