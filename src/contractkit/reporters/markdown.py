"""The Markdown reporter: a comparison as a pull-request comment.

The layout, made to be read in a PR and updated in place (the last line is a hidden marker a bot can look for)::

    **1 breaking (in 70 operations) · 2 possibly breaking (in 3 operations) · 5 compatible** in 3 contracts

    - b2b-orders: needs a major bump (1.4.0 → 2.0.0 required); 1.5.0 is not enough   <- one line per contract
    ### Breaking changes
    **b2b-orders**
    | change | where | operations | fix |   <- one row per change, said where it happened, with what it affects
    ### Accepted changes                <- approved in the ignores file, with the reason
    > **Note** ...                      <- an expired ignore entry
    <details><summary>2 possibly breaking changes</summary> ... </details>
    <details><summary>5 compatible changes</summary> ... </details>
    <!-- contractkit:breaking -->

Text from contracts is escaped: a ``|`` cannot end a cell, raw HTML is shown as text, code spans are kept.
"""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING

from contractkit.breaking.changelog import Change, Changelog, ChangeReport, previous_location
from contractkit.findings import Severity
from contractkit.reporters.common import location_text, plural, posix_path, printable

if TYPE_CHECKING:
    from typing import TextIO

    from contractkit.findings import Finding, Report

__all__ = ["MarkdownReporter", "markdown_cell", "operations_cell", "render_markdown"]


def markdown_cell(text: str) -> str:
    """Make ``text`` safe for a Markdown table cell (or a line of text), keeping its backtick code spans.

    ``|`` is escaped, line breaks become ``<br>`` and HTML outside code spans is escaped; control characters
    become visible escapes.
    """
    parts = text.replace("|", "\\|").split("`")
    for index, part in enumerate(parts):
        lines = [printable(line) for line in part.splitlines()]
        if index % 2 and index < len(parts) - 1:
            # Inside a code span (an unpaired last backtick opens none): no markup, no line break.
            parts[index] = " ".join(lines)
        else:  # outside: no raw HTML, line breaks as <br>
            parts[index] = "<br>".join(html.escape(line, quote=False) for line in lines)
    return "`".join(parts)


def _code(text: str, *, cell: bool = True) -> str:
    """Return ``text`` as one code span, fenced with more backticks than any run inside it."""
    text = printable(" ".join(text.splitlines()))
    runs = [len(run) for run in re.findall("`+", text)]
    fence = "`" * (max(runs, default=0) + 1)
    pad = " " if runs else ""
    if cell:
        text = text.replace("|", "\\|")
    return f"{fence}{pad}{text}{pad}{fence}"


#: Operations named in a cell; the rest are counted (the JSON format lists them all).
_SHOWN_OPERATIONS = 8


def _where(finding: Finding) -> str:
    text = _code(posix_path(location_text(finding.location)))
    before = previous_location(finding)
    if before is not None:
        text += "<br>was " + _code(posix_path(location_text(before)))
    return text


def operations_cell(change: Change) -> str:
    """Return the operations a change affects, for a table cell: ``2: `GET /a`, `POST /a```, at most 8 named."""
    operations = change.operations
    if not operations:
        return "-"
    named = ", ".join(_code(op) for op in operations[:_SHOWN_OPERATIONS])
    more = len(operations) - _SHOWN_OPERATIONS
    if len(operations) == 1:
        return named
    return f"{len(operations)}: {named}" + (f" and {more} more" if more > 0 else "")


def _table(changes: list[Change], last: str | None) -> list[str]:
    """One heading and table per contract: change, where, operations, and ``last`` (``fix``, ``accepted because``)."""
    out: list[str] = []
    by_contract: dict[str | None, list[Change]] = {}
    for change in changes:
        by_contract.setdefault(change.contract, []).append(change)
    for contract, listed in by_contract.items():
        head = ["change", "where", "operations", *([last] if last else [])]
        if contract:
            out += [f"**{markdown_cell(contract)}**", ""]
        out += ["| " + " | ".join(head) + " |", "|" + " --- |" * len(head)]
        for change in listed:
            cells = [f"{markdown_cell(change.message)} ({_code(change.rule_id)})", _where(change.first)]
            cells.append(operations_cell(change))
            if last:
                extra = change.accepted if last.startswith("accepted") else change.hint
                cells.append(markdown_cell(extra or ""))
            out.append("| " + " | ".join(cells) + " |")
        out.append("")
    return out


def _folded(summary: str, changes: list[Change], last: str | None) -> list[str]:
    if not changes:
        return []
    return ["<details>", f"<summary>{summary}</summary>", "", *_table(changes, last), "</details>", ""]


def render_markdown(report: Report) -> str:
    """Return ``report`` (a ``breaking`` or ``changelog`` report) as the Markdown of a PR comment."""
    log = Changelog.of(report.findings)
    verdict = log.verdict
    checked = plural(len(report.checked), "contract")
    policy = log.policy_counts()
    out = [f"**{verdict}** in {checked}" + (f" · **{policy}**" if policy else ""), ""]
    if report.errors:
        out += [f"> **Warning**: {plural(len(report.errors), 'contract')} could not be read; see the job log.", ""]
    for name, why in report.skipped if isinstance(report, ChangeReport) else []:
        out += [f"> **Note**: {_code(name, cell=False)} was not compared: {markdown_cell(why)}", ""]
    bumps = (
        [a for a in report.bumps if a.required != "none" or a.ok is False] if isinstance(report, ChangeReport) else []
    )
    if bumps:
        out += [f"- {'⚠️ ' if advice.ok is False else ''}{markdown_cell(str(advice))}" for advice in bumps] + [""]
    breaking = log.at(Severity.ERROR)
    if breaking:
        out += ["### Breaking changes", "", *_table(breaking, "fix")]
    if log.policy:  # about `info.version`, not the API
        out += ["### Versioning policy", "", *_table(list(log.policy), "fix")]
    accepted = log.accepted()
    if accepted:
        out += ["### Accepted changes", "", *_table(accepted, "accepted because")]
    for note in log.notes:
        where = _code(posix_path(location_text(note.location)), cell=False)
        out += [f"> **Note**: {markdown_cell(note.message)} ({where}). {markdown_cell(note.hint or '')}", ""]
    possibly = log.at(Severity.WARNING)
    count = verdict.possibly_breaking
    out += _folded(f"{count} possibly breaking change{'' if count == 1 else 's'}", possibly, "fix")
    compatible = log.at(Severity.INFO)
    count = verdict.compatible
    out += _folded(f"{count} compatible change{'' if count == 1 else 's'}", compatible, None)
    if not log.changes and not log.notes and not log.policy:
        out += ["No change.", ""]
    out.append(f"<!-- contractkit:{report.command} -->")
    return "\n".join(out) + "\n"


class MarkdownReporter:
    """Render a comparison as the Markdown of a pull-request comment (see the module docstring)."""

    def render(self, report: Report, stream: TextIO, *, color: bool = False) -> None:
        """Write :func:`render_markdown` of ``report`` to ``stream``.

        Args:
            report: the changes of one comparison.
            stream: where to write (a file the CI posts as a comment, or ``$GITHUB_STEP_SUMMARY``).
            color: ignored; Markdown is never coloured.
        """
        del color
        stream.write(render_markdown(report))
