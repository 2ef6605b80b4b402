r"""Strict, total JSON parsing for what a client sends: every text is a value or a :class:`BadInput` at its place.

Total means no text makes these functions raise anything else: bad UTF-8, bad syntax, ``NaN``/``Infinity``, a lone
surrogate escape (``"\ud800"``: not Unicode text), an integer of more than 4,300 digits (Python's conversion limit)
and a number beyond the range of a 64-bit float (``1e400``, which the json module reads as infinity) are each a
:class:`BadInput` naming the JSON pointer of the value when it is known. Nesting deeper than the parser follows is a
:class:`BadInput` too. Duplicate keys: the last one wins, as in the json module, msgspec, pydantic and orjson, so
the value the app parses is the value that was validated.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

from contractkit.loaders.pointer import escape

MAX_INT_DIGITS = 4300  # CPython's int <-> str conversion limit (sys.get_int_max_str_digits)


class BadInput(Exception):
    """A value a client sent that cannot be read.

    Attributes:
        pointer: where in it, when it is known (``/items/0``).
        syntax: whether the text is not JSON at all (rather than JSON holding a value no validator can judge).
    """

    def __init__(self, message: str, pointer: str = "", *, syntax: bool = False) -> None:
        super().__init__(message)
        self.pointer = pointer
        self.syntax = syntax


class _Unreadable:
    """Stands for a number the json module reads but no validator can judge: found by :func:`_first_unreadable`."""

    __slots__ = ("reason",)

    def __init__(self, reason: str) -> None:
        self.reason = reason


def _no_constants(name: str) -> Any:
    raise BadInput(f"`{name}` is not valid JSON", syntax=True)


class _Decoder(json.JSONDecoder):
    """The json module's decoder, strict: no NaN/Infinity, and numbers no validator can judge marked as they are read.

    One per call (the marks are per text); it is built only on the fallback path.
    """

    def __init__(self) -> None:
        super().__init__(parse_constant=_no_constants, parse_int=self._int, parse_float=self._float)
        self.marked = False

    def _int(self, text: str) -> Any:
        digits = len(text) - (text[0] == "-")
        if digits > MAX_INT_DIGITS:
            self.marked = True
            return _Unreadable(f"the integer has {digits:,} digits; at most {MAX_INT_DIGITS:,} are accepted")
        return int(text)

    def _float(self, text: str) -> Any:
        value = float(text)
        if math.isinf(value):
            self.marked = True
            shown = text if len(text) <= 40 else text[:37] + "..."
            return _Unreadable(f"the number {shown} is beyond the range of a 64-bit float (about ±1.8e308)")
        return value


try:  # pragma: no branch - which parser is installed is decided once
    import msgspec
except ImportError:  # pragma: no cover - exercised in environments without the runtime extra
    _fast_decode: Any = None
    _FAST_REFUSALS: tuple[type[Exception], ...] = ()
else:
    _fast_decode = msgspec.json.Decoder().decode
    _FAST_REFUSALS = (msgspec.MsgspecError, ValueError, RecursionError)  # ValueError: bad UTF-8
# A `\uD800`-`\uDFFF` escape: the only way a JSON text can carry a surrogate (UTF-8 cannot encode one).
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def parse_json(body: bytes) -> Any:
    """Parse a JSON body strictly (UTF-8 only; no NaN/Infinity; no lone surrogate; numbers a validator can judge).

    msgspec parses first (2.7x faster, the same values: tests/runtime/test_json_parsing.py); it refuses everything
    this function refuses, and a few texts the json module reads (``1e400``, an integer of 4,301 digits): those
    take the json module's path, which says what is wrong and where.

    Raises:
        BadInput: with a message for the client (and the pointer of the value, when there is one).
    """
    if _fast_decode is not None:
        try:
            return _fast_decode(body)
        except _FAST_REFUSALS:
            pass
    return parse_json_stdlib(body)


def parse_json_stdlib(body: bytes) -> Any:
    """Parse a JSON body with the json module alone: :func:`parse_json`'s reference and its fallback."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadInput(f"the body is not valid UTF-8 (byte {exc.start})") from None
    return parse_json_text(text, "the body")


def parse_json_text(text: str, what: str) -> Any:
    """Parse one JSON text (a body, or a ``content``-encoded parameter); ``what`` names it in messages.

    Raises:
        BadInput: the text is not JSON a validator can judge.
    """
    decoder = _Decoder()
    try:
        value = decoder.decode(text)
    except json.JSONDecodeError as exc:
        where = f"at line {exc.lineno} column {exc.colno}"
        raise BadInput(f"{what} is not valid JSON: {exc.msg} {where}", syntax=True) from None
    except RecursionError:
        raise BadInput(f"{what} is nested too deeply") from None
    surrogate = "\\u" in text and _SURROGATE_ESCAPE.search(text) is not None
    found = _first_unreadable(value) if surrogate or decoder.marked else None
    if found is not None:
        raise BadInput(found[1], found[0])
    return value


def _first_unreadable(value: Any) -> tuple[str, str] | None:
    """Return (JSON pointer, message) of the first value no validator can judge, ``None`` if there is none.

    Iterative (the value may be as deep as the decoder allows): a lone surrogate in a string or a key, or a
    number marked :class:`_Unreadable`.
    """
    stack: list[tuple[Any, str]] = [(value, "")]
    while stack:
        node, pointer = stack.pop()
        if isinstance(node, _Unreadable):
            return pointer, node.reason
        if isinstance(node, str):
            if not (node.isascii() or _encodes(node)):
                return pointer, _surrogate("the string")
        elif isinstance(node, dict):
            items = []
            for key, item in node.items():
                if not _encodes(key):
                    return pointer, _surrogate("a key")
                items.append((item, f"{pointer}/{escape(key)}"))
            stack.extend(reversed(items))
        elif isinstance(node, list):
            stack.extend(reversed([(item, f"{pointer}/{index}") for index, item in enumerate(node)]))
    return None


def _surrogate(where: str) -> str:
    return f"{where} holds a lone surrogate escape (\\uD800-\\uDFFF without its pair): not Unicode text"


def _encodes(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def nesting_depth(value: Any) -> int:
    """Return how deeply ``value`` nests arrays and objects (``1`` for ``[]``), iteratively."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict):
            stack.extend((item, depth + 1) for item in node.values())
            deepest = max(deepest, depth + 1)
        elif isinstance(node, list):
            stack.extend((item, depth + 1) for item in node)
            deepest = max(deepest, depth + 1)
    return deepest
