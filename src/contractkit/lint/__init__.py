"""Lint: the house rules, configurable in the catalog."""

from contractkit.lint.context import LintContext
from contractkit.lint.engine import lint_document
from contractkit.lint.registry import LINT_RULES, lint_rule

__all__ = ["LINT_RULES", "LintContext", "lint_document", "lint_rule"]
