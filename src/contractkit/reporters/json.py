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

from contractkit.breaking.changelog import Change, Changelog, ChangeReport, is_breaking
from contractkit.reporters.common import counts, visible

if TYPE_CHECKING:
    from typing import TextIO

    from contractkit.errors import ContractkitError
from contractkit.findings import Finding, Location, Report


def finding_to_dict(finding: Finding) -> dict[str, Any]:
    """Return one finding as the JSON reporter writes it.

    Args:
        finding: the finding to convert.

    Returns:
        A dict with the keys ``rule_id``, ``severity``, ``message``, ``file``, ``line``, ``column``,
        ``pointer``, ``operation``, ``hint``, ``contract`` and ``contracts``, in that order: ``contracts`` lists
        every contract the finding concerns (several for a problem in a shared file, reported once).
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
        "contracts": list(finding.affected),
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


def location_to_dict(location: Location) -> dict[str, Any]:
    """Return ``{"file", "line", "column", "pointer"}`` (``line`` and ``column`` 0 when unknown)."""
    return {"file": location.file, "line": location.line, "column": location.column, "pointer": location.pointer}


def change_to_dict(finding: Finding) -> dict[str, Any]:
    """Return one finding of a comparison (a note about the run, or one operation's finding) as a dict.

    Returns:
        ``{"id", "level", "message", "operation", "location", "base_location", "accepted", "fix"}``: ``level``
        is ``error`` (breaking), ``warning`` (possibly breaking) or ``info`` (compatible); ``location`` is in the
        revision, ``base_location`` in the base (``null`` for an addition); ``accepted`` is the ignores file's
        reason, or ``null``.
    """
    return {
        "id": finding.rule_id,
        "level": finding.severity.value,
        "message": finding.message,
        "operation": finding.operation,
        "location": location_to_dict(finding.location),
        "base_location": location_to_dict(finding.base_location) if finding.base_location is not None else None,
        "accepted": finding.accepted,
        "fix": finding.hint,
    }


def grouped_change_to_dict(change: Change) -> dict[str, Any]:
    """Return one change, with every operation it affects, as the ``breaking`` and ``changelog`` JSON write it.

    Returns:
        ``{"id", "level", "message", "contract", "location", "base_location", "accepted", "fix", "count",
        "operations"}``: ``message`` says the change where it happened (at the shared schema); ``count`` is how
        many operations it affects and ``operations`` lists them, each ``{"operation", "message"}`` (the message
        says where in that operation the change is). A change outside operations has ``count`` 0.
    """
    first = change.first
    operations = [{"operation": f.operation, "message": f.message} for f in change.findings if f.operation]
    return {
        "id": change.rule_id,
        "level": change.severity.value,
        "message": change.message,
        "contract": change.contract,
        "location": location_to_dict(first.location),
        "base_location": location_to_dict(first.base_location) if first.base_location is not None else None,
        "accepted": change.accepted,
        "fix": change.hint,
        "count": len(change.operations),
        "operations": operations,
    }


def summary_of(log: Changelog) -> dict[str, object]:
    """Return the verdict's counts of the API's changes, and ``policy``: ``{"errors", "warnings"}`` of the policy."""
    return {**log.verdict.as_dict(), "policy": log.policy_tally()}


def policy_of(log: Changelog) -> dict[str, object]:
    """Return ``{"failed", "findings"}``: the versioning policy's verdict and findings, apart from the API's changes.

    ``failed`` is true when a policy finding is an error the ignores file does not accept; each finding is
    written as a change (:func:`grouped_change_to_dict`).
    """
    return {"failed": log.policy_failed(), "findings": [grouped_change_to_dict(c) for c in log.policy]}


def versions_of(report: Report) -> list[dict[str, object]]:
    """Return the bump advice of each compared contract (see :meth:`BumpAdvice.as_dict`)."""
    return [advice.as_dict() for advice in report.bumps] if isinstance(report, ChangeReport) else []


class BreakingJsonReporter:
    """Render a ``breaking`` report as ``{"breaking", "summary", "changes", "policy", "notes", "versions"}``.

    ``breaking`` is true when a change of the API of level ``error`` is not accepted by the ignores file (for
    some operation); ``summary`` counts changes per level and the operations they affect (:meth:`Verdict.as_dict`),
    and the policy findings (``policy``: ``{"errors", "warnings"}``); ``changes`` holds every change of the API
    once, every level, with the operations it affects (:func:`grouped_change_to_dict`); ``policy`` the versioning
    policy's verdict and findings (:func:`policy_of`: ``version-not-bumped`` is no change of the API, and does not
    make ``breaking`` true, though it fails the command as any error does); ``notes`` the findings about the run
    (an expired ignore entry, as :func:`change_to_dict`); ``versions`` the bump each compared contract needs
    (``{"contract", "required", "base", "revision", "minimum", "ok", "note", "text"}``, ``required`` one of
    ``major``, ``minor``, ``patch``, ``none``).
    """

    def render(self, report: Report, stream: TextIO, *, color: bool = False) -> None:
        """Write ``report`` to ``stream`` as JSON, indented by 2, with a trailing newline.

        Args:
            report: the changes of one comparison.
            stream: where to write.
            color: ignored; JSON is never coloured.
        """
        del color
        findings = visible(report)
        log = Changelog.of(findings)
        document = {
            "breaking": is_breaking(findings),
            "summary": summary_of(log),
            "changes": [grouped_change_to_dict(c) for c in log.changes],
            "policy": policy_of(log),
            "notes": [change_to_dict(f) for f in log.notes],
            "versions": versions_of(report),
        }
        json.dump(document, stream, indent=2)
        stream.write("\n")


class ChangelogJsonReporter:
    """Render a ``changelog`` report: the verdict, then every change once, with the operations it affects.

    The shape::

        {"breaking": false,
         "summary": {"breaking": 0, "possibly_breaking": 0, "compatible": 2, "accepted": 0,
                     "operations": {"breaking": 0, "possibly_breaking": 0, "compatible": 3},
                     "policy": {"errors": 0, "warnings": 0}},
         "checked": ["b2b-orders"],
         "changes": [<change>...],
         "policy": {"failed": false, "findings": [<change>...]},
         "notes": [<finding>...],
         "versions": [<bump advice>...]}

    Each change is written as by :func:`grouped_change_to_dict`; ``notes`` are about the run (an expired ignore
    entry), each as by :func:`change_to_dict`.
    """

    def render(self, report: Report, stream: TextIO, *, color: bool = False) -> None:
        """Write ``report`` to ``stream`` as JSON, indented by 2, with a trailing newline.

        Args:
            report: the changes of one comparison.
            stream: where to write.
            color: ignored; JSON is never coloured.
        """
        del color
        log = Changelog.of(report.findings)
        document = {
            "breaking": is_breaking(report.findings),
            "summary": summary_of(log),
            "checked": list(report.checked),
            "changes": [grouped_change_to_dict(c) for c in log.changes],
            "policy": policy_of(log),
            "notes": [change_to_dict(f) for f in log.notes],
            "versions": versions_of(report),
        }
        json.dump(document, stream, indent=2)
        stream.write("\n")
