"""What the diff walkers report into: both documents, and a way to record a change with both locations."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from contractkit.breaking.registry import AnyChangeRule
from contractkit.findings import Finding
from contractkit.loaders.document import Cursor, Document


class RemovalPolicy(Protocol):
    """What judges a removal (a rule with ``removes`` set) by the removed node, e.g. its deprecation and sunset."""

    def judge_removal(self, finding: Finding, rule: AnyChangeRule, base: Cursor) -> Finding:
        """Return ``finding`` as the policy wants it reported (unchanged, downgraded, or another rule's).

        Called for each removal (a rule with ``removes`` set) reported with the removed ``base`` node.
        """
        ...


@dataclass(slots=True)
class DiffContext:
    """One comparison of a base and a revision document.

    Attributes:
        base: the document before the change.
        revision: the document after it.
        contract: the catalog id, when known.
        changes: what was found so far.
        cache: memo of derived views (a schema shared by many operations is normalised once per side).
        policy: judges removals by the removed node (the deprecation policy); ``None``: every removal as is.
    """

    base: Document
    revision: Document
    contract: str | None = None
    changes: list[Finding] = field(default_factory=list)
    cache: dict[object, object] = field(default_factory=dict)
    policy: RemovalPolicy | None = None

    def report(
        self,
        rule: AnyChangeRule,
        message: str,
        *,
        base: Cursor | None = None,
        revision: Cursor | None = None,
        near: Cursor | None = None,
        operation: str | None = None,
        change: str | None = None,
    ) -> None:
        """Record a change.

        ``revision`` is where the change is in the new version; for a removal, ``near`` is the closest node
        that still exists there (the finding points at it, so a PR annotation lands on a changed file).
        ``change`` says the change at the shared schema where it happened (see ``Finding.change``).
        """
        anchor = revision or near
        if anchor is not None:
            location = anchor.location
        elif base is not None:
            location = base.location
        else:
            location = self.revision.root.location(())
        finding = Finding(
            rule.id,
            rule.level,
            message,
            location,
            operation=operation,
            hint=rule.fix or None,
            contract=self.contract,
            base_location=base.location if base is not None else None,
            change=change,
        )
        if self.policy is not None and base is not None and rule.removes is not None:
            finding = self.policy.judge_removal(finding, rule, base)
        self.changes.append(finding)
