"""The one result type every engine returns: :class:`Finding`, with its :class:`Severity` and :class:`Location`."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from contractkit.errors import ContractkitError


class Severity(enum.Enum):
    """How much a finding matters. Ordered: ``ERROR > WARNING > INFO > OFF``."""

    OFF = "off"
    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        """Return the position in the order ``off < info < warning < error``."""
        return _RANKS[self]

    def at_least(self, other: Severity) -> bool:
        """Return whether this severity is ``other`` or worse."""
        return self.rank >= other.rank

    @classmethod
    def parse(cls, value: str) -> Severity:
        """Read a severity from configuration or a flag (``warn`` is accepted for ``warning``).

        Raises:
            ValueError: when ``value`` names no severity.
        """
        text = value.strip().lower()
        if text == "warn":
            text = "warning"
        try:
            return cls(text)
        except ValueError:
            choices = ", ".join(s.value for s in cls)
            raise ValueError(f"unknown severity `{value}` (expected one of: {choices})") from None


_RANKS = {Severity.OFF: 0, Severity.INFO: 1, Severity.WARNING: 2, Severity.ERROR: 3}


@dataclass(frozen=True, slots=True, order=True)
class Location:
    """Where a finding points: a source file, the JSON pointer of the node in it, and its 1-based line/column.

    ``line`` and ``column`` are 0 when unknown (for example a file that could not be parsed at all).
    """

    file: str
    pointer: str = ""
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        if self.line:
            return f"{self.file}:{self.line}:{self.column}"
        return self.file


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem found in a contract, by validation, lint, a breaking-change check or the middleware.

    Attributes:
        rule_id: the stable, kebab-case id of the rule that produced it (``operation-id-missing``).
        severity: how much it matters, after the catalog's policy was applied.
        message: lower-case, identifiers in backticks, no final period.
        location: where it is, in the *source* file (not a bundled copy).
        operation: the operation it concerns, as ``GET /orders`` or ``SEND order.created``.
        hint: how to fix it; reporters print it as ``Tip: ...``.
        contract: the catalog id of the contract it was found in, when known.
        base_location: for a breaking change, where the node was in the base version (``location`` is then
            the revision side, or the nearest node that still exists there).
        accepted: for a breaking change that the ignores file approves, the reason given there; an accepted
            change is shown, but never fails a run.
        change: for a breaking change found in a named (shared) schema, the change as said at that schema
            (``enum value(s) `"x"` removed from `Order.status```): the findings of every operation the schema
            reaches share it, their rule and their location, and reporters show them as one change.
        contracts: every contract the finding was met in, when there are several (a problem in a shared file
            such as ``common/problem.yaml``, found once per contract that reaches it, is reported once, naming
            them all); ``contract`` is then the first of them.
    """

    rule_id: str
    severity: Severity
    message: str
    location: Location
    operation: str | None = None
    hint: str | None = None
    contract: str | None = None
    base_location: Location | None = None
    accepted: str | None = None
    change: str | None = None
    contracts: tuple[str, ...] = ()

    @property
    def affected(self) -> tuple[str, ...]:
        """Return every contract the finding concerns: ``contracts``, or ``contract`` alone, or none."""
        if self.contracts:
            return self.contracts
        return (self.contract,) if self.contract else ()

    def sort_key(self) -> tuple[str, int, int, str, str]:
        """Return the key that orders findings by file, line, column, rule and message."""
        loc = self.location
        return (loc.file, loc.line, loc.column, self.rule_id, self.message)


@dataclass(slots=True)
class Report:
    """The findings of one command run, with the contracts it looked at.

    Attributes:
        command: the command that produced it (``validate``, ``lint``...), used as a title by reporters.
        findings: every finding, sorted by :meth:`Finding.sort_key`.
        checked: the contract ids or paths that were checked, in order.
        errors: inputs that could not be read at all (each makes the command exit 2, after the findings of
            everything else have been reported).
    """

    command: str
    findings: list[Finding] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)
    errors: list[ContractkitError] = field(default_factory=list)

    def extend(self, findings: Iterable[Finding]) -> None:
        """Add findings, keeping the list sorted and free of duplicates.

        The same finding met in several contracts (a problem in a shared file, reached by each of them) is kept
        once, naming them all (:attr:`Finding.contracts`).
        """
        merged: dict[tuple[object, ...], list[Finding]] = {}
        for finding in (*self.findings, *findings):
            key = (
                finding.rule_id, finding.severity, finding.location, finding.message, finding.operation,
                finding.hint, finding.accepted, finding.change, finding.base_location,
            )  # fmt: skip
            merged.setdefault(key, []).append(finding)
        self.findings = sorted((_one(group) for group in merged.values()), key=Finding.sort_key)

    def count(self, severity: Severity) -> int:
        """Return how many findings have exactly ``severity``."""
        return sum(1 for f in self.findings if f.severity is severity)

    def has_at_least(self, severity: Severity) -> bool:
        """Return whether any finding is at ``severity`` or worse (never true for ``OFF``-only reports)."""
        return any(
            f.severity is not Severity.OFF and f.accepted is None and f.severity.at_least(severity)
            for f in self.findings
        )


def _one(group: list[Finding]) -> Finding:
    """Return the findings of ``group`` (one finding met in several contracts) as one, naming every contract."""
    first = group[0]
    contracts = sorted({c for finding in group for c in finding.affected})
    if len(contracts) <= 1:
        return (
            first if first.contract == (contracts[0] if contracts else None) else replace(first, contract=contracts[0])
        )
    return replace(first, contract=contracts[0], contracts=tuple(contracts))
