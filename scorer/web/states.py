"""The workflow's names, without Django: roles, a filing's states, what a version was handed in as."""

BUREAU, DEPARTMENT = "bureau", "department"

# A filing's states: 未提交, 已提交, 退回, 已通过 (their words: the catalogues' web.status.<state>).
OPEN, SUBMITTED, RETURNED, ACCEPTED = "open", "submitted", "returned", "accepted"
STATE_NAMES = (OPEN, SUBMITTED, RETURNED, ACCEPTED)

# What a version was handed in as: the input workbook, a 自评表 (workbook or pasted text), the form on the page.
WORKBOOK, TABLE, PAGE = "workbook", "table", "page"
KIND_NAMES = (WORKBOOK, TABLE, PAGE)
