"""The rows of a rubric that extends another: the parent's rows with the child's `changes:` applied in order.

    changes:
      - {add: new_row, after: asset_inventory}         # the file indicators/new_row.yaml of this rubric
      - {add: assets_counted, use: _shared/asset_count, weight: 2, set: {…}}   # a shared row, its own weight
      - {add: inventory, use: guangzhou-huangpu-bumen/2022/asset_inventory}    # a row of another rubric
      - {remove: procurement_intent_disclosure_2}
      - {reweight: budget_execution, weight: 8}
      - {replace: pm_system_execution}                 # by indicators/pm_system_execution.yaml, or a use:
      - {change: carryover_rate, set: {bands: […]}}    # keys of the row replaced (bands, steps, reason, …)

A row altered by a change is located at that change (its `set:` keys at their own lines); a row taken as it
is keeps its own file and lines. Each problem (a row that does not exist, a file no change names, a change
naming two verbs) is located at its change or file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from scorer.errors import LineMap, Location, Problem, did_you_mean
from scorer.facts import Message, fact
from scorer.rules.extends import Reader, Resolved, load_resolved, locate
from scorer.rules.find import SHARED, find_shared, roots_of, split_use
from scorer.rules.model import RowOrigin
from scorer.sources.yaml import YamlDocument, display_path

VERBS = ("add", "remove", "reweight", "replace", "change")
MAX_CHANGES = 1000  # schemas/rubric.schema.json: changes.maxItems


def row_id(doc: YamlDocument) -> str:
    ident = doc.data.get("id") if isinstance(doc.data, dict) else None
    return ident if isinstance(ident, str) else Path(doc.path).stem


class Changes:
    def __init__(
        self,
        folder: Path,
        rubric: YamlDocument,
        own_rows: list[YamlDocument],
        problems: list[Problem],
        reader: Reader,
        chain: tuple[Path, ...],
        parent_name: str,
        parent: Resolved | None,
    ):
        self.folder, self.rubric, self.problems = folder, rubric, problems
        self.reader, self.chain, self.source = reader, chain, parent_name
        self.own = {
            Path(doc.path).stem: doc for doc in own_rows
        }  # this rubric's files, until a change takes one
        self.extends = parent is not None
        self.removed: dict[str, Location] = {}  # a row a `remove:` took out, at that change
        self.used: dict[Path, Resolved | None] = {}  # the rubrics whose rows `use:` names, as resolved
        listed = rubric.data.get("indicators")
        base = parent.rubric.data.get("indicators") if parent else None
        self.order: list[str] = list(listed if isinstance(listed, list) else base or [])
        self.rows: dict[str, YamlDocument] = {row_id(d): d for d in parent.rows} if parent else {}
        self.origins: dict[str, RowOrigin] = (
            {i: parent.origins.get(i) or RowOrigin(parent_name, i) for i in self.rows} if parent else {}
        )

    def apply(self) -> tuple[list[str], list[YamlDocument], dict[str, RowOrigin]]:
        """(the rows' order, the rows, where each row not this rubric's own comes from)."""
        changes = self.rubric.data.get("changes")
        if isinstance(changes, list) and len(changes) > MAX_CHANGES:  # the schema's bound, before any is made
            where = self.rubric.at(("changes",), None, "changes")
            self._fail(where, fact("changes.too_many", count=len(changes), most=MAX_CHANGES))
            changes = []
        for index, change in enumerate(changes if isinstance(changes, list) else []):
            if isinstance(change, dict):  # anything else: the schema says what is wrong, at its line
                self._one(index, change)
        for stem, doc in self.own.items():  # files no change took
            if self.extends:
                self.problems.append(
                    Problem(Location(doc.path, 1, stem), fact("changes.file_unnamed", id=stem))
                )
            else:
                self.rows.setdefault(row_id(doc), doc)
        rows = [self.rows[i] for i in self.order if i in self.rows]
        rows += [doc for ident, doc in self.rows.items() if ident not in self.order]
        return self.order, rows, self.origins

    def _one(self, index: int, change: dict[str, Any]) -> None:
        verbs = [verb for verb in VERBS if verb in change]
        where = self.rubric.at(("changes", index), None, f"changes[{index}]")
        if len(verbs) != 1:
            self._fail(where, fact("changes.one_verb", verbs=", ".join(verbs) or "—"))
            return
        ident = change[verbs[0]]
        if not isinstance(ident, str):
            return  # the schema names the value that is not a row's id
        if verbs[0] != "add" and ident in self.removed:  # taken out by an earlier change of this rubric
            gone = self.removed[ident]
            self._fail(
                where, fact("changes.removed_earlier", verb=verbs[0], id=ident, at=f"{gone.path}:{gone.line}")
            )
            return
        if verbs[0] != "add" and ident not in self.rows:
            hint = did_you_mean(ident, self.rows)
            self._fail(
                where, fact("changes.no_row", verb=verbs[0], id=ident, source=self._looked_in(), hint=hint)
            )
            return
        getattr(self, "_" + verbs[0])(index, change, ident, where)

    def _looked_in(self) -> Message:
        """Where a row was looked for: the rubric a change names ("2022 中"), or this one ("本规则中")."""
        if self.source:
            return fact("changes.in_source", source=self.source)
        return fact("changes.this_rubric")

    def _fail(self, where: Location, message: Message) -> None:
        self.problems.append(Problem(where, message))

    # ---- the verbs ----

    def _add(self, index: int, change: dict[str, Any], ident: str, where: Location) -> None:
        if ident in self.rows:
            self._fail(where, fact("changes.add_exists", id=ident, source=self._looked_in()))
            return
        base, origin = self._source(index, change, ident, where)
        if base is None:
            return
        self._put(index, change, ident, base, origin)
        self._position(index, change, ident)

    def _remove(self, index: int, change: dict[str, Any], ident: str, where: Location) -> None:
        self.removed[ident] = self.rubric.at(("changes", index, "remove"), None, "remove")
        del self.rows[ident]
        self.origins.pop(ident, None)
        self.order = [i for i in self.order if i != ident]

    def _reweight(self, index: int, change: dict[str, Any], ident: str, where: Location) -> None:
        if "weight" not in change:
            self._fail(where, fact("changes.needs", verb="reweight", key="weight"))
            return
        self._put(index, change, ident, self.rows[ident], self.origins.get(ident))

    def _replace(self, index: int, change: dict[str, Any], ident: str, where: Location) -> None:
        base, origin = self._source(index, change, ident, where)
        if base is not None:
            self.origins.pop(ident, None)
            self._put(index, change, ident, base, origin)

    def _change(self, index: int, change: dict[str, Any], ident: str, where: Location) -> None:
        if not isinstance(change.get("set"), dict):
            self._fail(where, fact("changes.needs", verb="change", key="set"))
            return
        self._put(index, change, ident, self.rows[ident], self.origins.get(ident))

    # ---- where a row comes from, and the row a change makes ----

    def _source(
        self, index: int, change: dict[str, Any], ident: str, where: Location
    ) -> tuple[YamlDocument | None, RowOrigin | None]:
        """The row an `add` or `replace` takes: the `use:`d one, or this rubric's file of that id."""
        if "use" in change:
            return self._used(change["use"], self.rubric.at(("changes", index, "use"), None, "use"))
        doc = self.own.pop(ident, None)
        if doc is None:
            shown = display_path(self.folder / "indicators" / f"{ident}.yaml")
            self._fail(where, fact("changes.no_file", id=ident, path=shown))
        return doc, None

    def _used(self, name: Any, where: Location) -> tuple[YamlDocument | None, RowOrigin | None]:
        split = split_use(name) if isinstance(name, str) else None
        if split is None:
            return None, None  # the schema says what a `use:` may name
        source, row = split
        if source == SHARED:
            path = find_shared(self.folder, row)
            if path is None:
                roots = ", ".join(display_path(root) for root in roots_of(self.folder))
                self._fail(where, fact("changes.no_shared", name=name, roots=roots))
                return None, None
            return self.reader.read(path, self.problems, path.parent), RowOrigin(name, row)
        found = locate(self.folder, source, where, self.problems, self.chain)
        if found is not None and found not in self.used:  # each rubric read once, however many rows it lends
            self.used[found] = load_resolved(found, self.problems, self.reader, self.chain)
        used = self.used[found] if found is not None else None
        doc = next((d for d in used.rows if row_id(d) == row), None) if used else None
        if used is not None and doc is None:
            hint = did_you_mean(row, [row_id(d) for d in used.rows])
            self._fail(
                where,
                fact(
                    "changes.no_row",
                    verb="use",
                    id=row,
                    source=fact("changes.in_source", source=source),
                    hint=hint,
                ),
            )
        return doc, (used.origins.get(row) or RowOrigin(source, row)) if used else None

    def _put(
        self, index: int, change: dict[str, Any], ident: str, base: YamlDocument, origin: RowOrigin | None
    ) -> None:
        """The row `ident`: `base` as it is (this rubric's own file), or as the change makes it."""
        own = origin is None and Path(base.path).parent == self.folder / "indicators"
        if own and not ({"weight", "set"} & change.keys()):
            self.rows[ident] = base
            self.origins.pop(ident, None)
            return
        self.rows[ident] = self._altered(base, index, change, ident)
        where = self.rubric.at(("changes", index))
        kept = origin or RowOrigin("", ident)
        self.origins[ident] = RowOrigin(kept.source, kept.row, where.path, where.line, "weight" in change)

    def _altered(self, base: YamlDocument, index: int, change: dict[str, Any], ident: str) -> YamlDocument:
        """`base` with the change's `weight` and `set:` keys, located at the change (each key it sets at its
        own line)."""
        values = dict(change["set"]) if isinstance(change.get("set"), dict) else {}
        prefix = ("changes", index)
        if "id" in values:
            self._fail(self.rubric.at((*prefix, "set", "id"), None, "set.id"), fact("changes.set_id"))
            del values["id"]
        if "weight" in change:
            values["weight"] = change["weight"]
        at = self.rubric.lines.line(prefix)
        lines: dict[tuple[str | int, ...], int | str] = {(): at} if at is not None else {}
        lines.update({(key,): at for key in (base.data if isinstance(base.data, dict) else {}) if at})
        for path, line in self.rubric.lines.lines.items():
            if path[:3] == (*prefix, "set") and len(path) > 3:
                lines[path[3:]] = line
        weight_at = self.rubric.lines.line((*prefix, "weight"))
        if "weight" in change and weight_at is not None:
            lines[("weight",)] = weight_at
        data = {**(base.data if isinstance(base.data, dict) else {}), **values, "id": ident}
        return YamlDocument(self.rubric.path, data, LineMap(lines))

    def _position(self, index: int, change: dict[str, Any], ident: str) -> None:
        """An added row goes where `after:` or `before:` says, else last (where it is, if already listed)."""
        if ident in self.order:
            return
        key = "after" if "after" in change else "before" if "before" in change else None
        anchor = change.get(key) if key else None
        if key is None or anchor not in self.order:
            if key is not None:
                where = self.rubric.at(("changes", index, key), None, key)
                self._fail(
                    where,
                    fact(
                        "changes.no_anchor",
                        key=key,
                        id=str(anchor),
                        hint=did_you_mean(str(anchor), self.order),
                    ),
                )
            self.order.append(ident)
            return
        self.order.insert(self.order.index(anchor) + (key == "after"), ident)
