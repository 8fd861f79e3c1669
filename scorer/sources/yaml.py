"""The one YAML reader: safe, exact and line-aware.

Plain `yaml.safe_load` is wrong for this project in four ways: it silently keeps the last of two duplicate
keys, it turns `98.88` into a binary float, it turns dates into `date` objects, and it forgets line numbers.
Here the YAML is composed into nodes and built by hand: duplicate keys and unknown tags are errors, decimals
stay `Decimal`, timestamps stay strings, and every key and list item remembers its line in a `LineMap`.
"""

from __future__ import annotations

import os
import re
import stat
from codecs import BOM_UTF8
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from msgspec import Struct, field

from scorer.errors import LineMap, Location, PathKey, Problem, UserError, field_name
from scorer.escape import one_line
from scorer.facts import Message, fact, joined
from scorer.numbers import MAX_MAGNITUDE, out_of_bounds
from scorer.sources.limits import MAX_DEPTH, MAX_FILE_BYTES, MAX_NODES
from scorer.sources.yaml_hints import char_at, full_width_colon, nesting, syntax_hint

try:  # the C composer is several times faster where libyaml is present
    _Composer: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Composer = yaml.SafeLoader

_TAG = "tag:yaml.org,2002:"


# The words PyYAML's resolver reads as booleans (YAML 1.1), and what each says.
_BOOLEANS = {
    spelt: word in ("yes", "true", "on")
    for word in ("yes", "no", "true", "false", "on", "off")
    for spelt in (word, word.capitalize(), word.upper())
}


# A number as a person writes it: decimal digits (no leading zero), a point, an exponent; or YAML's .inf and .nan,
# which the bounds refuse with their own message.
_PLAIN_NUMBER = r"[-+]?(?:(?:0|[1-9][0-9]*)(?:\.[0-9]*)?|\.[0-9]+)(?:e[-+]?[0-9]+)?|[-+]?\.inf|\.nan"
_NUMBER_AS_TEXT = r"[-+]?(?:0o[0-7_]+|[0-9][0-9_]*(?::[0-9_]+)+(?:\.[0-9_]*)?)"
_SMALL = int(MAX_MAGNITUDE)  # a whole number of smaller magnitude is never out of bounds
_SCALAR_TAGS = {_TAG + name for name in ("str", "int", "float", "bool", "null", "timestamp")}


class YamlDocument(Struct):
    path: str
    data: Any
    lines: LineMap
    # A clerk's workbook read as an inputs file: its messages speak of rows and columns, not of YAML keys.
    kind: str = "yaml"  # or "workbook", or "sheet" (a row of a batch sheet: scorer/inputs/columns.py)
    labels: dict[str, tuple[str | None, str | Message | None]] = field(
        default_factory=dict
    )  # cell → row, column
    early: tuple[Problem, ...] = ()  # what reading the workbook's layout found wrong

    def at(self, path: PathKey, indicator: str | None = None, field: str | None = None) -> Location:
        return Location(self.path, self.lines.line(path), indicator, field)


def read_flags() -> int:
    """How every file `score` reads is opened, on every system: O_NONBLOCK so that opening a FIFO does not wait
    for a writer (it is refused as not a regular file); O_BINARY on Windows, where a descriptor is otherwise
    opened in text mode and would turn CRLF into LF and stop at a byte 0x1A, changing a workbook's bytes. Where
    a system lacks a flag it lacks what the flag guards against (Windows has no FIFOs in its folders)."""
    return (
        os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    )


def open_regular(path: Path, display: str) -> int:
    """A descriptor of `path` opened for reading, refused at once unless it is a regular file: a folder, a device
    (`/dev/zero` behind a link named `x.csv`) or a pipe is never read. The caller closes it."""
    try:
        handle = os.open(path, read_flags())
    except FileNotFoundError:
        raise UserError.at(Location(display), fact("yaml.not_found")) from None
    except IsADirectoryError:
        raise UserError.at(Location(display), fact("yaml.is_folder")) from None
    except PermissionError:
        raise UserError.at(Location(display), fact("yaml.permission_denied")) from None
    except OSError as exc:
        raise UserError.at(Location(display), fact("yaml.cannot_read", reason=str(exc.strerror))) from None
    try:
        mode = os.fstat(handle).st_mode
        if stat.S_ISDIR(mode):
            raise UserError.at(Location(display), fact("yaml.is_folder"))
        if not stat.S_ISREG(mode):
            raise UserError.at(Location(display), fact("yaml.not_regular_file"))
    except BaseException:
        os.close(handle)
        raise
    return handle


def read_bytes(path: Path, display: str, limit: int = MAX_FILE_BYTES) -> bytes:
    """A regular file's bytes (`open_regular`), reading at most `limit` + 1 bytes so that a file growing while
    read cannot eat memory."""
    handle = open_regular(path, display)
    try:
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(handle, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as exc:
        raise UserError.at(Location(display), fact("yaml.cannot_read", reason=str(exc.strerror))) from None
    finally:
        os.close(handle)
    if size > limit:
        raise UserError.at(Location(display), fact("yaml.too_large", limit=f"{limit:,}"))
    return b"".join(chunks)


def read_text(path: Path, display: str) -> str:
    """Read a UTF-8 file (a BOM is allowed) with clear errors for a missing, huge or non-UTF-8 file."""
    return utf8_text(read_bytes(path, display), display)


def utf8_text(raw: bytes, display: str) -> str:
    """A file's bytes as UTF-8 text (a BOM is allowed), or a clear error at the line where they stop being it."""
    bom = len(BOM_UTF8) if raw.startswith(BOM_UTF8) else 0  # as "utf-8-sig" does, without loading its codec
    try:
        return raw[bom:].decode("utf-8")
    except UnicodeDecodeError as exc:
        start = bom + exc.start  # counted in the file's bytes, its BOM included
        line = raw[:start].count(b"\n") + 1
        raise UserError.at(
            Location(display, line),
            fact("yaml.not_utf8", byte=start),
        ) from None


def display_path(path: Path) -> str:
    """A path as the user would type it: relative to the working folder where it lies below it, its links not
    followed (a link is named by its own name, and a loop of links is no error), and shown on one line with its
    control characters escaped, as any text from elsewhere (a file named `\\x1b[31m…` or with a line break
    cannot forge a message)."""
    try:
        shown = str(Path(os.path.abspath(path)).relative_to(Path.cwd()))
    except (ValueError, OSError):
        shown = str(path)
    return one_line(shown)


def load_yaml_file(path: Path, display: str | None = None, indicator: str | None = None) -> YamlDocument:
    display = display or display_path(path)
    return parse_yaml(read_text(path, display), display, indicator)


def parse_yaml(text: str, display: str, indicator: str | None = None) -> YamlDocument:
    """The document of `text`. `indicator`: the indicator the whole document describes (a rule file's), named
    in the messages about its values."""
    deepest, where = nesting(text)
    if deepest > MAX_DEPTH:
        raise UserError.at(Location(display, where), fact("yaml.too_deep", depth=MAX_DEPTH))
    try:
        node = yaml.compose(text, Loader=_Composer)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        message: Message = fact("yaml.syntax", detail=str(exc.problem or exc.context))
        if mark is not None and char_at(text, mark.line, mark.column) == "\t":
            message = joined(message, fact("yaml.tab"))
        colon = full_width_colon(text, mark.line if mark else 0)
        if colon is not None:  # "contracts_total：15": the parser stumbles later; the slip is on this line
            line, message = colon, fact("yaml.full_width_colon")
        elif mark is not None:
            message = joined(message, syntax_hint(text, mark.line, str(exc.problem or exc.context)))
        raise UserError.at(Location(display, line), message) from None
    except yaml.YAMLError as exc:
        raise UserError.at(Location(display), fact("yaml.syntax", detail=str(exc))) from None
    except RecursionError:
        raise UserError.at(Location(display), fact("yaml.too_deep", depth=MAX_DEPTH)) from None
    lines = LineMap({(): 1})
    if node is None:
        return YamlDocument(display, None, lines)
    lines.lines[()] = node.start_mark.line + 1
    builder = _Builder(display, lines, indicator)
    data = builder.build(node, ())
    return YamlDocument(display, data, lines)


class _Builder:
    def __init__(self, display: str, lines: LineMap, indicator: str | None = None):
        self.display = display
        self.lines = lines
        self.indicator = indicator
        self.count = 0
        self.path: PathKey = ()  # of the value being built, to name it in a message

    def fail(self, node: yaml.Node, message: Message) -> UserError:
        """A problem with the document's shape, at the node's line."""
        return UserError.at(Location(self.display, node.start_mark.line + 1), message)

    def fail_value(self, node: yaml.Node, message: Message, path: PathKey | None = None) -> UserError:
        """A problem with one value, at its line, naming its indicator and field as the inputs files key them
        (indicators: <id>: <field>), or its path elsewhere."""
        path, indicator = self.path if path is None else path, self.indicator
        if indicator is None and len(path) >= 2 and path[0] == "indicators":
            indicator, path = str(path[1]), path[2:]
        return UserError.at(
            Location(self.display, node.start_mark.line + 1, indicator, field_name(path)), message
        )

    def build(self, node: yaml.Node, path: PathKey) -> Any:
        self.count += 1
        if len(path) > MAX_DEPTH:
            raise self.fail(node, fact("yaml.too_deep", depth=MAX_DEPTH))
        if self.count > MAX_NODES:
            raise self.fail(node, fact("yaml.too_many_values", limit=f"{MAX_NODES:,}"))
        if isinstance(node, yaml.MappingNode):
            return self.mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _TAG + "seq":
                raise self.fail(node, fact("yaml.unsupported_tag", tag=_short(node.tag)))
            items = []
            for index, item in enumerate(node.value):
                self.lines.lines[path + (index,)] = item.start_mark.line + 1
                items.append(self.build(item, path + (index,)))
            return items
        self.path = path
        return self.scalar(node)

    def mapping(self, node: yaml.MappingNode, path: PathKey) -> dict[Any, Any]:
        if node.tag != _TAG + "map":
            raise self.fail(node, fact("yaml.unsupported_tag", tag=_short(node.tag)))
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise self.fail(key_node, fact("yaml.key_not_plain"))
            if key_node.tag == _TAG + "merge":
                raise self.fail(key_node, fact("yaml.merge_key"))
            self.path = path
            key = self.scalar(key_node)
            key = key if isinstance(key, str) else str(key)
            if key in result:
                first = self.lines.lines.get(path + (key,))
                raise self.fail_value(
                    key_node, path=path + (key,), message=fact("yaml.duplicate_key", key=key, line=str(first))
                )
            self.lines.lines[path + (key,)] = key_node.start_mark.line + 1
            result[key] = self.build(value_node, path + (key,))
        return result

    def scalar(self, node: yaml.Node) -> Any:
        tag, value = node.tag, node.value
        if tag not in _SCALAR_TAGS or (tag != _TAG + "str" and tag != _natural_tag(node)):
            # `!!bool maybe`, `!!null 5`, `!!int "12"`: a tag that makes the text mean what it does not say.
            # Text may always be marked as text (`!!str 5`), and a tag that agrees with its text changes nothing.
            raise self.fail_value(node, fact("yaml.tag_not_plain", tag=_short(tag)))
        if tag == _TAG + "str" and not getattr(node, "style", None) and re.fullmatch(_NUMBER_AS_TEXT, value):
            self.plain_number(
                node
            )  # 0o17, 0:10: numbers elsewhere, text to YAML 1.1; refused as 0x1 and 1:30 are
        if tag == _TAG + "str" or tag == _TAG + "timestamp":
            return value  # dates stay as written
        if tag == _TAG + "null":
            return None
        if tag == _TAG + "bool":
            if value not in _BOOLEANS:  # only what the resolver reads as a boolean reaches here; never guess
                raise self.fail_value(node, fact("yaml.tag_not_plain", tag=_short(tag)))
            return _BOOLEANS[value]
        if tag == _TAG + "int":
            return self.bounded(node, self.integer(node))
        return self.bounded(node, self.decimal(node))

    def bounded(self, node: yaml.Node, number: int | Decimal) -> int | Decimal:
        """`number`, refused here when no rubric or department could mean it (NaN, 1.0e-999999999, 1.0e+999):
        before anything digests, formats or converts it, which could take minutes and gigabytes to write out a
        billion digits."""
        if type(number) is int and -_SMALL < number < _SMALL:
            return number  # most numbers: a count, a year, a whole weight
        problem = out_of_bounds(Decimal(number))
        if problem is None:
            return number
        shown = _short_text(str(number))
        if isinstance(number, Decimal) and not number.is_finite():
            raise self.fail_value(node, fact("schema.must_be", problem=problem, value=shown))
        raise self.fail_value(node, fact("number.value_problem", value=shown, problem=problem))

    def integer(self, node: yaml.Node) -> int:
        self.plain_number(node)
        text = node.value.replace("_", "")
        # No count, year or amount has more digits; converting millions of them takes minutes.
        if len(text) > 40:
            raise self.fail_value(node, fact("yaml.too_many_digits", text=_short_text(node.value)))
        sign = -1 if text.startswith("-") else 1
        digits = text.lstrip("+-")
        try:
            if digits.startswith("0x"):
                return sign * int(digits[2:], 16)
            if digits.startswith("0o"):
                return sign * int(digits[2:], 8)
            if digits.startswith("0b"):
                return sign * int(digits[2:], 2)
            if ":" in digits:
                raise ValueError
            return sign * int(digits)
        except ValueError:
            raise self.fail_value(node, fact("yaml.not_whole_number", text=_short_text(node.value))) from None

    def plain_number(self, node: yaml.Node) -> None:
        """Refuse YAML 1.1's other ways of writing a number (0x1f, 0o17, 0b11, 017, 1_000, 1:30, 1:30.5): a
        clerk reads `1_0` as ten or as a slip, `1:30` as a time, `017` as seventeen, and they are not."""
        value = node.value
        if not (value.isascii() and value.isdigit() and value[0] != "0" or value == "0") and not re.fullmatch(
            _PLAIN_NUMBER, value.lower()
        ):  # most numbers are plain digits: no pattern compiled for them
            raise self.fail_value(node, fact("yaml.number_form", text=_short_text(node.value)))

    def decimal(self, node: yaml.Node) -> Decimal:
        self.plain_number(node)
        text = node.value.replace("_", "").lower()
        specials = {".inf": "Infinity", "+.inf": "Infinity", "-.inf": "-Infinity", ".nan": "NaN"}
        try:
            return Decimal(specials.get(text, text))
        except InvalidOperation:
            raise self.fail_value(node, fact("yaml.not_number", text=_short_text(node.value))) from None


def _natural_tag(node: yaml.Node) -> str:
    """The tag the scalar's text has without any tag written: as the resolver reads a plain scalar, and text
    when quoted or written as a block."""
    if getattr(node, "style", None):
        return _TAG + "str"
    tag: str = _resolver().resolve(yaml.ScalarNode, node.value, (True, False))
    return tag


@cache
def _resolver() -> Any:
    return yaml.resolver.Resolver()  # the resolver the safe loader uses


def _short_text(text: str) -> str:
    """A value as a message quotes it: at most 40 characters, however long the file's."""
    return text if len(text) <= 40 else text[:37] + "..."


def _short(tag: str) -> str:
    return "!!" + tag[len(_TAG) :] if tag.startswith(_TAG) else tag


# ---- what `score` writes as YAML (a template, the inputs an audited table states): read back as written ----

# What YAML cannot carry in a file as it is (its c-printable set), besides what `one_line` shows escaped.
