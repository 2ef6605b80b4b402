"""Declaring breaking-change rules: every rule once, with its id, level, direction, rationale and fix."""

from __future__ import annotations

from dataclasses import dataclass

from contractkit.findings import Severity
from contractkit.rules.registry import Rule, RuleKind, SpecKind, register

ERROR, WARNING, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO


@dataclass(frozen=True, slots=True)
class ChangeRule:
    """A breaking-change rule: the registry entry plus the fix that reporters print as ``Tip:``.

    Attributes:
        rule: the registered metadata (id, level as severity, direction, rationale).
        fix: how to ship the change without breaking anyone (empty for compatible changes).
    """

    rule: Rule
    fix: str = ""

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
) -> ChangeRule:
    """Register a breaking-change rule and return it (modules keep it as a constant and report with it)."""
    rule = register(Rule(rule_id, RuleKind.BREAKING, level, summary, specs, fix, direction))
    return ChangeRule(rule, fix)
