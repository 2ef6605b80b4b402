from __future__ import annotations

import io
import json
from typing import Any

import pytest

from contractkit.errors import ContractSyntaxError
from contractkit.findings import Finding, Location, Report, Severity
from contractkit.reporters import REPORTERS, JsonReporter
from contractkit.reporters.json import finding_to_dict, report_to_dict

FINDING_KEYS = [
    "rule_id", "severity", "message", "file", "line", "column", "pointer", "operation", "hint", "contract", "contracts"
]  # fmt: skip
AWKWARD_MESSAGE = '100% <&"> \u00e9 \u6f22\u5b57 \U0001f642\nsecond\r\nthird \x07 \ud800 end'

ERROR = Finding(
    "sample-error",
    Severity.ERROR,
    "operation has no `operationId`",
    Location("contracts/orders.yaml", "/paths/~1orders/get", 12, 5),
    operation="GET /orders",
    hint="add a unique `operationId`",
    contract="orders",
)
WARNING = Finding("sample-warning", Severity.WARNING, "slash", Location("contracts/users.yaml", "/paths", 3))
INFO = Finding("sample-info", Severity.INFO, "no contact", Location("contracts/orders.yaml", "/info"))
OFF = Finding("sample-off", Severity.OFF, "hidden finding", Location("contracts/orders.yaml", "", 1, 1))


def render(report: Report) -> str:
    stream = io.StringIO()
    JsonReporter().render(report, stream, color=True)
    return stream.getvalue()


def parse(report: Report) -> dict[str, Any]:
    out = render(report)
    assert out.endswith("}\n")
    assert out.isascii()
    data: dict[str, Any] = json.loads(out)
    return data


@pytest.mark.parametrize(
    ("report", "summary", "rule_ids"),
    [
        pytest.param(Report("lint"), {"error": 0, "warning": 0, "info": 0}, [], id="empty"),
        pytest.param(Report("lint", [OFF]), {"error": 0, "warning": 0, "info": 0}, [], id="only-off"),
        pytest.param(
            Report("lint", [OFF, WARNING, INFO, ERROR], ["orders", "users"]),
            {"error": 1, "warning": 1, "info": 1},
            ["sample-info", "sample-error", "sample-warning"],
            id="every-severity",
        ),
    ],
)
def test_summary_and_findings(report: Report, summary: dict[str, int], rule_ids: list[str]) -> None:
    data = parse(report)
    assert list(data) == ["command", "checked", "summary", "findings", "errors"]
    assert data["command"] == "lint"
    assert data["checked"] == report.checked
    assert data["summary"] == summary
    assert list(data["summary"]) == ["error", "warning", "info"]
    assert [f["rule_id"] for f in data["findings"]] == rule_ids
    for finding in data["findings"]:
        assert list(finding) == FINDING_KEYS


def test_finding_fields() -> None:
    (finding,) = parse(Report("lint", [ERROR]))["findings"]
    assert finding == {
        "rule_id": "sample-error",
        "severity": "error",
        "message": "operation has no `operationId`",
        "file": "contracts/orders.yaml",
        "line": 12,
        "column": 5,
        "pointer": "/paths/~1orders/get",
        "operation": "GET /orders",
        "hint": "add a unique `operationId`",
        "contract": "orders",
        "contracts": ["orders"],
    }


def test_unknown_values_are_null_or_zero() -> None:
    assert finding_to_dict(INFO) == {
        "rule_id": "sample-info",
        "severity": "info",
        "message": "no contact",
        "file": "contracts/orders.yaml",
        "line": 0,
        "column": 0,
        "pointer": "/info",
        "operation": None,
        "hint": None,
        "contract": None,
        "contracts": [],
    }


@pytest.mark.parametrize(
    "message",
    [
        pytest.param(AWKWARD_MESSAGE, id="awkward"),
        pytest.param("", id="empty-message"),
        pytest.param("\\ backslash and } brace", id="json-syntax"),
    ],
)
def test_messages_round_trip(message: str) -> None:
    finding = Finding("sample-error", Severity.ERROR, message, Location("odd \u00e9.yaml", "/a~1b", 1, 1), hint=message)
    (parsed,) = parse(Report("lint", [finding]))["findings"]
    assert parsed["message"] == message
    assert parsed["hint"] == message
    assert parsed["file"] == "odd \u00e9.yaml"


def test_empty_report_exact_output() -> None:
    assert render(Report("validate", checked=["a.yaml"])) == (
        '{\n  "command": "validate",\n  "checked": [\n    "a.yaml"\n  ],\n'
        '  "summary": {\n    "error": 0,\n    "warning": 0,\n    "info": 0\n  },\n'
        '  "findings": [],\n  "errors": []\n}\n'
    )


def test_unreadable_inputs_are_listed_under_errors() -> None:
    error = ContractSyntaxError(
        "duplicate key `a`", title="could not parse `x.yaml`", location=Location("x.yaml", "", 2, 1)
    )
    data = parse(Report("validate", checked=["x.yaml"], errors=[error]))
    assert data["errors"] == [
        {
            "title": "could not parse `x.yaml`",
            "message": "duplicate key `a`",
            "file": "x.yaml",
            "line": 2,
            "column": 1,
            "tip": None,
        }
    ]


def test_report_to_dict_matches_rendered_output() -> None:
    report = Report("lint", [ERROR, WARNING, OFF], ["orders"])
    assert report_to_dict(report) == parse(report)


def test_registered_as_json() -> None:
    assert isinstance(REPORTERS["json"], JsonReporter)
