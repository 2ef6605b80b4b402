"""The contract a fuzz run attacks: a catalog id or a path, bundled into one document, and the URL to send to."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

from contractkit.catalog.model import FuzzPolicy
from contractkit.errors import ContractInvalid, UsageError
from contractkit.kinds import SpecKind
from contractkit.spec.servers import base_path

if TYPE_CHECKING:
    from collections.abc import Sequence


@dataclass(frozen=True, slots=True)
class FuzzSpec:
    """A loaded OpenAPI contract, ready for Schemathesis.

    Attributes:
        name: the catalog id, or the file name of a contract given by path.
        path: the contract's root file.
        document: the contract as one document (external ``$ref`` targets moved into ``components``).
        base_path: the contract's first base path (``/b2b/v1``; ``""`` at the root): the first server URL's path,
            its variables at their default (:mod:`contractkit.spec.servers`, the rule the middleware routes by).
            An operation whose path item or itself has its own `servers` is served under their first base path
            instead: a run takes the one base path of the operations it fuzzes
            (:func:`contractkit.fuzz.operations.run_base_path`).
        policy: the catalog entry's ``fuzz:`` settings (none for a file outside the catalog).
    """

    name: str
    path: Path
    document: dict[str, Any]
    base_path: str
    policy: FuzzPolicy = field(default_factory=FuzzPolicy)


def load_fuzz_spec(target: str | Path, *, catalog: Path | None = None) -> FuzzSpec:
    """Load ``target``: the id of an OpenAPI contract of the catalog, its file, or a folder holding it.

    Raises:
        ContractNotFound: ``target`` names nothing (the tip lists the catalog's ids), or a file it references.
        UsageError: ``target`` is a folder of several contracts.
        ContractSyntaxError, UnresolvedRef: the contract cannot be read.
        ContractInvalid: it is an AsyncAPI document.
    """
    from contractkit.loaders.document import load_document
    from contractkit.spec.flatten import bundle_document
    from contractkit.targets import find_catalog, resolve

    chosen = resolve(target, find_catalog(catalog))  # a file's own catalog gives its id, $ref root and fuzz settings
    name, path = chosen.name, chosen.path
    policy = chosen.contract.fuzz if chosen.contract is not None else FuzzPolicy()
    doc = load_document(path, root_dir=chosen.root_dir)
    if doc.spec.kind is not SpecKind.OPENAPI:
        raise ContractInvalid(
            f"`{name}` is an AsyncAPI contract; fuzzing sends HTTP requests, so it needs an OpenAPI contract",
            title="cannot fuzz this contract",
            tip="name an OpenAPI contract: an entry of contracts/catalog.yaml with `kind: openapi`, or its file.",
        )
    document = dict(bundle_document(doc))
    return FuzzSpec(name=name, path=path, document=document, base_path=base_path(document), policy=policy)


def resolve_base_url(base_url: str, spec: FuzzSpec, operations: Sequence[str] | None = None) -> str:
    """Return the URL the operations' paths are appended to.

    A ``base_url`` with no path (``http://127.0.0.1:8080``) gets the first base path of the operations to fuzz
    (``operations``, labels; all of the contract's when ``None``): the contract's first base path
    (``http://127.0.0.1:8080/b2b/v1``; a templated server URL with its variables at their default), or the one of
    their path items' or their own `servers`. One with a path is used as it is, so a service mounted elsewhere,
    or at the root (``http://127.0.0.1:8080/``), can be reached.

    Raises:
        UsageError: ``base_url`` is not an absolute http(s) URL; or the operations are served under different
            base paths (:func:`contractkit.fuzz.operations.run_base_path`).
    """
    from contractkit.fuzz.operations import list_operations, run_base_path

    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageError(
            f"`{base_url}` is not an http(s) URL",
            title="invalid --base-url",
            tip="give the service's address, for example --base-url http://127.0.0.1:8080",
        )
    labels = [label for label, _ in list_operations(spec.document)] if operations is None else operations
    own = run_base_path(spec.document, labels) if spec.document else spec.base_path
    path = parts.path.rstrip("/") if parts.path else own
    return urlunsplit((parts.scheme, parts.netloc, path, "", ""))
