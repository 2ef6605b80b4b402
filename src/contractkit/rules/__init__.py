"""The one registry of rules, for every engine and spec kind."""

from contractkit.kinds import SpecKind
from contractkit.rules.registry import RULES, Rule, RuleKind, register

__all__ = ["RULES", "Rule", "RuleKind", "SpecKind", "register"]
