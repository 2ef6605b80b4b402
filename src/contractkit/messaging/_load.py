"""Where a messaging contract comes from: a file, a loaded dict, a catalog id, or a generated package."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

from contractkit.errors import ContractInvalid, ContractkitError, ContractNotFound, UsageError
from contractkit.kinds import SpecKind
from contractkit.loaders.document import Document, detect_spec, load_document
from contractkit.loaders.files import FileStore
from contractkit.loaders.refs import RefResolver
from contractkit.loaders.source import parse_source

_CONTRACT_ID = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
_TITLE = "could not load the messaging contract"


@dataclass(frozen=True, slots=True)
class LoadedContract:
    """An AsyncAPI document and what to call it.

    Attributes:
        doc: the loaded document.
        name: the catalog id (``order-events``), a generated package's ``CONTRACT_ID``, or the file's name.
        models: the generated package the contract came from, whose Pydantic models shape consumed payloads.
    """

    doc: Document
    name: str
    models: ModuleType | None = None


def load_asyncapi(spec: object, *, catalog: Path | None = None) -> LoadedContract:
    """Load an AsyncAPI 2.x/3.x contract from a path, a dict, a catalog id or a generated package.

    ``catalog`` is the catalog file to look an id up in (and that holds a file given by path); by default
    ``contracts/catalog.yaml`` in the working directory or above it (above the file, for a path).

    Raises:
        ContractNotFound, ContractSyntaxError, ContractInvalid, UnresolvedRef: the contract cannot be read.
        UsageError: ``spec`` is none of the accepted kinds.
    """
    if isinstance(spec, Mapping):
        return LoadedContract(_from_mapping(spec), _title(spec))
    if isinstance(spec, str | Path):
        path = Path(spec)
        if path.is_file():
            return LoadedContract(_from_file(path, catalog=catalog), _catalog_id(path, catalog) or path.name)
        if isinstance(spec, str) and _CONTRACT_ID.match(spec):
            return _from_catalog(spec, catalog)
        raise ContractNotFound(
            f"`{spec}` is neither a file nor a catalog contract id",
            title=_TITLE,
            tip="pass the path of an AsyncAPI file, or the id of a contract in contracts/catalog.yaml.",
        )
    contract = getattr(spec, "CONTRACT", None)
    if isinstance(contract, str | Path):
        path = Path(contract)
        module_file = getattr(spec, "__file__", None)
        if not path.is_absolute() and isinstance(module_file, str):
            path = Path(module_file).parent / path
        name = getattr(spec, "CONTRACT_ID", None) or getattr(spec, "__name__", path.name)
        return LoadedContract(_from_file(path), str(name), spec if isinstance(spec, ModuleType) else None)
    raise UsageError(
        f"cannot use a {type(spec).__name__} as a messaging contract",
        title=_TITLE,
        tip="pass a path, a dict, a catalog contract id, or a generated package (it has a `CONTRACT` path).",
    )


def _title(spec: Mapping[str, object]) -> str:
    info = spec.get("info")
    title = info.get("title") if isinstance(info, Mapping) else None
    return str(title or "contract")


def _from_mapping(spec: Mapping[str, object]) -> Document:
    """A document given as data: local refs only (there is no file to resolve others against)."""
    try:
        text = json.dumps(spec)
    except (TypeError, ValueError) as exc:
        raise UsageError(f"the given document is not JSON data: {exc}", title=_TITLE) from None
    store = FileStore()
    source = parse_source(text, name="<dict>", path=Path.cwd() / "<dict>", limits=store.limits)
    return _checked(Document(source, detect_spec(source), RefResolver(store, Path.cwd())))


def _from_file(path: Path, root_dir: Path | None = None, *, catalog: Path | None = None) -> Document:
    if root_dir is None:
        from contractkit.catalog import find_catalog

        found = catalog or (find_catalog(path.resolve().parent) if path.exists() else None)
        if found is not None and path.resolve().is_relative_to(found.resolve().parent):
            root_dir = found.resolve().parent
    return _checked(load_document(path, root_dir=root_dir))


def _catalog_id(path: Path, catalog: Path | None = None) -> str | None:
    """Return the catalog id of the contract at ``path``, when ``catalog`` (or a catalog above it) lists it."""
    from contractkit.catalog import find_catalog, read_catalog

    found = catalog or find_catalog(path.resolve().parent)
    if found is None:
        return None
    try:
        contract = read_catalog(found).by_path(path.resolve())
    except ContractkitError:
        return None
    return contract.id if contract is not None else None


def _checked(doc: Document) -> Document:
    if doc.spec.kind is not SpecKind.ASYNCAPI:
        raise ContractInvalid(
            f"`{doc.name}` is an OpenAPI document; the messaging runtime enforces AsyncAPI contracts",
            title=_TITLE,
            tip="pass the AsyncAPI contract of the message streams (the HTTP middleware takes OpenAPI ones).",
        )
    problems = doc.ref_problems()
    if problems:
        raise problems[0]
    return doc


def _from_catalog(contract_id: str, path: Path | None = None) -> LoadedContract:
    from contractkit.catalog import load_catalog

    catalog = load_catalog(path)
    if catalog is None:
        raise ContractNotFound(
            f"`{contract_id}` looks like a catalog contract id, but there is no contracts/catalog.yaml here",
            title=_TITLE,
            tip="run from the repository that holds contracts/, name the catalog with --catalog, or pass the "
            "contract's path.",
        )
    contract = catalog.get(contract_id)
    if contract is None:
        known = ", ".join(f"`{c.id}`" for c in catalog.contracts if c.kind is SpecKind.ASYNCAPI)
        raise ContractNotFound(
            f"the catalog has no contract `{contract_id}` (AsyncAPI contracts: {known})",
            title=_TITLE,
            tip=f"check the id against {catalog.path}.",
        )
    return LoadedContract(_from_file(contract.path, root_dir=catalog.root), contract.id)
