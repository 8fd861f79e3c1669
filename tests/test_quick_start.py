"""`score` as a process: every example meets the inputs schema, the exit code and every byte written are out
when it ends, and an error nobody caught is Python's."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from scorer.inputs.schema import inputs_schema
from scorer.rules.read import load_rules
from scorer.sources.schema import schema_accepts
from scorer.sources.yaml import load_yaml_file

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    return inputs_schema(load_rules("2022"))


def test_every_example_meets_the_inputs_schema(schema: dict[str, Any]) -> None:
    examples = sorted((ROOT / "examples").glob("2022-*.yaml"))
    assert examples
    for path in examples:
        assert schema_accepts(schema, load_yaml_file(path).data), path


def _score_process(prelude: str, *arguments: str) -> subprocess.CompletedProcess[str]:
    """`score` as its own process (`scorer.__main__.command`), after `prelude` ran in it."""
    code = f"import sys\n{prelude}\nimport scorer.__main__ as entry\nsys.argv = ['score', *sys.argv[1:]]\nentry.command()\n"
    return subprocess.run(
        [sys.executable, "-c", code, *arguments], capture_output=True, text=True, cwd=ROOT, check=False
    )


def test_score_ends_with_its_exit_code_and_everything_written() -> None:
    """Every byte written is out when the process ends, and the exit code is the command's."""
    example = str(ROOT / "examples" / "2022-zhengwu-fuwu.yaml")
    done = _score_process("", "run", example, "--rules", "2022", "-f", "json", "--explanations")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["total"] == 94.2
    missing = _score_process("", "run", "no-such-file.yaml")
    assert missing.returncode == 1 and "no-such-file.yaml" in missing.stderr
    assert _score_process("", "run", example, "--format", "nope").returncode == 2


def test_score_leaves_an_uncaught_error_to_python() -> None:
    done = _score_process(
        "import scorer.cli.main as cli\ndef main():\n    raise RuntimeError('boom')\ncli.main = main\n",
        "--version",
    )
    assert done.returncode == 1 and "RuntimeError: boom" in done.stderr
    code = (
        "import sys\nimport scorer.__main__ as entry\nsys.argv = ['score', '--version']\n"
        "try:\n    entry.command()\nexcept SystemExit:\n    pass\nraise RuntimeError('after')\n"
    )
    after = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=False
    )
    assert after.returncode == 1 and "RuntimeError: after" in after.stderr  # not the command's 0
