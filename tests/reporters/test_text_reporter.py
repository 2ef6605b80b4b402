from __future__ import annotations

import io

import pytest

from contractkit.errors import InputError
from contractkit.findings import Finding, Location, Report, Severity
from contractkit.reporters import REPORTERS, TextReporter
from contractkit.reporters.text import format_finding

ERROR = Finding(
    "sample-error",
    Severity.ERROR,
    "operation has no `operationId`",
    Location("contracts/orders.yaml", "/paths/~1orders/get", 12, 5),
    operation="GET /orders",
    hint="add a unique `operationId`",
    contract="orders",
)
WARNING = Finding(
    "sample-warning",
    Severity.WARNING,
    "path `/users/` ends with a slash",
    Location("contracts/users.yaml", "/paths/~1users~1", 3),
    contract="users",
)
INFO = Finding(
    "sample-info",
    Severity.INFO,
    "`info.contact` is missing",
    Location("contracts/orders.yaml", "/info"),
    hint="add a contact",
)
OFF = Finding("sample-off", Severity.OFF, "hidden finding", Location("contracts/orders.yaml", "", 1, 1))
AWKWARD = Finding(
    "sample-awkward",
    Severity.ERROR,
    '100% <&"> \u00e9 \u6f22\u5b57\nsecond line\r\nthird \x07\x1b[31m end',
    Location("contracts/odd file.yaml", "/x", 7, 1),
    operation="SEND order.created",
    hint="first\nsecond",
)


def render(report: Report, *, color: bool = False) -> str:
    stream = io.StringIO()
    TextReporter().render(report, stream, color=color)
    return stream.getvalue()


@pytest.mark.parametrize(
    ("report", "expected"),
    [
        pytest.param(Report("lint"), "no findings in 0 contracts\n", id="empty"),
        pytest.param(Report("lint", checked=["orders"]), "no findings in 1 contract\n", id="empty-one-contract"),
        pytest.param(Report("lint", [OFF], ["a", "b"]), "no findings in 2 contracts\n", id="only-off"),
        # A contract that could not be read was not checked: never "no findings in 1 contract" for it.
        pytest.param(
            Report("validate", [], ["broken.yaml"], [InputError("bad")]),
            "could not read 1 contract (errors on stderr)\n",
            id="nothing-readable",
        ),
        pytest.param(
            Report("validate", [], ["a", "broken.yaml", "b"], [InputError("bad")]),
            "no findings in 2 contracts; could not read 1 more contract (errors on stderr)\n",
            id="some-readable",
        ),
        pytest.param(
            Report("validate", [OFF], ["x.yaml", "y.yaml"], [InputError("bad"), InputError("worse")]),
            "could not read 2 contracts (errors on stderr)\n",
            id="none-readable-of-two",
        ),
        pytest.param(
            Report("lint", [OFF, WARNING, ERROR, INFO], ["orders", "users", "billing"]),
            "contracts/orders.yaml#/info  info     sample-info  `info.contact` is missing\n"
            "  Tip: add a contact\n"
            "contracts/orders.yaml:12:5  error    sample-error  operation has no `operationId`\n"
            "  in GET /orders (contract orders)\n"
            "  Tip: add a unique `operationId`\n"
            "\n"
            "contracts/users.yaml:3  warning  sample-warning  path `/users/` ends with a slash\n"
            "  in contract users\n"
            "\n"
            "1 error, 1 warning, 1 info in 3 contracts\n",
            id="every-severity",
        ),
        pytest.param(
            Report("breaking", [ERROR, ERROR], ["orders"]),
            "contracts/orders.yaml:12:5  error    sample-error  operation has no `operationId`\n"
            "  in GET /orders (contract orders)\n"
            "  Tip: add a unique `operationId`\n"
            "contracts/orders.yaml:12:5  error    sample-error  operation has no `operationId`\n"
            "  in GET /orders (contract orders)\n"
            "  Tip: add a unique `operationId`\n"
            "\n"
            "2 errors, 0 warnings, 0 info in 1 contract\n",
            id="plurals",
        ),
        pytest.param(
            Report("lint", [AWKWARD], ["odd"]),
            'contracts/odd file.yaml:7:1  error    sample-awkward  100% <&"> \u00e9 \u6f22\u5b57\n'
            "  second line\n"
            "  third \\x07\\x1b[31m end\n"
            "  in SEND order.created\n"
            "  Tip: first\n"
            "       second\n"
            "\n"
            "1 error, 0 warnings, 0 info in 1 contract\n",
            id="awkward-message",
        ),
        pytest.param(
            Report("validate", [Finding("sample-syntax", Severity.ERROR, "not YAML", Location("broken.yaml"))]),
            "broken.yaml  error    sample-syntax  not YAML\n\n1 error, 0 warnings, 0 info in 0 contracts\n",
            id="no-line-no-pointer",
        ),
    ],
)
def test_render(report: Report, expected: str) -> None:
    assert render(report) == expected


def test_render_does_not_reorder_the_report() -> None:
    report = Report("lint", [WARNING, ERROR])
    render(report)
    assert report.findings == [WARNING, ERROR]


def test_color_wraps_parts_and_keeps_columns() -> None:
    out = render(Report("lint", [ERROR, WARNING], ["orders"]), color=True)
    assert out.splitlines()[0] == (
        "\x1b[1mcontracts/orders.yaml:12:5\x1b[0m  \x1b[1;31merror\x1b[0m    "
        "\x1b[2msample-error\x1b[0m  operation has no `operationId`"
    )
    assert "  \x1b[32mTip:\x1b[0m add a unique `operationId`" in out
    assert out.endswith("\x1b[1;31m1 error, 1 warning, 0 info in 1 contract\x1b[0m\n")


def test_color_summary_without_errors_is_bold() -> None:
    assert render(Report("lint", [WARNING]), color=True).endswith(
        "\x1b[1m0 errors, 1 warning, 0 info in 0 contracts\x1b[0m\n"
    )


def test_no_color_means_no_escape_codes() -> None:
    assert "\x1b[" not in render(Report("lint", [ERROR, WARNING, INFO]))


@pytest.mark.parametrize(
    ("finding", "expected"),
    [
        pytest.param(
            WARNING,
            [
                "contracts/users.yaml:3  warning  sample-warning  path `/users/` ends with a slash",
                "  in contract users",
            ],
            id="contract-only",
        ),
        pytest.param(
            INFO,
            ["contracts/orders.yaml#/info  info     sample-info  `info.contact` is missing", "  Tip: add a contact"],
            id="pointer-no-line",
        ),
    ],
)
def test_format_finding(finding: Finding, expected: list[str]) -> None:
    assert format_finding(finding) == expected


def test_text_is_the_default_reporter() -> None:
    assert next(iter(REPORTERS)) == "text"
    assert isinstance(REPORTERS["text"], TextReporter)
