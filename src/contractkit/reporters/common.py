"""The pieces every renderer shares: visible findings, counts, rule metadata, safe text and paths.

Public to the renderers of every result (the reporters here, the gate's ``gate/render/``, the fuzzer's report),
so that a contract's text reaches a terminal, a PR comment or a JUnit file escaped by one set of functions.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from contractkit import rulebook
from contractkit.findings import Finding, Location, Report, Severity
from contractkit.rules import registry
from contractkit.validate.unreadable import input_unreadable

#: The severities a reporter shows, worst first (``OFF`` findings are never shown).
SHOWN: tuple[Severity, ...] = (Severity.ERROR, Severity.WARNING, Severity.INFO)

# C0 controls (but tab and line breaks), DEL and the C1 controls: they would move a terminal's cursor,
# ring its bell or start an escape sequence taken from a contract.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def visible(report: Report) -> list[Finding]:
    """Return the findings a reporter shows: all but ``OFF``, ordered by :meth:`Finding.sort_key`.

    Args:
        report: the report to render.

    Returns:
        A new sorted list; the report itself is not changed.
    """
    return sorted((f for f in report.findings if f.severity is not Severity.OFF), key=Finding.sort_key)


def with_unreadable(report: Report) -> list[Finding]:
    """Return :func:`visible` findings plus one ``input-unreadable`` error per input that could not be read.

    The formats a CI system reads (annotations, SARIF, JUnit) must show a contract that could not even be
    parsed; the text format prints those errors on stderr instead.
    """
    extra = input_unreadable.findings(input_unreadable(report.errors))
    return sorted([*visible(report), *extra], key=Finding.sort_key)


def counts(findings: list[Finding]) -> dict[str, int]:
    """Count findings per shown severity.

    Args:
        findings: the findings to count (``OFF`` ones are ignored).

    Returns:
        ``{"error": n, "warning": n, "info": n}``, in that order.
    """
    return {sev.value: sum(1 for f in findings if f.severity is sev) for sev in SHOWN}


def plural(count: int, word: str) -> str:
    """Return ``"1 contract"`` or ``"2 contracts"``; ``info`` never takes an ``s``."""
    if count == 1 or word == "info":
        return f"{count} {word}"
    return f"{count} {word}s"


def summary_line(report: Report) -> str:
    """Return the one-line summary of a report.

    Example:
        ``2 errors, 1 warning, 0 info in 3 contracts`` or ``no findings in 5 contracts``; a contract that could
        not be read is not counted as checked (``could not read 1 contract (errors on stderr)``).
    """
    tally = counts(visible(report))
    readable, unreadable = readable_counts(report)
    if report.errors and not readable and not any(tally.values()):
        return unreadable.removeprefix("; ")  # nothing was read: "no findings" would say it was checked
    parts = ", ".join(plural(n, sev) for sev, n in tally.items()) if any(tally.values()) else "no findings"
    return f"{parts} in {plural(readable, 'contract')}{unreadable}"


def readable_counts(report: Report) -> tuple[int, str]:
    """Return how many contracts were read, and ``; could not read 1 contract (errors on stderr)`` or ``""``."""
    if not report.errors:
        return len(report.checked), ""
    readable = max(len(report.checked) - len(report.errors), 0)
    count = len(report.errors)
    what = f"{count}{' more' if readable else ''} contract{'' if count == 1 else 's'}"
    return readable, f"; could not read {what} (errors on stderr)"


def lookup_rule(rule_id: str) -> registry.Rule | None:
    """Return the registered rule ``rule_id``, or ``None`` when it is unknown or its engine is missing.

    A reporter only uses rule metadata for descriptions, so an engine that cannot be imported (or a rule
    that was never registered) must not stop it: the rule id is description enough.
    """
    try:
        return rulebook.get_rule(rule_id)
    except ImportError:
        # Some engine's rule modules are missing: use whatever was registered before the failure.
        return registry.RULES.get(rule_id)


def printable(text: str) -> str:
    r"""Replace control characters (but tab, CR and LF) with a visible escape such as ``\x1b``."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def posix_path(path: str) -> str:
    """Return ``path`` with forward slashes and no leading ``./``, as CI systems expect repository paths."""
    posix = path.replace("\\", "/")
    while posix.startswith("./"):
        posix = posix[2:]
    return posix


def location_text(location: Location) -> str:
    """Return ``path:line:col``, ``path:line``, or ``path#pointer`` when the line is unknown."""
    if location.line and location.column:
        return f"{location.file}:{location.line}:{location.column}"
    if location.line:
        return f"{location.file}:{location.line}"
    if location.pointer:
        return f"{location.file}#{location.pointer}"
    return location.file


def unique_names(names: Iterable[str]) -> list[str]:
    """Return ``names`` in order, a repeated one suffixed `` (2)``, `` (3)``...: JUnit test cases need unique names.

    Example:
        >>> unique_names(["a at f:1", "a at f:1", "b"])
        ['a at f:1', 'a at f:1 (2)', 'b']
    """
    used: set[str] = set()
    out: list[str] = []
    for name in names:
        unique, count = name, 1
        while unique in used:
            count += 1
            unique = f"{name} ({count})"
        used.add(unique)
        out.append(unique)
    return out
