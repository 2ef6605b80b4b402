"""One test per directory under tests/breaking/policies/cases/: a pair, a date, and what the policies make of it.

A case is ``<policy>--<what>/`` holding ``base.yaml``, ``revision.yaml``, ``expected.txt`` and optionally
``case.yaml`` (``today: 2026-01-15``, the day sunsets and ignore entries are judged against, never the real
date; ``lifecycle: draft``, the catalog's lifecycle of the contract; ``policies: {versioning: false}``) and an
``ignores.yaml``. The pair is compared as ``contractkit breaking`` does it (the deprecation policy in the engine,
then stability, the ignores file and versioning), and ``expected.txt`` holds every finding, one per line
(``file:line:column level rule-id [operation] message``, accepted ones marked), then the bump advice. Regenerate
with ``pytest tests/breaking/policies --update-goldens`` and review the diff like code.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
from pathlib import Path

import pytest
import yaml

from contractkit.breaking import diff_documents
from contractkit.breaking.ignores import apply_ignores, read_ignores
from contractkit.breaking.policies import POLICY_RULES, DeprecationPolicy, Policies, apply_policies
from contractkit.breaking.policies.deprecation import REMOVED_BEFORE_SUNSET
from contractkit.findings import Finding
from contractkit.loaders import FileStore, open_document

CASES = Path(__file__).parent / "cases"
NO_ASYNCAPI_ENGINE = importlib.util.find_spec("contractkit.breaking.asyncapi") is None


def case_dirs() -> list[object]:
    params: list[object] = []
    for case in sorted(p for p in CASES.iterdir() if p.is_dir()):
        asyncapi = "asyncapi" in (case / "base.yaml").read_text().split("\n", 1)[0]
        marks = (
            [pytest.mark.skip(reason="the AsyncAPI engine (contractkit.breaking.asyncapi) does not exist yet")]
            if asyncapi and NO_ASYNCAPI_ENGINE
            else []
        )
        params.append(pytest.param(case, id=case.name, marks=marks))
    return params


def run_case(case: Path) -> tuple[list[Finding], str]:
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
    return findings, str(advice)


def render(findings: list[Finding], advice: str, case: Path) -> str:
    def relative(file: str) -> str:
        return Path(file).resolve().relative_to(case.resolve()).as_posix()

    ordered = sorted(findings, key=lambda f: (relative(f.location.file), *f.sort_key()[1:]))
    lines = [
        f"{relative(f.location.file)}:{f.location.line}:{f.location.column} {f.severity.value} {f.rule_id}"
        f"{f' [{f.operation}]' if f.operation else ''} {f.message}"
        f"{f' (accepted: {f.accepted})' if f.accepted else ''}"
        for f in ordered
    ]
    return "".join(line + "\n" for line in [*lines, f"advice: {advice}"])


@pytest.mark.parametrize("case", case_dirs())
def test_policy_case(case: Path, update_goldens: bool) -> None:
    findings, advice = run_case(case)
    actual = render(findings, advice, case)
    expected_file = case / "expected.txt"
    if update_goldens:
        expected_file.write_text(actual)
    assert expected_file.exists(), f"{case.name}: no expected.txt (run pytest --update-goldens and review it)"
    assert actual == expected_file.read_text()
    for finding in findings:
        assert finding.message[:1].islower() or finding.message.startswith("`"), finding.message
        assert not finding.message.endswith("."), finding.message
        assert finding.contract == "orders"


def test_every_policy_rule_has_a_firing_case() -> None:
    fired = " ".join((case / "expected.txt").read_text() for case in CASES.iterdir() if case.is_dir())
    missing = sorted(rule for rule in {*POLICY_RULES, REMOVED_BEFORE_SUNSET.id} if f" {rule} " not in fired)
    assert not missing, f"policy rules without a case that fires them: {missing}"
