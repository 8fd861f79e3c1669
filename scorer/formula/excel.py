"""A checked formula written as an Excel formula, for the clerk's workbook to show a row's score as it is typed.

The translation walks the same checked tree the engine evaluates (never the formula's text), and each name becomes
only what the caller maps it to: a cell of the workbook's own, or a number. Excel and LibreOffice compute in
binary floating point where the engine is exact, so a value is brought back to 9 decimals wherever a decision is
taken on it (a comparison, a truth value, floor and ceil): 0.1 + 0.2 is then 0.3 there too. Whatever has no
faithful counterpart (a name not mapped, a number Excel cannot hold exactly, a formula Excel would not accept)
gives None, and the workbook says the score is computed instead of showing a possibly wrong number.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Mapping
from decimal import Decimal
from fractions import Fraction

from scorer.formula.evaluate import Formula

SETTLE = 9  # decimals a float result is rounded to before a decision: far below any rubric's places
EXCEL_LENGTH = 8000  # characters in a cell's formula (Excel's limit is 8,192)
_DIGITS = 15  # significant digits a binary float carries exactly

_ARITHMETIC = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/"}
_COMPARE = {ast.Eq: "=", ast.NotEq: "<>", ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">="}


class Untranslatable(Exception):
    """The formula, or a part of it, has no Excel counterpart that computes the same."""


def settled(text: str) -> str:
    """An Excel value rounded to the decimals at which the engine's exact value and the float agree."""
    return f"ROUND({text},{SETTLE})"


def to_excel(formula: Formula, names: Mapping[str, str]) -> str | None:
    """The formula as an Excel expression (without the leading '='), each name written as `names` maps it; None
    when it cannot be written faithfully."""
    try:
        text = _Writer(names).write(formula.tree)
    except Untranslatable:
        return None
    return text if len(text) <= EXCEL_LENGTH else None


def excel_number(value: Fraction | Decimal | int) -> str:
    """An exact number as Excel reads it, when a float holds it exactly enough; else Untranslatable."""
    exact = Fraction(value)
    decimal = Decimal(exact.numerator) / Decimal(exact.denominator)
    if Fraction(decimal) != exact or len(decimal.normalize().as_tuple().digits) > _DIGITS:
        raise Untranslatable(str(value))
    text = format(decimal.normalize(), "f")
    return f"({text})" if text.startswith("-") else text


class _Writer:
    def __init__(self, names: Mapping[str, str]):
        self.names = names
        self.forms: dict[type[ast.AST], Callable[[ast.AST], str]] = {
            ast.Constant: self.constant,  # type: ignore[dict-item]
            ast.Name: self.name,  # type: ignore[dict-item]
            ast.BinOp: self.binary,  # type: ignore[dict-item]
            ast.UnaryOp: self.unary,  # type: ignore[dict-item]
            ast.BoolOp: self.boolean,  # type: ignore[dict-item]
            ast.Compare: self.compare,  # type: ignore[dict-item]
            ast.IfExp: self.choice,  # type: ignore[dict-item]
            ast.Call: self.call,  # type: ignore[dict-item]
        }

    def write(self, node: ast.AST) -> str:
        form = self.forms.get(type(node))
        if form is None:
            raise Untranslatable(type(node).__name__)
        return form(node)

    def truth(self, node: ast.AST) -> str:
        """A value as a condition: a comparison as it is, a number true when it is not 0 (at 9 decimals)."""
        if isinstance(node, ast.Compare) or (isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not)):
            return self.write(node)
        return f"({settled(self.write(node))}<>0)"

    def constant(self, node: ast.Constant) -> str:
        if isinstance(node.value, bool):
            return "TRUE" if node.value else "FALSE"
        if not isinstance(node.value, Fraction | Decimal | int):  # the checker made every number a Fraction
            raise Untranslatable(repr(node.value))
        return excel_number(node.value)

    def name(self, node: ast.Name) -> str:
        if node.id not in self.names:
            raise Untranslatable(node.id)  # the year, or an input on another sheet
        return self.names[node.id]

    def binary(self, node: ast.BinOp) -> str:
        left, right = self.write(node.left), self.write(node.right)
        if isinstance(node.op, ast.Mod):  # Python's % takes the divisor's sign, as MOD does
            return f"MOD({left},{right})"
        if isinstance(node.op, ast.Pow):  # the checker allows only a small literal whole exponent
            return f"(({left})^({right}))"
        symbol = _ARITHMETIC.get(type(node.op))
        if symbol is None:
            raise Untranslatable(type(node.op).__name__)
        return f"({left}{symbol}{right})"

    def unary(self, node: ast.UnaryOp) -> str:
        if isinstance(node.op, ast.Not):
            return f"NOT({self.truth(node.operand)})"
        operand = self.write(node.operand)
        return f"(-{operand})" if isinstance(node.op, ast.USub) else operand

    def boolean(self, node: ast.BoolOp) -> str:
        """Python's `a and b` is b when a holds, else a (and `a or b` a when it holds): the value, not TRUE, and
        b is never evaluated when a decides, as IF does."""
        text = self.write(node.values[-1])
        for value in reversed(node.values[:-1]):
            first, condition = self.write(value), self.truth(value)
            if isinstance(node.op, ast.And):
                text = f"IF({condition},{text},{first})"
            else:
                text = f"IF({condition},{first},{text})"
        return text

    def compare(self, node: ast.Compare) -> str:
        """`a < b < c` holds when each comparison does, the later ones evaluated only while they hold."""
        sides = [settled(self.write(side)) for side in (node.left, *node.comparators)]
        tests = [
            f"({sides[index]}{_COMPARE[type(op)]}{sides[index + 1]})" for index, op in enumerate(node.ops)
        ]
        text = tests[-1]
        for test in reversed(tests[:-1]):
            text = f"IF({test},{text},FALSE)"
        return text

    def choice(self, node: ast.IfExp) -> str:
        return f"IF({self.truth(node.test)},{self.write(node.body)},{self.write(node.orelse)})"

    def call(self, node: ast.Call) -> str:
        assert isinstance(node.func, ast.Name)  # the checker allows only the functions it names
        args = [self.write(arg) for arg in node.args]
        function = node.func.id
        if function in ("min", "max", "abs"):
            return f"{function.upper()}({','.join(args)})"
        if function == "clamp":
            value, low, high = args
            return f"MAX({low},MIN({value},{high}))"
        if function == "floor":
            return f"INT({settled(args[0])})"
        if function == "ceil":
            return f"(-INT(-{settled(args[0])}))"
        raise Untranslatable(function)
