"""One test per directory under tests/lint/cases/: `<rule-id>[--variant]/contract.yaml` + `expected.txt`.

The case runs only the rule named by its directory and compares the sorted findings with `expected.txt`
(one line per finding: `file:line:column rule-id severity message`; empty for a `--silent` case, where the rule
must stay silent). `policy.yaml` beside the contract may hold `options:` for the rule. The harness and its
conventions are tests/cases.py; regenerate with `pytest tests/lint --update-goldens` and review the diff like code.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from contractkit.catalog import LintPolicy
from contractkit.findings import Finding, Severity
from contractkit.lint import LINT_RULES, lint_document
from contractkit.loaders import FileStore, open_document
from tests.cases import LINT_LINE, CaseSuite, rule_of, side


def findings_of(case: Path) -> list[Finding]:
    doc = open_document(side(case, "contract"), store=FileStore(), root_dir=case)
    policy_file = case / "policy.yaml"
    options = yaml.safe_load(policy_file.read_text()).get("options", {}) if policy_file.exists() else {}
    severities = {rule_id: Severity.OFF for rule_id in LINT_RULES if rule_id != rule_of(case)}
    return lint_document(doc, LintPolicy(severities, options))


SUITE = CaseSuite(
    Path(__file__).parent / "cases",
    run=findings_of,
    rules=lambda: LINT_RULES,
    line=LINT_LINE,
    by_text=True,
    message_style=False,
)


@SUITE.parametrize()
def test_lint_case(case: Path, update_goldens: bool) -> None:
    SUITE.check(case, update_goldens)


def test_every_lint_rule_has_a_firing_and_a_silent_case() -> None:
    SUITE.check_coverage()
