"""The gate as a pull-request comment: a short verdict, a table, each breaking change with its rule and fix.

Layout (the first line is a hidden marker, so a CI job can find its comment and update it in place)::

    <!-- contractkit-gate -->
    ### ❌ contract gate failed
    1 breaking change in **b2b-orders** (team-partner-api)
    base `main` (`1a2b3c4`) · 2 of 5 contracts affected · skipped: `mes`, ...
    | contract | owner | status | validate | lint | breaking | semver | gen |
    #### Breaking changes                       <- each once: rule, where, the operations it affects, fix
    #### Accepted changes                       <- reason, expiry, who approved it
    #### Other findings                         <- validation, lint and version problems that fail the gate
    <details><summary>Changelog (N changes)</summary> ... </details>
    <details><summary>gen --check diff</summary> ... </details>
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from contractkit.breaking.changelog import Changelog, group_changes
from contractkit.findings import Severity
from contractkit.gate.render._common import (
    COLUMNS,
    cells,
    problems,
    scope_line,
    shared_findings,
    shared_key,
    skipped_line,
    verdict,
)
from contractkit.reporters import plural
from contractkit.reporters.common import location_text, posix_path
from contractkit.reporters.markdown import markdown_cell, operations_cell

if TYPE_CHECKING:
    from typing import TextIO

    from contractkit.findings import Finding, Location
    from contractkit.gate.model import ContractResult, GateResult

__all__ = ["MARKER", "GateMarkdownRenderer", "render_markdown"]

#: The hidden line a CI job looks for to update the comment in place.
MARKER = "<!-- contractkit-gate -->"
_ICONS = {"passed": "✅", "failed": "❌", "error": "⚠️"}
#: Breaking changes shown in the table (GitHub refuses comments over 65536 characters); the changelog has all.
_MAX_ROWS = 50
_LEVELS = {Severity.ERROR: "breaking", Severity.WARNING: "possibly breaking", Severity.INFO: "compatible"}


def _code(text: str) -> str:
    text = " ".join(text.splitlines()).replace("|", "\\|")
    fence = "``" if "`" in text else "`"
    pad = " " if "`" in text else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _where(location: Location) -> str:
    return _code(posix_path(location_text(location)))


def _row(cells_: list[str]) -> str:
    return "| " + " | ".join(cells_) + " |"


def _head(*names: str) -> list[str]:
    return [_row(list(names)), "|" + " --- |" * len(names)]


def _contract_cell(result: ContractResult) -> str:
    owner = f"<br>{markdown_cell(result.contract.owner)}" if result.contract.owner else ""
    return f"**{markdown_cell(result.id)}**{owner}"


def _who(result: ContractResult) -> str:
    owner = f" ({markdown_cell(result.contract.owner)})" if result.contract.owner else ""
    return f"**{markdown_cell(result.id)}**{owner}"


def _breaking(result: GateResult) -> list[str]:
    rows = [
        _row(
            [
                _contract_cell(c),
                f"{markdown_cell(change.message)}<br>{_code(change.rule_id)}",
                _where(change.location),
                operations_cell(change),
                markdown_cell(change.hint or ""),
            ]
        )
        for c in result.contracts
        for change in group_changes(c.breaking())
    ]
    if not rows:
        return []
    more = [f"and {len(rows) - _MAX_ROWS} more: see the changelog below.", ""] if len(rows) > _MAX_ROWS else []
    head = _head("contract", "change", "where", "operations", "fix")
    return ["#### Breaking changes", "", *head, *rows[:_MAX_ROWS], "", *more]


def _accepted(result: GateResult) -> list[str]:
    rows = []
    for c in result.contracts:
        for a in c.accepted:
            f = a.finding
            expires = a.expires.isoformat() if a.expires is not None else "-"
            approved = markdown_cell(a.approved_by) if a.approved_by else "-"
            if a.entry is not None:
                approved += f"<br>{_where(a.entry)}"
            change = f"{markdown_cell(f.message)}<br>{_code(f.rule_id)} ({_LEVELS.get(f.severity, f.severity.value)})"
            rows.append(_row([_contract_cell(c), change, markdown_cell(a.reason), expires, approved]))
    if not rows:
        return []
    return ["#### Accepted changes", "", *_head("contract", "change", "reason", "expires", "approved by"), *rows, ""]


def _others(result: GateResult) -> list[str]:
    rows = []
    shared = shared_findings(result)
    for c in result.contracts:
        for step, f in c.failing(result.fail_on):
            if step == "breaking" and f.severity is Severity.ERROR:
                continue  # in "Breaking changes"
            owners = shared.get(shared_key(step, f))
            if owners is not None and owners[0] != c.id:
                continue  # a problem in a shared file: one row, naming every contract it affects
            who_cell = "<br>".join(_code(o) for o in owners) if owners is not None else _contract_cell(c)
            cells_ = [who_cell, step, f"{markdown_cell(f.message)}<br>{_code(f.rule_id)}", _where(f.location)]
            rows.append(_row([*cells_, markdown_cell(f.hint or "")]))
        for error in c.errors:
            where = _where(error.location) if error.location is not None else ""
            text = markdown_cell(f"{error.title}: {error.detail}")
            rows.append(_row([_contract_cell(c), "read", text, where, markdown_cell(error.tip or "")]))
        if c.gen == "stale":
            rows.append(_row([_contract_cell(c), "gen", "the generated models are out of date", "", _gen_fix()]))
    for error in result.errors:
        where = _where(error.location) if error.location is not None else ""
        text = markdown_cell(f"{error.title}: {error.detail}")
        rows.append(_row(["-", "read", text, where, markdown_cell(error.tip or "")]))
    if not rows:
        return []
    return ["#### Other problems", "", *_head("contract", "step", "problem", "where", "fix"), *rows, ""]


def _gen_fix() -> str:
    return "run `contractkit gen` and commit the result"


def _changelog(result: GateResult) -> list[str]:
    findings: list[Finding] = [f for c in result.contracts for f in c.of("breaking")]
    log = Changelog.of(findings)
    if not log.changes:
        return []
    count = len(log.changes)
    out = ["<details>", f"<summary>Changelog: {plural(count, 'change')} ({log.verdict})</summary>", ""]
    contract: str | None = None
    for change in log.changes:
        if change.contract != contract or change is log.changes[0]:
            contract = change.contract
            out += ([""] if change is not log.changes[0] else []) + [f"**{markdown_cell(contract or '')}**", ""]
        level = "accepted" if change.accepted is not None else _LEVELS.get(change.severity, change.severity.value)
        operations = f" · {operations_cell(change)}" if change.operations else ""
        out.append(f"- {level}: {markdown_cell(change.message)} ({_code(change.rule_id)}){operations}")
    return [*out, "", "</details>", ""]


def _gen_diff(result: GateResult) -> list[str]:
    if not result.gen_diff:
        return []
    fence = "````" if "```" in result.gen_diff else "```"
    diff = (
        result.gen_diff
        if len(result.gen_diff) < 50_000
        else result.gen_diff[:50_000] + "\n... (cut: see the job log)\n"
    )
    return ["<details>", "<summary>gen --check: what `contractkit gen` would change</summary>", "", f"{fence}diff",
            diff.rstrip("\n"), fence, "</details>", ""]  # fmt: skip


def render_markdown(result: GateResult) -> str:
    """Return the gate result as the Markdown of a pull-request comment (see the module docstring)."""
    state = "error" if result.broken else "passed" if result.passed else "failed"
    head = {"passed": "contract gate passed", "failed": "contract gate failed", "error": "contract gate could not run"}
    out = [MARKER, f"### {_ICONS[state]} {head[state]}", ""]
    if state == "failed":
        out += [f"- {markdown_cell(', '.join(problems(c, result.fail_on)))} in {_who(c)}" for c in result.failed]
        if result.gen_shared == "stale":
            out.append("- the shared generated models (`contracts_common`) are out of date")
        out.append("")
    else:
        out += [markdown_cell(verdict(result).partition(": ")[2]), ""]
    scope = markdown_cell(scope_line(result))
    skipped = skipped_line(result)
    out += [scope + (f"<br>{markdown_cell(skipped)}" if skipped else ""), ""]
    if result.contracts:
        out += _head("contract", "owner", "status", *COLUMNS)
        for c in result.contracts:
            row = cells(c, result.fail_on)
            row[0], row[2] = f"**{markdown_cell(row[0])}**", f"{_ICONS[row[2]]} {row[2]}"
            out.append(_row([markdown_cell(cell) if i not in (0, 2) else cell for i, cell in enumerate(row)]))
        out.append("")
    out += _breaking(result) + _accepted(result) + _others(result)
    for note in result.notes:
        out += [
            f"> **Note**: {markdown_cell(note.message)} ({_where(note.location)}). {markdown_cell(note.hint or '')}",
            "",
        ]
    out += _changelog(result) + _gen_diff(result)
    return "\n".join(out).rstrip("\n") + "\n"


class GateMarkdownRenderer:
    """Render a gate result as a pull-request comment."""

    def render(self, result: GateResult, stream: TextIO, *, color: bool = False) -> None:
        """Write :func:`render_markdown` of ``result`` to ``stream`` (``color`` is ignored)."""
        del color
        stream.write(render_markdown(result))
