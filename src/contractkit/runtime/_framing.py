"""How a request is framed, read from its headers before its body: ``Content-Length`` and CORS preflights."""

from __future__ import annotations

import re
from collections.abc import Mapping

from contractkit.runtime._core import RequestError, ValidationResult

_LENGTH = re.compile(r"[0-9]+\Z")  # RFC 9110 section 8.6: 1*DIGIT, ASCII digits only
_HUGE = 10**18  # a length of more digits is larger than any body limit (and `int()` refuses past 4,300 digits)


def content_length(value: str) -> int | None:
    r"""Return the length a ``Content-Length`` value states, ``None`` when it is not a length at all.

    ``"\xb2"`` (which ``str.isdigit()`` accepts), ``"5, 5"``, ``"-1"`` and ``""`` are not lengths; a length of
    more than 18 digits is returned as 10**18 (larger than any limit) rather than converted.
    """
    value = value.strip(" \t")
    if not _LENGTH.match(value):
        return None
    return _HUGE if len(value) > 18 else int(value)


def bad_length() -> ValidationResult:
    """Return the 400 verdict for a ``Content-Length`` that is not a length."""
    return ValidationResult(
        400, [RequestError("header.content-length", "is not a length (RFC 9110: one decimal number of bytes)")]
    )


def both_lengths() -> ValidationResult:
    """Return the 400 verdict for a request framed twice: ``Content-Length`` and ``Transfer-Encoding`` together.

    RFC 9112 section 6.1 lets a server refuse it; servers and proxies disagree on which one wins (request smuggling),
    and the body limit cannot trust the length.
    """
    return ValidationResult(
        400,
        [RequestError("header.content-length", "is sent with `Transfer-Encoding`: a request is framed by one of them")],
    )


def is_preflight(method: str, headers: Mapping[str, str]) -> bool:
    """Return whether a request is a CORS preflight (``OPTIONS`` with ``Origin`` and the method it asks for).

    A preflight has no body (browsers never send one): an ``OPTIONS`` with a body is not taken for one.
    """
    return (
        method.upper() == "OPTIONS"
        and "origin" in headers
        and "access-control-request-method" in headers
        and "transfer-encoding" not in headers
        and headers.get("content-length", "0").strip() in ("", "0")
    )
