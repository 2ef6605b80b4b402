"""W3C Trace Context carried from an HTTP request, through a publish, into the consumer's handler.

Without OpenTelemetry the trace travels in one context variable, :data:`current_traceparent`: set by
:class:`TraceContextMiddleware` (ASGI) from the request's ``traceparent`` header, by :func:`use_traceparent`, or
by the consumer around a handler; read by every publish, which sends a child of it (same trace id, new span id).
With OpenTelemetry installed and a span current, the span's context wins (see :mod:`.observability`).
"""

from __future__ import annotations

import random
import re
from collections.abc import Awaitable, Callable, Iterator, MutableMapping
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

_TRACEPARENT = re.compile(
    r"^(?P<version>[0-9a-f]{2})-(?P<trace>[0-9a-f]{32})-(?P<span>[0-9a-f]{16})-(?P<flags>[0-9a-f]{2})$"
)

_bits = random.getrandbits

#: The trace context of the code running now (``None``: none; a publish then starts a new trace).
current_traceparent: ContextVar[str | None] = ContextVar("contractkit_traceparent", default=None)


def new_traceparent() -> str:
    """Return a fresh ``traceparent`` (version 00, random trace and span ids, sampled).

    The ids come from :func:`random.getrandbits` (W3C asks for randomness, not secrecy; no system call per message).
    """
    return f"00-{_bits(128) or 1:032x}-{_bits(64) or 1:016x}-01"


def child_traceparent(parent: str | None) -> str:
    """Return a ``traceparent`` in the trace of ``parent`` with a new span id (a new trace if ``parent`` is bad)."""
    found = _TRACEPARENT.match(parent or "")
    if found is None or found["trace"] == "0" * 32:
        return new_traceparent()
    return f"00-{found['trace']}-{_bits(64) or 1:016x}-{found['flags']}"


def trace_id(traceparent: str | None) -> str | None:
    """Return the trace id of a ``traceparent``, ``None`` if it is not one."""
    found = _TRACEPARENT.match(traceparent or "")
    return found["trace"] if found is not None else None


@contextmanager
def use_traceparent(traceparent: str | None) -> Iterator[None]:
    """Make ``traceparent`` the current trace context inside the block (what a publish inside it continues)."""
    token = current_traceparent.set(traceparent)
    try:
        yield
    finally:
        current_traceparent.reset(token)


Scope = MutableMapping[str, Any]
ASGIApp = Callable[[Scope, Callable[[], Awaitable[Any]], Callable[[Any], Awaitable[None]]], Awaitable[None]]


class TraceContextMiddleware:
    """ASGI middleware: the request's ``traceparent`` header becomes the trace context of what the app publishes.

    Example:
        >>> app = TraceContextMiddleware(ContractValidationMiddleware(app, "b2b-orders"))  # doctest: +SKIP
    """

    def __init__(self, app: ASGIApp) -> None:
        """Wrap ``app``."""
        self.app = app

    async def __call__(
        self, scope: Scope, receive: Callable[[], Awaitable[Any]], send: Callable[[Any], Awaitable[None]]
    ) -> None:
        """Run the app with the request's trace context current (HTTP only)."""
        if scope.get("type") != "http":
            await self.app(scope, receive, send)
            return
        value = next((v for k, v in scope.get("headers", ()) if k == b"traceparent"), None)
        text = value.decode("latin-1") if isinstance(value, bytes) else None
        with use_traceparent(text if text and _TRACEPARENT.match(text) else None):
            await self.app(scope, receive, send)
