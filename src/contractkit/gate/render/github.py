"""The gate in GitHub Actions: ``::error file=...,line=...::`` annotations on the changed lines, and a job summary.

Each failing finding is an ``error`` (or ``warning``) annotation at its file and line, titled with the rule, the
contract and its owner; an accepted change is a ``notice`` with its reason and expiry; stale generated models are
an ``error`` on the package. The verdict is the last line. When GitHub sets ``GITHUB_STEP_SUMMARY``, the
Markdown comment (:mod:`contractkit.gate.render.markdown`) is appended to it, with every finding.
"""

from __future__ import annotations

import dataclasses
import os
from typing import TYPE_CHECKING

from contractkit.breaking.changelog import group_changes
from contractkit.findings import Severity
from contractkit.gate.render._common import shared_findings, shared_key, verdict
from contractkit.gate.render.markdown import render_markdown
from contractkit.reporters.common import posix_path, printable
from contractkit.reporters.github import ANNOTATION_LIMIT, escape_data, escape_property, with_operations

if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import TextIO

    from contractkit.findings import Finding, Location
    from contractkit.gate.model import ContractResult, GateResult

__all__ = ["GateGithubRenderer", "workflow_commands"]

_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def _command(level: str, location: Location | None, title: str, body: str) -> str:
    props: list[tuple[str, str]] = []
    if location is not None and location.file:
        props.append(
            ("file", posix_path(location.file.partition(":")[2] if _is_git_name(location.file) else location.file))
        )
        if location.line:
            props.append(("line", str(location.line)))
            if location.column:
                props.append(("col", str(location.column)))
    props.append(("title", title))
    joined = ",".join(f"{key}={escape_property(printable(value))}" for key, value in props)
    return f"::{level} {joined}::{escape_data(printable(body))}"


def _is_git_name(name: str) -> bool:
    """``main:contracts/x.yaml`` names a file at a revision (the base side of a change)."""
    ref, colon, rest = name.partition(":")
    return bool(colon and ref and rest) and len(ref) > 1 and not rest.startswith("//")


def _finding(result: ContractResult, step: str, finding: Finding, level: str, source: Finding | None = None) -> str:
    """Return the annotation of ``finding``.

    ``source`` is the finding an ignores entry accepted, when ``finding`` is the change it belongs to (said once
    for every operation).
    """
    owner = f" · {result.contract.owner}" if result.contract.owner else ""
    title = f"{finding.rule_id} ({result.id}{owner})"
    body = finding.message if not finding.hint else f"{finding.message}\nTip: {finding.hint}"
    if finding.accepted is not None:
        body = f"[{step}] accepted {finding.severity.value}: {finding.message}\nReason: {finding.accepted}"
        accepted = next((a for a in result.accepted if a.finding == (source or finding)), None)
        if accepted is not None and accepted.expires is not None:
            body += f" (expires {accepted.expires.isoformat()})"
    else:
        body = f"[{step}] {body}"
    return _command(level, finding.location, title, body)


def workflow_commands(result: GateResult) -> list[str]:
    """Return the workflow commands for ``result``: failing findings, warnings, accepted changes, then the verdict."""
    lines: list[str] = []
    shared = shared_findings(result)
    for c in result.contracts:
        for error in c.errors:
            lines.append(_command("error", error.location, f"contractkit ({c.id})", f"{error.title}: {error.detail}"))
        # A breaking change in a shared schema is one annotation, naming the operations it affects.
        changes = {id(f): ch for ch in group_changes(f for s, f in c.findings if s == "breaking") for f in ch.findings}
        for step, finding in c.findings:
            owners = shared.get(shared_key(step, finding))
            if owners is not None:
                if owners[0] != c.id:
                    continue  # a problem in a shared file: one annotation, naming every contract it affects
                finding = dataclasses.replace(finding, message=f"{finding.message}\nin contracts {', '.join(owners)}")
            change, source = changes.get(id(finding)), finding
            if change is not None and len(change.findings) > 1:
                if finding is not change.first:
                    continue
                finding = with_operations(change.as_finding(), change.operations)
            if finding.accepted is not None:
                lines.append(_finding(c, step, finding, "notice", source))
            elif finding.severity.at_least(result.fail_on):
                lines.append(_finding(c, step, finding, "error"))
            elif finding.severity is Severity.WARNING:
                lines.append(_finding(c, step, finding, "warning"))
        if c.gen == "stale":
            body = "the generated models are out of date with the contract: run `contractkit gen` and commit the result"
            lines.append(_command("error", None, f"gen --check ({c.id})", body))
    for note in result.notes:
        lines.append(_command(_LEVELS[note.severity], note.location, note.rule_id, note.message))
    for error in result.errors:
        lines.append(_command("error", error.location, "contractkit", f"{error.title}: {error.detail}"))
    level = "notice" if result.passed else "error"
    lines.append(_command(level, None, "contractkit ci", verdict(result)))
    return lines


class GateGithubRenderer:
    """Render a gate result as GitHub annotations, and append the Markdown to the job summary when asked.

    Args:
        environ: where to read ``GITHUB_STEP_SUMMARY`` from; ``None`` reads ``os.environ`` at render time.
    """

    def __init__(self, environ: Mapping[str, str] | None = None) -> None:
        self.environ = environ

    def render(self, result: GateResult, stream: TextIO, *, color: bool = False) -> None:
        """Write the annotations to ``stream`` and the Markdown summary to ``$GITHUB_STEP_SUMMARY``.

        Raises:
            OSError: the step summary file could not be written.
        """
        del color
        lines = workflow_commands(result)
        for line in lines:
            stream.write(line + "\n")
        errors = sum(1 for line in lines if line.startswith("::error"))
        warnings = sum(1 for line in lines if line.startswith("::warning"))
        environ = os.environ if self.environ is None else self.environ
        summary_path = environ.get("GITHUB_STEP_SUMMARY", "")
        if summary_path:
            with open(summary_path, "a", encoding="utf-8", errors="backslashreplace") as summary:
                summary.write("\n" + render_markdown(result))
        if errors > ANNOTATION_LIMIT or warnings > ANNOTATION_LIMIT:
            rest = "all are in the job summary" if summary_path else "`--format text` lists all"
            note = f"GitHub shows only {ANNOTATION_LIMIT} errors and {ANNOTATION_LIMIT} warnings per step; {rest}"
            stream.write(f"::notice title=contractkit::{escape_data(note)}\n")
