"""Declaring breaking-change rules, and reading their category back.

A breaking rule is a function decorated with :func:`breaking_rule`, next to the walker that fires it, as a lint
rule is one decorated with ``@lint_rule``. The decorator carries the rule's id, level, direction, category,
one-line summary and fix; the function's docstring is its documentation (``contractkit rules``,
``docs/rules.md``, SARIF's ``fullDescription``); its body decides whether the change it is about happened and
says it. A module's walker computes what changed once (the enum values added and removed, say), and calls its
rules in the order they are declared::

    @breaking_rule(id="request-enum-value-removed", level=ERROR, direction="request", category=CHANGE,
                   summary="clients sending the removed value are rejected", fix="keep accepting the value...",
                   group=ENUM_RULES, schema=True)
    def request_enum_value_removed(change: EnumChange) -> str | None:
        '''A request schema that accepts fewer values ... (the documentation).'''
        return f"enum value(s) ... removed from {AT}" if change.request and change.removed else None

Adding a breaking rule is one such function and its case folders. The changelog, the gate and the reports ask a
finding's rule what the finding is about, in one place::

    is_note(finding.rule_id)     # about the run (an expired ignore entry): neither a change nor a verdict
    is_policy(finding.rule_id)   # a policy's verdict on `info.version`: fails a run, counted apart from changes
    is_change(finding.rule_id)   # a change of the API: counted in the verdict

A finding's rule is registered by the module that produced the finding; a rule id no breaking rule has (an
oasdiff id under ``--engine oasdiff``, kept verbatim; a lint rule's) is a change.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any, Generic, ParamSpec, TypeVar

from contractkit.findings import Severity
from contractkit.kinds import SpecKind
from contractkit.rules.registry import RULES, Rule, RuleCategory, RuleKind, register

ERROR, WARNING, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO
CHANGE, POLICY, NOTE = RuleCategory.CHANGE, RuleCategory.POLICY, RuleCategory.NOTE

P = ParamSpec("P")
R = TypeVar("R")

#: What a removal rule may remove (:attr:`ChangeRule.removes`).
REMOVABLE = ("operation", "path", "parameter", "property", "channel", "message", "header")


@dataclass(frozen=True, slots=True)
class ChangeRule(Generic[P, R]):
    """A breaking-change rule: its registered metadata and the function that fires it (call the rule to call it).

    Attributes:
        rule: the registered metadata (id, level as severity, direction, summary, fix, docstring as ``doc``).
        check: the decorated function: called by its module's walker with what changed, it returns what to say.
        removes: for a removal rule, what it removes (``operation``, ``path``, ``parameter``, ``property``,
            ``channel``, ``message``, ``header``): the deprecation policy judges such a removal by the removed
            node's ``deprecated`` flag and sunset date.
        schema: a schema rule, which judges a schema at any depth (a body, property, item, parameter or header):
            AsyncAPI reports it under its own names (``received-message-*``, ``sent-message-*``).
    """

    rule: Rule
    check: Callable[P, R]
    removes: str | None = None
    schema: bool = False

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> R:
        """Call the rule's function."""
        return self.check(*args, **kwargs)

    @property
    def fix(self) -> str:
        """Return how to ship the change without breaking anyone (the reporters' ``Tip:``; empty if compatible)."""
        return self.rule.fix

    @property
    def id(self) -> str:
        """Return the rule id."""
        return self.rule.id

    @property
    def level(self) -> Severity:
        """Return the level: error = breaking, warning = possibly breaking, info = compatible."""
        return self.rule.severity


#: Any breaking rule, whatever its function takes and returns (the type walkers and reports hold rules as).
AnyChangeRule = ChangeRule[..., Any]

#: Every declared breaking rule by id (the registry's :data:`~contractkit.rules.registry.RULES` holds its metadata).
CHANGE_RULES: dict[str, AnyChangeRule] = {}


def breaking_rule(
    *,
    id: str,
    level: Severity,
    direction: str,
    summary: str,
    category: RuleCategory,
    fix: str = "",
    specs: tuple[SpecKind, ...] = (SpecKind.OPENAPI,),
    removes: str | None = None,
    schema: bool = False,
    group: list[AnyChangeRule] | None = None,
) -> Callable[[Callable[P, R]], ChangeRule[P, R]]:
    """Register the decorated function as the breaking rule ``id``; the function's docstring is its documentation.

    The function fires the rule: its module's walker calls it with what changed and reports what it returns.

    Args:
        id: the stable kebab-case id: subject, then change (``request-property-removed``).
        level: error = breaking, warning = possibly breaking, info = compatible.
        direction: the side it judges (``request``, ``response``, ``operation``, ``channel``, ``message``...).
        summary: why it breaks (or does not): one line, lower-case, no final period.
        category: what its findings are about (:class:`~contractkit.rules.registry.RuleCategory`: a change of
            the API, a policy's verdict, a note about the run).
        fix: how to ship the change without breaking anyone (the reporters' ``Tip:``).
        specs: the spec kinds it applies to.
        removes: for a removal rule, what it removes (see :class:`ChangeRule`).
        schema: a schema rule, applied at any depth and renamed for AsyncAPI (see :class:`ChangeRule`).
        group: the walker's list of rules, which the rule joins in declaration order (the walker calls them all
            with :func:`fired`); without one, the walker calls the rule by name (a rule that reports at its own
            nodes).
    """
    if removes is not None and removes not in REMOVABLE:
        raise ValueError(f"rule `{id}`: `removes={removes!r}` is not one of {', '.join(REMOVABLE)}")

    def decorate(check: Callable[P, R]) -> ChangeRule[P, R]:
        doc = inspect.getdoc(check) or ""
        rule = register(Rule(id, RuleKind.BREAKING, level, summary, specs, doc, direction, category, fix))
        CHANGE_RULES[id] = change = ChangeRule(rule, check, removes, schema)
        if group is not None:
            group.append(change)
        return change

    return decorate


def fired(rules: Iterable[AnyChangeRule], *args: object) -> Iterator[tuple[AnyChangeRule, Any]]:
    """Call each rule with ``args``, in order; yield each one that said something (not ``None``) with what it said."""
    for rule in rules:
        said = rule.check(*args)
        if said is not None:
            yield rule, said


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
