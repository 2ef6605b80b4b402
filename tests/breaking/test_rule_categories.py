"""What a breaking finding is about comes from its rule's category: the changelog, the gate and the text reporter.

Each rule declares its category where it is declared (``@breaking_rule(..., category=...)``); every reader asks
:func:`~contractkit.breaking.registry.category_of` (``is_note``, ``is_policy``, ``is_change``), so a new rule of
any category is counted right with no other edit.
"""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest

from contractkit.breaking.changelog import Changelog, is_breaking
from contractkit.breaking.registry import (
    CHANGE,
    CHANGE_RULES,
    ERROR,
    NOTE,
    POLICY,
    breaking_rule,
    category_of,
    is_policy,
)
from contractkit.findings import Finding, Location, Report, Severity
from contractkit.gate.model import Affected, ContractResult, Step, comparison_step
from contractkit.reporters.text import ChangelogTextReporter
from contractkit.rulebook import all_rules
from contractkit.rules.registry import RULES, RuleCategory, RuleKind

#: The categories as the gate and the changelog counted them before categories were rule metadata (two id sets).
NOTES = {"ignore-expired"}
POLICIES = {"version-decreased", "version-not-bumped", "version-bump-too-small", "version-invalid"}


def finding(rule_id: str, level: Severity = Severity.ERROR) -> Finding:
    return Finding(rule_id, level, f"{rule_id} fired", Location("c.yaml", "/info", 3, 1), contract="c")


def label_of(found: Finding) -> str:
    """Return the label the changelog's text puts before the finding's rule id (``breaking``, ``policy``...)."""
    stream = io.StringIO()
    ChangelogTextReporter().render(Report("changelog", [found]), stream)
    (line,) = (line for line in stream.getvalue().splitlines() if f" {found.rule_id} " in line)
    return line.split()[0]


def test_every_breaking_rule_has_the_category_it_was_counted_in() -> None:
    breaking = [rule for rule in all_rules() if rule.kind is RuleKind.BREAKING]
    assert len(breaking) > 100
    for rule in breaking:
        expected = NOTE if rule.id in NOTES else POLICY if rule.id in POLICIES else CHANGE
        assert rule.category is expected, rule.id


def test_validate_and_lint_rules_have_no_category() -> None:
    assert [r.id for r in all_rules() if r.kind is not RuleKind.BREAKING and r.category is not None] == []


@pytest.mark.parametrize(
    ("rule_id", "category"),
    [
        pytest.param("ignore-expired", NOTE, id="note"),
        pytest.param("version-not-bumped", POLICY, id="policy"),
        pytest.param("api-path-removed", CHANGE, id="openapi-change"),
        pytest.param("sent-message-type-changed", CHANGE, id="asyncapi-renamed-schema-rule"),
        pytest.param("removed-before-sunset", CHANGE, id="deprecation-policy-judges-a-change"),
        pytest.param("api-path-removed-without-deprecation", CHANGE, id="oasdiff-id-kept-verbatim"),
        pytest.param("operation-id-missing", CHANGE, id="lint-rule"),
    ],
)
def test_category_of(rule_id: str, category: RuleCategory) -> None:
    assert category_of(rule_id) is category


#: rule id -> (its part of the changelog, breaking by `is_breaking`, its gate step, the text reporter's label).
CLASSIFIED = [
    pytest.param("ignore-expired", "notes", False, None, "error", id="note"),
    pytest.param("version-not-bumped", "policy", False, "semver", "policy", id="policy"),
    pytest.param("api-path-removed", "changes", True, "breaking", "breaking", id="change"),
    pytest.param("endpoint-added", "changes", True, "breaking", "breaking", id="oasdiff-change"),
]


@pytest.mark.parametrize(("rule_id", "part", "breaking", "step", "label"), CLASSIFIED)
def test_readers_classify_a_finding_by_its_category(
    rule_id: str, part: str, breaking: bool, step: Step | None, label: str
) -> None:
    found = finding(rule_id)
    log = Changelog.of([found])
    parts = {"notes": [f.rule_id for f in log.notes], "policy": [c.rule_id for c in log.policy]}
    parts["changes"] = [c.rule_id for c in log.changes]
    assert parts == {name: [rule_id] if name == part else [] for name in parts}
    assert is_breaking([found]) is breaking
    assert comparison_step(found) == step
    result = ContractResult(Affected("c", "openapi", "c.yaml", "", "changed", ()), [("breaking", found)])
    assert [f.rule_id for f in result.breaking()] == ([] if part == "notes" else [rule_id])
    assert label_of(found) == label


@pytest.fixture
def new_policy_rule() -> Iterator[str]:
    rule_id = "version-label-missing"

    @breaking_rule(id=rule_id, level=ERROR, direction="versioning", summary="a sample policy rule", category=POLICY)
    def version_label_missing() -> str:
        """The revision's `info.version` has no label (a sample policy rule)."""
        return "the version has no label"

    yield rule_id
    del RULES[rule_id], CHANGE_RULES[rule_id]


def test_a_new_policy_rule_is_counted_as_policy_with_no_other_edit(new_policy_rule: str) -> None:
    found = finding(new_policy_rule)
    log = Changelog.of([found])
    assert ([c.rule_id for c in log.policy], log.changes, log.notes) == ([new_policy_rule], (), ())
    assert log.policy_failed()
    assert is_policy(new_policy_rule)
    assert not is_breaking([found])
    assert comparison_step(found) == "semver"
    assert label_of(found) == "policy"
