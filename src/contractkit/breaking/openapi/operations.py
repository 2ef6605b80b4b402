"""Pairing the operations of two OpenAPI documents, and comparing each pair.

Operations pair by method and full path: the operation's first base path (:mod:`contractkit.spec.servers`: the
first URL path of its own `servers`, else its path item's, else the document's, variables at their default) is
prefixed and template names are erased, so ``/a/{id}`` and ``/a/{key}`` are one path, and moving ``/v1`` between
`servers` and `paths`, or an operation from the document's `servers` to its path item's with the same URL, changes
nothing. An operation whose base path changed is paired by its bare path and reported by the base-path rule, once
per change of base path. Webhooks (3.1) pair by method and name. Each pair is compared by area: security,
parameters, request body, responses.
An operation removed or added is judged by a group of rules (:data:`REMOVED_RULES`, :data:`ADDED_RULES`); the
rules that report at their own nodes (the base path, an `operationId`, a deprecation) are called by name.
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
from contractkit.breaking.registry import CHANGE, ERROR, INFO, WARNING, AnyChangeRule, breaking_rule, fired
from contractkit.loaders.document import Cursor, Document
from contractkit.spec.servers import base_path as first_base_path
from contractkit.spec.servers import operation_base_path, servers_owner
from contractkit.spec.walk import Operation, operations


@dataclass(frozen=True, slots=True)
class OperationRemoved:
    """An operation of the base that no operation of the revision pairs with, for the rules below.

    Attributes:
        keyed: the removed operation.
        path_kept: its path survives: some operation of the path was paired, or the revision has the path.
        first: the first removed operation of its path (a removed path is said once, not once per method).
    """

    keyed: Keyed
    path_kept: bool
    first: bool


@dataclass(frozen=True, slots=True)
class OperationAdded:
    """An operation of the revision that no operation of the base pairs with, for the rules below.

    Attributes:
        keyed: the added operation.
        path_kept: its path was there: some operation of the path was paired, or the base has the path.
    """

    keyed: Keyed
    path_kept: bool


#: The rules on a removed operation, in the order their findings are said.
REMOVED_RULES: list[AnyChangeRule] = []
#: The rules on an added operation, in the order their findings are said.
ADDED_RULES: list[AnyChangeRule] = []


@breaking_rule(
    id="api-path-removed",
    level=ERROR,
    direction="operation",
    summary="clients calling a removed path get 404",
    fix=DEPRECATE,
    category=CHANGE,
    removes="path",
    group=REMOVED_RULES,
)
def api_path_removed(change: OperationRemoved) -> str | None:
    """A path (or a webhook) was removed with every operation it had.

    Clients that still call it get a 404 (a partner registered for the webhook stops receiving it). Said once
    per path, at its first operation; the deprecation policy judges it by the path's `deprecated` operations.
    """
    if change.path_kept or not change.first:
        return None
    return f"{_kind(change.keyed)} `{change.keyed.operation.path}` was removed"


@breaking_rule(
    id="api-operation-removed",
    level=ERROR,
    direction="operation",
    summary="clients calling a removed operation get 404 or 405",
    fix=DEPRECATE,
    category=CHANGE,
    removes="operation",
    group=REMOVED_RULES,
)
def api_operation_removed(change: OperationRemoved) -> str | None:
    """One method of a path that is still there was removed (`DELETE /orders/{id}` while `GET` stays).

    Clients that call it get a 404 or a 405. A deprecated operation past its sunset date may go (the deprecation
    policy judges the removal by the operation's `deprecated` flag).
    """
    return "operation was removed" if change.path_kept else None


@breaking_rule(
    id="api-base-path-changed",
    level=WARNING,
    direction="operation",
    summary="the base path of operations (the path of their first `servers` URL) changed: clients that call the old "
    "full URLs get 404, unless the old base path is still served",
    fix="keep serving the old base path (an alias or a redirect) until clients have moved.",
    category=CHANGE,
)
def api_base_path_changed(old: str, new: str) -> str | None:
    """The path of the first server URL of operations changed (`/v1` to `/v2`) while the operations stayed.

    The server is the operation's own `servers`, else its path item's, else the document's; one finding is said
    per change of base path, at the `servers` that give the new one.

    Operations are still paired by their paths without the base path, so their own changes are reported;
    clients configured with the old full URLs get 404 unless the old base path keeps being served.
    """
    return f"the base path changed from `{old or '/'}` to `{new or '/'}`" if old != new else None


@breaking_rule(
    id="api-path-added",
    level=INFO,
    direction="operation",
    summary="a new path breaks no existing client",
    category=CHANGE,
    group=ADDED_RULES,
)
def api_path_added(change: OperationAdded) -> str | None:
    """A new path (or webhook) with its operations: no existing client calls it, so none breaks; for the changelog."""
    return None if change.path_kept else f"{_kind(change.keyed)} `{change.keyed.operation.path}` was added"


@breaking_rule(
    id="api-operation-added",
    level=INFO,
    direction="operation",
    summary="a new operation breaks no existing client",
    category=CHANGE,
    group=ADDED_RULES,
)
def api_operation_added(change: OperationAdded) -> str | None:
    """A new method on a path that was already there: existing clients never call it; listed for the changelog."""
    return "operation was added" if change.path_kept else None


@breaking_rule(
    id="api-operation-id-changed",
    level=WARNING,
    direction="operation",
    summary="generated SDKs name methods after the `operationId`: renaming it breaks their callers (not the wire)",
    fix="keep the old `operationId`; rename only in a new major version.",
    category=CHANGE,
)
def api_operation_id_changed(old: Operation, new: Operation) -> str | None:
    """An operation's `operationId` was renamed or removed.

    The requests on the wire are unchanged, but SDKs generated from the contract name their methods after it:
    code that calls the old method no longer compiles once the SDK is regenerated.
    """
    old_id, new_id = old.cursor.raw("operationId"), new.cursor.raw("operationId")
    if old_id is None or old_id == new_id:
        return None
    if new_id is None:
        return f"`operationId` `{old_id}` was removed"
    return f"`operationId` changed from `{old_id}` to `{new_id}`"


@breaking_rule(
    id="api-operation-deprecated",
    level=INFO,
    direction="operation",
    summary="a deprecation warns clients before a removal",
    category=CHANGE,
)
def api_operation_deprecated(old: Operation, new: Operation) -> str | None:
    """An operation was marked `deprecated: true`: it still works, and clients are warned to move off it.

    Nothing breaks; the changelog lists it, and the deprecation policy later lets it be removed after its sunset.
    """
    if not old.cursor.raw("deprecated") and new.cursor.raw("deprecated") is True:
        return "operation was deprecated"
    return None


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
    """Report added, removed and changed operations (:data:`REMOVED_RULES`, :data:`ADDED_RULES`)."""
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
            text = api_base_path_changed(old_base, new_base)
            if text is not None:
                ctx.report(api_base_path_changed, text, base=before.servers, revision=after.servers)
    for before, after in pairs:
        _compare_pair(ctx, before, after)
    # A path survives when some operation of it was paired, or the other version has it too.
    old_paths = {before.key[1] for before, _ in pairs} | {k[1] for k in new}
    new_paths = {after.key[1] for _, after in pairs} | {k[1] for k in old}
    counterpart = {before.key[1]: after.operation.path_item for before, after in pairs}
    reported_paths: set[str] = set()
    for before in removed:
        path = before.key[1]
        kept = path in old_paths
        removal = OperationRemoved(before, kept, not kept and path not in reported_paths)
        for rule, text in fired(REMOVED_RULES, removal):
            if kept:
                near = counterpart.get(path) or _path_item(new, path)
                ctx.report(rule, text, base=before.operation.cursor, near=near, operation=before.label)
            else:
                reported_paths.add(path)
                ctx.report(
                    rule,
                    text,
                    base=before.operation.path_item,
                    near=ctx.revision.cursor().get("webhooks" if before.operation.webhook else "paths"),
                    operation=before.label,
                )
    for after in added:
        addition = OperationAdded(after, after.key[1] in new_paths)
        for rule, text in fired(ADDED_RULES, addition):
            ctx.report(rule, text, revision=after.operation.cursor, operation=after.label)


def _kind(keyed: Keyed) -> str:
    return "webhook" if keyed.operation.webhook else "path"


def _path_item(ops: dict[tuple[str, str], Keyed], path: str) -> Cursor | None:
    return next((k.operation.path_item for key, k in ops.items() if key[1] == path), None)


def _compare_pair(ctx: DiffContext, before: Keyed, after: Keyed) -> None:
    old, new = before.operation, after.operation
    label = after.label
    # A webhook's request is sent by the API and read by the partner: the directions swap.
    sent, received = (RESPONSE, REQUEST) if new.webhook else (REQUEST, RESPONSE)
    text = api_operation_id_changed(old, new)
    if text is not None:
        base, revision = old.cursor.get("operationId"), new.cursor.get("operationId") or new.cursor
        ctx.report(api_operation_id_changed, text, base=base, revision=revision, operation=label)
    text = api_operation_deprecated(old, new)
    if text is not None:
        deprecated = new.cursor.get("deprecated")
        ctx.report(api_operation_deprecated, text, base=old.cursor, revision=deprecated, operation=label)
    compare_security(ctx, old, new, label)
    compare_parameters(ctx, old, new, label, sent)
    compare_request_body(ctx, old, new, label, sent)
    compare_responses(ctx, old, new, label, received)
