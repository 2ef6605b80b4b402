"""The contract's operations, and the ones ``--include``/``--exclude`` select."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from contractkit.errors import UsageError
from contractkit.kinds import SpecKind
from contractkit.loaders.document import SpecVersion, memory_document
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
