"""The one resolver: contract arguments (ids, files, folders, generated packages) turned into targets.

Every command, the middleware's ``spec=``, the HTTP fuzzer and the message runtime find the catalog with
:func:`find_catalog` and turn what they were given into contract files with :func:`select` (many),
:func:`resolve` (one), :func:`catalog_contracts` (catalog entries, for ``gen`` and ``package``) or
:func:`contract_target` (what the library was handed, generated model packages too). An argument that names nothing is
:func:`~contractkit.catalog.model.unknown_contract`; a missing catalog is :func:`~contractkit.catalog.model.no_catalog`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from contractkit.catalog.model import Catalog, Contract, no_catalog, unknown_contract
from contractkit.catalog.reader import find_catalog as find_catalog_file
from contractkit.catalog.reader import load_catalog, read_catalog
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


def find_catalog(catalog: Path | None = None, *, near: Path | None = None) -> Catalog | None:
    """Return the catalog contract arguments are looked up in, or ``None`` when there is none.

    Args:
        catalog: the catalog file named explicitly (``--catalog``, ``catalog=``); else ``contracts/catalog.yaml``
            is looked for in the working directory and above.
        near: a contract file or folder: return the catalog that holds it, that one when it does, else the one
            found by walking up from ``near`` itself (a file names its own catalog wherever the command runs
            from), else ``None``.

    Raises:
        ConfigError: a catalog cannot be read.
    """
    found = load_catalog(catalog)
    return found if near is None else _holder(near.resolve(), found)


def require_catalog(catalog: Path | None = None) -> Catalog:
    """Return :func:`find_catalog`'s catalog, for a command that cannot work without one.

    Raises:
        UsageError: there is none (:func:`~contractkit.catalog.model.no_catalog`).
        ConfigError: it cannot be read.
    """
    found = find_catalog(catalog)
    if found is None:
        raise no_catalog()
    return found


def select(arguments: Sequence[str], catalog: Catalog | None, *, root: Path | None = None) -> Selection:
    """Turn command-line arguments into targets.

    No argument means the whole catalog. An argument is a contract id of the catalog, a contract file, or a
    folder (every catalog contract below it; the catalog's own folder means the whole catalog). A file or folder
    that ``catalog`` does not hold is looked up in the catalog found by walking up from it.

    Raises:
        UsageError: no argument and no catalog, or a folder with no catalog contract in it.
        ContractNotFound: an argument is neither an id, a file nor a folder.
    """
    if not arguments:
        if catalog is None:
            raise no_catalog()
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
            owner = _holder(resolved, catalog)
            inside = [c for c in owner.contracts if c.path.is_relative_to(resolved)] if owner is not None else []
            if owner is None or not inside:
                raise UsageError(
                    f"`{argument}` is a folder with no catalog contract in it",
                    tip="name contract files, or a folder that the catalog's contracts live in.",
                )
            whole = whole or (owner is catalog and resolved == owner.root)
            targets.extend(_from_contract(c, owner) for c in inside)
            continue
        if path.is_file():
            targets.append(target_for_file(path, catalog, root))
            continue
        raise unknown_contract(argument, catalog)
    unique = {t.path: t for t in targets}
    return Selection(tuple(unique.values()), whole)


def resolve(argument: str | Path, catalog: Catalog | None, *, root: Path | None = None) -> Target:
    """Return the one contract ``argument`` names: a catalog id, a contract file, or a folder holding one.

    Raises:
        ContractNotFound: ``argument`` names nothing (:func:`~contractkit.catalog.model.unknown_contract`).
        UsageError: it is a folder holding no catalog contract, or several.
    """
    targets = select([str(argument)], catalog, root=root).targets
    if len(targets) != 1:
        names = ", ".join(f"`{t.name}`" for t in targets)
        raise UsageError(
            f"`{argument}` names {len(targets)} contracts ({names}), not one",
            title="more than one contract",
            tip="name one contract id or file.",
        )
    return targets[0]


def catalog_contracts(arguments: Sequence[str], catalog: Catalog | None) -> tuple[Catalog, list[Contract]]:
    """Return the catalog and the entries of it that ``arguments`` name, for commands that work on entries.

    Arguments are read as by :func:`select`; none means every contract of ``catalog``. A file names its own
    catalog, so ``gen /elsewhere/contracts/x.yaml`` works on the catalog of ``/elsewhere``.

    Raises:
        UsageError: no argument and no catalog; a file that no catalog lists; contracts of two catalogs.
        ContractNotFound: an argument names nothing.
    """
    selection = select(arguments, catalog)
    owners: dict[Path, Catalog] = {}
    contracts: list[Contract] = []
    for target in selection.targets:
        if target.contract is None or target.catalog is None:
            raise UsageError(
                f"`{target.name}` is not listed in a catalog",
                title="not a catalog contract",
                tip="this command works on the contracts of contracts/catalog.yaml: add the file there, or name "
                "a contract of the catalog.",
            )
        owners.setdefault(target.catalog.path, target.catalog)
        contracts.append(target.contract)
    if len(owners) > 1:
        raise UsageError(
            f"the contracts named belong to {len(owners)} catalogs ({', '.join(f'`{p}`' for p in owners)})",
            title="contracts of several catalogs",
            tip="name the contracts of one catalog at a time.",
        )
    owner = next(iter(owners.values()), catalog)
    assert owner is not None  # select() raised no_catalog() for no argument and no catalog
    return owner, contracts


def contract_target(spec: object, *, catalog: Path | None = None, title: str) -> Target:
    """Return the target of a contract handed to the library: an id, a file or folder path, or a generated package.

    A generated model package is an object with a ``CONTRACT`` path (relative to its ``__file__``); its name is
    its ``CONTRACT_ID``, else its ``__name__``, else the file's name.

    Args:
        spec: what the caller passed (``spec=`` of the middleware, the message runtime's contract).
        catalog: the catalog file to look an id up in (default: found from the working directory).
        title: the title of the error when ``spec`` is none of these.

    Raises:
        ContractNotFound: ``spec`` names nothing.
        UsageError: ``spec`` is none of these kinds, or a folder of several contracts.
    """
    if isinstance(spec, str | Path):
        return resolve(spec, find_catalog(catalog))
    contract = getattr(spec, "CONTRACT", None)
    if not isinstance(contract, str | Path):
        raise UsageError(
            f"cannot use a {type(spec).__name__} as a contract",
            title=title,
            tip="pass a path, a dict, a catalog contract id, or a generated package (it has a `CONTRACT` path).",
        )
    path = Path(contract)
    module_file = getattr(spec, "__file__", None)
    if not path.is_absolute() and isinstance(module_file, str):
        path = Path(module_file).parent / path
    name = getattr(spec, "CONTRACT_ID", None) or getattr(spec, "__name__", None) or path.name
    return replace(target_for_file(path, None, None), name=str(name))


def _from_contract(contract: Contract, catalog: Catalog) -> Target:
    return Target(contract.id, contract.path, catalog.root, contract, catalog)


def target_for_file(path: Path, catalog: Catalog | None, root: Path | None) -> Target:
    """Return the target for the contract file ``path`` (which need not exist: it may live only in git).

    A file outside the command's catalog (or with no catalog found from the working directory) belongs to the
    catalog found by walking up from the file itself: its id, its contracts root and its policies apply, wherever
    the command runs from (not with ``root``: then a file outside ``catalog`` is checked on its own).

    Raises:
        ConfigError: the file's own catalog cannot be read.
    """
    resolved = path.resolve()
    if root is None:
        catalog = _holder(resolved, catalog)
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


def _holder(path: Path, catalog: Catalog | None) -> Catalog | None:
    """Return ``catalog`` when it holds the resolved ``path``, else the one found by walking up from it that does."""
    if catalog is not None and _holds(catalog, path):
        return catalog
    found = find_catalog_file(path if path.is_dir() else path.parent)
    own = read_catalog(found) if found is not None else None
    return own if own is not None and _holds(own, path) else None


def _holds(catalog: Catalog, path: Path) -> bool:
    """Return whether ``path`` is below the catalog's folder (or, for a folder, holds it)."""
    return path.is_relative_to(catalog.root) or (path.is_dir() and catalog.root.is_relative_to(path))


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
