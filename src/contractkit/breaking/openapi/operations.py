"""Pairing the operations of two OpenAPI documents, and comparing each pair.

Operations pair by method and full path: the operation's first base path (:mod:`contractkit.spec.servers`: the
first URL path of its own `servers`, else its path item's, else the document's, variables at their default) is
prefixed and template names are erased, so ``/a/{id}`` and ``/a/{key}`` are one path, and moving ``/v1`` between
`servers` and `paths`, or an operation from the document's `servers` to its path item's with the same URL, changes
nothing. An operation whose base path changed is paired by its bare path and reported by the base-path rule, once
per change of base path. Webhooks (3.1) pair by method and name. Each pair is compared by area: security,
parameters, request body, responses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from contractkit.breaking.context import DiffContext
from contractkit.breaking.openapi.content import compare_request_body, compare_responses
from contractkit.breaking.openapi.fixes import DEPRECATE
from contractkit.breaking.openapi.parameters import compare_parameters
from contractkit.breaking.openapi.schemas import REQUEST, RESPONSE
from contractkit.breaking.openapi.security import compare_security
from contractkit.breaking.registry import CHANGE, ERROR, INFO, WARNING, change_rule
from contractkit.loaders.document import Cursor, Document
from contractkit.spec.servers import base_path as first_base_path
from contractkit.spec.servers import operation_base_path, servers_owner
from contractkit.spec.walk import Operation, operations

API_PATH_REMOVED = change_rule(
    id="api-path-removed",
    level=ERROR,
    direction="operation",
    summary="clients calling a removed path get 404",
    fix=DEPRECATE,
    category=CHANGE,
    removes="path",
)
API_OPERATION_REMOVED = change_rule(
    id="api-operation-removed",
    level=ERROR,
    direction="operation",
    summary="clients calling a removed operation get 404 or 405",
    fix=DEPRECATE,
    category=CHANGE,
    removes="operation",
)
API_BASE_PATH_CHANGED = change_rule(
    id="api-base-path-changed",
    level=WARNING,
    direction="operation",
    summary="the path of the first `servers` URL changed: clients that call the old full URLs get 404, unless the old "
    "base path is still served",
    fix="keep serving the old base path (an alias or a redirect) until clients have moved.",
    category=CHANGE,
)
API_PATH_ADDED = change_rule(
    id="api-path-added",
    level=INFO,
    direction="operation",
    summary="a new path breaks no existing client",
    category=CHANGE,
)
API_OPERATION_ADDED = change_rule(
    id="api-operation-added",
    level=INFO,
    direction="operation",
    summary="a new operation breaks no existing client",
    category=CHANGE,
)
API_OPERATION_ID_CHANGED = change_rule(
    id="api-operation-id-changed",
    level=WARNING,
    direction="operation",
    summary="generated SDKs name methods after the `operationId`: renaming it breaks their callers (not the wire)",
    fix="keep the old `operationId`; rename only in a new major version.",
    category=CHANGE,
)
API_OPERATION_DEPRECATED = change_rule(
    id="api-operation-deprecated",
    level=INFO,
    direction="operation",
    summary="a deprecation warns clients before a removal",
    category=CHANGE,
)


TEMPLATE = re.compile(r"\{[^}/]*\}")


@dataclass(frozen=True, slots=True)
class Keyed:
    """An operation with the keys it is paired by: method and normalised path (template names erased).

    Attributes:
        key: (method, full path): the operation's first base path, then the path.
        bare: (method, path) without the base path, to pair operations when the server URL changed.
        operation: the operation.
    """

    key: tuple[str, str]
    bare: tuple[str, str]
    operation: Operation
    base_path: str = ""
    servers: Cursor | None = None

    @property
    def label(self) -> str:
        """Return ``GET /orders``."""
        return self.operation.label


def base_path(doc: Document) -> str:
    """Return the first base path of the document (``/b2b/v1``), or ``""`` (:mod:`contractkit.spec.servers`)."""
    return first_base_path(doc.data)


def keyed_operations(doc: Document) -> dict[tuple[str, str], Keyed]:
    """Return the operations by (method, normalised full path); webhooks by (method, ``webhook name``)."""
    result: dict[tuple[str, str], Keyed] = {}
    for operation in operations(doc):
        if operation.webhook:
            key = bare = (operation.method, f"webhook {operation.path}")
            result[key] = Keyed(key, bare, operation)
            continue
        prefix = operation_base_path(doc.data, operation.path_item.value, operation.cursor.value)
        key = (operation.method, TEMPLATE.sub("{}", prefix + operation.path))
        bare = (operation.method, TEMPLATE.sub("{}", operation.path))
        result[key] = Keyed(key, bare, operation, prefix, _servers(doc, operation))
    return result


def _servers(doc: Document, operation: Operation) -> Cursor | None:
    """Return the `servers` an operation's base paths come from: its own, its path item's, or the document's."""
    owner = servers_owner(operation.path_item.value, operation.cursor.value)
    holder = {"operation": operation.cursor, "path item": operation.path_item}.get(owner, doc.cursor())
    return holder.get("servers")


def pair_operations(
    old: dict[tuple[str, str], Keyed], new: dict[tuple[str, str], Keyed]
) -> tuple[list[tuple[Keyed, Keyed]], list[Keyed], list[Keyed], bool]:
    """Pair operations by full path, then the rest by path without the server base path.

    Returns:
        The pairs, the removed and the added operations, and whether some pair needed the second step (the
        base path changed under them).
    """
    pairs = [(before, new[key]) for key, before in old.items() if key in new]
    removed = [before for key, before in old.items() if key not in new]
    added = {after.bare: after for key, after in new.items() if key not in old}
    moved = False
    for before in list(removed):
        after = added.pop(before.bare, None)
        if after is not None:
            pairs.append((before, after))
            removed.remove(before)
            moved = True
    return pairs, removed, list(added.values()), moved


def compare_operations(ctx: DiffContext) -> None:
    """Report added, removed and changed operations."""
    old = keyed_operations(ctx.base)
    new = keyed_operations(ctx.revision)
    pairs, removed, added, moved = pair_operations(old, new)
    if moved:
        # One finding per change of base path (the document's, or a path item's or an operation's own `servers`).
        changes: dict[tuple[str, str], tuple[Keyed, Keyed]] = {}
        for before, after in pairs:
            if before.key != after.key and not before.operation.webhook:
                changes.setdefault((before.base_path, after.base_path), (before, after))
        for (old_base, new_base), (before, after) in changes.items():
            ctx.report(
                API_BASE_PATH_CHANGED,
                f"the base path changed from `{old_base or '/'}` to `{new_base or '/'}`",
                base=before.servers,
                revision=after.servers,
            )
    for before, after in pairs:
        _compare_pair(ctx, before, after)
    # A path survives when some operation of it was paired, or the other version has it too.
    old_paths = {before.key[1] for before, _ in pairs} | {k[1] for k in new}
    new_paths = {after.key[1] for _, after in pairs} | {k[1] for k in old}
    counterpart = {before.key[1]: after.operation.path_item for before, after in pairs}
    reported_paths: set[str] = set()
    for before in removed:
        path = before.key[1]
        if path not in old_paths:
            # One finding per removed path (on its first operation), not one per method.
            if path not in reported_paths:
                reported_paths.add(path)
                ctx.report(
                    API_PATH_REMOVED,
                    f"{_kind(before)} `{before.operation.path}` was removed",
                    base=before.operation.path_item,
                    near=ctx.revision.cursor().get("webhooks" if before.operation.webhook else "paths"),
                    operation=before.label,
                )
            continue
        near = counterpart.get(path) or _path_item(new, path)
        ctx.report(
            API_OPERATION_REMOVED,
            "operation was removed",
            base=before.operation.cursor,
            near=near,
            operation=before.label,
        )
    for after in added:
        if after.key[1] not in new_paths:
            text = f"{_kind(after)} `{after.operation.path}` was added"
            ctx.report(API_PATH_ADDED, text, revision=after.operation.cursor, operation=after.label)
        else:
            text = "operation was added"
            ctx.report(API_OPERATION_ADDED, text, revision=after.operation.cursor, operation=after.label)


def _kind(keyed: Keyed) -> str:
    return "webhook" if keyed.operation.webhook else "path"


def _path_item(ops: dict[tuple[str, str], Keyed], path: str) -> Cursor | None:
    return next((k.operation.path_item for key, k in ops.items() if key[1] == path), None)


def _compare_pair(ctx: DiffContext, before: Keyed, after: Keyed) -> None:
    old, new = before.operation, after.operation
    label = after.label
    # A webhook's request is sent by the API and read by the partner: the directions swap.
    sent, received = (RESPONSE, REQUEST) if new.webhook else (REQUEST, RESPONSE)
    old_id, new_id = old.cursor.raw("operationId"), new.cursor.raw("operationId")
    if old_id is not None and old_id != new_id:
        ctx.report(
            API_OPERATION_ID_CHANGED,
            f"`operationId` changed from `{old_id}` to `{new_id}`"
            if new_id is not None
            else f"`operationId` `{old_id}` was removed",
            base=old.cursor.get("operationId"),
            revision=new.cursor.get("operationId") or new.cursor,
            operation=label,
        )
    if not old.cursor.raw("deprecated") and new.cursor.raw("deprecated") is True:
        ctx.report(
            API_OPERATION_DEPRECATED,
            "operation was deprecated",
            base=old.cursor,
            revision=new.cursor.get("deprecated"),
            operation=label,
        )
    compare_security(ctx, old, new, label)
    compare_parameters(ctx, old, new, label, sent)
    compare_request_body(ctx, old, new, label, sent)
    compare_responses(ctx, old, new, label, received)
