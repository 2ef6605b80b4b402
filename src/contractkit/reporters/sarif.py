"""The SARIF 2.1.0 reporter, for GitHub code scanning and other SARIF viewers.

One run, whose driver lists the rules that have results (with the registry's one-line summary), and one
result per finding. Paths are relative URIs with forward slashes, as GitHub expects them relative to the
repository root. Each result carries a ``partialFingerprints`` hash of its rule id, file, JSON pointer and
message, but not its line, so a finding keeps its identity when lines above it move.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import re
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from contractkit.findings import Severity
from contractkit.reporters.common import lookup_rule, posix_path, with_unreadable

if TYPE_CHECKING:
    from typing import TextIO

    from contractkit.findings import Finding, Report

SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
SARIF_VERSION = "2.1.0"
INFORMATION_URI = "https://pypi.org/project/contractkit/"
#: The key of the fingerprint in ``partialFingerprints``; bump its version if the hashed fields change.
FINGERPRINT_KEY = "contractkit/v1"

_LEVELS = {Severity.OFF: "none", Severity.INFO: "note", Severity.WARNING: "warning", Severity.ERROR: "error"}
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
_DRIVE = re.compile(r"^[A-Za-z]:/")


def tool_version() -> str:
    """Return the installed version of contractkit, or ``"0"`` when it is not installed as a distribution."""
    try:
        return importlib.metadata.version("contractkit")
    except importlib.metadata.PackageNotFoundError:
        return "0"


def artifact_uri(path: str) -> str:
    """Return ``path`` as a SARIF artifact URI.

    A relative path stays relative, with forward slashes and percent-encoding (``a b.yaml`` becomes
    ``a%20b.yaml``); an absolute path becomes a ``file://`` URI; a URL is kept as it is.
    """
    if _URL.match(path):
        return path
    posix = posix_path(path)
    if posix.startswith("//"):  # a Windows UNC path, \\server\share\...
        return "file:" + quote(posix, safe="/")
    if posix.startswith("/"):
        return "file://" + quote(posix, safe="/")
    if _DRIVE.match(posix):
        return "file:///" + quote(posix, safe="/:")
    return quote(posix, safe="/")


def fingerprint(finding: Finding) -> str:
    """Return a stable hash of the rule id, file, JSON pointer and message of ``finding`` (not its line)."""
    loc = finding.location
    fields = (finding.rule_id, posix_path(loc.file), loc.pointer, finding.message)
    return hashlib.sha256("\0".join(fields).encode("utf-8", "surrogatepass")).hexdigest()


def _rule_descriptor(rule_id: str, first: Finding) -> dict[str, Any]:
    rule = lookup_rule(rule_id)
    descriptor: dict[str, Any] = {"id": rule_id, "shortDescription": {"text": rule.summary if rule else rule_id}}
    if rule is not None and rule.doc.strip():
        descriptor["fullDescription"] = {"text": rule.doc.strip()}
    if rule is not None and rule.fix:
        descriptor["help"] = {"text": rule.fix}
    severity = rule.severity if rule is not None else first.severity
    descriptor["defaultConfiguration"] = {"level": _LEVELS[severity]}
    return descriptor


def _result(finding: Finding, rule_index: int) -> dict[str, Any]:
    loc = finding.location
    result: dict[str, Any] = {
        "ruleId": finding.rule_id,
        "ruleIndex": rule_index,
        "level": _LEVELS[finding.severity],
        "message": {"text": finding.message},
    }
    location: dict[str, Any] = {}
    if loc.file:
        physical: dict[str, Any] = {"artifactLocation": {"uri": artifact_uri(loc.file)}}
        if loc.line:
            physical["region"] = {"startLine": loc.line}
            if loc.column:
                physical["region"]["startColumn"] = loc.column
        location["physicalLocation"] = physical
    if loc.pointer:
        location["logicalLocations"] = [{"fullyQualifiedName": loc.pointer}]
    if location:
        result["locations"] = [location]
    result["partialFingerprints"] = {FINGERPRINT_KEY: fingerprint(finding)}
    extra: dict[str, object] = {"operation": finding.operation, "hint": finding.hint, "contract": finding.contract}
    if len(finding.affected) > 1:  # a problem in a shared file, reported once for every contract it affects
        extra["contracts"] = list(finding.affected)
    properties = {key: value for key, value in extra.items() if value is not None}
    if properties:
        result["properties"] = properties
    return result


def to_sarif(report: Report) -> dict[str, Any]:
    """Return ``report`` as a SARIF 2.1.0 log (``OFF`` findings left out).

    Args:
        report: the report to convert.

    Returns:
        The log as plain dicts and lists, ready for :func:`json.dump`.
    """
    findings = with_unreadable(report)
    indexes: dict[str, int] = {}
    rules: list[dict[str, Any]] = []
    for finding in findings:
        if finding.rule_id not in indexes:
            indexes[finding.rule_id] = len(rules)
            rules.append(_rule_descriptor(finding.rule_id, finding))
    driver = {"name": "contractkit", "version": tool_version(), "informationUri": INFORMATION_URI, "rules": rules}
    run = {
        "tool": {"driver": driver},
        "columnKind": "unicodeCodePoints",
        "results": [_result(f, indexes[f.rule_id]) for f in findings],
    }
    return {"$schema": SARIF_SCHEMA, "version": SARIF_VERSION, "runs": [run]}


class SarifReporter:
    """Render a report as a SARIF 2.1.0 log, indented by 2, with a trailing newline."""

    def render(self, report: Report, stream: TextIO, *, color: bool = False) -> None:
        """Write ``report`` to ``stream`` as SARIF.

        Args:
            report: the findings of one command run.
            stream: where to write (usually a ``.sarif`` file uploaded by ``github/codeql-action/upload-sarif``).
            color: ignored; SARIF is never coloured.
        """
        del color
        json.dump(to_sarif(report), stream, indent=2)
        stream.write("\n")
