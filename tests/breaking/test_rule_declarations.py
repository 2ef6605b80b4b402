"""Where breaking rules are declared: next to the code that reports them, with metadata every list is derived from."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import contractkit.breaking
from contractkit.breaking.asyncapi.messages import schema_rules
from contractkit.breaking.registry import CHANGE_RULES
from contractkit.rulebook import all_rules
from contractkit.rulebook.docs import render_rules
from contractkit.rules.registry import RULES

BREAKING = Path(contractkit.breaking.__file__).parent
DECLARED = re.compile(r"^([A-Z][A-Z0-9_]*) = change_rule\(", re.MULTILINE)
# A decorated rule: `@breaking_rule(...)` up to the `def` of its function (group= joins it to its walker's list).
DECORATED = re.compile(r"^@breaking_rule\((.*?)^\)\ndef (\w+)\(", re.MULTILINE | re.DOTALL)


def declarations() -> list[tuple[Path, str]]:
    return [(path, name) for path in sorted(BREAKING.rglob("*.py")) for name in DECLARED.findall(path.read_text())]


def decorated() -> list[tuple[Path, str, str]]:
    return [
        (path, args, name)
        for path in sorted(BREAKING.rglob("*.py"))
        for args, name in DECORATED.findall(path.read_text())
    ]


def test_every_breaking_rule_is_declared_in_a_module_that_reports_it() -> None:
    found = declarations()
    functions = decorated()
    assert len(found) + len(functions) == len(CHANGE_RULES) > 100
    unused = [
        f"{path.relative_to(BREAKING)}: {name}"
        for path, name in found
        if len(re.findall(rf"\b{name}\b", path.read_text())) < 2
    ]
    unused += [
        f"{path.relative_to(BREAKING)}: {name}"
        for path, args, name in functions
        if "group=" not in args and len(re.findall(rf"\b{name}\b", path.read_text())) < 2
    ]
    assert unused == []


def test_a_rule_declared_as_a_function_is_documented_by_its_docstring() -> None:
    documented = {rule.id: rule.rule.doc for rule in CHANGE_RULES.values() if rule.check.__doc__ is not None}
    assert len(documented) == len(decorated()) > 0
    assert [rule_id for rule_id, doc in documented.items() if len(doc) < 40] == []


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


@pytest.mark.parametrize("module", ["value_types", "constraints", "properties", "unions"])
def test_the_schema_rule_modules_declare_their_rules_as_functions(module: str) -> None:
    text = (BREAKING / "openapi" / f"{module}.py").read_text()
    assert DECLARED.findall(text) == []
    assert DECORATED.findall(text) != []
