"""Pairing the operations of two OpenAPI documents and comparing each pair: parameters, bodies, responses."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

from contractkit.breaking.context import DiffContext
from contractkit.breaking.openapi import rules as r
from contractkit.breaking.openapi.schemas import REQUEST, RESPONSE, SchemaDiff
from contractkit.breaking.registry import ChangeRule
from contractkit.lint.walk import Operation, operations
from contractkit.loaders.document import Cursor, Document

_TEMPLATE = re.compile(r"\{[^}/]*\}")


@dataclass(frozen=True, slots=True)
class Keyed:
    """An operation with the key it is paired by: method and normalised path (template names erased)."""

    key: tuple[str, str]
    operation: Operation

    @property
    def label(self) -> str:
        return self.operation.label


def base_path(doc: Document) -> str:
    """Return the path of the first server URL (``/b2b/v1``), or ``""``."""
    servers = doc.data.get("servers") if isinstance(doc.data, dict) else None
    if isinstance(servers, list) and servers and isinstance(servers[0], dict):
        url = str(servers[0].get("url", ""))
        url = re.sub(r"\{[^}]*\}", "x", url) if "://" in url else url
        path = urlsplit(url).path if "://" in url else url
        return path.rstrip("/")
    return ""


def keyed_operations(doc: Document) -> dict[tuple[str, str], Keyed]:
    """Return the operations by (method, normalised full path); webhooks by (method, ``webhook name``)."""
    prefix = base_path(doc)
    result: dict[tuple[str, str], Keyed] = {}
    for operation in operations(doc):
        if operation.webhook:
            key = (operation.method, f"webhook {operation.path}")
        else:
            key = (operation.method, _TEMPLATE.sub("{}", prefix + operation.path))
        result[key] = Keyed(key, operation)
    return result


def compare_operations(ctx: DiffContext) -> None:
    """Report added, removed and changed operations."""
    old = keyed_operations(ctx.base)
    new = keyed_operations(ctx.revision)
    old_paths = {key[1] for key in old}
    new_paths = {key[1] for key in new}
    reported_paths: set[str] = set()
    for key, before in old.items():
        after = new.get(key)
        if after is not None:
            _compare_pair(ctx, before, after)
            continue
        if key[1] not in new_paths:
            if key[1] not in reported_paths:
                reported_paths.add(key[1])
                ctx.report(
                    r.API_PATH_REMOVED,
                    f"path `{before.operation.path}` was removed",
                    base=before.operation.path_item,
                    near=ctx.revision.cursor().get("paths"),
                    operation=before.label,
                )
            continue
        ctx.report(
            r.API_OPERATION_REMOVED,
            f"operation {before.label} was removed",
            base=before.operation.cursor,
            near=_path_item(new, key[1]),
            operation=before.label,
        )
    for key, after in new.items():
        if key in old:
            continue
        if key[1] not in old_paths:
            ctx.report(
                r.API_PATH_ADDED,
                f"operation {after.label} was added on a new path",
                revision=after.operation.cursor,
                operation=after.label,
            )
        else:
            ctx.report(
                r.API_OPERATION_ADDED,
                f"operation {after.label} was added",
                revision=after.operation.cursor,
                operation=after.label,
            )


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
            r.API_OPERATION_ID_CHANGED,
            f"`operationId` of {label} changed from `{old_id}` to `{new_id}`",
            base=old.cursor.get("operationId"),
            revision=new.cursor.get("operationId") or new.cursor,
            operation=label,
        )
    if not old.cursor.raw("deprecated") and new.cursor.raw("deprecated") is True:
        ctx.report(
            r.API_OPERATION_DEPRECATED,
            f"{label} was deprecated",
            base=old.cursor,
            revision=new.cursor.get("deprecated"),
            operation=label,
        )
    _compare_security(ctx, old, new, label)
    _compare_parameters(ctx, old, new, label, sent)
    _compare_request_body(ctx, old, new, label, sent)
    _compare_responses(ctx, old, new, label, received)


# --- security -------------------------------------------------------------------------------------------
def _requirements(doc: Document, operation: Operation) -> list[dict[str, frozenset[str]]]:
    declared = operation.cursor.raw("security")
    if declared is None and isinstance(doc.data, dict):
        declared = doc.data.get("security")
    result = []
    for alternative in declared if isinstance(declared, list) else []:
        if isinstance(alternative, dict):
            result.append(
                {
                    str(k): frozenset(str(s) for s in v) if isinstance(v, list) else frozenset()
                    for k, v in alternative.items()
                }
            )
    return result


def _compare_security(ctx: DiffContext, old: Operation, new: Operation, label: str) -> None:
    before, after = _requirements(ctx.base, old), _requirements(ctx.revision, new)
    if before == after:
        return
    where = new.cursor.get("security") or new.cursor
    if not before or {} in before:
        if after and {} not in after:
            ctx.report(
                r.API_SECURITY_ADDED,
                f"{label} now requires credentials ({_names(after)})",
                base=old.cursor,
                revision=where,
                operation=label,
            )
        return
    for alternative in before:
        # Clients using this alternative still succeed if some new alternative asks for no more than it.
        if any(
            set(option) <= set(alternative) and all(option[k] <= alternative[k] for k in option) for option in after
        ):
            continue
        same_schemes = [option for option in after if set(option) == set(alternative)]
        if same_schemes:
            extra = sorted(set().union(*(option[k] - alternative[k] for option in same_schemes for k in option)))
            ctx.report(
                r.API_SECURITY_SCOPE_ADDED,
                f"{label} now requires scope(s) {', '.join(f'`{s}`' for s in extra)}",
                base=old.cursor,
                revision=where,
                operation=label,
            )
        else:
            ctx.report(
                r.API_SECURITY_ADDED,
                f"{label} no longer accepts `{_names([alternative])}`; it requires {_names(after)}",
                base=old.cursor,
                revision=where,
                operation=label,
            )
    if after and all(any(set(o) <= set(a) for a in after) for o in before) and len(after) > len(before):
        ctx.report(
            r.API_SECURITY_RELAXED,
            f"{label} accepts more credentials",
            base=old.cursor,
            revision=where,
            operation=label,
        )


def _names(requirements: list[dict[str, frozenset[str]]]) -> str:
    return " or ".join(" + ".join(sorted(option)) or "anonymous" for option in requirements)


# --- parameters -----------------------------------------------------------------------------------------
def _parameters(operation: Operation) -> dict[tuple[str, str], Cursor]:
    result: dict[tuple[str, str], Cursor] = {}
    path_index = 0
    for param in operation.parameters():
        value = param.value
        if not isinstance(value, dict):
            continue
        where, name = str(value.get("in")), str(value.get("name"))
        if where == "path":
            # Path parameters are positional: `/a/{id}` and `/a/{key}` are the same operation.
            template = [m.group()[1:-1] for m in _TEMPLATE.finditer(operation.path)]
            name = f"#{template.index(name)}" if name in template else name
            path_index += 1
        elif where == "header":
            name = name.lower()
        result[(where, name)] = param
    return result


def _compare_parameters(ctx: DiffContext, old: Operation, new: Operation, label: str, direction: str) -> None:
    before, after = _parameters(old), _parameters(new)
    for key, param in before.items():
        text = _param_text(param)
        counterpart = after.get(key)
        if counterpart is None:
            ctx.report(
                r.PARAM_REMOVED, f"{text} was removed from {label}", base=param, near=new.cursor, operation=label
            )
            continue
        was, now = param.raw("required") is True, counterpart.raw("required") is True
        if not was and now:
            ctx.report(
                r.PARAM_BECAME_REQUIRED,
                f"{text} of {label} became required",
                base=param,
                revision=counterpart,
                operation=label,
            )
        elif was and not now:
            ctx.report(
                r.PARAM_BECAME_OPTIONAL,
                f"{text} of {label} became optional",
                base=param,
                revision=counterpart,
                operation=label,
            )
        if (param.raw("style"), param.raw("explode")) != (counterpart.raw("style"), counterpart.raw("explode")):
            ctx.report(
                r.PARAM_STYLE_CHANGED,
                f"serialisation (`style`/`explode`) of {text} of {label} changed",
                base=param,
                revision=counterpart,
                operation=label,
            )
        old_schema, new_schema = _param_schema(param), _param_schema(counterpart)
        if old_schema is not None and new_schema is not None:
            SchemaDiff(ctx, direction, label, text).compare(old_schema, new_schema)
    for key, param in after.items():
        if key in before:
            continue
        text = _param_text(param)
        rule = r.PARAM_REQUIRED_ADDED if param.raw("required") is True else r.PARAM_OPTIONAL_ADDED
        state = "required" if param.raw("required") is True else "optional"
        ctx.report(rule, f"{state} {text} was added to {label}", base=old.cursor, revision=param, operation=label)


def _param_text(param: Cursor) -> str:
    return f"{param.raw('in')} parameter `{param.raw('name')}`"


def _param_schema(param: Cursor) -> Cursor | None:
    schema = param.get("schema")
    if schema is not None:
        return schema
    content = param.get("content")
    if content is not None:
        for _, media in content.items():
            return media.get("schema")
    return None


# --- bodies ---------------------------------------------------------------------------------------------
def _media_types(holder: Cursor | None) -> dict[str, Cursor]:
    content = holder.get("content") if holder is not None else None
    return {name.split(";")[0].strip().lower(): media for name, media in content.items()} if content is not None else {}


def _compare_request_body(ctx: DiffContext, old: Operation, new: Operation, label: str, direction: str) -> None:
    before, after = old.cursor.get("requestBody"), new.cursor.get("requestBody")
    if before is None and after is None:
        return
    if before is None:
        assert after is not None
        if after.raw("required") is True:
            ctx.report(
                r.BODY_ADDED_REQUIRED,
                f"{label} now requires a request body",
                base=old.cursor,
                revision=after,
                operation=label,
            )
        return
    if after is None:
        ctx.report(
            r.BODY_REMOVED, f"the request body of {label} was removed", base=before, near=new.cursor, operation=label
        )
        return
    if before.raw("required") is not True and after.raw("required") is True:
        ctx.report(
            r.BODY_BECAME_REQUIRED,
            f"the request body of {label} became required",
            base=before,
            revision=after,
            operation=label,
        )
    _compare_content(
        ctx, before, after, label, direction, "request body", r.REQUEST_MEDIA_TYPE_REMOVED, r.REQUEST_MEDIA_TYPE_ADDED
    )


def _compare_content(
    ctx: DiffContext,
    before: Cursor,
    after: Cursor,
    label: str,
    direction: str,
    where: str,
    removed: ChangeRule,
    added: ChangeRule,
) -> None:
    old_media, new_media = _media_types(before), _media_types(after)
    for name, media in old_media.items():
        counterpart = new_media.get(name)
        if counterpart is None:
            ctx.report(
                removed,
                f"media type `{name}` was removed from the {where} of {label}",
                base=media,
                near=after,
                operation=label,
            )
            continue
        old_schema, new_schema = media.get("schema"), counterpart.get("schema")
        if old_schema is not None and new_schema is not None:
            SchemaDiff(ctx, direction, label, f"{where} `{name}`").compare(old_schema, new_schema)
    for name, media in new_media.items():
        if name not in old_media:
            ctx.report(
                added,
                f"media type `{name}` was added to the {where} of {label}",
                base=before,
                revision=media,
                operation=label,
            )


# --- responses ------------------------------------------------------------------------------------------
def _is_success(status: str) -> bool:
    return status.startswith("2") or status.upper() == "2XX"


def _compare_responses(ctx: DiffContext, old: Operation, new: Operation, label: str, direction: str) -> None:
    before = dict(_items(old.cursor.get("responses")))
    after = dict(_items(new.cursor.get("responses")))
    near = new.cursor.get("responses") or new.cursor
    for status, response in before.items():
        counterpart = after.get(status)
        if counterpart is None:
            rule = r.SUCCESS_STATUS_REMOVED if _is_success(status) else r.STATUS_REMOVED
            ctx.report(rule, f"response `{status}` was removed from {label}", base=response, near=near, operation=label)
            continue
        where = f"response `{status}`"
        removed = r.RESPONSE_MEDIA_TYPE_REMOVED if _is_success(status) else r.STATUS_REMOVED
        _compare_content(ctx, response, counterpart, label, direction, where, removed, r.RESPONSE_MEDIA_TYPE_ADDED)
        _compare_headers(ctx, response, counterpart, label, status, direction)
    for status, response in after.items():
        if status not in before:
            rule = r.SUCCESS_STATUS_ADDED if _is_success(status) else r.STATUS_ADDED
            ctx.report(
                rule, f"response `{status}` was added to {label}", base=old.cursor, revision=response, operation=label
            )


def _items(cursor: Cursor | None) -> Iterator[tuple[str, Cursor]]:
    if cursor is not None:
        for key, child in cursor.items():
            if not key.startswith("x-"):
                yield key, child


def _compare_headers(ctx: DiffContext, before: Cursor, after: Cursor, label: str, status: str, direction: str) -> None:
    old_headers = {k.lower(): v for k, v in _items(before.get("headers"))}
    new_headers = {k.lower(): v for k, v in _items(after.get("headers"))}
    for name, header in old_headers.items():
        counterpart = new_headers.get(name)
        text = f"header `{name}` of response `{status}` of {label}"
        required = header.raw("required") is True
        if counterpart is None:
            rule = r.HEADER_REMOVED if required else r.OPTIONAL_HEADER_REMOVED
            ctx.report(rule, f"{text} was removed", base=header, near=after, operation=label)
            continue
        if required and counterpart.raw("required") is not True:
            ctx.report(
                r.HEADER_BECAME_OPTIONAL, f"{text} became optional", base=header, revision=counterpart, operation=label
            )
        old_schema, new_schema = header.get("schema"), counterpart.get("schema")
        if old_schema is not None and new_schema is not None:
            SchemaDiff(ctx, direction, label, f"header `{name}` of response `{status}`").compare(old_schema, new_schema)
