r"""The JUnit XML reporter, for CI systems that show test results (GitLab, Jenkins, Azure, test-report actions).

Every contract checked is one ``<testsuite name="contractkit <command>">``. A contract without findings at
or above ``warning`` gets one passing ``<testcase>``; otherwise each such finding is a ``<testcase>`` named
``<rule> at <file:line:column> in <operation>`` (unique in its suite: a repeated name gets `` (2)``), holding a
``<failure type="<rule-id>" message="...">`` with the location, operation and tip. Info findings,
and breaking changes accepted by the ignores file (with their reason), are listed in the suite's
``<system-out>``. Findings of a contract that is not in ``report.checked`` get a
suite of their own.

The XML is built with :mod:`xml.etree.ElementTree`, and characters XML 1.0 cannot carry (most control
characters) are replaced by a visible escape such as ``\x07``. Non-ASCII text is written as character
references, so the output is plain ASCII (and so valid UTF-8) whatever the stream's encoding.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import TYPE_CHECKING

from contractkit.findings import Severity
from contractkit.reporters.common import location_text, posix_path, unique_names, with_unreadable

if TYPE_CHECKING:
    from typing import TextIO

    from contractkit.findings import Finding, Report

_XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'
# Everything outside XML 1.0's Char production: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-...].
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(text: str) -> str:
    r"""Replace the characters XML 1.0 forbids with a visible escape (``\x07``, ``\ud800``)."""

    def escape(match: re.Match[str]) -> str:
        code = ord(match.group())
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"

    return _NOT_XML.sub(escape, text)


def _element(tag: str, text: str | None = None, **attrib: str | int) -> ET.Element:
    element = ET.Element(tag, {key: xml_text(str(value)) for key, value in attrib.items()})
    if text is not None:
        element.text = xml_text(text)
    return element


def _details(finding: Finding) -> str:
    lines = [f"{finding.severity.value} at {location_text(finding.location)}"]
    if finding.location.pointer:
        lines.append(f"pointer: {finding.location.pointer}")
    if finding.operation:
        lines.append(f"operation: {finding.operation}")
    if len(finding.affected) > 1:
        lines.append(f"contracts: {', '.join(finding.affected)}")
    elif finding.contract:
        lines.append(f"contract: {finding.contract}")
    if finding.hint:
        lines.append(f"Tip: {finding.hint}")
    return "\n".join(lines)


def case_name(finding: Finding) -> str:
    """Return the test case's name: ``<rule> at <file:line:column> in <operation>``.

    The operation tells apart the findings of a change in a shared schema: one per operation, all at its place.
    """
    name = f"{finding.rule_id} at {location_text(finding.location)}"
    return f"{name} in {finding.operation}" if finding.operation else name


def _groups(report: Report, findings: list[Finding]) -> dict[str, list[Finding]]:
    """Map every checked item, then every other contract or file with findings, to its findings."""
    groups: dict[str, list[Finding]] = {item: [] for item in report.checked}
    by_path = {posix_path(item): item for item in report.checked}
    for finding in findings:
        # A finding in a shared file fails the suite of every contract it affects (each is a test of its own).
        shared = [c for c in finding.affected if c in groups] if len(finding.affected) > 1 else []
        for key in shared:
            groups[key].append(finding)
        if shared:
            continue
        candidates = [c for c in (finding.contract, finding.location.file) if c]
        known = [by_path[posix_path(c)] for c in candidates if posix_path(c) in by_path]
        key = known[0] if known else (candidates[0] if candidates else report.command)
        groups.setdefault(key, []).append(finding)
    return groups


def _suite(report: Report, item: str, findings: list[Finding]) -> ET.Element:
    suite = _element("testsuite", name=f"contractkit {report.command}")
    properties = ET.SubElement(suite, "properties")
    properties.append(_element("property", name="contract", value=item))
    failing = [f for f in findings if f.severity.at_least(Severity.WARNING) and f.accepted is None]
    for finding, name in zip(failing, unique_names(map(case_name, failing)), strict=True):
        loc = finding.location
        case = _element("testcase", classname=item, name=name)
        if loc.file:  # read by test-report actions to annotate the file
            case.set("file", xml_text(posix_path(loc.file)))
        if loc.line:
            case.set("line", str(loc.line))
        case.append(_element("failure", _details(finding), type=finding.rule_id, message=finding.message))
        suite.append(case)
    if not failing:
        suite.append(_element("testcase", classname=item, name=report.command))
    notes = [
        f"{location_text(f.location)}  info  {f.rule_id}  {f.message}"
        for f in findings
        if f.severity is Severity.INFO and f.accepted is None
    ]
    notes += [
        f"{location_text(f.location)}  accepted {f.severity.value}  {f.rule_id}  {f.message}  (reason: {f.accepted})"
        for f in findings
        if f.accepted is not None
    ]
    if notes:
        suite.append(_element("system-out", "\n".join(notes)))
    suite.set("tests", str(len(failing) or 1))
    suite.set("failures", str(len(failing)))
    suite.set("errors", "0")
    suite.set("skipped", "0")
    return suite


def to_junit(report: Report) -> ET.Element:
    """Return ``report`` as a JUnit ``<testsuites>`` element (``OFF`` findings left out).

    Args:
        report: the report to convert.

    Returns:
        The root element, with ``tests``, ``failures`` and ``errors`` totals in its attributes.
    """
    root = _element("testsuites", name=f"contractkit {report.command}")
    for item, findings in _groups(report, with_unreadable(report)).items():
        root.append(_suite(report, item, findings))
    for total in ("tests", "failures", "errors"):
        root.set(total, str(sum(int(suite.get(total, "0")) for suite in root)))
    return root


class JunitReporter:
    """Render a report as JUnit XML: a suite per contract, a failing test case per finding."""

    def render(self, report: Report, stream: TextIO, *, color: bool = False) -> None:
        """Write ``report`` to ``stream`` as an indented, ASCII-only JUnit XML document.

        Args:
            report: the findings of one command run.
            stream: where to write (usually a ``junit.xml`` file the CI system collects).
            color: ignored; XML is never coloured.
        """
        del color
        root = to_junit(report)
        ET.indent(root)
        stream.write(_XML_DECLARATION)
        stream.write(ET.tostring(root, encoding="us-ascii").decode("ascii"))
        stream.write("\n")
