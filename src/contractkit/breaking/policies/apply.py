"""Applying the policies to the changes of one contract, after the engine compared its two versions.

The deprecation policy runs inside the engine (it needs the removed nodes, see :class:`DeprecationPolicy`); then,
here: stability (draft parts become ``info``, a stability level that went down is reported), the ignores file
(to know which breaking changes are accepted), and versioning (the bump the remaining changes need).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from contractkit.breaking.changelog import BumpAdvice
from contractkit.breaking.ignores import Ignore, apply_ignores, ignore_expired
from contractkit.breaking.policies.config import Policies
from contractkit.breaking.policies.stability import decreased_levels, read_stability, soften
from contractkit.breaking.policies.versioning import check_versioning
from contractkit.findings import Finding
from contractkit.loaders.document import Document

__all__ = ["apply_policies"]


def apply_policies(
    findings: list[Finding],
    base: Document,
    revision: Document,
    policies: Policies,
    *,
    name: str,
    contract: str | None,
    ignores: Sequence[Ignore] = (),
    today: dt.date,
) -> tuple[list[Finding], BumpAdvice]:
    """Return the contract's findings after the stability and versioning policies, and its bump advice.

    Args:
        findings: what the engine found (the deprecation policy already applied, for the native engine).
        base: the base document.
        revision: the revision document.
        policies: which policies apply.
        name: how the advice names the contract.
        contract: the catalog id, for new findings.
        ignores: the ignores file's entries: accepted changes do not make a major bump necessary.
        today: the day ignore entries expire against.

    Returns:
        The findings (accepted ones marked; expired ignore entries are left to the caller), plus the versioning
        and stability findings; and the advice, computed even when the versioning policy is off.
    """
    old = new = None
    if policies.stability:
        old, new = read_stability(base, draft=policies.draft), read_stability(revision, draft=policies.draft)
        findings = soften(findings, old, new) + decreased_levels(old, new, base, revision, contract)
    if ignores:
        marked = apply_ignores(findings, ignores, today=today)
        findings = [f for f in marked if f.rule_id != ignore_expired.id]
    advice, versioning = check_versioning(base, revision, findings, name=name, contract=contract)
    if not policies.versioning:
        return findings, advice
    if old is not None and new is not None:
        versioning = soften(versioning, old, new)  # a draft contract's version may change freely too
    return findings + versioning, advice
