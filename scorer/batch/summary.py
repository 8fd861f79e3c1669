"""What a bureau reads about a batch, gathered as the results stream past; no result is kept.

Per department: its total, grade and level-2 subtotals (and, with a history database, last year's). Per
indicator: how many departments lost points, how many points in all, and the reasons given most often. The
refused departments with their problems.

Ranking: by total, highest first. Equal totals share a rank (1, 2, 2, 4: "standard competition ranking") and are
listed by department name (in the Unicode order of its `department_key`), then in input order, so that the same
batch always ranks the same.

Reasons are counted by their wording with the numbers taken out ("…年共签订…份合同，其中…份按要求及时备案"), so
that a formula's reason counts once per department that lost points on it. At most `REASONS_KEPT` distinct
reasons are kept per indicator: past twice that, the rarest are dropped (the counts of the most frequent ones stay
exact unless a batch has thousands of different wordings for one indicator).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from scorer.batch.adjust import Given, Review, overrides_of
from scorer.batch.entries import Entries, Ranked
from scorer.engine.result import Result
from scorer.errors import Problem
from scorer.facts import Fact, Message, RuleReason, Said
from scorer.i18n import say, t
from scorer.inputs.model import department_key
from scorer.kinds.registry import unencoded
from scorer.numbers import EXACT
from scorer.rounding import Rounding
from scorer.rules.model import RuleSet

REASONS_KEPT = 200
MEAN = Rounding(2, "half_up")  # averages are shown to two places, rounded half up; everything else is exact


@dataclass(frozen=True)
class Moved:
    id: str
    name: str
    before: Decimal
    after: Decimal


@dataclass(frozen=True)
class Previous:
    """The department's latest earlier year in the history database."""

    year: int
    total: Decimal
    grade: str
    moved: tuple[Moved, ...]  # the indicators whose score changed, in the rubric's order
    imported: bool = False  # that year's 自评表 as printed (`score history import`), not scored by score


@dataclass(frozen=True, slots=True)
class Entry:
    order: int  # position in the input
    department: str
    year: int
    total: Decimal
    grade: str
    subtotals: tuple[Decimal, ...]  # per level-2 node, in the rubric's order
    place: str  # file, and line or row
    previous: Previous | None = None
    notes: tuple[
        str, ...
    ] = ()  # the result's notes (扣完为止, a score capped at its weight …), indicator first
    stated: Decimal | None = None  # a submitted 自评表's own total as printed, beside the one recomputed
    identity: str = (
        ""  # against last year: 新增, or merged or renamed from the names given (--aliases), in words
    )
    overrides: tuple[Given, ...] = ()  # the department's own scores in place of the computed ones
    adjustments: tuple[Given, ...] = ()  # the bureau's 复核调整, each with the department's own score
    unadjusted_total: Decimal | None = None  # the total before the bureau's adjustments (not `stated`)
    project: str | None = (
        None  # 项目名称 under a project rubric ("" when the file names none); None otherwise
    )

    @property
    def change(self) -> Decimal | None:
        return None if self.previous is None else EXACT.subtract(self.total, self.previous.total)


@dataclass
class Losses:
    id: str
    name: str
    level2: str
    weight: Decimal
    departments: int = 0
    points: Decimal = Decimal(0)
    reasons: Counter[str] = field(default_factory=Counter)

    def add(self, lost: Decimal, reasons: tuple[str, ...]) -> None:
        """`reasons`: each once (a reason counts once per department; `brief` made them so)."""
        self.departments += 1
        self.points = EXACT.add(self.points, lost)
        counts = self.reasons
        for reason in reasons:
            counts[reason] = counts.get(reason, 0) + 1
        if len(counts) > 2 * REASONS_KEPT:
            self.reasons = Counter(dict(self.reasons.most_common(REASONS_KEPT)))

    def top(self, count: int = 3) -> list[tuple[str, int]]:
        return sorted(self.reasons.items(), key=lambda item: (-item[1], item[0]))[:count]


@dataclass
class GivenTally:
    """How many scores each side put in place of the computed ones, in how many departments."""

    overrides: int = 0
    override_departments: int = 0
    adjustments: int = 0
    adjusted_departments: int = 0

    def add(self, overrides: tuple[Given, ...], adjustments: tuple[Given, ...]) -> None:
        self.overrides += len(overrides)
        self.override_departments += 1 if overrides else 0
        self.adjustments += len(adjustments)
        self.adjusted_departments += 1 if adjustments else 0

    def __bool__(self) -> bool:
        return bool(self.override_departments or self.adjusted_departments)


@dataclass(frozen=True)
class Refusal:
    place: str
    problems: tuple[Problem, ...]
    bug: bool = False


@dataclass(frozen=True)
class Node:
    level1: str
    name: str
    weight: Decimal


class Summary:
    def __init__(self, rules: RuleSet, lang: str, detailed: bool = True):
        self.lang = lang
        # False when no output reads more than who was scored and who refused (a batch asked only for JSON
        # Lines): each department's losses, reasons, notes and subtotals are then neither worded nor summed.
        self.detailed = detailed
        self.unit = ""  # who circulates the summary (`--unit`): printed in its title
        self.year = rules.year
        self.title = rules.title
        self.digest = rules.digest
        self.rubric = rules.name  # id/year
        self.provisional = rules.provisional  # marked in every summary until its sources are recorded
        self.partly_encoded = unencoded(i.scoring for i in rules.indicators)  # rows scored by hand only
        self.max = rules.total
        self.grades = tuple((g.name, g.min) for g in sorted(rules.grades, key=lambda g: g.min, reverse=True))
        english = rules.english if lang == "en" else {}  # the rule file's English names, where it gives them

        def name(text: str) -> str:
            return english.get(text) or text

        self.nodes = tuple(
            Node(name(level.name), name(child), weight)
            for level in rules.levels
            for child, weight in level.children
        )
        self.entries = Entries(Entry)  # packed: a few megabytes for 100,000 departments
        self.projects = rules.form.layout == "project"  # each entry is a project of a unit: 项目名称 is shown
        self.refusals: list[
            Refusal
        ] = []  # the batch's, whatever rubric a file named: listed once, at the end
        self.refused = 0  # how many of them named this rubric (or none): counted beside its scored ones
        self.others: list[Refusal] = []  # files that are no submission, each with why: listed, never scored
        self.last_year: int | None = None  # the year before, when the history database holds it
        self.missing: list[str] = []  # the departments of last year that this batch has not scored
        self.unsubmitted: list[
            str
        ] = []  # the roster's departments that handed nothing in (the web workplace's)
        self.any_stated = (
            False  # whether some entry is a 自评表 with its own total (the packed entries unread)
        )
        self.losses = {
            i.id: Losses(
                i.id, (i.name_en if lang == "en" and i.name_en else i.title), name(i.level2), i.weight
            )
            for i in rules.indicators
        }
        self._node_sums = [Decimal(0)] * len(self.nodes)
        self._seen = 0
        self._ranked: Ranked | None = None
        self._sum = Decimal(0)  # of the totals, and the count of each grade: kept as entries are added
        self._grades: Counter[str] = Counter()
        # Kept as entries are added, so that writing a summary reads the packed entries only in ranking order.
        self.given = GivenTally()
        self.later_years: set[int] = set()  # the departments' years after the rubric's (scored under it)
        self.any_previous = False  # whether the history database knew some department's earlier year
        self.noted = 0  # departments whose results carry notes
        self.kept: list[Result] | None = None  # every result, only when each department's 自评表 is asked for
        # The departments of each other rubric a file named (scorer/batch/rubrics.py), by the rubric's folder,
        # in the order first met: each ranked and summed apart, its refusals listed with the batch's own.
        self.groups: dict[str, Summary] = {}

    def add(
        self,
        result: Result,
        place: str,
        previous: Previous | None = None,
        stated: Decimal | None = None,
        identity: str = "",
        findings: tuple[str, ...] = (),
        review: Review | None = None,
    ) -> Entry:
        """`stated`, `findings`: a submitted 自评表's own total and what auditing it found (noted); `review`: the
        department's overrides and the bureau's adjustments."""
        seen = brief(result, self.lang, stated, findings, review, self.detailed)
        return self.add_brief(seen, place, previous, identity)

    def add_brief(
        self, seen: Brief, place: str, previous: Previous | None = None, identity: str = ""
    ) -> Entry:
        """As `add`, from what the summary takes of a result (a worker process sends back only that)."""
        entry = Entry(
            self._seen, seen.department, seen.year, seen.total, seen.grade, seen.subtotals, place, previous,
            seen.notes, seen.stated, identity, seen.overrides, seen.adjustments, seen.unadjusted_total, seen.project,
        )  # fmt: skip
        self._seen += 1
        self.entries.append(entry)
        self._ranked = None
        self._sum = EXACT.add(self._sum, seen.total)
        self._grades[seen.grade] += 1
        self.any_stated = self.any_stated or seen.stated is not None
        self.given.add(seen.overrides, seen.adjustments)
        if seen.year > self.year:
            self.later_years.add(seen.year)
        self.any_previous = self.any_previous or previous is not None
        self.noted += 1 if seen.notes else 0
        if self.detailed:
            self._add_details(seen)
        return entry

    def _add_details(self, seen: Brief) -> None:
        """The level-2 subtotals summed and the points lost counted with their reasons, per indicator."""
        self._node_sums = list(map(EXACT.add, self._node_sums, seen.subtotals))  # as many as both have
        losses = self.losses
        for id, lost, reasons in seen.losses:
            if id in losses:
                losses[id].add(lost, reasons)

    def refuse(
        self, place: str, problems: tuple[Problem, ...], bug: bool = False, of: Summary | None = None
    ) -> None:
        """A submission refused: listed in the batch's list, counted under the rubric it named (`of`, another
        rubric's summary) or this one."""
        self._seen += 1
        self.refusals.append(Refusal(place, problems, bug))
        (of or self).refused += 1

    def other(self, place: str, problems: tuple[Problem, ...]) -> None:
        """A file that is no submission: listed with why."""
        self.others.append(Refusal(place, problems))

    # ---- what the renderers show ----

    def ranked(self) -> Ranked:
        """(rank, entry) in ranking order, worked out once (until another entry is added)."""
        if self._ranked is None:
            self._ranked = Ranked(self.entries, department_key)
        return self._ranked

    def distribution(self) -> list[tuple[str, int]]:
        return [(name, self._grades.get(name, 0)) for name, _ in self.grades]

    def node_means(self) -> list[tuple[Node, Decimal | None]]:
        """Each level-2 node with the departments' average score on it (two places), None when none scored."""
        count = len(self.entries)
        return [
            (node, MEAN.apply(Fraction(total) / count) if count else None)
            for node, total in zip(self.nodes, self._node_sums, strict=True)
        ]

    def mean_total(self) -> Decimal | None:
        if not self.entries:
            return None
        return MEAN.apply(Fraction(self._sum) / len(self.entries))

    def losing(self) -> list[Losses]:
        """Indicators on which some department lost points, most points lost first."""
        found = [losses for losses in self.losses.values() if losses.departments]
        return sorted(found, key=lambda item: (-item.points, -item.departments, item.id))

    @property
    def scored(self) -> int:
        """How many departments were scored, under every rubric of the batch."""
        return len(self.entries) + sum(len(group.entries) for group in self.groups.values())

    @property
    def failed(self) -> bool:
        return bool(self.refusals)

    @property
    def bugs(self) -> bool:
        return any(refusal.bug for refusal in self.refusals)


@dataclass(frozen=True)
class Brief:
    """What the summary takes from one result: small to send from a worker process."""

    department: str
    year: int
    total: Decimal
    grade: str
    subtotals: tuple[Decimal, ...]
    losses: tuple[tuple[str, Decimal, tuple[str, ...]], ...]  # (indicator, points lost, reasons' patterns)
    notes: tuple[str, ...] = ()  # the result's notes (扣完为止, a capped value, …), in words
    stated: Decimal | None = None  # a submitted 自评表's own total
    overrides: tuple[Given, ...] = ()
    adjustments: tuple[Given, ...] = ()
    unadjusted_total: Decimal | None = None
    project: str | None = None  # 项目名称 under a project rubric (`form: layout: project`), None otherwise


def brief(
    result: Result,
    lang: str,
    stated: Decimal | None = None,
    findings: tuple[str, ...] = (),
    review: Review | None = None,
    detailed: bool = True,
) -> Brief:
    """What the summary takes of a result; with `detailed` False (no output reads them), none of the losses,
    reasons, notes and subtotals, which are the most of its work."""
    review = review or Review(overrides_of(result))
    if not detailed:
        return Brief(
            result.department, result.year, result.total, result.grade, (), (), (), stated,
            review.overrides, review.adjustments, review.unadjusted_total,
        )  # fmt: skip
    losses = tuple(
        (
            indicator.id,
            indicator.lost,
            tuple(dict.fromkeys([pattern(reason, lang) for reason in indicator.reasons]))  # each once
            or (t("batch.no_reason", lang),),
        )
        for indicator in result.indicators
        if indicator.lost > 0
    )
    subtotals = tuple(child.score for level in result.levels for child in level.children)
    notes = tuple(
        t(
            "batch.note",
            lang,
            indicator=(i.name_en if lang == "en" and i.name_en else i.title),
            note=say(note, lang),
        )
        for i in result.indicators
        for note in i.notes
    )
    notes += findings
    return Brief(
        result.department, result.year, result.total, result.grade, subtotals, losses, notes, stated,
        review.overrides, review.adjustments, review.unadjusted_total, project_of(result),
    )  # fmt: skip


def project_of(result: Result) -> str | None:
    """The project a result is of, under a project rubric ("" when its file names none); None for a department's
    form, whose batch knows the department alone."""
    return result.profile.project if result.form == "project" else None


_PLACEHOLDER = re.compile(r"\{[^{}]*\}")


def pattern(message: Message, lang: str) -> str:
    """A reason's wording with its numbers left out, so that the same reason counts as one."""
    if isinstance(message, Said):
        return " ".join(message.text.split())
    if isinstance(message, RuleReason):
        values = {name: _kept(name, dict(message.values).get(name)) for name in message.template(lang).names}
        return message.template(lang).render(values)
    if isinstance(message, Fact):
        named = message.named
        return _PLACEHOLDER.sub(lambda m: _kept(m[0][1:-1], named.get(m[0][1:-1])), t(message.key, lang))
    return say(message, lang)


def _kept(name: str, value: object) -> str:
    """A placeholder's value as the grouped wording shows it: the year stays ("2022年共签订…份合同"), the
    department's own numbers become "…"."""
    return str(value) if name == "year" and value is not None else "…"
