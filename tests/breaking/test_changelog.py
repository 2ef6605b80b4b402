"""The changelog view (verdict, one change per cause with its operations) and how change reports render."""

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

# One change in a shared schema, found in each of the three operations that reach it; an ignore entry accepts it
# for one of them only.
STATUS = Location(ORDERS, "/components/schemas/Status", 80, 5)
SHARED = [
    Finding(
        "response-closed-enum-value-added",
        Severity.ERROR,
        f'enum value(s) `"c"` added to `{where}` in the response `200` `application/json`',
        STATUS,
        operation=operation,
        hint="add the value in a new major version",
        contract="b2b-orders",
        base_location=Location(BASE, "/components/schemas/Status", 78, 5),
        change='enum value(s) `"c"` added to `Status`',
        accepted=accepted,
    )
    for operation, where, accepted in (
        ("GET /orders", "items[].status", None),
        ("GET /orders/{id}", "status", None),
        ("POST /orders", "status", "partners never create orders in status `c` (PLAT-8)"),
    )
]


@pytest.mark.parametrize(
    ("verdict", "text"),
    [
        pytest.param(Verdict(), "0 breaking · 0 possibly breaking · 0 compatible", id="nothing"),
        pytest.param(Verdict(2, 1, 5), "2 breaking · 1 possibly breaking · 5 compatible", id="counts"),
        pytest.param(Verdict(0, 0, 1, 3), "0 breaking · 0 possibly breaking · 1 compatible · 3 accepted", id="acc"),
        pytest.param(
            Verdict(breaking=1, breaking_operations=3),
            "1 breaking (in 3 operations) · 0 possibly breaking · 0 compatible",
            id="one-change-in-several-operations",
        ),
        pytest.param(
            Verdict(breaking=2, breaking_operations=1),
            "2 breaking (in 1 operation) · 0 possibly breaking · 0 compatible",
            id="several-changes-in-one-operation",
        ),
        pytest.param(
            Verdict(breaking=2, possibly_breaking=1, breaking_operations=2, possibly_breaking_operations=1),
            "2 breaking · 1 possibly breaking · 0 compatible",
            id="one-operation-per-change-is-not-said",
        ),
    ],
)
def test_verdict_text(verdict: Verdict, text: str) -> None:
    assert str(verdict) == text


def test_one_change_per_cause_with_the_operations_it_affects() -> None:
    log = Changelog.of(SHARED)
    assert len(log.changes) == 2  # the accepted operation is a change of its own: ignores work per operation
    shared, accepted = log.changes
    assert (shared.message, shared.operations) == (
        'enum value(s) `"c"` added to `Status`',
        ("GET /orders", "GET /orders/{id}"),
    )
    assert shared.first.message.endswith("`items[].status` in the response `200` `application/json`")
    assert (accepted.operations, accepted.accepted) == (("POST /orders",), SHARED[2].accepted)
    assert log.verdict == Verdict(breaking=1, accepted=1, breaking_operations=2)
    assert str(log.verdict) == "1 breaking (in 2 operations) · 0 possibly breaking · 0 compatible · 1 accepted"


def test_changes_are_ordered_by_contract_then_level_then_location() -> None:
    log = Changelog.of(ALL)
    assert log.verdict == Verdict(
        breaking=1, possibly_breaking=1, compatible=3, accepted=1, breaking_operations=1,
        possibly_breaking_operations=1, compatible_operations=2,
    )  # fmt: skip
    assert [(c.contract, c.rule_id) for c in log.changes] == [
        ("b2b-orders", "api-path-removed"),
        ("b2b-orders", "request-parameter-removed"),
        ("b2b-orders", "api-path-added"),
        ("b2b-orders", "response-property-added"),
        ("b2b-orders", "api-operation-removed"),  # accepted: last, whatever its level
        ("model-files", "contract-added"),
    ]
    assert log.notes == (EXPIRED,)
    assert log.changes[-1].operations == ()  # outside operations


def test_changelog_levels_and_accepted_views() -> None:
    log = Changelog.of(ALL)
    assert [c.rule_id for c in log.at(Severity.ERROR)] == ["api-path-removed"]
    assert [c.rule_id for c in log.at(Severity.INFO)] == ["api-path-added", "response-property-added", "contract-added"]
    assert [c.rule_id for c in log.accepted()] == ["api-operation-removed"]
    assert [c.rule_id for c in log.at(Severity.ERROR, accepted=True)] == ["api-operation-removed"]


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
    assert lines[0] == (
        "**1 breaking · 1 possibly breaking · 3 compatible (in 2 operations) · 1 accepted** in 2 contracts"
    )
    order = [
        "### Breaking changes",
        "**b2b-orders**",
        "| change | where | operations | fix |",
        "| api-path-removed in DELETE /orders/{id} (`api-path-removed`) | `contracts/b2b-orders/openapi.yaml:10:3`"
        "<br>was `HEAD~1:contracts/b2b-orders/openapi.yaml:40:3` | `DELETE /orders/{id}` | deprecate it first |",
        "### Accepted changes",
        "| change | where | operations | accepted because |",
        "approved in PLAT-7",
        "> **Note**: the ignore entry for `x` expired on 2024-01-01",
        "<details>",
        "<summary>1 possibly breaking change</summary>",
        "| request-parameter-removed in GET /orders (`request-parameter-removed`) |",
        "</details>",
        "<summary>3 compatible changes</summary>",
        "| change | where | operations |",
        "**model-files**",
        "| contract-added in the contract (`contract-added`) | `contracts/b2b-orders/openapi.yaml:10:3` | - |",
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


def test_changelog_text_lists_each_change_once_per_contract() -> None:
    out = render(CHANGELOG_REPORTERS, "text", report(ALL + SHARED))
    blocks = out.split("\n\n")
    assert [block.splitlines()[0] for block in blocks[:3]] == ["b2b-orders", "model-files", "about this run"]
    assert blocks[0].splitlines()[1].split() == [
        "breaking",
        "api-path-removed",
        "api-path-removed",
        "in",
        "DELETE",
        "/orders/{id}",
    ]
    shared = blocks[0][blocks[0].index("response-closed-enum-value-added") :]
    assert shared.splitlines()[:3] == [
        'response-closed-enum-value-added  enum value(s) `"c"` added to `Status`',
        "                     at contracts/b2b-orders/openapi.yaml:80:5",
        "                     in 2 operations: GET /orders, GET /orders/{id}",
    ]
    assert "accepted (error): approved in PLAT-7" in blocks[0]
    assert out.endswith(
        "2 breaking (in 3 operations) · 1 possibly breaking · 3 compatible (in 2 operations) · 2 accepted "
        "in 2 contracts\n"
    )


def test_changelog_json_shape() -> None:
    data = json.loads(render(CHANGELOG_REPORTERS, "json", report(ALL + SHARED)))
    assert list(data) == ["breaking", "summary", "checked", "changes", "policy", "notes", "versions"]
    assert data["breaking"] is True
    assert data["summary"] == {
        "breaking": 2,
        "possibly_breaking": 1,
        "compatible": 3,
        "accepted": 2,
        "operations": {"breaking": 3, "possibly_breaking": 1, "compatible": 2},
        "policy": {"errors": 0, "warnings": 0},
    }
    assert data["policy"] == {"failed": False, "findings": []}
    shared = next(c for c in data["changes"] if c["id"] == "response-closed-enum-value-added" and not c["accepted"])
    assert (shared["message"], shared["count"]) == ('enum value(s) `"c"` added to `Status`', 2)
    assert [(o["operation"], o["message"]) for o in shared["operations"]] == [
        (f.operation, f.message) for f in SHARED[:2]
    ]
    assert [(c["contract"], c["count"]) for c in data["changes"]][-1] == ("model-files", 0)
    assert [n["id"] for n in data["notes"]] == ["ignore-expired"]


def test_breaking_text_counts_compatible_changes_without_listing_them() -> None:
    out = render(BREAKING_REPORTERS, "text", report(ALL, "breaking"))
    assert "api-path-removed" in out
    assert "request-parameter-removed" in out
    assert "accepted: approved in PLAT-7" in out
    assert "ignore-expired" in out
    assert "response-property-added" not in out
    assert out.splitlines()[-1] == (
        "1 breaking · 1 possibly breaking · 3 compatible (in 2 operations) · 1 accepted in 2 contracts "
        "(compatible changes: `contractkit changelog` lists them)"
    )


def test_breaking_text_shows_a_shared_change_once_with_its_operations() -> None:
    many = [dataclasses.replace(SHARED[0], operation=f"GET /orders/{n}", accepted=None) for n in range(12)]
    out = render(BREAKING_REPORTERS, "text", report(many, "breaking"))
    lines = out.splitlines()
    assert lines[0].endswith('response-closed-enum-value-added  enum value(s) `"c"` added to `Status`')
    assert lines[1].startswith("  in 12 operations (contract b2b-orders): GET /orders/0, GET /orders/1,")
    assert all(len(line) <= 116 for line in lines[1:3]) and lines[2].startswith("      GET /orders/")
    assert sum(line.count("GET /orders/") for line in lines) == 12
    assert lines[-1].startswith("1 breaking (in 12 operations) · 0 possibly breaking")


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
    assert "**1 breaking · 1 possibly breaking · 3 compatible (in 2 operations) · 1 accepted** in 2 contracts" in text
