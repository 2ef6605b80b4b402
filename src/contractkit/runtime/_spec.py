"""Where the middleware's contract comes from: a file, a loaded dict, a catalog id, or a generated package."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from contractkit.errors import ContractInvalid, ContractNotFound, UsageError
from contractkit.kinds import SpecKind
from contractkit.loaders.document import load_document
from contractkit.loaders.inline import inline_external

_CONTRACT_ID = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")


def load_spec(spec: object) -> tuple[dict[str, Any], str]:
    """Return (the document with its external refs inlined, the contract's name) for any accepted ``spec``.

    Raises:
        ContractNotFound, ContractSyntaxError, ContractInvalid: the contract cannot be read.
        UsageError: ``spec`` is none of the accepted kinds.
    """
    if isinstance(spec, Mapping):
        root = dict(spec)
        _check_openapi(root, "the given document")
        info = root.get("info")
        title = info.get("title") if isinstance(info, dict) else None
        return root, str(title or "contract")
    if isinstance(spec, str | Path):
        path = Path(spec)
        if path.is_file():
            return _from_file(path, path.name)
        if isinstance(spec, str) and _CONTRACT_ID.match(spec):
            return _from_catalog(spec)
        raise ContractNotFound(
            f"`{spec}` is neither a file nor a catalog contract id",
            title="could not load the middleware's contract",
            tip="pass the path of the contract file, or the id of a contract in contracts/catalog.yaml.",
        )
    contract = getattr(spec, "CONTRACT", None)
    if isinstance(contract, str | Path):
        path = Path(contract)
        module_file = getattr(spec, "__file__", None)
        if not path.is_absolute() and isinstance(module_file, str):
            path = Path(module_file).parent / path
        return _from_file(path, getattr(spec, "__name__", path.name))
    raise UsageError(
        f"cannot use a {type(spec).__name__} as a contract",
        title="could not load the middleware's contract",
        tip="pass a path, a dict, a catalog contract id, or a generated package (it has a `CONTRACT` path).",
    )


def _from_file(path: Path, name: str, root_dir: Path | None = None) -> tuple[dict[str, Any], str]:
    if root_dir is None:
        # A contract inside a catalog may reference the shared files next to it (contracts/common/...).
        from contractkit.catalog import find_catalog

        catalog = find_catalog(path.resolve().parent) if path.exists() else None
        if catalog is not None and path.resolve().is_relative_to(catalog.parent):
            root_dir = catalog.parent
    doc = load_document(path, root_dir=root_dir)
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
    return data, name


def _from_catalog(contract_id: str) -> tuple[dict[str, Any], str]:
    from contractkit.catalog import load_catalog

    catalog = load_catalog()
    if catalog is None:
        raise ContractNotFound(
            f"`{contract_id}` looks like a catalog contract id, but there is no contracts/catalog.yaml here",
            title="could not load the middleware's contract",
            tip="run the service from the repository that holds contracts/, or pass the contract's path.",
        )
    contract = catalog.get(contract_id)
    if contract is None:
        known = ", ".join(f"`{c.id}`" for c in catalog.contracts if c.kind is SpecKind.OPENAPI)
        raise ContractNotFound(
            f"the catalog has no contract `{contract_id}` (OpenAPI contracts: {known})",
            title="could not load the middleware's contract",
            location=None,
            tip=f"check the id against {catalog.path}.",
        )
    root, _ = _from_file(contract.path, contract.id, root_dir=catalog.root)
    return root, contract.id


def _check_openapi(root: dict[str, Any], what: str) -> None:
    version = str(root.get("openapi", ""))
    if not version.startswith(("3.0", "3.1")):
        raise ContractInvalid(
            f"{what} is not an OpenAPI 3.0/3.1 document (openapi: `{version or 'missing'}`)",
            title="could not load the middleware's contract",
            tip="pass an OpenAPI 3.0 or 3.1 document.",
        )
