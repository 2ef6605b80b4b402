"""Declaring breaking-change rules: every rule once, with its id, level, direction, rationale and fix."""

from __future__ import annotations

from dataclasses import dataclass

from contractkit.findings import Severity
from contractkit.kinds import SpecKind
from contractkit.rules.registry import Rule, RuleKind, register

ERROR, WARNING, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO

#: What a removal rule may remove (:attr:`ChangeRule.removes`).
REMOVABLE = ("operation", "path", "parameter", "property", "channel", "message", "header")


@dataclass(frozen=True, slots=True)
class ChangeRule:
    """A breaking-change rule: the registry entry plus the fix that reporters print as ``Tip:``.

    Attributes:
        rule: the registered metadata (id, level as severity, direction, rationale).
        fix: how to ship the change without breaking anyone (empty for compatible changes).
        removes: for a removal rule, what it removes (``operation``, ``path``, ``parameter``, ``property``,
            ``channel``, ``message``, ``header``): the deprecation policy judges such a removal by the removed
            node's ``deprecated`` flag and sunset date.
    """

    rule: Rule
    fix: str = ""
    removes: str | None = None

    @property
    def id(self) -> str:
        """Return the rule id."""
        return self.rule.id

    @property
    def level(self) -> Severity:
        """Return the level: error = breaking, warning = possibly breaking, info = compatible."""
        return self.rule.severity


def change_rule(
    rule_id: str,
    level: Severity,
    direction: str,
    summary: str,
    fix: str = "",
    *,
    specs: tuple[SpecKind, ...] = (SpecKind.OPENAPI,),
    removes: str | None = None,
) -> ChangeRule:
    """Register a breaking-change rule and return it (modules keep it as a constant and report with it).

    ``removes`` marks a removal rule with what it removes (see :class:`ChangeRule`).
    """
    if removes is not None and removes not in REMOVABLE:
        raise ValueError(f"rule `{rule_id}`: `removes={removes!r}` is not one of {', '.join(REMOVABLE)}")
    rule = register(Rule(rule_id, RuleKind.BREAKING, level, summary, specs, fix, direction))
    return ChangeRule(rule, fix, removes)
