"""What the gate found: one :class:`ContractResult` per contract it checked, gathered in a :class:`GateResult`.

The result is a value, built by :func:`contractkit.gate.run.run_gate` and read by the renderers; nothing here
reads files or runs git.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from contractkit.breaking.changelog import BumpAdvice
from contractkit.breaking.registry import is_note, is_policy
from contractkit.findings import Finding, Location, Severity

if TYPE_CHECKING:
    from contractkit.errors import ContractkitError

__all__ = [
    "STEPS",
    "Accepted",
    "Affected",
    "Base",
    "ContractResult",
    "GateResult",
    "Plan",
    "Reason",
    "Step",
    "comparison_step",
]

#: The steps, in the order they run.
Step = Literal["validate", "lint", "breaking", "semver", "gen"]
STEPS: tuple[Step, ...] = ("validate", "lint", "breaking", "semver", "gen")


def comparison_step(finding: Finding) -> Step | None:
    """Return the step a finding of the comparison belongs to, by its rule's category.

    ``semver`` for a policy's verdict on ``info.version``, ``breaking`` for a change of the API, ``None`` for a
    note about the run (an expired ignore entry: one of the gate's own notes).
    """
    if is_note(finding.rule_id):
        return None
    return "semver" if is_policy(finding.rule_id) else "breaking"


#: How a changed file makes a contract affected.
Via = Literal["contract", "ref", "catalog-entry", "catalog-policy", "generated", "unresolved", "all"]


@dataclass(frozen=True, slots=True)
class Base:
    """The revision the gate compares with.

    Attributes:
        ref: what was asked for (``main``, ``origin/main``, ``HEAD~1``).
        commit: the merge base of ``ref`` and ``HEAD``: the commit actually compared with.
        name: how findings name it (``main`` when ``ref`` is that commit, else the short commit id), as in
            ``main:contracts/common/money.yaml``.
    """

    ref: str
    commit: str
    name: str = ""

    @property
    def short(self) -> str:
        """Return ``main (1a2b3c4)``."""
        return f"{self.ref} ({self.commit[:7]})"


@dataclass(frozen=True, slots=True)
class Reason:
    """Why a contract is checked: a changed file, and how it reaches the contract.

    Attributes:
        file: the changed file, relative to the repository's top (``contracts/common/money.yaml``).
        via: ``contract`` (its own root file), ``ref`` (reached through ``$ref``), ``catalog-entry`` (its catalog
            entry changed), ``catalog-policy`` (a catalog-wide block changed), ``generated`` (its generated models
            were edited), ``unresolved`` (its ``$ref``s do not all resolve), ``all`` (``--all``).
        detail: more words, for ``catalog-policy`` the block (``lint``).
    """

    file: str
    via: Via
    detail: str = ""

    def __str__(self) -> str:
        texts = {
            "contract": f"`{self.file}` changed",
            "ref": f"it reaches `{self.file}` through $ref",
            "catalog-entry": f"its entry in `{self.file}` changed",
            "catalog-policy": f"the `{self.detail}` block of `{self.file}` changed",
            "generated": f"its generated models `{self.file}` changed",
            "unresolved": "its $refs do not all resolve",
            "all": "--all",
        }
        return texts[self.via]

    def as_dict(self) -> dict[str, str]:
        """Return ``{"file", "via", "detail"}``."""
        return {"file": self.file, "via": self.via, "detail": self.detail}


@dataclass(frozen=True, slots=True)
class Affected:
    """A contract the gate checks, and why.

    Attributes:
        id: the contract id.
        kind: ``openapi`` or ``asyncapi``.
        path: its root file, relative to the repository's top.
        owner: the owning team from the catalog.
        lifecycle: ``draft``, ``stable`` or ``deprecated``.
        reasons: the changed files that make it affected.
    """

    id: str
    kind: str
    path: str
    owner: str
    lifecycle: str
    reasons: tuple[Reason, ...]

    def as_dict(self) -> dict[str, object]:
        """Return the entry of ``--list-changed --format json``."""
        return {
            "id": self.id,
            "kind": self.kind,
            "path": self.path,
            "owner": self.owner,
            "lifecycle": self.lifecycle,
            "why": [reason.as_dict() for reason in self.reasons],
        }


@dataclass(frozen=True, slots=True)
class Plan:
    """What the gate checks: the affected contracts, the ones it skips, and what changed.

    Attributes:
        base: the revision compared with.
        everything: ``--all`` was given.
        affected: the contracts to check, in catalog order.
        skipped: the ids of the contracts left out (nothing they reach changed).
        removed: ``(id, owner)`` of contracts the catalog listed at the base and no longer does.
        changed: every changed file, relative to the repository's top.
        unused: changed files below the catalog's folder that no contract reaches (shown as a note).
    """

    base: Base
    everything: bool
    affected: tuple[Affected, ...]
    skipped: tuple[str, ...]
    removed: tuple[tuple[str, str], ...] = ()
    changed: tuple[str, ...] = ()
    unused: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, object]:
        """Return the document of ``contractkit ci --list-changed --format json``."""
        return {
            "base": {"ref": self.base.ref, "commit": self.base.commit, "name": self.base.name},
            "all": self.everything,
            "ids": [a.id for a in self.affected],
            "contracts": [a.as_dict() for a in self.affected],
            "removed": [{"id": cid, "owner": owner} for cid, owner in self.removed],
            "skipped": list(self.skipped),
            "changed_files": list(self.changed),
            "unused_changes": list(self.unused),
        }


@dataclass(frozen=True, slots=True)
class Accepted:
    """A breaking change the ignores file approves: shown with its reason and expiry, never failing the gate.

    Attributes:
        finding: the change.
        reason: the entry's ``reason``.
        expires: the entry's last day.
        entry: where the entry is in the ignores file.
        approved_by: who added the entry and in which commit (``Ana Silva in 1a2b3c4``), from ``git blame``.
    """

    finding: Finding
    reason: str
    expires: dt.date | None
    entry: Location | None
    approved_by: str = ""


@dataclass(slots=True)
class ContractResult:
    """Everything the gate found for one contract.

    Attributes:
        contract: the contract and why it was checked.
        findings: every finding of every step, each with its step (validate, lint, breaking, semver).
        bump: the version bump its changes need, when it was compared.
        gen: the state of its generated models: ``ok``, ``stale``, ``skipped`` (no ``generated/`` folder), or
            ``""`` when the step did not run for it.
        errors: what could not be read (the gate then exits 2).
        accepted: the breaking changes the ignores file approves, with the entry that does.
        notes: why a step did not run for it (``new since the base: nothing to compare``).
    """

    contract: Affected
    findings: list[tuple[Step, Finding]] = field(default_factory=list)
    bump: BumpAdvice | None = None
    gen: str = ""
    errors: list[ContractkitError] = field(default_factory=list)
    accepted: list[Accepted] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def id(self) -> str:
        """Return the contract id."""
        return self.contract.id

    def of(self, step: Step) -> list[Finding]:
        """Return the findings of ``step`` (``OFF`` ones left out)."""
        return [f for s, f in self.findings if s == step and f.severity is not Severity.OFF]

    def failing(self, fail_on: Severity) -> list[tuple[Step, Finding]]:
        """Return the findings that fail the gate: at or above ``fail_on`` and not accepted."""
        return [
            (s, f)
            for s, f in self.findings
            if f.severity is not Severity.OFF and f.accepted is None and f.severity.at_least(fail_on)
        ]

    def breaking(self) -> list[Finding]:
        """Return the breaking changes (level ``error``, not accepted, not a note about the run)."""
        return [
            f
            for f in self.of("breaking")
            if f.severity is Severity.ERROR and f.accepted is None and not is_note(f.rule_id)
        ]

    def status(self, fail_on: Severity) -> Literal["error", "failed", "passed"]:
        """Return ``error`` (could not be read), ``failed`` or ``passed``."""
        if self.errors:
            return "error"
        if self.failing(fail_on) or self.gen == "stale":
            return "failed"
        return "passed"


@dataclass(slots=True)
class GateResult:
    """The outcome of one gate run.

    Attributes:
        plan: what was checked and why, and what was skipped.
        contracts: one result per checked contract (and per contract removed from the catalog), in catalog order.
        fail_on: the lowest severity that fails the gate.
        errors: problems that belong to no one contract (the ignores file, an unreadable base catalog).
        notes: findings about the run (an expired ignores entry).
        gen_ran: whether ``gen --check`` ran (``generated/`` exists and something was checked).
        gen_shared: the state of the shared models package (``contracts_common``): ``ok``, ``stale`` or ``""``.
        gen_diff: the unified diff ``gen`` would make, when something is stale.
    """

    plan: Plan
    contracts: list[ContractResult]
    fail_on: Severity = Severity.ERROR
    errors: list[ContractkitError] = field(default_factory=list)
    notes: list[Finding] = field(default_factory=list)
    gen_ran: bool = False
    gen_shared: str = ""
    gen_diff: str = ""

    @property
    def failed(self) -> list[ContractResult]:
        """Return the contracts that fail the gate."""
        return [c for c in self.contracts if c.status(self.fail_on) == "failed"]

    @property
    def broken(self) -> bool:
        """Return whether something could not be read (exit 2)."""
        return bool(self.errors) or any(c.errors for c in self.contracts)

    @property
    def passed(self) -> bool:
        """Return whether the gate passes: nothing fails and everything could be read."""
        notes_fail = any(n.severity.at_least(self.fail_on) for n in self.notes)
        return not self.failed and not self.broken and not notes_fail and self.gen_shared != "stale"

    def exit_code(self) -> int:
        """Return 0 (passes), 1 (fails) or 2 (could not run: something could not be read)."""
        if self.broken:
            return 2
        return 0 if self.passed else 1
