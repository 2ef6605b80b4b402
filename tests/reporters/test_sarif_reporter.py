from __future__ import annotations

import dataclasses
import importlib.metadata
import io
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from contractkit.findings import Finding, Location, Report, Severity
from contractkit.reporters import REPORTERS, SarifReporter
from contractkit.reporters.sarif import FINGERPRINT_KEY, artifact_uri, fingerprint, to_sarif, tool_version
from contractkit.rules import registry

SCHEMA_PATH = Path(__file__).parent / "data" / "sarif-schema-2.1.0.json"
AWKWARD_MESSAGE = '100% <&"> \u00e9 \u6f22\u5b57 \U0001f642\nsecond\r\nthird \x07 end'

ERROR = Finding(
    "sample-error",
    Severity.ERROR,
    "operation has no `operationId`",
    Location("contracts/orders.yaml", "/paths/~1orders/get", 12, 5),
    operation="GET /orders",
    hint="add a unique `operationId`",
    contract="orders",
)
WARNING = Finding("sample-warning", Severity.WARNING, "slash", Location("contracts\\users.yaml", "/paths", 3))
INFO = Finding("sample-info", Severity.INFO, "no contact", Location("contracts/orders.yaml", "/info"))
OFF = Finding("sample-off", Severity.OFF, "hidden finding", Location("contracts/orders.yaml", "", 1, 1))
AWKWARD = Finding("sample-awkward", Severity.ERROR, AWKWARD_MESSAGE, Location("odd dir/\u00e9 #1.yaml", "", 2, 1))
SECOND_ERROR = dataclasses.replace(ERROR, message="another", location=Location("contracts/orders.yaml", "/x", 20, 1))


def render(report: Report) -> dict[str, Any]:
    stream = io.StringIO()
    SarifReporter().render(report, stream, color=True)
    out = stream.getvalue()
    assert out.endswith("}\n")
    data: dict[str, Any] = json.loads(out)
    return data


@pytest.fixture(scope="module")
def validator() -> jsonschema.protocols.Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    result: jsonschema.protocols.Validator = cls(schema)
    return result


@pytest.mark.parametrize(
    ("report", "rule_ids", "levels"),
    [
        pytest.param(Report("lint"), [], [], id="empty"),
        pytest.param(Report("lint", [OFF]), [], [], id="only-off"),
        pytest.param(
            Report("lint", [OFF, WARNING, INFO, ERROR], ["orders", "users"]),
            ["sample-error", "sample-info", "sample-warning"],
            ["note", "error", "warning"],
            id="every-severity",
        ),
        pytest.param(Report("lint", [AWKWARD]), ["sample-awkward"], ["error"], id="awkward-message"),
        pytest.param(
            Report("lint", [ERROR, SECOND_ERROR, WARNING]),
            ["sample-error", "sample-warning"],
            ["error", "error", "warning"],
            id="shared-rule",
        ),
    ],
)
def test_valid_sarif(
    report: Report, rule_ids: list[str], levels: list[str], validator: jsonschema.protocols.Validator
) -> None:
    data = render(report)
    validator.validate(data)
    assert data["version"] == "2.1.0"
    assert data["$schema"].endswith("sarif-schema-2.1.0.json")
    (run,) = data["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "contractkit"
    assert driver["version"] == tool_version()
    assert driver["informationUri"].startswith("https://")
    assert sorted(rule["id"] for rule in driver["rules"]) == rule_ids
    assert [result["level"] for result in run["results"]] == levels
    for result in run["results"]:
        assert driver["rules"][result["ruleIndex"]]["id"] == result["ruleId"]


@pytest.mark.parametrize(
    "pointer",
    [
        pytest.param(("runs", 0, "results", 0, "level"), id="bad-level"),
        pytest.param(("runs", 0, "results", 0, "locations", 0, "physicalLocation", "region", "startLine"), id="line-0"),
    ],
)
def test_the_schema_catches_mistakes(pointer: tuple[str | int, ...], validator: jsonschema.protocols.Validator) -> None:
    data = render(Report("lint", [ERROR]))
    node: Any = data
    for key in pointer[:-1]:
        node = node[key]
    node[pointer[-1]] = "fatal" if pointer[-1] == "level" else 0
    with pytest.raises(jsonschema.ValidationError):
        validator.validate(data)


def test_result_fields() -> None:
    (result,) = render(Report("lint", [ERROR]))["runs"][0]["results"]
    assert result == {
        "ruleId": "sample-error",
        "ruleIndex": 0,
        "level": "error",
        "message": {"text": "operation has no `operationId`"},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": "contracts/orders.yaml"},
                    "region": {"startLine": 12, "startColumn": 5},
                },
                "logicalLocations": [{"fullyQualifiedName": "/paths/~1orders/get"}],
            }
        ],
        "partialFingerprints": {FINGERPRINT_KEY: fingerprint(ERROR)},
        "properties": {"operation": "GET /orders", "hint": "add a unique `operationId`", "contract": "orders"},
    }


@pytest.mark.parametrize(
    ("location", "expected"),
    [
        pytest.param(Location("a.yaml", "/p", 3, 0), {"startLine": 3}, id="line-only"),
        pytest.param(Location("a.yaml", "/p", 0, 0), None, id="no-line"),
    ],
)
def test_region(location: Location, expected: dict[str, int] | None) -> None:
    finding = dataclasses.replace(INFO, location=location)
    (result,) = render(Report("lint", [finding]))["runs"][0]["results"]
    assert result["locations"][0]["physicalLocation"].get("region") == expected


def test_no_file_and_no_pointer_means_no_location(validator: jsonschema.protocols.Validator) -> None:
    data = render(Report("validate", [dataclasses.replace(INFO, location=Location(""))]))
    validator.validate(data)
    assert "locations" not in data["runs"][0]["results"][0]


def test_awkward_message_round_trips() -> None:
    (result,) = render(Report("lint", [AWKWARD]))["runs"][0]["results"]
    assert result["message"]["text"] == AWKWARD_MESSAGE
    assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "odd%20dir/%C3%A9%20%231.yaml"


@pytest.mark.parametrize(
    ("path", "uri"),
    [
        pytest.param("contracts/orders.yaml", "contracts/orders.yaml", id="relative"),
        pytest.param("contracts\\orders.yaml", "contracts/orders.yaml", id="backslashes"),
        pytest.param("./contracts/orders.yaml", "contracts/orders.yaml", id="dot-slash"),
        pytest.param("v1:contracts/orders.yaml", "v1%3Acontracts/orders.yaml", id="git-ref-is-not-a-scheme"),
        pytest.param("/abs/a b.yaml", "file:///abs/a%20b.yaml", id="posix-absolute"),
        pytest.param("C:\\work\\a.yaml", "file:///C:/work/a.yaml", id="windows-absolute"),
        pytest.param("\\\\server\\share\\a.yaml", "file://server/share/a.yaml", id="windows-unc"),
        pytest.param("https://example.com/api.yaml", "https://example.com/api.yaml", id="url"),
    ],
)
def test_artifact_uri(path: str, uri: str) -> None:
    assert artifact_uri(path) == uri


@pytest.mark.parametrize(
    ("changed", "same"),
    [
        pytest.param(
            {"location": Location("contracts/orders.yaml", "/paths/~1orders/get", 40, 1)}, True, id="line-moved"
        ),
        pytest.param({"severity": Severity.WARNING, "hint": "other"}, True, id="severity-and-hint"),
        pytest.param(
            {"location": Location("contracts\\orders.yaml", "/paths/~1orders/get", 12, 5)}, True, id="slashes"
        ),
        pytest.param({"message": "other message"}, False, id="message"),
        pytest.param({"rule_id": "sample-other"}, False, id="rule"),
        pytest.param({"location": Location("contracts/users.yaml", "/paths/~1orders/get", 12, 5)}, False, id="file"),
        pytest.param(
            {"location": Location("contracts/orders.yaml", "/paths/~1orders/put", 12, 5)}, False, id="pointer"
        ),
    ],
)
def test_fingerprint_survives_line_shifts_only(changed: dict[str, Any], same: bool) -> None:
    assert (fingerprint(dataclasses.replace(ERROR, **changed)) == fingerprint(ERROR)) is same


def test_unregistered_rule_is_described_by_its_id() -> None:
    (rule,) = render(Report("lint", [WARNING]))["runs"][0]["tool"]["driver"]["rules"]
    assert rule == {
        "id": "sample-warning",
        "shortDescription": {"text": "sample-warning"},
        "defaultConfiguration": {"level": "warning"},
    }


def test_registered_rule_uses_the_registry(monkeypatch: pytest.MonkeyPatch) -> None:
    rule = registry.Rule(
        id="sample-registered",
        kind=registry.RuleKind.LINT,
        severity=Severity.OFF,
        summary="operations need an id for generated clients",
        doc="Generated SDKs name methods after it.",
    )
    monkeypatch.setitem(registry.RULES, rule.id, rule)
    finding = dataclasses.replace(ERROR, rule_id=rule.id)
    (descriptor,) = render(Report("lint", [finding]))["runs"][0]["tool"]["driver"]["rules"]
    assert descriptor == {
        "id": "sample-registered",
        "shortDescription": {"text": "operations need an id for generated clients"},
        "fullDescription": {"text": "Generated SDKs name methods after it."},
        "defaultConfiguration": {"level": "none"},
    }


def test_to_sarif_matches_rendered_output() -> None:
    report = Report("lint", [ERROR, WARNING, OFF])
    assert to_sarif(report) == render(report)


def test_registered_as_sarif() -> None:
    assert isinstance(REPORTERS["sarif"], SarifReporter)


def test_tool_version_without_distribution(monkeypatch: pytest.MonkeyPatch) -> None:
    def not_installed(name: str) -> str:
        raise importlib.metadata.PackageNotFoundError(name)

    monkeypatch.setattr(importlib.metadata, "version", not_installed)
    assert tool_version() == "0"
    assert render(Report("lint"))["runs"][0]["tool"]["driver"]["version"] == "0"
