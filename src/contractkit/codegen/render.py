"""Turning a :class:`~contractkit.codegen.schemas.SchemaSet` into Python source with datamodel-code-generator.

dcg gets one JSON Schema document whose definitions contractkit has already named; its output is then trimmed:
the shared schemas (generated once in ``contracts_common``) are replaced by imports, dcg's own root model and
header go, the operation-derived aliases and ``__all__`` are added. Formatting is ruff's (:func:`format_sources`).

One type is contractkit's own: JSON Schema's ``integer`` is a *number* with no fractional part, so ``40.0`` is an
integer (the runtime middleware accepts it), while pydantic's ``StrictInt`` refuses it. A strict integer field is
typed ``JsonInt``, defined in the module: ``StrictInt`` that first turns an integral float into an ``int`` (and
still refuses ``"40"``, ``true`` and ``40.5``), so a model accepts what the contract accepts.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
import tempfile
from importlib import metadata
from pathlib import Path
from typing import Any

from contractkit.codegen.options import CodegenOptions
from contractkit.codegen.schemas import SchemaSet
from contractkit.errors import ToolFailed

COMMON_PACKAGE = "contracts_common"
LINE_LENGTH = 120


def dcg_version() -> str:
    """Return the installed datamodel-code-generator version."""
    return metadata.version("datamodel-code-generator")


def ruff_version() -> str:
    """Return the installed ruff version (the pinned formatter of generated code)."""
    try:
        return metadata.version("ruff")
    except metadata.PackageNotFoundError:
        return "missing"


def run_dcg(schemas: SchemaSet, options: CodegenOptions, where: str) -> str:
    """Return dcg's Python source for the definitions of ``schemas``.

    Raises:
        ToolFailed: dcg is missing or could not handle a schema of ``where``.
    """
    try:
        from datamodel_code_generator import InputFileType, PythonVersion, generate
        from datamodel_code_generator.enums import DataModelType
    except ImportError as exc:  # pragma: no cover - the codegen extra is missing
        raise ToolFailed(
            "datamodel-code-generator is not installed",
            title="cannot generate models",
            tip="install the codegen extra: pip install 'contractkit[codegen]'.",
        ) from exc
    import json

    document = schemas.document()
    kwargs: dict[str, Any] = {
        "input_file_type": InputFileType.JsonSchema,
        "output_model_type": DataModelType.PydanticV2BaseModel,
        "target_python_version": PythonVersion.PY_311,
        "disable_timestamp": True,
        "use_annotated": True,
        "field_constraints": True,
        "use_schema_description": True,
        "use_field_description": True,
        "use_type_alias": True,
        "use_standard_collections": True,
        "use_union_operator": True,
        "use_double_quotes": True,
        "formatters": [],
        "skip_root_model": True,  # else dcg's root `Model` renames a schema of that name `ModelModel`
        **options.dcg_options(),
    }
    try:
        output = generate(json.dumps(document), **kwargs)
    except Exception as exc:
        detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ToolFailed(
            f"datamodel-code-generator could not generate the models of `{where}`: {detail}",
            title="cannot generate models",
            tip="the message names the schema; simplify it or report it. Nothing was written.",
        ) from exc
    if not isinstance(output, str):  # pragma: no cover - one input document gives one module
        raise ToolFailed(
            f"datamodel-code-generator returned several modules for `{where}`", title="cannot generate models"
        )
    return output


def assemble(source: str, schemas: SchemaSet, *, module: str | None) -> tuple[str, list[str]]:
    """Trim dcg's ``source`` into the final module body; return it and the names it exports.

    Args:
        source: dcg's output.
        schemas: the set it was generated from.
        module: for a common module, its own name (its schemas stay; other common modules' are imported).
    """
    tree = ast.parse(source)
    lines = source.splitlines()
    planned = set(schemas.defs)
    imported = {name: mod for name, mod in schemas.common.items() if mod != module}
    keep: list[str] = []
    defined: list[str] = []
    header_end = 0
    body = tree.body
    for index, node in enumerate(body):
        if isinstance(node, ast.ImportFrom | ast.Import):
            header_end = node.end_lineno or node.lineno
            continue
        name = _defined_name(node)
        drop = False
        if name is not None:
            drop = name in imported or (name == "Model" and "Model" not in planned)
            if not drop:
                defined.append(name)
        elif _rebuilds(node) in imported:
            drop = True
        elif _is_docstring(node) and index > 0:
            previous = _defined_name(body[index - 1])
            drop = previous is not None and (previous in imported or previous == "Model")
        if not drop:
            text = "\n".join(lines[_start_line(node) - 1 : node.end_lineno])
            if _is_docstring(node) and keep and _defined_name(body[index - 1]) is not None:
                keep[-1] += "\n" + text  # an attribute docstring stays under its alias
            else:
                keep.append(text)
    import_lines = [line for line in lines[:header_end] if line.strip() and not line.startswith("#")]
    by_module: dict[str, list[str]] = {}
    for name, mod in sorted(imported.items()):  # every shared model the contract uses, also as a body: re-exported
        by_module.setdefault(mod, []).append(name)
    common_imports = [
        f"from {COMMON_PACKAGE}.{mod} import {', '.join(sorted(names))}" for mod, names in sorted(by_module.items())
    ]
    aliases = [
        f"{alias} = {target}"
        for alias, target in sorted(schemas.aliases.items())
        if target in defined or target in imported
    ]
    exports = sorted(
        {*defined, *(n for names in by_module.values() for n in names), *(a.split(" = ")[0] for a in aliases)}
    )
    body_text = "\n\n\n".join(keep)
    helpers: list[str] = []
    if _STRICT_INT.search(body_text):
        body_text = _STRICT_INT.sub("JsonInt", body_text)
        import_lines.append("from pydantic import BeforeValidator")
        if not any(re.search(r"\bAnnotated\b", line) for line in import_lines):
            import_lines.append("from typing import Annotated")
        helpers.append(JSON_INT)
    parts = [
        "\n".join(import_lines + common_imports),
        *helpers,
        body_text,
        "\n".join(aliases),
        "__all__ = [\n" + "".join(f'    "{name}",\n' for name in exports) + "]",
    ]
    return "\n\n\n".join(part for part in parts if part) + "\n", exports


_STRICT_INT = re.compile(r"\bStrictInt\b")

#: The module-level definition of ``JsonInt`` (see the module docstring), emitted where a module needs it.
JSON_INT = '''def _integral(value: object) -> object:
    """JSON Schema's integer is a number without a fractional part: `40.0` is 40 (never `"40"` or `true`)."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


JsonInt = Annotated[StrictInt, BeforeValidator(_integral)]
"""An integer as JSON Schema (and contractkit's middleware) judges it."""'''


def _defined_name(node: ast.stmt) -> str | None:
    if isinstance(node, ast.ClassDef):
        return node.name
    if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
        return node.targets[0].id
    if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
        return node.target.id
    return None


def _is_docstring(node: ast.stmt) -> bool:
    return isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)


def _rebuilds(node: ast.stmt) -> str | None:
    """Return ``X`` for a ``X.model_rebuild()`` statement."""
    if isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
        func = node.value.func
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
            return func.value.id
    return None


def _start_line(node: ast.stmt) -> int:
    decorators: list[ast.expr] = getattr(node, "decorator_list", [])
    return min([node.lineno, *(d.lineno for d in decorators)])


def defined_names(source: str) -> list[str]:
    """Return the top-level class and alias names a module defines (to check for names dcg made up)."""
    return [name for node in ast.parse(source).body if (name := _defined_name(node)) is not None and name != "__all__"]


def format_sources(sources: dict[str, str]) -> dict[str, str]:
    """Format Python sources with ruff (isolated from any project configuration, line length 120).

    Raises:
        ToolFailed: ruff is missing or failed.
    """
    if not sources:
        return {}
    with tempfile.TemporaryDirectory(prefix="contractkit-fmt-") as tmp:
        folder = Path(tmp)
        for index, (name, text) in enumerate(sources.items()):
            (folder / f"m{index}.py").write_text(text, encoding="utf-8")
            del name
        command = [
            sys.executable,
            "-m",
            "ruff",
            "format",
            "--isolated",
            f"--line-length={LINE_LENGTH}",
            "--target-version=py311",
            "--quiet",
            str(folder),
        ]
        try:
            result = subprocess.run(command, capture_output=True, text=True, check=False)
        except OSError as exc:  # pragma: no cover - no Python to run ruff with
            raise ToolFailed(f"could not run ruff: {exc}", title="cannot format generated models") from exc
        if result.returncode != 0:
            raise ToolFailed(
                f"ruff format failed: {(result.stderr or result.stdout).strip()[:500]}",
                title="cannot format generated models",
                tip="install ruff (the codegen formatter): pip install 'ruff==0.17.6'.",
            )
        return {name: (folder / f"m{index}.py").read_text(encoding="utf-8") for index, name in enumerate(sources)}
