"""The words of the 自评表 a reader looks for: cells cleaned of the HTML copies carry, names compared as
people write them (full-width forms, spaces, a final colon), numbers as cells hold them, and the names of the
rules and the catalogues' headers in both languages."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal

from scorer.i18n import LANGUAGES, t
from scorer.numbers import NotANumber, parse_number
from scorer.rules.model import RuleSet
from scorer.sources.grid import norm

# Cells that say "nothing here" (a slash in the 未达标原因 column of a full-marks row).
NOTHING = {"/", "／", "-", "—", "——", "无", "n/a", "na", "none", "\\"}
# Markup that hides the text inside it where the table is shown: display:none, visibility:hidden, the hidden
# attribute, a zero font size or opacity, white text.
_HIDING = re.compile(
    r"<[a-z][^<>]*?(?:\shidden\b|display\s*:\s*none|visibility\s*:\s*(?:hidden|collapse)"
    r"|font-size\s*:\s*0*(?:\.0*)?(?![.\d])|opacity\s*:\s*0*(?:\.0*)?(?![.\d])"
    r"|(?<![-\w])color\s*[:=]\s*[\"']?\s*(?:#f{3}(?:f{3})?\b|white\b|rgb\(\s*255\s*,\s*255\s*,\s*255\s*\)))",
    re.IGNORECASE,
)


def hides_text(cell: str) -> bool:
    """Whether a cell's markup hides some of its text where the table is shown (the text would be read, but
    not seen)."""
    return "<" in cell and _HIDING.search(cell) is not None


def cell_number(text: str) -> Decimal | None:
    """A cell that is a number as a table prints one, or None: a plain decimal ("8.99", "11,887.73", full-width
    "９．８８"), optionally followed by 分, points or %. Nothing else around it: "约9.5", "9.5?", "9 5" and
    "100分（暂定）" are not numbers (`number_like` tells them from texts)."""
    plain = _strict_number(text)
    if plain is None:
        return None
    try:
        return parse_number(plain)
    except NotANumber:  # beyond the bounds every number keeps (15 digits, 10 places, below 10¹²)
        return None


def number_like(text: str) -> bool:
    """A cell meant as a number that is not exactly one: a number with a word or a sign around it ("约9.5",
    "9.5?", "100分（暂定）"), two numbers ("9.5 9.6"), odd digits ("⑨"), one beyond the bounds. Short texts only:
    a sentence that mentions a number is a text."""
    if not any(char.isdigit() or unicodedata.category(char) == "No" for char in text):
        return False
    if cell_number(text) is not None:
        return False
    rest = _NUMBER_PARTS.sub("", unicodedata.normalize("NFKC", text))
    words = "".join(char for char in rest if unicodedata.category(char)[0] not in "PSZC")
    return len(words) <= _FEW_WORDS


# A plain decimal, with thousands separators or without, and the unit a table may print after it.
_STRICT = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)?(?:\.\d+)?")
_UNITS = ("分", "%", "points", "point")
_NUMBER_PARTS = re.compile(r"\d+|分|points?|[eE](?=[+-]?\d)")
# The spaces and line ends a copied cell may carry around a number (U+3000 is a space after NFKC).
_BLANKS = " \t\r\n"
_FEW_WORDS = 4  # "暂定", "约", "左右": a word or two; a reason is longer


def _strict_number(text: str) -> str | None:
    """The number a cell holds exactly, as ASCII text ("9.88", "-1", "1945.54"), or None."""
    for char in text:  # NFKC would read "9⁶" as 96 and "①" as 1: only 0-9 and full-width digits are digits
        if (char.isdigit() and not ("0" <= char <= "9" or "０" <= char <= "９")) or (
            unicodedata.category(char) == "No"
        ):
            return None
    plain = unicodedata.normalize("NFKC", text).strip(_BLANKS)  # not U+2028, U+0085, …: they hide in a cell
    lowered = plain.lower()
    for unit in _UNITS:
        if lowered.endswith(unit):
            plain = plain[: -len(unit)].rstrip()
            break
    if not plain or not any(char.isdigit() for char in plain) or not _STRICT.fullmatch(plain):
        return None
    return plain.replace(",", "")


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
    """Where the header puts the indicator's name and its score, and how far the reason and the improvement stand
    to the right of the score (a row shifted left keeps them beside its score)."""

    name: int
    score: int
    reason: int = 1
    improvement: int = 2
