"""A checked formula's tree turned once into nested plain closures, so that evaluating it is a few calls, not a
walk over the tree.

Each node becomes a function of the formula's values (a dict of exact Fractions and truth values) that computes
exactly what Python computes for the same expression over the same values: the same operators (`_OPERATORS` of evaluate.py), the same
functions, `and`/`or` returning the deciding operand, chained comparisons stopping at the first that fails, and a
name not given raising `MissingInput` (read only by a condition evaluated with the names it has). Only trees
`compile_formula` has checked come here: every node is one of its allowed forms.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Mapping
from typing import Any

Values = Mapping[str, Any]
Node = Callable[[Values], Any]


def closure(
    tree: ast.expr,
    operators: Mapping[type[ast.AST], Callable[..., Any]],
    functions: Mapping[str, Callable[..., Any]],
    missing: Callable[[str], Exception],
    constant: Callable[[Any], Any] = lambda value: value,
) -> Node:
    """The closure computing `tree`; `missing(name)` is the error raised for a name the values do not give, and
    `constant(value)` each literal as the closure computes with it."""
    return _Compiler(operators, functions, missing, constant).node(tree)


class _Compiler:
    def __init__(
        self,
        operators: Mapping[type[ast.AST], Callable[..., Any]],
        functions: Mapping[str, Callable[..., Any]],
        missing: Callable[[str], Exception],
        constant: Callable[[Any], Any],
    ):
        self.operators, self.functions, self.missing = operators, functions, missing
        self.literal = constant

    def node(self, node: ast.AST) -> Node:
        """The closure of one node: of the forms below only (an allow-list of its own, behind the checker's)."""
        builders: dict[type[ast.AST], Callable[[Any], Node]] = {
            ast.Constant: self.constant,
            ast.Name: self.name,
            ast.BinOp: self.binop,
            ast.UnaryOp: self.unaryop,
            ast.BoolOp: self.boolop,
            ast.Compare: self.compare,
            ast.IfExp: self.ifexp,
            ast.Call: self.call,
        }
        build = builders.get(type(node))
        if build is None:  # compile_formula's checker lets no other node through
            raise TypeError(f"not a formula node: {type(node).__name__}")
        return build(node)

    def constant(self, node: ast.Constant) -> Node:
        value = self.literal(node.value)
        return lambda values: value

    def name(self, node: ast.Name) -> Node:
        name, missing = node.id, self.missing

        def read(values: Values) -> Any:
            try:
                return values[name]
            except KeyError:
                raise missing(name) from None

        return read

    def binop(self, node: ast.BinOp) -> Node:
        apply, left, right = self.operators[type(node.op)], self.node(node.left), self.node(node.right)
        return lambda values: apply(left(values), right(values))

    def unaryop(self, node: ast.UnaryOp) -> Node:
        apply, operand = self.operators[type(node.op)], self.node(node.operand)
        return lambda values: apply(operand(values))

    def boolop(self, node: ast.BoolOp) -> Node:
        parts = [self.node(value) for value in node.values]
        if isinstance(node.op, ast.And):

            def every(values: Values) -> Any:
                result: Any = False
                for part in parts:
                    result = part(values)
                    if not result:
                        break
                return result

            return every

        def first(values: Values) -> Any:
            result: Any = False
            for part in parts:
                result = part(values)
                if result:
                    break
            return result

        return first

    def compare(self, node: ast.Compare) -> Node:
        first = self.node(node.left)
        steps = [
            (self.operators[type(op)], self.node(c)) for op, c in zip(node.ops, node.comparators, strict=True)
        ]
        if len(steps) == 1:
            ((apply, other),) = steps
            return lambda values: apply(first(values), other(values))

        def chained(values: Values) -> Any:
            right, result = first(values), True
            for apply, other in steps:
                if not result:
                    break
                left, right = right, other(values)
                result = apply(left, right)
            return result

        return chained

    def ifexp(self, node: ast.IfExp) -> Node:
        test, body, orelse = self.node(node.test), self.node(node.body), self.node(node.orelse)
        return lambda values: body(values) if test(values) else orelse(values)

    def call(self, node: ast.Call) -> Node:
        if not isinstance(node.func, ast.Name) or node.keywords:  # the checker allows only named functions
            raise TypeError("not a formula call")
        function, args = self.functions[node.func.id], [self.node(a) for a in node.args]
        return lambda values: function(*[arg(values) for arg in args])
