"""Where the shipped rules and schemas are: beside the package in a checkout, inside it in a wheel."""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


@cache
def data_root() -> Path:
    bundled = _PACKAGE / "_data"
    return bundled if bundled.is_dir() else _PACKAGE.parent


def rules_root() -> Path:
    return data_root() / "rules"


def schemas_dir() -> Path:
    return data_root() / "schemas"


def shipped_years() -> list[str]:
    root = rules_root()
    if not root.is_dir():
        return []
    return sorted(p.name for p in root.iterdir() if (p / "rubric.yaml").is_file())
