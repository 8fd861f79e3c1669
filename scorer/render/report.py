"""The 自评报告 (narrative self-evaluation report) as a list of blocks, with the sections of the published reports:

一、基本情况 (key tasks, goals, spending), 二、绩效自评情况 (results and benefits, the score and grade with a summary
table, performance / procurement / asset management), 三、存在的主要问题和下一步改进措施.

The department's own texts go in verbatim; every number comes from the result; a part the department did not
write is a clearly marked blank, never invented. `report_docx.py` and `report_markdown.py` write the blocks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from scorer.engine.result import Result
from scorer.escape import is_blank
from scorer.i18n import say, t
from scorer.invisible import without_invisible
from scorer.render.common import department_named, grade_shown, named, rubric_marks
from scorer.render.project_rows import BUDGET_HEADINGS, HEADINGS, budget_row, budget_values, deviation, lines
from scorer.rounding import Rounding, fmt

_NUMBERING = re.compile(r"^(（[一二三四五六七八九十]+）|\(\d+\)\s*)")  # "（一）", "(1) "
# What clerks type into a cell or field to say "nothing here": a dash or slash of any width ("/", "／", "-",
# "—", "——"), "无" or "暂无", "N/A", alone and perhaps with a full stop. The report reads it as nothing written.
_NOTHING = re.compile(
    r"(?:[-－‐‑‒–—―─━_＿/／\\、.。·…]+|无|暂无|没有|n/?a|none)[。.．!！]?",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Heading:
    level: int  # 0 the title, 1 一、, 2 （一）
    text: str


@dataclass(frozen=True)
class Paragraph:
    text: str
    blank: bool = False  # a part left for the department to write


@dataclass(frozen=True)
class Table:
    rows: tuple[tuple[str, ...], ...]  # the first row is the header


Block = Heading | Paragraph | Table


def written(text: str) -> str:
    """What the department wrote, or "" where it wrote nothing: blanks, and the marks that say "nothing here"
    ("/", "无", "—", "-", "／"…). Every narrative text the report takes goes through here."""
    text = text.strip()
    if is_blank(text) or _NOTHING.fullmatch(without_invisible(text).replace("\u3000", "").replace(" ", "")):
        return ""
    return text


def blocks(result: Result, lang: str) -> list[Block]:
    profile, project = result.profile, result.form == "project"
    words = _PROJECT if project else _DEPARTMENT  # the report of the rubric's form (its `form: layout`)
    named = department_named(result, lang)  # with its project's name, where given
    out: list[Block] = [Heading(0, t(words["title"], lang, year=result.year, department=named))]
    out += [Paragraph(mark) for mark in rubric_marks(result, lang)]  # a provisional or earlier year's rubric
    out.append(Heading(1, t(words["basics"], lang)))
    out += _part(t(words["key_tasks"], lang), profile.key_tasks, lang)
    out += _part(t(words["goals"], lang), profile.goal, lang)
    out += [Heading(2, t(words["spending"], lang)), *_spending(result, lang)]
    out.append(Heading(1, t("report.evaluation", lang)))
    # The score and its table close （一）, as the 自评 results; 绩效管理, 采购管理, 资产管理 follow as in the
    # published reports of a department (a project's report has none of them).
    out += _part(t(words["results"], lang), written(profile.results) or profile.achieved, lang)
    grade = grade_shown(result, lang)
    out.append(Paragraph(t(words["score_text"], lang, year=result.year, total=result.total, grade=grade)))
    out += _project_tables(result, lang) if project else [_summary_table(result, lang)]
    if not project:
        out += _part(t("report.performance", lang), profile.performance_management, lang)
        out += _part(t("report.procurement", lang), profile.procurement_management, lang)
        out += _part(t("report.assets", lang), profile.asset_management, lang)
    out.append(Heading(1, t("report.problems_and_fixes", lang)))
    out.append(Heading(2, t("report.problems", lang)))
    out += _losses(result, lang, written(profile.problems) or written(profile.shortfall))
    out.append(Heading(2, t("report.fixes", lang)))
    out += _fixes(result, lang, written(profile.improvements))
    return out


# The headings and sentences of each form's report, by part.
_DEPARTMENT = {
    "title": "report.title", "basics": "report.basics", "key_tasks": "report.key_tasks", "goals": "report.goals",
    "spending": "report.spending", "results": "report.results", "score_text": "report.score_text",
}  # fmt: skip
_PROJECT = {
    "title": "report.project.title", "basics": "report.project.basics", "key_tasks": "report.project.key_tasks",
    "goals": "report.project.goals", "spending": "report.project.spending", "results": "report.project.results",
    "score_text": "report.project.score_text",
}  # fmt: skip


def _part(title: str, text: str, lang: str) -> list[Block]:
    return [Heading(2, title), _written(text, _NUMBERING.sub("", title), lang)]


def _written(text: str, what: str, lang: str) -> Paragraph:
    if written(text):
        return Paragraph(written(text))
    return _blank(what, lang)


def _blank(what: str, lang: str) -> Paragraph:
    return Paragraph(t("report.blank", lang, what=what), blank=True)


def _spending(result: Result, lang: str) -> list[Block]:
    """The budget and the amount spent as far as the department gave them; a blank only for what it did not.
    A project's are its 预算执行 block's 全年预算数 and 全年执行数."""
    budget, spent = result.budget.get("total"), result.budget.get("executed")
    if result.form == "project":
        block = dict(result.form_budget)
        budget, spent = block.get("full_year"), block.get("spent")
    if budget is None:
        if spent is None:
            return [_blank(t("report.spending_what", lang), lang)]
        return [
            Paragraph(t("report.spent_only", lang, spent=_money(spent))),
            _blank(t("report.budget_what", lang), lang),
        ]
    if spent is None:
        return [
            Paragraph(t("report.budget_only", lang, budget=_money(budget))),
            _blank(t("report.spent_what", lang), lang),
        ]
    if budget == 0:  # no rate to work out of a budget of 0
        return [Paragraph(t("report.spending_no_rate", lang, budget=_money(budget), spent=_money(spent)))]
    rate = Rounding(1, "half_up").apply(Fraction(spent) * 100 / Fraction(budget))
    return [Paragraph(t("report.spending_text", lang, budget=_money(budget), spent=_money(spent), rate=rate))]


def _money(amount: Decimal) -> str:
    """万元 as the published reports write them: two places, thousands separated (11,755.20)."""
    return f"{Rounding(2, 'half_up').apply(Fraction(amount)):,.2f}"


def _summary_table(result: Result, lang: str) -> Table:
    rows: list[tuple[str, ...]] = [
        (t("form.level1", lang), t("form.level2", lang), t("form.weight", lang), t("form.score", lang))
    ]
    for level in result.levels:
        for child in level.children:
            rows.append((named(level, lang), named(child, lang), fmt(child.weight), fmt(child.score)))
    rows.append((t("form.total", lang), "", fmt(result.max), fmt(result.total)))
    return Table(tuple(rows))


def _project_tables(result: Result, lang: str) -> list[Block]:
    """The 项目支出绩效自评表 (a rubric's `form: layout: project`): its 预算执行 block, then each indicator the
    project declared with its 年度指标值, 实际完成值, 分值 and 得分."""
    values = ["" if v is None else fmt(v) for v in budget_values(result)]
    values[-1] += "%" if values[-1] else ""  # the rate, kept as its percent number
    scored = budget_row(result)
    if scored is not None:
        values += [fmt(scored.weight), fmt(scored.score), deviation(scored, lang)]
    budget = (tuple(t(key, lang) for key in BUDGET_HEADINGS[: len(values)]), tuple(values))
    rows: list[tuple[str, ...]] = [tuple(t(key, lang) for key in HEADINGS)]  # as the .xlsx table prints it
    for line in lines(result, lang):
        cells = (line.level1, line.level2, line.level3, line.target, line.actual)
        rows.append((*cells, fmt(line.weight), fmt(line.score), line.deviation))
    rows.append((t("form.total", lang), "", "", "", "", fmt(result.max), fmt(result.total), ""))
    return [Table(budget), Table(tuple(rows))] if scored is not None else [Table(tuple(rows))]


def _losses(result: Result, lang: str, written_problems: str) -> list[Block]:
    out: list[Block] = [Paragraph(written_problems)] if written_problems else []
    lost = [i for i in result.indicators if i.lost > 0]
    if not lost:
        out.append(Paragraph(t("report.no_losses", lang)))
    for number, indicator in enumerate(lost, start=1):
        # Reasons end in their own stops ("…得0.41分。"): joined without them, the sentence ends once.
        said = [written(say(r, lang)).rstrip("。.；;，,、 ") for r in indicator.reasons]
        reasons = t("report.reason_separator", lang).join(text for text in said if text)
        text = t(
            "report.loss",
            lang,
            number=number,
            name=named(indicator, lang),
            lost=indicator.lost,
            reasons=reasons or t("report.blank", lang, what=t("report.reason_what", lang)),
        )
        out.append(Paragraph(text, blank=not reasons))
    return out


def _fixes(result: Result, lang: str, written_fixes: str) -> list[Block]:
    out: list[Block] = [Paragraph(written_fixes)] if written_fixes else []
    numbered = [(named(i, lang), written(text)) for i in result.indicators for text in i.improvements]
    for number, (name, text) in enumerate([(n, x) for n, x in numbered if x], start=1):
        out.append(Paragraph(t("report.fix", lang, number=number, name=name, text=text)))
    if not out:
        out.append(_blank(_NUMBERING.sub("", t("report.fixes", lang)), lang))
    return out
