"""An inputs file ready to fill: every indicator's inputs with their labels, and the targets declared in the
申报表 pre-filled, so that a department types its actual values only.

Declared targets come from the 申报表's 绩效指标 table, saved as CSV or tab-separated text (copy the table from
Excel or Word), or written as a YAML list of `{category, name, target}`. What the file says is written as
quoted scalars and one-line comments (`yamlio.quoted`, `yamlio.comment`), so that `score` reads back exactly
what it wrote.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from scorer.errors import Location, UserError
from scorer.escape import is_blank, one_line
from scorer.facts import fact
from scorer.i18n import language, say, t
from scorer.inputs.workbook import is_workbook
from scorer.kinds.registry import kind
from scorer.kinds.targets.model import DeclaredTarget
from scorer.kinds.targets.read import match_category
from scorer.rules.model import Indicator, RuleSet
from scorer.rules.read import load_rules
from scorer.sources.shipped import default_family
from scorer.sources.yaml import load_yaml_file, read_bytes, read_text
from scorer.sources.yaml_write import comment, quoted, scalar
from scorer.template.targets_table import Header, read_rows

# Column headers as the 申报表 prints them, and their English names.
_COLUMNS = {
    "level1": ("一级指标", "level1"),
    "category": ("二级指标", "category"),
    "name": ("三级指标", "name"),
    "target": ("年度指标值", "target"),
}


def refuse_existing(output: Path | None, force: bool) -> None:
    """A template is written only where nothing stands yet, unless --force says to replace it."""
    if output is not None and str(output) != "-" and output.exists() and not force:
        raise UserError.at(Location(str(output)), fact("template.exists"))


def refuse_extension(output: Path | None, for_batch: bool) -> None:
    """A file `template` writes is named for what it holds: YAML or a workbook, or (`--batch`) CSV or a
    workbook. Any other extension is refused, as every command refuses one its format does not write."""
    from scorer.inputs.workbook_layout import WORKBOOK_SUFFIXES

    if output is None or str(output) == "-":
        return
    known = (".csv" if for_batch else ".yaml", *(() if for_batch else (".yml",)), *WORKBOOK_SUFFIXES)
    suffix = output.suffix.lower()
    if suffix not in known:
        message = fact("template.unknown_extension", suffix=suffix or "''", known=", ".join(known))
        raise UserError.at(Location(str(output)), message)


def scaffold_file(
    rules_spec: str, targets: Path | None, given: Path | None, output: Path | None, lang: str
) -> tuple[str | bytes, RuleSet]:
    """`score template`: a YAML inputs file, or a workbook when -o names a .xlsx, for these rules; the declared
    targets of TABLE and the values of an earlier inputs file (`--from`, YAML or workbook) pre-filled."""
    rules = load_rules(rules_spec)
    declared = read_declared(targets, rules) if targets else []
    if output is not None and is_workbook(output):
        from scorer.inputs.read import read_document
        from scorer.render.input_workbook import build_template, refuse_overlong

        document = read_document(given) if given is not None else None
        data = document.data if document is not None else None
        if document is not None:
            refuse_overlong(document)
        return build_template(rules, lang, data if isinstance(data, dict) else None, declared), rules
    if given is not None:
        raise UserError.at(Location(str(given)), fact("template.from_needs_workbook"))
    return scaffold(rules, declared, rules_spec), rules


def read_declared(path: Path, rules: RuleSet) -> list[DeclaredTarget]:
    if path.suffix.lower() in (".yaml", ".yml"):
        doc = load_yaml_file(path)
        rows = doc.data if isinstance(doc.data, list) else None
        if rows is None or not all(isinstance(r, dict) for r in rows):
            raise UserError.at(Location(str(path), 1), fact("scaffold.not_a_list"))
        return [_declared(rules, path, i + 1, {k: str(v) for k, v in r.items()}) for i, r in enumerate(rows)]
    text = _table_text(path)
    if not text.strip():
        raise UserError.at(Location(str(path)), fact("scaffold.empty"))
    dialect = "excel-tab" if "\t" in text else "excel"  # copied from Word or Excel: tab-separated
    try:
        table = list(csv.reader(io.StringIO(text), dialect=dialect))
    except csv.Error as exc:  # a cell beyond the csv module's field limit, a stray quote …
        raise UserError.at(Location(str(path)), fact("scaffold.bad_table", why=str(exc))) from None
    if not table:
        raise UserError.at(Location(str(path)), fact("scaffold.empty"))
    # The block may come with what stood above it in the 申报表 (its title, the budget, the goals): the table starts
    # at its header.
    start = next((i for i, row in enumerate(table) if _is_header([c.strip() for c in row])), 0)
    header = [cell.strip() for cell in table[start]]
    positions = {}
    for key, names in _COLUMNS.items():
        found = next((i for i, cell in enumerate(header) if cell in names), None)
        if found is None and key != "level1":
            wanted = " / ".join(names)
            raise UserError.at(
                Location(str(path), 1), fact("scaffold.no_column", wanted=wanted, header=str(header))
            )
        positions[key] = found
    declared = []
    name, year = positions["name"], positions["target"]
    assert name is not None and year is not None
    rows, problems = read_rows(table[start:], Header(name, year), rules, path, start + 1)  # by what cells say
    for row in rows:
        try:
            declared.append(_declared(rules, path, row.line, {"category": row.category, "name": row.name,
                                                               "target": row.target}))  # fmt: skip
        except UserError as exc:
            problems += exc.problems
    if problems:
        raise UserError(sorted(problems, key=lambda p: p.location.line or 0))
    return declared


def _is_header(row: list[str]) -> bool:
    return any(cell in _COLUMNS["name"] for cell in row) and any(cell in _COLUMNS["target"] for cell in row)


def _table_text(path: Path) -> str:
    """A pasted or exported table as text: UTF-8, or GB18030 (GBK), which Excel on Chinese Windows saves."""
    raw = read_bytes(path, str(path))
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return read_text(path, str(path))  # says where the text stops being readable


def _declared(rules: RuleSet, path: Path, line: int, row: dict[str, str]) -> DeclaredTarget:
    for key in ("name", "target"):  # written into the inputs file, and read back from it: never a blank
        if is_blank(row.get(key, "")):
            shown = one_line(row.get(key, ""))
            raise UserError.at(
                Location(str(path), line), fact("scaffold.blank", column=_COLUMNS[key][0], text=shown)
            )
    category = row.get("category", "").strip()
    for indicator in rules.indicators:
        full = match_category(category, indicator.targets.categories) if indicator.targets else None
        if full:
            return DeclaredTarget(
                indicator.id, full, row.get("name", "").strip(), row.get("target", "").strip()
            )
    known = [c for i in rules.indicators if i.targets for c in i.targets.categories]
    raise UserError.at(
        Location(str(path), line),
        fact("scaffold.unknown_category", category=category, known="、".join(known)),
    )


def scaffold(rules: RuleSet, declared: list[DeclaredTarget], rules_spec: str | None = None) -> str:
    """The inputs file to fill, its comments in the chosen language. `rules_spec` is how the rules were named
    (a year, or a draft folder's path): the header's command names them the same way, so that it works."""
    title = rules.title_en if language() == "en" and rules.title_en else rules.title
    lines = [
        "# " + comment(t("scaffold.header", year=rules.year, title=title)),
        "# " + comment(t("scaffold.how_to_fill")),
        "# " + comment(t("scaffold.deductions")),
        "# " + comment(t("scaffold.schema", year=rules.year, rules=rules_spec or rules.year)),
        f"# yaml-language-server: $schema=inputs-{rules.year}.schema.json",
        "department: " + t("scaffold.department"),
        f"year: {rules.year}",
        *([f"rubric: {rules.id}"] if rules.id and rules.id != default_family() else []),  # another family's
        "units: 1",
        *_budget_lines(rules),
        *_shared_lines(rules),
        "indicators:",
    ]
    for indicator in rules.indicators:
        lines += _indicator_lines(indicator, [d for d in declared if d.indicator == indicator.id])
    return "\n".join(lines) + "\n"


def _budget_lines(rules: RuleSet) -> list[str]:
    """The budget block: left to fill as the department likes, unless a row's formula reads a part of it."""
    used = sorted({s.name for i in rules.indicators for s in i.inputs if s.shared == "budget"})
    if not used:
        return [
            "# budget:                    # " + t("scaffold.budget"),
            "#   total: 0",
            "#   basic: 0",
            "#   project: 0",
        ]
    specs = {s.name: s for i in rules.indicators for s in i.inputs if s.shared == "budget"}
    lines = ["budget:                       # " + comment(t("scaffold.budget_used"))]
    for name in used:
        what = t("scaffold.fill_in", label=specs[name].label, unit=_unit(specs[name].unit))
        part = name.removeprefix("budget_")
        lines.append(f"  {part}:{' ' * max(1, 26 - len(part))}# " + comment(what))
    return lines


def _shared_lines(rules: RuleSet) -> list[str]:
    """The inputs the rubric declares once for several rows, asked once."""
    if not rules.shared:
        return []
    lines = ["shared:                       # " + comment(t("scaffold.shared"))]
    for spec in rules.shared:
        what = (
            t("scaffold.yes_no", label=spec.label)
            if spec.type == "yes_no"
            else t("scaffold.fill_in", label=spec.label, unit=_unit(spec.unit))
        )
        lines.append(f"  {spec.name}:{' ' * max(1, 26 - len(spec.name))}# " + comment(what))
    return lines


def _indicator_lines(indicator: Indicator, declared: list[DeclaredTarget]) -> list[str]:
    weight = t("scaffold.weight", weight=f"{indicator.weight:f}")
    heading = "  # " + comment(f"{indicator.level1} / {indicator.level2} / {indicator.title}{weight}")
    if declared:
        lines = [heading, f"  {indicator.id}:", "    targets:"]
        for item in declared:
            lines += [
                f"      - name: {quoted(item.name)}",
                f"        category: {scalar(item.category)}",
                f"        target: {quoted(item.target)}",
                "        actual:                # " + t("scaffold.actual"),
            ]
        return lines
    when = _needed_when(indicator)
    own = [spec for spec in indicator.inputs if not spec.shared]  # a shared one is asked once, above
    needed = [spec for spec in own if not spec.optional or when.get(spec.name) == ""]
    optional = [spec for spec in own if spec not in needed]
    picks = _kind_lines(indicator)
    if not needed and not optional and not picks:
        key = kind(indicator.scoring).nothing_to_fill
        return [f"  # {indicator.id}:            # " + comment(t(key, title=indicator.title))]
    lines = [heading, f"  {indicator.id}:", *picks]
    for spec in needed:
        what = (
            t("scaffold.yes_no", label=spec.label)
            if spec.type == "yes_no"
            else t("scaffold.fill_in", label=spec.label, unit=_unit(spec.unit))
        )
        lines.append(f"    {spec.name}:{' ' * max(1, 24 - len(spec.name))}# " + comment(what))
    for spec in optional:
        condition = when.get(spec.name)
        what = (
            t("scaffold.optional", label=spec.label, unit=_unit(spec.unit))
            if condition is None
            else t("scaffold.needed_when", label=spec.label, unit=_unit(spec.unit), when=condition)
        )
        lines.append(f"    # {spec.name}:{' ' * max(1, 22 - len(spec.name))}# " + comment(what))
    return lines


def _needed_when(indicator: Indicator) -> dict[str, str]:
    """The inputs the row's kind scores with, each with when it is asked for: "" always; else the option or the
    conditions it depends on. An input marked optional that the kind always needs is not optional."""
    if indicator.kinds.spec is None:
        return {}
    unless = " / ".join(c.when.source for c in indicator.kinds.conditions)
    always = t("scaffold.unless", when=unless) if unless else ""
    found: dict[str, str] = {}
    for name, case in kind(indicator.scoring).needed_when(indicator.spec):
        said = always if case is None else say(case)
        found[name] = f"{found[name]}; {said}" if name in found and case is not None else said
    return found


def _kind_lines(indicator: Indicator) -> list[str]:
    """What a graded row or a row scored the department's chosen way asks for, besides its inputs."""
    lines = []
    for ask in kind(indicator.scoring).asks(indicator.spec):
        what = comment(t(ask.fill, **{ask.word: ask.shown}))
        if ask.blank:
            lines += ["    # " + what, f"    {ask.key}: {ask.blank}"]
        else:
            lines.append(f"    {ask.key}:{' ' * (24 - len(ask.key))}# " + what)
    return lines


def _unit(unit: str) -> str:
    return t("scaffold.unit", unit=unit) if unit else ""
