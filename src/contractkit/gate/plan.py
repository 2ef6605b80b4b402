"""Which contracts a change affects: the gate checks those, and says which it skipped.

A contract is affected when a file it *reaches* changed: its root file, or any file its ``$ref``s reach,
transitively (so a change to ``contracts/common/money.yaml`` affects exactly the contracts that use it, through
however many shared files). The catalog counts too:

- an entry of ``catalog.yaml`` that changed (owner, lifecycle, path, its own ``lint``/``codegen``/``breaking``
  blocks) affects that contract; an entry added affects the new contract; an entry removed is a removed contract
  (the breaking step reports ``contract-removed``);
- any other block of ``catalog.yaml`` that changed (``lint``, ``codegen``, ``breaking``, ``loader``...) sets policy
  for every contract, so it affects them all;
- a changed file below ``generated/<contract>/`` affects that contract (``gen --check`` catches a hand edit).

The ignores file affects nothing by itself: the gate compares each contract with its base version, so a contract
that did not change has no change to accept. A contract whose ``$ref``s do not all resolve (a shared file it uses
was deleted or renamed) is always checked: the gate must say it is broken.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from contractkit.catalog.model import Catalog, Contract
from contractkit.codegen.naming import snake
from contractkit.errors import ContractkitError
from contractkit.gate.model import Affected, Base, Plan, Reason
from contractkit.loaders.document import load_document
from contractkit.loaders.types import JsonValue

__all__ = ["make_plan", "reached_files"]


def make_plan(
    catalog: Catalog,
    top: Path,
    base: Base,
    changed: Sequence[str],
    *,
    everything: bool = False,
    base_catalog: JsonValue | None = None,
    generated: Path | None = None,
) -> Plan:
    """Return the contracts to check for the files ``changed`` since ``base``.

    Args:
        catalog: the catalog of the work tree.
        top: the repository's top folder (``changed`` is relative to it).
        base: the revision compared with.
        changed: the changed files, relative to ``top``.
        everything: ``--all``: every contract is checked.
        base_catalog: the catalog file's data at the base (``None``: there was none).
        generated: the folder of the generated models (``generated/``), if any.
    """
    top = top.resolve()
    files = {(top / name).resolve(): name for name in changed}
    catalog_name = _relative(catalog.path, top)
    reasons: dict[str, list[Reason]] = {c.id: [] for c in catalog.contracts}
    removed: list[tuple[str, str]] = []
    if catalog.path in files:
        removed = _catalog_changes(catalog, catalog_name, base_catalog, reasons)
    if generated is not None:
        _generated_changes(catalog, generated.resolve(), files, reasons)
    shared = {path for path in files if path.is_relative_to(catalog.root) and path != catalog.path}
    used: set[Path] = set()
    if shared and not everything:
        for contract in catalog.contracts:
            reached = reached_files(catalog, contract)
            if reached is None:
                if contract.path not in shared:  # not its own edit: something it uses went away
                    reasons[contract.id].append(Reason(_relative(contract.path, top), "unresolved"))
                reached = {contract.path}
            used |= reached
            for path in sorted(reached & shared):
                own = path == contract.path
                reasons[contract.id].append(Reason(files[path], "contract" if own else "ref"))
    if everything:
        for contract in catalog.contracts:
            reasons[contract.id].insert(0, Reason("", "all"))
    affected = tuple(_affected(c, top, reasons[c.id]) for c in catalog.contracts if reasons[c.id])
    skipped = tuple(c.id for c in catalog.contracts if not reasons[c.id])
    unused = () if everything else tuple(sorted(files[p] for p in shared - used if _is_contract_like(p, catalog)))
    return Plan(base, everything, affected, skipped, tuple(removed), tuple(sorted(changed)), unused)


def reached_files(catalog: Catalog, contract: Contract) -> set[Path] | None:
    """Return every local file ``contract`` reaches (its root and everything its ``$ref``s reach).

    Returns ``None`` when the contract cannot be read or a ``$ref`` does not resolve. The document is loaded
    through :func:`~contractkit.loaders.document.load_document`, whose process cache the checks then reuse.
    """
    try:
        doc = load_document(contract.path, root_dir=catalog.root, limits=catalog.limits)
        if doc.ref_problems():
            return None
        return {file.path.resolve() for file in doc.files() if file.path is not None}
    except ContractkitError:
        return None


def _catalog_changes(
    catalog: Catalog, name: str, base_catalog: JsonValue | None, reasons: dict[str, list[Reason]]
) -> list[tuple[str, str]]:
    """Add the reasons a change of ``catalog.yaml`` gives; return ``(id, owner)`` of the contracts it removed."""
    head = catalog_data(catalog)
    base = base_catalog if isinstance(base_catalog, dict) else {}
    blocks = sorted(
        key for key in {*head, *base} - {"contracts", "version"} if _plain(head.get(key)) != _plain(base.get(key))
    )
    head_entries = _entries(head)
    base_entries = _entries(base)
    for contract in catalog.contracts:
        for block in blocks:
            reasons[contract.id].append(Reason(name, "catalog-policy", block))
        if _plain(head_entries.get(contract.id)) != _plain(base_entries.get(contract.id)):
            reasons[contract.id].append(Reason(name, "catalog-entry"))
    gone = [cid for cid in base_entries if catalog.get(cid) is None]
    return [(cid, _owner(base_entries[cid])) for cid in gone]


def catalog_data(catalog: Catalog) -> dict[str, JsonValue]:
    """Return the raw data of the catalog file (parsed once per process by the file store)."""
    from contractkit.loaders.files import FileStore

    data = FileStore().load(catalog.path).data  # as read_catalog read it: the cached parse
    return data if isinstance(data, dict) else {}


def _entries(data: dict[str, JsonValue]) -> dict[str, JsonValue]:
    entries = data.get("contracts")
    if not isinstance(entries, list):
        return {}
    found: dict[str, JsonValue] = {}
    for entry in entries:
        if isinstance(entry, dict) and isinstance(entry.get("id"), str):
            found.setdefault(str(entry["id"]), entry)
    return found


def _owner(entry: JsonValue) -> str:
    owner = entry.get("owner") if isinstance(entry, dict) else None
    return owner if isinstance(owner, str) else ""


def _plain(value: JsonValue | None) -> object:
    """Return ``value`` as plain dicts and lists (the loader's mappings may carry line information)."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _generated_changes(
    catalog: Catalog, generated: Path, files: dict[Path, str], reasons: dict[str, list[Reason]]
) -> None:
    packages = {snake(c.id): c.id for c in catalog.contracts}
    for path, name in files.items():
        if not path.is_relative_to(generated) or path == generated:
            continue
        first = path.relative_to(generated).parts[0]
        if first in packages:
            reasons[packages[first]].append(Reason(name, "generated"))


def _is_contract_like(path: Path, catalog: Catalog) -> bool:
    """Only YAML and JSON files are worth a note: a README below contracts/ changed nothing a contract says."""
    return path.suffix in (".yaml", ".yml", ".json") and path.name != "breaking-ignores.yaml" and path != catalog.path


def _affected(contract: Contract, top: Path, reasons: Iterable[Reason]) -> Affected:
    unique = list(dict.fromkeys(reasons))
    return Affected(
        contract.id,
        contract.kind.value,
        _relative(contract.path, top),
        contract.owner,
        contract.lifecycle.value,
        tuple(unique),
    )


def _relative(path: Path, top: Path) -> str:
    try:
        return path.resolve().relative_to(top).as_posix()
    except ValueError:
        return path.as_posix()
