"""A :class:`FuzzResult` as text (the console summary), Markdown (the report file) and JUnit XML.

The renderers (:class:`FuzzTextRenderer`, :class:`FuzzMarkdownRenderer`, :class:`FuzzJunitRenderer`) are the
``fuzz`` table of :mod:`contractkit.outputs`; the CLI writes every report through that table.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import TYPE_CHECKING

from contractkit.reporters import plural
from contractkit.reporters.junit import xml_text

if TYPE_CHECKING:
    from typing import TextIO

    from contractkit.fuzz.result import FailedCheck, FuzzResult

__all__ = [
    "FuzzJunitRenderer",
    "FuzzMarkdownRenderer",
    "FuzzTextRenderer",
    "render_junit",
    "render_markdown",
    "render_text",
    "verdict",
]

_MESSAGE_LINES = 12
_STOP_TEXT = {
    "completed": "",
    "time-budget": "stopped early: the time budget of {budget:g} s was spent (raise --time-budget to test more)",
    "interrupted": "interrupted before the end",
    "server-unavailable": "stopped early: the service stopped answering",
}


def verdict(result: FuzzResult) -> str:
    """Return the one-line outcome: ``passed``/``failed``, with requests, failures and errors counted."""
    word = "passed" if result.ok else "failed"
    parts = [
        plural(result.requests, "request"),
        plural(len(result.operations), "operation"),
        plural(len(result.failures), "failed check"),
    ]
    if result.errors:
        parts.append(plural(len(result.errors), "error"))
    return f"fuzz {word}: " + ", ".join(parts) + f" in {result.elapsed:.1f} s (seed {result.seed})"


def _stop_note(result: FuzzResult) -> str:
    return _STOP_TEXT[result.stop].format(budget=result.time_budget)


def _short(message: str) -> str:
    lines = [line.rstrip() for line in message.splitlines()]
    while lines and not lines[-1]:
        lines.pop()
    if len(lines) > _MESSAGE_LINES:
        lines = [*lines[:_MESSAGE_LINES], f"... ({len(lines) - _MESSAGE_LINES} more lines)"]
    return "\n".join(lines)


def _status(failure: FailedCheck) -> str:
    return f" (status {failure.status_code})" if failure.status_code is not None else ""


def render_text(result: FuzzResult) -> str:
    """Return the console summary: each failure with its check and curl line, the requests per operation."""
    out = [f"contractkit fuzz {result.contract} -> {result.base_url}", ""]
    for number, failure in enumerate(result.failures, 1):
        out.append(f"{number}. {failure.operation}: {failure.check} failed{_status(failure)}")
        out.append(f"   {failure.title}")
        for line in _short(failure.message).splitlines():
            out.append(f"   {line}" if line else "")
        if failure.curl:
            out += ["   reproduce with:", f"   {failure.curl}"]
        out.append("")
    for error in result.errors:
        out.append(f"error: {error.operation or 'run'}: {error.title}")
        out += [f"   {line}" for line in _short(error.message).splitlines()]
        out.append("")
    width = max((len(op.operation) for op in result.operations), default=9)
    out.append(f"{'operation'.ljust(width)}  requests  failures")
    for op in result.operations:
        note = f"  (not tested: {op.skipped})" if op.skipped else ""
        out.append(f"{op.operation.ljust(width)}  {op.requests:>8}  {op.failures:>8}{note}")
    out.append("")
    note = _stop_note(result)
    if note:
        out.append(note)
    out.append(verdict(result))
    return "\n".join(out) + "\n"


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_markdown(result: FuzzResult) -> str:
    """Return the Markdown report: settings, the requests per operation, then every failure in full."""
    out = [
        f"# Fuzz report: `{result.contract}`",
        "",
        f"**{verdict(result)}**",
        "",
        f"- target: `{result.base_url}`",
        f"- seed: `{result.seed}` (repeat the run with `--seed {result.seed}`)",
        f"- bounds: at most {result.max_examples} examples per operation and phase, "
        f"time budget {result.time_budget:g} s, {result.elapsed:.1f} s used",
        f"- checks: {', '.join(f'`{check}`' for check in result.checks)}",
        f"- stateful sequences (OpenAPI links): {'yes' if result.stateful else 'none run'}",
    ]
    note = _stop_note(result)
    if note:
        out.append(f"- **{note}**")
    out += ["", "## Operations", "", "| operation | requests | failed checks | note |", "| --- | ---: | ---: | --- |"]
    for op in result.operations:
        out.append(
            f"| `{_md_cell(op.operation)}` | {op.requests} | {op.failures} | "
            f"{_md_cell('not tested: ' + op.skipped) if op.skipped else ''} |"
        )
    out.append(f"| **total** | {result.requests} | {len(result.failures)} | |")
    if result.failures:
        out += ["", "## Failures"]
        for number, failure in enumerate(result.failures, 1):
            seen = f", seen {failure.occurrences} times" if failure.occurrences > 1 else ""
            out += [
                "",
                f"### {number}. `{failure.operation}`: `{failure.check}`",
                "",
                f"{failure.title}{_status(failure)}{seen}.",
                "",
                "```text",
                failure.message.replace("```", "'''"),
                "```",
            ]
            if failure.curl:
                out += ["", "Reproduce:", "", "```sh", failure.curl, "```"]
    if result.errors:
        out += ["", "## Errors", ""]
        for error in result.errors:
            out += [f"- `{error.operation or 'run'}`: **{error.title}**: {_md_cell(error.message)}"]
    return "\n".join(out) + "\n"


def render_junit(result: FuzzResult) -> str:
    """Return JUnit XML: one ``<testsuite>``, one ``<testcase>`` per operation, a ``<failure>`` per failed check.

    An operation with an error gets an ``<error>``; one that was not tested is ``<skipped>``.
    """
    suite = ET.Element(
        "testsuite",
        {
            "name": xml_text(f"contractkit fuzz {result.contract}"),
            "tests": str(len(result.operations)),
            "failures": str(sum(1 for op in result.operations if op.failures)),
            "errors": str(len(result.errors)),
            "skipped": str(sum(1 for op in result.operations if op.skipped)),
            "time": f"{result.elapsed:.3f}",
        },
    )
    properties = ET.SubElement(suite, "properties")
    for name, value in (
        ("seed", str(result.seed)),
        ("base_url", result.base_url),
        ("checks", ",".join(result.checks)),
        ("stop", result.stop),
    ):
        ET.SubElement(properties, "property", {"name": name, "value": xml_text(value)})
    for op in result.operations:
        case = ET.SubElement(
            suite, "testcase", {"classname": xml_text(result.contract), "name": xml_text(op.operation)}
        )
        for failure in (f for f in result.failures if f.operation == op.operation):
            element = ET.SubElement(
                case, "failure", {"type": failure.check, "message": xml_text(f"{failure.title}{_status(failure)}")}
            )
            element.text = xml_text(f"{failure.message}\n\nReproduce:\n{failure.curl}\n")
        for error in (e for e in result.errors if e.operation == op.operation):
            element = ET.SubElement(case, "error", {"type": "error", "message": xml_text(error.title)})
            element.text = xml_text(error.message)
        if op.skipped and not op.requests:
            ET.SubElement(case, "skipped", {"message": xml_text(op.skipped)})
        ET.SubElement(case, "system-out").text = f"{op.requests} requests"
    other = [e for e in result.errors if e.operation not in {op.operation for op in result.operations}]
    if other:
        ET.SubElement(suite, "system-err").text = xml_text(
            "\n".join(f"{e.operation or 'run'}: {e.title}: {e.message}" for e in other)
        )
    ET.indent(suite)
    body: str = ET.tostring(suite, encoding="unicode")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"


class FuzzTextRenderer:
    """The console summary of a fuzz run (:func:`render_text`): the ``text`` format of :data:`outputs.FUZZ`."""

    def render(self, result: FuzzResult, stream: TextIO, *, color: bool = False) -> None:
        """Write :func:`render_text` of ``result`` to ``stream`` (``color`` is ignored)."""
        stream.write(render_text(result))


class FuzzMarkdownRenderer:
    """The Markdown report of an HTTP fuzz run (:func:`render_markdown`): ``--report``."""

    def render(self, result: FuzzResult, stream: TextIO, *, color: bool = False) -> None:
        """Write :func:`render_markdown` of ``result`` to ``stream`` (``color`` is ignored)."""
        stream.write(render_markdown(result))


class FuzzJunitRenderer:
    """JUnit XML of a fuzz run, HTTP or messages (:func:`render_junit`): ``--junit-xml``."""

    def render(self, result: FuzzResult, stream: TextIO, *, color: bool = False) -> None:
        """Write :func:`render_junit` of ``result`` to ``stream`` (``color`` is ignored)."""
        stream.write(render_junit(result))
