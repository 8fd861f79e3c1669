"""The two catalogues: the same keys and placeholders in both, compiled as committed, every key in use, and
the command line speaking the language it is asked for."""

from __future__ import annotations

import re
import string
from collections.abc import Callable
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po
from typer.testing import CliRunner

from cli import app
from scorer.i18n import LANGUAGES, t
from scorer.i18n.compile import compiled
from scorer.inputs.columns import PER_INDICATOR, PER_JUDGED
from scorer.inputs.workbook_layout import PROFILE_FIELDS, PROJECT_WORDS, SHEETS
from scorer.rounding import ROUNDING_MODES
from scorer.web.states import STATE_NAMES
from tests.conftest import VALID_INPUTS

ROOT = Path(__file__).resolve().parent.parent
CATALOGUES = ROOT / "scorer" / "i18n"
SOURCES = sorted((ROOT / "scorer").rglob("*.py")) + [ROOT / "cli.py"]
# The web workplace's templates say `{% t "key" %}`, and build a key as `{% t "prefix."|add:value %}`.
TEMPLATES = sorted((ROOT / "scorer" / "web" / "templates").rglob("*.html"))

# Keys the code builds from a prefix and a value, and every value it builds them from.
DYNAMIC_FAMILIES = {
    "explain.step.": {  # scorer/render/explain.py: the `what` of each engine Step
        "base", "formula", "rounding", "clamp", "deduction", "override", "missing", "target", "roll-up",
        # scorer/kinds/
        "value", "band", "steps", "occurrence", "check", "grade", "proportional", "option", "gate", "not_applicable",
        "category",
    },
    "kinds.direction.": {"above", "below"},  # scorer/kinds/steps.py
    "audit.status.": {"consistent", "findings", "refused", "duplicate", "other"},  # scorer/batch/review_formats.py
    "audit.severity.": {"error", "note"},  # scorer/batch/review_formats.py
    "kinds.partial.": {"whole", "started", "proportional"},
    "rounding.": set(ROUNDING_MODES),  # scorer/engine/score.py, scorer/maintain/diff.py
    "budget.": {  # scorer/render/common.py, scorer/render/xlsx.py
        "total", "basic", "project", "special", "other_development", "district_level", "transfers",
    },
    "workbook.sheet.": set(SHEETS),  # scorer/render/input_workbook.py, scorer/inputs/workbook.py
    "workbook.field.": {key for key, _ in PROFILE_FIELDS},  # the 基本情况 sheet's labels
    "workbook.project.field.": set(PROJECT_WORDS),  # the same, in a project form's words
    "batch.col.": {*PER_INDICATOR, *PER_JUDGED},  # scorer/inputs/columns.py: a batch sheet's per-indicator columns
    "web.status.": set(STATE_NAMES),  # scorer/web: a filing's states
    "web.fill.section.": {"indicators", "targets", "profile"},  # scorer/web/page_form.py: the form's parts
    "web.action.": {  # scorer/web/workflow.py and its callers: the log's actions
        "upload", "upload_refused", "upload_too_large", "submit", "return", "adjust", "accept", "account_add",
        "account_import", "password_change", "account_reset", "account_disable", "account_enable",
    },
}  # fmt: skip
_TEMPLATE_BUILT = re.compile(r"""\{%\s*t\s+"([a-z][\w.-]*\.)"\|add:""")

_KEY = r"[a-z][\w-]*(?:\.[\w-]+)+"
# t("key", …), fact("key", …) and scorer/cli's _("key"): the key literal passed to the catalogue.
_CALL = re.compile(rf"""(?<![\w.])(?:t|fact|_)\(\s*(["'])({_KEY})\1""")
# key = "a.b" if … else "a.c", passed on to t() or fact() as a variable.
_CHOICE = re.compile(rf"""(["'])({_KEY})\1\s+if\s[^\n]+?\selse\s+(["'])({_KEY})\3""")
# t(f"prefix.{…}"), t("prefix." + …): a dynamic family.
_BUILT = re.compile(
    r"""(?<![\w.])(?:t|fact|_)\(\s*(?:f(["'])([a-z][\w.-]*\.)\{|(["'])([a-z][\w.-]*\.)\3\s*\+)"""
)
_LITERAL = re.compile(rf"""(["'])({_KEY})\1""")


def _catalogue(lang: str) -> Catalog:
    with (CATALOGUES / f"{lang}.po").open("rb") as handle:
        return read_po(handle)


def _messages(lang: str) -> dict[str, str]:
    return {str(m.id): str(m.string) for m in _catalogue(lang) if m.id}


def _source() -> str:
    return "\n".join(path.read_text(encoding="utf-8") for path in SOURCES + TEMPLATES)


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def test_both_catalogues_have_the_same_keys_each_with_a_text() -> None:
    zh, en = _messages("zh"), _messages("en")
    assert sorted(zh.keys() - en.keys()) == [], "in zh.po only"
    assert sorted(en.keys() - zh.keys()) == [], "in en.po only"
    assert [key for key, text in zh.items() if not text.strip()] == [], "no Chinese text"
    assert [key for key, text in en.items() if not text.strip()] == [], "no English text"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_committed_catalogues_are_the_compiled_po_files(lang: str) -> None:
    po = CATALOGUES / f"{lang}.po"
    assert po.with_suffix(".json").read_bytes() == compiled(po), "run: python -m scorer.i18n.compile"


def test_every_key_the_code_uses_is_in_the_catalogues() -> None:
    known = _messages("en").keys()
    source = _source()
    used = {match[1] for match in _CALL.findall(source)}
    used |= {key for match in _CHOICE.findall(source) for key in (match[1], match[3])}
    used |= {prefix + value for prefix, values in DYNAMIC_FAMILIES.items() for value in values}
    assert len(used) > 300  # the patterns still find the calls
    assert sorted(used - known) == []


def test_every_literal_that_looks_like_a_key_is_in_the_catalogues() -> None:
    """Keys kept in tuples and dicts before they reach t() (table headers, diff notes) are checked too."""
    known = _messages("en").keys()
    areas = {key.split(".")[0] for key in known}
    file_name = re.compile(r"\.(json|ya?ml|py|po|mo|md|csv|tsv|txt)$")
    literals = {match[1] for match in _LITERAL.findall(_source())}
    keys = {lit for lit in literals if lit.split(".")[0] in areas and not file_name.search(lit)}
    # the 基本情况 sheet's fields are keys of the inputs file ("budget.total"), labelled by workbook.field.<key>
    inputs_keys = {key for key, _ in PROFILE_FIELDS}
    assert sorted(keys - known - inputs_keys) == []


def test_every_dynamic_key_belongs_to_a_listed_family() -> None:
    built = {match[1] or match[3] for match in _BUILT.findall(_source())}
    built |= set(_TEMPLATE_BUILT.findall(_source()))
    assert built == DYNAMIC_FAMILIES.keys()
    engine = "".join(p.read_text(encoding="utf-8") for p in (ROOT / "scorer" / "engine").glob("*.py"))
    engine += "".join(p.read_text(encoding="utf-8") for p in (ROOT / "scorer" / "kinds").rglob("*.py"))
    assert set(re.findall(r'Step\(\s*"([a-z_-]+)"', engine)) == DYNAMIC_FAMILIES["explain.step."]


def test_every_catalogue_key_is_used_somewhere() -> None:
    literals = {match[1] for match in _LITERAL.findall(_source())}
    dead = [
        key
        for key in _messages("en")
        if key not in literals
        and not any(
            key.startswith(prefix) and key[len(prefix) :] in values
            for prefix, values in DYNAMIC_FAMILIES.items()
        )
    ]
    assert dead == []


def test_placeholders_agree_between_the_languages() -> None:
    zh, en = _messages("zh"), _messages("en")
    differ = {key: (_placeholders(zh[key]), _placeholders(en[key])) for key in zh.keys() & en.keys()}
    assert {key: pair for key, pair in differ.items() if pair[0] != pair[1]} == {}


def test_values_are_written_exactly_in_both_languages() -> None:
    assert (
        t("lint.level_sum", "en", sum=99.5, total=100) == "level-1 weights sum to 99.5, but the total is 100"
    )
    assert t("hint.did_you_mean", "zh", word="execution_rate") == "（您是否想写“execution_rate”？）"
    assert t("template.unknown_placeholder", "en", name="x", hint="") == "unknown placeholder '{x}'"


# ---- the command line in both languages ----

MISSPELT = VALID_INPUTS.replace("execution_rate:", "execution_rat:")
MISSPELT_EN = "budget_execution] execution_rat: unknown key 'execution_rat' (did you mean 'execution_rate'?)"
MISSPELT_ZH = "budget_execution] execution_rat: 未知的键名“execution_rat”（您是否想写“execution_rate”？）"


@pytest.fixture
def misspelt(tmp_path: Path) -> Path:
    path = tmp_path / "inputs.yaml"
    path.write_text(MISSPELT, encoding="utf-8")
    return path


def test_a_broken_inputs_file_is_explained_in_the_language_asked_for(misspelt: Path) -> None:
    runner = CliRunner()
    english = runner.invoke(app, ["run", str(misspelt), "--lang", "en"])
    chinese = runner.invoke(app, ["run", str(misspelt), "--lang", "zh"])
    assert english.exit_code == chinese.exit_code == 1
    assert english.stderr.startswith("error: ") and MISSPELT_EN in english.stderr
    assert chinese.stderr.startswith("错误：") and MISSPELT_ZH in chinese.stderr
    assert f"{misspelt.name}:5: [" in english.stderr and f"{misspelt.name}:5: [" in chinese.stderr


def test_score_lang_chooses_chinese_without_lang(misspelt: Path) -> None:
    result = CliRunner().invoke(app, ["run", str(misspelt)], env={"SCORE_LANG": "zh"})
    assert result.exit_code == 1
    assert MISSPELT_ZH in result.stderr and "unknown key" not in result.stderr


def test_a_number_problem_in_chinese(tmp_path: Path) -> None:
    path = tmp_path / "inputs.yaml"
    path.write_text(VALID_INPUTS.replace("execution_rate: 98.88", "execution_rate: 0.9888"), encoding="utf-8")
    result = CliRunner().invoke(app, ["run", str(path), "--lang", "zh"])
    assert result.exit_code == 1
    assert (
        '0.9888 看起来是小数形式的比例；年度平均预算执行率以百分数计（请写成 98.88 或 "98.88%"；'
        '确实不足 1% 的，请写成 "0.9888%"）'
    ) in result.stderr


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "en",
            [
                "<R>/indicators/asset_inventory.yaml:1: [asset_inventory] missing required key 'explanation'",
                "<R>/indicators/asset_inventory.yaml:6: [asset_inventory] explanaton: unknown key 'explanaton' "
                "(did you mean 'explanation'?); allowed here: explanation, inputs, formula, rounding, on_missing, reason, metrics, deductions, targets, bands, steps, per_occurrence, checklist, graded, proportional, alternatives, categorical, entered, not_applicable, gates, name_en, explanation_en",
                "2 error(s), 0 warning(s) in 1 rule folder(s)",
            ],
        ),
        (
            "zh",
            [
                "<R>/indicators/asset_inventory.yaml:1: [asset_inventory] 缺少必填的键名“explanation”",
                "<R>/indicators/asset_inventory.yaml:6: [asset_inventory] explanaton: 未知的键名“explanaton”"
                "（您是否想写“explanation”？）；此处可用的键：explanation, inputs, formula, rounding, on_missing, reason, metrics, deductions, targets, bands, steps, per_occurrence, checklist, graded, proportional, alternatives, categorical, entered, not_applicable, gates, name_en, explanation_en",
                "2 个错误，0 个警告，共检查 1 个规则目录",
            ],
        ),
    ],
)
def test_lint_speaks_the_language_asked_for(
    lang: str, expected: list[str], rules_copy: Callable[..., Path]
) -> None:
    folder = rules_copy({"indicators/asset_inventory.yaml": ("explanation:", "explanaton:")})
    result = CliRunner().invoke(app, ["lint", str(folder), "--lang", lang])
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [line.replace("<R>", str(folder)) for line in expected]


def test_golden_cases_pass_in_both_languages() -> None:
    """`error_contains` is written in one language; the refusal is matched in either."""
    for lang in LANGUAGES:
        result = CliRunner().invoke(app, ["test", str(ROOT / "tests" / "golden"), "--lang", lang])
        assert result.exit_code == 0, result.output


def test_the_template_comments_follow_the_language(tmp_path: Path) -> None:
    runner = CliRunner()
    for lang, words in (
        ("zh", "# 填写：年度平均预算执行率（%）"),
        ("en", "# fill in: 年度平均预算执行率 (%)"),
    ):
        out = tmp_path / f"inputs-{lang}.yaml"
        result = runner.invoke(app, ["template", "--rules", "2022", "-o", str(out), "--lang", lang])
        assert result.exit_code == 0, result.output
        text = out.read_text(encoding="utf-8")
        assert words in text
        filled = text.replace("execution_rate:", "execution_rate: 98.88 #")
        for name in (
            "contracts_total",
            "contracts_filed_on_time",
            "sme_suitable_budget",
            "sme_awarded_amount",
        ):
            filled = filled.replace(f"{name}:", f"{name}: 1 #")
        out.write_text(filled, encoding="utf-8")
        refused = runner.invoke(app, ["run", str(out), "-f", "json", "--lang", lang])
        assert refused.exit_code == 1 and "department" in refused.stderr  # the placeholder is no name
        filled = re.sub(r"(?m)^department: .*$", "department: 某局", filled)
        out.write_text(filled, encoding="utf-8")
        scored = runner.invoke(app, ["run", str(out), "-f", "json", "--lang", lang])
        assert scored.exit_code == 0, scored.output  # either is an inputs file that scores once filled
