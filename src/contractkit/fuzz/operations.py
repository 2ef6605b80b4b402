"""The contract's operations, and the ones ``--include``/``--exclude`` select."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from contractkit.errors import UsageError
from contractkit.kinds import SpecKind
from contractkit.loaders.document import SpecVersion, memory_document
from contractkit.spec.servers import base_path, operation_base_path, servers_owner
from contractkit.spec.walk import operations


def list_operations(document: dict[str, Any]) -> list[tuple[str, str | None]]:
    """Return ``(label, operationId)`` of every operation of ``paths``, in contract order (``x-`` keys skipped).

    The label is how Schemathesis names the operation: ``METHOD /path`` (``POST /orders``).
    """
    found: list[tuple[str, str | None]] = []
    # The operations a server receives (those of `paths`), by the walk the middleware routes by.
    spec = SpecVersion(SpecKind.OPENAPI, str(document.get("openapi", "3.1.0")))
    for op in operations(memory_document(document, spec=spec), webhooks=False):
        operation_id = op.cursor.raw("operationId")
        found.append((op.label, operation_id if isinstance(operation_id, str) else None))
    return found


_WHOSE = {"document": "the document's `servers`", "operation": "its own `servers`"}


def operation_bases(document: dict[str, Any]) -> dict[str, tuple[str, str]]:
    """Return, per operation label, its first base path and whose `servers` give it.

    The base path is :func:`contractkit.spec.servers.operation_base_path` (the operation's own `servers`, else its
    path item's, else the document's); the second item names that owner: ``operation``, ``path item`` or
    ``document``.
    """
    spec = SpecVersion(SpecKind.OPENAPI, str(document.get("openapi", "3.1.0")))
    found: dict[str, tuple[str, str]] = {}
    for op in operations(memory_document(document, spec=spec), webhooks=False):
        owner = servers_owner(op.path_item.value, op.cursor.value)
        found[op.label] = (operation_base_path(document, op.path_item.value, op.cursor.value), owner)
    return found


def run_base_path(document: dict[str, Any], labels: Sequence[str]) -> str:
    """Return the one base path the operations ``labels`` are served under: a run sends to one base URL.

    Raises:
        UsageError: two of them are served under different base paths (a path item's or an operation's own
            `servers`); the message names an operation of each and why, the tip how to split the run.
    """
    bases = operation_bases(document)
    default = base_path(document)
    by_base: dict[str, list[str]] = {}
    for label in labels:
        by_base.setdefault(bases.get(label, (default, "document"))[0], []).append(label)
    if len(by_base) <= 1:
        return next(iter(by_base), default)
    shown = []
    for base, members in by_base.items():
        owner = bases.get(members[0], (default, "document"))[1]
        whose = _WHOSE.get(owner, f"its {owner}'s `servers`")
        more = f" (and {len(members) - 1} more)" if len(members) > 1 else ""
        shown.append(f"`{members[0]}`{more} under `{base or '/'}` ({whose})")
    first = next(iter(by_base.values()))[0]
    raise UsageError(
        "the operations to fuzz are served under different base paths: " + "; ".join(shown) + "; a run sends "
        "every request to one base URL, so some would be sent to the wrong one",
        title="cannot fuzz these operations in one run",
        tip="fuzz each base path in its own run, choosing its operations with --include or --exclude "
        f"(for example --include '{first}').",
    )


def select_operations(document: dict[str, Any], include: Sequence[str] = (), exclude: Sequence[str] = ()) -> list[str]:
    """Return the labels of the operations to fuzz, in contract order.

    Args:
        document: the contract.
        include: operations to keep, each an ``operationId`` or ``METHOD /path`` (method in any case); empty
            keeps all.
        exclude: operations to leave out, in the same forms.

    Raises:
        UsageError: a name matches no operation (the message lists them), or nothing is left to fuzz.
    """
    operations = list_operations(document)
    by_name: dict[str, str] = {}
    for label, operation_id in operations:
        by_name[_normal(label)] = label
        if operation_id:
            by_name[operation_id] = label

    def resolve(names: Sequence[str], flag: str) -> set[str]:
        chosen = set()
        for name in names:
            label = by_name.get(name) or by_name.get(_normal(name))
            if label is None:
                known = ", ".join(op_id or label for label, op_id in operations)
                raise UsageError(
                    f"{flag} `{name}` matches no operation of the contract",
                    tip=f"name an operationId or `METHOD /path`; the operations are: {known}.",
                )
            chosen.add(label)
        return chosen

    kept = resolve(include, "--include") if include else {label for label, _ in operations}
    kept -= resolve(exclude, "--exclude")
    selected = [label for label, _ in operations if label in kept]
    if not selected:
        raise UsageError(
            "no operation left to fuzz",
            tip="check --include and --exclude (and that the contract has `paths`).",
        )
    return selected


def _normal(name: str) -> str:
    method, _, path = name.strip().partition(" ")
    return f"{method.upper()} {path.strip()}"
