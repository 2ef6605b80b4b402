"""Where a messaging contract comes from: a loaded dict, or what :mod:`contractkit.targets` resolves.

That is a catalog id, a file, a folder holding one contract, or a generated package.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

from contractkit.errors import ContractInvalid, UsageError
from contractkit.kinds import SpecKind
from contractkit.loaders.document import Document, detect_spec, load_document
from contractkit.loaders.files import FileStore
from contractkit.loaders.refs import RefResolver
from contractkit.loaders.source import parse_source

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

    ``catalog`` is the catalog file to look an id up in; by default ``contracts/catalog.yaml`` in the working
    directory or above it. A file or folder that it does not hold names its own catalog (found above it).

    Raises:
        ContractNotFound, ContractSyntaxError, ContractInvalid, UnresolvedRef: the contract cannot be read.
        UsageError: ``spec`` is none of the accepted kinds, or a folder of several contracts.
    """
    if isinstance(spec, Mapping):
        return LoadedContract(_from_mapping(spec), _title(spec))
    from contractkit.targets import contract_target

    target = contract_target(spec, catalog=catalog, title=_TITLE)
    models = spec if isinstance(spec, ModuleType) else None
    return LoadedContract(_checked(load_document(target.path, root_dir=target.root_dir)), target.name, models)


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
