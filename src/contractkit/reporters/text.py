"""The human reporter (the default): one line per finding, grouped by file, and a summary line.

Output looks like ruff's or Spectral's ``stylish`` format::

    contracts/orders.yaml:12:5  error    operation-id-missing  operation has no `operationId`
      in GET /orders (contract orders)
      Tip: add a unique `operationId`

    1 error, 0 warnings, 0 info in 3 contracts
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from contractkit.breaking.changelog import (
    LEVEL_NAMES,
    Change,
    Changelog,
    ChangeReport,
    group_changes,
    previous_location,
)
from contractkit.breaking.registry import is_note, is_policy
from contractkit.findings import Finding, Report, Severity
from contractkit.reporters.common import location_text, plural, printable, readable_counts, summary_line, visible

if TYPE_CHECKING:
    from typing import TextIO

_RESET = "\x1b[0m"
_BOLD = "1"
_DIM = "2"
_SEVERITY_STYLE = {Severity.ERROR: "1;31", Severity.WARNING: "1;33", Severity.INFO: "1;36"}
_TIP_STYLE = "32"
_ACCEPTED_STYLE = "1;32"
_SEVERITY_WIDTH = max(len(sev.value) for sev in _SEVERITY_STYLE)


def _paint(text: str, style: str, color: bool) -> str:
    return f"\x1b[{style}m{text}{_RESET}" if color else text


def _lines(text: str) -> list[str]:
    # Every line break a message may carry (``\r\n``, ``\r``, ``\u2028``...) becomes a new line.
    return [printable(line) for line in text.splitlines()] or [""]


def _context(finding: Finding) -> str | None:
    """Return ``in GET /orders (contract orders)``, either half alone, or ``None``.

    A finding met in several contracts (in a shared file) names them all: ``in contracts a, b, c``.
    """
    contracts = finding.affected
    which = (
        f"contracts {', '.join(contracts)}" if len(contracts) > 1 else f"contract {contracts[0]}" if contracts else ""
    )
    if finding.operation and which:
        return f"in {finding.operation} ({which})"
    if finding.operation:
        return f"in {finding.operation}"
    if which:
        return f"in {which}"
    return None


def format_finding(finding: Finding, *, color: bool = False, context: list[str] | None = None) -> list[str]:
    """Render one finding as the lines the text reporter prints for it.

    Args:
        finding: the finding (its severity must not be ``OFF``).
        color: wrap the location, severity, rule id and tip in ANSI colours.
        context: the lines to print instead of the ``in <operation>`` line (the operations of a change).

    Returns:
        The head line ``path:line:col  severity  rule-id  message``, the continuation lines of a
        multi-line message, then an ``in <operation> (contract <id>)`` line, for a change a ``was at`` line
        (where a removed node was) and an ``accepted:`` line (the ignores file's reason), and a ``Tip:`` line.
    """
    first, *rest = _lines(finding.message)
    padding = " " * (_SEVERITY_WIDTH - len(finding.severity.value))
    lines = [
        "  ".join(
            (
                _paint(printable(location_text(finding.location)), _BOLD, color),
                _paint(finding.severity.value, _SEVERITY_STYLE[finding.severity], color) + padding,
                _paint(printable(finding.rule_id), _DIM, color),
                first,
            )
        )
    ]
    lines.extend(f"  {line}" for line in rest)
    if context is not None:
        lines.extend(context)
    elif (own := _context(finding)) is not None:
        lines.extend(f"  {line}" for line in _lines(own))
    before = previous_location(finding)
    if before is not None:
        lines.append(f"  was at {printable(location_text(before))}")
    if finding.accepted is not None:
        reason, *more = _lines(finding.accepted)
        lines.append(f"  {_paint('accepted:', _ACCEPTED_STYLE, color)} {reason}")
        lines.extend(f"            {line}" for line in more)
    if finding.hint:
        tip, *more = _lines(finding.hint)
        lines.append(f"  {_paint('Tip:', _TIP_STYLE, color)} {tip}")
        lines.extend(f"       {line}" for line in more)
    return lines


def format_change(change: Change, *, color: bool = False) -> list[str]:
    """Render one change as :func:`format_finding` renders its first finding, said where the change happened.

    A change that affects several operations names them all on its ``in`` line: ``in 3 operations (contract
    c): GET /a, GET /b, POST /b`` (wrapped).
    """
    operations = change.operations
    if len(operations) < 2:
        return format_finding(change.as_finding(), color=color)
    where = f" (contract {change.contract})" if change.contract else ""
    context = _wrapped(f"in {len(operations)} operations{where}:", operations, "  ", "      ")
    return format_finding(change.as_finding(), color=color, context=context)


class TextReporter:
    """Render a report for people: findings grouped by file, then a summary line."""

    def render(self, report: Report, stream: TextIO, *, color: bool = False) -> None:
        """Write ``report`` to ``stream``.

        Args:
            report: the findings of one command run.
            stream: where to write (the CLI passes ``sys.stdout``).
            color: use ANSI colours; the CLI passes ``isatty()`` and honours ``NO_COLOR``.
        """
        self.write_findings(report, stream, color=color)
        self.write_summary(summary_line(report), report, stream, color=color)

    def write_findings(self, report: Report, stream: TextIO, *, color: bool = False) -> None:
        """Write every visible finding, a blank line between files and after the last one."""
        previous_file: str | None = None
        findings = visible(report)
        for finding in findings:
            if previous_file is not None and finding.location.file != previous_file:
                stream.write("\n")
            previous_file = finding.location.file
            for line in format_finding(finding, color=color):
                stream.write(line + "\n")
        if findings:
            stream.write("\n")

    def write_summary(self, summary: str, report: Report, stream: TextIO, *, color: bool = False) -> None:
        """Write the summary line, red when ``report`` has an error that is not accepted."""
        if color:
            style = _SEVERITY_STYLE[Severity.ERROR] if report.has_at_least(Severity.ERROR) else _BOLD
            summary = _paint(summary, style, color)
        stream.write(summary + "\n")


def change_summary(report: Report, *, shown: str = "") -> str:
    """Return the verdict line of a change report: ``1 breaking · 0 possibly breaking · 2 compatible in 3 contracts``.

    Args:
        report: a ``breaking`` or ``changelog`` report.
        shown: a note appended after the contracts (what the output left out).
    """
    log = Changelog.of(report.findings)
    readable, unreadable = readable_counts(report)
    skipped = report.skipped if isinstance(report, ChangeReport) else []
    if skipped:
        unreadable += f"; not compared: {', '.join(name for name, _ in skipped)}"
    policy = log.policy_counts()  # about `info.version`, not the API: counted apart
    policy = f" · {policy}" if policy else ""
    return f"{log.verdict} in {plural(readable, 'contract')}{policy}{unreadable}{shown}"


class BreakingTextReporter(TextReporter):
    """Render a ``breaking`` report: breaking and possibly breaking changes (accepted ones too), then the verdict.

    Compatible changes are only counted (``contractkit changelog`` lists them); every other format has them all.
    """

    def render(self, report: Report, stream: TextIO, *, color: bool = False) -> None:
        """Write the changes at ``warning`` or above, grouped by file, then the verdict line.

        Args:
            report: the changes of one comparison.
            stream: where to write.
            color: use ANSI colours.
        """
        log = Changelog.of(report.findings)
        kept = [
            c
            for c in log.everything()
            if c.severity.at_least(Severity.WARNING) or c.accepted is not None or c in log.policy
        ]
        hidden = log.verdict.compatible
        note = f" (compatible changes: `contractkit changelog` lists {'it' if hidden == 1 else 'them'})"
        previous_file: str | None = None
        for change in sorted(kept, key=lambda c: c.first.sort_key()):
            if previous_file is not None and change.location.file != previous_file:
                stream.write("\n")
            previous_file = change.location.file
            for line in format_change(change, color=color):
                stream.write(line + "\n")
        for finding in log.notes:
            stream.write("\n" if previous_file is not None else "")
            previous_file = finding.location.file
            for line in format_finding(finding, color=color):
                stream.write(line + "\n")
        if kept or log.notes:
            stream.write("\n")
        write_bumps(report, stream, color=color)
        self.write_summary(change_summary(report, shown=note if hidden else ""), report, stream, color=color)


class ChangelogTextReporter:
    """Render every change once, with the operations it affects, breaking ones first, then the verdict."""

    def render(self, report: Report, stream: TextIO, *, color: bool = False) -> None:
        """Write one block per contract (its changes, worst first), the notes about the run, and the verdict line.

        Args:
            report: the changes of one comparison.
            stream: where to write.
            color: use ANSI colours.
        """
        log = Changelog.of(report.findings)
        contracts: dict[str | None, list[Change]] = {}
        for change in log.everything():
            contracts.setdefault(change.contract, []).append(change)
        for contract, changes in contracts.items():
            stream.write(_paint(printable(contract or "changes"), _BOLD, color) + "\n")
            for change in changes:
                stream.write("\n".join(_change_lines(change, color)) + "\n")
            stream.write("\n")
        if log.notes:
            stream.write(_paint("about this run", _BOLD, color) + "\n")
            for change in group_changes(log.notes):
                stream.write("\n".join(_change_lines(change, color)) + "\n")
            stream.write("\n")
        write_bumps(report, stream, color=color)
        summary = change_summary(report)
        if color:
            failed = log.verdict.breaking or log.policy_failed()
            summary = _paint(summary, _SEVERITY_STYLE[Severity.ERROR] if failed else _BOLD, color)
        stream.write(summary + "\n")


def write_bumps(report: Report, stream: TextIO, *, color: bool = False) -> None:
    """Write the version bump each changed contract needs (``version  b2b-orders: needs a major bump ...``).

    Contracts that did not change and whose version did not go down are left out (the JSON lists them all).
    """
    bumps = (
        [a for a in report.bumps if a.required != "none" or a.ok is False] if isinstance(report, ChangeReport) else []
    )
    for advice in bumps:
        style = _SEVERITY_STYLE[Severity.ERROR] if advice.ok is False else _BOLD
        stream.write(f"{_paint('version', style, color)}  {printable(str(advice))}\n")
    if bumps:
        stream.write("\n")


def _change_lines(change: Change, color: bool) -> list[str]:
    """``  breaking  rule-id  message`` then the location, the operations, the acceptance and the tip."""
    finding = change.first
    if finding.accepted is not None:
        label = "accepted"
    elif is_note(finding.rule_id):  # about the run, not a change: its plain severity
        label = finding.severity.value
    elif is_policy(finding.rule_id):  # about `info.version`, not the API
        label = "policy"
    else:
        label = LEVEL_NAMES.get(finding.severity, finding.severity.value)
    style = _ACCEPTED_STYLE if finding.accepted is not None else _SEVERITY_STYLE[finding.severity]
    first, *rest = _lines(change.message)
    pad = " " * (_LABEL_WIDTH - len(label))
    lines = [f"  {_paint(label, style, color)}{pad}  {_paint(printable(finding.rule_id), _DIM, color)}  {first}"]
    indent = " " * (_LABEL_WIDTH + 4)
    lines.extend(indent + line for line in rest)
    where = f"at {location_text(finding.location)}"
    before = previous_location(finding)
    if before is not None:
        where += f", was at {location_text(before)}"
    lines.append(indent + printable(where))
    operations = change.operations
    if len(operations) == 1:
        lines.append(indent + printable(f"in {operations[0]}"))
    elif operations:
        lines.extend(_wrapped(f"in {len(operations)} operations:", operations, indent, indent + "  "))
    if finding.accepted is not None:
        lines.extend(indent + line for line in _lines(f"accepted ({finding.severity.value}): {finding.accepted}"))
    if finding.hint:
        tip, *more = _lines(finding.hint)
        lines.append(f"{indent}{_paint('Tip:', _TIP_STYLE, color)} {tip}")
        lines.extend(f"{indent}     {line}" for line in more)
    return lines


def _wrapped(head: str, items: tuple[str, ...], first: str, rest: str, width: int = 116) -> list[str]:
    """Return ``head`` then ``items`` separated by commas, wrapped at ``width`` columns between items only."""
    lines = [first + printable(head)]
    for index, item in enumerate(items):
        piece = printable(item) + ("," if index < len(items) - 1 else "")
        if len(lines[-1]) + 1 + len(piece) > width:
            lines.append(rest + piece)  # a line always takes its first item, however long
        else:
            lines[-1] += " " + piece
    return lines


_LABEL_WIDTH = max(len(name) for name in (*LEVEL_NAMES.values(), "accepted"))
