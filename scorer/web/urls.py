"""The workplace's addresses. Ids in addresses are looked up through `scorer/web/access.py`."""

from django.urls import path

from scorer.web import views_auth, views_bureau, views_department, views_exports, views_files, views_fill

urlpatterns = [
    path("", views_auth.home, name="home"),
    path("login/", views_auth.Login.as_view(), name="login"),
    path("logout/", views_auth.Logout.as_view(), name="logout"),
    path("password/", views_auth.PasswordChange.as_view(), name="password"),
    path("static/score.css", views_auth.style, name="style"),
    path("department/", views_department.home, name="department"),
    path("department/workbook.xlsx", views_department.workbook, name="input_workbook"),
    path("department/upload", views_department.upload, name="upload"),
    path("department/submit", views_department.hand_in, name="submit"),
    path("department/fill", views_fill.fill, name="fill"),
    path("versions/<int:version_id>/", views_files.version, name="version"),
    path("versions/<int:version_id>/original", views_files.original, name="original"),
    path("versions/<int:version_id>/document.<str:name>", views_files.document, name="document"),
    path("bureau/", views_bureau.overview, name="bureau"),
    path("bureau/filings/<int:filing_id>/", views_bureau.filing_page, name="filing"),
    *(
        path(f"bureau/filings/<int:filing_id>/{action}", views_bureau.step, {"action": action}, name=action)
        for action in ("return", "adjust", "accept")
    ),
    path("bureau/upload", views_bureau.on_behalf, name="on_behalf"),
    path("bureau/log", views_bureau.log_page, name="log"),
    path("bureau/ranking", views_exports.ranking, name="ranking"),
    path("bureau/export/summary.xlsx", views_exports.summary_workbook, name="export_summary"),
    path("bureau/export/brief.docx", views_exports.brief_docx, name="export_brief"),
    path("bureau/export/review.xlsx", views_exports.review_workbook, name="export_review"),
    path("bureau/export/tables.zip", views_exports.tables_zip, name="export_tables"),
]

handler400 = views_auth.bad_request
handler403 = views_auth.forbidden
handler404 = views_auth.not_found
handler500 = views_auth.server_error
