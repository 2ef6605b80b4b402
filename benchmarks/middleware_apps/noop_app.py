"""The floor of any pure-ASGI middleware: the same app behind one that only forwards the call (no validation)."""

from __future__ import annotations

from typing import Any

from benchmarks.middleware_apps.common import create_app


class NoopMiddleware:
    """Forwards every call untouched: what wrapping an app in a pure-ASGI middleware costs by itself."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        await self.app(scope, receive, send)


app = NoopMiddleware(create_app())
