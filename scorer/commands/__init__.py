"""One library function per command of `score`; cli.py parses options, calls one of these and renders."""
