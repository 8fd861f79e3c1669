"""Target and actual values read as a person means them: signs, bounds, estimates, odd digits, hostile text."""

from __future__ import annotations

from decimal import Decimal

import pytest

from scorer.i18n import say
from scorer.kinds.targets.judge import judge
from scorer.kinds.targets.read import (
    MAX_TEXT_LENGTH,
    TargetError,
    parse_actual,
    parse_expression,
    read_target,
)
from scorer.kinds.targets.words import AT_LEAST, AT_MOST

CATEGORIES = ["数量指标"]


def read(target: object, actual: object, **more: object):  # type: ignore[no-untyped-def]
    return read_target({"name": "指标", "target": target, "actual": actual, **more}, CATEGORIES)


@pytest.mark.parametrize("actual", ["-60次", "负60次", "－60次", "−60次", "–60次"])
def test_a_negative_count_is_refused_not_read_as_positive(actual: str) -> None:
    with pytest.raises(TargetError) as caught:
        read("≥50次", actual)
    assert caught.value.field == "actual"
    assert str(caught.value) == (
        f"target '指标': actual '{actual}' is negative, but a count (次) cannot be; "
        "write the number itself, without a sign (e.g. 60次)"
    )


def test_a_bare_negative_number_against_a_count_is_refused() -> None:
    with pytest.raises(
        TargetError, match="actual '-60' is negative, but a count \\(次\\) cannot be"
    ) as caught:
        read("≥50次", Decimal(-60))
    assert caught.value.field == "actual"


@pytest.mark.parametrize(("text", "unit"), [("-3天", "天"), ("-5万元", "万元")])
def test_durations_and_amounts_cannot_be_negative_either(text: str, unit: str) -> None:
    with pytest.raises(TargetError, match=f"is negative, but an? (duration|amount) \\({unit}\\) cannot be"):
        parse_actual(text)


def test_a_percentage_or_a_plain_number_keeps_its_sign() -> None:
    (fall,) = parse_actual("-5%").parts
    assert fall.number == Decimal(-5)
    (plus,) = parse_actual("+5%").parts
    assert plus.number == Decimal(5)
    (target,) = parse_expression("≤-5%").parts  # a fall of at least 5%
    assert (target.direction, target.number) == (AT_MOST, Decimal(-5))
    assert judge(read("≤-5%", "-8%")).met
    missed = judge(read("≤-5%", "-3%"))
    assert (missed.met, missed.completion) == (False, Decimal("0.6"))
    assert judge(read("≥0%", "-3%")).completion == 0  # growth wanted, a fall achieved


@pytest.mark.parametrize(
    ("actual", "word"),
    [
        ("低于90%", "低于"),
        ("不足50次", "不足"),
        ("超过3天", "超过"),
        ("≥60次", "≥"),
        ("60次以上", "以上"),
        ("3个月内", "内"),
    ],
)
def test_an_actual_that_states_a_bound_is_refused(actual: str, word: str) -> None:
    with pytest.raises(TargetError) as caught:
        parse_actual(actual)
    assert str(caught.value) == f"'{actual}' states a bound ({word}), not the value achieved"
    assert "write the value achieved itself" in say(caught.value.hint)


def test_the_bound_message_names_the_field_and_suggests_the_fix() -> None:
    with pytest.raises(TargetError) as caught:
        read("≥50次", "不足50次")
    assert caught.value.field == "actual"
    assert str(caught.value) == (
        "target '指标': actual '不足50次' states a bound (不足), not the value achieved; write the value achieved "
        "itself (e.g. 182次, 95%); if only a bound is known, judge the target with met: true/false and a reason"
    )


@pytest.mark.parametrize(
    ("actual", "word"), [("近50次", "近"), ("约50次", "约"), ("50余次", "余"), ("50次左右", "左右")]
)
def test_an_estimate_is_refused(actual: str, word: str) -> None:
    with pytest.raises(TargetError, match=f"is an estimate \\({word}\\), not a value"):
        read("≥50次", actual)


def test_words_that_only_look_like_estimates_or_bounds_are_names() -> None:
    (part,) = parse_actual("节约5万元").parts
    assert (part.label, part.number, part.unit) == ("节约", 5, "万元")
    (reached,) = parse_actual("达到182次").parts  # in a target 达到 means "at least"; in an actual, the value
    assert (reached.number, reached.unit) == (182, "次")
    assert [p.direction for p in parse_expression("达到50次").parts] == [AT_LEAST]


def test_bound_words_in_targets_give_the_direction() -> None:
    assert [(p.direction, p.strict) for p in parse_expression("超过50次").parts] == [(AT_LEAST, True)]
    assert [(p.direction, p.strict) for p in parse_expression("不足5%").parts] == [(AT_MOST, True)]
    assert [(p.direction, p.number, p.unit) for p in parse_expression("3个月内").parts] == [
        (AT_MOST, 3, "个月")
    ]
    assert [(p.direction, p.unit) for p in parse_expression("5个工作日内").parts] == [(AT_MOST, "个工作日")]


@pytest.mark.parametrize(
    ("target", "actual"),
    [
        ("不超过3天", "3日"),
        ("≤3日", "2天"),
        ("5个工作日内", "4工作日"),
        ("3个月内", "2月"),
        ("≤2小时", "2个小时"),
    ],
)
def test_one_unit_written_two_ways_compares(target: str, actual: str) -> None:
    assert judge(read(target, actual)).met


def test_working_days_are_not_calendar_days() -> None:
    with pytest.raises(
        TargetError, match="a duration \\(个工作日\\) cannot be compared with a duration \\(天\\)"
    ):
        read("5个工作日内", "4天")


@pytest.mark.parametrize(("text", "odd"), [("10²次", "²"), ("①次", "①"), ("٥٠次", "٥"), ("≥10㎡", "㎡")])
def test_digits_that_are_not_plain_digits_are_refused(text: str, odd: str) -> None:
    for reader in (parse_expression, parse_actual):
        with pytest.raises(TargetError) as caught:
            reader(text)
        assert str(caught.value) == f"cannot read '{text}': '{odd}' is not a plain digit"
        assert "digits 0-9" in say(caught.value.hint)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("50-60次", "holds more than one number"),
        ("≥1e3次", "holds more than one number"),
        ("±5%", "a tolerance (±) is not a value"),
        ("≥123456789.0123456次", "has more than 15 significant digits"),
        ("≥0.00000000001%", "has more than 10 decimal places"),
        ("≥1000000000000次", "is too large to be right"),
    ],
)
def test_unreadable_numbers_are_refused(text: str, message: str) -> None:
    with pytest.raises(
        TargetError, match=f"cannot read '{text}'.*{message.replace('(', '.').replace(')', '.')}"
    ):
        parse_expression(text)


def test_numbers_given_as_yaml_numbers_pass_the_bounds_first() -> None:
    with pytest.raises(TargetError, match="has more than 10 decimal places"):
        read(Decimal("1.0e-999999999"), "1次")
    with pytest.raises(TargetError, match="must be a finite number"):
        read("≥1次", Decimal("Infinity"))
    judged = read(Decimal("1.0e-999999999"), None, met=True, reason="评价人判定。")
    assert judged.target_text == "1.0E-999999999"  # shown short, never spelt out


@pytest.mark.parametrize(
    "text", ["≥50次", "90%以上", "不超过3天", "0起", "≥５０次", "≥95％", "1,000次以上", "≥ 50 次", "100%。"]
)
def test_the_accepted_forms_still_read(text: str) -> None:
    assert parse_expression(text).parts


def test_a_full_stop_inside_a_number_is_its_decimal_point() -> None:
    (part,) = parse_actual("98。5%").parts
    assert part.number == Decimal("98.5")
    (closing,) = parse_actual("98%。").parts
    assert (closing.number, closing.unit) == (98, "%")


def test_several_parts_still_read() -> None:
    parts = parse_expression("工业90%以上，商贸服务业80%以上").parts
    assert [(p.label, p.direction, p.number) for p in parts] == [
        ("工业", AT_LEAST, 90),
        ("商贸服务业", AT_LEAST, 80),
    ]
    assert [p.label for p in parse_actual("工业95%；商贸服务业78%").parts] == ["工业", "商贸服务业"]


@pytest.mark.parametrize("text", ["1" * 50_000, "a" * 50_000 + "1", "1." * 25_000, "≥" * 50_000 + "1次"])
def test_hostile_long_texts_are_refused(text: str) -> None:
    for reader in (parse_expression, parse_actual):
        with pytest.raises(TargetError, match=f"is {len(text)} characters long; a value is at most 200"):
            reader(text)
    with pytest.raises(TargetError) as caught:
        read(text, "1次")
    assert caught.value.field == "target"
    with pytest.raises(TargetError) as caught:
        read("≥1次", text)
    assert caught.value.field == "actual"


@pytest.mark.parametrize(
    "text",
    [
        "1" * MAX_TEXT_LENGTH,
        "1." * (MAX_TEXT_LENGTH // 2),
        "a" * (MAX_TEXT_LENGTH - 1) + "1",
        "≥" * 199 + "1",
    ],
)
def test_hostile_texts_within_the_bound_are_read_or_refused(text: str) -> None:
    try:
        expression = parse_expression(text)
    except TargetError:
        return
    assert len(expression.parts) == 1
