"""The rules of structural validation and of the catalog check, declared as lint and breaking rules are.

A validate rule is a function decorated with :func:`validate_rule`, next to the code that fires it (the engine,
the catalog check, the reading of an input). It yields what it found (:class:`Said`: a message, a place, a tip)
and its rule turns each into a finding (:meth:`ValidateRule.findings`); its docstring is its documentation
(``contractkit rules``, ``docs/rules.md``)::

    @validate_rule("ref-unresolved", summary="every `$ref` must lead somewhere")
    def ref_unresolved(doc: Document) -> Iterator[Said]:
        '''A `$ref` that leads nowhere ... (the documentation).'''
        for problem in doc.ref_problems():
            yield Said(problem.detail, problem.location, problem.tip)

    findings = ref_unresolved.findings(ref_unresolved(doc), contract="b2b-orders")
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from typing import Generic, ParamSpec

from contractkit.findings import Finding, Location, Severity
from contractkit.kinds import SpecKind
from contractkit.rules.registry import Rule, RuleKind, register

P = ParamSpec("P")


@dataclass(frozen=True, slots=True)
class Said:
    """One problem a validate rule found: what, where, and what to do (``None``: nothing to add)."""

    message: str
    location: Location
    hint: str | None = None


@dataclass(frozen=True, slots=True)
class ValidateRule(Generic[P]):
    """A validate rule: its registered metadata and the function that finds its problems (call the rule to call it)."""

    rule: Rule
    check: Callable[P, Iterable[Said]]

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> Iterable[Said]:
        """Call the rule's function."""
        return self.check(*args, **kwargs)

    def findings(self, said: Iterable[Said], contract: str | None = None) -> list[Finding]:
        """Return each problem of ``said`` as a finding of this rule (of the catalog contract ``contract``)."""
        rule = self.rule
        return [Finding(rule.id, rule.severity, s.message, s.location, hint=s.hint, contract=contract) for s in said]


def validate_rule(
    rule_id: str,
    *,
    summary: str,
    severity: Severity = Severity.ERROR,
    specs: tuple[SpecKind, ...] = (SpecKind.OPENAPI, SpecKind.ASYNCAPI),
) -> Callable[[Callable[P, Iterable[Said]]], ValidateRule[P]]:
    """Register the decorated function as the validate rule ``rule_id``; its docstring is the rule's documentation."""

    def decorate(check: Callable[P, Iterable[Said]]) -> ValidateRule[P]:
        doc = inspect.getdoc(check) or ""
        return ValidateRule(register(Rule(rule_id, RuleKind.VALIDATE, severity, summary, specs, doc)), check)

    return decorate


@cache
def load_rules() -> None:
    """Import every module that declares a validate rule, which registers it (once per process)."""
    import contractkit.validate.catalog_rules
    import contractkit.validate.engine
    import contractkit.validate.unreadable  # noqa: F401
