"""The library API: `import contractkit` names every command's function and its types, each on first use."""

from __future__ import annotations

import subprocess
import sys

import pytest

import contractkit


def test_every_exported_name_resolves_and_the_list_is_sorted() -> None:
    exported = contractkit.__all__
    assert exported == sorted(exported) and len(set(exported)) == len(exported)
    assert set(exported) == {*contractkit._EXPORTS, "__version__"}
    for name in exported:
        assert getattr(contractkit, name) is not None, name
    assert isinstance(contractkit.__version__, str) and contractkit.__version__


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        contractkit.nope  # noqa: B018


@pytest.mark.parametrize("forbidden", ["typer", "openapi_spec_validator", "schemathesis", "contractkit.api"])
def test_importing_contractkit_imports_nothing_heavy(forbidden: str) -> None:
    code = f"import contractkit, sys; print({forbidden!r} in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


@pytest.mark.parametrize(
    "first",
    [
        pytest.param("import contractkit.api", id="api-first"),
        pytest.param("import contractkit.validate.openapi, contractkit.lint.rules", id="engines-first"),
        pytest.param("contractkit.check", id="another-function-first"),
        pytest.param("", id="nothing-first"),
    ],
)
def test_lint_and_validate_stay_functions_whatever_was_imported_first(first: str) -> None:
    # `contractkit.lint` and `contractkit.validate` are also subpackages: Python binds a subpackage to its parent's
    # attribute when it first imports it, which would turn the public function into a module.
    code = (
        f"import contractkit\n{first}\nimport contractkit.lint.registry, contractkit.validate.asyncapi\n"
        "print(callable(contractkit.lint), callable(contractkit.validate), "
        "callable(contractkit.lint), callable(contractkit.validate))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["True"] * 4
