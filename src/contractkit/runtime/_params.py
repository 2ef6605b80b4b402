"""Parameter styles (RFC 6570 flavoured, as OpenAPI defines them) and string -> typed value coercion.

A :class:`Param` is compiled once per operation; per request it only splits strings and casts them. A value
that cannot be cast stays a string, so the schema validator reports it with the parameter's location; a value that
can be cast but not judged (an integer of more than 4,300 digits, a number beyond the float range, a JSON
parameter nested too deeply) raises :class:`BadInput`, which the validator reports at the parameter.

Repetition: a name the client sends twice is counted (:func:`parse_query` keeps every value, :func:`parse_cookies`
records the repeated names) so that the validator can refuse a repeated parameter that is not an exploded array:
frameworks disagree on which of two values the app sees (Starlette the last, Flask the first).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote_plus

from contractkit.runtime._json import MAX_INT_DIGITS, BadInput, parse_json_text

_INT = re.compile(r"-?(0|[1-9][0-9]*)\Z")
_NUMBER = re.compile(r"-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?\Z")
_DELIMITERS = {"form": ",", "simple": ",", "spaceDelimited": " ", "pipeDelimited": "|"}


def _cast_integer(raw: str) -> Any:
    return _integer(raw) if _INT.match(raw) else raw


def _cast_number(raw: str) -> Any:
    if _INT.match(raw):
        return _integer(raw)
    if not _NUMBER.match(raw):
        return raw
    value = float(raw)
    if value in (_INF, -_INF):
        raise BadInput("the number is beyond the range of a 64-bit float (about ±1.8e308)")
    return value


_INF = float("inf")


def _integer(raw: str) -> int:
    digits = len(raw) - (raw[0] == "-")
    if digits > MAX_INT_DIGITS:
        raise BadInput(f"the integer has {digits:,} digits; at most {MAX_INT_DIGITS:,} are accepted")
    return int(raw)


def _cast_boolean(raw: str) -> Any:
    return {"true": True, "false": False}.get(raw, raw)


def _cast_null(raw: str) -> Any:
    return None if raw in ("", "null") else raw


def _keep(raw: str) -> Any:
    return raw


_CASTS: dict[str, Callable[[str], Any]] = {
    "integer": _cast_integer,
    "number": _cast_number,
    "boolean": _cast_boolean,
    "null": _cast_null,
}


def caster(schema: Any, resolve: Callable[[Any], Any]) -> Callable[[str], Any]:
    """Return the function that casts one string to the (first castable) scalar type of ``schema``."""
    types = schema_types(schema, resolve)
    for kind in types:
        if kind == "string":
            return _keep
        if kind in _CASTS:
            return _CASTS[kind]
    return _keep


def schema_types(schema: Any, resolve: Callable[[Any], Any], depth: int = 0) -> list[str]:
    """Return the declared types of ``schema``, looking through ``$ref`` and ``allOf``/``oneOf``/``anyOf``."""
    schema = resolve(schema)
    if not isinstance(schema, dict) or depth > 8:
        return []
    kind = schema.get("type")
    if isinstance(kind, str):
        return [kind]
    if isinstance(kind, list):
        return [k for k in kind if isinstance(k, str)]
    found: list[str] = []
    for key in ("allOf", "oneOf", "anyOf"):
        for sub in schema.get(key, []) if isinstance(schema.get(key), list) else []:
            found.extend(t for t in schema_types(sub, resolve, depth + 1) if t not in found)
    if not found and isinstance(schema.get("properties"), dict):
        return ["object"]
    return found


@dataclass(slots=True)
class Param:
    """One declared parameter, compiled.

    Attributes:
        name: its name as declared (header names lower-cased).
        location: ``path``, ``query``, ``header`` or ``cookie``.
        required: whether it must be present.
        style: its style (defaulted per location).
        explode: its explode flag (defaulted per style).
        kind: ``array``, ``object`` or ``scalar``.
        cast: casts one scalar string (of the items, for an array).
        props: for an object, its property casts.
        empty: allowEmptyValue.
    """

    name: str
    location: str
    required: bool
    style: str
    explode: bool
    kind: str
    cast: Callable[[str], Any]
    props: Mapping[str, Callable[[str], Any]]
    empty: bool = False
    content: bool = False
    default: Any = None
    has_default: bool = False


def compile_param(raw: Mapping[str, Any], resolve: Callable[[Any], Any]) -> Param:
    """Compile one Parameter Object (refs already followed)."""
    where = str(raw.get("in", "query"))
    name = str(raw.get("name", ""))
    if where == "header":
        name = name.lower()
    style = str(raw.get("style") or {"query": "form", "cookie": "form"}.get(where, "simple"))
    explode = bool(raw.get("explode", style == "form"))
    schema = raw.get("schema")
    content = False
    if schema is None and isinstance(raw.get("content"), dict) and raw["content"]:
        media = next(iter(raw["content"].values()))
        schema = media.get("schema") if isinstance(media, dict) else None
        content = True
    types = schema_types(schema, resolve)
    kind = "array" if "array" in types else "object" if "object" in types else "scalar"
    resolved = resolve(schema) if schema is not None else {}
    props: dict[str, Callable[[str], Any]] = {}
    cast = caster(schema, resolve)
    if kind == "array" and isinstance(resolved, dict):
        cast = caster(resolved.get("items", {}), resolve)
    elif kind == "object" and isinstance(resolved, dict) and isinstance(resolved.get("properties"), dict):
        props = {str(k): caster(v, resolve) for k, v in resolved["properties"].items()}
    return Param(
        name=name,
        location=where,
        required=bool(raw.get("required", where == "path")),
        style=style,
        explode=explode,
        kind=kind,
        cast=cast,
        props=props,
        empty=bool(raw.get("allowEmptyValue", False)),
        content=content,
        default=resolved.get("default") if isinstance(resolved, dict) else None,
        has_default=isinstance(resolved, dict) and "default" in resolved,
    )


def parse_query(query: str) -> dict[str, list[str]]:
    """Split a raw query string (or a form body) into name -> values (percent and ``+`` decoded; blanks kept).

    Only text every framework decodes alike is read: ASCII (RFC 3986; a form body as browsers encode it), whose
    percent escapes spell UTF-8. Raw non-ASCII bytes are read as Latin-1 by Starlette and as UTF-8 by werkzeug, and
    an escape that is not UTF-8 (``%FF``) becomes U+FFFD in Starlette and stays ``%FF`` in Flask: the app would see
    another value than the one checked, so those are refused.

    Raises:
        BadInput: raw non-ASCII characters, or a percent escape that is not UTF-8.
    """
    out: dict[str, list[str]] = {}
    if not query:
        return out
    if not query.isascii():
        raise BadInput("holds raw non-ASCII characters: percent-encode them as UTF-8 (RFC 3986)")
    for part in query.split("&"):
        if not part:
            continue
        key, _, value = part.partition("=")
        try:
            if "%" in key or "+" in key:
                key = unquote_plus(key, errors="strict")
            if "%" in value or "+" in value:
                value = unquote_plus(value, errors="strict")
        except UnicodeDecodeError:
            raise BadInput("holds a percent escape that is not UTF-8 (such as `%FF`)") from None
        values = out.get(key)
        if values is None:
            out[key] = [value]
        else:
            values.append(value)
    return out


def parse_cookies(header: str, repeated: set[str] | None = None) -> dict[str, str]:
    r"""Split a ``Cookie`` header into name -> value, as Starlette and werkzeug read it.

    Names and values are stripped of blanks; a quoted value is unquoted (``"a\\"b"``, octal ``\\073``) and nothing
    is percent-decoded (neither framework does). A name seen twice is added to ``repeated`` when it is given (its
    first value is kept: frameworks disagree on which one the app gets, so the validator refuses the repetition).
    """
    out: dict[str, str] = {}
    for chunk in header.split(";"):
        key, sep, value = chunk.partition("=")
        if not sep:
            key, value = "", chunk
        key, value = key.strip(), value.strip()
        if not key and not value:
            continue
        if key in out:
            if repeated is not None:
                repeated.add(key)
            continue
        out[key] = _unquote_cookie(value) if value.startswith('"') else value
    return out


_COOKIE_ESCAPE = re.compile(r"\\(?:([0-3][0-7][0-7])|(.))")


def _unquote_cookie(value: str) -> str:
    r"""Undo RFC 2109 quoting as ``http.cookies`` does (Starlette's reading): quotes, ``\\ooo`` and ``\\c``."""
    if len(value) < 2 or value[0] != '"' or value[-1] != '"':
        return value
    return _COOKIE_ESCAPE.sub(lambda m: chr(int(m.group(1), 8)) if m.group(1) else m.group(2), value[1:-1])


def _pairs(items: list[str], param: Param) -> dict[str, Any]:
    return {items[i]: param.props.get(items[i], _keep)(items[i + 1]) for i in range(0, len(items) - 1, 2)}


def _split_kv(items: list[str], param: Param) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for item in items:
        key, _, value = item.partition("=")
        out[key] = param.props.get(key, _keep)(value)
    return out


def read_scalar(param: Param, raw: str) -> Any:
    """Deserialise one path/header/cookie value according to the parameter's style."""
    if param.content:
        return _json_or_raw(raw)
    style = param.style
    if style == "label":
        if not raw.startswith("."):
            raise BadInput("is not in the `label` style: it starts with `.`")
        raw = raw[1:]
        sep = "." if param.explode else ","
    elif style == "matrix":
        prefix = f";{param.name}="
        if not raw.startswith(";"):
            raise BadInput(f"is not in the `matrix` style: it starts with `{prefix}`")
        if param.kind == "object" and param.explode:
            return _split_kv(raw[1:].split(";"), param)
        if param.kind == "array" and param.explode:
            items = raw[1:].split(";")
            if any(not item.startswith(prefix[1:]) for item in items):
                raise BadInput(f"is not in the `matrix` style: every item is `{prefix}<value>`")
            return [param.cast(item[len(prefix) - 1 :]) for item in items]
        if raw == prefix[:-1]:
            raw = ""  # `;color`: the empty value
        elif raw.startswith(prefix):
            raw = raw[len(prefix) :]
        else:
            raise BadInput(f"is not in the `matrix` style: it starts with `{prefix}`")
        sep = ","
    else:
        sep = ","
    if param.kind == "array":
        if raw == "":
            return []
        if param.location == "header":  # RFC 9110 lists: `1, 2` (optional blanks around the commas)
            return [param.cast(item.strip(" \t")) for item in raw.split(sep)]
        return [param.cast(item) for item in raw.split(sep)]
    if param.kind == "object":
        items = raw.split(sep)
        if param.explode:
            return _split_kv(items, param)
        return _pairs(items, param)
    return param.cast(raw)


def read_query(param: Param, query: Mapping[str, list[str]]) -> tuple[bool, Any]:
    """Return (present, value) of a query parameter according to its style.

    Raises:
        BadInput: a value cannot be judged, or the parameter (a key of it, for an object) is given more than once
            where its style takes one value.
    """
    if param.content:
        values = query.get(param.name)
        if values:
            _once(values)
        return (True, _json_or_raw(values[0])) if values else (False, None)
    if param.style == "deepObject":
        prefix = param.name + "["
        found = {k[len(prefix) : -1]: _once(v) for k, v in query.items() if k.startswith(prefix) and k.endswith("]")}
        if not found:
            return False, None
        return True, {k: param.props.get(k, _keep)(v) for k, v in found.items()}
    if param.kind == "object" and param.explode:
        found = {k: param.props[k](_once(query[k])) for k in param.props if k in query}
        return (True, found) if found else (False, None)
    values = query.get(param.name)
    if values is None:
        return False, None
    if param.kind == "array":
        if param.explode:
            return True, [param.cast(v) for v in values]
        _once(values)
        sep = _DELIMITERS.get(param.style, ",")
        return True, [param.cast(v) for v in values[0].split(sep)] if values[0] != "" else []
    if len(values) > 1:
        _once(values)
    if param.kind == "object":
        return True, _pairs(values[0].split(","), param)
    return True, param.cast(values[0])


def _once(values: list[str]) -> str:
    """Return the one value of a name that takes one value; :class:`BadInput` when it is given more than once."""
    if len(values) > 1:
        raise BadInput(f"is given {len(values)} times; send it once (an array as one delimited value)")
    return values[0]


def _json_or_raw(raw: str) -> Any:
    """Parse a ``content``-encoded parameter as JSON; a text that is not JSON stays a string (the schema judges it)."""
    try:
        return parse_json_text(raw, "the value")
    except BadInput as exc:
        if exc.syntax:
            return raw
        raise
