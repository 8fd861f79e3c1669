"""What a bureau reads about a batch: the summary of many departments in each format, and the history."""

from __future__ import annotations

from scorer.render import Renderer

# `score batch`: the summary of many departments (scorer/batch/summary.py), `render(summary, options)`. JSON Lines
# is written as the results stream past (scorer/batch/run.py), one Contract-3 result a line.
SUMMARIES = (
    Renderer("table", (".txt",), "scorer.batch.report.table"),
    Renderer("csv", (".csv",), "scorer.batch.report.csv"),
    Renderer("xlsx", (".xlsx",), "scorer.batch.report.xlsx", binary=True),
    Renderer("html", (".html", ".htm"), "scorer.batch.report.html"),
    Renderer("jsonl", (".jsonl", ".ndjson"), "scorer.batch.run"),
    Renderer("brief", (".docx",), "scorer.batch.report.brief", binary=True),  # the leader's brief
    Renderer(
        "pdf", (".pdf",), "scorer.batch.report.brief_pdf", binary=True
    ),  # the brief, through LibreOffice
)
