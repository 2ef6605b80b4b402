"""Changes to the catalog itself: a contract added or removed between two revisions (matched by id).

The base catalog is read leniently (only each entry's ``id`` and ``path`` are needed), so a catalog written
for an older contractkit still compares; the revision's catalog was checked in full by
:func:`~contractkit.catalog.read_catalog`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from contractkit.breaking.registry import CHANGE, ERROR, INFO, AnyChangeRule, breaking_rule, fired
from contractkit.catalog.model import Catalog, Contract
from contractkit.errors import ConfigError
from contractkit.findings import Finding, Location
from contractkit.kinds import SpecKind
from contractkit.loaders.source import SourceFile

__all__ = [
    "CATALOG_RULES",
    "BaseEntry",
    "added",
    "contract_added",
    "contract_removed",
    "read_base_catalog",
    "removed",
]

_BOTH = (SpecKind.OPENAPI, SpecKind.ASYNCAPI)


@dataclass(frozen=True, slots=True)
class BaseEntry:
    """A contract as the base catalog listed it.

    Attributes:
        id: its id.
        path: its root file, as a work tree path (it may have moved or gone since).
        location: the entry in the base catalog (``<ref>:contracts/catalog.yaml:12:5``).
    """

    id: str
    path: Path
    location: Location


def read_base_catalog(source: SourceFile, root: Path) -> dict[str, BaseEntry]:
    """Return the contracts of a catalog read from another revision, by id.

    Args:
        source: the catalog file at that revision.
        root: the folder its paths are relative to (the current catalog's folder).

    Raises:
        ConfigError: the file has no ``contracts`` list of entries with an ``id`` and a ``path``.
    """
    data = source.data
    contracts = data.get("contracts") if isinstance(data, dict) else None
    if not isinstance(contracts, list):
        raise _invalid(source, (), "there is no `contracts` list")
    entries: dict[str, BaseEntry] = {}
    for index, entry in enumerate(contracts):
        at = ("contracts", str(index))
        fields = (entry.get("id"), entry.get("path")) if isinstance(entry, dict) else (None, None)
        if not isinstance(fields[0], str) or not isinstance(fields[1], str):
            raise _invalid(source, at, f"entry {index + 1} has no `id` and `path`")
        entries.setdefault(fields[0], BaseEntry(fields[0], (root / fields[1]).resolve(), source.location(at)))
    return entries


def removed(base: dict[str, BaseEntry], catalog: Catalog, current: SourceFile, ref: str) -> list[Finding]:
    """Return a ``contract-removed`` change for every base contract whose id the catalog no longer lists.

    Args:
        base: the base catalog's entries.
        catalog: the current catalog.
        current: the current catalog file (each change points at its ``contracts`` key).
        ref: the base revision, for the message.
    """
    anchor = current.location(("contracts",))
    return [finding for entry in base.values() for _, finding in fired(CATALOG_RULES, entry, catalog, anchor, ref)]


def added(contract: Contract, why: str) -> Finding:
    """Return the ``contract-added`` change for ``contract``, saying ``why`` it counts as new."""
    finding: Finding = contract_added(contract, why)
    return finding


#: The rule about a contract of the base catalog, called with its entry, the catalog, where the changes point
#: (the ``contracts`` key of the current catalog) and the base revision.
CATALOG_RULES: list[AnyChangeRule] = []


@breaking_rule(
    id="contract-removed",
    level=ERROR,
    direction="catalog",
    summary="every client of a contract that leaves the catalog loses the API (or its governance) at once",
    fix="mark it `lifecycle: deprecated` first, and remove it once no client uses it.",
    category=CHANGE,
    specs=_BOTH,
    group=CATALOG_RULES,
)
def contract_removed(entry: BaseEntry, catalog: Catalog, anchor: Location, ref: str) -> Finding | None:
    """A contract of the base catalog (matched by its `id`) is no longer listed in the catalog.

    Every client of the API loses it at once, or it silently leaves governance: no more lint, gate or breaking
    check. Deprecating it first (`lifecycle: deprecated`) gives its clients the time to move.
    """
    if catalog.get(entry.id) is not None:
        return None
    return Finding(
        contract_removed.id,
        contract_removed.level,
        f"contract `{entry.id}` was removed from the catalog (it was in it at `{ref}`)",
        anchor,
        hint=contract_removed.fix,
        contract=entry.id,
        base_location=entry.location,
    )


@breaking_rule(
    id="contract-added",
    level=INFO,
    direction="catalog",
    summary="a new contract breaks no existing client",
    category=CHANGE,
    specs=_BOTH,
)
def contract_added(contract: Contract, why: str) -> Finding:
    """A contract that the base catalog did not list (or whose file did not exist then): it has no clients to break.

    The finding says why the contract counts as new: not in the base catalog, or its file did not exist.
    """
    return Finding(
        contract_added.id,
        contract_added.level,
        f"contract `{contract.id}` is new: {why}",
        contract.location or Location(contract.path.as_posix()),
        contract=contract.id,
    )


def _invalid(source: SourceFile, at: tuple[str, ...], detail: str) -> ConfigError:
    return ConfigError(
        detail,
        title=f"cannot read the base catalog `{source.name}`",
        location=source.location(at),
        tip="compare against a revision whose catalog lists `contracts:` with an `id` and `path` each.",
    )
