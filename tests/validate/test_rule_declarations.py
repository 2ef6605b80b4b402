"""Validate rules are declared as lint and breaking rules are: decorated functions next to the code that fires them."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

from contractkit.rulebook import all_rules
from contractkit.rules.registry import RuleKind

# `contractkit.validate` is the public function; the package is reached by its module name.
VALIDATE = Path(str(importlib.import_module("contractkit.validate").__file__)).parent
DECORATED = re.compile(r"^@validate_rule\(\s*\"([a-z0-9-]+)\"", re.MULTILINE)


def test_every_validate_rule_is_a_documented_decorated_function() -> None:
    rules = {rule.id: rule for rule in all_rules() if rule.kind is RuleKind.VALIDATE}
    declared = [rule_id for path in sorted(VALIDATE.glob("*.py")) for rule_id in DECORATED.findall(path.read_text())]
    assert sorted(declared) == sorted(rules) and len(rules) >= 6
    assert [rule_id for rule_id, rule in rules.items() if len(rule.doc) < 40] == []
    others = [path.read_text() for path in VALIDATE.glob("*.py") if path.name != "rules.py"]
    assert [text for text in others if "register(Rule(" in text] == []
