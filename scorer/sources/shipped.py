"""Where the shipped rules and schemas are: beside the package in a checkout, inside it in a wheel."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from scorer.sources.yaml import load_yaml_file

_PACKAGE = Path(__file__).resolve().parent.parent  # scorer/


@cache
def data_root() -> Path:
    bundled = _PACKAGE / "_data"
    return bundled if bundled.is_dir() else _PACKAGE.parent


def rules_root() -> Path:
    return data_root() / "rules"


def schemas_dir() -> Path:
    return data_root() / "schemas"


@cache
def shipped_years() -> list[str]:
    """The released years (rules/released.yaml) that have a rules folder. A draft folder beside them in a
    checkout is not one of them, so it never becomes the default for an editable install's users."""

    index = rules_root() / "released.yaml"
    if not index.is_file():
        return []
    data = load_yaml_file(index, str(index)).data  # a few lines: read each time, never from a cache
    listed = [str(year) for year in (data.get("released") if isinstance(data, dict) else None) or []]
    return sorted(year for year in listed if (rules_root() / year / "rubric.yaml").is_file())
