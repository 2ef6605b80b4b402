"""The catalog check's rules: a contract on disk the catalog does not list, and a catalog entry of the wrong kind."""

from __future__ import annotations

from collections.abc import Iterator

from contractkit.catalog.model import Catalog, Contract
from contractkit.findings import Location
from contractkit.loaders.document import Document
from contractkit.loaders.files import display_name
from contractkit.targets import stray_contracts
from contractkit.validate.rules import Said, validate_rule


@validate_rule(
    "contract-not-in-catalog",
    summary="a contract on disk that the catalog does not list escapes every check and has no owner",
)
def contract_not_in_catalog(catalog: Catalog) -> Iterator[Said]:
    """An OpenAPI or AsyncAPI file under the contracts root that no catalog entry names.

    The gate checks what the catalog lists: an unlisted contract is never validated, linted, diffed or generated,
    and no team owns it. Reported by `check` of the whole catalog, at the file's first line.
    """
    for path in stray_contracts(catalog):
        yield Said(
            f"`{display_name(path)}` is a contract but the catalog does not list it",
            Location(display_name(path), "", 1, 1),
            f"add it to `{display_name(catalog.path)}` with an id, kind, owner and lifecycle, or delete it.",
        )


@validate_rule(
    "catalog-kind-mismatch",
    summary="the catalog must say what a contract is: `kind: openapi` for OpenAPI, `kind: asyncapi` for AsyncAPI",
)
def catalog_kind_mismatch(doc: Document, contract: Contract) -> Iterator[Said]:
    """The catalog entry's `kind` is not what its file is (an AsyncAPI file listed as `kind: openapi`).

    Every tool picks its engine by the file, the catalog's readers (the gate's plan, the docs) by the entry: they
    would disagree on what the contract is. Reported at the catalog entry.
    """
    if contract.kind is not doc.spec.kind:
        yield Said(
            f"the catalog says `{contract.id}` is {contract.kind.value}, but `{doc.name}` is {doc.spec.kind.value}",
            contract.location or Location(display_name(contract.path)),
            f"set `kind: {doc.spec.kind.value}` in the catalog entry.",
        )
