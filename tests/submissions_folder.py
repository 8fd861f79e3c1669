"""A district's folder of 60 mixed submissions, as a bureau collects them: inputs files (YAML), clerks' input
workbooks, official 自评表 workbooks (as `score run -o x.xlsx` writes them), tables pasted out of Excel into text
files, one batch sheet (CSV), two copies of a department under another spelling of its name, two broken files,
and three files that are no submission (a README, a PDF, an old .xls).

    python tests/submissions_folder.py 各部门/      # writes the folder, prints what it holds

`make(folder)` returns what a correct batch makes of it: the departments to be ranked (name → total) and the
files that must be refused or listed.
"""

from __future__ import annotations

import csv
import io
import json
import random
import sys
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "examples" / "batch"))

from make_departments import _plain, _row, _yaml, department  # noqa: E402

YAMLS, WORKBOOKS, TABLES, PASTED, SHEET_ROWS = 23, 12, 12, 8, 6


@dataclass
class Folder:
    ranked: dict[str, Decimal] = field(default_factory=dict)  # department → its total under the 2022 rules
    refused: list[str] = field(default_factory=list)  # file names refused (broken, or a second spelling)
    others: list[str] = field(default_factory=list)  # file names listed as no submission
    files: int = 0  # submissions written


def make(folder: Path) -> Folder:
    from scorer.engine.score import score
    from scorer.errors import LineMap
    from scorer.inputs.read import read_inputs
    from scorer.render import RENDERERS, by_name
    from scorer.render.input_workbook import build_template
    from scorer.render.options import RenderOptions
    from scorer.rules.read import load_rules
    from scorer.sources.yaml import YamlDocument

    rules = load_rules("2022")
    rng = random.Random(2022)
    made = [
        department(number, rng) for number in range(1, YAMLS + WORKBOOKS + TABLES + PASTED + SHEET_ROWS + 1)
    ]
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "表格").mkdir(exist_ok=True)
    out = Folder()

    def scored(data: dict[str, Any]) -> Any:
        document = YamlDocument(
            "x.yaml", json.loads(json.dumps(_plain(data)), parse_float=Decimal), LineMap({(): 1})
        )
        return score(rules, read_inputs(document, rules))

    def table(data: dict[str, Any]) -> bytes:
        content = by_name("xlsx", RENDERERS).render(scored(data), RenderOptions("zh"))
        assert isinstance(content, bytes)
        return content

    for number, data in enumerate(made, start=1):
        out.ranked[data["department"]] = scored(data).total
        if number <= YAMLS:
            (folder / f"{number:03d}.yaml").write_text(_yaml(data), encoding="utf-8")
        elif number <= YAMLS + WORKBOOKS:
            given = json.loads(json.dumps(_plain(data)))
            (folder / f"{number:03d}-自评输入.xlsx").write_bytes(build_template(rules, "zh", given, []))
        elif number <= YAMLS + WORKBOOKS + TABLES:
            (folder / "表格" / f"{number:03d}-自评表.xlsx").write_bytes(table(data))
        elif number <= YAMLS + WORKBOOKS + TABLES + PASTED:
            (folder / "表格" / f"{number:03d}-粘贴.txt").write_text(_pasted(table(data)), encoding="utf-8")
    out.files = YAMLS + WORKBOOKS + TABLES + PASTED
    _sheet(folder / "批量.csv", made[-SHEET_ROWS:])
    out.files += 1
    # The same departments again, their names written another way: refused, naming the first copy.
    again = dict(made[4], department=made[4]["department"] + "\u3000")
    (folder / "重复-全角空格.yaml").write_text(_yaml(again), encoding="utf-8")
    twin = made[YAMLS + WORKBOOKS]
    spelled = dict(twin, department=twin["department"][:2] + "\u200b" + twin["department"][2:])
    (folder / "表格" / "重复-零宽字符.xlsx").write_bytes(table(spelled))
    out.refused += ["重复-全角空格.yaml", "重复-零宽字符.xlsx"]
    # Two broken files: a rate that is not a number, a workbook cut short in copying.
    broken = json.loads(json.dumps(_plain(made[0])))
    broken["department"] = "示例区损坏的部门"
    broken["indicators"]["budget_execution"]["execution_rate"] = "很高"
    (folder / "损坏.yaml").write_text(_yaml(broken), encoding="utf-8")
    (folder / "表格" / "损坏-自评表.xlsx").write_bytes(table(made[0])[:3000])
    out.refused += ["损坏.yaml", "损坏-自评表.xlsx"]
    out.files += 4
    # Not submissions: listed, never scored.
    (folder / "README.txt").write_text("各部门请于3月31日前报送自评表。\n", encoding="utf-8")
    (folder / "说明.pdf").write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    (folder / "表格" / "旧格式.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    out.others += ["README.txt", "说明.pdf", "旧格式.xls"]
    return out


def _pasted(workbook: bytes) -> str:
    """The table as text copied out of Excel: each row's cells separated by tabs."""
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(workbook), data_only=True).active
    assert sheet is not None
    lines = []
    for row in sheet.iter_rows(values_only=True):
        cells = ["" if value is None else str(value).replace("\n", " ") for value in row]
        lines.append("\t".join(cells).rstrip("\t"))
    return "\n".join(lines) + "\n"


def _sheet(path: Path, made: list[dict[str, Any]]) -> None:
    rows = [_row(data) for data in made]
    keys = list(dict.fromkeys(key for row in rows for key in row))
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, keys)
        writer.writeheader()
        writer.writerows(_plain(rows))


if __name__ == "__main__":
    written = make(Path(sys.argv[1]))
    print(f"{written.files} submissions ({len(written.ranked)} departments), refused on purpose: "
          f"{', '.join(written.refused)}; no submission: {', '.join(written.others)}")  # fmt: skip
