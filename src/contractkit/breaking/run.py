"""The library entry of ``contractkit breaking`` and ``changelog``: two files, or contracts against a git revision.

Two ways to name what is compared::

    compare_files("old/openapi.yaml", "contracts/mes/openapi.yaml")     # two files (the base may be REF:path)
    compare_with_ref("origin/main", ["b2b-orders"])                    # contracts now vs at a revision
    compare_with_ref("HEAD~1")                                         # the whole catalog, + added/removed ones

The base side of a ``--base-ref`` comparison is read from git at the revision, *with every file its ``$ref``s
reach as they were then*; the base catalog is read there too, so contracts added to or removed from it are
reported (``contract-added``, ``contract-removed``), matched by id (a contract whose file moved is still the
same contract). Changes the ignores file approves are marked accepted; the result is a :class:`ChangeReport`.
Contracts that cannot be read are in ``report.errors`` (the command exits 2); contracts of a kind no engine
compares yet are in ``report.skipped``.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

from contractkit.breaking.catalog_rules import BaseEntry, added, read_base_catalog, removed
from contractkit.breaking.changelog import ChangeReport
from contractkit.breaking.engine import diff_documents
from contractkit.breaking.git import GitFileStore, GitRepo
from contractkit.breaking.ignores import IGNORES_FILE, Ignore, apply_ignores, read_ignores
from contractkit.breaking.policies import DeprecationPolicy, Policies, apply_policies
from contractkit.catalog.model import Catalog
from contractkit.errors import ContractkitError, ContractNotFound, UsageError
from contractkit.findings import Finding, Location
from contractkit.kinds import SpecKind
from contractkit.loaders.document import Document, open_document
from contractkit.loaders.files import FileStore, display_name
from contractkit.loaders.limits import Limits
from contractkit.targets import Target, find_catalog, resolve, select, target_for_file

__all__ = ["BreakingOptions", "ChangeReport", "Engine", "check_breaking", "compare_files", "compare_with_ref"]

Engine = Literal["native", "oasdiff"]
Command = Literal["breaking", "changelog"]


@dataclass(frozen=True, slots=True)
class BreakingOptions:
    """What a comparison accepts besides what it compares.

    Attributes:
        catalog: the catalog file (default: found from the working directory).
        root: for files outside the catalog, the folder `$ref`s may not leave.
        max_bytes: override of the loader's size limit.
        allow_remote_refs: allow ``http(s)://`` refs.
        ignores: the ignores file (default: ``breaking-ignores.yaml`` next to the catalog, if it exists).
        engine: ``native``, or ``oasdiff`` (its binary must be on ``PATH``).
        today: the date ignore entries expire against and sunset dates are compared with (default: today).
    """

    catalog: Path | None = None
    root: Path | None = None
    max_bytes: int | None = None
    allow_remote_refs: bool = False
    ignores: Path | None = None
    engine: Engine = "native"
    today: dt.date | None = None


def check_breaking(
    arguments: Sequence[str] = (),
    *,
    base_ref: str | None = None,
    options: BreakingOptions | None = None,
    command: Command = "breaking",
) -> ChangeReport:
    """Compare two files (``arguments`` = BASE, REVISION), or contracts with their version at ``base_ref``.

    Raises:
        UsageError: not exactly two files without ``base_ref``.
        ContractkitError: see :func:`compare_files` and :func:`compare_with_ref`.
    """
    if base_ref is not None:
        return compare_with_ref(base_ref, arguments, options, command=command)
    if len(arguments) != 2:
        detail = (
            "nothing to compare: give two files, or a git revision to compare the contracts with"
            if not arguments
            else f"expected two files, BASE and REVISION, got {len(arguments)} argument(s)"
        )
        raise UsageError(
            detail,
            tip=f"`contractkit {command} old.yaml new.yaml` compares two files; "
            f"`contractkit {command} --against-target` compares every contract with the branch the change targets; "
            f"`contractkit {command} [CONTRACT_ID ...] --base-ref origin/main` with a revision.",
        )
    return compare_files(arguments[0], arguments[1], options, command=command)


def compare_files(
    base: str, revision: str, options: BreakingOptions | None = None, *, command: Command = "breaking"
) -> ChangeReport:
    """Compare the contract file ``base`` with the contract file ``revision``.

    ``base`` may also be ``<ref>:<path>``, a file as it was at a git revision (the path is from the
    repository's top, or from the working directory when it starts with ``./`` or ``../``, as in git).

    Raises:
        ContractNotFound: a file does not exist (at the revision, for ``<ref>:<path>``).
        InputError: the engine is ``oasdiff`` and its binary is not on ``PATH`` (raised before anything is read).
        ContractSyntaxError, ContractInvalid, UnresolvedRef: a file cannot be used.
        GitError: the ``<ref>`` cannot be read.
        ConfigError: the catalog or the ignores file is invalid.
        UsageError: the two files are of different kinds, or an argument is a folder of several contracts.
    """
    options = options or BreakingOptions()
    _require_engine(options)
    catalog = find_catalog(options.catalog)
    limits = _limits(catalog, options)
    report = ChangeReport(command)
    ignores = _ignores(catalog, options)
    target = resolve(revision, catalog, root=options.root)
    report.checked.append(target.name)
    revision_doc = open_document(target.path, store=FileStore(limits), root_dir=target.root_dir)
    base_path = Path(base)
    if base_path.is_file() or not _is_git_spec(base):
        base_target = resolve(base, catalog, root=options.root)
        base_doc = open_document(base_target.path, store=FileStore(limits), root_dir=base_target.root_dir)
        findings = _diff(base_doc, revision_doc, target, options, report, base_store=None, run=(catalog, ignores))
    else:
        ref, _, path = base.partition(":")
        with GitRepo.discover(Path.cwd()) as repo:
            in_tree = (Path.cwd() / path) if path.startswith(("./", "../")) else repo.top / path
            store = GitFileStore(repo, ref, limits)
            base_doc = open_document(
                in_tree, store=store, root_dir=target_for_file(in_tree, catalog, options.root).root_dir
            )
            findings = _diff(base_doc, revision_doc, target, options, report, base_store=store, run=(catalog, ignores))
    report.findings = _accept(findings or [], ignores, options)
    return report


def compare_with_ref(
    ref: str,
    arguments: Sequence[str] = (),
    options: BreakingOptions | None = None,
    *,
    command: Command = "breaking",
) -> ChangeReport:
    """Compare contracts in the working tree with their version at the git revision ``ref``.

    Args:
        ref: a branch, tag, commit or ``HEAD~1``.
        arguments: contract ids, files or folders (as for ``contractkit check``); none: the whole catalog,
            and then contracts removed from the catalog since ``ref`` are reported too.
        options: catalog, limits, ignores file, engine and date.
        command: the report's title (``breaking`` or ``changelog``).

    Raises:
        GitError: not a git repository, or ``ref`` is unknown.
        UsageError: no argument and no catalog.
        ContractNotFound: an argument names nothing, or a file outside the catalog did not exist at ``ref``.
        InputError: the engine is ``oasdiff`` and its binary is not on ``PATH`` (raised before anything is read).
        ConfigError: the catalog, the catalog at ``ref`` or the ignores file is invalid.
    """
    options = options or BreakingOptions()
    _require_engine(options)
    catalog = find_catalog(options.catalog)
    selection = select(list(arguments), catalog, root=options.root)
    limits = _limits(catalog, options)
    report = ChangeReport(command)
    ignores = _ignores(catalog, options)
    findings: list[Finding] = []
    start = catalog.root if catalog is not None else Path.cwd()
    with GitRepo.discover(start) as repo:
        inside = catalog is not None and all(t.root_dir.is_relative_to(catalog.root) for t in selection.targets)
        under = catalog.root if catalog is not None and inside else None
        store = GitFileStore(repo, ref, limits, under=under)
        work = FileStore(limits)
        base_catalog = _base_catalog(store, catalog)
        for target in selection.targets:
            report.checked.append(target.name)
            try:
                findings += _compare_target(target, ref, store, work, base_catalog, options, report, (catalog, ignores))
            except ContractkitError as exc:
                report.errors.append(exc)
        if catalog is not None and base_catalog is not None and selection.whole_catalog:
            findings += removed(base_catalog, catalog, work.load(catalog.path), ref)
    report.findings = _accept(findings, ignores, options)
    return report


def _compare_target(
    target: Target,
    ref: str,
    store: GitFileStore,
    work: FileStore,
    base_catalog: dict[str, BaseEntry] | None,
    options: BreakingOptions,
    report: ChangeReport,
    run: tuple[Catalog | None, list[Ignore]],
) -> list[Finding]:
    contract = target.contract
    entry = base_catalog.get(contract.id) if contract is not None and base_catalog is not None else None
    base_path = entry.path if entry is not None else target.path
    if not store.exists(base_path):
        shown = store.name_of(base_path).partition(":")[2]
        if contract is None:
            raise ContractNotFound(
                f"`{shown}` does not exist at `{ref}`",
                title=f"could not load `{store.name_of(base_path)}`",
                location=Location(store.name_of(base_path)),
                tip="compare against a revision that has the file, or name a contract of the catalog "
                "(a contract that is new since the revision is reported as added).",
            )
        if base_catalog is not None and entry is None:
            return [added(contract, f"it is not in the catalog at `{ref}`")]
        return [added(contract, f"`{shown}` did not exist at `{ref}`")]
    base_doc = open_document(base_path, store=store, root_dir=target.root_dir)
    revision_doc = open_document(target.path, store=work, root_dir=target.root_dir)
    return _diff(base_doc, revision_doc, target, options, report, base_store=store, run=run) or []


def _diff(
    base: Document,
    revision: Document,
    target: Target,
    options: BreakingOptions,
    report: ChangeReport,
    *,
    base_store: GitFileStore | None,
    run: tuple[Catalog | None, list[Ignore]],
) -> list[Finding] | None:
    """Return the changes from ``base`` to ``revision``, or ``None`` when no engine compares their kind.

    The policies apply here (see :mod:`contractkit.breaking.policies`): deprecation inside the native engine,
    then stability and versioning, for both engines; the bump advice goes into ``report.bumps``.
    """
    for doc in (base, revision):
        problems = doc.ref_problems()
        if problems:
            raise problems[0]
    contract = target.contract.id if target.contract is not None else None
    catalog, ignores = run
    policies = Policies.of(catalog, target.contract)
    today = options.today or dt.date.today()
    if options.engine == "oasdiff":
        if base.spec.kind is not SpecKind.OPENAPI or revision.spec.kind is not SpecKind.OPENAPI:
            report.skipped.append((target.name, "oasdiff compares OpenAPI contracts only"))
            return None
        findings = _oasdiff(base, revision, contract, base_store)  # no cursors: no deprecation policy
    else:
        removals = DeprecationPolicy(today) if policies.deprecation else None
        try:
            findings = diff_documents(base, revision, contract=contract, policy=removals)
        except UsageError as exc:
            if base.spec.kind is not revision.spec.kind:
                raise
            report.skipped.append((target.name, exc.detail))  # no engine for this kind yet
            return None
    findings, advice = apply_policies(
        findings, base, revision, policies, name=target.name, contract=contract, ignores=ignores, today=today
    )
    report.bumps.append(advice)
    return findings


def _require_engine(options: BreakingOptions) -> None:
    """Fail once, before anything is compared, when the chosen engine cannot run (not once per contract)."""
    if options.engine == "oasdiff":
        from contractkit.breaking.oasdiff import require_oasdiff  # optional engine: imported only when asked for

        require_oasdiff()


def _oasdiff(
    base: Document,
    revision: Document,
    contract: str | None,
    store: GitFileStore | None,
) -> list[Finding]:
    from contractkit.breaking.oasdiff import run_oasdiff  # optional engine: imported only when asked for

    kind: Literal["breaking", "changelog"] = "changelog"  # every level, as the native engine reports them
    if store is None:
        return run_oasdiff(base.root.path, revision.root.path, command=kind, contract=contract)
    root_dir = base.resolver.root_dir
    with _materialised(base, root_dir) as folder:
        base_file = folder / base.root.path.relative_to(root_dir)
        findings = run_oasdiff(base_file, revision.root.path, command=kind, contract=contract)
        prefixes = {folder.as_posix(), display_name(folder)}

        def unmap(location: Location | None) -> Location | None:
            if location is None:
                return None
            for prefix in prefixes:
                if location.file.startswith(prefix + "/"):
                    in_tree = root_dir / location.file[len(prefix) + 1 :]
                    return replace(location, file=store.name_of(in_tree))
            return location

        return [
            replace(f, location=unmap(f.location) or f.location, base_location=unmap(f.base_location)) for f in findings
        ]


@contextmanager
def _materialised(doc: Document, root_dir: Path) -> Iterator[Path]:
    """Write every local file ``doc`` reaches into a temporary folder, at its place below ``root_dir``."""
    with tempfile.TemporaryDirectory(prefix="contractkit-base-") as tmp:
        folder = Path(tmp).resolve()
        for file in doc.files():
            if doc.resolver.is_remote(file) or not file.path.is_relative_to(root_dir):
                continue
            out = folder / file.path.relative_to(root_dir)
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(file.text, encoding="utf-8")
        yield folder


def _base_catalog(store: GitFileStore, catalog: Catalog | None) -> dict[str, BaseEntry] | None:
    """Return the catalog at the revision by id, or ``None`` when there is none (then nothing is "removed")."""
    if catalog is None or not store.exists(catalog.path):
        return None
    return read_base_catalog(store.load(catalog.path), catalog.root)


def _accept(findings: list[Finding], ignores: list[Ignore], options: BreakingOptions) -> list[Finding]:
    if not ignores:
        return findings
    return apply_ignores(findings, ignores, today=options.today or dt.date.today())


def _ignores(catalog: Catalog | None, options: BreakingOptions) -> list[Ignore]:
    if options.ignores is not None:
        return read_ignores(options.ignores)
    default = (catalog.root if catalog is not None else Path.cwd() / "contracts") / IGNORES_FILE
    return read_ignores(default) if default.is_file() else []


def _limits(catalog: Catalog | None, options: BreakingOptions) -> Limits:
    base = catalog.limits if catalog is not None else Limits()
    return base.overridden(max_bytes=options.max_bytes, allow_remote=options.allow_remote_refs)


def _is_git_spec(argument: str) -> bool:
    """Return whether ``argument`` reads as ``REF:path`` (not a Windows drive such as ``C:/x``, not a URL)."""
    ref, colon, path = argument.partition(":")
    return bool(colon and path and ref) and len(ref) > 1 and not path.startswith("//")
