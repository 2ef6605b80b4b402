"""Comparing the parameters of two versions of an operation.

Parameters pair by location and name: header names case-insensitively, path parameters by their position in
the template (renaming `{id}` to `{key}` changes nothing). Path-level parameters count unless the operation
overrides them. The schema comes from `schema` or from the one media type of `content`; moving between the
two, or changing `style`/`explode`, changes the serialisation. A parameter both sides have is worked out once
into a :class:`ParameterChange`, one only a side has into a :class:`ParameterPresence`, for the rules below.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from contractkit.breaking.context import DiffContext
from contractkit.breaking.openapi.fixes import DEPRECATE, NEW_VERSION
from contractkit.breaking.openapi.schemas import SchemaDiff
from contractkit.breaking.registry import CHANGE, ERROR, INFO, WARNING, AnyChangeRule, breaking_rule, fired
from contractkit.loaders.document import Cursor
from contractkit.spec.walk import Operation


@dataclass(frozen=True, slots=True)
class ParameterChange:
    """A parameter both versions of an operation have, worked out once for the rules below.

    Attributes:
        text: the parameter as the messages name it (``query parameter `limit```), from the revision.
        was_required: the base's parameter is `required: true`.
        now_required: the revision's parameter is.
        old_form: how the base writes the value on the wire (:func:`serialisation`).
        new_form: how the revision does.
    """

    text: str
    was_required: bool
    now_required: bool
    old_form: str
    new_form: str


@dataclass(frozen=True, slots=True)
class ParameterPresence:
    """A parameter only one version of an operation has, for the rules below.

    Attributes:
        text: the parameter as the messages name it (``query parameter `limit```).
        required: the parameter is `required: true`.
        added: the revision has it (else only the base has it: removed).
    """

    text: str
    required: bool
    added: bool


#: The rules on a parameter both versions have, in the order their findings are said.
PARAMETER_RULES: list[AnyChangeRule] = []
#: The rules on a parameter added or removed, in the order their findings are said.
PRESENCE_RULES: list[AnyChangeRule] = []


@breaking_rule(
    id="request-required-parameter-added",
    level=ERROR,
    direction="request",
    summary="clients that do not send the new parameter are rejected",
    fix="make it optional with a server-side default.",
    category=CHANGE,
    group=PRESENCE_RULES,
)
def request_required_parameter_added(change: ParameterPresence) -> str | None:
    """An operation gained a parameter that every request must carry.

    No existing client sends it: a server that validates requests rejects all of them with a 400 until they are
    updated.
    """
    return f"required {change.text} was added" if change.added and change.required else None


@breaking_rule(
    id="request-optional-parameter-added",
    level=INFO,
    direction="request",
    summary="an optional parameter breaks no client",
    category=CHANGE,
    group=PRESENCE_RULES,
)
def request_optional_parameter_added(change: ParameterPresence) -> str | None:
    """An operation gained an optional parameter: existing clients omit it and keep working; for the changelog."""
    return f"optional {change.text} was added" if change.added and not change.required else None


@breaking_rule(
    id="request-parameter-became-required",
    level=ERROR,
    direction="request",
    summary="clients that omitted the parameter are now rejected",
    fix="keep it optional with a server-side default.",
    category=CHANGE,
    group=PARAMETER_RULES,
)
def request_parameter_became_required(change: ParameterChange) -> str | None:
    """An optional parameter was made `required: true`.

    Clients that leave it out (they were allowed to) are rejected with a 400 by a server that validates requests.
    """
    return f"{change.text} became required" if change.now_required and not change.was_required else None


@breaking_rule(
    id="request-parameter-became-optional",
    level=INFO,
    direction="request",
    summary="accepting a missing parameter breaks no client",
    category=CHANGE,
    group=PARAMETER_RULES,
)
def request_parameter_became_optional(change: ParameterChange) -> str | None:
    """A required parameter may now be left out: clients that send it keep working; listed for the changelog."""
    return f"{change.text} became optional" if change.was_required and not change.now_required else None


@breaking_rule(
    id="request-parameter-removed",
    level=WARNING,
    direction="request",
    summary="clients still send it: a strict server rejects them, a lenient one silently ignores what they meant",
    fix=DEPRECATE,
    category=CHANGE,
    removes="parameter",
    group=PRESENCE_RULES,
)
def request_parameter_removed(change: ParameterPresence) -> str | None:
    """A parameter the operation took is gone from its contract.

    Clients keep sending it: a server that rejects unknown parameters refuses their requests, a lenient one
    ignores what they asked for (a filter, a page size) without telling them. The deprecation policy judges the
    removal by the parameter's `deprecated` flag.
    """
    return None if change.added else f"{change.text} was removed"


@breaking_rule(
    id="request-parameter-style-changed",
    level=ERROR,
    direction="request",
    summary="the same value is now serialised differently (`style`/`explode`): old clients send what the server "
    "misreads",
    fix=NEW_VERSION,
    category=CHANGE,
    group=PARAMETER_RULES,
)
def request_parameter_style_changed(change: ParameterChange) -> str | None:
    """A parameter's value is written differently on the wire: its `style`, `explode`, or `schema`/`content` changed.

    Old clients keep writing an array as `ids=1&ids=2` where the server now reads `ids=1,2` (say): the server
    misreads or rejects what they send. Defaults are spelled out, so writing the default explicitly changes nothing.
    """
    if change.old_form == change.new_form:
        return None
    return f"serialisation of {change.text} changed from `{change.old_form}` to `{change.new_form}`"


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
    """Report removed, added and changed parameters of one operation pair.

    A parameter only one side has is judged by :data:`PRESENCE_RULES`, one both sides have by
    :data:`PARAMETER_RULES` (then its schema is compared).
    """
    before, after = effective_parameters(old), effective_parameters(new)
    for key, param in before.items():
        counterpart = after.get(key)
        if counterpart is None:
            removal = ParameterPresence(_param_text(param), param.raw("required") is True, added=False)
            for rule, text in fired(PRESENCE_RULES, removal):
                ctx.report(rule, text, base=param, near=new.cursor, operation=label)
            continue
        text = _param_text(counterpart)  # a path parameter may have been renamed with its template
        scalar = _scalar(param) or _scalar(counterpart)
        change = ParameterChange(
            text,
            param.raw("required") is True,
            counterpart.raw("required") is True,
            serialisation(param, scalar=scalar),
            serialisation(counterpart, scalar=scalar),
        )
        for rule, said in fired(PARAMETER_RULES, change):
            ctx.report(rule, said, base=param, revision=counterpart, operation=label)
        old_schema, new_schema = param_schema(param), param_schema(counterpart)
        if old_schema is not None and new_schema is not None:
            textual = param.get("content") is None and counterpart.get("content") is None
            SchemaDiff(ctx, direction, label, text, textual=textual).compare(old_schema, new_schema)
    for key, param in after.items():
        if key in before:
            continue
        addition = ParameterPresence(_param_text(param), param.raw("required") is True, added=True)
        for rule, text in fired(PRESENCE_RULES, addition):
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
