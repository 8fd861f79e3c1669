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
    assert "请在黄色单元格中填写" not in seen and "指标：每行的填写值、自评分和说明" in seen
    assert '<option value="output_targets">部门整体绩效目标产出指标完成情况</option>' in content
    assert ">output_targets<" not in content
    assert "填写说明" in seen and "人工调整得分：" in seen and "扣分分值：" in seen
    english = client(account("department", "clerk-en", "示例区英文局"), "en").get("/department/fill")
    assert "How to fill in the form" in text(english) and "Override: for a row scored by formula" in text(
        english
    )


def block(page: object, ident: str) -> str:
    """The text of one part of a page (a list of problems or notes)."""
    found = re.search(rf'id="{ident}">(.*?)</div>', page.content.decode(), re.S)  # type: ignore[attr-defined]
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", found[1])).split()) if found else ""


def _blank_fields(page: object) -> list[str]:
    """The 自评分 fields the form marks as left blank."""
    content = page.content.decode().replace("\n          ", "")  # type: ignore[attr-defined]
    return re.findall(r'<td class="problem"><input type="text" name="(indicators!J\d+)" value=""', content)


def _submit(clerk: object) -> object:
    page = clerk.get("/department/")  # type: ignore[attr-defined]
    found = re.search(r'id="submit-form".*?name="changes" value="(\d+)"', page.content.decode(), re.S)
    assert found, "no submit form"
    return clerk.post("/department/submit", {"changes": found[1]})  # type: ignore[attr-defined]


def test_a_row_left_without_a_score_on_the_form_is_listed_and_not_handed_in_until_scored(
    clerk: object,
) -> None:
    fields = form(clerk.get("/department/fill"))  # type: ignore[attr-defined]
    typed = {"indicators!I5": "98.88", "indicators!I20": "12", "indicators!I21": "12"}
    fields |= typed | {"indicators!I22": "100", "indicators!I23": "80"}  # the formula inputs only
    assert clerk.post("/department/fill", fields).status_code == 302  # type: ignore[attr-defined]
    page = clerk.get("/department/")  # type: ignore[attr-defined]
    seen = text(page)
    assert "行未填写自评分，暂按满分计" in seen
    listed = block(page, "blank-rows")
    assert (
        "新增预算项目事前绩效评估 · 自评分: 未填写自评分，暂按满分 3 计" in listed
        and "网页填报" not in listed
    )
    assert re.search(r'<tr id="row-ex_ante_evaluation"[^>]*class="flagged"', page.content.decode())
    refused = _submit(clerk)
    assert refused.status_code == 200 and "还有未填写自评分的行" in text(refused)
    assert 'data-status="open"' in refused.content.decode()
    again = clerk.get("/department/fill")  # type: ignore[attr-defined]
    blank = _blank_fields(again)
    assert "indicators!J6" in blank and "indicators!J3" in blank and "行未填写自评分" in text(again)
    fields = form(again)
    for name in blank:  # the clerk types each row's score: the weight, full marks given on purpose
        row = name.split("!J")[1]
        weight = re.search(
            rf'<td class="label">[^<]*</td><td class="label">([\d.]+)</td>(?:(?!</tr>).)*name="indicators!J{row}"',
            again.content.decode(),
            re.S,
        )
        assert weight, name
        fields[name] = weight[1]
    assert clerk.post("/department/fill", fields).status_code == 302  # type: ignore[attr-defined]
    assert "未填写自评分" not in text(clerk.get("/department/"))  # type: ignore[attr-defined]
    assert _submit(clerk).status_code == 302


def test_a_workbook_with_blank_scores_is_noted_at_each_cell_and_flagged_for_the_bureau(clerk: object) -> None:
    assert upload(clerk, workbook(NAME)).status_code == 302  # the example leaves 19 judged rows blank
    seen = block(clerk.get("/department/"), "blank-rows")  # type: ignore[attr-defined]
    assert "以下 19 行未填写自评分" in seen
    assert "[采购意向公开合规性（续）] 自评分" in seen and "procurement_intent_disclosure_2" not in seen
    assert (
        "自评输入.xlsx:指标!J6: [新增预算项目事前绩效评估] 自评分: 未填写自评分，按满分 3 计；如非满分"
        in seen
    )
    assert _submit(clerk).status_code == 302  # a workbook's blank rows are noted, not refused
    bureau = client(account("bureau", "chief"))
    from scorer.web.models import Filing

    filing = Filing.objects.get(department__name=NAME)
    review = bureau.get(f"/bureau/filings/{filing.pk}/")
    shown = text(review)
    assert "19 行未填写自评分，按满分计" in shown and "未填写自评分，按满分 3 计" in shown
    verdict = re.search(r'<dd id="audit">(.*?)</dd>', review.content.decode(), re.S)
    assert verdict and "19 行未填写自评分" in verdict[1]  # the audit's verdict says the blank rows too
    assert re.search(r'<tr id="row-ex_ante_evaluation"[^>]*class="flagged"', review.content.decode())


def test_a_returned_version_is_not_handed_in_again_unchanged(clerk: object) -> None:
    content = workbook(NAME)
    assert upload(clerk, content).status_code == 302 and _submit(clerk).status_code == 302
    bureau = client(account("bureau", "chief"))
    from scorer.web.models import Filing

    filing = Filing.objects.get(department__name=NAME)
    review = bureau.get(f"/bureau/filings/{filing.pk}/")
    step = re.search(r'name="changes" value="(\d+)"', review.content.decode())
    assert (
        step
        and bureau.post(
            f"/bureau/filings/{filing.pk}/return", {"changes": step[1], "comment": "请补充说明"}
        ).status_code
        == 302
    )
    refused = _submit(clerk)
    assert refused.status_code == 200 and "与退回的版本相同，请按退回意见修改后再提交" in text(refused)
    assert upload(clerk, content).status_code == 302  # the same file again: a new version, the same inputs
    assert "与退回的版本相同" in text(_submit(clerk))
    assert upload(clerk, workbook(NAME, contracts_filed_on_time=11)).status_code == 302
    assert _submit(clerk).status_code == 302


def _scored_workbook() -> bytes:
    """The example department's workbook with every row a person scores given its score (full marks typed)."""
    from scorer.inputs.typed import judged
    from scorer.web.library import input_workbook, rules_for

    from .webtools import example

    data = example()
    data["department"] = NAME
    for indicator in rules_for(2022).indicators:
        entry = data["indicators"].setdefault(indicator.id, {})
        if judged(indicator, entry) and not entry:
            entry["score"] = indicator.weight
    return input_workbook(2022, "zh", data)


def test_a_returned_workbook_saved_again_unchanged_from_the_form_is_not_handed_in(clerk: object) -> None:
    assert upload(clerk, _scored_workbook()).status_code == 302 and _submit(clerk).status_code == 302
    from scorer.web.models import Filing
    from scorer.web.workflow import return_filing

    filing = Filing.objects.get(department__name=NAME)
    return_filing(filing.pk, "chief", "请补充说明", filing.changes)
    page = clerk.get("/department/fill")  # type: ignore[attr-defined]
    assert not _blank_fields(page)
    assert clerk.post("/department/fill", form(page)).status_code == 302  # type: ignore[attr-defined]
    assert versions()[-1].kind == "page"  # type: ignore[attr-defined]
    assert "与退回的版本相同" in text(_submit(clerk))  # written as text on the form, the same inputs


def test_a_save_after_the_filing_was_handed_in_from_another_tab_keeps_what_was_typed(clerk: object) -> None:
    assert upload(clerk, workbook(NAME)).status_code == 302
    fields = form(clerk.get("/department/fill"))  # type: ignore[attr-defined]
    assert _submit(clerk).status_code == 302
    fields["profile!C16"] = "提交后才写的完成情况"
    answer = clerk.post("/department/fill", fields)  # type: ignore[attr-defined]
    assert answer.status_code == 200 and "提交后才写的完成情况" in text(answer)
    assert "已有变动" in text(answer) and len(versions()) == 1


def test_a_choice_saved_in_one_language_is_kept_when_the_form_comes_back_in_the_other(clerk: object) -> None:
    english = client(account("department", "clerk-en", NAME), "en")
    fields = form(english.get("/department/fill"))
    fields |= {
        "targets!B3": "output_targets",
        "targets!D3": "服务人次",
        "targets!G3": "not met",
        "indicators!I5": "x",
    }
    assert english.post("/department/fill", fields).status_code == 200  # kept, with its mistake
    back = form(clerk.get("/department/fill"))  # type: ignore[attr-defined]
    assert (back["targets!G3"], back["targets!D3"], back["indicators!I5"]) == ("not met", "服务人次", "x")
