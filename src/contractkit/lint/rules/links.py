"""House rule for OpenAPI links: a link names an operation that exists."""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from contractkit.errors import UnresolvedRef
from contractkit.findings import Severity
from contractkit.kinds import SpecKind
from contractkit.lint.context import LintContext
from contractkit.lint.registry import lint_rule
from contractkit.loaders.document import Cursor, Document
from contractkit.loaders.pointer import to_pointer
from contractkit.spec.walk import HTTP_METHODS, callback_operations, operations


def _operation_ids(doc: Document) -> set[str]:
    ids = set()
    for op in operations(doc):
        # The operation ids of callbacks share the document's namespace.
        for cursor in (op.cursor, *(cb.cursor for cb in callback_operations(op))):
            value = cursor.raw("operationId")
            if isinstance(value, str):
                ids.add(value)
    return ids


def _links(doc: Document) -> Iterator[tuple[str, Cursor, str | None]]:
    """Yield (how to name it, link object, operation) for every link of every response, and of `components`."""
    seen: set[tuple[str, tuple[str, ...]]] = set()
    for op in operations(doc):
        for holder in (op.cursor, *(cb.cursor for cb in callback_operations(op))):
            responses = holder.get("responses")
            for status, response in responses.items() if responses is not None else ():
                links = response.get("links")
                for name, link in links.items() if links is not None else ():
                    if link.identity not in seen and isinstance(link.value, dict):
                        seen.add(link.identity)
                        yield f"link `{name}` of response `{status}`", link, op.label
    components = doc.cursor().get("components")
    links = components.get("links") if components is not None else None
    for name, link in links.items() if links is not None else ():
        if link.identity not in seen and isinstance(link.value, dict):
            seen.add(link.identity)
            yield f"link `{name}` of `components`", link, None


@lint_rule(
    "link-target-missing",
    severity=Severity.ERROR,
    summary="a link whose `operationId` or `operationRef` names no operation leads clients and test tools nowhere",
    specs=(SpecKind.OPENAPI,),
)
def link_target_missing(ctx: LintContext) -> None:
    """A link tells clients, documentation and stateful test tools which operation to call next.

    `contractkit fuzz` follows links to chain requests (create an order, then read it back): a link whose
    `operationId` no operation has, or whose `operationRef` does not lead to an operation, silently drops that
    step. Checked: every link of every response (of `paths`, 3.1 `webhooks` and callbacks) and of
    `components/links`; an `operationId` must be the id of an operation of the document, an `operationRef` a
    reference (`#/paths/~1orders~1{id}/get`, or into another file) to an operation object. A link must name its
    operation one way, not both.

    Fix: correct the `operationId` (the message suggests the closest one) or the `operationRef`; for a path in
    a reference, escape `/` as `~1`.
    """
    ids = _operation_ids(ctx.doc)
    for what, link, operation in _links(ctx.doc):
        value = link.value
        assert isinstance(value, dict)  # _links yields mappings only
        operation_id, operation_ref = value.get("operationId"), value.get("operationRef")
        if operation_id is not None and operation_ref is not None:
            ctx.report(
                link,
                f"{what} names its operation twice, by `operationId` and by `operationRef`",
                operation=operation,
                hint="keep one of them: they are mutually exclusive",
            )
            continue
        if operation_id is None and operation_ref is None:
            ctx.report(
                link,
                f"{what} names no operation (no `operationId`, no `operationRef`)",
                operation=operation,
                hint="add the `operationId` of the operation the link leads to",
            )
            continue
        if isinstance(operation_id, str):
            if operation_id not in ids:
                close = difflib.get_close_matches(operation_id, sorted(ids), n=1)
                ctx.report(
                    link.get("operationId") or link,
                    f"{what} names `operationId` `{operation_id}`, which no operation has",
                    operation=operation,
                    hint=f"did you mean `{close[0]}`?"
                    if close
                    else "name the `operationId` of an operation of the document",
                )
        elif isinstance(operation_ref, str):
            problem = _ref_problem(ctx.doc, link, operation_ref)
            if problem is not None:
                what_went_wrong, detail = problem
                ctx.report(
                    link.get("operationRef") or link,
                    f"{what}: `operationRef` `{operation_ref}` {what_went_wrong}",
                    operation=operation,
                    hint=f"{detail}; write a reference to an operation, such as `#/paths/~1orders~1{{id}}/get` "
                    "(`/` is `~1`)",
                )


def _ref_problem(doc: Document, link: Cursor, ref: str) -> tuple[str, str] | None:
    """Return what is wrong with ``ref`` and why, or ``None`` when it leads to an operation (or is remote)."""
    if ref.startswith(("http://", "https://")) and not doc.resolver.store.limits.allow_remote:
        return None  # a remote operation: not fetched, not judged
    try:
        target = doc.resolver.follow(link.file, (*link.parts, "operationRef"), ref)
    except UnresolvedRef as exc:
        return "leads nowhere", exc.detail.partition("`: ")[2] or exc.detail
    parts = target.parts
    if parts and parts[-1] in HTTP_METHODS and isinstance(target.value, dict):
        return None  # a method of a path item: of `paths`, `webhooks`, a callback, or a path item in another file
    return "leads to something that is not an operation", f"it leads to `{to_pointer(parts) or '#'}`"
