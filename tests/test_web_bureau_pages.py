"""The bureau's pages and downloads as the bureau reads them: indicators by their names (never their ids) on a
form shown again after an error, in the 复核清单 and in the log; the 复核清单 printable; the spring's outputs."""

from __future__ import annotations

import re

import pytest

from .webtools import account, changes, client, text, upload, workbook

NAME = "示例区政务服务数据管理局"
pytestmark = pytest.mark.usefixtures("db")


@pytest.fixture
def clerk() -> object:
    return client(account("department", "clerk", NAME))


@pytest.fixture
def bureau() -> object:
    return client(account("bureau", "chief"))


def _handed_in(clerk: object) -> int:
    assert upload(clerk, workbook(NAME)).status_code == 302
    page = clerk.get("/department/")  # type: ignore[attr-defined]
    assert clerk.post("/department/submit", {"changes": changes(page)}).status_code == 302  # type: ignore[attr-defined]
    from scorer.web.models import Filing

    return Filing.objects.get(department__name=NAME).pk


def _choices(page: object) -> list[str]:
    body = page.content.decode()  # type: ignore[attr-defined]
    form = body[body.index('name="indicator"') :]
    return re.findall(r"<option[^>]*>([^<]*)</option>", form[: form.index("</select>")])


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_adjust_form_keeps_the_indicators_names_after_an_error(clerk: object, lang: str) -> None:
    bureau = client(account("bureau", "chief"), lang=lang)
    url = f"/bureau/filings/{_handed_in(clerk)}/"
    page = bureau.get(url)
    named = _choices(page)
    assert named and not any(re.fullmatch(r"[a-z_]+", n) for n in named)
    for score, reason in (("5", ""), ("11", "超过分值")):
        wrong = bureau.post(
            url + "adjust",
            {"changes": changes(page), "indicator": "budget_execution", "score": score, "reason": reason},
        )
        assert wrong.status_code == 200 and _choices(wrong) == named, text(wrong)
        assert "budget_execution" not in text(wrong)


def _adjusted(clerk: object, bureau: object) -> int:
    filing = _handed_in(clerk)
    url = f"/bureau/filings/{filing}/"
    done = bureau.post(  # type: ignore[attr-defined]
        url + "adjust",
        {
            "changes": changes(bureau.get(url)),
            "indicator": "budget_execution",
            "score": "5",
            "reason": "口径<b>",
        },  # type: ignore[attr-defined]
    )
    assert done.status_code == 302
    return filing


def _title(lang: str) -> str:
    from scorer.web.library import rules_for

    row = next(i for i in rules_for(2022).indicators if i.id == "budget_execution")
    return row.name_en if lang == "en" else row.title


def _printed_points(sheet: object) -> float:
    """The body font's size as printed once the sheet is fitted to an A4 landscape page's width (0.4″ margins):
    Excel draws a column of width w characters in 7w + 5 pixels at 96 per inch (Calibri 11)."""
    from openpyxl.utils import get_column_letter

    columns = sheet.max_column  # type: ignore[attr-defined]
    pixels = sum(7 * sheet.column_dimensions[get_column_letter(c)].width + 5 for c in range(1, columns + 1))  # type: ignore[attr-defined]
    page = (11.69 - 0.8) * 96
    return 11 * min(1.0, page / pixels)


def test_the_review_list_names_indicators_heads_each_column_once_and_prints_on_a4(
    clerk: object, bureau: object
) -> None:
    import io

    import openpyxl

    _adjusted(clerk, bureau)
    book = openpyxl.load_workbook(io.BytesIO(bureau.get("/bureau/export/review.xlsx").content))  # type: ignore[attr-defined]
    listed = book.worksheets[0]
    heads = [c.value for c in next(listed.iter_rows())]
    assert len(heads) == len(set(heads)), heads
    cells = " ".join(str(c.value) for row in listed.iter_rows() for c in row if c.value is not None)
    assert "budget_execution" not in cells and f"{_title('zh')}：调为 5（口径<b>；chief）" in cells, cells
    for sheet in book.worksheets:
        setup = sheet.page_setup
        assert (setup.orientation, setup.paperSize, setup.fitToWidth, setup.fitToHeight) == (
            "landscape",
            9,
            1,
            0,
        )
        assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.print_title_rows == "$1:$1"
        assert _printed_points(sheet) >= 9, sheet.title


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_log_words_each_action_in_the_readers_language(clerk: object, lang: str) -> None:
    bureau = client(account("bureau", "chief"), lang=lang)
    _adjusted(clerk, bureau)
    seen = text(bureau.get("/bureau/log"))
    for raw in ("budget_execution", "on_behalf", "number:", "problems:", "sha256:", "True", "False", "{"):
        assert raw not in seen, (raw, seen)
    if lang == "zh":
        assert "第 1 版" in seen and f"指标：{_title('zh')} · 调为 5 分 · 理由：口径<b>" in seen
    else:
        assert "version 1" in seen and f"indicator: {_title('en')} · set to 5" in seen


def _last_year(clerk: object, tmp_path: object) -> object:
    """A history database holding last year's printed 自评表 of NAME (this year's, retitled 2021), imported by
    `score history import` as a bureau does."""
    import io
    from pathlib import Path

    import openpyxl

    from tests.test_web_commands import score

    page = clerk.get("/department/").content.decode()  # type: ignore[attr-defined]
    table = clerk.get(re.search(r'href="(/versions/\d+/document\.xlsx)"', page)[1])  # type: ignore[attr-defined, index]
    book = openpyxl.load_workbook(io.BytesIO(table.content))
    for row in book.active.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and "2022年度" in cell.value:
                cell.value = cell.value.replace("2022年度", "2021年度")
    folder = Path(str(tmp_path))
    book.save(folder / "去年.xlsx")
    db = folder / "历史.sqlite"
    done = score("history", "import", "--db", str(db), str(folder / "去年.xlsx"))
    assert done.returncode == 0, done.stderr
    return db


def test_the_ranking_takes_last_year_from_the_history_database_and_lists_who_never_submitted(
    clerk: object, bureau: object, tmp_path: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    account("department", "wenlv", "区文化旅游局")  # on the roster, never handing in
    _handed_in(clerk)
    before = bureau.get("/bureau/ranking").content.decode()  # type: ignore[attr-defined]
    assert re.search(r'<td class="n">\s*</td></tr>', before)  # 比上年 empty without last year
    monkeypatch.setenv("SCORE_HISTORY", str(_last_year(clerk, tmp_path)))
    page = bureau.get("/bureau/ranking")  # type: ignore[attr-defined]
    body = page.content.decode()
    assert re.search(r"<tr data-total=\"94\.2\">.*?<td class=\"n\">0(\.00)?</td></tr>", body), (
        body
    )  # 2021: 94.2
    assert re.search(r"未提交（名单中尚未提交的部门，\d+ 个）：[^<]*区文化旅游局", text(page))
    brief = bureau.get("/bureau/export/brief.docx")  # type: ignore[attr-defined]
    assert (
        brief.status_code == 200
        and brief.content[:2] == b"PK"
        and "attachment" in brief["Content-Disposition"]
    )
    import io

    import docx
    import openpyxl

    read = docx.Document(io.BytesIO(brief.content))
    words = "\n".join(
        [p.text for p in read.paragraphs] + [c.text for t in read.tables for r in t.rows for c in r.cells]
    )
    assert NAME in words and "区文化旅游局" in words
    summary = openpyxl.load_workbook(io.BytesIO(bureau.get("/bureau/export/summary.xlsx").content))  # type: ignore[attr-defined]
    cells = [
        str(c.value) for sheet in summary.worksheets for row in sheet.iter_rows() for c in row if c.value
    ]
    assert any("未提交" in c and "区文化旅游局" in c for c in cells) and any(c == "2021" for c in cells)
    assert clerk.get("/bureau/export/brief.docx").status_code in (302, 403, 404)  # type: ignore[attr-defined]


def test_a_history_database_that_cannot_be_read_is_said_on_the_ranking(
    clerk: object, bureau: object, tmp_path: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pathlib import Path

    fake = Path(str(tmp_path)) / "历史.sqlite"
    fake.write_bytes(b"SQLite format 3\x00" + b"\x00" * 100)
    monkeypatch.setenv("SCORE_HISTORY", str(fake))
    _handed_in(clerk)
    page = bureau.get("/bureau/ranking")  # type: ignore[attr-defined]
    assert page.status_code == 200 and "历史数据库无法读取" in text(page) and "历史.sqlite" in text(page)


def test_an_unsubmitted_department_has_no_review_link_and_its_workbook_says_upload(
    clerk: object, bureau: object
) -> None:
    import io

    import openpyxl

    assert upload(clerk, workbook(NAME)).status_code == 302  # uploaded, not submitted
    page = bureau.get("/bureau/")  # type: ignore[attr-defined]
    row = next(r for r in page.content.decode().split("<tr") if NAME in r)
    assert "未提交" in row and "/bureau/filings/" not in row
    blank = clerk.get("/department/workbook.xlsx")  # type: ignore[attr-defined]
    first = openpyxl.load_workbook(io.BytesIO(blank.content)).worksheets[0]
    steps = [str(c.value) for c in first["A"] if c.value]
    assert not any("score run" in s or "score report" in s for s in steps), (
        steps
    )  # no command on a clerk's PC
    assert any("得分以上传后网上平台计算的为准" in s for s in steps), steps
    assert "上传" in steps[-2] and "重新上传" in steps[-1]
    _submit = clerk.post("/department/submit", {"changes": changes(clerk.get("/department/"))})  # type: ignore[attr-defined]
    assert _submit.status_code == 302
    row = next(r for r in bureau.get("/bureau/").content.decode().split("<tr") if NAME in r)  # type: ignore[attr-defined]
    assert "/bureau/filings/" in row
