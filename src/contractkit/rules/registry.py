"""The rule registry: every rule of every engine is registered here once, with its metadata.

A rule has a stable kebab-case id, the engine it belongs to (``validate``, ``lint``, ``breaking``), the spec
kinds it applies to, a default severity and a one-line rationale; a breaking rule also has a category (what
its findings are about: :class:`RuleCategory`). Engines register their rules with
:func:`register` (lint rules through the ``@lint_rule`` decorator in :mod:`contractkit.lint.registry`);
``contractkit rules`` and ``docs/rules.md`` are generated from :data:`RULES`, once
:mod:`contractkit.rulebook` has loaded every engine.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass

from contractkit.findings import Severity
from contractkit.kinds import SpecKind

_KEBAB = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")


class RuleKind(enum.Enum):
    """The engine a rule belongs to."""

    VALIDATE = "validate"
    LINT = "lint"
    BREAKING = "breaking"


class RuleCategory(enum.Enum):
    """What the findings of a breaking rule are about: how the changelog, the gate and the reports count them.

    Attributes:
        CHANGE: a change of the API from the base to the revision (a path removed, a property added, a removal
            before its sunset): counted in the verdict as breaking, possibly breaking or compatible.
        POLICY: a policy's verdict on the revision, not a change of the API (``info.version`` not bumped): it
            fails a run as any finding does (``--fail-on``), but reports count it apart from the API's changes,
            and ``contractkit ci`` shows it in its ``semver`` step.
        NOTE: about the run itself, not the contract (an expired entry of the ignores file): neither a change
            nor a verdict, shown with its plain severity.
    """

    CHANGE = "change"
    POLICY = "policy"
    NOTE = "note"


@dataclass(frozen=True, slots=True)
class Rule:
    """The metadata of one rule.

    Attributes:
        id: stable kebab-case id, printed with every finding.
        kind: the engine that reports it.
        severity: the default severity; the catalog's policy may change it.
        summary: a one-line rationale (why the rule exists).
        specs: the spec kinds it applies to.
        doc: the longer user documentation (the rule function's docstring).
        direction: for breaking rules, the side of the exchange it judges (``request``, ``response``...).
        category: for breaking rules, what their findings are about; ``None`` for validate and lint rules.
        fix: how to resolve a finding of the rule (a breaking rule's ``Tip:``: how to ship the change without
            breaking anyone; empty for compatible changes).
    """

    id: str
    kind: RuleKind
    severity: Severity
    summary: str
    specs: tuple[SpecKind, ...] = (SpecKind.OPENAPI, SpecKind.ASYNCAPI)
    doc: str = ""
    direction: str = ""
    category: RuleCategory | None = None
    fix: str = ""


RULES: dict[str, Rule] = {}


def register(rule: Rule) -> Rule:
    """Add ``rule`` to :data:`RULES`.

    Raises:
        ValueError: the id is not kebab-case, is already taken by another rule, or the summary is empty.
    """
    if not _KEBAB.match(rule.id):
        raise ValueError(f"rule id `{rule.id}` is not kebab-case")
    existing = RULES.get(rule.id)
    if existing is not None and existing != rule:
        raise ValueError(f"rule id `{rule.id}` is registered twice")
    if not rule.summary.strip():
        raise ValueError(f"rule `{rule.id}` has no summary")
    RULES[rule.id] = rule
    return rule
