"""The Markdown reporter: a comparison as a pull-request comment.

The layout, made to be read in a PR and updated in place (the last line is a hidden marker a bot can look for)::

    **1 breaking · 2 possibly breaking · 5 compatible** in 3 contracts

    - b2b-orders: needs a major bump (1.4.0 → 2.0.0 required); 1.5.0 is not enough   <- one line per contract
    ### Breaking changes
    **`GET /orders`** · b2b-orders
    | change | where | fix |            <- one table per operation, each breaking change with its fix
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

from contractkit.breaking.changelog import Changelog, ChangeReport, OperationGroup, previous_location
from contractkit.findings import Severity
from contractkit.reporters._common import location_text, plural, posix_path, printable

if TYPE_CHECKING:
    from typing import TextIO

    from contractkit.findings import Finding, Report

__all__ = ["MarkdownReporter", "markdown_cell", "render_markdown"]


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


def _where(finding: Finding) -> str:
    text = _code(posix_path(location_text(finding.location)))
    before = previous_location(finding)
    if before is not None:
        text += "<br>was " + _code(posix_path(location_text(before)))
    return text


def _table(groups: list[OperationGroup], last: str | None) -> list[str]:
    """One heading and table per operation: change, where, and ``last`` (``fix``, ``accepted because``, none)."""
    out: list[str] = []
    for group in groups:
        heading = f"**{_code(group.operation, cell=False)}**" if group.operation else "**outside operations**"
        if group.contract:
            heading += f" · {markdown_cell(group.contract)}"
        head = ["change", "where", *([last] if last else [])]
        out += [heading, "", "| " + " | ".join(head) + " |", "|" + " --- |" * len(head)]
        for finding in group.changes:
            cells = [f"{markdown_cell(finding.message)} ({_code(finding.rule_id)})", _where(finding)]
            if last:
                extra = finding.accepted if last.startswith("accepted") else finding.hint
                cells.append(markdown_cell(extra or ""))
            out.append("| " + " | ".join(cells) + " |")
        out.append("")
    return out


def _folded(summary: str, groups: list[OperationGroup], last: str | None) -> list[str]:
    if not groups:
        return []
    return ["<details>", f"<summary>{summary}</summary>", "", *_table(groups, last), "</details>", ""]


def render_markdown(report: Report) -> str:
    """Return ``report`` (a ``breaking`` or ``changelog`` report) as the Markdown of a PR comment."""
    log = Changelog.of(report.findings)
    verdict = log.verdict
    checked = plural(len(report.checked), "contract")
    out = [f"**{verdict}** in {checked}", ""]
    if report.errors:
        out += [f"> **Warning**: {plural(len(report.errors), 'contract')} could not be read; see the job log.", ""]
    for name, why in report.skipped if isinstance(report, ChangeReport) else []:
        out += [f"> **Note**: {_code(name, cell=False)} was not compared: {markdown_cell(why)}", ""]
    bumps = (
        [a for a in report.bumps if a.required != "none" or a.ok is False] if isinstance(report, ChangeReport) else []
    )
    if bumps:
        out += [f"- {'⚠️ ' if advice.ok is False else ''}{markdown_cell(str(advice))}" for advice in bumps] + [""]
    breaking = log.changes(Severity.ERROR)
    if breaking:
        out += ["### Breaking changes", "", *_table(breaking, "fix")]
    accepted = log.accepted()
    if accepted:
        out += ["### Accepted changes", "", *_table(accepted, "accepted because")]
    for note in log.notes:
        where = _code(posix_path(location_text(note.location)), cell=False)
        out += [f"> **Note**: {markdown_cell(note.message)} ({where}). {markdown_cell(note.hint or '')}", ""]
    possibly = log.changes(Severity.WARNING)
    count = verdict.possibly_breaking
    out += _folded(f"{count} possibly breaking change{'' if count == 1 else 's'}", possibly, "fix")
    compatible = log.changes(Severity.INFO)
    count = verdict.compatible
    out += _folded(f"{count} compatible change{'' if count == 1 else 's'}", compatible, None)
    if not log.groups and not log.notes:
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
