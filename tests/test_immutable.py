"""The rule set is immutable and hashable all the way down; what is derived from it hangs off it (`derived`),
never in a module's cache keyed by an object's id."""

from __future__ import annotations

import ast
import pickle
from pathlib import Path

import msgspec
import pytest

from scorer.engine.score import score
from scorer.immutable import FrozenMap, Memo, freeze
from scorer.inputs.read import load_inputs
from scorer.rules.cache import cache_folder
from scorer.rules.read import load_rules

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "2022-zhengwu-fuwu.yaml"
ILLUSTRATIVE = ROOT / "tests" / "fixtures" / "rules" / "illustrative"


def test_equal_rule_sets_hash_equal_and_a_rule_set_is_a_dict_key() -> None:
    one, two = load_rules("2022"), load_rules("2022")
    assert one is not two and one == two and hash(one) == hash(two)
    kinds, other = load_rules(ILLUSTRATIVE), load_rules(ILLUSTRATIVE)
    by_rules = {one: "2022", kinds: "illustrative"}
    assert by_rules[two] == "2022" and by_rules[other] == "illustrative"
    assert pickle.loads(pickle.dumps(kinds)) == kinds


def test_nothing_in_a_rule_set_can_be_changed() -> None:
    rules = load_rules(ILLUSTRATIVE)
    indicator = rules.indicators[0]
    with pytest.raises(AttributeError):
        rules.year = 2031  # type: ignore[misc]
    with pytest.raises(AttributeError):
        indicator.weight = 0  # type: ignore[misc]
    with pytest.raises(AttributeError):  # nor what is worked out from it
        indicator.exact_weight = 0  # type: ignore[misc]
    for mapping in (rules.provenance, rules.english, indicator.provenance, indicator.reason_templates):
        with pytest.raises(TypeError):
            mapping["added"] = "x"  # type: ignore[index]
    assert isinstance(indicator.provenance["source"], tuple)  # a list in the file: a tuple here


def test_the_rules_cache_gives_back_an_equal_rule_set(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SCORE_CACHE_DIR", str(tmp_path / "cache"))
    read = load_rules(ILLUSTRATIVE)
    assert cache_folder() == tmp_path / "cache" and any((tmp_path / "cache").iterdir())
    cached = load_rules(ILLUSTRATIVE)
    assert cached == read and hash(cached) == hash(read)


def test_what_is_derived_from_a_rule_set_is_made_once_and_kept_with_it() -> None:
    rules = load_rules("2022")
    department = load_inputs(EXAMPLE, rules)
    first = score(rules, department)
    plan = rules.derived.find("scoring plan")
    assert plan is not None and rules.derived.find("inputs schema") is not None
    assert score(rules, department) == first and rules.derived.find("scoring plan") is plan
    again = load_rules("2022")
    assert again == rules and again.derived.find("scoring plan") is None  # not part of the value


def test_a_frozen_map_and_a_memo() -> None:
    frozen = freeze({"a": [1, {"b": [2]}]})
    assert frozen == {"a": (1, {"b": (2,)})} and hash(frozen) == hash(freeze({"a": [1, {"b": [2]}]}))
    assert isinstance(frozen["a"][1], FrozenMap)
    assert pickle.loads(pickle.dumps(frozen)) == frozen
    memo = Memo()
    assert memo.get("k", lambda: [1]) is memo.get("k", lambda: [2])
    assert memo == Memo() and hash(memo) == 0 and pickle.loads(pickle.dumps(memo)).find("k") is None


def test_no_cache_is_keyed_by_an_objects_id() -> None:
    calls = [
        f"{path.relative_to(ROOT)}:{node.lineno}"
        for path in sorted((ROOT / "scorer").rglob("*.py"))
        for node in ast.walk(ast.parse(path.read_text("utf-8")))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "id"
    ]
    assert calls == []


def test_a_rubric_that_extends_another_is_as_immutable_and_hashable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its identity and where each row comes from are part of its value: read-only, hashed, pickled."""
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "rules" / "guangzhou-huangpu-bumen" / "2023"
    folder.mkdir(parents=True)
    (folder / "rubric.yaml").write_text(
        "id: guangzhou-huangpu-bumen\nyear: 2023\nstatus: provisional\nprovenance: {source: []}\n"
        "extends: guangzhou-huangpu-bumen/2022\n",
        encoding="utf-8",
    )
    one, two = load_rules(folder), load_rules(folder)
    assert one.extends == "guangzhou-huangpu-bumen/2022" and one.provisional and one.name.endswith("/2023")
    assert isinstance(one.origins, FrozenMap) and one.origins["budget_disclosure"].source
    assert one == two and hash(one) == hash(two) and {one: "2023"}[two] == "2023"
    with pytest.raises(TypeError):
        one.origins["budget_disclosure"] = one.origins["budget_disclosure"]  # type: ignore[index]
    assert pickle.loads(pickle.dumps(one)) == one


def test_a_rule_set_made_from_another_starts_with_nothing_derived() -> None:
    """`replace` (a new digest, the origins of an extended rubric) never carries what was worked out before."""
    rules = load_rules(ILLUSTRATIVE)
    rules.derived.keep("probe", "made from the rule set as it was")
    changed = msgspec.structs.replace(rules, digest="another")
    assert rules.derived.find("probe") is not None
    assert changed.derived.find("probe") is None
