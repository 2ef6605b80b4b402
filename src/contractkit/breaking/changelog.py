"""The changelog view of a comparison: a verdict, and every change grouped by the operation it concerns.

This is a pure view over findings (reporters render it as text, JSON and the Markdown of a PR comment)::

    log = Changelog.of(report.findings)
    str(log.verdict)            # "1 breaking · 2 possibly breaking · 5 compatible"
    for group in log.groups:    # b2b-orders GET /orders, b2b-orders POST /orders, ..., then other changes
        ...

Levels: ``error`` = breaking (an existing client fails), ``warning`` = possibly breaking (some clients may
fail), ``info`` = compatible. An accepted change (approved in the ignores file) is counted apart, whatever
its level; findings about the run rather than the contract (``ignore-expired``) are notes, not changes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from contractkit.findings import Finding, Location, Report, Severity

__all__ = [
    "LEVEL_NAMES",
    "NOTE_RULES",
    "BumpAdvice",
    "ChangeReport",
    "Changelog",
    "OperationGroup",
    "Verdict",
    "is_breaking",
    "previous_location",
]

#: What each level means for a change.
LEVEL_NAMES = {Severity.ERROR: "breaking", Severity.WARNING: "possibly breaking", Severity.INFO: "compatible"}

#: Rule ids of findings about the run itself, not about a change of the contract.
NOTE_RULES = frozenset({"ignore-expired"})


@dataclass(frozen=True, slots=True)
class BumpAdvice:
    """Which version bump the changes of one contract need, and whether the revision's ``info.version`` has it.

    Attributes:
        contract: the contract id (or file name outside the catalog).
        required: ``major``, ``minor``, ``patch`` or ``none`` (nothing changed).
        base_version: ``info.version`` of the base.
        revision_version: ``info.version`` of the revision.
        minimum: the lowest version that satisfies ``required`` (``None`` when none is needed or it is unknown).
        ok: whether the revision's version satisfies it (``None`` when a version is not semver).
        note: why the requirement is relaxed or met otherwise (``0.x``, a pre-release, a new major path).
    """

    contract: str
    required: str
    base_version: str | None
    revision_version: str | None
    minimum: str | None = None
    ok: bool | None = None
    note: str = ""

    def __str__(self) -> str:
        """Return ``b2b-orders: needs a major bump (1.4.0 → 2.0.0 required); 1.5.0 is too small``."""
        if self.required == "none":
            head = f"{self.contract}: no change"
        else:
            head = f"{self.contract}: needs a {self.required} bump"
            if self.minimum is not None:
                head += f" ({self.base_version} → {self.minimum} required)"
        if self.ok is None:
            if self.base_version is None or self.revision_version is None:
                tail = "`info.version` is missing"
            else:
                tail = f"`{self.base_version}` -> `{self.revision_version}` cannot be checked (not semver)"
        elif self.ok:
            tail = f"{self.revision_version} is ok"
        elif self.base_version == self.revision_version:
            tail = f"the version is still {self.revision_version}"
        else:
            tail = f"{self.revision_version} is not enough"
        return f"{head}; {tail}" + (f" ({self.note})" if self.note else "")

    def as_dict(self) -> dict[str, object]:
        """Return ``{"contract", "required", "base", "revision", "minimum", "ok", "note", "text"}``."""
        return {
            "contract": self.contract,
            "required": self.required,
            "base": self.base_version,
            "revision": self.revision_version,
            "minimum": self.minimum,
            "ok": self.ok,
            "note": self.note or None,
            "text": str(self),
        }


@dataclass(slots=True)
class ChangeReport(Report):
    """A :class:`~contractkit.findings.Report` of changes, plus the contracts that were not compared.

    Attributes:
        skipped: ``(contract, why)`` for each contract of a kind the engine does not compare (yet).
        bumps: for each compared contract, the version bump its changes need (the versioning policy).
    """

    skipped: list[tuple[str, str]] = field(default_factory=list)
    bumps: list[BumpAdvice] = field(default_factory=list)


def is_breaking(findings: Iterable[Finding]) -> bool:
    """Return whether any change is breaking (level ``error``) and not accepted by the ignores file."""
    return any(f.severity is Severity.ERROR and f.accepted is None and f.rule_id not in NOTE_RULES for f in findings)


@dataclass(frozen=True, slots=True)
class Verdict:
    """How many changes of each kind; accepted changes are counted only in ``accepted``."""

    breaking: int = 0
    possibly_breaking: int = 0
    compatible: int = 0
    accepted: int = 0

    def __str__(self) -> str:
        text = f"{self.breaking} breaking · {self.possibly_breaking} possibly breaking · {self.compatible} compatible"
        return text + (f" · {self.accepted} accepted" if self.accepted else "")

    def as_dict(self) -> dict[str, int]:
        """Return ``{"breaking", "possibly_breaking", "compatible", "accepted"}``."""
        return {
            "breaking": self.breaking,
            "possibly_breaking": self.possibly_breaking,
            "compatible": self.compatible,
            "accepted": self.accepted,
        }


@dataclass(frozen=True, slots=True)
class OperationGroup:
    """The changes of one operation of one contract (``operation`` is ``None`` for the rest of the contract)."""

    contract: str | None
    operation: str | None
    changes: tuple[Finding, ...]

    @property
    def title(self) -> str:
        """Return ``GET /orders (b2b-orders)``, ``outside operations (b2b-orders)``, or without the contract."""
        what = self.operation or "outside operations"
        return f"{what} ({self.contract})" if self.contract else what

    @property
    def worst(self) -> Severity:
        """Return the highest level among the changes that are not accepted (``OFF`` when all are)."""
        levels = [f.severity for f in self.changes if f.accepted is None]
        return max(levels, key=lambda s: s.rank, default=Severity.OFF)


@dataclass(frozen=True, slots=True)
class Changelog:
    """Every change, grouped by operation, with the verdict and the run's notes.

    Attributes:
        verdict: the counts.
        groups: one per (contract, operation), in contract order then operation order, ``None`` last.
        notes: findings about the run (an expired ignore entry), not about the contract.
    """

    verdict: Verdict
    groups: tuple[OperationGroup, ...]
    notes: tuple[Finding, ...]

    @classmethod
    def of(cls, findings: Iterable[Finding]) -> Changelog:
        """Build the changelog of ``findings`` (``OFF`` findings are left out, as by every reporter)."""
        changes: list[Finding] = []
        notes: list[Finding] = []
        for finding in findings:
            if finding.severity is Severity.OFF:
                continue
            (notes if finding.rule_id in NOTE_RULES else changes).append(finding)
        verdict = Verdict(
            breaking=_count(changes, Severity.ERROR),
            possibly_breaking=_count(changes, Severity.WARNING),
            compatible=_count(changes, Severity.INFO),
            accepted=sum(1 for f in changes if f.accepted is not None),
        )
        grouped: dict[tuple[str, str], list[Finding]] = {}
        for finding in changes:
            grouped.setdefault((finding.contract or "", finding.operation or ""), []).append(finding)
        order = sorted(grouped, key=lambda key: (key[0], key[1] == "", _operation_order(key[1])))
        groups = tuple(
            OperationGroup(contract or None, operation or None, tuple(sorted(grouped[key], key=_change_order)))
            for key in order
            for contract, operation in [key]
        )
        return cls(verdict, groups, tuple(notes))

    def changes(self, level: Severity, *, accepted: bool = False) -> list[OperationGroup]:
        """Return the groups restricted to changes of ``level`` (accepted ones, or the others), empty ones left out."""
        result = []
        for group in self.groups:
            kept = tuple(f for f in group.changes if f.severity is level and (f.accepted is not None) is accepted)
            if kept:
                result.append(OperationGroup(group.contract, group.operation, kept))
        return result

    def accepted(self) -> list[OperationGroup]:
        """Return the groups restricted to accepted changes, of any level."""
        result = []
        for group in self.groups:
            kept = tuple(f for f in group.changes if f.accepted is not None)
            if kept:
                result.append(OperationGroup(group.contract, group.operation, kept))
        return result


def _count(changes: list[Finding], level: Severity) -> int:
    return sum(1 for f in changes if f.severity is level and f.accepted is None)


def _operation_order(operation: str) -> tuple[str, str]:
    """``GET /orders`` sorts by path, then method, so the operations of one path stay together."""
    method, _, path = operation.partition(" ")
    return (path, method) if path else (operation, "")


def _change_order(finding: Finding) -> tuple[int, str, str]:
    return (-finding.severity.rank, finding.rule_id, finding.message)


def previous_location(finding: Finding) -> Location | None:
    """Return where the changed node was in the base version, when that says more than ``location`` does.

    That is for a removal (``location`` is then the nearest node that still exists) or a move; for a change in
    place the base location is the same node in the other version's copy of the file, which adds nothing.
    """
    base = finding.base_location
    if base is None:
        return None
    if base.pointer != finding.location.pointer or _file_name(base.file) != _file_name(finding.location.file):
        return base
    return None


def _file_name(name: str) -> str:
    """``HEAD~1:contracts/x.yaml``, ``old/x.yaml`` and ``contracts/x.yaml`` are copies of one file ``x.yaml``."""
    return name.replace("\\", "/").rpartition("/")[2]
