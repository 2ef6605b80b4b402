"""What every gate renderer says the same way: the verdict, the table's cells, what was skipped."""

from __future__ import annotations

from contractkit.breaking.changelog import group_changes
from contractkit.breaking.registry import is_note
from contractkit.findings import Finding, Severity
from contractkit.gate.model import STEPS, ContractResult, GateResult, Step
from contractkit.reporters import plural

#: The table's columns, after the contract, its owner and its status.
COLUMNS: tuple[Step, ...] = STEPS

_WORDS: dict[Step, dict[Severity, str]] = {
    "validate": {Severity.ERROR: "validation error", Severity.WARNING: "validation warning"},
    "lint": {Severity.ERROR: "lint error", Severity.WARNING: "lint warning"},
    "breaking": {Severity.ERROR: "breaking change", Severity.WARNING: "possibly breaking change"},
    "semver": {Severity.ERROR: "version error", Severity.WARNING: "version warning"},
}


def who(result: ContractResult) -> str:
    """Return ``b2b-orders (team-partner-api)``, or the id alone when the catalog names no owner."""
    owner = result.contract.owner
    return f"{result.id} ({owner})" if owner else result.id


def problems(result: ContractResult, fail_on: Severity) -> list[str]:
    """Return what fails one contract, worst kinds first: ``1 breaking change``, ``stale generated models``."""
    if result.errors:
        return [f"{plural(len(result.errors), 'input')} could not be read"]
    out: list[str] = []
    failing = result.failing(fail_on)
    for step in ("breaking", "validate", "lint"):
        for level in (Severity.ERROR, Severity.WARNING):
            found = [f for s, f in failing if s == step and f.severity is level and not is_note(f.rule_id)]
            # A breaking change counts once, however many operations it affects.
            count = len(group_changes(found)) if step == "breaking" else len(found)
            if count:
                out.append(plural(count, _WORDS[step][level]))
    if any(s == "semver" for s, _ in failing):
        bump = result.bump
        if bump is not None and bump.ok is False and bump.minimum:
            out.append(f"`info.version` needs a {bump.required} bump (to {bump.minimum})")
        else:
            out.append(plural(sum(1 for s, _ in failing if s == "semver"), "version problem"))
    if result.gen == "stale":
        out.append("stale generated models")
    return out


def verdict(result: GateResult) -> str:
    """Return the first line: ``gate failed: 1 breaking change in b2b-orders (team-partner-api)``."""
    if result.broken:
        unreadable = [who(c) for c in result.contracts if c.errors]
        what = f"could not read {', '.join(unreadable)}" if unreadable else result.errors[0].title
        return f"gate could not run: {what}"
    if not result.passed:
        parts = [f"{', '.join(problems(c, result.fail_on))} in {who(c)}" for c in result.failed]
        if result.gen_shared == "stale":
            parts.append("stale shared generated models (contracts_common)")
        parts += [f"{n.rule_id} ({n.location.file})" for n in result.notes if n.severity.at_least(result.fail_on)]
        return "gate failed: " + "; ".join(parts)
    checked = len([c for c in result.contracts if c.contract.lifecycle != "removed"])
    accepted = sum(len(c.accepted) for c in result.contracts)
    tail = f", {plural(accepted, 'accepted change')}" if accepted else ""
    if not result.contracts:
        return f"gate passed: no contract changed since {result.plan.base.name}"
    return f"gate passed: {plural(checked, 'contract')} checked{tail}"


def scope_line(result: GateResult) -> str:
    """Return ``base main (1a2b3c4) · 2 of 5 contracts checked · 3 skipped``."""
    plan = result.plan
    total = len(plan.affected) + len(plan.skipped)
    how = "--all" if plan.everything else f"{len(plan.affected)} of {total} contracts affected"
    return f"base {plan.base.ref} ({plan.base.commit[:7]}) · {how}"


def skipped_line(result: GateResult) -> str | None:
    """Return the one line naming the contracts left out, and why; ``None`` when none was."""
    skipped = result.plan.skipped
    if not skipped:
        return None
    return (
        f"skipped {plural(len(skipped), 'contract')} (nothing they reach changed since {result.plan.base.name}; "
        f"--all checks them): {', '.join(skipped)}"
    )


def counts_cell(findings: list[Finding]) -> str:
    """Return ``ok``, or ``1 error, 2 warnings`` (info findings are not counted in the table)."""
    errors = sum(1 for f in findings if f.severity is Severity.ERROR and f.accepted is None)
    warnings = sum(1 for f in findings if f.severity is Severity.WARNING and f.accepted is None)
    parts = [plural(n, word) for n, word in ((errors, "error"), (warnings, "warning")) if n]
    return ", ".join(parts) or "ok"


def change_counts(result: ContractResult) -> dict[str, int]:
    """Return the contract's changes per kind (``breaking``, ``possibly breaking``, ``compatible``, ``accepted``).

    A change is counted once however many operations it reaches (a shared schema's change is one finding per
    operation): every format counts changes this way, so the table and the lines under it agree.
    """
    changes = group_changes(f for f in result.of("breaking") if not is_note(f.rule_id))
    return {
        "breaking": sum(1 for c in changes if c.severity is Severity.ERROR and c.accepted is None),
        "possibly breaking": sum(1 for c in changes if c.severity is Severity.WARNING and c.accepted is None),
        "compatible": sum(1 for c in changes if c.severity is Severity.INFO and c.accepted is None),
        "accepted": sum(1 for c in changes if c.accepted is not None),
    }


def breaking_cell(result: ContractResult) -> str:
    """Return ``1 breaking, 2 compatible, 1 accepted`` (changes, each counted once), ``no change`` or ``-``."""
    counts = change_counts(result)
    if not any(counts.values()):
        return "no change" if result.bump is not None else "-"
    return ", ".join(f"{n} {word}" for word, n in counts.items() if n)


def semver_cell(result: ContractResult) -> str:
    """Return ``ok``, ``needs major``, ``not checked`` or ``-`` (not compared)."""
    bump = result.bump
    if bump is None:
        return "-"
    if bump.required == "none" and bump.ok is not False:
        return "ok"
    if bump.ok is None:
        return "not checked"
    return f"{bump.required}: ok" if bump.ok else f"needs {bump.required}"


def gen_cell(result: ContractResult) -> str:
    """Return ``ok``, ``stale``, ``skipped`` or ``-``."""
    return result.gen or "-"


def cells(result: ContractResult, fail_on: Severity) -> list[str]:
    """Return the row of one contract: id, owner, status, then one cell per step."""
    status = result.status(fail_on)
    by_step = {
        "validate": counts_cell(result.of("validate")) if not result.errors else "-",
        "lint": counts_cell(result.of("lint")) if not result.errors else "-",
        "breaking": breaking_cell(result),
        "semver": semver_cell(result),
        "gen": gen_cell(result),
    }
    if result.contract.lifecycle == "removed":
        by_step = {**by_step, "validate": "-", "lint": "-", "breaking": "removed " + by_step["breaking"]}
    return [result.id, result.contract.owner or "-", status, *(by_step[s] for s in COLUMNS)]


def shown_findings(result: ContractResult, minimum: Severity = Severity.WARNING) -> list[tuple[Step, Finding]]:
    """Return the findings worth listing under a contract: at or above ``minimum``, or accepted; worst first."""
    kept = [
        (s, f)
        for s, f in result.findings
        if f.severity is not Severity.OFF and (f.severity.at_least(minimum) or f.accepted is not None)
    ]
    steps = {step: index for index, step in enumerate(STEPS)}
    return sorted(kept, key=lambda p: (p[1].accepted is not None, -p[1].severity.rank, steps[p[0]], p[1].sort_key()))


SharedKey = tuple[object, ...]


def shared_key(step: Step, finding: Finding) -> SharedKey:
    """Return what makes two contracts' findings the same finding (one problem, met through each of them)."""
    return (step, finding.rule_id, finding.severity, finding.location, finding.message, finding.operation, finding.hint)


def shared_findings(result: GateResult) -> dict[SharedKey, tuple[str, ...]]:
    """Return the validate and lint findings that several contracts share (a problem in a shared file).

    Each maps to the contracts that meet it, in catalog order: renderers list it once, under the first of them,
    naming them all.
    """
    met: dict[SharedKey, list[str]] = {}
    for contract in result.contracts:
        for step, finding in contract.findings:
            if step in ("validate", "lint"):
                ids = met.setdefault(shared_key(step, finding), [])
                if contract.id not in ids:
                    ids.append(contract.id)
    return {key: tuple(ids) for key, ids in met.items() if len(ids) > 1}


def why_text(result: ContractResult) -> str:
    """Return why a contract was checked, in one line; its generated files are folded into one reason per folder."""
    entries: list[list[str]] = []  # each: the reasons shown as one (several only for one generated folder)
    folders: dict[str, list[str]] = {}
    for reason in result.contract.reasons:
        if reason.via != "generated":
            entries.append([str(reason)])
            continue
        folder = reason.file.rsplit("/", 1)[0]
        if folder not in folders:
            folders[folder] = []
            entries.append(folders[folder])
        folders[folder].append(reason.file)
    generated = {id(files) for files in folders.values()}
    texts = []
    for entry in entries:
        if id(entry) not in generated:
            texts.append(entry[0])
        elif len(entry) > 1:
            texts.append(f"its generated models in `{entry[0].rsplit('/', 1)[0]}/` changed ({len(entry)} files)")
        else:
            texts.append(f"its generated models `{entry[0]}` changed")
    return "; ".join(texts)
