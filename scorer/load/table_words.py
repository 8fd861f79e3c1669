"""The words of the 自评表 a reader looks for: cells cleaned of the HTML copies carry, names compared as
people write them (full-width forms, spaces, a final colon), numbers as cells hold them, and the names of the
rules and the catalogues' headers in both languages."""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal

from scorer.i18n import LANGUAGES, t
from scorer.model.rules import RuleSet
from scorer.numbers import NotANumber, parse_number

# Cells that say "nothing here" (a slash in the 未达标原因 column of a full-marks row).
NOTHING = {"/", "／", "-", "—", "——", "无", "n/a", "na", "none", "\\"}
_CHECKED_BOX = re.compile(r"<input\b[^>]*\bchecked\b[^>]*>", re.IGNORECASE)
_BOX = re.compile(r"<input\b[^>]*>", re.IGNORECASE)
_BREAK = re.compile(r"<br\s*/?>|</p>\s*<p\b[^>]*>", re.IGNORECASE)
_TAG = re.compile(r"</?(?:b|p|strong|span|div|font|em|i|u|sup|sub|center)\b[^<>]*>", re.IGNORECASE)


def clean(cell: str) -> str:
    """A cell's text without the HTML some copies carry (<p>, <b>); ticked and empty check boxes as √ and □."""
    if "<" in cell:
        cell = _CHECKED_BOX.sub("√", cell)
        cell = _BOX.sub("□", cell)
        cell = _BREAK.sub("\n", cell)
        cell = _TAG.sub("", cell)
    if "&" in cell:
        cell = html.unescape(cell)
    return cell.strip()


def norm(text: str) -> str:
    """A name as compared: full-width forms folded, spaces and line breaks dropped, a final colon dropped."""
    folded = "".join(unicodedata.normalize("NFKC", text).split()).lower()
    return folded.rstrip(":：。.")


def cell_number(text: str) -> Decimal | None:
    """A cell meant as a number ("8.99", "8.99分", "11,887.73"), or None."""
    plain = norm(text).removesuffix("分").removesuffix("points")
    if not plain or not (plain[0].isdigit() or plain[0] in "+-."):
        return None
    try:
        return parse_number(plain)
    except NotANumber:
        return None


def words(*keys: str, extra: tuple[str, ...] = ()) -> frozenset[str]:
    return frozenset(norm(t(key, lang)) for key in keys for lang in LANGUAGES) | {norm(e) for e in extra}


def row_labels() -> frozenset[str]:
    """The words that open a row of the form (总分, 评价等级, the header, 部门基本情况's labels), both languages."""
    return words(
        "form.total",
        "form.grade_label",
        "form.level1",
        "xlsx.profile",
        "xlsx.department",
        "xlsx.goal",
        "xlsx.budget",
    )


def header_words() -> frozenset[str]:
    """The words that name the indicator column in a header row, in both languages."""
    return words("form.level3")


@dataclass
class Vocabulary:
    """The names a table may use, from the rules and the catalogues, each to what it names."""

    rules: RuleSet
    level1: dict[str, str] = field(default_factory=dict)
    level2: dict[str, str] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    explanations: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        english = self.rules.english
        for level in self.rules.levels:
            for name in (level.name, english.get(level.name, "")):
                if name:
                    self.level1[norm(name)] = level.name
            for child, _ in level.children:
                for name in (child, english.get(child, "")):
                    if name:
                        self.level2[norm(name)] = child
        for indicator in self.rules.indicators:
            for name in (indicator.name, indicator.name_en):
                if name:
                    self.names[norm(name)] = indicator.id
            for text in (indicator.explanation, indicator.explanation_en):
                if text:
                    self.explanations[norm(text)] = indicator.id


LEVEL3 = ("form.level3",)
SCORE = ("xlsx.score", "form.score")


def score_words() -> frozenset[str]:
    return words(*SCORE, extra=("自评分", "自评得分", "得分"))


@dataclass(frozen=True)
class Columns:
    name: int
    score: int
