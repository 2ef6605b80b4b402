"""One test per directory under tests/lint/cases/: `<rule-id>[--variant]/contract.yaml` + `expected.txt`.

The case runs only the rule named by its directory and compares the sorted findings with `expected.txt`
(one line per finding: `file:line:column rule-id severity message`; empty for a case where the rule must stay
silent). `policy.yaml` beside the contract may hold `options:` for the rule. Regenerate with
`pytest tests/lint --update-goldens` and review the diff like code.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from contractkit.catalog import LintPolicy
from contractkit.findings import Severity
from contractkit.lint import LINT_RULES, lint_document
from contractkit.loaders import FileStore, open_document

CASES = Path(__file__).parent / "cases"


def case_dirs() -> list[Path]:
    return sorted(p for p in CASES.iterdir() if p.is_dir())


def rule_of(case: Path) -> str:
    return case.name.split("--")[0]


def relative(file: str, case: Path) -> str:
    return Path(file).resolve().relative_to(case.resolve()).as_posix()


def run_case(case: Path) -> str:
    contract = next(p for p in (case / "contract.yaml", case / "contract.json") if p.exists())
    doc = open_document(contract, store=FileStore(), root_dir=case)
    options = {}
    policy_file = case / "policy.yaml"
    if policy_file.exists():
        options = yaml.safe_load(policy_file.read_text()).get("options", {})
    only = rule_of(case)
    severities = {rule_id: Severity.OFF for rule_id in LINT_RULES if rule_id != only}
    policy = LintPolicy(severities, options)
    findings = lint_document(doc, policy)
    lines = sorted(
        f"{relative(f.location.file, case)}:{f.location.line}:{f.location.column} "
        f"{f.rule_id} {f.severity.value} {f.message}"
        for f in findings
    )
    return "".join(line + "\n" for line in lines)


@pytest.mark.parametrize("case", case_dirs(), ids=lambda p: p.name)
def test_lint_case(case: Path, update_goldens: bool) -> None:
    assert rule_of(case) in LINT_RULES, f"case {case.name} names no lint rule"
    actual = run_case(case)
    expected_file = case / "expected.txt"
    if update_goldens:
        expected_file.write_text(actual)
    assert expected_file.exists(), f"{case.name}: no expected.txt (run pytest --update-goldens and review it)"
    assert actual == expected_file.read_text()


def test_every_lint_rule_has_a_firing_and_a_silent_case() -> None:
    firing: set[str] = set()
    silent: set[str] = set()
    for case in case_dirs():
        expected = (case / "expected.txt").read_text() if (case / "expected.txt").exists() else ""
        (firing if expected.strip() else silent).add(rule_of(case))
    missing_firing = sorted(set(LINT_RULES) - firing)
    missing_silent = sorted(set(LINT_RULES) - silent)
    assert not missing_firing, f"lint rules without a case that fires: {missing_firing}"
    assert not missing_silent, f"lint rules without a case where they stay silent: {missing_silent}"
