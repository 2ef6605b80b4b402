"""Declaring breaking-change rules, and reading their category back.

Every rule is declared once, with its id, level, direction, rationale, fix and category (:func:`change_rule`).
The changelog, the gate and the reports ask a finding's rule what the finding is about, in one place::

    is_note(finding.rule_id)     # about the run (an expired ignore entry): neither a change nor a verdict
    is_policy(finding.rule_id)   # a policy's verdict on `info.version`: fails a run, counted apart from changes
    is_change(finding.rule_id)   # a change of the API: counted in the verdict

A finding's rule is registered by the module that produced the finding; a rule id no breaking rule has (an
oasdiff id under ``--engine oasdiff``, kept verbatim; a lint rule's) is a change.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from contractkit.findings import Severity
from contractkit.kinds import SpecKind
from contractkit.rules.registry import RULES, Rule, RuleCategory, RuleKind, register

ERROR, WARNING, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO
CHANGE, POLICY, NOTE = RuleCategory.CHANGE, RuleCategory.POLICY, RuleCategory.NOTE

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
        schema: a schema rule, which judges a schema at any depth (a body, property, item, parameter or header):
            AsyncAPI reports it under its own names (``received-message-*``, ``sent-message-*``).
    """

    rule: Rule
    fix: str = ""
    removes: str | None = None
    schema: bool = False

    @property
    def id(self) -> str:
        """Return the rule id."""
        return self.rule.id

    @property
    def level(self) -> Severity:
        """Return the level: error = breaking, warning = possibly breaking, info = compatible."""
        return self.rule.severity


#: Every declared breaking rule by id (the registry's :data:`~contractkit.rules.registry.RULES` holds its metadata).
CHANGE_RULES: dict[str, ChangeRule] = {}


def change_rule(
    *,
    id: str,
    level: Severity,
    direction: str,
    summary: str,
    fix: str = "",
    category: RuleCategory,
    specs: tuple[SpecKind, ...] = (SpecKind.OPENAPI,),
    removes: str | None = None,
    schema: bool = False,
) -> ChangeRule:
    """Register a breaking-change rule and return it; the module that reports it keeps it as a constant.

    Args:
        id: the stable kebab-case id: subject, then change (``request-property-removed``).
        level: error = breaking, warning = possibly breaking, info = compatible.
        direction: the side it judges (``request``, ``response``, ``operation``, ``channel``, ``message``...).
        summary: why it breaks (or does not): one line, lower-case, no final period.
        fix: how to ship the change without breaking anyone (the reporters' ``Tip:``).
        category: what its findings are about (:class:`~contractkit.rules.registry.RuleCategory`: a change of
            the API, a policy's verdict, a note about the run).
        specs: the spec kinds it applies to.
        removes: for a removal rule, what it removes (see :class:`ChangeRule`).
        schema: a schema rule, applied at any depth and renamed for AsyncAPI (see :class:`ChangeRule`).
    """
    if removes is not None and removes not in REMOVABLE:
        raise ValueError(f"rule `{id}`: `removes={removes!r}` is not one of {', '.join(REMOVABLE)}")
    rule = register(Rule(id, RuleKind.BREAKING, level, summary, specs, fix, direction, category))
    CHANGE_RULES[id] = change = ChangeRule(rule, fix, removes, schema)
    return change


def category_of(rule_id: str) -> RuleCategory:
    """Return what the findings of ``rule_id`` are about; a rule id no breaking rule has is a change."""
    rule = RULES.get(rule_id)
    if rule is None:  # a finding made by hand, or read back: load every breaking rule once, then look again
        load_rules()
        rule = RULES.get(rule_id)
    if rule is None or rule.category is None:
        return RuleCategory.CHANGE
    return rule.category


def is_change(rule_id: str) -> bool:
    """Return whether findings of ``rule_id`` are changes of the API (counted in the verdict)."""
    return category_of(rule_id) is RuleCategory.CHANGE


def is_policy(rule_id: str) -> bool:
    """Return whether findings of ``rule_id`` are a policy's verdict on the revision, not changes of the API."""
    return category_of(rule_id) is RuleCategory.POLICY


def is_note(rule_id: str) -> bool:
    """Return whether findings of ``rule_id`` are about the run itself, not about the contract."""
    return category_of(rule_id) is RuleCategory.NOTE


@cache
def load_rules() -> None:
    """Import every module that declares a breaking rule, which registers it (once per process)."""
    import contractkit.breaking.asyncapi
    import contractkit.breaking.catalog_rules
    import contractkit.breaking.ignores
    import contractkit.breaking.openapi
    import contractkit.breaking.policies  # noqa: F401
