"""What a YAML syntax error most likely means, said as a fix: a full-width colon where a colon was meant, a
line indented more or less than its neighbours allow, an unclosed bracket."""

from __future__ import annotations

import re

from scorer.facts import Fact, fact


def char_at(text: str, line: int, column: int) -> str:
    lines = text.splitlines()
    return lines[line][column : column + 1] if line < len(lines) else ""


def nesting(text: str) -> tuple[int, int]:
    """(deepest nesting, its line) as a linear scan sees it: open flow brackets plus indentation steps.
    An over-estimate is fine; the point is to refuse before the parser recurses (libyaml's composer is
    recursive C, and crashes the interpreter on deep enough input)."""
    deepest, where, depth = 0, 1, 0
    for number, line in enumerate(text.splitlines(), start=1):
        indent = (len(line) - len(line.lstrip(" -"))) // 2
        for char in line:  # brackets nest within one line too: "[[[[…]]]]"
            if char in "[{":
                depth += 1
                if depth + indent > deepest:
                    deepest, where = depth + indent, number
            elif char in "]}":
                depth = max(depth - 1, 0)
        if indent + depth > deepest:
            deepest, where = indent + depth, number
    return deepest, where


_KEY_LIKE = (
    r"\s*([A-Za-z_][A-Za-z0-9_]{0,60}|[\u4e00-\u9fff]{2,20})\s*"  # a key, not prose (compiled when used)
)


def full_width_colon(text: str, up_to: int) -> int | None:
    """The line (1-based) of a key written with a full-width colon ("contracts_total：15"), up to the error's line."""
    for number, line in enumerate(text.splitlines()[: up_to + 1], start=1):
        key, colon, _ = line.partition("：")
        if colon and re.fullmatch(_KEY_LIKE, key):
            return number
    return None


_FLOW_KEY_FULL_WIDTH = r"[{,]\s*[A-Za-z_][A-Za-z0-9_]{0,60}\s*："  # {from：95, …} (compiled when used)
_FLOW_COMMA_FULL_WIDTH = r"，\s*[A-Za-z_][A-Za-z0-9_]{0,60}\s*[:：]"  # {from: 95， to: 100}
_INDENTATION = (  # what PyYAML says when a line is indented more or less than its neighbours allow
    "mapping values are not allowed",
    "did not find expected key",
    "expected <block end>",
    "did not find expected '-' indicator",
    "block sequence entries are not allowed",
)


def _unquoted(line: str) -> str:
    """The line without its comment and its quoted text, where punctuation is the file's own."""
    line = re.sub(r"\"(?:[^\"\\]|\\.)*\"|'[^']*'", "", line)
    return line.split(" #", 1)[0]


def syntax_hint(text: str, index: int, problem: str) -> Fact | None:
    """A hint for a YAML syntax error at line `index` (0-based): a full-width '，' or '：' inside a flow mapping
    {…}, unquoted text there, or an indentation slip."""
    lines = text.splitlines()
    line = _unquoted(lines[index]) if index < len(lines) else ""
    if "{" in line:
        inside = line[line.index("{") :]
        if re.search(_FLOW_COMMA_FULL_WIDTH, inside):
            return fact("yaml.full_width_comma_flow")
        if re.search(_FLOW_KEY_FULL_WIDTH, inside):
            return fact("yaml.full_width_colon_flow")
        if "expected ',' or '}'" in problem or "cannot start any token" in problem:
            return fact("yaml.quote_flow_text")
    if "mapping values are not allowed" in problem and _colon_in_text(line):
        return fact("yaml.quote_colon_text")
    if any(words in problem for words in _INDENTATION):
        return fact("yaml.indentation")
    return None


def _colon_in_text(line: str) -> bool:
    """`explanation: 反映情况: 及时备案`: a value of plain text holding ': ', which YAML reads as a key."""
    _, sep, rest = line.partition(": ")
    return (
        bool(sep)
        and re.search(r":(\s|$)", rest.strip()) is not None
        and not rest.lstrip().startswith(("{", "["))
    )


def full_width_key(key: str) -> bool:
    """A key read from {from：95, …}: a full-width colon the flow mapping took as part of the key."""
    return "：" in key and re.fullmatch(_KEY_LIKE, key.partition("：")[0]) is not None
