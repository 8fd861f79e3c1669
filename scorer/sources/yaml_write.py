"""Text written into a YAML file a person will read and fill in (a template, an audit's inputs): quoted so that
it reads back as the same text, and comments that stay comments."""

from __future__ import annotations

import re

import yaml

_NOT_IN_YAML = "[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
_YAML_BREAK = "[\n\r\x85\u2028\u2029]"  # what YAML 1.1 reads as a line break


def quoted(text: str) -> str:
    """`text` as a double-quoted YAML scalar on one line that this reader reads back as exactly `text`: what a
    YAML file cannot carry as it is (DEL, C0 and C1 controls, line and paragraph separators, a byte-order
    mark) is written as an escape by PyYAML's emitter."""
    return _dumped(text, '"')


def scalar(text: str) -> str:
    """`text` as a YAML scalar on one line that this reader reads back as exactly `text`: plain where PyYAML's
    emitter finds that it reads back the same (`满意度指标`), quoted where it would not (`yes`, `1.5`, `# x`)."""
    written = _dumped(text, None)
    return quoted(text) if re.search(_YAML_BREAK, written) else written  # a break would fold across lines


def _dumped(text: str, style: str | None) -> str:
    written: str = yaml.dump(
        text, Dumper=yaml.SafeDumper, default_style=style, allow_unicode=True, width=float("inf")
    )
    return written.removesuffix("\n...\n").rstrip("\n")  # a plain scalar is followed by the document's end


def comment(text: str) -> str:
    """`text` for the rest of a `# ` comment line: on that one line whatever it holds (a line break would end
    the comment and make what follows the file's content), and nothing a YAML file cannot carry."""
    from scorer.escape import one_line

    return re.sub(_NOT_IN_YAML, lambda m: f"\\u{ord(m.group()):04x}", one_line(text))
