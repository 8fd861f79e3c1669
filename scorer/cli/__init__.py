"""`score`: the command line. Each command (one module here) parses its options, calls one library function
and renders; this package is the only code that prints, exits or reads the command line.

Only what a command needs is imported, when it runs: `score run -f json` never loads rich's console, and JSON
Schema is loaded only where a schema is checked. Every text comes from the catalogues (scorer/i18n) in the
language of `--lang`, `SCORE_LANG` or the locale.

`main.py` is the process (`command`, `main`) and the whole app (`app`); `app.py` lists the command modules.
"""
