"""Comparing two versions of a contract: one entry point, one engine per spec kind."""

from __future__ import annotations

from collections.abc import Callable

from contractkit._gc import gc_paused
from contractkit.breaking.context import DiffContext, RemovalPolicy
from contractkit.errors import UsageError
from contractkit.findings import Finding
from contractkit.kinds import SpecKind
from contractkit.loaders.document import Document

Engine = Callable[[DiffContext], None]


def _engines() -> dict[SpecKind, Engine]:
    from contractkit.breaking.asyncapi import diff_asyncapi
    from contractkit.breaking.openapi import diff_openapi

    return {SpecKind.OPENAPI: diff_openapi, SpecKind.ASYNCAPI: diff_asyncapi}


def diff_documents(
    base: Document, revision: Document, *, contract: str | None = None, policy: RemovalPolicy | None = None
) -> list[Finding]:
    """Return every change from ``base`` to ``revision``, breaking or not, sorted by location.

    ``policy`` judges removals by the removed node (see :mod:`contractkit.breaking.policies`); without one,
    every change is reported at its rule's level.

    Raises:
        UsageError: the two documents are of different kinds, or no engine handles their kind yet.
    """
    if base.spec.kind is not revision.spec.kind:
        raise UsageError(
            f"cannot compare {base.spec.kind.value} `{base.name}` with {revision.spec.kind.value} `{revision.name}`",
            tip="compare two versions of the same contract.",
        )
    engine = _engines().get(base.spec.kind)
    if engine is None:
        raise UsageError(f"breaking-change checks for {base.spec.kind.value} are not available yet")
    ctx = DiffContext(base, revision, contract, policy=policy)
    with gc_paused():
        engine(ctx)
    return sorted(ctx.changes, key=lambda f: (-f.severity.rank, f.operation or "", f.rule_id, f.message))
