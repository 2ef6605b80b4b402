"""A failing request as one ``curl`` command line, with credentials masked."""

from __future__ import annotations

import shlex
from collections.abc import Collection, Mapping

REDACTED = "***"

# Headers the HTTP client adds on its own: a reader of the curl line does not need them.
_NOISE = frozenset({"user-agent", "accept-encoding", "accept", "connection", "content-length", "host"})
_SECRET = frozenset({"authorization", "proxy-authorization", "cookie", "x-api-key", "api-key"})


def render_curl(
    method: str,
    url: str,
    headers: Mapping[str, str],
    body: bytes | None,
    *,
    secret_headers: Collection[str] = (),
) -> str:
    """Return a shell command that sends the request again.

    Args:
        method: the HTTP method.
        url: the full URL, query string included.
        headers: the request's headers; the HTTP client's own (``User-Agent``, ``Accept-Encoding``...) are left
            out, and Schemathesis's tracing header too.
        body: the request body, if any; sent with ``--data-binary`` (non-UTF-8 bytes are escaped with ``$'...'``
            quoting so the command stays one line).
        secret_headers: more header names whose values are replaced by ``***`` (besides ``Authorization``,
            ``Cookie`` and API-key headers).

    Returns:
        ``curl -X METHOD 'url' -H 'Name: value' ... --data-binary '...'``, one line.
    """
    secret = _SECRET | {name.lower() for name in secret_headers}
    parts = ["curl", "-X", method.upper(), shlex.quote(url)]
    for name, value in headers.items():
        lowered = name.lower()
        if lowered in _NOISE or lowered.startswith("x-schemathesis"):
            continue
        shown = REDACTED if lowered in secret else value
        parts += ["-H", _quote(f"{name}: {shown}")]
    if body:
        parts += ["--data-binary", _quote_bytes(body)]
    return " ".join(parts)


def _quote(text: str) -> str:
    if text.isprintable():
        return shlex.quote(text)
    return _ansi_c(text.encode("utf-8", "surrogateescape"))


def _quote_bytes(body: bytes) -> str:
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return _ansi_c(body)
    if text.isprintable():
        return shlex.quote(text)
    return _ansi_c(body)


def _ansi_c(data: bytes) -> str:
    r"""Bash's ``$'...'`` quoting: printable ASCII as it is, every other byte as ``\xHH``."""
    out = []
    for byte in data:
        char = chr(byte)
        if char in "\\'":
            out.append("\\" + char)
        elif 0x20 <= byte < 0x7F:
            out.append(char)
        else:
            out.append(f"\\x{byte:02x}")
    return "$'" + "".join(out) + "'"
