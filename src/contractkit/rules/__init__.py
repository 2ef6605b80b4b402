"""The one registry of rules, for every engine and spec kind."""

from contractkit.rules.registry import RULES, Rule, RuleKind, SpecKind, all_rules, get_rule, register

__all__ = ["RULES", "Rule", "RuleKind", "SpecKind", "all_rules", "get_rule", "register"]
