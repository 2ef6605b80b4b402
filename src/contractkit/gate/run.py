"""The gate's library entry: plan what a change affects, then run every step over it, one result per contract.

Steps, in order, each reusing the command that does it alone::

    validate  -> contractkit validate   (the document is loaded once, for every step)
    lint      -> contractkit lint
    breaking  -> contractkit breaking --base-ref BASE   (with the ignores file: accepted changes are shown)
    semver    -> the versioning policy of `breaking` (`info.version` carries the bump the changes need)
    gen       -> contractkit gen --check, for the affected contracts' packages (and the shared one)

Example:
    >>> result = run_gate(GateOptions(base_ref="origin/main"))  # doctest: +SKIP
    >>> result.exit_code()  # doctest: +SKIP
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from contractkit.api import kind_mismatch
from contractkit.breaking.catalog_rules import read_base_catalog, removed
from contractkit.breaking.git import GitFileStore, GitRepo
from contractkit.breaking.ignores import IGNORES_FILE, Ignore, apply_ignores, read_ignores
from contractkit.breaking.registry import is_note
from contractkit.breaking.run import BreakingOptions, compare_with_ref
from contractkit.catalog.model import Catalog
from contractkit.errors import ContractkitError
from contractkit.findings import Location, Severity
from contractkit.gate.changes import blame_line, changed_files, resolve_base
from contractkit.gate.model import Accepted, Affected, ContractResult, GateResult, Plan, comparison_step
from contractkit.gate.plan import make_plan
from contractkit.lint.engine import lint_document
from contractkit.loaders.document import load_document
from contractkit.loaders.files import FileStore
from contractkit.targets import require_catalog
from contractkit.validate.engine import validate_document

__all__ = ["GateOptions", "plan_gate", "run_gate"]


@dataclass(frozen=True, slots=True)
class GateOptions:
    """What the gate accepts.

    Attributes:
        base_ref: the revision to compare with (its merge base with ``HEAD``); default: the CI's target branch,
            else ``main``, else ``origin/main``.
        everything: check every contract, not only the affected ones (``--all``).
        catalog: the catalog file (default: found from the working directory).
        ignores: the ignores file (default: ``breaking-ignores.yaml`` next to the catalog, when it exists).
        today: the date ignore entries expire against (default: today).
        fail_on: the lowest severity that fails the gate.
        gen: run ``gen --check`` (it also needs a ``generated/`` folder next to ``contracts/``).
    """

    base_ref: str | None = None
    everything: bool = False
    catalog: Path | None = None
    ignores: Path | None = None
    today: dt.date | None = None
    fail_on: Severity = Severity.ERROR
    gen: bool = True


def plan_gate(options: GateOptions | None = None) -> Plan:
    """Return what the gate would check: the affected contracts and why (``contractkit ci --list-changed``).

    Raises:
        UsageError: there is no catalog.
        GitError: not a git repository, or the base cannot be found.
        ConfigError: the catalog is invalid.
    """
    options = options or GateOptions()
    catalog = require_catalog(options.catalog)
    with GitRepo.discover(catalog.root) as repo:
        return _plan(repo, catalog, options)


def run_gate(options: GateOptions | None = None) -> GateResult:
    """Run the gate: plan, then validate, lint, breaking, semver and gen over the affected contracts.

    Contracts that cannot be read are in their result's ``errors`` (exit 2); everything else is in findings.

    Raises:
        UsageError: there is no catalog.
        GitError: not a git repository, or the base cannot be found.
        ConfigError: the catalog or the ignores file is invalid.
    """
    options = options or GateOptions()
    catalog = require_catalog(options.catalog)
    today = options.today or dt.date.today()
    ignores = _ignores(catalog, options)
    with GitRepo.discover(catalog.root) as repo:
        plan = _plan(repo, catalog, options)
        result = GateResult(plan, [], options.fail_on)
        by_id = {a.id: ContractResult(a) for a in plan.affected}
        loaded = [cid for cid, res in by_id.items() if _checks(catalog, res)]
        _breaking(repo, catalog, plan, loaded, by_id, result, options, today)
        if plan.removed:
            _removed(repo, catalog, plan, by_id, result, ignores, today)
        _accepted(repo, by_id.values(), ignores, today)
    if options.gen:
        _gen(catalog, [cid for cid in loaded if catalog.get(cid) is not None], by_id, result)
    order = {c.id: index for index, c in enumerate(catalog.contracts)}
    result.contracts = sorted(by_id.values(), key=lambda r: (order.get(r.id, len(order)), r.id))
    return result


def _plan(repo: GitRepo, catalog: Catalog, options: GateOptions) -> Plan:
    base = resolve_base(repo, options.base_ref)
    changed = changed_files(repo, base.commit)
    base_catalog = None
    rel = display_relative(catalog.path, repo.top)
    if rel in changed:
        store = GitFileStore(repo, base.commit, catalog.limits)
        base_catalog = store.load(catalog.path).data if store.exists(catalog.path) else None
    generated = catalog.root.parent / "generated"
    return make_plan(
        catalog,
        repo.top,
        base,
        changed,
        everything=options.everything,
        base_catalog=base_catalog,
        generated=generated if generated.is_dir() else None,
    )


def display_relative(path: Path, top: Path) -> str:
    """Return ``path`` relative to the repository's top (posix), or as it is when outside it."""
    try:
        return path.resolve().relative_to(top.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


# -- validate and lint: one load per contract --------------------------------------------------------------


def _checks(catalog: Catalog, result: ContractResult) -> bool:
    """Validate and lint one contract; return whether its document could be read (the later steps need it)."""
    contract = catalog.get(result.id)
    assert contract is not None  # planned from this catalog
    try:
        doc = load_document(contract.path, root_dir=catalog.root, limits=catalog.limits)
    except ContractkitError as exc:
        result.errors.append(exc)
        return False
    result.findings += [("validate", f) for f in validate_document(doc, contract=contract.id)]
    mismatch = kind_mismatch(doc, contract)
    if mismatch is not None:
        result.findings.append(("validate", mismatch))
    lint = lint_document(doc, catalog.policy_for(contract), contract=contract.id)
    result.findings += [("lint", f) for f in lint]
    return True


# -- breaking and semver: one comparison over every affected contract --------------------------------------


def _breaking(
    repo: GitRepo,
    catalog: Catalog,
    plan: Plan,
    ids: list[str],
    by_id: dict[str, ContractResult],
    result: GateResult,
    options: GateOptions,
    today: dt.date,
) -> None:
    if not ids:
        return
    breaking_options = BreakingOptions(catalog=catalog.path, ignores=options.ignores, today=today)
    report = compare_with_ref(plan.base.name, ids, breaking_options)
    for finding in report.findings:
        owner = by_id.get(finding.contract or "")
        step = comparison_step(finding)
        if step is None or owner is None:
            if finding not in result.notes:
                result.notes.append(finding)
            continue
        owner.findings.append((step, finding))
    for advice in report.bumps:
        if advice.contract in by_id:
            by_id[advice.contract].bump = advice
    for name, why in report.skipped:
        if name in by_id:
            by_id[name].notes.append(f"not compared: {why}")
    paths = {a.path: a.id for a in plan.affected}
    for error in report.errors:
        cid = _error_owner(error, paths)
        (by_id[cid].errors if cid is not None else result.errors).append(error)


def _error_owner(error: ContractkitError, paths: dict[str, str]) -> str | None:
    """Return the contract an error of the comparison is about, from the file it names (``REF:path`` or path)."""
    if error.location is None:
        return None
    name = error.location.file
    candidates = {name, name.partition(":")[2]}
    for path, contract_id in paths.items():
        if any(c == path or c.endswith("/" + path) for c in candidates):
            return contract_id
    return None


def _removed(
    repo: GitRepo,
    catalog: Catalog,
    plan: Plan,
    by_id: dict[str, ContractResult],
    result: GateResult,
    ignores: list[Ignore],
    today: dt.date,
) -> None:
    """Report ``contract-removed`` for contracts the base catalog listed and this one does not."""
    store = GitFileStore(repo, plan.base.name, catalog.limits)
    try:
        base_entries = read_base_catalog(store.load(catalog.path), catalog.root)
    except ContractkitError as exc:
        result.errors.append(exc)
        return
    findings = removed(base_entries, catalog, FileStore(catalog.limits).load(catalog.path), plan.base.name)
    findings = apply_ignores(findings, ignores, today=today) if ignores else findings
    owners = dict(plan.removed)
    for finding in findings:
        if is_note(finding.rule_id):
            continue  # the breaking step already reported the expired entries
        cid = finding.contract or ""
        if cid not in by_id:
            entry = base_entries.get(cid)
            path = display_relative(entry.path, repo.top) if entry is not None else ""
            gone = Affected(cid, "", path, owners.get(cid, ""), "removed", ())
            by_id[cid] = ContractResult(gone, notes=["removed from the catalog"])
        by_id[cid].findings.append(("breaking", finding))


def _ignores(catalog: Catalog, options: GateOptions) -> list[Ignore]:
    if options.ignores is not None:
        return read_ignores(options.ignores)
    default = catalog.root / IGNORES_FILE
    return read_ignores(default) if default.is_file() else []


def _accepted(repo: GitRepo, results: Iterable[ContractResult], ignores: list[Ignore], today: dt.date) -> None:
    """Attach to each accepted change the entry that accepts it: its reason, its expiry, and who added it."""
    live = [entry for entry in ignores if not entry.expired(today)]
    blames: dict[Location, str] = {}
    for res in results:
        for _, finding in res.findings:
            if finding.accepted is None:
                continue
            entry = next((e for e in live if e.matches(finding)), None)
            if entry is None:
                res.accepted.append(Accepted(finding, finding.accepted, None, None))
                continue
            where = entry.location
            if where not in blames:
                path = Path(where.file)
                blames[where] = blame_line(repo, path if path.is_absolute() else Path.cwd() / path, where.line)
            res.accepted.append(Accepted(finding, entry.reason, entry.expires, where, blames[where]))


# -- gen --check -------------------------------------------------------------------------------------------


def _gen(catalog: Catalog, ids: list[str], by_id: dict[str, ContractResult], result: GateResult) -> None:
    """Check the generated models of the affected contracts (and the shared package) without writing."""
    from contractkit.codegen.gen import default_out_dir, generate

    out = default_out_dir(catalog)
    if not out.is_dir():
        for cid in ids:
            by_id[cid].gen = "skipped"
        return
    if not ids:
        return
    try:
        gen = generate(catalog, ids, check=True, out_dir=out)
    except ContractkitError as exc:
        result.errors.append(exc)
        return
    result.gen_ran = True
    result.gen_diff = gen.diff
    for package in gen.packages:
        state = "ok" if package.status in ("unchanged", "kept") else "stale"
        if package.contract_id is None:
            result.gen_shared = state if result.gen_shared != "stale" else "stale"
        elif package.contract_id in by_id:
            by_id[package.contract_id].gen = state
