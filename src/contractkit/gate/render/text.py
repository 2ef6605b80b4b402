"""The gate for a CI log: the verdict first, then the table, then each contract's findings with file:line and fix.

::

    gate failed: 1 breaking change in b2b-orders (team-partner-api)
    base main (1a2b3c4) · 2 of 5 contracts affected

    contract      owner             status  validate  lint  breaking              semver      gen
    b2b-orders    team-partner-api  failed  ok        ok    1 breaking            needs major  ok
    ...
    skipped 3 contracts (nothing they reach changed since main; --all checks them): mes, ...

    b2b-orders (team-partner-api) · failed · it reaches `contracts/common/money.yaml` through $ref
      [breaking] contracts/common/money.yaml:8:7  error  response-property-became-optional  ...
        Tip: ...
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from contractkit.breaking.changelog import group_changes
from contractkit.findings import Severity
from contractkit.gate.render._common import (
    COLUMNS,
    SharedKey,
    cells,
    change_counts,
    problems,
    scope_line,
    shared_findings,
    shared_key,
    shown_findings,
    skipped_line,
    verdict,
    who,
    why_text,
)
from contractkit.reporters import plural
from contractkit.reporters.common import location_text, printable
from contractkit.reporters.text import format_change, format_finding

if TYPE_CHECKING:
    from typing import TextIO

    from contractkit.errors import ContractkitError
    from contractkit.gate.model import ContractResult, GateResult

__all__ = ["GateTextRenderer", "render_text"]

_STYLE = {"passed": "1;32", "failed": "1;31", "error": "1;31"}


def _paint(text: str, style: str, color: bool) -> str:
    return f"\x1b[{style}m{text}\x1b[0m" if color else text


def _table(rows: list[list[str]]) -> list[str]:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() for row in rows]


def _error_lines(error: ContractkitError) -> list[str]:
    lines = [f"  error: {printable(error.title)}: {printable(error.detail)}"]
    if error.location is not None:
        lines.append(f"    in {printable(location_text(error.location))}")
    if error.tip:
        lines.append(f"    Tip: {printable(error.tip)}")
    return lines


def _contract(
    result: ContractResult, fail_on: Severity, color: bool, shared: dict[SharedKey, tuple[str, ...]]
) -> list[str]:
    status = result.status(fail_on)
    why = why_text(result) or "removed from the catalog"
    head = f"{who(result)} · {_paint(status, _STYLE[status], color)} · {printable(why)}"
    lines = [head]
    for error in result.errors:
        lines += _error_lines(error)
    if status == "failed":
        lines.append(f"  fails: {', '.join(problems(result, fail_on))}")
    shown = [(step, f) for step, f in shown_findings(result) if f.accepted is None]
    # A breaking change is listed once, with the operations it affects.
    changes = {
        id(f): change for change in group_changes(f for s, f in shown if s == "breaking") for f in change.findings
    }
    listed: set[int] = set()
    elsewhere: dict[str, int] = {}  # findings in shared files, listed under the first contract that meets them
    for step, finding in shown:
        owners = shared.get(shared_key(step, finding))
        if owners is not None:
            if owners[0] != result.id:
                elsewhere[owners[0]] = elsewhere.get(owners[0], 0) + 1
                continue
            finding = replace(finding, contracts=owners)
        change = changes.get(id(finding))
        if change is not None and id(change) in listed:
            continue
        lines_of = format_change(change, color=color) if change is not None else format_finding(finding, color=color)
        if change is not None:
            listed.add(id(change))
        first, *rest = lines_of
        lines.append(f"  [{step}] {first}")
        lines += [f"    {line}" for line in rest]
    for accepted in result.accepted:
        f = accepted.finding
        lines.append(f"  [accepted] {printable(location_text(f.location))}  {f.rule_id}  {printable(f.message)}")
        detail = [f"reason: {printable(accepted.reason)}"]
        if accepted.expires is not None:
            detail.append(f"expires {accepted.expires.isoformat()}")
        if accepted.approved_by:
            detail.append(f"approved by {printable(accepted.approved_by)}")
        if accepted.entry is not None:
            detail.append(f"entry {printable(location_text(accepted.entry))}")
        lines.append("    " + " · ".join(detail))
    for owner, count in elsewhere.items():
        lines.append(f"  and {plural(count, 'finding')} in shared files, listed under {owner}")
    compatible = change_counts(result)["compatible"]  # changes, as the table counts them, not one per operation
    if compatible:
        lines.append(f"  and {plural(compatible, 'compatible change')} (`--format markdown` lists them)")
    if result.gen == "stale":
        lines.append("  generated models are out of date: run `contractkit gen` and commit the result (diff below)")
    lines += [f"  note: {printable(note)}" for note in result.notes]
    return lines


def _only_all(result: ContractResult) -> bool:
    return all(reason.via == "all" for reason in result.contract.reasons)


def render_text(result: GateResult, *, color: bool = False) -> str:
    """Return the gate's text summary (see the module docstring)."""
    fail_on = result.fail_on
    state = "error" if result.broken else "passed" if result.passed else "failed"
    out = [_paint(printable(verdict(result)), _STYLE[state], color), scope_line(result), ""]
    if result.contracts:
        header = ["contract", "owner", "status", *COLUMNS]
        out += [*_table([header, *(cells(c, fail_on) for c in result.contracts)]), ""]
    skipped = skipped_line(result)
    if skipped:
        out += [skipped, ""]
    if result.plan.unused:
        out += [f"note: changed, but no contract reaches them: {', '.join(result.plan.unused)}", ""]
    shared = shared_findings(result)
    for contract in result.contracts:
        block = _contract(contract, fail_on, color, shared)
        if len(block) == 1 and contract.status(fail_on) == "passed" and _only_all(contract):
            continue  # checked only because of --all, and nothing to say: the table row says it all
        out += [*block, ""]
    for note in result.notes:
        out += [*format_finding(note, color=color), ""]
    for error in result.errors:
        out += [*_error_lines(error), ""]
    if result.gen_shared == "stale":
        out += ["the shared generated models (contracts_common) are out of date: run `contractkit gen`", ""]
    if result.gen_diff:
        out += ["gen --check: what `contractkit gen` would change", result.gen_diff.rstrip("\n"), ""]
    return "\n".join(out).rstrip("\n") + "\n"


class GateTextRenderer:
    """Render a gate result for a CI log or a terminal."""

    def render(self, result: GateResult, stream: TextIO, *, color: bool = False) -> None:
        """Write :func:`render_text` of ``result`` to ``stream``."""
        stream.write(render_text(result, color=color))
