"""Turning :mod:`jsonschema` errors into short, specific, lower-case finding messages."""

from __future__ import annotations

import ast
import difflib
import json
import re

import jsonschema
from jsonschema.exceptions import best_match

_TYPES = {
    dict: "object",
    list: "array",
    str: "string",
    bool: "boolean",
    int: "integer",
    float: "number",
    type(None): "null",
}


def short(value: object, *, level: int = 0) -> str:
    """Return a short representation of ``value`` for a message, as JSON writes it (``null``, ``{"a": 1}``).

    Strings are cut after 60 characters, lists after 12 items, mappings after 4, and nesting after 2 levels.
    """
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        text = json.dumps(value[:60], ensure_ascii=False)
        return text[:-1] + '..."' if len(value) > 60 else text
    if isinstance(value, int | float):
        text = json.dumps(value) if isinstance(value, float) else str(value)
        return text if len(text) <= 60 else f"{text[:12]}... ({len(text.lstrip('-'))} digits)"
    if isinstance(value, list):
        if level >= 2:
            return "[...]" if value else "[]"
        items = [short(item, level=level + 1) for item in value[:12]]
        return "[" + ", ".join(items + (["..."] if len(value) > 12 else [])) + "]"
    if isinstance(value, dict):
        if level >= 2:
            return "{...}" if value else "{}"
        entries = [
            f"{json.dumps(str(k), ensure_ascii=False)}: {short(v, level=level + 1)}" for k, v in list(value.items())[:4]
        ]
        return "{" + ", ".join(entries + (["..."] if len(value) > 4 else [])) + "}"
    return short(str(value), level=level)


def most_specific(error: jsonschema.ValidationError) -> jsonschema.ValidationError:
    """Return the most telling error under a ``oneOf``/``anyOf`` failure.

    The OpenAPI and AsyncAPI meta-schemas say "a Reference or an X" everywhere; an X that is wrong also fails
    the Reference branch with "`$ref` is required", which jsonschema's ``best_match`` prefers for being
    shallow. That branch is dropped, and among the rest the error deepest in the instance wins (it names the
    offending value), ``best_match`` breaking ties.
    """
    while error.context:
        candidates = [e for e in error.context if not _is_reference_branch(e)]
        if not candidates:
            break
        deepest = max(len(e.absolute_path) for e in candidates)
        deeper = best_match([e for e in candidates if len(e.absolute_path) == deepest])
        if deeper is None or deeper is error:
            break
        error = deeper
    return error


def _is_reference_branch(error: jsonschema.ValidationError) -> bool:
    return error.validator == "required" and error.validator_value == ["$ref"]


def describe(error: jsonschema.ValidationError) -> str:
    """Return a message for ``error``: what was expected, with the offending value shortened."""
    keyword = error.validator
    instance = error.instance
    expected = error.validator_value
    if keyword == "type":
        kinds = expected if isinstance(expected, list) else [expected]
        got = _TYPES.get(type(instance), type(instance).__name__)
        shown = "" if instance is None else f" {short(instance)}"
        return f"expected {' or '.join(f'`{k}`' for k in kinds)}, got {got}{shown}"
    if keyword == "required":
        missing = [name for name in expected if isinstance(instance, dict) and name not in instance]  # type: ignore[union-attr]
        return "missing required " + ", ".join(f"`{name}`" for name in missing or expected)  # type: ignore[union-attr]
    if keyword == "additionalProperties" and isinstance(instance, dict):
        return error.message.replace("'", "`").replace("Additional", "additional")
    if keyword in ("enum", "const"):
        allowed = expected if isinstance(expected, list) else [expected]
        close = (
            difflib.get_close_matches(instance, [a for a in allowed if isinstance(a, str)], n=1, cutoff=0.6)
            if isinstance(instance, str)
            else []
        )
        guess = f": did you mean `{close[0]}`?" if close else ""
        return f"{short(instance)} is not one of {short(allowed)}{guess}"
    if keyword == "format":
        return f"{short(instance)} is not a valid `{expected}`"
    if keyword in ("oneOf", "anyOf") and not error.context:
        return (
            f"{short(instance)} matches {'more than one' if keyword == 'oneOf' else 'none'} of the `{keyword}` schemas"
        )
    message = error.message
    if len(message) > 200:
        message = message[:197] + "..."
    return message[:1].lower() + message[1:]


def instance_path(error: jsonschema.ValidationError) -> tuple[str, ...]:
    """Return the path of the offending value as string tokens."""
    return tuple(str(part) for part in error.absolute_path)


def located_message(error: jsonschema.ValidationError) -> tuple[str, tuple[str, ...], bool]:
    """Return (message, instance path, whether a `$ref` at the end of the path should be followed).

    The message names the offending key (`` `minLength`: expected `integer`...``). A `$ref` at the end of the
    path is followed (the problem is in what it points to) unless the offending value *is* a reference
    object (a `$ref` where the specification wants, say, a string).
    """
    path = instance_path(error)
    message = describe(error)
    if path and not path[-1].isdigit():
        message = f"`{path[-1]}`: {message}"
    instance = error.instance
    is_reference = isinstance(instance, dict) and isinstance(instance.get("$ref"), str)
    return message, path, not is_reference


def unknown_keys(error: jsonschema.ValidationError) -> list[tuple[str, str | None]] | None:
    """Return each key a closed object does not allow, with the allowed key it is closest to (a misspelling).

    ``None`` when ``error`` is not about unknown keys (``additionalProperties: false`` or
    ``unevaluatedProperties: false`` of the OpenAPI and AsyncAPI meta-schemas). Extensions (``x-``) are allowed
    there, so the closest key is looked for among the schema's ``properties`` only.
    """
    instance, schema = error.instance, error.schema
    if not isinstance(instance, dict) or not isinstance(schema, dict) or error.validator_value is not False:
        return None
    properties = schema.get("properties")
    known = [key for key in properties if isinstance(key, str)] if isinstance(properties, dict) else []
    if error.validator == "additionalProperties":
        patterns = schema.get("patternProperties")
        allowed = [str(p) for p in patterns] if isinstance(patterns, dict) else []
        # The meta-schema's own patterns (`^x-`): not a contract's, so `re` matches them safely.
        extra = [k for k in instance if k not in known and not any(re.search(p, str(k)) for p in allowed)]
    elif error.validator == "unevaluatedProperties":
        listed = re.findall(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"", error.message.partition("(")[2])
        extra = [name for name in (ast.literal_eval(text) for text in listed) if name in instance]
    else:
        return None
    return [(str(key), next(iter(difflib.get_close_matches(str(key), known, n=1, cutoff=0.6)), None)) for key in extra]


def unknown_key_message(key: str, suggestion: str | None) -> str:
    """Return the message for an unknown key: ``unknown key `reponses`: did you mean `responses`?``."""
    if suggestion is not None:
        return f"unknown key `{key}`: did you mean `{suggestion}`?"
    return f"unknown key `{key}`: the specification defines no such key here (extensions start with `x-`)"
