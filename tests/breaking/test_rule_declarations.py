"""Where breaking rules are declared: next to the code that reports them, with metadata every list is derived from."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import contractkit.breaking
from contractkit.breaking.asyncapi.messages import schema_rules
from contractkit.breaking.registry import CHANGE_RULES, load_rules
from contractkit.rulebook import all_rules
from contractkit.rulebook.docs import render_rules
from contractkit.rules.registry import RULES

BREAKING = Path(contractkit.breaking.__file__).parent
# A rule: `@breaking_rule(...)` up to the `def` of its function (group= joins it to its walker's list).
DECORATED = re.compile(r"^@breaking_rule\((.*?)^\)\ndef (\w+)\(", re.MULTILINE | re.DOTALL)
# What declaring a rule any other way would look like.
OTHER_WAYS = re.compile(r"= change_rule\(|register\(Rule\(|_declare\(")


def decorated() -> list[tuple[Path, str, str]]:
    return [
        (path, args, name)
        for path in sorted(BREAKING.rglob("*.py"))
        for args, name in DECORATED.findall(path.read_text())
    ]


def test_every_breaking_rule_is_a_decorated_function_its_module_fires() -> None:
    load_rules()
    functions = decorated()
    assert len(functions) == len(CHANGE_RULES) > 100
    assert sorted(name for _, _, name in functions) == sorted(rule.check.__name__ for rule in CHANGE_RULES.values())
    assert [rule.id for rule in CHANGE_RULES.values() if rule.check.__name__ != rule.id.replace("-", "_")] == []
    # A rule joins its walker's group (called with fired()), or its walker calls it by name.
    unfired = [
        f"{path.relative_to(BREAKING)}: {name}"
        for path, args, name in functions
        if "group=" not in args and len(re.findall(rf"\b{name}\b", path.read_text())) < 2
    ]
    assert unfired == []
    other = [str(path.relative_to(BREAKING)) for path in BREAKING.rglob("*.py") if path.name != "registry.py"]
    assert [name for name in other if OTHER_WAYS.search((BREAKING / name).read_text())] == []


def test_every_breaking_rule_is_documented_by_its_docstring() -> None:
    load_rules()
    docs = {rule.id: rule.rule.doc for rule in CHANGE_RULES.values()}
    assert [rule_id for rule_id, doc in docs.items() if len(doc) < 40 or not doc.split("\n")[0].endswith(".")] == []
    assert [rule.id for rule in CHANGE_RULES.values() if rule.check.__doc__ is None] == []


def test_the_asyncapi_schema_rules_are_the_openapi_rules_declared_schema_rules() -> None:
    declared = {rule.id for rule in CHANGE_RULES.values() if rule.schema}
    assert set(schema_rules()) == declared
    assert all(rule_id.startswith(("request-", "response-")) for rule_id in declared)
    for rule_id, twin in schema_rules().items():
        assert RULES[twin.id] == twin.rule
        assert (twin.level, twin.rule.category) == (CHANGE_RULES[rule_id].level, CHANGE_RULES[rule_id].rule.category)


@pytest.mark.parametrize("fmt", ["text", "json", "markdown"])
def test_the_rule_list_does_not_depend_on_the_order_rules_are_registered(
    fmt: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    all_rules()  # every engine loaded
    expected = render_rules(fmt)
    reversed_rules = dict(reversed(list(RULES.items())))
    monkeypatch.setattr("contractkit.rules.registry.RULES", reversed_rules)
    monkeypatch.setattr("contractkit.rulebook.RULES", reversed_rules)
    assert list(reversed_rules) != list(RULES)
    assert render_rules(fmt) == expected
