"""What a warm `score run … -f json` loads: only what it needs, every module not imported being saved twice (its
import and Python's teardown of it)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from scorer.i18n import LANGUAGES, t
from scorer.inputs.model import department_key

from .conftest import ROOT

EXAMPLE = str(ROOT / "examples" / "2022-zhengwu-fuwu.yaml")

# Runs `score ARGS` in this process as the console script does, then says which files it opened and which
# modules it imported (an audit hook only watches: it changes nothing the command does).
_PROBE = (
    "import sys\n"
    "opened = []\n"
    "sys.addaudithook(lambda event, args: opened.append(str(args[0])) if event == 'open' else None)\n"
    "sys.argv = ['score', *sys.argv[1:]]\n"
    "import scorer.__main__ as entry\n"
    "try:\n    entry.command()\nexcept SystemExit:\n    pass\n"
    "print('OPENED', *sorted({name.rpartition('/')[2] for name in opened if name.endswith(('/zh.json', '/en.json'))}), file=sys.stderr)\n"
    "print('MODULES', *sorted(sys.modules), file=sys.stderr)\n"
)


def _warm_run(tmp_path: Path, *args: str) -> dict[str, set[str]]:
    env = {"PATH": "/usr/bin:/bin", "SCORE_CACHE_DIR": str(tmp_path / "cache")}
    run = [sys.executable, "-c", _PROBE, "run", EXAMPLE, "--rules", "2022", "-f", "json", *args]
    for _ in range(2):  # the first run fills the rules cache, the second is the warm one measured
        done = subprocess.run(run, capture_output=True, text=True, cwd=ROOT, env=env, timeout=60)
    assert done.returncode == 0, done.stderr
    said = (line.split() for line in done.stderr.splitlines() if line.startswith(("OPENED", "MODULES")))
    return {words[0]: set(words[1:]) for words in said}


def test_a_warm_run_reads_only_the_catalogue_of_its_language(tmp_path: Path) -> None:
    assert _warm_run(tmp_path)["OPENED"] == {"zh.json"}
    assert _warm_run(tmp_path, "--lang", "en")["OPENED"] == {"en.json"}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_languages_placeholder_is_a_note_in_parentheses(lang: str) -> None:
    """The inputs reader looks at the other languages' placeholders only for a name in parentheses."""
    key = department_key(t("scaffold.department", lang))
    assert key.startswith("(") and key.endswith(")"), key


# Modules a warm run of a YAML file's JSON output has no use for: a workbook's layout, a codec for the BOM,
# the JSON Schema validator (valid documents plainly fit their schemas: scorer/sources/schema_fits.py).
_NOT_NEEDED = {"scorer.inputs.workbook_layout", "encodings.utf_8_sig", "jsonschema_rs"}


def test_a_warm_run_imports_nothing_it_has_no_use_for(tmp_path: Path) -> None:
    assert _warm_run(tmp_path)["MODULES"] & _NOT_NEEDED == set()


@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"], ids=["plain", "bom"])
def test_a_byte_that_is_not_utf8_is_placed_in_the_file_as_it_is(tmp_path: Path, bom: bytes) -> None:
    """With or without a BOM, the line and byte told are the file's own (the BOM's three bytes counted)."""
    (tmp_path / "dept.yaml").write_bytes(bom + b"department: a\nyear: 2022\nunits: \xff1\n")
    env = {"PATH": "/usr/bin:/bin", "SCORE_NO_CACHE": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "scorer", "run", "dept.yaml", "--rules", "2022", "-f", "json", "--lang", "en"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env | {"PYTHONPATH": str(ROOT)},
        timeout=60,
    )
    byte = len(bom) + 32  # "department: a\n" and "year: 2022\n" are 25 bytes, "units: " 7
    assert done.stderr == f"error: dept.yaml:3: not valid UTF-8 text (byte {byte}); save the file as UTF-8\n"
    assert done.returncode == 1
