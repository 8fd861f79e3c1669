"""What every command does with its files: the plan of what it reads and writes, checked before any work
(scorer/sources/file_plan.py), and the output printed or written to `-o FILE`."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from contextlib import suppress
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from scorer.cli.streams import SafeStream
from scorer.errors import RulesNotFound
from scorer.escape import one_line
from scorer.i18n import language, t

if TYPE_CHECKING:  # imported where a command runs, so that the start stays quick
    from scorer.engine.result import Result
    from scorer.render import Renderer
    from scorer.sources.file_plan import FilePlan, Gathered


def plan_files(
    reads: Sequence[Path | None],
    rules: list[str | None],
    writes: dict[str, Path | None],
    gathered: list[Gathered] | None = None,
) -> FilePlan:
    """The command's files (scorer/sources/file_plan.py), checked before any work: what it reads (and the folders it
    reads from), the rules folders it uses (each `--rules`, found as the command will find it), and each output
    by the option that names it."""
    from scorer.rules.read import resolve_rules
    from scorer.sources.file_plan import FilePlan

    plan = FilePlan(inputs=[path for path in reads if path is not None], gathered=gathered or [])
    for spec in rules:
        with suppress(RulesNotFound):  # the command says so in its own words when it loads them
            plan.rules += [resolve_rules(spec)] if spec is not None else []
    for option, path in writes.items():
        plan.write(path, option)
    plan.check()
    return plan


def emit(content: str | bytes, output: Path | None, plan: FilePlan, *, coloured: bool = False) -> None:
    """Print, or write to -o FILE (`-o -` prints). A coloured table's cells were escaped when it was built."""
    if output is None or str(output) == "-":
        stream = sys.stdout
        text = content.decode("utf-8") if isinstance(content, bytes) else content
        if coloured and isinstance(stream, SafeStream):
            stream.write_raw(text)
        else:
            stream.write(text)
        stream.flush()
    else:
        from scorer.sources.output import write_atomic

        write_atomic(output, content, plan)
        sys.stderr.write(t("cli.wrote", path=one_line(str(output))) + "\n")


def tell_outcome(result: Result) -> None:
    """With -o the document goes to its file, and the terminal still says the total, the grade and every warning
    (an override, a capped deduction, a blank scored full marks), one line each: nothing is written silently."""
    from scorer.render.common import grade_name, grade_shown, warnings

    lang = language()
    band = next((b for b in result.bands if b.name == result.grade), None)
    grade = grade_name(grade_shown(result, lang), band.name_en if band else "", lang)
    lines = [t("explain.total", lang, total=result.total, max=result.max, grade=grade)]
    lines += warnings(result, lang)
    sys.stderr.write("".join(one_line(line) + "\n" for line in lines))


def scored(
    inputs: Path, rules: str | None, output: Path | None, fmt: str | None, registry: tuple[Renderer, ...]
) -> tuple[Result, Renderer, FilePlan]:
    """Refuse an -o that may not be written before any work, score the inputs, choose the renderer."""
    from scorer.render import for_output
    from scorer.run import score_file

    plan = plan_files([inputs], [rules], {"-o": output})
    result, _ = score_file(inputs, rules)
    renderer = for_output(output, fmt, registry)
    if renderer.binary and (output is None or str(output) == "-"):
        raise typer.BadParameter(t("cli.binary_needs_file", format=renderer.name), param_hint="--output")
    return result, renderer, plan


def colour_wanted() -> bool:
    """Colour on a terminal that can show it, unless NO_COLOR (no-color.org) or TERM=dumb says otherwise."""
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"


def terminal_width() -> int:
    import shutil

    return shutil.get_terminal_size((160, 40)).columns if sys.stdout.isatty() else 160
