"""The GitHub Actions reporter: workflow commands that GitHub turns into annotations on the diff.

Each finding becomes one line, ``::error file=F,line=L,col=C,title=RULE::message`` (``warning`` for
warnings, ``notice`` for info). GitHub shows only 10 errors and 10 warnings per step, so when the
``GITHUB_STEP_SUMMARY`` environment variable names a file, a Markdown table of *all* findings is
appended to it as well; it appears on the run's summary page.
"""

from __future__ import annotations

import dataclasses
import os
from typing import TYPE_CHECKING

from contractkit.breaking.changelog import Changelog, ChangeReport
from contractkit.findings import Severity
from contractkit.reporters.common import counts, location_text, posix_path, printable, summary_line, with_unreadable
from contractkit.reporters.markdown import markdown_cell, render_markdown

if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import TextIO

    from contractkit.findings import Finding, Report

#: How many annotations of one level GitHub shows per step.
ANNOTATION_LIMIT = 10

_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
_TABLE_HEAD = "| Severity | Rule | Location | Operation | Message | Tip |\n| --- | --- | --- | --- | --- | --- |\n"


def escape_data(text: str) -> str:
    """Escape the message of a workflow command (``%``, CR and LF), as ``@actions/core`` does."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a property value of a workflow command: as :func:`escape_data`, plus ``:`` and ``,``."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(finding: Finding) -> str:
    r"""Return the workflow command that annotates ``finding`` (without the trailing newline).

    ``line`` and ``col`` are left out when unknown (0); a hint is added to the message as ``Tip: ...``;
    control characters become visible escapes (``\x07``), so a contract cannot write to the log viewer.

    Args:
        finding: the finding (its severity must not be ``OFF``).

    Returns:
        ``::error file=F,line=L,col=C,title=RULE::message``, or ``warning``/``notice`` for lower severities;
        a change accepted by the ignores file is a ``notice`` that gives the reason.
    """
    loc = finding.location
    props: list[tuple[str, str]] = []
    if loc.file:
        props.append(("file", posix_path(loc.file)))
    if loc.line:
        props.append(("line", str(loc.line)))
        if loc.column:
            props.append(("col", str(loc.column)))
    props.append(("title", finding.rule_id))
    body = finding.message
    if len(finding.affected) > 1:  # a problem in a shared file: one annotation, naming every contract
        body += f"\nin contracts {', '.join(finding.affected)}"
    if finding.hint:
        body += f"\nTip: {finding.hint}"
    level = _LEVELS[finding.severity]
    if finding.accepted is not None:  # approved in the ignores file: shown on the line, never as a failure
        body = f"{finding.message}\nAccepted ({finding.severity.value}): {finding.accepted}"
        level = "notice"
    joined = ",".join(f"{key}={escape_property(printable(value))}" for key, value in props)
    return f"::{level} {joined}::{escape_data(printable(body))}"


def step_summary(report: Report) -> str:
    """Return the Markdown written to ``$GITHUB_STEP_SUMMARY``: a title, the summary line and a table.

    Args:
        report: the report to summarise; every finding but ``OFF`` gets a row.

    Returns:
        Markdown text starting with a blank line and ending with a newline (no table without findings).
    """
    # The leading blank line keeps the title on a line of its own after an earlier step's text.
    out = [f"\n### contractkit {markdown_cell(report.command)}\n\n{summary_line(report)}\n\n"]
    findings = with_unreadable(report)
    if findings:
        out.append(_TABLE_HEAD)
    for f in findings:
        loc = posix_path(location_text(f.location))
        cells = (f.severity.value, f"`{f.rule_id}`", loc, f.operation or "", f.message, f.hint or "")
        out.append("| " + " | ".join(markdown_cell(c) for c in cells) + " |\n")
    if findings:
        out.append("\n")
    return "".join(out)


class GithubReporter:
    """Render a report as GitHub Actions annotations, plus a job summary table when GitHub asks for one.

    Args:
        environ: the environment to read ``GITHUB_STEP_SUMMARY`` from; ``None`` reads ``os.environ``
            at render time.
    """

    def __init__(self, environ: Mapping[str, str] | None = None) -> None:
        self.environ = environ

    def render(self, report: Report, stream: TextIO, *, color: bool = False) -> None:
        """Write one workflow command per finding to ``stream``, and append to the step summary file.

        Args:
            report: the findings of one command run.
            stream: where to write (GitHub reads the step's standard output).
            color: ignored; workflow commands are never coloured.

        Raises:
            OSError: the step summary file could not be written.
        """
        del color
        findings = with_unreadable(report)
        for finding in findings:
            stream.write(annotation(finding) + "\n")
        environ = os.environ if self.environ is None else self.environ
        summary_path = environ.get("GITHUB_STEP_SUMMARY", "")
        if summary_path:
            with open(summary_path, "a", encoding="utf-8", errors="backslashreplace") as summary:
                summary.write(step_summary(report))
        tally = counts(findings)
        if tally["error"] > ANNOTATION_LIMIT or tally["warning"] > ANNOTATION_LIMIT:
            rest = f"all {len(findings)} are in the job summary" if summary_path else "the text format lists all"
            note = f"GitHub shows only {ANNOTATION_LIMIT} errors and {ANNOTATION_LIMIT} warnings per step; {rest}"
            stream.write(f"::notice title=contractkit::{escape_data(note)}\n")


class ChangesGithubReporter(GithubReporter):
    """Render a ``breaking`` or ``changelog`` report as annotations on the revision's lines.

    Breaking changes are ``error`` annotations and possibly breaking ones ``warning``s; accepted changes are
    ``notice``s with their reason; compatible changes are not annotated (they are in the job summary, which is
    the Markdown of :mod:`contractkit.reporters.markdown`).
    """

    def render(self, report: Report, stream: TextIO, *, color: bool = False) -> None:
        """Write one workflow command per change at ``warning`` or above (or accepted), and the job summary.

        Args:
            report: the changes of one comparison.
            stream: where to write (GitHub reads the step's standard output).
            color: ignored; workflow commands are never coloured.

        Raises:
            OSError: the step summary file could not be written.
        """
        del color
        # One annotation per change, however many operations it affects (they are named in its message).
        log = Changelog.of(with_unreadable(report))
        findings = [
            change.as_finding()
            if len(change.operations) < 2
            else with_operations(change.as_finding(), change.operations)
            for change in log.everything()
            if change.severity.at_least(Severity.WARNING) or change.accepted is not None
        ]
        findings += [f for f in log.notes if f.severity.at_least(Severity.WARNING)]
        for finding in findings:
            stream.write(annotation(finding) + "\n")
        for advice in report.bumps if isinstance(report, ChangeReport) else []:
            if advice.required == "none" and advice.ok is not False:
                continue  # unchanged: nothing to say
            level = "warning" if advice.ok is False else "notice"
            stream.write(f"::{level} title=contractkit version::{escape_data(printable(str(advice)))}\n")
        environ = os.environ if self.environ is None else self.environ
        summary_path = environ.get("GITHUB_STEP_SUMMARY", "")
        if summary_path:
            with open(summary_path, "a", encoding="utf-8", errors="backslashreplace") as summary:
                summary.write(f"\n### contractkit {markdown_cell(report.command)}\n\n{render_markdown(report)}\n")
        failing = [f for f in findings if f.accepted is None]
        tally = counts(failing)
        if tally["error"] > ANNOTATION_LIMIT or tally["warning"] > ANNOTATION_LIMIT:
            rest = f"all {len(findings)} are in the job summary" if summary_path else "the text format lists all"
            note = f"GitHub shows only {ANNOTATION_LIMIT} errors and {ANNOTATION_LIMIT} warnings per step; {rest}"
            stream.write(f"::notice title=contractkit::{escape_data(note)}\n")


def with_operations(finding: Finding, operations: tuple[str, ...]) -> Finding:
    """Return ``finding`` with the operations of its change named after its message (at most 8, then a count).

    Args:
        finding: the change as one finding (:meth:`Change.as_finding`).
        operations: the operations the change affects.

    Returns:
        A copy whose message ends with ``in 3 operations: GET /a, GET /b, POST /b``.
    """
    named = ", ".join(operations[:8]) + (f" and {len(operations) - 8} more" if len(operations) > 8 else "")
    return dataclasses.replace(finding, message=f"{finding.message}\nin {len(operations)} operations: {named}")
