"""The changelog view of a comparison: a verdict, and every change with the operations it affects.

This is a pure view over findings (reporters render it as text, JSON and the Markdown of a PR comment)::

    log = Changelog.of(report.findings)
    str(log.verdict)            # "1 breaking (in 70 operations) · 2 possibly breaking (in 3 operations) · 5 compatible"
    for change in log.changes:  # one per change, however many operations reach it
        change.message, change.operations

Levels: ``error`` = breaking (an existing client fails), ``warning`` = possibly breaking (some clients may
fail), ``info`` = compatible. An accepted change (approved in the ignores file) is counted apart, whatever
its level. What a finding is about is its rule's category (:mod:`contractkit.breaking.registry`): findings about
the run rather than the contract (``ignore-expired``) are notes, not changes; a policy's verdicts on
``info.version`` (``version-not-bumped``) fail a run as any finding does, but are counted apart from the API's
changes: a contract that only added a path is not "breaking" because its version was not bumped.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from contractkit.breaking.registry import is_change, is_note, is_policy
from contractkit.findings import Finding, Location, Report, Severity

__all__ = [
    "LEVEL_NAMES",
    "BumpAdvice",
    "Change",
    "ChangeReport",
    "Changelog",
    "Verdict",
    "group_changes",
    "is_breaking",
    "previous_location",
]

#: What each level means for a change.
LEVEL_NAMES = {Severity.ERROR: "breaking", Severity.WARNING: "possibly breaking", Severity.INFO: "compatible"}


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
    """Return whether a change of the API is breaking (level ``error``) and not accepted by the ignores file.

    Policy findings (:func:`~contractkit.breaking.registry.is_policy`) are not changes of the API: see
    :meth:`Changelog.policy_failed`.
    """
    return any(f.severity is Severity.ERROR and f.accepted is None and is_change(f.rule_id) for f in findings)


@dataclass(frozen=True, slots=True)
class Verdict:
    """How many changes of each kind, and how many operations they affect; accepted changes only in ``accepted``.

    A change is counted once however many operations it affects (see :class:`Change`).
    """

    breaking: int = 0
    possibly_breaking: int = 0
    compatible: int = 0
    accepted: int = 0
    breaking_operations: int = 0
    possibly_breaking_operations: int = 0
    compatible_operations: int = 0

    def __str__(self) -> str:
        # The number counts changes, as the reports list them; the operations those changes are in are said when
        # they are not one per change: a shared schema's change reaches several, or one operation has several.
        parts = [
            f"{count} {word}" + (f" (in {_operations(operations)})" if operations and operations != count else "")
            for count, word, operations in (
                (self.breaking, "breaking", self.breaking_operations),
                (self.possibly_breaking, "possibly breaking", self.possibly_breaking_operations),
                (self.compatible, "compatible", self.compatible_operations),
            )
        ]
        return " · ".join(parts) + (f" · {self.accepted} accepted" if self.accepted else "")

    def as_dict(self) -> dict[str, object]:
        """Return ``{"breaking", "possibly_breaking", "compatible", "accepted", "operations"}``.

        The first four count changes; ``operations`` counts, per level, the operations those changes affect.
        """
        return {
            "breaking": self.breaking,
            "possibly_breaking": self.possibly_breaking,
            "compatible": self.compatible,
            "accepted": self.accepted,
            "operations": {
                "breaking": self.breaking_operations,
                "possibly_breaking": self.possibly_breaking_operations,
                "compatible": self.compatible_operations,
            },
        }


def _operations(count: int) -> str:
    return f"{count} operation{'' if count == 1 else 's'}"


@dataclass(frozen=True, slots=True)
class Change:
    """One change of one contract, with every operation it affects.

    A change in a shared schema is found once per operation that reaches it; those findings share the contract,
    the rule, the level, the acceptance, the location and the change as said at the schema
    (:attr:`Finding.change`), and are one change here. ``--fail-on`` and the ignores file still work per
    finding, that is per operation: an operation whose finding an ignore entry accepts is in an accepted change
    of its own.

    Attributes:
        findings: one per affected operation (one finding for a change outside operations), in operation order.
    """

    findings: tuple[Finding, ...]

    @property
    def first(self) -> Finding:
        """Return the finding of the first operation: what the change says is the same for all."""
        return self.findings[0]

    @property
    def rule_id(self) -> str:
        """Return the rule id."""
        return self.first.rule_id

    @property
    def severity(self) -> Severity:
        """Return the level."""
        return self.first.severity

    @property
    def accepted(self) -> str | None:
        """Return the ignores file's reason when the change is accepted."""
        return self.first.accepted

    @property
    def contract(self) -> str | None:
        """Return the contract id."""
        return self.first.contract

    @property
    def message(self) -> str:
        """Return the change as said where it happened (at the shared schema), or the finding's message."""
        return self.first.change or self.first.message

    @property
    def location(self) -> Location:
        """Return where the change is (in the revision, or the nearest node that still exists there)."""
        return self.first.location

    @property
    def hint(self) -> str | None:
        """Return how to ship the change without breaking anyone."""
        return self.first.hint

    @property
    def operations(self) -> tuple[str, ...]:
        """Return the operations it affects, each once, ordered by path then method."""
        labels = {f.operation for f in self.findings if f.operation}
        return tuple(sorted(labels, key=_operation_order))

    def as_finding(self) -> Finding:
        """Return the change as one finding (its message, no single operation) for formats that list findings."""
        operations = self.operations
        if len(operations) == 1:
            return replace(self.first, message=self.message)
        return replace(self.first, message=self.message, operation=None)


def group_changes(findings: Iterable[Finding]) -> list[Change]:
    """Return ``findings`` (changes, not notes) as changes, ordered by contract, level and location.

    Findings are one change when they share contract, rule, level, acceptance, location (both versions') and
    what they say at the schema (``Finding.change``, or the message when there is none).
    """
    grouped: dict[tuple[object, ...], list[Finding]] = {}
    for finding in findings:
        key = (
            finding.contract,
            finding.rule_id,
            finding.severity,
            finding.accepted,
            finding.change or finding.message,
            finding.location,
            finding.base_location,
        )
        grouped.setdefault(key, []).append(finding)
    changes = [Change(tuple(sorted(group, key=_finding_order))) for group in grouped.values()]
    return sorted(changes, key=_change_order)


def _change_order(change: Change) -> tuple[str, bool, int, str, int, int, str, str]:
    loc = change.location
    return (
        change.contract or "",
        change.accepted is not None,
        -change.severity.rank,
        loc.file,
        loc.line,
        loc.column,
        change.rule_id,
        change.message,
    )


@dataclass(frozen=True, slots=True)
class Changelog:
    """Every change, each with the operations it affects, the verdict and the run's notes.

    Attributes:
        verdict: the counts of the API's changes.
        changes: the API's changes, by contract, then level (accepted changes last), then location.
        notes: findings about the run (an expired ignore entry), not about the contract.
        policy: the policy findings (:func:`~contractkit.breaking.registry.is_policy`: the versioning policy's, about
            ``info.version``), not changes of the API.
    """

    verdict: Verdict
    changes: tuple[Change, ...]
    notes: tuple[Finding, ...]
    policy: tuple[Change, ...] = ()

    @classmethod
    def of(cls, findings: Iterable[Finding]) -> Changelog:
        """Build the changelog of ``findings`` (``OFF`` findings are left out, as by every reporter)."""
        found: list[Finding] = []
        notes: list[Finding] = []
        policy: list[Finding] = []
        for finding in findings:
            if finding.severity is Severity.OFF:
                continue
            if is_note(finding.rule_id):
                notes.append(finding)
            else:
                (policy if is_policy(finding.rule_id) else found).append(finding)
        changes = tuple(group_changes(found))
        return cls(_verdict(changes), changes, tuple(notes), tuple(group_changes(policy)))

    def everything(self) -> list[Change]:
        """Return the changes and the policy findings together, in the changes' order (for lists of findings)."""
        return sorted((*self.changes, *self.policy), key=_change_order)

    def policy_failed(self) -> bool:
        """Return whether a policy finding is an error that the ignores file does not accept."""
        return any(c.severity is Severity.ERROR and c.accepted is None for c in self.policy)

    def policy_tally(self) -> dict[str, int]:
        """Return ``{"errors": n, "warnings": n}``: the policy findings the ignores file does not accept."""
        return {
            "errors": sum(1 for c in self.policy if c.severity is Severity.ERROR and c.accepted is None),
            "warnings": sum(1 for c in self.policy if c.severity is Severity.WARNING and c.accepted is None),
        }

    def policy_counts(self) -> str:
        """Return ``policy: 1 error, 1 warning`` for the policy findings not accepted, or ``""`` when there are none."""
        tally = self.policy_tally()
        parts = [
            f"{n} {word}{'' if n == 1 else 's'}"
            for n, word in ((tally["errors"], "error"), (tally["warnings"], "warning"))
            if n
        ]
        return f"policy: {', '.join(parts)}" if parts else ""

    def at(self, level: Severity, *, accepted: bool = False) -> list[Change]:
        """Return the changes of ``level``: the accepted ones, or (by default) the others."""
        return [c for c in self.changes if c.severity is level and (c.accepted is not None) is accepted]

    def accepted(self) -> list[Change]:
        """Return the accepted changes, of any level."""
        return [c for c in self.changes if c.accepted is not None]


def _verdict(changes: tuple[Change, ...]) -> Verdict:
    counts: dict[Severity, int] = {}
    operations: dict[Severity, set[tuple[str | None, str]]] = {}
    for change in changes:
        if change.accepted is not None:
            continue
        counts[change.severity] = counts.get(change.severity, 0) + 1
        operations.setdefault(change.severity, set()).update((change.contract, op) for op in change.operations)
    return Verdict(
        breaking=counts.get(Severity.ERROR, 0),
        possibly_breaking=counts.get(Severity.WARNING, 0),
        compatible=counts.get(Severity.INFO, 0),
        accepted=sum(1 for c in changes if c.accepted is not None),
        breaking_operations=len(operations.get(Severity.ERROR, ())),
        possibly_breaking_operations=len(operations.get(Severity.WARNING, ())),
        compatible_operations=len(operations.get(Severity.INFO, ())),
    )


def _finding_order(finding: Finding) -> tuple[str, str]:
    return _operation_order(finding.operation or "")


def _operation_order(operation: str) -> tuple[str, str]:
    """``GET /orders`` sorts by path, then method, so the operations of one path stay together."""
    method, _, path = operation.partition(" ")
    return (path, method) if path else (operation, "")


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
