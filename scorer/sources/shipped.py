"""Where the shipped rules and schemas are: beside the package in a checkout, inside it in a wheel.

Shipped rubrics live under `rules/<id>/<year>/`; `rules/released.yaml` names the default family (the rubric a
bare year such as `--rules 2022` or an inputs file's `year: 2022` means) and the released rubrics."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from scorer.sources.yaml import load_yaml_file

_PACKAGE = Path(__file__).resolve().parent.parent  # scorer/

# A rubric's name: its id (region and family, `guangzhou-huangpu-bumen`), a slash, its year.
RUBRIC_ID = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")
RUBRIC_NAME = re.compile(rf"({RUBRIC_ID.pattern})/(\d{{4}})")


@cache
def data_root() -> Path:
    bundled = _PACKAGE / "_data"
    return bundled if bundled.is_dir() else _PACKAGE.parent


def rules_root() -> Path:
    return data_root() / "rules"


def schemas_dir() -> Path:
    return data_root() / "schemas"


@cache
def _index() -> tuple[str, tuple[str, ...]]:
    """(the default family's id, the released rubrics as `id/year`), from rules/released.yaml: a few lines,
    read each time a process needs them, never from a cache."""
    index = rules_root() / "released.yaml"
    if not index.is_file():
        return "", ()
    data = load_yaml_file(index, str(index)).data
    data = data if isinstance(data, dict) else {}
    default = data.get("default")
    listed = tuple(str(name) for name in data.get("released") or [])
    return (default if isinstance(default, str) else ""), listed


def default_family() -> str:
    """The id whose years a bare year names (`--rules 2022`, `year: 2022`)."""
    return _index()[0]


def released_rubrics() -> list[str]:
    """The released rubrics (`id/year`) that have a folder."""
    return [name for name in _index()[1] if RUBRIC_NAME.fullmatch(name) and _has_rubric(name)]


def shipped_years() -> list[str]:
    """The default family's released years. A draft folder beside them in a checkout is not one of them, so it
    never becomes the default for an editable install's users."""
    family = default_family()
    return sorted(name.split("/")[1] for name in released_rubrics() if name.split("/")[0] == family)


def shipped_rubric(name: str) -> Path | None:
    """The folder of the shipped rubric `id/year` (released or not), or None."""
    return rules_root() / name if RUBRIC_NAME.fullmatch(name) and _has_rubric(name) else None


def shipped_rubrics() -> list[str]:
    """Every rubric folder shipped (`id/year`), released or not, sorted: what `score rules list` shows."""
    found = []
    for family in sorted(_folders(rules_root())):
        found += [f"{family}/{year}" for year in sorted(_folders(rules_root() / family))]
    return [name for name in found if RUBRIC_NAME.fullmatch(name) and _has_rubric(name)]


def _folders(where: Path) -> list[str]:
    """The names of the real folders (not links) directly in `where`."""
    try:
        return [p.name for p in where.iterdir() if p.is_dir() and not p.is_symlink()]
    except OSError:
        return []


def _has_rubric(name: str) -> bool:
    folder = rules_root() / name
    return not (folder.is_symlink() or folder.parent.is_symlink()) and (folder / "rubric.yaml").is_file()
