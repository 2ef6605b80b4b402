"""The human reporter (the default): one line per finding, grouped by file, and a summary line.

Output looks like ruff's or Spectral's ``stylish`` format::

    contracts/orders.yaml:12:5  error    operation-id-missing  operation has no `operationId`
      in GET /orders (contract orders)
      Tip: add a unique `operationId`

    1 error, 0 warnings, 0 info in 3 contracts
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from contractkit.findings import Finding, Report, Severity
from contractkit.reporters._common import location_text, printable, summary_line, visible

if TYPE_CHECKING:
    from typing import TextIO

_RESET = "\x1b[0m"
_BOLD = "1"
_DIM = "2"
_SEVERITY_STYLE = {Severity.ERROR: "1;31", Severity.WARNING: "1;33", Severity.INFO: "1;36"}
_TIP_STYLE = "32"
_SEVERITY_WIDTH = max(len(sev.value) for sev in _SEVERITY_STYLE)


def _paint(text: str, style: str, color: bool) -> str:
    return f"\x1b[{style}m{text}{_RESET}" if color else text


def _lines(text: str) -> list[str]:
    # Every line break a message may carry (``\r\n``, ``\r``, ``\u2028``...) becomes a new line.
    return [printable(line) for line in text.splitlines()] or [""]


def _context(finding: Finding) -> str | None:
    """Return ``in GET /orders (contract orders)``, either half alone, or ``None``."""
    if finding.operation and finding.contract:
        return f"in {finding.operation} (contract {finding.contract})"
    if finding.operation:
        return f"in {finding.operation}"
    if finding.contract:
        return f"in contract {finding.contract}"
    return None


def format_finding(finding: Finding, *, color: bool = False) -> list[str]:
    """Render one finding as the lines the text reporter prints for it.

    Args:
        finding: the finding (its severity must not be ``OFF``).
        color: wrap the location, severity, rule id and tip in ANSI colours.

    Returns:
        The head line ``path:line:col  severity  rule-id  message``, the continuation lines of a
        multi-line message, then an ``in <operation> (contract <id>)`` line and a ``Tip:`` line when known.
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
    context = _context(finding)
    if context is not None:
        lines.extend(f"  {line}" for line in _lines(context))
    if finding.hint:
        tip, *more = _lines(finding.hint)
        lines.append(f"  {_paint('Tip:', _TIP_STYLE, color)} {tip}")
        lines.extend(f"       {line}" for line in more)
    return lines


class TextReporter:
    """Render a report for people: findings grouped by file, then a summary line."""

    def render(self, report: Report, stream: TextIO, *, color: bool = False) -> None:
        """Write ``report`` to ``stream``.

        Args:
            report: the findings of one command run.
            stream: where to write (the CLI passes ``sys.stdout``).
            color: use ANSI colours; the CLI passes ``isatty()`` and honours ``NO_COLOR``.
        """
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
        summary = summary_line(report)
        if color:
            style = _SEVERITY_STYLE[Severity.ERROR] if report.has_at_least(Severity.ERROR) else _BOLD
            summary = _paint(summary, style, color)
        stream.write(summary + "\n")
