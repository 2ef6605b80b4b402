"""The b2b-orders reference service (examples/orders_service) with one planted defect, as an ASGI layer.

The layer is the copy of the service: it changes what the real service answers, so every other behaviour
stays the reference one. Each defect is what a real bug looks like on the wire, and one check must name it.
"""

from __future__ import annotations

import json
import re
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

# defect -> the Schemathesis check that must report it
DEFECTS = {
    "server-error": "not_a_server_error",  # the status timeline crashes: 500 for every order
    "wrong-type": "response_schema_conformance",  # the order list's `items` is a string, not an array
    "undocumented-status": "status_code_conformance",  # an unknown order id answers 418 instead of 404
}

_TIMELINE = re.compile(r"^/b2b/v1/orders/[^/]+/status-timeline$")
_ORDER = re.compile(r"^/b2b/v1/orders/[^/]+$")


def orders_app(defect: str | None = None, **settings: Any) -> ASGIApp:
    """Return the reference service, with ``defect`` (a key of :data:`DEFECTS`) planted when given."""
    from examples.orders_service.app import create_app

    app: ASGIApp = create_app(**settings)
    return app if defect is None else Defect(app, defect)


class Defect:
    """Rewrite the responses the defect concerns; pass everything else through."""

    def __init__(self, app: ASGIApp, defect: str) -> None:
        if defect not in DEFECTS:
            raise ValueError(f"unknown defect {defect!r}; known: {', '.join(DEFECTS)}")
        self.app, self.defect = app, defect

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        method, path = scope["method"], scope["path"]
        if self.defect == "server-error" and method == "GET" and _TIMELINE.match(path):
            await send({"type": "http.response.start", "status": 500, "headers": [(b"content-type", b"text/plain")]})
            await send({"type": "http.response.body", "body": b"Internal Server Error"})
            return
        if (self.defect == "wrong-type" and method == "GET" and path == "/b2b/v1/orders") or (
            self.defect == "undocumented-status" and method == "GET" and _ORDER.match(path)
        ):
            await self._rewrite(scope, receive, send)
            return
        await self.app(scope, receive, send)

    async def _rewrite(self, scope: Scope, receive: Receive, send: Send) -> None:
        start: Message = {}
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        await self.app(scope, receive, capture)
        status, body = start["status"], b"".join(chunks)
        headers = [(k, v) for k, v in start.get("headers", []) if k.lower() != b"content-length"]
        if self.defect == "wrong-type" and status == 200:
            data = json.loads(body)
            data["items"] = "not-a-list"
            body = json.dumps(data).encode()
        elif self.defect == "undocumented-status" and status == 404:
            status = 418
        headers.append((b"content-length", str(len(body)).encode()))
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})
