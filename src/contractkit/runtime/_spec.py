"""Where the middleware's contract comes from: a loaded dict, or what :mod:`contractkit.targets` resolves.

That is a catalog id, a file, a folder holding one contract, or a generated package.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from contractkit.errors import ContractInvalid
from contractkit.kinds import SpecKind
from contractkit.loaders.document import load_document
from contractkit.spec.flatten import inline_external


def load_spec(spec: object) -> tuple[dict[str, Any], str]:
    """Return (the document with its external refs inlined, the contract's name) for any accepted ``spec``.

    Raises:
        ContractNotFound, ContractSyntaxError, ContractInvalid: the contract cannot be read.
        UsageError: ``spec`` is none of the accepted kinds, or a folder of several contracts.
    """
    if isinstance(spec, Mapping):
        root = dict(spec)
        _check_openapi(root, "the given document")
        info = root.get("info")
        title = info.get("title") if isinstance(info, dict) else None
        return root, str(title or "contract")
    from contractkit.targets import contract_target

    target = contract_target(spec, title="could not load the middleware's contract")
    doc = load_document(target.path, root_dir=target.root_dir)
    if doc.spec.kind is not SpecKind.OPENAPI:
        raise ContractInvalid(
            f"`{doc.name}` is an AsyncAPI document; the middleware enforces OpenAPI contracts",
            title="could not load the middleware's contract",
            tip="pass the OpenAPI contract of the HTTP service.",
        )
    problems = doc.ref_problems()
    if problems:
        raise problems[0]
    data = inline_external(doc)
    assert isinstance(data, dict)
    return data, target.name


def _check_openapi(root: dict[str, Any], what: str) -> None:
    version = str(root.get("openapi", ""))
    if not version.startswith(("3.0", "3.1")):
        raise ContractInvalid(
            f"{what} is not an OpenAPI 3.0/3.1 document (openapi: `{version or 'missing'}`)",
            title="could not load the middleware's contract",
            tip="pass an OpenAPI 3.0 or 3.1 document.",
        )
