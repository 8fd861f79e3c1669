"""The floor plan: each layer imports only the layers below it, no two packages import each other, the features
stand apart, and only the command line prints, exits or reads the command line (docs/architecture.md)."""

from __future__ import annotations

import ast
import re
from functools import cache
from pathlib import Path

SCORER = Path(__file__).resolve().parent.parent / "scorer"

# Bottom first. A module belongs to the layer of the longest prefix naming it; each prefix is one package.
LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "base",
        (
            "scorer.version",
            "scorer.immutable",
            "scorer.facts",
        ),
    ),
    ("numbers", ("scorer.numbers", "scorer.rounding")),
    ("words", ("scorer.i18n", "scorer.escape", "scorer.invisible")),
    ("errors", ("scorer.errors",)),
    ("sources", ("scorer.sources",)),
    ("formula", ("scorer.formula",)),
    ("kinds", ("scorer.kinds",)),
    ("rules", ("scorer.rules",)),
    ("inputs", ("scorer.inputs",)),
    ("engine", ("scorer.engine",)),
    ("render", ("scorer.render",)),
    # A submitted 自评表 read and audited: below the features, since a batch takes such tables as submissions.
    ("audit", ("scorer.audit",)),
    ("features", ("scorer.run", "scorer.batch", "scorer.maintain", "scorer.template")),
    ("edge", ("scorer.cli", "scorer.web", "scorer.__main__", "scorer")),
)
APART = {"features"}  # the packages of this layer never import one another (the edge registers web commands)

# Imports that still break the plan, each removed by a later step; the test fails when one no longer occurs,
# so that the list only shrinks. Empty: the plan holds.
TOLERATED: frozenset[tuple[str, str]] = frozenset()

# Only the command line talks to the terminal and the process.
TALKERS = ("scorer.cli", "scorer.web", "scorer.__main__", "scorer.i18n.compile")
TALKING = re.compile(
    r"\bprint\(|\bsys\.exit\b|\bSystemExit\b|\bos\._exit\b|\bsys\.argv\b|\bsys\.std(out|err)\b|"
    r"^\s*(import typer|from typer)\b",
    re.MULTILINE,
)
TOLERATED_TALK: frozenset[str] = frozenset()


def layer(module: str) -> tuple[int, str]:
    found = [
        (len(prefix), number, prefix)
        for number, (_, prefixes) in enumerate(LAYERS)
        for prefix in prefixes
        if module == prefix or module.startswith(prefix + ".")
    ]
    assert found, f"{module} stands in no layer: add it to LAYERS"
    return max(found)[1:]


@cache
def modules() -> dict[str, Path]:
    found = {}
    for path in sorted(SCORER.rglob("*.py")):
        parts = path.relative_to(SCORER.parent).with_suffix("").parts
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def imported(module: str, path: Path) -> set[str]:
    """Every scorer module `module` imports: at the top, in functions, under TYPE_CHECKING alike."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    named: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            named |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                kept = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*kept, base]).strip(".")
            submodules = {f"{base}.{alias.name}" for alias in node.names} & modules().keys()
            named |= submodules or {base}  # `from scorer.kinds import bands` imports the module bands
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in modules():
            named.add(node.value)  # a module imported by name, e.g. a renderer's `module`
    return {name for name in named if name in modules()}


def wrong_imports() -> set[tuple[str, str, str]]:
    """(importer, imported, why) for every import against the plan; for two packages that import each other,
    (package, package, why)."""
    ties: dict[tuple[str, str], tuple[str, str]] = {}
    wrong = set()
    for module, path in modules().items():
        mine, package = layer(module)
        for target in sorted(imported(module, path)):
            theirs, other = layer(target)
            if package != other:
                ties.setdefault((package, other), (module, target))
            if theirs > mine or (target == "scorer" and module != "scorer.__main__"):
                wrong.add((module, target, f"upward: {LAYERS[mine][0]} imports {LAYERS[theirs][0]}"))
            elif theirs == mine and package != other and LAYERS[mine][0] in APART:
                wrong.add((module, target, f"{LAYERS[mine][0]} stand apart"))
    for (one, other), (module, target) in ties.items():
        if (other, one) in ties and one < other:  # a tie is between packages: named by the two packages
            wrong.add(
                (
                    one,
                    other,
                    f"two-way: {module} imports {target}; {ties[other, one][0]} imports {ties[other, one][1]}",
                )
            )
    return wrong


def test_layers_import_downward_only_and_no_two_packages_tie_both_ways() -> None:
    wrong = wrong_imports()
    found = {(module, target) for module, target, _ in wrong}
    new = sorted(
        f"{module} imports {target}: {why}"
        for module, target, why in wrong
        if (module, target) not in TOLERATED
    )
    assert not new, "\n".join(new)
    assert not TOLERATED - found, (
        f"no longer against the plan, take off TOLERATED: {sorted(TOLERATED - found)}"
    )


def talking() -> set[str]:
    return {
        module
        for module, path in modules().items()
        if not any(module == talker or module.startswith(talker + ".") for talker in TALKERS)
        and TALKING.search(path.read_text(encoding="utf-8"))
    }


def test_only_the_command_line_prints_or_exits() -> None:
    found = talking()
    assert not found - TOLERATED_TALK, (
        f"prints, exits or reads sys.argv outside scorer/cli: {sorted(found - TOLERATED_TALK)}"
    )
    assert not TOLERATED_TALK - found, f"quiet now, take off TOLERATED_TALK: {sorted(TOLERATED_TALK - found)}"


def test_a_module_stands_in_the_layer_of_its_longest_prefix() -> None:
    assert layer("scorer.kinds.bands") == (6, "scorer.kinds")
    assert layer("scorer.cli.run")[0] > layer("scorer.run")[0] > layer("scorer.render.json_result")[0]
    assert layer("scorer") == (len(LAYERS) - 1, "scorer")
