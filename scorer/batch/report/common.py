"""Words and rows shared by the batch summary's formats (terminal, CSV, XLSX, HTML), in the chosen language.

Numbers are the results' exact values, written with two decimals as the 自评表 prints them (a value with more
places is written in full, never rounded); averages are marked as such and rounded half up to two places.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from decimal import Decimal

from scorer.batch.report import given
from scorer.batch.summary import Entry, Losses, Refusal, Summary
from scorer.errors import Problem
from scorer.i18n import t
from scorer.render.problems import lines
from scorer.rounding import fmt

TOP_REASONS = 3


def shown(value: Decimal | None) -> str:
    """94.2 → "94.20"; a value with more than two places in full; None → ""."""
    if value is None:
        return ""
    if value.as_tuple().exponent >= -2:  # type: ignore[operator]
        return format(value.quantize(Decimal("0.01")), "f")  # exact: at most two places already
    return fmt(value)


def signed(value: Decimal | None) -> str:
    if value is None:
        return ""
    return ("+" if value > 0 else "") + shown(value)


def title(summary: Summary) -> str:
    shown = t("batch.title", summary.lang, year=summary.year, title=summary.title)
    shown += t("mark.provisional", summary.lang) if summary.provisional else ""
    return shown + (t("mark.partly_encoded", summary.lang) if summary.partly_encoded else "")


def rubric_marks(summary: Summary) -> list[str]:
    """What the summary says of its rubric, one line each: provisional, or earlier than some department's year."""
    lang, rubric = summary.lang, summary.rubric
    marks = [t("mark.provisional.line", lang, rubric=rubric)] if summary.provisional else []
    marks += [t("mark.partly_encoded.line", lang, rubric=rubric)] if summary.partly_encoded else []
    later = sorted(summary.later_years)
    marks += [
        t("mark.earlier_year.line", lang, rubric=rubric, year=year, rules_year=summary.year) for year in later
    ]
    return marks


def every_rubric_marks(summary: Summary) -> list[str]:
    """What the summary says of each rubric it ranks (its own, then each other rubric's): a mark left out for a
    second rubric would pass its provisional scores as final."""
    return [mark for each in (summary, *summary.groups.values()) for mark in rubric_marks(each)]


# The summary's words that count or name departments, and their twins said of projects: under a project rubric
# (`form: layout: project`) each entry is a project.
OF_PROJECTS = {
    "batch.counts": "batch.counts.projects",
    "batch.count": "batch.count.projects",
    "batch.departments_losing": "batch.departments_losing.projects",
    "batch.reasons": "batch.reasons.projects",
    "batch.loss_line": "batch.loss_line.projects",
    "batch.loss_bar": "batch.loss_bar.projects",
    "batch.no_losses": "batch.no_losses.projects",
    "batch.ties": "batch.ties.projects",
    "batch.chart_top": "batch.chart_top.projects",
    "batch.refused_title": "batch.refused_title.projects",
    "batch.none_refused": "batch.none_refused.projects",
    "batch.refused_count": "batch.refused_count.projects",
    "batch.notes_title": "batch.notes_title.projects",
    "brief.top": "brief.top.projects",
    "brief.bottom": "brief.bottom.projects",
}


def counted(summary: Summary, key: str, **values: object) -> str:
    """The summary's line `key` in its language, said of projects where the batch ranks projects."""
    return t(OF_PROJECTS.get(key, key) if summary.projects else key, summary.lang, **values)


def counts_line(summary: Summary) -> str:
    mean = summary.mean_total()
    line = counted(summary, "batch.counts", scored=len(summary.entries), refused=summary.refused)
    if mean is not None:
        line += t("list.separator", summary.lang) + t("batch.mean", summary.lang, mean=shown(mean))
    return line


def rules_line(summary: Summary) -> str:
    line = t("batch.rules", summary.lang, year=summary.year, digest=summary.digest[:19] + "…")
    return t("list.separator", summary.lang).join([line, *rubric_marks(summary)])


def rubric_groups(summary: Summary) -> list[Summary]:
    """The summaries of the other rubrics files named (scorer/batch/rubrics.py), each ranked apart."""
    return list(summary.groups.values())


def rubrics_line(summary: Summary) -> str | None:
    """When a batch scored departments against several rubrics: each rubric with how many it scored; else None."""
    if not summary.groups:
        return None
    each = [t("batch.rubric_count", summary.lang, rubric=s.rubric, count=len(s.entries))
            for s in [summary, *rubric_groups(summary)]]  # fmt: skip
    return t("batch.rubrics", summary.lang, rubrics=t("list.separator", summary.lang).join(each))


def group_line(group: Summary) -> str:
    """The heading of another rubric's departments: which rubric, how many, ranked apart."""
    return t("batch.group", group.lang, rubric=group.rubric, count=len(group.entries))


def ranking_columns(summary: Summary) -> list[str]:
    """Rank, department, total, grade and the level-2 subtotals: the ranking's first columns in every format."""
    lang = summary.lang
    heads = [t("batch.rank", lang), *name_columns(summary), t("batch.total", lang), t("batch.grade", lang)]
    return heads + [node.name for node in summary.nodes]


def name_columns(summary: Summary) -> list[str]:
    """Who each row is: the department; under a project rubric the unit and the project, side by side."""
    if summary.projects:
        return [t("batch.unit", summary.lang), t("batch.project", summary.lang)]
    return [t("batch.department", summary.lang)]


def names(entry: Entry) -> list[str]:
    """An entry's cells under `name_columns`."""
    return [entry.department] if entry.project is None else [entry.department, entry.project]


def display_name(entry: Entry, lang: str) -> str:
    """An entry's name in one piece (a chart's label, the terminal's last column): the department, or the unit
    with its project's name in brackets."""
    if not entry.project:
        return entry.department
    return t("form.project_named", lang, department=entry.department, project=entry.project)


def name_heading(summary: Summary) -> str:
    """The heading of `display_name`."""
    return t("batch.unit_project" if summary.projects else "batch.department", summary.lang)


def stated_at(names: list[str]) -> int:
    """Where a 自评表's own total goes in a ranking row: after the rank, the names and the total."""
    return 2 + len(names)


def has_stated(summary: Summary) -> bool:
    """Whether some department handed in its 自评表: its own total is shown beside the recomputed one."""
    return summary.any_stated


def ranking_headers(summary: Summary, with_history: bool, places: bool = True) -> list[str]:
    """The ranking's columns; `places`: with the file each department was read from (never on a sheet
    leaders read: the XLSX lists the files on a sheet of their own)."""
    lang = summary.lang
    heads = ranking_columns(summary)
    if has_stated(summary):
        heads.insert(stated_at(name_columns(summary)), t("batch.stated", lang))
    if with_history:
        heads += [t("batch.previous_year", lang), t("batch.previous_total", lang), t("batch.change", lang),
                  t("batch.previous_grade", lang)]  # fmt: skip
    if summary.last_year is not None:
        heads.append(t("batch.identity", lang))
    if places:
        heads.append(t("batch.source", lang))
    heads.append(t("batch.notes", lang))
    heads += given.headers(lang)
    return heads


def ranking_row(
    rank: int,
    entry: Entry,
    with_history: bool,
    stated: bool = False,
    identity: bool = False,
    places: bool = True,
) -> list[str | int | Decimal]:
    """A ranking row; `stated`: with the department's own total (a 自评表's) after the recomputed one;
    `identity`: how it stands against last year (新增, merged, renamed); `places`: with the file it was read from."""
    named = names(entry)
    row: list[str | int | Decimal] = [rank, *named, entry.total, entry.grade, *entry.subtotals]
    if stated:
        row.insert(stated_at(named), entry.stated if entry.stated is not None else "")
    if with_history:
        previous = entry.previous
        row += (
            [previous.year, previous.total, entry.change or Decimal(0), previous.grade]
            if previous
            else ["", "", "", ""]
        )
    if identity:
        row.append(entry.identity)
    if places:
        row.append(entry.place)
    row.append(len(entry.notes))
    row += given.counts(entry)
    return row


def noted(summary: Summary) -> Iterator[tuple[int, Entry]]:
    """The ranked departments whose results carry notes (扣完为止, a score capped at its weight, …), one at a
    time (`summary.noted` counts them)."""
    return ((rank, entry) for rank, entry in summary.ranked() if entry.notes)


def has_history(summary: Summary) -> bool:
    return summary.any_previous


def losses_headers(summary: Summary) -> list[str]:
    lang = summary.lang
    return [t("batch.indicator", lang), t("batch.level2", lang), t("batch.weight", lang),
            counted(summary, "batch.departments_losing"), t("batch.points_lost", lang),
            counted(summary, "batch.reasons")]  # fmt: skip


def reasons_line(losses: Losses, lang: str, joiner: str = "；") -> str:
    return joiner.join(
        t("batch.reason_count", lang, reason=reason, count=count) for reason, count in losses.top(TOP_REASONS)
    )


def moved_text(entry: Entry, lang: str) -> str:
    if entry.previous is None:
        return ""
    moved = [
        t("batch.moved", lang, name=m.name, before=shown(m.before), after=shown(m.after))
        for m in entry.previous.moved
    ]
    return t("list.separator", lang).join(moved) if moved else t("batch.nothing_moved", lang)


def missing_line(summary: Summary) -> str:
    """Last year's departments not scored this year (本年缺报), on one line; "" when none."""
    if not summary.missing:
        return ""
    names = t("list.separator", summary.lang).join(summary.missing)
    return t("batch.missing", summary.lang, year=summary.last_year, count=len(summary.missing), names=names)


def unsubmitted_line(summary: Summary) -> str:
    """The roster's departments that handed nothing in (未提交), on one line; "" when none."""
    if not summary.unsubmitted:
        return ""
    names = t("list.separator", summary.lang).join(summary.unsubmitted)
    return t("batch.unsubmitted", summary.lang, count=len(summary.unsubmitted), names=names)


def left_by_a_computer(problem: Problem) -> bool:
    """A file that is no submission because a computer left it (a hidden file, Excel's lock, a thumbnail cache)."""
    from pathlib import PurePath

    from scorer.batch.sources import system_file

    return system_file(PurePath(problem.location.path).name)


def other_lines(others: Iterable[Problem], lang: str) -> list[str]:
    """Each file that is no submission, with why, one a line; the system files a computer leaves in a folder
    (hidden files, Excel's lock files, Windows' thumbnails) counted in one line: each is named in the lists of
    files the summaries and the 复核清单 hold."""
    listed, system = [], 0
    for problem in others:
        if left_by_a_computer(problem):
            system += 1
        else:
            listed += [t("batch.other_line", lang, message=text) for text in lines([problem], lang)]
    return listed + ([t("batch.other_system", lang, count=system)] if system else [])


def handed_in_others(summary: Summary) -> list[Refusal]:
    """The files that are no submission that someone put there: not the system files a computer leaves in a
    folder, nor the files given as the batch's own options (--aliases, -o, …). What leaders are told of."""
    from scorer.facts import key_of

    def noise(problem: Problem) -> bool:
        return left_by_a_computer(problem) or key_of(problem.message) == "batch.other.given"

    return [other for other in summary.others if not all(noise(p) for p in other.problems)]


def refusal_lines(summary: Summary) -> list[str]:
    """Each refused department's problems, one a line, as `score run` words them."""
    return [
        t("cli.error", summary.lang, message=text)
        for r in summary.refusals
        for text in lines(r.problems, summary.lang)
    ]
