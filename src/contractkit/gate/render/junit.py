"""The gate as JUnit XML: one ``<testsuite>`` per contract, one ``<testcase>`` per step.

A step that fails the gate holds a ``<failure>`` listing its findings (file:line, rule, message, fix); a step that
did not run is ``<skipped>``; accepted changes are in the suite's ``<system-out>``. Contracts the gate skipped get
a suite with one skipped test case, so a CI test view shows them too.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import TYPE_CHECKING

from contractkit.gate.model import STEPS
from contractkit.gate.render._common import why_text
from contractkit.reporters.common import location_text, unique_names
from contractkit.reporters.junit import xml_text

if TYPE_CHECKING:
    from typing import TextIO

    from contractkit.gate.model import ContractResult, GateResult, Step

__all__ = ["GateJunitRenderer", "render_junit"]


def _element(parent: ET.Element, tag: str, text: str | None = None, **attrib: str | int) -> ET.Element:
    element = ET.SubElement(parent, tag, {key: xml_text(str(value)) for key, value in attrib.items()})
    if text is not None:
        element.text = xml_text(text)
    return element


def _ran(result: ContractResult, step: Step) -> bool:
    if result.errors:
        return False
    if step in ("breaking", "semver"):
        return result.bump is not None or bool(result.of("breaking"))
    if step == "gen":
        return result.gen in ("ok", "stale")
    return result.contract.lifecycle != "removed"


def _suite(root: ET.Element, result: ContractResult, gate: GateResult) -> None:
    failing = result.failing(gate.fail_on)
    name = f"contractkit ci {result.id}"
    suite = _element(root, "testsuite", name=name, tests=len(STEPS))
    props = _element(suite, "properties")
    _element(props, "property", name="owner", value=result.contract.owner)
    _element(props, "property", name="path", value=result.contract.path)
    _element(props, "property", name="why", value=why_text(result))
    failures = skipped = errors = 0
    for error in result.errors:
        case = _element(suite, "testcase", classname=name, name="read")
        where = f"\n{location_text(error.location)}" if error.location is not None else ""
        _element(case, "error", f"{error.detail}{where}\nTip: {error.tip or ''}", message=error.title)
        errors += 1
    for step in STEPS:
        case = _element(suite, "testcase", classname=name, name=step)
        mine = [f for s, f in failing if s == step]
        if mine:
            lines = []
            for f in mine:
                lines.append(f"{location_text(f.location)}  {f.severity.value}  {f.rule_id}  {f.message}")
                if f.hint:
                    lines.append(f"  Tip: {f.hint}")
            _element(case, "failure", "\n".join(lines), message=f"{len(mine)} finding(s)", type=mine[0].rule_id)
            failures += 1
        elif step == "gen" and result.gen == "stale":
            _element(case, "failure", "run `contractkit gen` and commit the result", message="stale generated models")
            failures += 1
        elif not _ran(result, step):
            _element(case, "skipped", message="not run for this contract")
            skipped += 1
    if result.accepted:
        text = "\n".join(
            f"accepted {a.finding.rule_id} at {location_text(a.finding.location)}: {a.reason}"
            + (f" (expires {a.expires.isoformat()})" if a.expires else "")
            for a in result.accepted
        )
        _element(suite, "system-out", text)
    suite.set("tests", str(len(STEPS) + len(result.errors)))
    suite.set("failures", str(failures))
    suite.set("errors", str(errors))
    suite.set("skipped", str(skipped))


def render_junit(result: GateResult) -> str:
    """Return the gate result as JUnit XML."""
    root = ET.Element("testsuites", name="contractkit ci")
    for contract in result.contracts:
        _suite(root, contract, result)
    for cid in result.plan.skipped:
        suite = _element(root, "testsuite", name=f"contractkit ci {cid}", tests=1, skipped=1, failures=0, errors=0)
        case = _element(suite, "testcase", classname=f"contractkit ci {cid}", name="gate")
        _element(case, "skipped", message=f"nothing it reaches changed since {result.plan.base.name}")
    if result.errors:
        suite = _element(root, "testsuite", name="contractkit ci", tests=len(result.errors), errors=len(result.errors))
        names = [
            f"{error.title} at {location_text(error.location)}" if error.location is not None else error.title
            for error in result.errors
        ]
        for error, name in zip(result.errors, unique_names(names), strict=True):
            case = _element(suite, "testcase", classname="contractkit ci", name=name)
            _element(case, "error", error.detail, message=error.title)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


class GateJunitRenderer:
    """Render a gate result as JUnit XML."""

    def render(self, result: GateResult, stream: TextIO, *, color: bool = False) -> None:
        """Write :func:`render_junit` of ``result`` to ``stream``."""
        del color
        stream.write(render_junit(result))
