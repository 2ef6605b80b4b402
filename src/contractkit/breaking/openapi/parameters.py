"""Comparing the parameters of two versions of an operation.

Parameters pair by location and name: header names case-insensitively, path parameters by their position in
the template (renaming `{id}` to `{key}` changes nothing). Path-level parameters count unless the operation
overrides them. The schema comes from `schema` or from the one media type of `content`; moving between the
two, or changing `style`/`explode`, changes the serialisation.
"""

from __future__ import annotations

import re

from contractkit.breaking.context import DiffContext
from contractkit.breaking.openapi.fixes import DEPRECATE, NEW_VERSION
from contractkit.breaking.openapi.schemas import SchemaDiff
from contractkit.breaking.registry import CHANGE, ERROR, INFO, WARNING, change_rule
from contractkit.loaders.document import Cursor
from contractkit.spec.walk import Operation

PARAM_REQUIRED_ADDED = change_rule(
    id="request-required-parameter-added",
    level=ERROR,
    direction="request",
    summary="clients that do not send the new parameter are rejected",
    fix="make it optional with a server-side default.",
    category=CHANGE,
)
PARAM_OPTIONAL_ADDED = change_rule(
    id="request-optional-parameter-added",
    level=INFO,
    direction="request",
    summary="an optional parameter breaks no client",
    category=CHANGE,
)
PARAM_BECAME_REQUIRED = change_rule(
    id="request-parameter-became-required",
    level=ERROR,
    direction="request",
    summary="clients that omitted the parameter are now rejected",
    fix="keep it optional with a server-side default.",
    category=CHANGE,
)
PARAM_BECAME_OPTIONAL = change_rule(
    id="request-parameter-became-optional",
    level=INFO,
    direction="request",
    summary="accepting a missing parameter breaks no client",
    category=CHANGE,
)
PARAM_REMOVED = change_rule(
    id="request-parameter-removed",
    level=WARNING,
    direction="request",
    summary="clients still send it: a strict server rejects them, a lenient one silently ignores what they meant",
    fix=DEPRECATE,
    category=CHANGE,
    removes="parameter",
)
PARAM_STYLE_CHANGED = change_rule(
    id="request-parameter-style-changed",
    level=ERROR,
    direction="request",
    summary="the same value is now serialised differently (`style`/`explode`): old clients send what the server "
    "misreads",
    fix=NEW_VERSION,
    category=CHANGE,
)


_TEMPLATE = re.compile(r"\{([^}/]*)\}")
# "If `in` is "header" and the `name` is "Accept", "Content-Type" or "Authorization", the parameter
# definition SHALL be ignored" (OpenAPI 3.0.3 and 3.1.0, Parameter Object).
_IGNORED_HEADERS = frozenset({"accept", "content-type", "authorization"})
_SCALARS = frozenset({"string", "integer", "number", "boolean"})


def effective_parameters(operation: Operation) -> dict[tuple[str, str], Cursor]:
    """Return the parameters that apply to ``operation`` by (``in``, key): the path item's, then its own."""
    template = _TEMPLATE.findall(operation.path)
    result: dict[tuple[str, str], Cursor] = {}
    for owner in (operation.path_item, operation.cursor):
        params = owner.get("parameters")
        for param in params.elements() if params is not None else ():
            if not isinstance(param.value, dict):
                continue
            where, name = str(param.value.get("in")), str(param.value.get("name"))
            if where == "path":
                name = f"#{template.index(name)}" if name in template else name
            elif where == "header":
                name = name.lower()
                if name in _IGNORED_HEADERS:
                    continue
            result[(where, name)] = param
    return result


def compare_parameters(ctx: DiffContext, old: Operation, new: Operation, label: str, direction: str) -> None:
    """Report removed, added and changed parameters of one operation pair."""
    before, after = effective_parameters(old), effective_parameters(new)
    for key, param in before.items():
        counterpart = after.get(key)
        if counterpart is None:
            text = f"{_param_text(param)} was removed"
            ctx.report(PARAM_REMOVED, text, base=param, near=new.cursor, operation=label)
            continue
        text = _param_text(counterpart)  # a path parameter may have been renamed with its template
        was, now = param.raw("required") is True, counterpart.raw("required") is True
        if was != now:
            rule = PARAM_BECAME_REQUIRED if now else PARAM_BECAME_OPTIONAL
            state = "required" if now else "optional"
            ctx.report(rule, f"{text} became {state}", base=param, revision=counterpart, operation=label)
        scalar = _scalar(param) or _scalar(counterpart)
        old_form, new_form = serialisation(param, scalar=scalar), serialisation(counterpart, scalar=scalar)
        if old_form != new_form:
            ctx.report(
                PARAM_STYLE_CHANGED,
                f"serialisation of {text} changed from `{old_form}` to `{new_form}`",
                base=param,
                revision=counterpart,
                operation=label,
            )
        old_schema, new_schema = param_schema(param), param_schema(counterpart)
        if old_schema is not None and new_schema is not None:
            textual = param.get("content") is None and counterpart.get("content") is None
            SchemaDiff(ctx, direction, label, text, textual=textual).compare(old_schema, new_schema)
    for key, param in after.items():
        if key in before:
            continue
        required = param.raw("required") is True
        rule = PARAM_REQUIRED_ADDED if required else PARAM_OPTIONAL_ADDED
        text = f"{'required' if required else 'optional'} {_param_text(param)} was added"
        ctx.report(rule, text, base=old.cursor, revision=param, operation=label)


def _param_text(param: Cursor) -> str:
    return f"{param.raw('in')} parameter `{param.raw('name')}`"


def param_schema(param: Cursor) -> Cursor | None:
    """Return the parameter's schema: its `schema`, or the schema of its (single) `content` media type."""
    schema = param.get("schema")
    if schema is not None:
        return schema
    content = param.get("content")
    for _, media in content.items() if content is not None else ():
        return media.get("schema")
    return None


def serialisation(param: Cursor, *, scalar: bool = False) -> str:
    """Return how the value is written on the wire: ``style: form, explode: true`` or ``content: <media>``.

    Defaults are spelled out (``form``/exploded for query and cookie, ``simple`` otherwise); ``explode`` is
    left out for a ``scalar`` value, where it changes nothing.
    """
    content = param.get("content")
    if content is not None:
        media = next((name for name, _ in content.items()), "")
        return f"content: {media.split(';')[0].strip().lower()}"
    where = param.raw("in")
    style = param.raw("style") or ("form" if where in ("query", "cookie") else "simple")
    explode = param.raw("explode")
    explode = explode if isinstance(explode, bool) else style == "form"
    if scalar:
        return f"style: {style}"
    return f"style: {style}, explode: {str(explode).lower()}"


def _scalar(param: Cursor) -> bool:
    schema = param.get("schema")
    declared = schema.raw("type") if schema is not None else None
    if isinstance(declared, list):
        declared = next((t for t in declared if t != "null"), None)
    return isinstance(declared, str) and declared in _SCALARS
