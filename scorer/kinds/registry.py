"""The scoring kinds by name, each imported only when a rule set uses it, and the one place a row is scored.

By convention a kind needs no line here: the module `scorer/kinds/<name>.py` (or, for a kind in a package,
`scorer/kinds/<name>/kind.py`) is the kind whose `scoring:` value is `<name>`, and its `KIND` is the kind
(scorer/kinds/base.py). `score(row)` is the engine's one hook: a row's not-applicable rules and gates first
(scorer/kinds/conditions.py), then its kind; it returns the score before the evaluator's deductions.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from decimal import Decimal
from functools import cache
from importlib import import_module
from importlib.util import find_spec
from typing import Any

import scorer.kinds
from scorer.kinds.base import Kind
from scorer.kinds.conditions import decide
from scorer.kinds.context import Declarative, KindError, Row

__all__ = ["KindError", "Row", "declared", "kind", "names", "score"]

# The modules of scorer/kinds/ that are parts and tools of the kinds, not kinds.
HELPERS = frozenset(
    {
        "base", "conditions", "context", "interval", "lint_tools", "needs", "parts", "read", "registry", "rows", "rule",
        "specs", "stated",
    }
)  # fmt: skip


@cache
def kind(name: str) -> Kind[Any]:
    """The kind scoring rows whose `scoring:` is `name`, imported now if it was not. Only a module of the kinds'
    package is ever imported: a name that is none of them is refused (KeyError)."""
    if name not in names():
        raise KeyError(name)
    module = f"scorer.kinds.{name}"
    found_spec = find_spec(module)
    if found_spec is not None and found_spec.submodule_search_locations is not None:  # a package
        module += ".kind"
    found: Kind[Any] = import_module(module).KIND
    return found


def declared(name: str) -> bool:
    """Whether the kind `name` is one a rule file declares under its own key (`bands: {…}`), as the 2022 kinds
    (formula, deductions, targets) are not."""
    return isinstance(kind(name), Declarative)


def declared_key(data: Mapping[str, Any]) -> str | None:
    """The key under which an indicator (or an alternative's option) declares its kind, if any: the one its
    `scoring` names, else the first there is."""
    scoring = data.get("scoring")
    keys = [key for key in names() if key in data and declared(key)]
    return scoring if scoring in keys else next(iter(keys), None)


def declares(data: Mapping[str, Any]) -> bool:
    """Whether an indicator's data declares a kind under its own key, or gates or not-applicable rules."""
    return bool(data.get("not_applicable") or data.get("gates")) or declared_key(data) is not None


def names() -> tuple[str, ...]:
    """Every kind there is, by its `scoring:` value: the modules and packages of scorer/kinds/ but its tools."""
    return _names(tuple(scorer.kinds.__path__))


@cache
def _names(folders: tuple[str, ...]) -> tuple[str, ...]:
    # What pkgutil.iter_modules would list, without importing pkgutil at every start.
    found = set()
    for folder in folders:
        with os.scandir(folder) as entries:
            for entry in entries:
                stem, dot, suffix = entry.name.partition(".")
                if (dot and suffix == "py" and entry.is_file()) or (
                    not dot and entry.is_dir() and os.path.isfile(os.path.join(entry.path, "kind.py"))
                ):
                    found.add(stem)
    return tuple(sorted(found - HELPERS - {"__init__"}))


def unencoded(scorings: Iterable[str]) -> bool:
    """Whether some row is known but not encoded yet (scored only by an evaluator's entry): a partly encoded
    rubric, which every output marks."""
    return any(kind(name).unencoded for name in set(scorings))


def score(row: Row) -> Decimal:
    """The row's score before the evaluator's deductions: a condition that holds decides it, else its kind."""
    decided = decide(row)
    if decided is not None:
        return decided
    indicator = row.indicator
    return kind(indicator.scoring).score(indicator.spec, row)
