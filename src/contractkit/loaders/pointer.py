"""JSON pointers (RFC 6901) and the fragment of a ``$ref`` (RFC 3986 percent-encoding on top)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from urllib.parse import unquote

_BAD_ESCAPE = re.compile(r"~(?![01])")


def escape(part: str) -> str:
    """Escape one reference token: ``~`` as ``~0`` and ``/`` as ``~1``."""
    return part.replace("~", "~0").replace("/", "~1")


def to_pointer(parts: Sequence[str]) -> str:
    """Join tokens into a JSON pointer (``""`` is the whole document)."""
    return "".join("/" + escape(part) for part in parts)


def parse_pointer(pointer: str) -> tuple[str, ...]:
    """Split a JSON pointer, or a ``$ref`` fragment, into unescaped tokens.

    Raises:
        ValueError: the pointer does not start with ``/``.
    """
    pointer = unquote(pointer)
    if not pointer:
        return ()
    if not pointer.startswith("/"):
        raise ValueError(f"`{pointer}` is not a JSON pointer (it must start with `/`)")
    return tuple(token.replace("~1", "/").replace("~0", "~") for token in pointer[1:].split("/"))


def check_escapes(pointer: str) -> None:
    """Refuse a ``~`` that is not ``~0`` or ``~1`` (RFC 6901 has no other escape; ``~2`` is not a ``~``).

    Raises:
        ValueError: naming the bad escape.
    """
    found = _BAD_ESCAPE.search(unquote(pointer))
    if found is not None:
        escape = unquote(pointer)[found.start() : found.start() + 2]
        raise ValueError(f"`{escape}` in `{pointer}` is no JSON pointer escape (`~0` means `~` and `~1` means `/`)")
