r"""The JSON reporter: the whole report as one document, for scripts and other tools.

The shape is stable (keys are always present and always in this order, ``null`` when unknown)::

    {
      "command": "lint",
      "checked": ["contracts/orders.yaml"],
      "summary": {"error": 1, "warning": 0, "info": 0},
      "findings": [
        {"rule_id": "operation-id-missing", "severity": "error", "message": "...",
         "file": "contracts/orders.yaml", "line": 12, "column": 5, "pointer": "/paths/~1orders/get",
         "operation": "GET /orders", "hint": "...", "contract": "orders"}
      ]
    }

``line`` and ``column`` are 1-based and 0 when unknown. ``OFF`` findings are left out, as everywhere.
Non-ASCII text is written as ``\u`` escapes, so the output is plain ASCII whatever the stream's encoding.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from contractkit.reporters._common import counts, visible

if TYPE_CHECKING:
    from typing import TextIO

    from contractkit.errors import ContractkitError
from contractkit.findings import Finding, Report


def finding_to_dict(finding: Finding) -> dict[str, Any]:
    """Return one finding as the JSON reporter writes it.

    Args:
        finding: the finding to convert.

    Returns:
        A dict with the keys ``rule_id``, ``severity``, ``message``, ``file``, ``line``, ``column``,
        ``pointer``, ``operation``, ``hint`` and ``contract``, in that order.
    """
    loc = finding.location
    return {
        "rule_id": finding.rule_id,
        "severity": finding.severity.value,
        "message": finding.message,
        "file": loc.file,
        "line": loc.line,
        "column": loc.column,
        "pointer": loc.pointer,
        "operation": finding.operation,
        "hint": finding.hint,
        "contract": finding.contract,
    }


def report_to_dict(report: Report) -> dict[str, Any]:
    """Return a report as the JSON reporter writes it (``OFF`` findings left out).

    Args:
        report: the report to convert.

    Returns:
        A dict with the keys ``command``, ``checked``, ``summary``, ``findings`` and ``errors`` (inputs that
        could not be read: the command exits 2), in that order.
    """
    findings = visible(report)
    return {
        "command": report.command,
        "checked": list(report.checked),
        "summary": counts(findings),
        "findings": [finding_to_dict(f) for f in findings],
        "errors": [_error_to_dict(e) for e in report.errors],
    }


def _error_to_dict(error: ContractkitError) -> dict[str, Any]:
    location = error.location
    return {
        "title": error.title,
        "message": error.detail,
        "file": location.file if location else None,
        "line": location.line if location and location.line else None,
        "column": location.column if location and location.column else None,
        "tip": error.tip,
    }


class JsonReporter:
    """Render a report as one JSON document, indented by 2, with a trailing newline."""

    def render(self, report: Report, stream: TextIO, *, color: bool = False) -> None:
        """Write ``report`` to ``stream`` as JSON.

        Args:
            report: the findings of one command run.
            stream: where to write.
            color: ignored; JSON is never coloured.
        """
        del color
        json.dump(report_to_dict(report), stream, indent=2)
        stream.write("\n")
