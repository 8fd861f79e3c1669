"""The department's and the bureau's journeys in the web workplace, through Django's test client: what each page
says, what each step changes, and what each refusal tells the user."""

from __future__ import annotations

import io
import re
import zipfile
from decimal import Decimal

import openpyxl
import pytest

from scorer.i18n import t

from .webtools import account, changes, client, text, upload, workbook

NAME = "示例区政务服务数据管理局"

pytestmark = pytest.mark.usefixtures("db")


@pytest.fixture
def clerk() -> object:
    return client(account("department", "clerk", NAME))


@pytest.fixture
def bureau() -> object:
    return client(account("bureau", "chief"))


def _handed_in(clerk: object, content: bytes | None = None) -> int:
    assert upload(clerk, content or workbook(NAME)).status_code == 302
    page = clerk.get("/department/")  # type: ignore[attr-defined]
    assert clerk.post("/department/submit", {"changes": changes(page)}).status_code == 302  # type: ignore[attr-defined]
    from scorer.web.models import Filing

    return Filing.objects.get(department__name=NAME).pk


def test_a_department_downloads_its_workbook_uploads_it_sees_the_table_and_submits(clerk: object) -> None:
    blank = clerk.get("/department/workbook.xlsx")  # type: ignore[attr-defined]
    assert blank.status_code == 200 and "attachment" in blank["Content-Disposition"]
    sheets = openpyxl.load_workbook(io.BytesIO(blank.content)).sheetnames
    assert "指标" in sheets  # the input workbook `score template` writes, in Chinese first

    assert upload(clerk, workbook(NAME)).status_code == 302
    page = clerk.get("/department/")  # type: ignore[attr-defined]
    seen = text(page)
    assert re.search(r'id="total">94\.2<', page.content.decode())
    assert "评价等级：优" in seen and "未提交" in seen
    assert "扣完为止" in seen or "提示与说明" in seen  # the warnings under the table
    xlsx = clerk.get(re.search(r'href="(/versions/\d+/document\.xlsx)"', page.content.decode())[1])  # type: ignore[attr-defined]
    assert openpyxl.load_workbook(io.BytesIO(xlsx.content)).active.title  # the official 自评表
    docx = clerk.get(re.search(r'href="(/versions/\d+/document\.docx)"', page.content.decode())[1])  # type: ignore[attr-defined]
    assert docx.content[:2] == b"PK" and "wordprocessingml" in docx["Content-Type"]

    assert clerk.post("/department/submit", {"changes": changes(page)}).status_code == 302  # type: ignore[attr-defined]
    assert 'data-status="submitted"' in clerk.get("/department/").content.decode()  # type: ignore[attr-defined]
    again = upload(clerk, workbook(NAME))
    assert again.status_code == 200 and "复核期间不能修改" in text(again)


def test_a_broken_workbook_is_answered_at_its_sheet_and_cell_and_kept_but_not_submittable(
    clerk: object,
) -> None:
    answer = upload(clerk, workbook(NAME, execution_rate="很高"))
    assert answer.status_code == 200
    seen = text(answer)
    assert re.search(r"自评输入\.xlsx:指标!I\d+: \[[^\]]+\]", seen), seen  # file, sheet!cell, indicator
    assert "很高" in seen and "Traceback" not in seen
    from scorer.web.models import Submission

    kept = Submission.objects.get(filing__department__name=NAME)
    assert not kept.readable and kept.number == 1 and bytes(kept.content)[:2] == b"PK"
    assert "submit-form" not in clerk.get("/department/").content.decode()  # type: ignore[attr-defined]
    shown = clerk.get(f"/versions/{kept.pk}/")  # type: ignore[attr-defined]
    assert shown.status_code == 200 and "很高" in text(shown)


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("notes.txt", "这不是工作簿".encode(), "无法作为 Excel 工作簿（.xlsx）读取"),
        ("fake.xlsx", b"PK\x03\x04" + b"\0" * 200, "无法作为 Excel 工作簿（.xlsx）读取"),
        ("empty.xlsx", b"", "无法作为 Excel 工作簿（.xlsx）读取"),
    ],
)
def test_a_file_that_is_no_workbook_is_said_so_on_the_page(
    clerk: object, name: str, content: bytes, says: str
) -> None:
    answer = upload(clerk, content, name)
    assert answer.status_code == 200 and says in text(answer) and name in text(answer)


def test_an_oversized_upload_is_refused_on_the_page_and_not_kept(clerk: object) -> None:
    from scorer.web.config import UPLOAD_LIMIT
    from scorer.web.models import Event, Submission

    answer = upload(clerk, b"PK\x03\x04" + b"x" * UPLOAD_LIMIT, "huge.xlsx")
    assert answer.status_code == 200 and "超过上限 10 MB" in text(answer)
    assert not Submission.objects.filter(filing__department__name=NAME).exists()
    assert Event.objects.filter(action="upload_too_large").exists()


def test_another_departments_workbook_is_refused_naming_both(clerk: object) -> None:
    answer = upload(clerk, workbook("示例区财政局"))
    assert answer.status_code == 200
    seen = text(answer)
    assert "“示例区财政局”" in seen and f"“{NAME}”" in seen and "基本情况!" in seen


def test_hostile_text_in_a_workbook_is_shown_as_text(clerk: object) -> None:
    from scorer.web.library import input_workbook

    from .webtools import example

    data = example()
    data["department"] = NAME
    reason = '<script>alert(1)</script>\x1b[31m=HYPERLINK("http://x")\u202e'
    data["indicators"]["pm_system_execution"] = {"deductions": [{"points": 1, "reason": reason}]}
    assert upload(clerk, input_workbook(2022, "zh", data)).status_code == 302
    page = clerk.get("/department/").content.decode()  # type: ignore[attr-defined]
    assert "<script>alert" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "\x1b" not in page and "\u202e" not in page and "\\x1b[31m" in page and "\\u202e" in page


def test_english_when_asked(clerk: object) -> None:
    clerk.get("/department/?lang=en")  # type: ignore[attr-defined]
    answer = upload(clerk, workbook(NAME, execution_rate="很高"))
    seen = text(answer)
    assert "The file could not be read" in seen and "Indicators!" not in seen  # the sheet keeps its own name
    assert re.search(r"指标!I\d+", seen)


def test_resubmitting_after_a_return_keeps_every_version(clerk: object, bureau: object) -> None:
    first = workbook(NAME)
    filing = _handed_in(clerk, first)
    review = bureau.get(f"/bureau/filings/{filing}/")  # type: ignore[attr-defined]
    empty = bureau.post(f"/bureau/filings/{filing}/return", {"changes": changes(review), "comment": "  "})  # type: ignore[attr-defined]
    assert empty.status_code == 200 and "请填写退回意见" in text(empty)
    said = "请补充合同备案材料<b>"
    assert (
        bureau.post(
            f"/bureau/filings/{filing}/return", {"changes": changes(review), "comment": said}
        ).status_code
        == 302
    )  # type: ignore[attr-defined]
    page = clerk.get("/department/")  # type: ignore[attr-defined]
    assert "退回" in text(page) and "请补充合同备案材料&lt;b&gt;" in page.content.decode()
    second = workbook(NAME, contracts_filed_on_time=11)
    assert upload(clerk, second).status_code == 302
    from scorer.web.models import Submission

    versions = list(Submission.objects.filter(filing_id=filing).order_by("number"))
    assert [v.number for v in versions] == [1, 2]
    assert bytes(versions[0].content) == first and bytes(versions[1].content) == second
    original = clerk.get(f"/versions/{versions[0].pk}/original")  # type: ignore[attr-defined]
    assert original.content == first


def test_the_bureau_adjusts_with_a_reason_apart_from_the_departments_own_scores(
    clerk: object, bureau: object
) -> None:
    filing = _handed_in(clerk)
    url = f"/bureau/filings/{filing}/"
    page = bureau.get(url)  # type: ignore[attr-defined]
    assert "自评表各项一致" in text(page) and 'id="own-total">94.2' in page.content.decode()
    for score, reason, says in (
        ("11", "超过分值", "必须在 0 到分值"),
        ("5.123", "位数", "5.123"),
        ("5", "", "请填写调整理由"),
        ("abc", "x", "abc"),
    ):
        wrong = bureau.post(
            url + "adjust",
            {"changes": changes(page), "indicator": "budget_execution", "score": score, "reason": reason},
        )  # type: ignore[attr-defined]
        assert wrong.status_code == 200 and says in text(wrong), text(wrong)
    done = bureau.post(
        url + "adjust",
        {"changes": changes(page), "indicator": "budget_execution", "score": "5", "reason": "执行率口径有误"},
    )  # type: ignore[attr-defined]
    assert done.status_code == 302
    after = bureau.get(url).content.decode()  # type: ignore[attr-defined]
    assert 'id="own-total">94.2' in after and re.search(r'id="checked-total">89\.\d+', after)
    assert "部门自评：" in after and "执行率口径有误" in after
    stale = bureau.post(url + "accept", {"changes": changes(page)})  # type: ignore[attr-defined]
    assert stale.status_code == 200 and "已有变动" in text(stale)
    accepted = bureau.post(url + "accept", {"changes": changes(bureau.get(url))})  # type: ignore[attr-defined]
    assert accepted.status_code == 302
    from scorer.web.models import Filing, Submission

    filing_now = Filing.objects.get(pk=filing)
    assert filing_now.status == "accepted" and filing_now.decided_by == "chief" and filing_now.decided_at
    assert Submission.objects.get(pk=filing_now.submitted_id).total == "94.2"  # the department's own stays
    assert "已通过" in text(clerk.get("/department/"))  # type: ignore[attr-defined]


def test_the_ranking_and_exports_use_the_reviewed_results(clerk: object, bureau: object) -> None:
    filing = _handed_in(clerk)
    page = bureau.get(f"/bureau/filings/{filing}/")  # type: ignore[attr-defined]
    bureau.post(
        f"/bureau/filings/{filing}/adjust",
        {"changes": changes(page), "indicator": "budget_execution", "score": "5", "reason": "=1+1"},
    )  # type: ignore[attr-defined]
    ranking = bureau.get("/bureau/ranking").content.decode()  # type: ignore[attr-defined]
    assert (
        re.search(r'data-total="89\.\d+"', ranking) and "<svg" in ranking and "chart-distribution" in ranking
    )
    summary = openpyxl.load_workbook(io.BytesIO(bureau.get("/bureau/export/summary.xlsx").content))  # type: ignore[attr-defined]
    cells = [c.value for sheet in summary.worksheets for row in sheet.iter_rows() for c in row]
    assert NAME in cells and any(isinstance(v, int | float | Decimal) and 89 < v < 90 for v in cells)
    given = [
        [c.value for c in row] for row in summary["调整"].iter_rows(min_row=3)
    ]  # the bureau's, kept apart
    bureau_made = [
        row for row in given if row[2] == "复核调整"
    ]  # the department's own override stays listed apart
    assert len(bureau_made) == 1 and bureau_made[0][6] == "=1+1" and bureau_made[0][5] == 5
    assert [row[2] for row in given if row[2] != "复核调整"] == ["部门自行调整"]
    book = openpyxl.load_workbook(io.BytesIO(bureau.get("/bureau/export/review.xlsx").content))  # type: ignore[attr-defined]
    listed = book.active
    heads = [
        c.value for c in next(listed.iter_rows())
    ]  # the 复核清单 `score audit -o .xlsx` writes, and more
    words = [
        [t(k, lang) for k in ("batch.department", "batch.stated", "audit.list.rescored")]
        for lang in ("zh", "en")
    ]
    assert heads[1:4] in words and len(book.worksheets) == 2, heads  # and a sheet of every finding
    adjusted = [
        c for row in listed.iter_rows() for c in row if isinstance(c.value, str) and "=1+1" in c.value
    ]
    assert adjusted and all(c.data_type == "s" for c in adjusted)
    archive = zipfile.ZipFile(io.BytesIO(bureau.get("/bureau/export/tables.zip").content))  # type: ignore[attr-defined]
    assert [n for n in archive.namelist() if NAME in n and n.endswith(".xlsx") and "/" not in n]


def test_the_bureau_uploads_a_table_on_a_departments_behalf(bureau: object) -> None:
    from scorer.web.library import document
    from scorer.web.models import Department, Filing

    from .webtools import example

    dept = Department.objects.create(name=NAME, key=NAME)
    from scorer.engine.score import score
    from scorer.errors import LineMap
    from scorer.inputs.read import read_inputs
    from scorer.sources.yaml import YamlDocument
    from scorer.web.library import rules_for

    data = example()
    data["department"] = NAME
    result = score(rules_for(2022), read_inputs(YamlDocument("x", data, LineMap({})), rules_for(2022)))
    table = document(result, "xlsx", "zh")
    answer = upload(
        bureau, table, "邮件收到的自评表.xlsx", url="/bureau/upload", department=dept.pk, kind="table"
    )
    assert answer.status_code == 302, text(answer)
    filing = Filing.objects.get(department=dept, year=2022)
    assert filing.status == "submitted" and filing.submitted is not None and filing.submitted.on_behalf
    assert "94.2" in text(bureau.get(f"/bureau/filings/{filing.pk}/"))  # type: ignore[attr-defined]


def _form(page: object) -> dict[str, str]:
    """The fields a page's form sends as it stands: inputs, text areas and the chosen options."""
    import html

    content = page.content.decode()  # type: ignore[attr-defined]
    fields = {
        html.unescape(n): html.unescape(v)
        for n, v in re.findall(r'<input type="text" name="([^"]+)" value="([^"]*)"', content)
    }
    fields |= {
        html.unescape(n): html.unescape(v)
        for n, v in re.findall(r'<textarea name="([^"]+)"[^>]*>([^<]*)</textarea>', content)
    }
    for name, options in re.findall(r'<select name="([^"]+)"[^>]*>(.*?)</select>', content, re.S):
        chosen = re.search(r'<option value="([^"]*)" selected>', options)
        fields[html.unescape(name)] = html.unescape(chosen[1]) if chosen else ""
    return fields


def test_a_department_fills_the_rows_in_the_page_and_gets_the_same_result(clerk: object) -> None:
    assert upload(clerk, workbook(NAME)).status_code == 302
    page = clerk.get("/department/fill")  # type: ignore[attr-defined]
    fields = _form(page)
    assert len(fields) > 100 and fields["profile!C3"] == NAME  # the 基本情况 sheet's department cell
    rate = next(n for n, v in fields.items() if n.startswith("indicators!I") and v == "98.88")
    sent = clerk.post("/department/fill", fields)  # type: ignore[attr-defined]
    assert sent.status_code == 302
    from scorer.web.models import Submission

    second = Submission.objects.filter(filing__department__name=NAME).order_by("-number").first()
    assert second is not None and second.kind == "page" and second.number == 2 and second.total == "94.2"
    fields[rate] = "=1+1"
    wrong = clerk.post("/department/fill", fields)  # type: ignore[attr-defined]
    seen = text(wrong)
    assert wrong.status_code == 200 and "部门预算资金支出率 · 年度平均预算执行率:" in seen and "=1+1" in seen
    assert (
        f'<td class="problem"><input type="text" name="{rate}" value="=1+1" aria-label="部门预算资金支出率 · 年度平均预算执行率"'
        in wrong.content.decode().replace("\n          ", "")
    )
    assert Submission.objects.filter(filing__department__name=NAME).count() == 3  # kept, not current


def test_the_ranking_compares_with_the_departments_earlier_year(bureau: object) -> None:
    """Last year's filing handed in (as a later release's rules would score it): the change and the rows moved."""
    from scorer.web import stored
    from scorer.web.models import Department, Filing, Submission

    from .webtools import example

    department = Department.objects.create(name=NAME, key=NAME)
    for year, rate in ((2021, "90"), (2022, "98.88")):
        data = example()
        data["department"] = NAME
        data["indicators"]["budget_execution"]["execution_rate"] = Decimal(rate)
        filing = Filing.objects.create(department=department, year=year, status="accepted")
        version = Submission.objects.create(
            filing=filing, number=1, kind="workbook", filename="x.xlsx", content=b"x", size=1, sha256="0" * 64,
            uploaded_by="clerk", readable=True, inputs=stored.dumps(data), department_name=NAME, rules_year=2022,
        )  # fmt: skip
        filing.submitted = filing.current = version
        filing.save()
    page = bureau.get("/bureau/ranking?year=2022")  # type: ignore[attr-defined]
    moved = re.search(r'<table class="list" id="moved">.*?</table>', page.content.decode(), re.S)
    assert moved, "no comparison with last year"
    compared = " ".join(re.sub(r"<[^>]+>", " ", moved[0]).split())
    assert "示例区政务服务数据管理局 2021: 93.32 优 94.2 +0.88" in compared
