"""The gate as one JSON document, schema ``contractkit-gate/1`` (documented in docs/gate.md, "JSON").

Keys are only ever added within a schema version; a renamed or removed key gets a new version.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from contractkit.breaking.changelog import group_changes
from contractkit.breaking.registry import is_note
from contractkit.findings import Severity
from contractkit.gate.render._common import SharedKey, problems, shared_findings, shared_key, verdict
from contractkit.reporters.json import grouped_change_to_dict

if TYPE_CHECKING:
    from typing import TextIO

    from contractkit.errors import ContractkitError
    from contractkit.findings import Finding, Location
    from contractkit.gate.model import ContractResult, GateResult

__all__ = ["SCHEMA", "GateJsonRenderer", "as_dict"]

SCHEMA = "contractkit-gate/1"


def _location(location: Location | None) -> dict[str, object] | None:
    if location is None:
        return None
    return {"file": location.file, "line": location.line, "column": location.column, "pointer": location.pointer}


def _finding(step: str, finding: Finding, contracts: tuple[str, ...] = ()) -> dict[str, object]:
    return {
        "step": step,
        "rule": finding.rule_id,
        "severity": finding.severity.value,
        "message": finding.message,
        "location": _location(finding.location),
        "base_location": _location(finding.base_location),
        "operation": finding.operation,
        "hint": finding.hint,
        "accepted": finding.accepted,
        "contracts": list(contracts or finding.affected),  # a problem in a shared file: every contract it affects
    }


def _error(error: ContractkitError) -> dict[str, object]:
    return {"title": error.title, "detail": error.detail, "location": _location(error.location), "tip": error.tip}


def _contract(
    result: ContractResult, fail_on: Severity, shared: dict[SharedKey, tuple[str, ...]] | None = None
) -> dict[str, object]:
    shared = shared or {}
    counts = {
        step: {
            level.value: sum(1 for f in result.of(step) if f.severity is level and f.accepted is None)
            for level in (Severity.ERROR, Severity.WARNING, Severity.INFO)
        }
        for step in ("validate", "lint", "breaking", "semver")
    }
    return {
        **result.contract.as_dict(),
        "status": result.status(fail_on),
        "fails": problems(result, fail_on) if result.status(fail_on) != "passed" else [],
        "counts": counts,
        "bump": result.bump.as_dict() if result.bump is not None else None,
        "gen": result.gen or None,
        "findings": [
            _finding(step, f, shared.get(shared_key(step, f), ()))
            for step, f in result.findings
            if f.severity is not Severity.OFF
        ],
        "changes": [
            grouped_change_to_dict(c) for c in group_changes(f for f in result.of("breaking") if not is_note(f.rule_id))
        ],
        "accepted": [
            {
                "rule": a.finding.rule_id,
                "message": a.finding.message,
                "location": _location(a.finding.location),
                "reason": a.reason,
                "expires": a.expires.isoformat() if a.expires is not None else None,
                "entry": _location(a.entry),
                "approved_by": a.approved_by or None,
            }
            for a in result.accepted
        ],
        "errors": [_error(e) for e in result.errors],
        "notes": list(result.notes),
    }


def as_dict(result: GateResult) -> dict[str, object]:
    """Return the JSON document of ``result``."""
    state = "error" if result.broken else "passed" if result.passed else "failed"
    plan = result.plan.as_dict()
    shared = shared_findings(result)
    return {
        "schema": SCHEMA,
        "verdict": state,
        "summary": verdict(result),
        "exit_code": result.exit_code(),
        "fail_on": result.fail_on.value,
        "base": plan["base"],
        "all": plan["all"],
        "contracts": [_contract(c, result.fail_on, shared) for c in result.contracts],
        "skipped": plan["skipped"],
        "changed_files": plan["changed_files"],
        "unused_changes": plan["unused_changes"],
        "notes": [_finding("breaking", n) for n in result.notes],
        "errors": [_error(e) for e in result.errors],
        "gen": {"ran": result.gen_ran, "shared": result.gen_shared or None, "diff": result.gen_diff or None},
    }


class GateJsonRenderer:
    """Render a gate result as JSON (schema ``contractkit-gate/1``)."""

    def render(self, result: GateResult, stream: TextIO, *, color: bool = False) -> None:
        """Write :func:`as_dict` of ``result`` to ``stream``, indented, with a final newline."""
        del color
        stream.write(json.dumps(as_dict(result), indent=2, ensure_ascii=False) + "\n")
