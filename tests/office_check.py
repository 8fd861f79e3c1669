"""Open what `score` writes in a real office suite: LibreOffice converts each document to PDF, and the PDF's
text must hold what the document says. Run by .ci/run (it installs LibreOffice and a CJK font when missing):

    python tests/office_check.py OUTPUT_FOLDER
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "2022-zhengwu-fuwu.yaml"
EXPECTED = {
    "自评表.xlsx": ["部门整体支出绩效自评表", "合同备案时效性", "94.2", "加强管理，按规定进行备案公开。"],
    "自评输入.xlsx": ["部门预算资金支出率", "年度平均预算执行率"],
    "自评报告.docx": ["一、基本情况", "94.2", "评价等级为“优”"],
}
# What the published tables never print: a total or weight forced to two decimals (94.20, 20.00).
UNPUBLISHED = {"自评表.xlsx": ["94.20", "20.00"]}


def main() -> int:
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office is None:
        print("LibreOffice is not installed", file=sys.stderr)
        return 1
    score = [sys.executable, "-m", "scorer"]
    commands = [
        [*score, "run", str(EXAMPLE), "--lang", "zh", "-o", str(out / "自评表.xlsx")],
        [*score, "template", "--lang", "zh", "--from", str(EXAMPLE), "-o", str(out / "自评输入.xlsx")],
        [*score, "report", str(EXAMPLE), "--lang", "zh", "-o", str(out / "自评报告.docx")],
    ]
    for command in commands:
        subprocess.run(command, check=True, cwd=ROOT)
    failed = 0
    for name, texts in EXPECTED.items():
        subprocess.run(
            [office, "--headless", "--convert-to", "pdf", "--outdir", str(out), str(out / name)],
            check=True,
            capture_output=True,
            timeout=300,
        )
        pdf = out / (Path(name).stem + ".pdf")
        text = subprocess.run(
            ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
        flat = "".join(text.split())
        missing = [t for t in texts if "".join(t.split()) not in flat]
        missing += [f"not {t}" for t in UNPUBLISHED.get(name, []) if t in flat]
        print(f"{name}: converted, {'text intact' if not missing else f'missing {missing}'}")
        failed += bool(missing)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
