"""The ``@lint_rule`` decorator: one function per house rule, carrying its id, severity and rationale."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass

from contractkit.findings import Severity
from contractkit.kinds import SpecKind
from contractkit.lint.context import LintContext
from contractkit.rules.registry import Rule, RuleKind, register

Check = Callable[[LintContext], None]


@dataclass(frozen=True, slots=True)
class LintRule:
    """A registered lint rule: its metadata and the function that checks a document."""

    rule: Rule
    check: Check


LINT_RULES: dict[str, LintRule] = {}


def lint_rule(
    rule_id: str,
    *,
    severity: Severity,
    summary: str,
    specs: tuple[SpecKind, ...] = (SpecKind.OPENAPI, SpecKind.ASYNCAPI),
) -> Callable[[Check], Check]:
    """Register the decorated function as the lint rule ``rule_id``.

    The function receives a :class:`LintContext` and calls ``ctx.report(at, message)`` for each violation.
    Its docstring is the rule's documentation: the first paragraph says why the rule exists, a ``Fix:``
    paragraph says what to do.

    Example:
        >>> @lint_rule("path-trailing-slash", severity=Severity.ERROR, summary="...")  # doctest: +SKIP
        ... def path_trailing_slash(ctx: LintContext) -> None: ...
    """

    def decorate(check: Check) -> Check:
        rule = register(Rule(rule_id, RuleKind.LINT, severity, summary, specs, inspect.getdoc(check) or ""))
        LINT_RULES[rule_id] = LintRule(rule, check)
        return check

    return decorate
