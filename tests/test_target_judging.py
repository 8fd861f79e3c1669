"""Judging targets exactly: completions are fractions, `met` and completion agree, and the roll-up rounds once."""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import yaml
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from cli import app
from scorer.engine.result import Result
from scorer.i18n import say
from scorer.kinds.targets.judge import STRICT_BOUND_REACHED, judge, judge_part, roll_up
from scorer.kinds.targets.model import Expression, Part, Target
from scorer.kinds.targets.read import read_target
from scorer.kinds.targets.words import AT_LEAST, AT_MOST, EXACTLY
from scorer.numbers import completion_percent, completion_shown

from .conftest import VALID_INPUTS, by_id, zh

# Target and actual of eight output targets whose mean completion is not a finite decimal: rounding a
# 28-digit Decimal mean gave 8.47; the exact 339/40 = 8.475 rounds half up to 8.48.
EIGHT = [
    ("≥12次", "0次"), ("≥4次", "4次"), ("≥4次", "2次"), ("≥12次", "1次"),
    ("≥8次", "8次"), ("≥100次", "39次"), ("≥12次", "1次"), ("≥6次", "2次"),
]  # fmt: skip


def eight_targets() -> list[dict[str, str]]:
    return [{"name": f"指标{i}", "target": t, "actual": a} for i, (t, a) in enumerate(EIGHT)]


def test_the_mean_completion_is_exact() -> None:
    targets = [read_target(item, ["数量指标"]) for item in eight_targets()]
    outcome = roll_up("mean_completion", Decimal(20), targets)
    assert outcome.raw == Fraction(339, 40)
    assert [t.completion for t in outcome.targets] == [
        0, 1, Fraction(1, 2), Fraction(1, 12), 1, Fraction(39, 100), Fraction(1, 12), Fraction(1, 3)
    ]  # fmt: skip
    assert say(outcome.detail, "zh") == "平均完成率42.38%"  # 42.375%, rounded for display only


def test_the_exact_mean_rounds_once_through_the_engine(score_yaml: Callable[..., Result]) -> None:
    lines = "".join(f"\n      - {json.dumps(item, ensure_ascii=False)}" for item in eight_targets())
    result = score_yaml(VALID_INPUTS + "  output_targets:\n    targets:" + lines + "\n")
    row = by_id(result)["output_targets"]
    assert row.score == Decimal("8.48")
    assert "按平均完成率42.38%计得8.48分。" in zh(row.reasons)


def test_score_run_gives_the_exact_mean(tmp_path: Path) -> None:
    document = yaml.safe_load(VALID_INPUTS)
    document["indicators"]["output_targets"] = {"targets": eight_targets()}
    inputs = tmp_path / "inputs.yaml"
    inputs.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    result = CliRunner().invoke(app, ["run", str(inputs), "-f", "json"])
    assert result.exit_code == 0, result.output
    row = next(i for i in json.loads(result.stdout)["indicators"] if i["id"] == "output_targets")
    assert row["score"] == 8.48
    assert [t["completion"] for t in row["targets"]] == [0, 1, 0.5, 0.0833, 1, 0.39, 0.0833, 0.3333]


def test_the_other_roll_ups_are_exact() -> None:
    targets = [read_target(item, ["数量指标"]) for item in eight_targets()]
    assert roll_up("equal_shares", Decimal(20), targets).raw == Fraction(20 * 2, 8)
    weighted = [
        read_target({**item, "weight": 3 if i < 4 else 1}, ["数量指标"])
        for i, item in enumerate(eight_targets())
    ]
    raw = roll_up("weighted_completion", Decimal(20), weighted).raw
    assert raw == 20 * (3 * (0 + 1 + Fraction(1, 2) + Fraction(1, 12)) + (1 + Fraction(39, 100) + Fraction(1, 12) + Fraction(1, 3))) / 16  # fmt: skip


def test_a_near_miss_is_never_shown_as_complete() -> None:
    outcome = judge(read_target({"name": "甲", "target": "≥100000次", "actual": "99999次"}, ["数量指标"]))
    assert outcome.met is False and outcome.completion == Fraction(99999, 100000)
    assert completion_shown(outcome.completion, outcome.met) == Decimal("0.9999")
    assert completion_percent(outcome.completion, outcome.met) == Decimal("99.99")


def test_a_strict_bound_reached_is_missed_below_one() -> None:
    for target, actual in [
        (">95%", "95%"),
        ("高于0次", "0次"),
        ("<3天", "3天"),
        ("低于5%", "5%"),
        ("<0起", "0起"),
    ]:
        outcome = judge(read_target({"name": "甲", "target": target, "actual": actual}, ["数量指标"]))
        assert (outcome.met, outcome.completion) == (False, STRICT_BOUND_REACHED), target
    # a nearer miss of a strict bound earns no more than reaching it
    near = judge(read_target({"name": "甲", "target": ">95%", "actual": "94.99%"}, ["数量指标"]))
    assert near.completion == STRICT_BOUND_REACHED


DIRECTIONS = st.sampled_from(
    [(AT_LEAST, False), (AT_LEAST, True), (AT_MOST, False), (AT_MOST, True), (EXACTLY, False)]
)
NUMBERS = st.one_of(
    st.integers(-30, 30).map(Decimal),
    st.decimals(min_value=-1000, max_value=1000, places=2, allow_nan=False, allow_infinity=False),
    st.just(Decimal(0)),
)
UNITS = st.sampled_from([("次", "次"), ("%", "%"), ("天", "日"), ("万元", "元"), ("", "次"), ("元", "亿元")])


@st.composite
def part_pairs(draw: st.DrawFn) -> tuple[Part, Part]:
    (direction, strict), (want_unit, got_unit) = draw(DIRECTIONS), draw(UNITS)
    want = Part("", direction, strict, draw(NUMBERS), want_unit)
    same = draw(st.booleans())  # often exactly on the bound, where strictness matters
    got = Part("", EXACTLY, False, want.number if same and want_unit == got_unit else draw(NUMBERS), got_unit)
    return want, got


@given(part_pairs())
def test_met_exactly_when_completion_is_one(pair: tuple[Part, Part]) -> None:
    met, completion = judge_part(*pair)
    assert isinstance(completion, Fraction)
    assert 0 <= completion <= 1
    assert met == (completion == 1)


@given(st.lists(part_pairs(), min_size=1, max_size=4))
def test_a_target_of_several_parts_is_met_exactly_when_its_completion_is_one(
    pairs: list[tuple[Part, Part]],
) -> None:
    wants = tuple(Part(f"部分{i}", w.direction, w.strict, w.number, w.unit) for i, (w, _) in enumerate(pairs))
    gots = tuple(Part(f"部分{i}", g.direction, g.strict, g.number, g.unit) for i, (_, g) in enumerate(pairs))
    target = Target("甲", Expression("…", wants), "…", Expression("…", gots), "…")
    outcome = judge(target)
    assert (
        outcome.met
        == (outcome.completion == 1)
        == all(judge_part(w, g)[0] for w, g in zip(wants, gots, strict=True))
    )
    shown = completion_shown(outcome.completion, outcome.met)
    assert (shown == 1) == outcome.met  # the 4-place JSON value agrees too
    assert (completion_percent(outcome.completion, outcome.met) == 100) == outcome.met


@given(st.booleans())
def test_a_judged_target_is_met_exactly_when_its_completion_is_one(met: bool) -> None:
    outcome = judge(Target("甲", None, "保障有序", None, "", judged=met, reason="评价人判定。"))
    assert outcome.met == met == (outcome.completion == 1)


READ_FORMS = [
    ("≥{n}次", "次"), ("{n}%以上", "%"), ("≤{n}%", "%"), ("不超过{n}天", "日"), ("{n}次", "次"), ("0起", "起"),
    (">{n}%", "%"), ("<{n}天", "天"), ("高于{n}次", "次"), ("{n}个工作日内", "工作日"),
]  # fmt: skip


@given(st.sampled_from(READ_FORMS), st.integers(0, 200), st.integers(0, 250))
def test_read_targets_are_met_exactly_when_complete(form: tuple[str, str], n: int, m: int) -> None:
    target, unit = form
    outcome = judge(
        read_target({"name": "甲", "target": target.format(n=n), "actual": f"{m}{unit}"}, ["数量指标"])
    )
    assert outcome.met == (outcome.completion == 1)
