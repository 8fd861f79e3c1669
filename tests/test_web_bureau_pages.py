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
