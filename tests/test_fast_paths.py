"""The batch's fast paths write exactly what the plain ones do.

- a JSON Lines result (`render/json_result.as_line`, written by orjson and keeping the dicts of shared rows)
  against `as_dict(result)`, the contract's own definition, read back exactly, over varied generated
  departments in both languages, with text that must be escaped;
- a target text read once and kept (`load/target_text`) against the same text read afresh.
"""

from __future__ import annotations

import json
import re
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scorer.engine.score import score
from scorer.errors import LineMap
from scorer.escape import json_safe
from scorer.inputs.read import read_inputs
from scorer.kinds.targets.text import TargetError, _read_expression, parse_actual, parse_expression
from scorer.render.json_result import as_dict, as_line
from scorer.rules.model import RuleSet
from scorer.sources.yaml import YamlDocument

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
from departments import departments  # noqa: E402


def _scored(rules: RuleSet, documents: list[dict]) -> list:
    return [score(rules, read_inputs(YamlDocument("<t>", d, LineMap()), rules)) for d in documents]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_result_line_is_the_contract_dict_in_one_line(rules_2022: RuleSet, lang: str) -> None:
    documents = list(departments(300, 7))
    documents[3]["department"] = '局\u202e<b>"x"\\\x85\u2028'  # bidi, markup, quotes, C1, separator
    documents[4]["indicators"].setdefault("ex_ante_evaluation", {})["deductions"] = [
        {"points": "1", "reason": "未评估\u202e「 」\n\t\u0007"}
    ]
    results = _scored(rules_2022, documents)
    for _ in range(2):  # the second time, the shared rows' dicts are the kept ones
        for result in results:
            line = as_line(result, lang)
            expected = json.dumps(as_dict(result, lang), ensure_ascii=False)
            assert json.loads(line, parse_float=Decimal) == json.loads(expected, parse_float=Decimal)
            assert list(json.loads(line)) == list(json.loads(expected))  # the same key order
            assert "\n" not in line and json_safe(line) == line  # one line, nothing that acts on a terminal
    assert "\\u202e" in as_line(results[3], lang) and "\\u0085" in as_line(results[3], lang)


def test_a_kept_target_reads_as_a_fresh_one() -> None:
    for value in ["≥50次", "90%以上", "工业90%以上，商贸服务业80%以上", 1, Decimal("95.50"), Decimal("1")]:
        assert parse_expression(value) == _read_expression(value, False)
        assert parse_expression(value) is parse_expression(value)
    for value in ["182次", "工业95%，商贸服务业78%", 3, Decimal("0.5")]:
        assert parse_actual(value) == _read_expression(value, True)
    with pytest.raises(TargetError):  # refused each time, never kept
        parse_actual("≥50次")
    with pytest.raises(TargetError):
        parse_actual("≥50次")
    parse_expression(1)
    with pytest.raises(TargetError):  # True is not the number 1, though they are equal keys
        parse_expression(True)
    assert parse_expression(1).text == "1"
    assert parse_expression(Decimal("1.0")).text == "1"


_QUANTIZE = {
    "half_up": "ROUND_HALF_UP",
    "down": "ROUND_DOWN",
    "half_even": "ROUND_HALF_EVEN",
    "up": "ROUND_CEILING",
    "floor": "ROUND_FLOOR",
}


def test_rounding_a_decimal_is_decimal_quantize_and_a_fraction_its_exact_value() -> None:
    """Rounding reads a value's ratio without building a Fraction: the same as Python's own quantize for a
    Decimal (an independent oracle), and as the Fraction arithmetic it replaced for fractions and integers."""
    import decimal
    import random
    from fractions import Fraction

    from scorer.rounding import ROUNDING_MODES, Rounding

    chooser = random.Random(11)
    for _ in range(3000):
        value = Decimal(chooser.randint(-(10**9), 10**9)).scaleb(-chooser.randint(0, 9))
        places, mode = chooser.randint(0, 4), chooser.choice(ROUNDING_MODES)
        rounded = Rounding(places, mode).apply(value)
        context = decimal.Context(prec=60, rounding=getattr(decimal, _QUANTIZE[mode]))
        expected = value.quantize(Decimal(1).scaleb(-places), context=context)
        assert str(rounded) == str(expected if not expected.is_zero() else expected.copy_abs())
        assert Rounding(places, mode).fits(value) == (value == expected)
        fraction = Fraction(chooser.randint(-(10**6), 10**6), chooser.randint(1, 999))
        scaled = fraction * 10**places
        whole = scaled.numerator // scaled.denominator
        decimal_value = Decimal(fraction.numerator) / Decimal(fraction.denominator)
        assert Rounding(places, mode).apply(fraction) == Rounding(places, mode).apply(
            Fraction(scaled.numerator, scaled.denominator) / 10**places
        )
        assert whole <= Rounding(places, "floor").apply(fraction).scaleb(places) <= whole + 1
        assert abs(Rounding(places, mode).apply(fraction) - decimal_value) < Decimal(1).scaleb(-places)
        number = chooser.randint(-(10**6), 10**6)
        assert Rounding(places, mode).apply(number) == number


def test_jsonl_in_two_processes_writes_what_one_writes(rules_2022: RuleSet) -> None:
    """Workers send back each result's JSON line: the same lines, in the same order, as one process writes, and
    the same refusals."""
    import io

    from scorer.batch.run import jsonl_to_jsonl

    lines = [json.dumps(d, ensure_ascii=False) for d in departments(150, 3)]
    lines[70] = "{not json"
    written = []
    for jobs in (1, 2):
        out = io.StringIO()
        refused = jsonl_to_jsonl(lines, out, rules_2022, jobs=jobs, lang="en")
        written.append((out.getvalue(), [(r.source.place, r.problems) for r in refused]))
    assert written[0] == written[1]
    assert written[0][0].count("\n") == 149 and written[0][1][0][0] == "<stdin>:71"


def test_plain_number_text_reads_as_the_full_reading_does() -> None:
    """ASCII text that is already a plain number skips the cleaning; what it reads is what cleaning gives."""
    from scorer.numbers import _parse_text

    for text in ["98.88", "012.50", "-3", "+0.5", ".5", "7.", "0", "12\n"]:
        cleaned = text.strip()
        assert str(_parse_text(text, False)) == str(Decimal(cleaned)), text
    assert str(_parse_text("98.88%", True)) == "98.88"
    assert str(_parse_text("1,234.5", False)) == "1234.5"


def test_a_batch_in_two_processes_sums_up_and_writes_what_one_does(
    rules_2022: RuleSet, tmp_path: Path
) -> None:
    """With workers, what comes back is the summary's part of each result and its JSON line: the summary (ranking,
    subtotals, losses and their reasons, refusals) and the lines are those of one process."""
    from scorer.batch.run import BatchRun, run_batch

    lines = [json.dumps(d, ensure_ascii=False) for d in departments(140, 5)]
    lines[9] = '{"department": 1}'
    source = tmp_path / "all.jsonl"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    seen = []
    for jobs in (1, 2):
        written: list[str] = []
        summary = run_batch([source], rules_2022, "zh", BatchRun(jobs=jobs, on_line=written.append))
        losses = [(x.id, x.departments, x.points, x.top(5)) for x in summary.losing()]
        refusals = [(r.place, r.problems) for r in summary.refusals]
        seen.append(
            (summary.ranked(), summary.node_means(), summary.distribution(), losses, refusals, written)
        )
    assert seen[0] == seen[1]
    assert len(seen[0][5]) == 139 and seen[0][4][0][0].endswith("all.jsonl:10")
    assert seen[0][3] and all(count > 0 for _, count, _, _ in seen[0][3])


def test_every_character_json_safe_escapes_is_found_by_its_lead_bytes() -> None:
    """A JSON line skips `json_safe`'s pattern when none of `_MAY_ACT`'s byte sequences occurs in it: every
    character the pattern escapes must contain one of them (all of Unicode checked)."""
    from scorer.escape import _JSON_ACTING
    from scorer.render.json_result import _MAY_ACT

    pattern = re.compile(_JSON_ACTING)
    acting = [chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF and pattern.match(chr(c))]
    assert len(acting) > 40
    for char in acting:
        assert any(lead in char.encode() for lead in _MAY_ACT), hex(ord(char))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=40))
def test_a_table_measures_text_as_rich_does(text: str) -> None:
    """The terminal table measures each character once (`render/table.py`: `width_of`): always rich's width."""
    from rich.cells import cell_len

    from scorer.render.table import width_of

    assert width_of(text) == cell_len(text)
    assert width_of(text + "中文") == cell_len(text + "中文")


def test_every_character_is_as_wide_as_rich_measures_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each character of the Basic Multilingual Plane and every 16th beyond it, measured alone: the table's width
    is rich's `cell_len`."""
    from rich.cells import cell_len

    from scorer.render import table

    monkeypatch.setattr(table, "_WIDTHS", {})  # measured afresh, and let go after
    codes = [*range(0xD800), *range(0xE000, 0x10000), *range(0x10000, 0x110000, 16)]
    wrong = [hex(code) for code in codes if table.width_of(chr(code)) != cell_len(chr(code))]
    assert wrong == []
