from __future__ import annotations

import io
import xml.etree.ElementTree as ET

import pytest

from contractkit.findings import Finding, Location, Report, Severity
from contractkit.reporters import REPORTERS, JunitReporter
from contractkit.reporters.common import unique_names
from contractkit.reporters.junit import to_junit, xml_text

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
INFO = Finding(
    "sample-info", Severity.INFO, "no contact", Location("contracts/orders.yaml", "/info"), contract="orders"
)
OFF = Finding(
    "sample-off", Severity.OFF, "hidden finding", Location("contracts/orders.yaml", "", 1, 1), contract="orders"
)
AWKWARD_MESSAGE = (
    "<b>&amp;</b> \"quoted\" 'single' \u00e9 \u6f22\u5b57 \U0001f642\nsecond\r\nbell\x07 nul\x00 \ud800 \ufffe end"
)
AWKWARD = Finding(
    "sample-awkward",
    Severity.ERROR,
    AWKWARD_MESSAGE,
    Location("odd <dir>/\u00e9&.yaml", "/x", 2, 1),
    hint="use `<` \x1b[31m",
)


def render(report: Report) -> str:
    stream = io.StringIO()
    JunitReporter().render(report, stream, color=True)
    return stream.getvalue()


def parse(report: Report) -> ET.Element:
    out = render(report)
    assert out.startswith('<?xml version="1.0" encoding="UTF-8"?>\n')
    assert out.endswith("</testsuites>\n") or out.endswith("/>\n")
    assert out.isascii()
    return ET.fromstring(out.encode("ascii"))


def summary(root: ET.Element) -> list[tuple[str, str, str, str]]:
    """Return (contract, tests, failures, failure types) per suite."""
    rows = []
    for suite in root.iter("testsuite"):
        contract = suite.find("properties/property[@name='contract']")
        assert contract is not None
        types = ",".join(f.get("type", "") for f in suite.iter("failure"))
        rows.append((contract.get("value", ""), suite.get("tests", ""), suite.get("failures", ""), types))
    return rows


@pytest.mark.parametrize(
    ("report", "totals", "suites"),
    [
        pytest.param(Report("lint"), ("0", "0"), [], id="empty"),
        pytest.param(Report("lint", checked=["orders"]), ("1", "0"), [("orders", "1", "0", "")], id="clean-contract"),
        pytest.param(
            Report("lint", [OFF, INFO], ["orders"]), ("1", "0"), [("orders", "1", "0", "")], id="off-and-info-pass"
        ),
        pytest.param(
            Report("lint", [OFF, WARNING, INFO, ERROR], ["orders", "contracts/users.yaml", "billing"]),
            ("3", "2"),
            [
                ("orders", "1", "1", "sample-error"),
                ("contracts/users.yaml", "1", "1", "sample-warning"),
                ("billing", "1", "0", ""),
            ],
            id="every-severity",
        ),
        pytest.param(
            Report("breaking", [WARNING, ERROR], ["orders"]),
            ("2", "2"),
            [("orders", "1", "1", "sample-error"), ("contracts/users.yaml", "1", "1", "sample-warning")],
            id="unchecked-file-gets-a-suite",
        ),
        pytest.param(
            Report("lint", [AWKWARD, AWKWARD], ["./odd <dir>/\u00e9&.yaml"]),
            ("2", "2"),
            [("./odd <dir>/\u00e9&.yaml", "2", "2", "sample-awkward,sample-awkward")],
            id="awkward-message",
        ),
    ],
)
def test_counts(report: Report, totals: tuple[str, str], suites: list[tuple[str, str, str, str]]) -> None:
    root = parse(report)
    assert root.tag == "testsuites"
    assert root.get("name") == f"contractkit {report.command}"
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == (*totals, "0")
    assert summary(root) == suites
    for suite in root.iter("testsuite"):
        assert suite.get("name") == f"contractkit {report.command}"
        assert suite.get("tests") == str(len(suite.findall("testcase")))
        assert suite.get("failures") == str(len(suite.findall("testcase/failure")))


def test_failure_details() -> None:
    root = parse(Report("lint", [ERROR], ["orders"]))
    case = root.find("testsuite/testcase")
    assert case is not None
    assert case.attrib == {
        "classname": "orders",
        "name": "sample-error at contracts/orders.yaml:12:5 in GET /orders",
        "file": "contracts/orders.yaml",
        "line": "12",
    }
    failure = case.find("failure")
    assert failure is not None
    assert failure.attrib == {"type": "sample-error", "message": "operation has no `operationId`"}
    assert failure.text == (
        "error at contracts/orders.yaml:12:5\n"
        "pointer: /paths/~1orders/get\n"
        "operation: GET /orders\n"
        "contract: orders\n"
        "Tip: add a unique `operationId`"
    )


def test_awkward_text_survives_as_far_as_xml_allows() -> None:
    root = parse(Report("lint", [AWKWARD]))
    failure = root.find("testsuite/testcase/failure")
    assert failure is not None
    assert failure.get("message") == (
        "<b>&amp;</b> \"quoted\" 'single' \u00e9 \u6f22\u5b57 \U0001f642\n"
        "second\r\nbell\\x07 nul\\x00 \\ud800 \\ufffe end"
    )
    assert failure.text is not None
    assert failure.text.endswith("Tip: use `<` \\x1b[31m")


def test_info_findings_are_listed_in_system_out() -> None:
    root = parse(Report("lint", [INFO], ["orders"]))
    assert root.findtext("testsuite/system-out") == "contracts/orders.yaml#/info  info  sample-info  no contact"
    case = root.find("testsuite/testcase")
    assert case is not None
    assert case.attrib == {"classname": "orders", "name": "lint"}
    assert len(case) == 0


def test_finding_without_location() -> None:
    finding = Finding("sample-syntax", Severity.ERROR, "not YAML", Location(""))
    case = parse(Report("validate", [finding])).find("testsuite/testcase")
    assert case is not None
    assert case.attrib == {"classname": "validate", "name": "sample-syntax at "}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("plain \u00e9 \U0001f642", "plain \u00e9 \U0001f642", id="allowed"),
        pytest.param("tab\tlf\ncr\r", "tab\tlf\ncr\r", id="allowed-whitespace"),
        pytest.param("bell\x07", "bell\\x07", id="bell"),
        pytest.param("\x00\x1f", "\\x00\\x1f", id="c0"),
        pytest.param("\ud800", "\\ud800", id="lone-surrogate"),
        pytest.param("\ufffe\uffff", "\\ufffe\\uffff", id="non-characters"),
        pytest.param("\x85\x7f", "\x85\x7f", id="c1-and-del-are-allowed"),
    ],
)
def test_xml_text(text: str, expected: str) -> None:
    assert xml_text(text) == expected


def test_to_junit_returns_the_rendered_tree() -> None:
    root = to_junit(Report("lint", [ERROR, WARNING], ["orders"]))
    assert [suite.get("failures") for suite in root] == ["1", "1"]


def test_registered_as_junit() -> None:
    assert isinstance(REPORTERS["junit"], JunitReporter)


def _at(line: int, operation: str | None = None, message: str = "enum value removed") -> Finding:
    where = Location("contracts/orders.yaml", "/components/schemas/Status", line, 5)
    return Finding("request-enum-value-removed", Severity.ERROR, message, where, operation=operation, contract="orders")


@pytest.mark.parametrize(
    ("findings", "names"),
    [
        pytest.param(
            [_at(35, "GET /orders"), _at(35, "POST /orders")],
            [
                "request-enum-value-removed at contracts/orders.yaml:35:5 in GET /orders",
                "request-enum-value-removed at contracts/orders.yaml:35:5 in POST /orders",
            ],
            id="one-shared-change-in-two-operations",
        ),
        pytest.param(
            [_at(35), _at(40)],
            [
                "request-enum-value-removed at contracts/orders.yaml:35:5",
                "request-enum-value-removed at contracts/orders.yaml:40:5",
            ],
            id="same-rule-two-places",
        ),
        pytest.param(
            [_at(35, message="`a` removed"), _at(35, message="`b` removed"), _at(35, message="`c` removed")],
            [
                "request-enum-value-removed at contracts/orders.yaml:35:5",
                "request-enum-value-removed at contracts/orders.yaml:35:5 (2)",
                "request-enum-value-removed at contracts/orders.yaml:35:5 (3)",
            ],
            id="same-rule-same-place-numbered",
        ),
    ],
)
def test_test_case_names_are_unique_in_a_suite(findings: list[Finding], names: list[str]) -> None:
    root = parse(Report("breaking", findings, ["orders"]))
    (suite,) = root.iter("testsuite")
    got = [case.get("name") for case in suite.iter("testcase")]
    assert got == names
    assert len(set(got)) == len(got)


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        pytest.param([], [], id="none"),
        pytest.param(["a", "b"], ["a", "b"], id="distinct"),
        pytest.param(["a", "a", "a"], ["a", "a (2)", "a (3)"], id="repeated"),
        pytest.param(["a (2)", "a", "a"], ["a (2)", "a", "a (3)"], id="a-suffix-already-taken"),
    ],
)
def test_unique_names(names: list[str], expected: list[str]) -> None:
    assert unique_names(names) == expected
