from __future__ import annotations

import io

import pytest

import contractkit.reporters
from contractkit import rulebook
from contractkit.findings import Finding, Location, Report, Severity
from contractkit.reporters import REPORTERS, Reporter
from contractkit.reporters.common import (
    counts,
    location_text,
    lookup_rule,
    plural,
    posix_path,
    printable,
    summary_line,
)
from contractkit.rules import registry

FINDINGS = [
    Finding("sample-error", Severity.ERROR, "an error", Location("a.yaml", "/e", 1, 1), hint="fix it", contract="a"),
    Finding("sample-warning", Severity.WARNING, "a warning", Location("a.yaml", "/w", 2, 1), operation="GET /x"),
    Finding("sample-info", Severity.INFO, "an info", Location("b.yaml", "/i", 3, 1)),
    Finding("sample-hidden", Severity.OFF, "turned-off-message", Location("b.yaml", "/o", 4, 1)),
]


@pytest.fixture(autouse=True)
def no_step_summary(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)


def render(name: str, report: Report, *, color: bool = False) -> str:
    stream = io.StringIO()
    REPORTERS[name].render(report, stream, color=color)
    return stream.getvalue()


def test_reporter_names() -> None:
    assert list(REPORTERS) == ["text", "json", "github", "sarif", "junit"]


def test_exported_members() -> None:
    assert contractkit.reporters.__all__ == sorted(contractkit.reporters.__all__, key=lambda n: (not n.isupper(), n))
    for name in contractkit.reporters.__all__:
        assert hasattr(contractkit.reporters, name)


@pytest.mark.parametrize("name", [pytest.param(name, id=name) for name in REPORTERS])
def test_follows_the_protocol(name: str) -> None:
    assert isinstance(REPORTERS[name], Reporter)


@pytest.mark.parametrize("name", [pytest.param(name, id=name) for name in REPORTERS])
def test_off_findings_are_never_shown(name: str) -> None:
    out = render(name, Report("lint", FINDINGS, ["a", "b"]))
    assert "an error" in out
    assert "sample-hidden" not in out
    assert "turned-off-message" not in out


@pytest.mark.parametrize("name", [pytest.param(name, id=name) for name in REPORTERS])
def test_empty_report_renders(name: str) -> None:
    out = render(name, Report("lint"))
    if name == "github":  # nothing to annotate
        assert out == ""
    else:
        assert out.endswith("\n")


@pytest.mark.parametrize(
    ("name", "colored"),
    [pytest.param(name, name == "text", id=name) for name in REPORTERS],
)
def test_only_text_uses_color(name: str, colored: bool) -> None:
    report = Report("lint", FINDINGS, ["a", "b"])
    assert ("\x1b[" in render(name, report, color=True)) is colored
    assert "\x1b[" not in render(name, report, color=False)


@pytest.mark.parametrize(
    ("report", "expected"),
    [
        pytest.param(Report("lint"), "no findings in 0 contracts", id="nothing"),
        pytest.param(Report("lint", FINDINGS[3:], ["a"]), "no findings in 1 contract", id="only-off"),
        pytest.param(Report("lint", FINDINGS, ["a", "b"]), "1 error, 1 warning, 1 info in 2 contracts", id="one-each"),
        pytest.param(
            Report("lint", FINDINGS[:2] * 2, ["a", "b", "c", "d", "e"]),
            "2 errors, 2 warnings, 0 info in 5 contracts",
            id="plurals",
        ),
    ],
)
def test_summary_line(report: Report, expected: str) -> None:
    assert summary_line(report) == expected


@pytest.mark.parametrize(
    ("count", "word", "expected"),
    [
        pytest.param(0, "error", "0 errors", id="zero"),
        pytest.param(1, "error", "1 error", id="one"),
        pytest.param(2, "warning", "2 warnings", id="two"),
        pytest.param(3, "info", "3 info", id="info-is-uncountable"),
    ],
)
def test_plural(count: int, word: str, expected: str) -> None:
    assert plural(count, word) == expected


def test_counts_ignore_off() -> None:
    assert counts(FINDINGS) == {"error": 1, "warning": 1, "info": 1}


@pytest.mark.parametrize(
    ("location", "expected"),
    [
        pytest.param(Location("a.yaml", "/p", 3, 7), "a.yaml:3:7", id="line-and-column"),
        pytest.param(Location("a.yaml", "/p", 3), "a.yaml:3", id="line-only"),
        pytest.param(Location("a.yaml", "/p"), "a.yaml#/p", id="pointer-only"),
        pytest.param(Location("a.yaml"), "a.yaml", id="file-only"),
    ],
)
def test_location_text(location: Location, expected: str) -> None:
    assert location_text(location) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("plain \u00e9\ttab\nline\r", "plain \u00e9\ttab\nline\r", id="kept"),
        pytest.param("\x1b[2J\x07\x00\x7f\x9b", "\\x1b[2J\\x07\\x00\\x7f\\x9b", id="escaped"),
    ],
)
def test_printable(text: str, expected: str) -> None:
    assert printable(text) == expected


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        pytest.param("a/b.yaml", "a/b.yaml", id="posix"),
        pytest.param("a\\b.yaml", "a/b.yaml", id="windows"),
        pytest.param("././a/b.yaml", "a/b.yaml", id="dot-slash"),
    ],
)
def test_posix_path(path: str, expected: str) -> None:
    assert posix_path(path) == expected


def test_lookup_rule_survives_missing_engines(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken_load_all() -> None:
        raise ModuleNotFoundError("No module named 'contractkit.lint.rules'")

    rule = registry.Rule("sample-known", registry.RuleKind.LINT, Severity.WARNING, "a summary")
    monkeypatch.setattr(rulebook, "_load_all", broken_load_all)
    monkeypatch.setitem(registry.RULES, rule.id, rule)
    assert lookup_rule("sample-known") is rule
    assert lookup_rule("sample-unknown") is None


def test_lookup_rule_unknown_id() -> None:
    assert lookup_rule("sample-never-registered") is None
