"""``multipart/form-data`` bodies split into their parts by python-multipart (the parser Starlette uses).

The body is already in memory and bounded by the middleware's ``max_body_bytes``; the number of parts and the
headers of a part are bounded here, and what each part must be (its content type, JSON or text, an array of parts)
is decided by the operation's compiled plan (:class:`PartPlan`).

Parsers disagree on the edges of the format, and an app behind the middleware reads the body with its framework's
parser (Starlette: python-multipart; Flask: werkzeug's own). So the edges where they disagree are refused, never
guessed: a boundary line ending in a bare LF (werkzeug splits there, python-multipart does not), an RFC 2231
``name*=`` (forbidden by RFC 7578; werkzeug honours it), a part with two ``Content-Disposition`` or ``Content-Type``
headers (Starlette takes the last), and any charset but UTF-8 (Starlette decodes names and values with the body's
``charset`` parameter; frameworks ignore a part's).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from contractkit.loaders.pointer import escape
from contractkit.runtime._json import BadInput, parse_json

MAX_PARTS = 256
MAX_PART_HEADERS = 16
MAX_HEADER_BYTES = 8192


@dataclass(slots=True)
class Part:
    """One part of a multipart body.

    Attributes:
        name: the ``name`` of its ``Content-Disposition: form-data``.
        filename: its ``filename``, ``None`` when it has none.
        content_type: its ``Content-Type`` (media type, lower-case, no parameters); ``""`` when not sent.
        charset: the ``charset`` parameter of its content type, ``None`` when not sent.
        data: its content.
    """

    name: str
    filename: str | None = None
    content_type: str = ""
    charset: str | None = None
    data: bytearray = field(default_factory=bytearray)


_UTF8 = frozenset({b"utf-8", b"utf8", b"us-ascii", b"ascii"})
_EXTENDED_PARAMETER = re.compile(rb";\s*(?:name|filename)\*", re.IGNORECASE)


def boundary_of(content_type: str) -> str:
    """Return the ``boundary`` parameter of a multipart ``Content-Type`` header.

    Raises:
        BadInput: it has none, or an empty one, or the header names a charset other than UTF-8.
    """
    from python_multipart.multipart import parse_options_header

    _, options = parse_options_header(content_type)
    boundary = options.get(b"boundary", b"")
    if not boundary:
        raise BadInput("a multipart body needs a `boundary` parameter in its content type")
    charset = options.get(b"charset")
    if charset is not None and charset.lower() not in _UTF8:
        raise BadInput(
            f"a multipart body in the charset `{charset.decode('latin-1')[:40]}` is not accepted: send UTF-8 "
            "(and no charset parameter)"
        )
    return boundary.decode("latin-1")


def split_parts(body: bytes, boundary: str) -> list[Part]:
    """Split a whole multipart body into its parts.

    Raises:
        BadInput: the body is not a complete multipart body (no closing boundary, a part without a
            ``Content-Disposition: form-data`` name), or it has more than :data:`MAX_PARTS` parts or a part with
            too many or too large headers.
    """
    from python_multipart.exceptions import FormParserError
    from python_multipart.multipart import MultipartParser, MultipartState, parse_options_header

    parts: list[Part] = []
    headers: list[tuple[bytes, bytes]] = []
    field_name = bytearray()
    field_value = bytearray()

    def on_part_begin() -> None:
        if len(parts) >= MAX_PARTS:
            raise BadInput(f"the multipart body has more than {MAX_PARTS} parts")
        headers.clear()

    def on_header_field(data: bytes, start: int, end: int) -> None:
        field_name.extend(data[start:end])

    def on_header_value(data: bytes, start: int, end: int) -> None:
        field_value.extend(data[start:end])

    def on_header_end() -> None:
        headers.append((bytes(field_name).lower(), bytes(field_value)))
        field_name.clear()
        field_value.clear()

    def on_headers_finished() -> None:
        number = len(parts) + 1
        dispositions = [value for name, value in headers if name == b"content-disposition"]
        types = [value for name, value in headers if name == b"content-type"]
        if len(dispositions) > 1 or len(types) > 1:
            raise BadInput(f"part {number} has two `Content-Disposition` or `Content-Type` headers")
        disposition = dispositions[0] if dispositions else b""
        if _EXTENDED_PARAMETER.search(disposition):
            raise BadInput(f"part {number} names itself with `name*=`/`filename*=`, which RFC 7578 forbids")
        kind, options = parse_options_header(disposition)
        if kind != b"form-data" or b"name" not in options:
            raise BadInput(f"part {number} has no `Content-Disposition: form-data` with a name")
        media, type_options = parse_options_header(types[0] if types else b"")
        filename = options.get(b"filename")
        charset = type_options.get(b"charset")
        if charset is not None and charset.lower() not in _UTF8:
            raise BadInput(f"part {number} is in the charset `{charset.decode('latin-1')[:40]}`: send UTF-8")
        parts.append(
            Part(
                name=_text(options[b"name"]),
                filename=None if filename is None else _text(filename),
                content_type=media.decode("latin-1").strip(),
                charset=None if charset is None else charset.decode("latin-1").lower(),
            )
        )

    def on_part_data(data: bytes, start: int, end: int) -> None:
        parts[-1].data.extend(data[start:end])

    bare_lf = re.search(b"(?<!\r)\n--" + re.escape(boundary.encode("latin-1")), body)
    if bare_lf is not None:
        raise BadInput(
            f"the body is not valid multipart/form-data: the boundary line at byte {bare_lf.start()} ends a line "
            "with a bare LF (RFC 2046: CRLF)"
        )
    try:
        parser = MultipartParser(
            boundary.encode("latin-1"),
            {
                "on_part_begin": on_part_begin,
                "on_header_field": on_header_field,
                "on_header_value": on_header_value,
                "on_header_end": on_header_end,
                "on_headers_finished": on_headers_finished,
                "on_part_data": on_part_data,
            },
            max_header_count=MAX_PART_HEADERS,
            max_header_size=MAX_HEADER_BYTES,
        )
        parser.write(body)
        parser.finalize()
    except FormParserError as exc:
        raise BadInput(f"the body is not valid multipart/form-data: {_reason(exc)}") from None
    if parser.state != MultipartState.END:
        raise BadInput("the body is not valid multipart/form-data: it ends before its closing boundary")
    return parts


def _text(raw: bytes) -> str:
    """Decode a header parameter: UTF-8 as browsers send it (RFC 7578), else latin-1 (every byte is a character)."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def _reason(exc: Exception) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text if len(text) <= 200 else text[:197] + "..."


@dataclass(frozen=True, slots=True)
class PartPlan:
    """What one property of a multipart schema takes, compiled once.

    Attributes:
        array: the property is an array: each part of that name is one item (else the name may appear once).
        json: a part is parsed as JSON (the property, or its items, is an object or an array; OpenAPI's default
            ``contentType`` for them is ``application/json``), or its part says ``application/json``.
        binary: a part is bytes (``format: binary``, or ``contentMediaType`` in OAS 3.1): judged as a string of
            as many characters as it has bytes.
        cast: casts a text part to the property's scalar type.
        content_types: the media types ``encoding.<name>.contentType`` allows (``None``: not declared, any).
    """

    array: bool
    json: bool
    binary: bool
    cast: Callable[[str], Any]
    content_types: tuple[str, ...] | None = None


def read_parts(parts: list[Part], plans: Mapping[str, PartPlan]) -> dict[str, Any]:
    """Turn the parts into the object the body schema judges (one property per name, arrays for array properties).

    Raises:
        BadInput: at ``/<name>``: a part of a content type its ``encoding`` does not allow, a JSON part that is not
            JSON, a text part that is not text in its charset, a name given more than once where it takes one part.
    """
    out: dict[str, Any] = {}
    for part in parts:
        plan = plans.get(part.name)
        pointer = "/" + escape(part.name)
        if plan is None:
            value: Any = bytes(part.data).decode("latin-1")  # undeclared: the schema decides whether it may be there
            array = False
        else:
            value = _value(part, plan, pointer)
            array = plan.array
        if array:
            out.setdefault(part.name, []).append(value)
        elif part.name in out:
            count = sum(1 for p in parts if p.name == part.name)
            raise BadInput(f"is given {count} times; send it once", pointer)
        else:
            out[part.name] = value
    return out


def _value(part: Part, plan: PartPlan, pointer: str) -> Any:
    media = part.content_type or "text/plain"  # RFC 7578 section 4.4
    if plan.content_types is not None and not any(_matches(media, allowed) for allowed in plan.content_types):
        allowed = ", ".join(f"`{t}`" for t in plan.content_types)
        raise BadInput(f"a part of content type `{media}` is not accepted here (send {allowed})", pointer)
    if plan.json or media == "application/json" or media.endswith("+json"):
        try:
            return parse_json(bytes(part.data))
        except BadInput as exc:
            raise BadInput(str(exc).replace("the body", "the part", 1), pointer + exc.pointer) from None
    if plan.binary:
        return bytes(part.data).decode("latin-1")
    try:
        text = bytes(part.data).decode("utf-8")  # the charset was checked: UTF-8 (or its ASCII subset)
    except UnicodeDecodeError as exc:
        raise BadInput(f"the part is not valid UTF-8 text (byte {exc.start})", pointer) from None
    try:
        return plan.cast(text)
    except BadInput as exc:
        raise BadInput(str(exc), pointer) from None


def _matches(media: str, allowed: str) -> bool:
    if allowed in ("*/*", media):
        return True
    return allowed.endswith("/*") and media.startswith(allowed[:-1])
