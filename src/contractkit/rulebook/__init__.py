"""Every engine's rules, loaded: the rule book that ``contractkit rules``, ``docs/rules.md`` and reporters read.

:mod:`contractkit.rules.registry` is where each engine registers its rules, at the bottom of the house; this
package sits above the engines, so it can import them all (importing an engine's rule modules registers them).
"""

from __future__ import annotations

from contractkit.rules.registry import RULES, Rule, RuleKind


def get_rule(rule_id: str) -> Rule | None:
    """Return the rule registered as ``rule_id``, loading every engine's rules first."""
    _load_all()
    return RULES.get(rule_id)


def all_rules() -> list[Rule]:
    """Return every registered rule of every engine, sorted by kind then id."""
    _load_all()
    order = {kind: index for index, kind in enumerate(RuleKind)}
    return sorted(RULES.values(), key=lambda r: (order[r.kind], r.id))


def _load_all() -> None:
    # Importing the engines registers their rules; each import is done once by Python.
    import contractkit.lint.rules  # noqa: F401
    from contractkit.breaking.registry import load_rules
    from contractkit.validate.rules import load_rules as load_validate_rules

    load_rules()
    load_validate_rules()
