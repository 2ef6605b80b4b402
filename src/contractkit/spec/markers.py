"""Reading what a contract says about a node's future: ``deprecated``, its sunset date, its stability level.

Shared by the breaking-change policies and the ``deprecated-without-sunset`` lint rule::

    deprecated: true            # OpenAPI operation, parameter, header, schema; AsyncAPI schema
    x-deprecated: true          # anywhere (AsyncAPI 3.0 operations, channels and messages have no `deprecated`)
    x-sunset: 2026-03-01        # ISO date, RFC 3339 date-time, or an HTTP-date (RFC 8594: `Sun, 01 Mar 2026 ...`)
    x-stability-level: beta     # draft | alpha | beta | stable, on `info` or on an operation

An OpenAPI operation may also announce its sunset the RFC 8594 way, with a ``Sunset`` response header whose
``example`` (or its schema's ``example``, ``default``, ``const`` or first ``enum`` value) is the date.
Keywords written beside a ``$ref`` count as well as those of the node it refers to.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import re
from collections.abc import Iterator
from dataclasses import dataclass

from contractkit.errors import UnresolvedRef
from contractkit.loaders.document import Cursor
from contractkit.loaders.types import JsonValue

__all__ = [
    "STABILITY_LEVELS",
    "Sunset",
    "deprecated",
    "parse_sunset",
    "stability_level",
    "sunset_header",
    "sunset_of",
]

#: Stability levels, least stable first; ``draft`` and ``alpha`` may change freely.
STABILITY_LEVELS = ("draft", "alpha", "beta", "stable")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
_DATE_TIME = re.compile(r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[+-]\d{2}:\d{2})?", re.ASCII)


@dataclass(frozen=True, slots=True)
class Sunset:
    """A sunset date as a contract writes it.

    Attributes:
        text: what the contract says (``2026-03-01``, ``Sun, 01 Mar 2026 00:00:00 GMT``).
        date: the day it means (UTC for a date-time), or ``None`` when ``text`` is not a date.
        at: the node that says it (the ``x-sunset`` value, or the ``Sunset`` header).
    """

    text: str
    date: dt.date | None
    at: Cursor


def parse_sunset(value: JsonValue) -> dt.date | None:
    """Return the day a sunset value means, or ``None`` when it is not a date.

    Accepted: an ISO date (``2026-03-01``), an RFC 3339 date-time (``2026-03-01T00:00:00Z``; its UTC day), and
    an HTTP-date as RFC 8594's ``Sunset`` header carries it (``Sun, 01 Mar 2026 00:00:00 GMT``).
    """
    if not isinstance(value, str):
        return None
    text = value.strip()
    try:
        if _ISO_DATE.fullmatch(text):
            return dt.date.fromisoformat(text)
        if _DATE_TIME.fullmatch(text):
            moment = dt.datetime.fromisoformat(text.replace("z", "Z"))
            return moment.astimezone(dt.UTC).date() if moment.tzinfo is not None else moment.date()
        if "," in text or " GMT" in text:
            moment = email.utils.parsedate_to_datetime(text)
            return moment.astimezone(dt.UTC).date() if moment.tzinfo is not None else moment.date()
    except (ValueError, TypeError, IndexError, OverflowError):
        return None
    return None


def own_values(cursor: Cursor) -> Iterator[dict[str, JsonValue]]:
    """Yield the mapping at ``cursor`` and, when it is written as ``{$ref, ...}``, the mapping the ref leads to."""
    value = cursor.value
    if not isinstance(value, dict):
        return
    yield value
    ref = value.get("$ref")
    if isinstance(ref, str):
        try:
            target = cursor.doc.resolver.follow(cursor.file, (*cursor.parts, "$ref"), ref)
        except UnresolvedRef:
            return
        if isinstance(target.value, dict):
            yield target.value


def deprecated(cursor: Cursor) -> bool:
    """Return whether the node says ``deprecated: true`` or ``x-deprecated: true``."""
    return any(v.get("deprecated") is True or v.get("x-deprecated") is True for v in own_values(cursor))


def sunset_of(cursor: Cursor) -> Sunset | None:
    """Return the node's ``x-sunset``, or ``None`` when it has none."""
    for value in own_values(cursor):
        if "x-sunset" in value:
            raw = value["x-sunset"]
            owner = Cursor(cursor.doc, cursor.file, cursor.parts, value)
            at = owner.get("x-sunset") or cursor
            return Sunset(str(raw), parse_sunset(raw), at)
    return None


def sunset_header(operation: Cursor) -> Sunset | None:
    """Return the ``Sunset`` response header an OpenAPI operation declares (RFC 8594), the first one found."""
    responses = operation.get("responses")
    for _, response in responses.items() if responses is not None else ():
        headers = response.get("headers")
        for name, header in headers.items() if headers is not None else ():
            if name.lower() != "sunset":
                continue
            value = _header_value(header)
            if value is not None:
                return Sunset(str(value), parse_sunset(value), header)
    return None


def _header_value(header: Cursor) -> JsonValue:
    if header.raw("example") is not None:
        return header.raw("example")
    schema = header.get("schema")
    if schema is None:
        return None
    for key in ("example", "default", "const"):
        if schema.raw(key) is not None:
            return schema.raw(key)
    enum = schema.raw("enum")
    return enum[0] if isinstance(enum, list) and enum else None


def stability_level(cursor: Cursor | None) -> tuple[str, Cursor] | None:
    """Return the node's ``x-stability-level`` (lower-cased) and where it is, or ``None`` (absent or unknown)."""
    if cursor is None:
        return None
    raw = cursor.raw("x-stability-level")
    if not isinstance(raw, str) or raw.strip().lower() not in STABILITY_LEVELS:
        return None
    return raw.strip().lower(), cursor.get("x-stability-level") or cursor


def parent(cursor: Cursor) -> Cursor | None:
    """Return the node that holds ``cursor`` in its file (``None`` at the top of a file)."""
    if not cursor.parts:
        return None
    value: JsonValue = cursor.file.data
    for part in cursor.parts[:-1]:
        if isinstance(value, dict):
            value = value.get(part)
        elif isinstance(value, list) and part.isdigit() and int(part) < len(value):
            value = value[int(part)]
        else:
            return None
    return Cursor(cursor.doc, cursor.file, cursor.parts[:-1], value)
