"""The terminal view of the 自评表: a grid laid out like the official form where the terminal is wide enough,
a list grouped by level where it is not. Numbers are never split or cut; long texts wrap.

The layout is computed here rather than by rich's Table, which takes longer to lay out one 自评表 than `score`
takes to start and score it; rich measures the width of each character (CJK characters take two cells).
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from rich.cells import cell_len, get_character_cell_size

from scorer.engine.result import IndicatorResult, Result
from scorer.escape import one_line
from scorer.i18n import say, t
from scorer.render.common import (
    Row,
    facts,
    grade_line,
    headers,
    named,
    notes,
    rows,
    score_cell,
    summary,
    target_rows,
    title,
)
from scorer.render.options import RenderOptions
from scorer.rounding import fmt

WIDE = 120  # below this many columns the form's ten columns cannot be read: the grouped list is shown
_BOLD, _RED, _DIM, _RESET = "\x1b[1m", "\x1b[31m", "\x1b[2m", "\x1b[0m"


@dataclass(frozen=True, slots=True)
class _Style:
    on: bool

    def __call__(self, text: str, code: str) -> str:
        return f"{code}{text}{_RESET}" if self.on and text else text


def render(result: Result, options: RenderOptions) -> str:
    lang, width = options.lang, max(options.width, 40)
    style = _Style(options.color and not os.environ.get("NO_COLOR"))
    out = [center(line, width) for line in wrap(one_line(title(result, lang)), width)] + [""]
    out += [
        style(line, _DIM) for fact in facts(result, lang) for line in wrap(one_line(fact), width, indent="  ")
    ]
    out.append("")
    grid = _grid(result, lang, width, _Style(False)) if width >= WIDE else None
    if (
        grid is not None and max(width_of(line) for row in grid for line in row.split("\n")) <= width
    ):  # else switch layout, never cut
        if style.on:  # measured without colour codes: drawn again with them
            grid = _grid(result, lang, width, style)
    else:
        grid = _grouped(result, lang, width, style)
    out += grid
    grade = wrap(one_line(t("form.grade", lang) + grade_line(result, lang)), width, indent="  ")
    out += [""] + [style(line, _BOLD) for line in grade]
    targets = target_rows(result, lang)
    if targets:
        out += ["", t("targets.title", lang)]
        for cells in targets:
            out += wrap(one_line("  " + " | ".join(cells)), width, indent="    ")
    out.append("")
    out += [line for text in summary(result, lang) for line in wrap(one_line(text), width, indent="    ")]
    extra = notes(result, lang)
    if extra:
        out += ["", style(t("form.notes", lang), _DIM)]
        out += [
            style(line, _DIM) for text in extra for line in wrap(one_line("  " + text), width, indent="    ")
        ]
    return "\n".join(out) + "\n"


def _reasons(item: IndicatorResult, lang: str) -> list[str]:
    return [say(reason, lang) for reason in item.reasons]


def _one_a_line(texts: list[str] | tuple[str, ...]) -> str:
    """Texts one under another, each on lines of its own whatever it holds: a line break written inside one
    (a file's text) is shown as ⏎, so that it never reads as the start of the next."""
    return "\n".join(one_line(text) for text in texts)


# ---- the grid, as the official form --------------------------------------------------------------------------


def _grid(result: Result, lang: str, width: int, style: _Style) -> list[str]:
    names = headers(lang)
    table = list(rows(result))
    widths = _widths(result, table, names, lang, width)
    right = {1, 3, 5, 6}
    lines = [_rule("┌", "┬", "┐", widths), _line([[h] for h in names], widths, right, style, bold=True)]
    lines.append(_rule("├", "┼", "┤", widths))
    for row in table:
        lines.append(_line(_cells(row, widths, lang), widths, right, style, red_score=row.indicator.lost > 0))
        if row.closes_level:
            lines.append(_rule("├", "┼", "┤", widths))
    total = [
        [t("form.total", lang)],
        [fmt(result.max)],
        [""],
        [""],
        [""],
        [""],
        [fmt(result.total)],
        [""],
        [""],
    ]
    lines.append(_line(total, widths, right, style, bold=True))
    lines.append(_rule("└", "┴", "┘", widths))
    return lines


def _widths(result: Result, table: list[Row], names: tuple[str, ...], lang: str, width: int) -> list[int]:
    """The nine columns' widths: the numbers' as wide as their widest, the texts' sharing what is left."""
    numbers = [fmt(r.level.weight) for r in table] + [fmt(r.child.weight) for r in table]
    weight_width = max([width_of(names[1]), *(width_of(n) for n in numbers)])
    score_width = max(
        [width_of(names[6]), width_of(fmt(result.total)), *(width_of(score_cell(r.indicator)) for r in table)]
    )
    subtotal = t("form.subtotal", lang)
    # A level column holds its name (wrapped) and its subtotal (never split): as wide as the subtotal and the
    # longest word of a name need, within reason.
    level_width = _column(
        names[0], [named(r.level, lang) for r in table], [subtotal + fmt(r.level.score) for r in table]
    )
    child_width = _column(
        names[2], [named(r.child, lang) for r in table], [subtotal + fmt(r.child.score) for r in table]
    )
    name_width = 24 if width >= 150 else 18
    fixed = level_width + child_width + name_width + 3 * weight_width + score_width
    free = width - fixed - 3 * 9 - 1  # nine columns: a border and a space either side of each
    reasons_width = max(10, free * 3 // 5)
    improvements_width = max(8, free - reasons_width)
    return [
        level_width,
        weight_width,
        child_width,
        weight_width,
        name_width,
        weight_width,
        score_width,
        reasons_width,
        improvements_width,
    ]


def _cells(row: Row, widths: list[int], lang: str) -> list[list[str]]:
    """One indicator's row, each cell wrapped to its column; a level's and a child's name only where they open."""
    item = row.indicator
    subtotal = t("form.subtotal", lang)
    return [
        wrap(one_line(named(row.level, lang)), widths[0]) + [subtotal + fmt(row.level.score)]
        if row.opens_level
        else [""],
        [fmt(row.level.weight)] if row.opens_level else [""],
        wrap(one_line(named(row.child, lang)), widths[2]) + [subtotal + fmt(row.child.score)]
        if row.opens_child
        else [""],
        [fmt(row.child.weight)] if row.opens_child else [""],
        wrap(one_line(named(item, lang)), widths[4]),
        [fmt(item.weight)],
        [score_cell(item)],
        wrap(_one_a_line(_reasons(item, lang)), widths[7]),
        wrap(_one_a_line(item.improvements), widths[8]),
    ]


def _column(header: str, names: list[str], numbers: list[str]) -> int:
    longest_word = max((width_of(word) for name in names for word in name.split()), default=0)
    return max(width_of(header), *(width_of(n) for n in numbers), min(longest_word, 16), 8)


def _rule(left: str, middle: str, end: str, widths: list[int]) -> str:
    return left + middle.join("─" * (w + 2) for w in widths) + end


def _line(
    cells: list[list[str]],
    widths: list[int],
    right: set[int],
    style: _Style,
    *,
    bold: bool = False,
    red_score: bool = False,
) -> str:
    height = max(len(c) for c in cells)
    out = []
    for index in range(height):
        parts = []
        for column, (cell, cell_width) in enumerate(zip(cells, widths, strict=True)):
            text = cell[index] if index < len(cell) else ""
            padded = pad(text, cell_width, right=column in right)
            if bold:
                padded = style(padded, _BOLD)
            elif column == 6 and red_score and text:
                padded = style(padded, _BOLD + _RED)
            parts.append(padded)
        out.append("│ " + " │ ".join(parts) + " │")
    return "\n".join(out)


# ---- the grouped list, for narrow terminals -------------------------------------------------------------------


def _grouped(result: Result, lang: str, width: int, style: _Style) -> list[str]:
    lines: list[str] = []
    labels = {key: t(key, lang) for key in ("form.reasons", "form.improvements", "form.weight", "form.score")}
    for row in rows(result):
        if row.opens_level:
            head = f"{named(row.level, lang)}  {labels['form.weight']} {fmt(row.level.weight)}  {labels['form.score']} {fmt(row.level.score)}"
            lines += ["", style(one_line(head), _BOLD)]
        if row.opens_child:
            head = f"  {named(row.child, lang)}  {labels['form.weight']} {fmt(row.child.weight)}  {labels['form.score']} {fmt(row.child.score)}"
            lines.append(one_line(head))
        item = row.indicator
        mark = f"{score_cell(item)} / {fmt(item.weight)}"
        score = style(mark, _BOLD + _RED) if item.lost > 0 else mark
        name_lines = wrap(one_line(named(item, lang)), max(10, width - 16 - width_of(mark)))
        lines.append(f"    {score}  {name_lines[0]}")
        lines += [" " * (6 + width_of(mark)) + more for more in name_lines[1:]]
        for key, text in (
            ("form.reasons", _one_a_line(_reasons(item, lang))),
            ("form.improvements", _one_a_line(item.improvements)),
        ):
            if text:
                lines += wrap(
                    f"{labels[key]}：{text}" if lang == "zh" else f"{labels[key]}: {text}",
                    width,
                    first="      ",
                    indent="        ",
                )
    total = f"{t('form.total', lang)} {fmt(result.total)} / {fmt(result.max)}"
    lines += ["", style(total, _BOLD)]
    return lines


# ---- text layout by display cells ------------------------------------------------------------------------------


def center(text: str, width: int) -> str:
    gap = max(0, width - width_of(text))
    return " " * (gap // 2) + text


def pad(text: str, width: int, right: bool = False) -> str:
    gap = " " * max(0, width - width_of(text))
    return gap + text if right else text + gap


def wrap(text: str, width: int, *, first: str = "", indent: str = "") -> list[str]:
    """Lines of at most `width` cells. CJK text breaks between any two characters, Latin text between words
    (a word longer than a line is broken too); line breaks in the text are kept."""
    out: list[str] = []
    for paragraph in text.split("\n"):
        prefix = first if not out else indent
        line, used = prefix, width_of(prefix)
        for token in _tokens(paragraph):
            size = _width(token) if len(token) == 1 else width_of(token)
            if used + size > width and line.strip():
                out.append(line.rstrip())
                line, used = indent, width_of(indent)
                if token == " ":
                    continue
            if size > width - used:  # a single token wider than a line: placed character by character
                for char in token:
                    char_size = _width(char)
                    if used + char_size > width and line.strip():
                        out.append(line)
                        line, used = indent, width_of(indent)
                    line += char
                    used += char_size
                continue
            line += token
            used += size
        out.append(line.rstrip())
    return out or [""]


_WIDTHS: dict[str, int] = {}  # each character's cell width, as rich measures it, asked once
_JOINING = ("\u200d", "\ufe0f")  # a zero-width joiner and variation selector 16 make neighbours one glyph


def _width(char: str) -> int:
    width = _WIDTHS.get(char)
    if width is None:
        # As rich's `cell_len` measures one character: a joiner or a variation selector on its own goes its way.
        width = _WIDTHS[char] = cell_len(char) if char in _JOINING else get_character_cell_size(char)
    return width


def width_of(text: str) -> int:
    """rich's `cell_len`, over characters measured once each: rich measures a text by asking each character's
    width in turn, unless a joiner or a variation selector makes neighbours one glyph (then it is asked)."""
    if text.isascii() and text.isprintable():
        return len(text)
    if _JOINING[0] in text or _JOINING[1] in text:
        return cell_len(text)
    try:
        return sum(map(_WIDTHS.__getitem__, text))
    except KeyError:
        return sum(map(_width, text))


def _tokens(text: str) -> list[str]:
    tokens: list[str] = []
    word = ""
    widths = _WIDTHS
    for ch in text:
        if ch == " ":
            if word:
                tokens.append(word)
                word = ""
            tokens.append(" ")
        elif (widths.get(ch) or _width(ch)) == 2:  # a CJK character: a break may come before and after it
            if word:
                tokens.append(word)
                word = ""
            tokens.append(ch)
        else:
            word += ch
    if word:
        tokens.append(word)
    return tokens
