"""The batch summary as one self-contained HTML page: counts, four charts drawn as inline SVG (grade
distribution, ranking, level-2 averages against their weights, points lost per indicator), the ranking table,
where points were lost and why, the changes since last year, and the refused departments.

Nothing is fetched: no script, no font, no stylesheet from elsewhere, and a Content-Security-Policy that forbids
it. Every text from a file is HTML-escaped. The numbers are the results' exact values; they are also in the page
as data (`data-total` on each ranking row, and the whole summary as JSON in `<script type="application/json"
id="batch-data">`), so that a check can compare what the page shows with the results.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from decimal import Decimal

from scorer.batch.report import given
from scorer.batch.report.common import (
    counted,
    counts_line,
    display_name,
    group_line,
    has_history,
    has_stated,
    losses_headers,
    moved_text,
    name_columns,
    names,
    ranking_columns,
    reasons_line,
    rubrics_line,
    rules_line,
    shown,
    signed,
    stated_at,
    title,
)
from scorer.batch.report.html_parts import Signed as _Signed
from scorer.batch.report.html_parts import cells as _cells
from scorer.batch.report.html_parts import e as _e
from scorer.batch.report.html_parts import given_list, notes_list, others_list, refusals_list
from scorer.batch.report.html_parts import paged as _paged
from scorer.batch.summary import Summary
from scorer.i18n import t
from scorer.numbers import to_json_number
from scorer.render.options import RenderOptions
from scorer.render.problems import lines
from scorer.rounding import fmt

RANKING_CHART_MAX = 80  # departments drawn in the ranking chart; the table lists them all
COLOURS = ("#2e7d32", "#1565c0", "#ef6c00", "#c62828", "#6a1b9a", "#546e7a")
CSS = """
body{font-family:"Noto Sans CJK SC","Source Han Sans SC","Microsoft YaHei","PingFang SC",sans-serif;margin:2em auto;
max-width:1100px;padding:0 1em;color:#1a1a1a;line-height:1.5}
h1{font-size:1.5em;margin-bottom:.2em}h2{font-size:1.2em;border-bottom:2px solid #1565c0;padding-bottom:.2em;margin-top:2em}
.meta{color:#555;margin:.2em 0}.charts{display:flex;flex-wrap:wrap;gap:1.5em}
figure{margin:0;flex:1 1 480px}figcaption{font-weight:bold;margin-bottom:.4em}
table{border-collapse:collapse;width:100%;font-size:.9em;margin-top:.5em}
th,td{border:1px solid #c8c8c8;padding:.25em .45em;vertical-align:top}th{background:#d9e1f2;text-align:center}
td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}tr:nth-child(even) td{background:#f7f9fc}
.refused li{color:#b71c1c}.note{color:#666;font-size:.85em}svg text{font-size:12px}
details.page{margin:.3em 0}details.page summary{cursor:pointer;color:#1565c0}
@media print{body{max-width:none}figure{break-inside:avoid}h2{break-after:avoid}}
"""


def _json_number(value: Decimal | None) -> int | float | None:
    return None if value is None else to_json_number(value)


def data(summary: Summary) -> dict[str, object]:
    """The page's numbers as data, what a check compares with the results; its ranking one department at a
    time (`ranking_data`)."""
    return {
        "rules": {"year": summary.year, "digest": summary.digest},
        "scored": len(summary.entries),
        "refused": len(summary.refusals),
        "ranking": ranking_data(summary),
        "distribution": [{"grade": grade, "count": count} for grade, count in summary.distribution()],
        "nodes": [
            {
                "level1": n.level1,
                "name": n.name,
                "weight": to_json_number(n.weight),
                "mean": _json_number(mean),
            }
            for n, mean in summary.node_means()
        ],
        "losses": [
            {"id": x.id, "name": x.name, "departments": x.departments, "points": to_json_number(x.points)}
            for x in summary.losing()
        ],
        "refusals": [
            {"place": r.place, "problems": lines(r.problems, summary.lang)} for r in summary.refusals
        ],
        "missing": list(summary.missing),
        "others": [{"place": o.place, "problems": lines(o.problems, summary.lang)} for o in summary.others],
    }


def ranking_data(summary: Summary) -> Iterator[dict[str, object]]:
    return (
        {
            "rank": rank,
            "department": e.department,
            **({} if e.project is None else {"project": e.project}),  # under a project rubric alone
            "total": to_json_number(e.total),
            "grade": e.grade,
            "subtotals": [to_json_number(v) for v in e.subtotals],
            "source": e.place,
            "notes": list(e.notes),
            "stated": _json_number(e.stated),
            "identity": e.identity,
            "overrides": len(e.overrides),
            "adjustments": len(e.adjustments),
        }
        for rank, e in summary.ranked()
    )  # fmt: skip


def _embedded(summary: Summary) -> Iterator[str]:
    """The data as `json.dumps(data, sort_keys=True)` writes it, the ranking an entry at a time."""
    for index, (key, value) in enumerate(sorted(data(summary).items())):
        yield (", " if index else "{") + _json(key) + ": "
        if not isinstance(value, Iterator):
            yield _json(value)
            continue
        yield "["
        for number, item in enumerate(value):
            yield (", " if number else "") + _json(item)
        yield "]"
    yield "}"


def _json(value: object) -> str:
    # Every character beyond ASCII as a \uXXXX escape: the same data to a JSON reader, and nothing a page can take
    # otherwise (U+2028, which ends a line of script; an unpaired surrogate from a file's name, which no page
    # can carry; bidi overrides). Inside <script>, "</script>" or "<!--" in a department's name would end the
    # block: no "<", ">" or "&" either.
    text = json.dumps(value, ensure_ascii=True, sort_keys=True)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def render(summary: Summary, options: RenderOptions) -> str:
    return "".join(pieces(summary, options))


def pieces(summary: Summary, options: RenderOptions) -> Iterator[str]:
    """The page a piece at a time, its long tables a page of rows at a time: never held whole."""
    lang = summary.lang
    yield from (
        part + "\n"
        for part in [
            "<!DOCTYPE html>",
            f'<html lang="{"zh-CN" if lang == "zh" else "en"}"><head><meta charset="utf-8">',
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
            'img-src data:">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{_e(title(summary))}</title><style>{CSS}</style></head><body>",
            f"<h1>{_e(title(summary))}</h1>",
            f'<p class="meta">{_e(rules_line(summary))}</p>',
            f'<p class="meta" id="counts" data-scored="{len(summary.entries)}" data-refused="{len(summary.refusals)}">'
            f"{_e(counts_line(summary))}</p>",
            figures(summary),
        ]
    )
    yield from _part([f'<p class="meta">{_e(several)}</p>' if (several := rubrics_line(summary)) else ""])
    yield from _part(_ranking_table(summary))
    yield from _part([_losses_table(summary)])
    yield from _part(_history_table(summary) if has_history(summary) else [])
    # each other rubric's departments, ranked apart; their tables' ids numbered (ranking-2, losses-2, …)
    for number, group in enumerate(summary.groups.values(), start=2):
        yield from _part([f"<h2>{_e(group_line(group))}</h2>", f'<p class="meta">{_e(title(group))}</p>'])
        yield from _part(_ranking_table(group, f"-{number}"))
        yield from _part([_losses_table(group, f"-{number}")])
    for listed in (
        notes_list(summary),
        given_list(summary),
        [refusals_list(summary)],
        [others_list(summary)],
    ):
        yield from _part(listed)
    yield '<script type="application/json" id="batch-data">'
    yield from _embedded(summary)
    yield "</script>\n"
    yield "</body></html>\n"


def _part(pieces: Iterable[str]) -> Iterator[str]:
    """A part of the page and the line end after it; nothing for a part that is empty."""
    written = False
    for piece in pieces:
        if piece:
            written = True
            yield piece
    if written:
        yield "\n"


def _figure(caption: str, svg: str, ident: str) -> str:
    return f'<figure id="{ident}"><figcaption>{_e(caption)}</figcaption>{svg}</figure>'


def _svg(width: int, height: int, body: list[str], label: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{_e(label)}" width="100%" '
        f'viewBox="0 0 {width} {height}" preserveAspectRatio="xMinYMin meet">' + "".join(body) + "</svg>"
    )


def _short(text: str, size: int) -> str:
    return text if len(text) <= size else text[: size - 1] + "…"


def _grade_colour(summary: Summary, grade: str) -> str:
    names = [name for name, _ in summary.grades]
    return COLOURS[names.index(grade) % len(COLOURS)] if grade in names else COLOURS[-1]


def _distribution_chart(summary: Summary) -> str:
    counts = summary.distribution()
    most = max((c for _, c in counts), default=0) or 1
    width, height, base, top = 420, 230, 190, 20
    step = (width - 40) / max(1, len(counts))
    body = [f'<line x1="30" y1="{base}" x2="{width - 10}" y2="{base}" stroke="#888"/>']
    for index, (grade, count) in enumerate(counts):
        bar = (base - top) * count / most
        x = 40 + index * step
        body.append(
            f'<g class="bar" data-grade="{_e(grade)}" data-count="{count}">'
            f'<rect x="{x:.1f}" y="{base - bar:.1f}" width="{step * 0.6:.1f}" height="{bar:.1f}" '
            f'fill="{_grade_colour(summary, grade)}"/>'
            f'<text x="{x + step * 0.3:.1f}" y="{base - bar - 5:.1f}" text-anchor="middle">{count}</text>'
            f'<text x="{x + step * 0.3:.1f}" y="{base + 18}" text-anchor="middle">{_e(grade)}</text></g>'
        )
    return _svg(width, height, body, t("batch.distribution", summary.lang))


def _hbars(rows: list[tuple[str, Decimal, Decimal, str, str, str]], scale: Decimal | None, label: str) -> str:
    """Horizontal bars: (name, value, background value, text at the end, colour, data attributes). Without a
    scale, each bar is its value's share of its own background (a level-2 node's average against its weight)."""
    width, line, left, right = 560, 18, 170, 130
    room = width - left - right
    body = []
    for index, (name, value, background, text, colour, attrs) in enumerate(rows):
        y = 6 + index * line
        full: float
        bar: float
        if scale is None:
            full, bar = (room, float(value / background) * room) if background else (0, 0)
        else:
            full = float(background / scale) * room if scale else 0
            bar = float(value / scale) * room if scale else 0
        body.append(
            f"<g {attrs}><title>{_e(name)}</title>"
            f'<text x="{left - 6}" y="{y + 12}" text-anchor="end">{_e(_short(name, 13))}</text>'
            + (
                f'<rect x="{left}" y="{y + 2}" width="{full:.1f}" height="{line - 5}" fill="#e3e8f0"/>'
                if full
                else ""
            )
            + f'<rect x="{left}" y="{y + 2}" width="{bar:.1f}" height="{line - 5}" fill="{colour}"/>'
            f'<text x="{left + max(bar, full) + 4:.1f}" y="{y + 12}">{_e(text)}</text></g>'
        )
    return _svg(width, 12 + line * max(1, len(rows)), body, label)


def _ranking_chart(summary: Summary) -> str:
    ranked = summary.ranked()[:RANKING_CHART_MAX]
    rows = [
        (f"{rank}. {display_name(e, summary.lang)}", e.total, summary.max, shown(e.total), _grade_colour(summary, e.grade),
         f'class="rank-bar" data-total="{fmt(e.total)}"')
        for rank, e in ranked
    ]  # fmt: skip
    chart = _hbars(rows, summary.max, t("batch.ranking", summary.lang))
    if len(summary.entries) > RANKING_CHART_MAX:
        chart += f'<p class="note">{_e(counted(summary, "batch.chart_top", count=RANKING_CHART_MAX))}</p>'
    return chart


def _nodes_chart(summary: Summary) -> str:
    rows = [
        (node.name, mean or Decimal(0), node.weight, f"{shown(mean)} / {shown(node.weight)}", "#1565c0",
         f'class="node-bar" data-mean="{fmt(mean) if mean is not None else ""}" data-weight="{fmt(node.weight)}"')
        for node, mean in summary.node_means()
    ]  # fmt: skip
    return (
        _hbars(rows, None, t("batch.nodes", summary.lang))
        + f'<p class="note">{_e(t("batch.nodes_note", summary.lang))}</p>'
    )


def _losses_chart(summary: Summary) -> str:
    losing = summary.losing()
    if not losing:
        return f'<p class="note">{_e(counted(summary, "batch.no_losses"))}</p>'
    scale = max(x.points for x in losing)
    rows = [
        (x.name, x.points, Decimal(0), counted(summary, "batch.loss_bar", points=shown(x.points), departments=x.departments),
         "#c62828", f'class="loss-bar" data-indicator="{_e(x.id)}" data-points="{fmt(x.points)}"')
        for x in losing
    ]  # fmt: skip
    return _hbars(rows, scale, t("batch.losses", summary.lang))


def _ranking_table(summary: Summary, suffix: str = "") -> Iterator[str]:
    lang = summary.lang
    history = has_history(summary)
    heads = ranking_columns(summary)
    stated = has_stated(summary)
    if stated:
        heads.insert(stated_at(name_columns(summary)), t("batch.stated", lang))
    if history:
        heads.append(t("batch.change", lang))
    identity = summary.last_year is not None
    if identity:
        heads.append(t("batch.identity", lang))
    heads.append(t("batch.notes", lang))
    heads += given.headers(lang)
    head = "".join(f"<th>{_e(h)}</th>" for h in heads)
    yield f'<h2>{_e(t("batch.ranking", lang))}</h2><p class="note">{_e(counted(summary, "batch.ties"))}</p>'
    yield from _paged(
        _ranking_rows(summary, stated, history, identity),
        f"<thead><tr>{head}</tr></thead>",
        f"ranking{suffix}",
        lang,
    )


def _ranking_rows(summary: Summary, stated: bool, history: bool, identity: bool) -> Iterator[str]:
    for rank, e in summary.ranked():
        named = names(e)
        values: list[object] = [rank, *named, e.total, e.grade, *e.subtotals]
        if stated:
            values.insert(stated_at(named), e.stated if e.stated is not None else "")
        if history:
            values.append(_Signed(signed(e.change)))
        if identity:
            values.append(e.identity)
        values.append(len(e.notes) if e.notes else "")
        values += [count or "" for count in given.counts(e)]
        yield (
            f'<tr class="rank-row" data-rank="{rank}" data-department="{_e(e.department)}" '
            f'data-total="{fmt(e.total)}" data-grade="{_e(e.grade)}" title="{_e(e.place)}">{_cells(values)}</tr>'
        )


def _losses_table(summary: Summary, suffix: str = "") -> str:
    lang = summary.lang
    head = "".join(f"<th>{_e(h)}</th>" for h in losses_headers(summary))
    rows = [
        f'<tr data-indicator="{_e(x.id)}">'
        + _cells([x.name, x.level2, x.weight, x.departments, x.points])
        + f"<td>{'<br>'.join(_e(r) for r in reasons_line(x, lang, chr(10)).split(chr(10)))}</td></tr>"
        for x in summary.losing()
    ]
    return (
        f"<h2>{_e(t('batch.losses', lang))}</h2>"
        f'<table id="losses{suffix}"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'
    )


def _history_table(summary: Summary) -> Iterator[str]:
    lang = summary.lang
    heads = [t("batch.department", lang), t("batch.previous_year", lang), t("batch.previous_total", lang),
             t("batch.total", lang), t("batch.change", lang), t("batch.previous_grade", lang), t("batch.grade", lang),
             t("batch.moved_title", lang)]  # fmt: skip
    head = "".join(f"<th>{_e(h)}</th>" for h in heads)
    yield f"<h2>{_e(t('batch.history_title', lang))}</h2>"
    yield f'<table id="history"><thead><tr>{head}</tr></thead><tbody>'
    for _, e in summary.ranked():
        if e.previous is not None:
            values: list[object] = [e.department, str(e.previous.year), e.previous.total, e.total, signed(e.change),
                                    e.previous.grade, e.grade, moved_text(e, lang)]  # fmt: skip
            yield f"<tr>{_cells(values)}</tr>"
    yield "</tbody></table>"


def figures(summary: Summary) -> str:
    """The four charts as this report draws them (the web workplace's ranking page shows the same)."""
    lang = summary.lang
    return "\n".join(
        [
            '<div class="charts">',
            _figure(t("batch.distribution", lang), _distribution_chart(summary), "chart-distribution"),
            _figure(t("batch.nodes", lang), _nodes_chart(summary), "chart-nodes"),
            "</div>",
            '<div class="charts">',
            _figure(t("batch.ranking", lang), _ranking_chart(summary), "chart-ranking"),
            _figure(t("batch.losses", lang), _losses_chart(summary), "chart-losses"),
            "</div>",
        ]
    )
