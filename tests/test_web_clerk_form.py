"""The clerk's form on the page, as a clerk uses it through Django's test client: two tabs never undo each other
unseen, typed work comes back after a save with mistakes, a blank 自评分 is never a silent full mark, a returned
version is not handed in again unchanged, and problems name the form's row and column."""

from __future__ import annotations

import html
import re

import pytest

from .webtools import account, client, text, upload, workbook

NAME = "示例区政务服务数据管理局"

pytestmark = pytest.mark.usefixtures("db")


@pytest.fixture
def clerk() -> object:
    return client(account("department", "clerk", NAME))


def form(page: object) -> dict[str, str]:
    """What the page's form sends as it stands: its inputs (the hidden change count too), text areas and the
    chosen options."""
    content = page.content.decode()  # type: ignore[attr-defined]
    fields = {
        html.unescape(n): html.unescape(v)
        for n, v in re.findall(r'<input type="(?:text|hidden)" name="([^"]+)" value="([^"]*)"', content)
    }
    fields |= {
        html.unescape(n): html.unescape(v)
        for n, v in re.findall(r'<textarea name="([^"]+)"[^>]*>([^<]*)</textarea>', content)
    }
    for name, options in re.findall(r'<select name="([^"]+)"[^>]*>(.*?)</select>', content, re.S):
        chosen = re.search(r'<option value="([^"]*)" selected>', options)
        fields[html.unescape(name)] = html.unescape(chosen[1]) if chosen else ""
    fields.pop("csrfmiddlewaretoken", None)
    return fields


def versions() -> list[object]:
    from scorer.web.models import Submission

    return list(Submission.objects.filter(filing__department__name=NAME).order_by("number"))


def current() -> object:
    from scorer.web.models import Filing

    return Filing.objects.get(department__name=NAME).current


def test_a_save_from_a_tab_opened_before_another_tabs_save_is_refused_and_keeps_what_was_typed(
    clerk: object,
) -> None:
    assert upload(clerk, workbook(NAME)).status_code == 302
    tab_b = form(clerk.get("/department/fill"))  # type: ignore[attr-defined]
    tab_a = form(clerk.get("/department/fill"))  # type: ignore[attr-defined]
    tab_a |= {"indicators!J3": "19", "indicators!K3": "一项产出指标未完成"}
    assert clerk.post("/department/fill", tab_a).status_code == 302  # type: ignore[attr-defined]
    saved_by_a = current()
    tab_b["profile!C16"] = "乙标签页写的完成情况"
    answer = clerk.post("/department/fill", tab_b)  # type: ignore[attr-defined]
    seen = text(answer)
    assert answer.status_code == 200 and "此表在您打开页面后已有变动" in seen
    assert "乙标签页写的完成情况" in seen  # typed, still on the page
    assert len(versions()) == 2 and current() == saved_by_a  # A's save stands
    again = clerk.post("/department/fill", form(answer))  # type: ignore[attr-defined]
    assert again.status_code == 302 and len(versions()) == 3  # seen, and sent again on purpose


def test_an_upload_from_a_page_shown_before_a_save_is_refused(clerk: object) -> None:
    assert upload(clerk, workbook(NAME)).status_code == 302
    page = clerk.get("/department/")  # type: ignore[attr-defined]
    stale = re.search(r'id="upload-form".*?name="changes" value="(\d+)"', page.content.decode(), re.S)
    assert stale, "the upload form carries the change count"
    assert clerk.post("/department/fill", form(clerk.get("/department/fill"))).status_code == 302  # type: ignore[attr-defined]
    answer = upload(clerk, workbook(NAME), changes=stale[1])
    assert answer.status_code == 200 and "此表在您打开页面后已有变动" in text(answer)
    assert len(versions()) == 2
    assert upload(clerk, workbook(NAME), changes="x").status_code == 200 and len(versions()) == 2


def test_a_save_with_mistakes_comes_back_as_typed_with_its_problems_after_leaving_the_page(
    clerk: object,
) -> None:
    fields = form(clerk.get("/department/fill"))  # type: ignore[attr-defined]
    fields |= {"indicators!I5": "很高", "indicators!K3": "少完成一项", "profile!C6": "三个"}
    saved = clerk.post("/department/fill", fields)  # type: ignore[attr-defined]
    assert saved.status_code == 200 and "未能读取" in text(clerk.get("/department/"))  # type: ignore[attr-defined]
    again = clerk.get("/department/fill")  # type: ignore[attr-defined]
    back = form(again)
    assert (back["indicators!I5"], back["indicators!K3"], back["profile!C6"]) == (
        "很高",
        "少完成一项",
        "三个",
    )
    seen = text(again)
    assert "部门预算资金支出率 · 年度平均预算执行率:" in seen and "很高" in seen
    assert "部门整体绩效目标产出指标完成情况 · 自评分:" in seen  # the reason typed without its score
    assert "改正后再点保存" in seen and seen.count("⚠") == 0
    assert '<td class="problem"><input type="text" name="indicators!I5"' in again.content.decode().replace(
        "\n          ", ""
    )


def test_problems_on_the_form_name_its_row_and_column_not_a_workbook_the_clerk_never_saw(
    clerk: object,
) -> None:
    fields = form(clerk.get("/department/fill"))  # type: ignore[attr-defined]
    fields |= {"indicators!J9": "很好", "targets!E3": "≥50次"}
    answer = clerk.post("/department/fill", fields)  # type: ignore[attr-defined]
    problems = re.search(r'id="problems">(.*?)</div>', answer.content.decode(), re.S)
    assert problems, "no problems listed"
    listed = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", problems[1])).split())
    assert "财务管理合规性 · 自评分:" in listed and "第 1 条绩效指标 · " in listed
    assert "指标!" not in listed and ".xlsx" not in listed and "工作簿" not in listed
    assert 'aria-label="财务管理合规性 · 自评分"' in answer.content.decode()
    assert "indicators!" not in re.sub(r'name="[^"]*"', "", answer.content.decode())  # names are not words
    uploaded = upload(clerk, workbook(NAME, execution_rate="很高"))
    assert "指标!I5" in text(uploaded) and "请在工作簿中" in text(uploaded)  # the workbook's words stay


def test_the_form_shows_weights_help_continued_rows_and_indicator_names(clerk: object) -> None:
    page = clerk.get("/department/fill")  # type: ignore[attr-defined]
    content, seen = page.content.decode(), text(page)
    assert "<th>分值</th>" in content and re.search(
        r'<td class="label">财务管理合规性</td><td class="label">\d', content
    )
    assert "采购意向公开合规性（续）" in seen
    assert '<option value="output_targets">部门整体绩效目标产出指标完成情况</option>' in content
    assert ">output_targets<" not in content
    assert "填写说明" in seen and "人工调整得分：" in seen and "扣分分值：" in seen
    english = client(account("department", "clerk-en", "示例区英文局"), "en").get("/department/fill")
    assert "How to fill in the form" in text(english) and "Override: for a row scored by formula" in text(
        english
    )
