"""Fuzz targets: each takes arbitrary bytes and must either succeed or raise the project's own clear error.

Run by pytest through hypothesis (tests/test_fuzz.py) on every run, and by atheris for a bounded time in CI:
    python -m tests.fuzz.run inputs -max_total_time=30
"""

from __future__ import annotations

import contextlib

from scorer.engine.score import score
from scorer.errors import UserError
from scorer.escape import visible
from scorer.inputs.read import read_inputs
from scorer.kinds.targets.judge import judge
from scorer.kinds.targets.read import TargetError, parse_actual, parse_expression, read_target
from scorer.render import FORMATS, render
from scorer.rules.model import RuleSet
from scorer.rules.read import load_rules
from scorer.sources.yaml import parse_yaml

_RULES: RuleSet | None = None


def rules() -> RuleSet:
    global _RULES
    if _RULES is None:
        _RULES = load_rules("2022")
    return _RULES


def inputs_loader(data: bytes) -> None:
    """The whole path of an inputs file: YAML reading, schema, values, scoring, and every renderer.
    Anything but a UserError is a bug; so is a control character a renderer lets through."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return  # the file reader refuses these before parsing (tested apart)
    try:
        department = read_inputs(parse_yaml(text, "fuzz.yaml"), rules())
    except UserError:
        return
    result = score(rules(), department)
    for fmt in FORMATS:
        shown = render(result, fmt)
        if isinstance(shown, bytes):
            continue  # a workbook: its text is checked by the tests that read it back
        assert visible(shown) == shown, f"{fmt} lets a control character through"


def target_expression(data: bytes) -> None:
    """The target and actual-value readers, the target reader and the judge. Anything but a TargetError, or a
    met target whose completion is not 1 (or the reverse), is a bug."""
    text = data.decode("utf-8", errors="replace")
    target, _, actual = text.partition("\n")
    with contextlib.suppress(TargetError):
        parse_expression(target)
    with contextlib.suppress(TargetError):
        parse_actual(actual)
    try:
        read = read_target({"name": "模糊", "target": target, "actual": actual}, ["数量指标"])
    except TargetError:
        return
    outcome = judge(read)
    assert outcome.met == (outcome.completion == 1), outcome


TARGETS = {"inputs": inputs_loader, "targets": target_expression}
