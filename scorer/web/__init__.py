"""The district's shared web workplace (`score serve`): departments hand in their self-evaluations in a browser,
the bureau reviews (复核), returns, adjusts, accepts, ranks and exports.

A Django project and app built on the library: reading, scoring, auditing, the documents and the summaries are
the functions the command line calls (`scorer/web/library.py` is where the web layer meets them). This package
holds the views, forms, templates and the workflow's state only. Django is imported only by `score serve` and
`score accounts`; the other commands never load it.
"""
