"""One test per directory under tests/breaking/policies/cases/: a pair, a date, and what the policies make of it.

A case is ``<policy>--<what>/`` holding ``base.yaml``, ``revision.yaml``, ``expected.txt`` and optionally
``case.yaml`` (``today: 2026-01-15``, the day sunsets and ignore entries are judged against, never the real
date; ``lifecycle: draft``, the catalog's lifecycle of the contract; ``policies: {versioning: false}``) and an
``ignores.yaml``. The pair is compared as ``contractkit breaking`` does it (the deprecation policy in the engine,
then stability, the ignores file and versioning), and ``expected.txt`` holds every finding, one per line
(``file:line:column level rule-id [operation] message``, accepted ones marked), then the bump advice. The
harness is tests/cases.py; regenerate with ``pytest tests/breaking/policies --update-goldens`` and review the diff
like code.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import yaml

from contractkit.breaking import diff_documents
from contractkit.breaking.ignores import apply_ignores, read_ignores
from contractkit.breaking.policies import POLICY_RULES, DeprecationPolicy, Policies, apply_policies
from contractkit.breaking.policies.deprecation import removed_before_sunset
from contractkit.loaders import FileStore, open_document
from tests.cases import CaseSuite, Outcome, golden_rules


def run_case(case: Path) -> Outcome:
    conf_file = case / "case.yaml"
    conf = yaml.safe_load(conf_file.read_text()) if conf_file.exists() else {}
    today = dt.date.fromisoformat(str(conf["today"]))
    flags = conf.get("policies") or {}
    policies = Policies(
        deprecation=flags.get("deprecation", True),
        versioning=flags.get("versioning", True),
        stability=flags.get("stability", True),
        draft=conf.get("lifecycle") == "draft",
    )
    store = FileStore()
    base = open_document(case / "base.yaml", store=store, root_dir=case)
    revision = open_document(case / "revision.yaml", store=store, root_dir=case)
    removals = DeprecationPolicy(today) if policies.deprecation else None
    findings = diff_documents(base, revision, contract="orders", policy=removals)
    ignores = read_ignores(case / "ignores.yaml") if (case / "ignores.yaml").exists() else []
    findings, advice = apply_policies(
        findings, base, revision, policies, name="orders", contract="orders", ignores=ignores, today=today
    )
    if ignores:
        findings = apply_ignores(findings, ignores, today=today)
    assert all(finding.contract == "orders" for finding in findings), findings
    return Outcome(findings, (f"advice: {advice}",))


SUITE = CaseSuite(Path(__file__).parent / "cases", run=run_case)


@SUITE.parametrize()
def test_policy_case(case: Path, update_goldens: bool) -> None:
    SUITE.check(case, update_goldens)


def test_every_policy_rule_has_a_firing_case() -> None:
    missing = sorted({*POLICY_RULES, removed_before_sunset.id} - golden_rules(SUITE.root))
    assert not missing, f"policy rules without a case that fires them: {missing}"
