"""The changelog view (verdict, grouping by operation) and how change reports render in every format."""

from __future__ import annotations

import dataclasses
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from contractkit.breaking.changelog import Changelog, ChangeReport, Verdict, is_breaking, previous_location
from contractkit.findings import Finding, Location, Report, Severity
from contractkit.reporters import BREAKING_REPORTERS, CHANGELOG_REPORTERS, Reporter
from contractkit.reporters.markdown import markdown_cell, render_markdown

ORDERS = "contracts/b2b-orders/openapi.yaml"
BASE = "HEAD~1:contracts/b2b-orders/openapi.yaml"


def change(
    rule: str,
    level: Severity,
    operation: str | None,
    *,
    contract: str | None = "b2b-orders",
    accepted: str | None = None,
    fix: str | None = None,
    line: int = 10,
    base: Location | None = None,
) -> Finding:
    return Finding(
        rule,
        level,
        f"{rule} in {operation or 'the contract'}",
        Location(ORDERS, "/paths/~1orders", line, 3),
        operation=operation,
        hint=fix,
        contract=contract,
        base_location=base,
        accepted=accepted,
    )


PATH_REMOVED = change(
    "api-path-removed",
    Severity.ERROR,
    "DELETE /orders/{id}",
    fix="deprecate it first",
    base=Location(BASE, "/paths/~1orders~1{id}", 40, 3),
)
PARAM_REMOVED = change("request-parameter-removed", Severity.WARNING, "GET /orders", fix="deprecate the parameter")
PROPERTY_ADDED = change("response-property-added", Severity.INFO, "GET /orders")
PATH_ADDED = change("api-path-added", Severity.INFO, "POST /orders")
ACCEPTED = change("api-operation-removed", Severity.ERROR, "GET /orders", accepted="approved in PLAT-7", fix="keep it")
CONTRACT_ADDED = change("contract-added", Severity.INFO, None, contract="model-files")
EXPIRED = Finding(
    "ignore-expired",
    Severity.WARNING,
    "the ignore entry for `x` expired on 2024-01-01",
    Location("contracts/breaking-ignores.yaml", "/ignores/0", 2, 5),
    hint="remove the entry",
)
ALL = [PROPERTY_ADDED, PATH_ADDED, PARAM_REMOVED, ACCEPTED, CONTRACT_ADDED, PATH_REMOVED, EXPIRED]


@pytest.mark.parametrize(
    ("verdict", "text"),
    [
        pytest.param(Verdict(), "0 breaking · 0 possibly breaking · 0 compatible", id="nothing"),
        pytest.param(Verdict(2, 1, 5), "2 breaking · 1 possibly breaking · 5 compatible", id="counts"),
        pytest.param(Verdict(0, 0, 1, 3), "0 breaking · 0 possibly breaking · 1 compatible · 3 accepted", id="acc"),
    ],
)
def test_verdict_text(verdict: Verdict, text: str) -> None:
    assert str(verdict) == text


def test_changelog_groups_by_contract_then_operation() -> None:
    log = Changelog.of(ALL)
    assert log.verdict == Verdict(breaking=1, possibly_breaking=1, compatible=3, accepted=1)
    assert [g.title for g in log.groups] == [
        "GET /orders (b2b-orders)",
        "POST /orders (b2b-orders)",
        "DELETE /orders/{id} (b2b-orders)",
        "outside operations (model-files)",
    ]
    # Within a group: breaking first (accepted ones by their level), then by rule id.
    assert [f.rule_id for f in log.groups[0].changes] == [
        "api-operation-removed",
        "request-parameter-removed",
        "response-property-added",
    ]
    assert log.notes == (EXPIRED,)
    assert log.groups[0].worst is Severity.WARNING  # the error there is accepted


def test_changelog_levels_and_accepted_views() -> None:
    log = Changelog.of(ALL)
    assert [g.title for g in log.changes(Severity.ERROR)] == ["DELETE /orders/{id} (b2b-orders)"]
    assert [g.title for g in log.changes(Severity.INFO)] == [
        "GET /orders (b2b-orders)",
        "POST /orders (b2b-orders)",
        "outside operations (model-files)",
    ]
    assert [f.rule_id for g in log.accepted() for f in g.changes] == ["api-operation-removed"]


@pytest.mark.parametrize(
    ("findings", "expected"),
    [
        pytest.param([], False, id="nothing"),
        pytest.param([PARAM_REMOVED, PROPERTY_ADDED], False, id="no-error"),
        pytest.param([PATH_REMOVED], True, id="error"),
        pytest.param([ACCEPTED], False, id="accepted-error"),
        pytest.param([dataclasses.replace(EXPIRED, severity=Severity.ERROR)], False, id="note-not-a-change"),
    ],
)
def test_is_breaking(findings: list[Finding], expected: bool) -> None:
    assert is_breaking(findings) is expected


@pytest.mark.parametrize(
    ("base", "revision", "shown"),
    [
        pytest.param(None, Location(ORDERS, "/a", 1, 1), False, id="addition"),
        pytest.param(Location(BASE, "/a", 3, 1), Location(ORDERS, "/a", 1, 1), False, id="same-node-git"),
        pytest.param(Location("old/openapi.yaml", "/a"), Location("new/openapi.yaml", "/a"), False, id="same-node"),
        pytest.param(Location(BASE, "/a/b", 3, 1), Location(ORDERS, "/a", 1, 1), True, id="removal"),
        pytest.param(Location("old/a.yaml", "/X"), Location("new/b.yaml", "/X"), True, id="moved-file"),
    ],
)
def test_previous_location(base: Location | None, revision: Location, shown: bool) -> None:
    finding = Finding("x", Severity.ERROR, "m", revision, base_location=base)
    assert previous_location(finding) == (base if shown else None)


def render(reporters: dict[str, Reporter], name: str, report: Report) -> str:
    stream = io.StringIO()
    reporters[name].render(report, stream, color=False)
    return stream.getvalue()


def report(findings: list[Finding], command: str = "changelog") -> ChangeReport:
    return ChangeReport(command, findings, ["b2b-orders", "model-files"])


def test_markdown_shape() -> None:
    text = render_markdown(report(ALL))
    lines = text.splitlines()
    assert lines[0] == "**1 breaking · 1 possibly breaking · 3 compatible · 1 accepted** in 2 contracts"
    order = [
        "### Breaking changes",
        "**`DELETE /orders/{id}`** · b2b-orders",
        "| change | where | fix |",
        "| api-path-removed in DELETE /orders/{id} (`api-path-removed`) | `contracts/b2b-orders/openapi.yaml:10:3`"
        "<br>was `HEAD~1:contracts/b2b-orders/openapi.yaml:40:3` | deprecate it first |",
        "### Accepted changes",
        "| change | where | accepted because |",
        "approved in PLAT-7",
        "> **Note**: the ignore entry for `x` expired on 2024-01-01",
        "<details>",
        "<summary>1 possibly breaking change</summary>",
        "| request-parameter-removed in GET /orders (`request-parameter-removed`) |",
        "</details>",
        "<summary>3 compatible changes</summary>",
        "| change | where |",
        "**outside operations** · model-files",
        "</details>",
        "<!-- contractkit:changelog -->",
    ]
    position = 0
    for needle in order:
        found = text.find(needle, position)
        assert found >= 0, f"{needle!r} missing or out of order in:\n{text}"
        position = found + len(needle)
    assert text.endswith("<!-- contractkit:changelog -->\n")
    # Compatible changes are folded: nothing about them before the first <details>.
    assert "response-property-added" not in text[: text.index("<details>")]


def test_markdown_without_changes() -> None:
    text = render_markdown(ChangeReport("breaking", [], ["mes"], skipped=[("order-events", "no engine yet")]))
    assert text.splitlines()[0] == "**0 breaking · 0 possibly breaking · 0 compatible** in 1 contract"
    assert "> **Note**: `order-events` was not compared: no engine yet" in text
    assert "No change." in text
    assert "<details>" not in text


@pytest.mark.parametrize(
    ("text", "cell"),
    [
        pytest.param("a | b", "a \\| b", id="pipe"),
        pytest.param("<script>x</script>", "&lt;script&gt;x&lt;/script&gt;", id="html"),
        pytest.param("keep `<b>` code", "keep `<b>` code", id="code-span"),
        pytest.param("two\nlines", "two<br>lines", id="newline"),
        pytest.param("bell\x07", "bell\\x07", id="control"),
    ],
)
def test_markdown_cell(text: str, cell: str) -> None:
    assert markdown_cell(text) == cell


def test_changelog_text_groups_by_operation() -> None:
    out = render(CHANGELOG_REPORTERS, "text", report(ALL))
    blocks = out.split("\n\n")
    assert blocks[0].splitlines()[0] == "GET /orders (b2b-orders)"
    assert blocks[0].splitlines()[1].split() == [
        "accepted",
        "api-operation-removed",
        "api-operation-removed",
        "in",
        "GET",
        "/orders",
    ]
    assert "accepted (error): approved in PLAT-7" in blocks[0]
    assert "was at HEAD~1:contracts/b2b-orders/openapi.yaml:40:3" in out
    assert "about this run" in out
    assert out.endswith("1 breaking · 1 possibly breaking · 3 compatible · 1 accepted in 2 contracts\n")


def test_changelog_json_shape() -> None:
    data = json.loads(render(CHANGELOG_REPORTERS, "json", report(ALL)))
    assert list(data) == ["breaking", "summary", "checked", "operations", "notes", "versions"]
    assert data["breaking"] is True
    assert data["summary"] == {"breaking": 1, "possibly_breaking": 1, "compatible": 3, "accepted": 1}
    assert [(g["contract"], g["operation"]) for g in data["operations"]] == [
        ("b2b-orders", "GET /orders"),
        ("b2b-orders", "POST /orders"),
        ("b2b-orders", "DELETE /orders/{id}"),
        ("model-files", None),
    ]
    assert [n["id"] for n in data["notes"]] == ["ignore-expired"]


def test_breaking_text_counts_compatible_changes_without_listing_them() -> None:
    out = render(BREAKING_REPORTERS, "text", report(ALL, "breaking"))
    assert "api-path-removed" in out
    assert "request-parameter-removed" in out
    assert "accepted: approved in PLAT-7" in out
    assert "ignore-expired" in out
    assert "response-property-added" not in out
    assert out.splitlines()[-1] == (
        "1 breaking · 1 possibly breaking · 3 compatible · 1 accepted in 2 contracts "
        "(compatible changes: `contractkit changelog` lists them)"
    )


def test_accepted_changes_never_fail_junit() -> None:
    root = ET.fromstring(render(BREAKING_REPORTERS, "junit", report([ACCEPTED, PARAM_REMOVED], "breaking")))
    assert root.get("failures") == "1"
    assert "approved in PLAT-7" in ET.tostring(root, encoding="unicode")


def test_github_annotates_breaking_and_accepted_but_not_compatible(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    lines = render(BREAKING_REPORTERS, "github", report(ALL, "breaking")).splitlines()
    levels = sorted((line.split(" ", 1)[0], line.split("title=")[1].split("::")[0]) for line in lines)
    assert levels == [
        ("::error", "api-path-removed"),
        ("::notice", "api-operation-removed"),
        ("::warning", "ignore-expired"),
        ("::warning", "request-parameter-removed"),
    ]
    accepted = next(line for line in lines if line.startswith("::notice"))
    assert accepted.endswith("%0AAccepted (error): approved in PLAT-7")


def test_github_job_summary_is_the_markdown(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    render(CHANGELOG_REPORTERS, "github", report(ALL))
    text = summary.read_text(encoding="utf-8")
    assert "### contractkit changelog" in text
    assert "**1 breaking · 1 possibly breaking · 3 compatible · 1 accepted** in 2 contracts" in text
