"""The words and units departments write around the numbers of their 绩效指标, for `load.targets`."""

from __future__ import annotations

AT_LEAST, AT_MOST, EXACTLY = "at_least", "at_most", "exactly"

# Longer than any declared value; it also bounds the work reading a hostile text can cause.
MAX_TEXT_LENGTH = 200

# Word or symbol before the number → (direction, strict).
_PREFIX_WORDS = [
    (">=", AT_LEAST, False), ("≥", AT_LEAST, False), ("≧", AT_LEAST, False), (">", AT_LEAST, True),
    ("不低于", AT_LEAST, False), ("不少于", AT_LEAST, False), ("不小于", AT_LEAST, False), ("至少", AT_LEAST, False),
    ("大于等于", AT_LEAST, False), ("达到", AT_LEAST, False),
    ("高于", AT_LEAST, True), ("大于", AT_LEAST, True), ("超过", AT_LEAST, True), ("多于", AT_LEAST, True),
    ("<=", AT_MOST, False), ("≤", AT_MOST, False), ("≦", AT_MOST, False), ("<", AT_MOST, True),
    ("不超过", AT_MOST, False), ("不高于", AT_MOST, False), ("不多于", AT_MOST, False), ("不大于", AT_MOST, False),
    ("小于等于", AT_MOST, False), ("最多", AT_MOST, False),
    ("低于", AT_MOST, True), ("小于", AT_MOST, True), ("少于", AT_MOST, True), ("不足", AT_MOST, True),
    ("不到", AT_MOST, True),
    ("=", EXACTLY, False),
]  # fmt: skip
# In an actual value these words state the value itself ("实际达到182次"), not a bound.
REACHED_WORDS = {"达到"}

_PREFIX_BY_WORD = {word: (direction, strict) for word, direction, strict in _PREFIX_WORDS}
_LONGEST_PREFIX = max(len(word) for word in _PREFIX_BY_WORD)

# Word after the unit → direction. "3个月内" and "5个工作日内" are at most.
_SUFFIX_BY_WORD = {
    "及以上": AT_LEAST,
    "以上": AT_LEAST,
    "及以下": AT_MOST,
    "以下": AT_MOST,
    "以内": AT_MOST,
    "内": AT_MOST,
}
_LONGEST_SUFFIX = max(len(word) for word in _SUFFIX_BY_WORD)


def direction_before(label: str) -> tuple[str, str, bool] | None:
    """(word, direction, strict) of the direction word ending `label`, the longest one: "不超过" over "超过"."""
    for length in range(min(_LONGEST_PREFIX, len(label)), 0, -1):
        found = _PREFIX_BY_WORD.get(label[-length:])
        if found:
            return label[-length:], *found
    return None


def direction_after(piece: str) -> tuple[str, str] | None:
    """(word, direction) of the direction word ending `piece`, the longest one: "及以上" over "以上"."""
    for length in range(min(_LONGEST_SUFFIX, len(piece)), 0, -1):
        found = _SUFFIX_BY_WORD.get(piece[-length:])
        if found:
            return piece[-length:], found
    return None


# Words that make a number an estimate: "近50次" is fewer than 50, "50余次" more, "约50次" either way.
_ESTIMATE_BEFORE = ("将近", "接近", "大约")
_ESTIMATE_ALONE = ("近", "约", "逾", "超")  # only as the whole label: "节约5万元" is no estimate
_ESTIMATE_AFTER_NUMBER = ("余", "多")
_ESTIMATE_AFTER_UNIT = "左右"

UNIT_KINDS = {
    "count": {"次", "场", "个", "项", "家", "起", "宗", "件", "人", "人次", "份", "台", "套", "篇", "期", "批", "户", "所", "处", "条", "张", "册", "本", "座"},
    "percent": {"%"},
    "duration": {"年", "个月", "周", "天", "工作日", "小时", "分钟"},
    "money": {"元", "万元", "亿元"},
}  # fmt: skip
# Units written two ways. 天 and 日 are both calendar days; 工作日 (working days) stays apart.
UNIT_ALIASES = {
    "日": "天",
    "个工作日": "工作日",
    "个小时": "小时",
    "月": "个月",
    "星期": "周",
    "个星期": "周",
}
KIND_OF_UNIT = {unit: kind for kind, units in UNIT_KINDS.items() for unit in units}
MONEY_IN_YUAN = {"元": 1, "万元": 10_000, "亿元": 100_000_000}

# A count, a duration or an amount of money cannot be below zero, so "-60次" is a slip, not a value. A
# percentage can be (a change: "-5%" is a 5% fall), and so can a plain number or a unit not listed above
# (a temperature in ℃): those keep their sign.
NEVER_NEGATIVE = {"count", "duration", "money"}

# Minus signs written just before the number; NFKC has already turned "－" and "﹣" into "-".
MINUS_SIGNS = {"-", "−", "‐", "‑", "‒", "–"}
# Never part of a unit, nor the end of a name: left there, they are a sign or a range out of place.
SIGNS = MINUS_SIGNS | {"+", "±", "~", "〜", "—"}
SYMBOLS = set("<>≤≥≦≧=")


def estimate_word(label: str, unit: str) -> str | None:
    """The word that makes a value an estimate, or None. `label` is what precedes the number, `unit` what follows."""
    for word in _ESTIMATE_BEFORE:
        if label.endswith(word):
            return word
    if label in _ESTIMATE_ALONE:
        return label
    if unit.startswith(_ESTIMATE_AFTER_NUMBER):
        return unit[0]
    if unit.endswith(_ESTIMATE_AFTER_UNIT):
        return _ESTIMATE_AFTER_UNIT
    return None
