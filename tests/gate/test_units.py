"""Small pure pieces of the gate: the default base refs, the reasons' wording, the exit code."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from contractkit.errors import InputError
from contractkit.findings import Finding, Location, Severity
from contractkit.gate.changes import default_refs
from contractkit.gate.model import Affected, Base, ContractResult, GateResult, Plan, Reason
from contractkit.gate.render.junit import render_junit


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        pytest.param({}, ["main", "origin/main", "master", "origin/master"], id="nothing-set"),
        pytest.param(
            {"GITHUB_BASE_REF": "develop"},
            ["develop", "origin/develop", "main", "origin/main", "master", "origin/master"],
            id="github",
        ),
        pytest.param(
            {"CI_MERGE_REQUEST_TARGET_BRANCH_NAME": "main"},
            ["main", "origin/main", "master", "origin/master"],
            id="gitlab-main-not-repeated",
        ),
        pytest.param(
            {"CONTRACTKIT_BASE_REF": "release", "GITHUB_BASE_REF": "develop"},
            [
                "release",
                "origin/release",
                "develop",
                "origin/develop",
                "main",
                "origin/main",
                "master",
                "origin/master",
            ],
            id="contractkit-variable-first",
        ),
        pytest.param({"GITHUB_BASE_REF": ""}, ["main", "origin/main", "master", "origin/master"], id="empty-ignored"),
    ],
)
def test_default_refs(environ: dict[str, str], expected: list[str]) -> None:
    assert default_refs(environ) == expected


@pytest.mark.parametrize(
    ("reason", "text"),
    [
        pytest.param(Reason("c/mes.yaml", "contract"), "`c/mes.yaml` changed", id="own"),
        pytest.param(Reason("c/common/m.yaml", "ref"), "it reaches `c/common/m.yaml` through $ref", id="ref"),
        pytest.param(
            Reason("c/catalog.yaml", "catalog-policy", "lint"),
            "the `lint` block of `c/catalog.yaml` changed",
            id="policy",
        ),
        pytest.param(Reason("", "all"), "--all", id="all"),
    ],
)
def test_reason_text(reason: Reason, text: str) -> None:
    assert str(reason) == text


def _result(findings: list[tuple[str, Severity]], *, error: bool = False, gen: str = "") -> GateResult:
    contract = ContractResult(Affected("x", "openapi", "contracts/x.yaml", "team", "stable", ()), gen=gen)
    for step, severity in findings:
        finding = Finding("some-rule", severity, "m", Location("contracts/x.yaml"))
        contract.findings.append((step, finding))  # type: ignore[arg-type]
    if error:
        contract.errors.append(InputError("cannot parse"))
    plan = Plan(Base("main", "0" * 40, "main"), False, (contract.contract,), ())
    return GateResult(plan, [contract])


@pytest.mark.parametrize(
    ("result", "code"),
    [
        pytest.param(_result([]), 0, id="clean"),
        pytest.param(_result([("lint", Severity.WARNING), ("breaking", Severity.INFO)]), 0, id="below-fail-on"),
        pytest.param(_result([("breaking", Severity.ERROR)]), 1, id="breaking"),
        pytest.param(_result([("validate", Severity.ERROR)]), 1, id="invalid"),
        pytest.param(_result([], gen="stale"), 1, id="stale-models"),
        pytest.param(_result([("breaking", Severity.ERROR)], error=True), 2, id="unreadable-wins"),
    ],
)
def test_exit_code(result: GateResult, code: int) -> None:
    assert result.exit_code() == code


@pytest.mark.parametrize(
    ("errors", "names"),
    [
        pytest.param(
            [InputError("bad", title="invalid ignores file"), InputError("worse", title="invalid ignores file")],
            ["invalid ignores file", "invalid ignores file (2)"],
            id="same-title",
        ),
        pytest.param(
            [
                InputError("bad", title="could not read", location=Location("contracts/a.yaml", "", 3, 1)),
                InputError("bad", title="could not read", location=Location("contracts/b.yaml", "", 3, 1)),
            ],
            ["could not read at contracts/a.yaml:3:1", "could not read at contracts/b.yaml:3:1"],
            id="told-apart-by-location",
        ),
    ],
)
def test_gate_junit_error_cases_have_unique_names(errors: list[InputError], names: list[str]) -> None:
    result = _result([])
    result.errors.extend(errors)
    root = ET.fromstring(render_junit(result))
    suite = next(s for s in root.iter("testsuite") if s.get("name") == "contractkit ci")
    assert [case.get("name") for case in suite.iter("testcase")] == names
