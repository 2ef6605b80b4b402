"""The issue's third row: a hand-written pure-ASGI middleware with a precompiled body validator.

What a team writes by hand when openapi-core is too slow: one jsonschema-rs validator for the order body,
compiled at import, and nothing else. No routing beyond one ``(method, path)`` check, no parameters, no
security, no content type, no body limit, the first error only. It is the anchor the issue measured
(0.87-0.95x of the bare app): the cost of "read the body, parse it, validate it" in a middleware, measured here
in the same run as contractkit, so that contractkit's ratio can be read against it.
"""

from __future__ import annotations

import json
from typing import Any

import jsonschema_rs

from benchmarks.middleware_apps.common import BASE_PATH, contract, create_app

_DOCUMENT = contract()
_VALIDATOR = jsonschema_rs.Draft202012Validator(
    {"$ref": "#/components/schemas/OrderCreate", "components": _DOCUMENT["components"]}, validate_formats=True
)
_ORDERS = f"{BASE_PATH}/orders"


class HandwrittenMiddleware:
    """Validates the JSON body of ``POST /orders``; forwards everything else untouched."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["method"] != "POST" or scope["path"] != _ORDERS:
            await self.app(scope, receive, send)
            return
        chunks = []
        while True:
            message = await receive()
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        try:
            _VALIDATOR.validate(json.loads(body))
        except (ValueError, jsonschema_rs.ValidationError) as error:  # malformed JSON, or the first schema error
            payload = json.dumps({"title": "Bad Request", "status": 400, "detail": str(error)}).encode()
            headers = [(b"content-type", b"application/problem+json"), (b"content-length", str(len(payload)).encode())]
            await send({"type": "http.response.start", "status": 400, "headers": headers})
            await send({"type": "http.response.body", "body": payload})
            return
        replayed = False

        async def replay() -> Any:
            nonlocal replayed
            if replayed:
                return await receive()
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)


app = HandwrittenMiddleware(create_app())
