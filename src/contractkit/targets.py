"""What a command checks: command-line arguments (contract ids, files, folders) turned into targets."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from contractkit.catalog.model import Catalog, Contract, unknown_contract
from contractkit.errors import UsageError
from contractkit.loaders.files import display_name

CONTRACT_SUFFIXES = (".yaml", ".yml", ".json")


@dataclass(frozen=True, slots=True)
class Target:
    """One contract to check.

    Attributes:
        name: the contract id when it is in the catalog, else the file's display name.
        path: the root file.
        root_dir: the folder its refs may not leave: the catalog's folder for files below it, else ``--root``,
            else the working directory when the file is below it, else the file's own folder.
        contract: the catalog entry, when there is one.
        catalog: the catalog the file belongs to (its policies apply), when there is one.
    """

    name: str
    path: Path
    root_dir: Path
    contract: Contract | None = None
    catalog: Catalog | None = None


@dataclass(frozen=True, slots=True)
class Selection:
    """The targets of a command, and whether the whole catalog was asked for (then strays are looked for)."""

    targets: tuple[Target, ...]
    whole_catalog: bool


def select(arguments: list[str], catalog: Catalog | None, *, root: Path | None = None) -> Selection:
    """Turn command-line arguments into targets.

    No argument means the whole catalog. An argument is a contract id of the catalog, a contract file, or a
    folder (every catalog contract below it; the catalog's own folder means the whole catalog).

    Raises:
        UsageError: no argument and no catalog.
        ContractNotFound: an argument is neither an id, a file nor a folder.
    """
    if not arguments:
        if catalog is None:
            raise UsageError(
                "no contract given and no catalog found (looked for contracts/catalog.yaml here and above)",
                tip="name contract files, run from the repository that holds contracts/, or pass --catalog PATH.",
            )
        return Selection(tuple(_from_contract(c, catalog) for c in catalog.contracts), True)
    targets: list[Target] = []
    whole = False
    for argument in arguments:
        contract = catalog.get(argument) if catalog is not None else None
        if contract is not None and catalog is not None:
            targets.append(_from_contract(contract, catalog))
            continue
        path = Path(argument)
        if path.is_dir():
            resolved = path.resolve()
            if catalog is not None and resolved == catalog.root:
                whole = True
            if catalog is None or not any(c.path.is_relative_to(resolved) for c in catalog.contracts):
                raise UsageError(
                    f"`{argument}` is a folder with no catalog contract in it",
                    tip="name contract files, or a folder that the catalog's contracts live in.",
                )
            targets.extend(_from_contract(c, catalog) for c in catalog.contracts if c.path.is_relative_to(resolved))
            continue
        if path.is_file():
            targets.append(target_for_file(path, catalog, root))
            continue
        raise unknown_contract(argument, catalog, files=True)
    unique = {t.path: t for t in targets}
    return Selection(tuple(unique.values()), whole)


def _from_contract(contract: Contract, catalog: Catalog) -> Target:
    return Target(contract.id, contract.path, catalog.root, contract, catalog)


def target_for_file(path: Path, catalog: Catalog | None, root: Path | None) -> Target:
    """Return the target for the contract file ``path`` (which need not exist: it may live only in git).

    A file outside the command's catalog (or with no catalog found from the working directory) belongs to the
    catalog found by walking up from the file itself: its id, its contracts root and its policies apply, wherever
    the command runs from.

    Raises:
        ConfigError: the file's own catalog cannot be read.
    """
    resolved = path.resolve()
    if root is None and (catalog is None or not resolved.is_relative_to(catalog.root)):
        catalog = _own_catalog(resolved) or catalog
    if catalog is not None:
        contract = catalog.by_path(resolved)
        if contract is not None:
            return _from_contract(contract, catalog)
        if resolved.is_relative_to(catalog.root):
            return Target(display_name(resolved), resolved, (root or catalog.root).resolve(), catalog=catalog)
    if root is None:
        cwd = Path.cwd().resolve()
        root = cwd if resolved.is_relative_to(cwd) else resolved.parent
    return Target(display_name(resolved), resolved, root.resolve())


def _own_catalog(path: Path) -> Catalog | None:
    """Return the catalog found by walking up from ``path``'s folder, when ``path`` is under its root."""
    from contractkit.catalog import find_catalog, read_catalog

    found = find_catalog(path.parent)
    if found is None:
        return None
    catalog = read_catalog(found)
    return catalog if path.is_relative_to(catalog.root) else None


def stray_contracts(catalog: Catalog) -> list[Path]:
    """Return contract-looking files under the catalog's folder that the catalog does not list."""
    listed = {c.path for c in catalog.contracts}
    strays = []
    for path in sorted(catalog.root.rglob("*")):
        if path.suffix not in CONTRACT_SUFFIXES or not path.is_file() or path == catalog.path:
            continue
        if any(part.startswith(".") for part in path.relative_to(catalog.root).parts):
            continue
        if path.resolve() not in listed and _looks_like_contract(path):
            strays.append(path)
    return strays


def _looks_like_contract(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            head = handle.read(4096).decode("utf-8", "replace")
    except OSError:
        return False
    for line in head.splitlines():
        stripped = line.strip().lstrip("{").strip()
        if stripped.startswith(("openapi:", "asyncapi:", '"openapi"', '"asyncapi"')):
            return True
    return False
