"""The fuzz targets, driven by hypothesis on every test run (bounded), besides atheris in CI."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .conftest import EXAMPLES
from .fuzz.targets import inputs_loader, target_expression

FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
EXAMPLE = (EXAMPLES / "2022-suigang-targets.yaml").read_bytes()
TARGET_ALPHABET = (
    "0123456789.,，%％≥≤<>=次场个项起天年以上下不低于超过工业商贸服务业 ５-−负+±²①内日工作余多约近万元"
)


@FUZZ
@given(st.binary(max_size=2000))
def test_inputs_loader_on_arbitrary_bytes(data: bytes) -> None:
    inputs_loader(data)


@FUZZ
@given(st.integers(0, len(EXAMPLE) - 1), st.binary(min_size=1, max_size=40))
def test_inputs_loader_on_a_mutated_example(position: int, patch: bytes) -> None:
    inputs_loader(EXAMPLE[:position] + patch + EXAMPLE[position + len(patch) :])


@FUZZ
@given(st.text(alphabet=TARGET_ALPHABET, max_size=30), st.text(alphabet=TARGET_ALPHABET, max_size=30))
def test_target_parser_on_target_like_text(target: str, actual: str) -> None:
    target_expression(f"{target}\n{actual}".encode())


@FUZZ
@given(st.binary(max_size=200))
def test_target_parser_on_arbitrary_bytes(data: bytes) -> None:
    target_expression(data)
