"""House rules for OpenAPI operations: ids, tags, summaries and success responses (of paths and 3.1 webhooks)."""

from __future__ import annotations

import re

from contractkit.findings import Severity
from contractkit.kinds import SpecKind
from contractkit.lint.context import LintContext
from contractkit.lint.registry import lint_rule
from contractkit.loaders.document import Cursor
from contractkit.spec.walk import Operation, operations

_CAMEL_CASE = re.compile(r"[a-z][a-zA-Z0-9]*", re.ASCII)
_SUCCESS_STATUS = re.compile(r"[23](\d\d|XX)", re.ASCII | re.IGNORECASE)


def _operation_id(op: Operation) -> tuple[str, Cursor] | None:
    """Return the operation's non-blank ``operationId`` and its node, or ``None``."""
    node = op.cursor.get("operationId")
    if node is None or not isinstance(node.value, str) or not node.value.strip():
        return None
    return node.value, node


def _camel_case(name: str) -> str | None:
    """Return ``name`` in camelCase (``list_orders`` -> ``listOrders``), or ``None`` when there is no good guess."""
    words = [word for word in re.split(r"[^A-Za-z0-9]+", name) if word]
    if not words:
        return None
    parts = []
    for index, word in enumerate(words):
        if word.isupper():
            word = word.lower()
        parts.append(word[0].lower() + word[1:] if index == 0 else word[0].upper() + word[1:])
    guess = "".join(parts)
    return guess if _CAMEL_CASE.fullmatch(guess) else None


@lint_rule(
    "operation-id-missing",
    severity=Severity.ERROR,
    summary="code generators, docs and SDKs name operations by their `operationId`",
    specs=(SpecKind.OPENAPI,),
)
def operation_id_missing(ctx: LintContext) -> None:
    """Code generators, documentation links and SDKs name an operation by its `operationId`.

    Without one, generators invent a method name from the method and path, and that name changes whenever the
    path does: SDK methods and documentation links break with it.

    Every operation of `paths`, and of `webhooks` in OpenAPI 3.1, is checked.

    Fix: add a unique camelCase `operationId` that says what the operation does, such as `listOrders`.
    """
    for op in operations(ctx.doc):
        node = op.cursor.get("operationId")
        if node is None:
            ctx.report(op.cursor, f"operation `{op.label}` has no `operationId`", operation=op.label)
        elif not isinstance(node.value, str):
            ctx.report(node, f"operation `{op.label}` has an `operationId` that is not a string", operation=op.label)
        elif not node.value.strip():
            ctx.report(node, f"operation `{op.label}` has an empty `operationId`", operation=op.label)


@lint_rule(
    "operation-id-duplicate",
    severity=Severity.ERROR,
    summary="an `operationId` must identify one operation: generated SDKs cannot hold two methods of one name",
    specs=(SpecKind.OPENAPI,),
)
def operation_id_duplicate(ctx: LintContext) -> None:
    """OpenAPI requires every `operationId` to be unique in the contract (case-sensitively).

    A duplicate makes code generators fail, or silently rename one of the two methods.

    Every later use of an `operationId` is reported, naming the operation that used it first. Webhooks
    (OpenAPI 3.1) share the namespace with path operations.

    Fix: rename the later operation's `operationId`.
    """
    first: dict[str, Operation] = {}
    for op in operations(ctx.doc):
        found = _operation_id(op)
        if found is None:
            continue
        name, node = found
        earlier = first.setdefault(name, op)
        if earlier is not op:
            ctx.report(
                node,
                f"operation `{op.label}` reuses `operationId` `{name}` of `{earlier.label}`",
                operation=op.label,
            )


@lint_rule(
    "operation-id-not-camel-case",
    severity=Severity.WARNING,
    summary="camelCase `operationId`s become idiomatic method names in every generated SDK",
    specs=(SpecKind.OPENAPI,),
)
def operation_id_not_camel_case(ctx: LintContext) -> None:
    """Code generators turn the `operationId` into a method name, and camelCase survives that in every language.

    An id matching `^[a-z][a-zA-Z0-9]*$` becomes the same method name everywhere; underscores, hyphens, dots
    or spaces are mangled differently by each generator, and a leading capital reads like a type name.

    Fix: rename the `operationId` to camelCase, such as `listOrders` for `list_orders`.
    """
    for op in operations(ctx.doc):
        found = _operation_id(op)
        if found is None:
            continue
        name, node = found
        if _CAMEL_CASE.fullmatch(name):
            continue
        guess = _camel_case(name)
        ctx.report(
            node,
            f"`operationId` `{name}` of `{op.label}` is not camelCase",
            operation=op.label,
            hint=f"rename it to `{guess}`" if guess else None,
        )


@lint_rule(
    "operation-tags-missing",
    severity=Severity.WARNING,
    summary="tags group operations in documentation and split generated SDKs into clients",
    specs=(SpecKind.OPENAPI,),
)
def operation_tags_missing(ctx: LintContext) -> None:
    """Tags group operations in documentation and split generated SDKs into clients.

    Documentation tools group operations by their first tag, and many code generators make one client class
    per tag; an untagged operation lands in a catch-all `default` group.

    Fix: add `tags:` with at least one tag, declared in the top-level `tags` list.
    """
    for op in operations(ctx.doc):
        tags = op.cursor.get("tags")
        if tags is None:
            ctx.report(op.cursor, f"operation `{op.label}` has no tags", operation=op.label)
        elif isinstance(tags.value, list) and not tags.value:
            ctx.report(tags, f"operation `{op.label}` has an empty `tags` list", operation=op.label)


@lint_rule(
    "operation-tag-undeclared",
    severity=Severity.WARNING,
    summary="a tag used by an operation should be declared, with a description, in the top-level `tags`",
    specs=(SpecKind.OPENAPI,),
)
def operation_tag_undeclared(ctx: LintContext) -> None:
    """A tag used by an operation should be declared in the top-level `tags`.

    Top-level `tags` give each group a description and an order in the documentation. A tag that is only
    used on operations has neither, and a misspelt tag silently creates a second group.

    Fix: declare the tag in the top-level `tags` list (with a `description`), or correct its spelling.
    """
    declared: set[str] = set()
    root_tags = ctx.doc.cursor().get("tags")
    for tag in root_tags.elements() if root_tags is not None else ():
        name = tag.get("name")
        if name is not None and isinstance(name.value, str):
            declared.add(name.value)
    for op in operations(ctx.doc):
        tags = op.cursor.get("tags")
        for tag in tags.elements() if tags is not None else ():
            if isinstance(tag.value, str) and tag.value not in declared:
                ctx.report(
                    tag,
                    f"operation `{op.label}` uses tag `{tag.value}`, which the top-level `tags` do not declare",
                    operation=op.label,
                )


@lint_rule(
    "operation-summary-missing",
    severity=Severity.WARNING,
    summary="the summary is the operation's title in documentation and the doc comment of generated methods",
    specs=(SpecKind.OPENAPI,),
)
def operation_summary_missing(ctx: LintContext) -> None:
    """The summary is the operation's title in documentation and the doc comment of generated methods.

    Without one, readers of the documentation and of the SDK see only the method and the path.

    Fix: add a short `summary` (a few words, such as `List orders`); put the details in `description`.
    """
    for op in operations(ctx.doc):
        summary = op.cursor.get("summary")
        if summary is None:
            ctx.report(op.cursor, f"operation `{op.label}` has no `summary`", operation=op.label)
        elif not isinstance(summary.value, str) or not summary.value.strip():
            ctx.report(summary, f"operation `{op.label}` has an empty `summary`", operation=op.label)


@lint_rule(
    "operation-success-response-missing",
    severity=Severity.ERROR,
    summary="clients and generators need to know what a successful call returns",
    specs=(SpecKind.OPENAPI,),
)
def operation_success_response_missing(ctx: LintContext) -> None:
    """Clients and code generators need to know what a successful call returns.

    An operation whose responses are all errors (or only `default`) leaves generated clients without a return
    type, and unable to tell success from failure.

    A `2XX`/`3XX` range counts as a success response; `default` does not. An operation without `responses`
    (allowed in OpenAPI 3.1) is reported too.

    Fix: declare the success response, such as `200` with its body, `201` for a creation or `204` for none.
    """
    for op in operations(ctx.doc):
        responses = op.cursor.get("responses")
        codes = responses.value if responses is not None and isinstance(responses.value, dict) else {}
        if any(_SUCCESS_STATUS.fullmatch(code) for code in codes):
            continue
        ctx.report(
            responses or op.cursor,
            f"operation `{op.label}` has no 2xx or 3xx response",
            operation=op.label,
            hint="declare the response a successful call gets, such as `200`, `201` or `204`",
        )
