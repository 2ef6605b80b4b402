from __future__ import annotations

import io
from pathlib import Path

import pytest

from contractkit.findings import Finding, Location, Report, Severity
from contractkit.reporters import REPORTERS, GithubReporter, Reporter
from contractkit.reporters.github import annotation, escape_data, escape_property, step_summary

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
    "sample-warning", Severity.WARNING, "path `/users/` ends with a slash", Location("contracts/users.yaml", "/p", 3)
)
INFO = Finding("sample-info", Severity.INFO, "`info.contact` is missing", Location("contracts/orders.yaml", "/info"))
OFF = Finding("sample-off", Severity.OFF, "hidden finding", Location("contracts/orders.yaml", "", 1, 1))
AWKWARD = Finding(
    "sample-awkward",
    Severity.WARNING,
    '100% <&"> \u00e9 a|b `x|<y>`\nsecond\r\nthird \x07 end',
    Location("contracts\\odd, file:1.yaml", "/x", 7, 2),
)


@pytest.fixture(autouse=True)
def no_step_summary(monkeypatch: pytest.MonkeyPatch) -> None:
    # Tests may run inside GitHub Actions, where the real summary file must not be written to.
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)


def render(report: Report, reporter: Reporter | None = None) -> str:
    stream = io.StringIO()
    (reporter or GithubReporter()).render(report, stream, color=True)
    return stream.getvalue()


@pytest.mark.parametrize(
    ("report", "expected"),
    [
        pytest.param(Report("lint"), "", id="empty"),
        pytest.param(Report("lint", [OFF], ["orders"]), "", id="only-off"),
        pytest.param(
            Report("lint", [OFF, WARNING, INFO, ERROR], ["orders", "users"]),
            "::notice file=contracts/orders.yaml,title=sample-info::`info.contact` is missing\n"
            "::error file=contracts/orders.yaml,line=12,col=5,title=sample-error::operation has no `operationId`"
            "%0ATip: add a unique `operationId`\n"
            "::warning file=contracts/users.yaml,line=3,title=sample-warning::path `/users/` ends with a slash\n",
            id="every-severity",
        ),
        pytest.param(
            Report("lint", [AWKWARD]),
            "::warning file=contracts/odd%2C file%3A1.yaml,line=7,col=2,title=sample-awkward::"
            '100%25 <&"> \u00e9 a|b `x|<y>`%0Asecond%0D%0Athird \\x07 end\n',
            id="awkward-message",
        ),
        pytest.param(
            Report("validate", [Finding("sample-syntax", Severity.ERROR, "not YAML", Location(""))]),
            "::error title=sample-syntax::not YAML\n",
            id="no-file",
        ),
    ],
)
def test_render(report: Report, expected: str) -> None:
    assert render(report) == expected


@pytest.mark.parametrize(
    ("text", "data", "prop"),
    [
        pytest.param("plain", "plain", "plain", id="plain"),
        pytest.param("100%", "100%25", "100%25", id="percent"),
        pytest.param("%0A", "%250A", "%250A", id="already-escaped-looking"),
        pytest.param("a\r\nb", "a%0D%0Ab", "a%0D%0Ab", id="crlf"),
        pytest.param("a:b,c", "a:b,c", "a%3Ab%2Cc", id="colon-comma"),
        pytest.param("::error::x", "::error::x", "%3A%3Aerror%3A%3Ax", id="command-lookalike"),
    ],
)
def test_escape(text: str, data: str, prop: str) -> None:
    assert escape_data(text) == data
    assert escape_property(text) == prop


def test_a_message_cannot_start_a_second_command() -> None:
    finding = Finding("sample-error", Severity.ERROR, "x\n::error::injected", Location("a.yaml"))
    assert "\n" not in annotation(finding)


def test_step_summary_is_appended(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    out = render(Report("lint", [ERROR, WARNING, INFO, OFF, AWKWARD], ["orders", "users"]), REPORTERS["github"])
    assert out.count("\n") == 4
    assert summary.read_text(encoding="utf-8") == (
        "earlier step\n"
        "\n### contractkit lint\n\n"
        "1 error, 2 warnings, 1 info in 2 contracts\n\n"
        "| Severity | Rule | Location | Operation | Message | Tip |\n"
        "| --- | --- | --- | --- | --- | --- |\n"
        "| info | `sample-info` | contracts/orders.yaml#/info |  | `info.contact` is missing |  |\n"
        "| error | `sample-error` | contracts/orders.yaml:12:5 | GET /orders | "
        "operation has no `operationId` | add a unique `operationId` |\n"
        "| warning | `sample-warning` | contracts/users.yaml:3 |  | path `/users/` ends with a slash |  |\n"
        "| warning | `sample-awkward` | contracts/odd, file:1.yaml:7:2 |  | "
        '100% &lt;&amp;"&gt; \u00e9 a\\|b `x\\|<y>`<br>second<br>third \\x07 end |  |\n'
        "\n"
    )


def test_step_summary_without_findings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    assert render(Report("breaking", [OFF], ["orders"])) == ""
    assert summary.read_text(encoding="utf-8") == "\n### contractkit breaking\n\nno findings in 1 contract\n\n"


def test_environ_parameter_wins_over_os_environ(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    ignored, used = tmp_path / "ignored.md", tmp_path / "used.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(ignored))
    render(Report("lint", [ERROR]), GithubReporter(environ={"GITHUB_STEP_SUMMARY": str(used)}))
    assert not ignored.exists()
    assert "| error | `sample-error` |" in used.read_text(encoding="utf-8")


def test_no_summary_file_when_unset(tmp_path: Path) -> None:
    render(Report("lint", [ERROR]), GithubReporter(environ={}))
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("errors", "warnings", "environ", "notice"),
    [
        pytest.param(10, 10, {}, None, id="at-the-limit"),
        pytest.param(
            11,
            0,
            {},
            "GitHub shows only 10 errors and 10 warnings per step; the text format lists all",
            id="errors-over",
        ),
        pytest.param(
            0,
            12,
            {"GITHUB_STEP_SUMMARY": "summary.md"},
            "GitHub shows only 10 errors and 10 warnings per step; all 12 are in the job summary",
            id="warnings-over-with-summary",
        ),
    ],
)
def test_over_the_annotation_limit(
    errors: int,
    warnings: int,
    environ: dict[str, str],
    notice: str | None,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    monkeypatch.chdir(tmp_path)
    findings = [Finding("sample-error", Severity.ERROR, f"e{i}", Location("a.yaml", "", i + 1)) for i in range(errors)]
    findings += [
        Finding("sample-warning", Severity.WARNING, f"w{i}", Location("b.yaml", "", i + 1)) for i in range(warnings)
    ]
    lines = render(Report("lint", findings), GithubReporter(environ=environ)).splitlines()
    assert len(lines) == errors + warnings + (notice is not None)
    if notice is not None:
        assert lines[-1] == f"::notice title=contractkit::{notice}"


def test_step_summary_function_escapes_the_command() -> None:
    assert step_summary(Report("a|<b>")).startswith("\n### contractkit a\\|&lt;b&gt;\n")
