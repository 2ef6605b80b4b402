"""The command line is a thin shell over the library API: it imports what `import contractkit` offers, nothing deeper.

Besides the CLI's own modules, a command may import the public package (``from contractkit import generate``), the
output tables (``contractkit.outputs``), the error tree and findings, and option modules (``*.options``: option
types and their defaults) and error modules (``*.errors``). Anything else would be logic a library user cannot
reach the same way.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import contractkit
import contractkit.cli

CLI = Path(contractkit.cli.__file__).parent
ALLOWED = re.compile(r"^contractkit(\.cli(\..+)?|\.outputs|\.errors|\.findings|\.[a-z_]+\.(options|errors))?$")


def imports(path: Path) -> list[tuple[int, str, list[str]]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("contractkit"):
            found.append((node.lineno, node.module, [alias.name for alias in node.names]))
        elif isinstance(node, ast.Import):
            found += [(node.lineno, a.name, []) for a in node.names if a.name.startswith("contractkit")]
    return found


@pytest.mark.parametrize("path", sorted(CLI.glob("*.py")), ids=lambda p: p.name)
def test_a_command_imports_only_the_library_api(path: Path) -> None:
    deeper = [f"{path.name}:{line}: {module}" for line, module, _ in imports(path) if not ALLOWED.match(module)]
    assert deeper == []
    from_package = [name for _, module, names in imports(path) if module == "contractkit" for name in names]
    assert [name for name in from_package if name not in contractkit.__all__] == []


@pytest.mark.parametrize(
    ("module", "allowed"),
    [
        ("contractkit", True),
        ("contractkit.cli._errors", True),
        ("contractkit.outputs", True),
        ("contractkit.fuzz.options", True),
        ("contractkit.messaging.errors", True),
        ("contractkit.codegen.gen", False),
        ("contractkit.gate.render", False),
        ("contractkit.reporters", False),
        ("contractkit.fuzz.options.extra", False),
    ],
)
def test_the_rule_tells_the_api_from_what_is_below_it(module: str, allowed: bool) -> None:
    assert bool(ALLOWED.match(module)) is allowed
