"""The hostile requests of the attack suite, and the four ways to send them (ASGI and WSGI, in-process and real).

Each :class:`Attack` is written as raw HTTP (request target, header bytes, body bytes, chunked or not) so that the
same row can be sent to the ASGI middleware in-process (a hand-built scope, as a server builds it), to the WSGI
middleware in-process (a hand-built environ), and over a socket to a real uvicorn (h11) and a real werkzeug server
on 127.0.0.1, where the server's own parser sees it first.
"""

from __future__ import annotations

import asyncio
import io
import json
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

from contractkit.middleware import ContractValidationMiddleware, WSGIContractValidationMiddleware

BEARER = (b"authorization", b"Bearer t0ken")


def attack_spec() -> dict[str, Any]:
    """The contract under attack: every place a request can carry input, with a few constraints each."""
    obj = {"type": "object", "properties": {"x": {"type": "integer"}}}
    bulk = {"type": "object", "properties": {"items": {"type": "array", "items": {"type": "object"}}}}
    expr = {"$ref": "#/components/schemas/Expr"}
    ok = {"responses": {"200": {"description": "ok"}}}
    order = {
        "type": "object",
        "required": ["sku", "quantity"],
        "properties": {
            "sku": {"type": "string", "minLength": 3},
            "quantity": {"type": "integer", "minimum": 1, "maximum": 100},
            "limit": {"type": "number", "maximum": 10},
            "note": {"type": ["string", "null"]},
            "tree": {"type": "array"},
            "password": {"type": "string", "format": "password", "minLength": 12},
            "meta": {"type": "object", "additionalProperties": {"type": "integer"}},
        },
    }
    return {
        "openapi": "3.1.0",
        "info": {"title": "attacked", "version": "1.0.0"},
        "servers": [{"url": "/api"}],
        "components": {
            "schemas": {
                "Expr": {
                    "oneOf": [
                        {"type": "integer"},
                        {
                            "type": "object",
                            "required": ["and"],
                            "properties": {"and": {"type": "array", "items": expr}},
                        },
                        {"type": "object", "required": ["or"], "properties": {"or": {"type": "array", "items": expr}}},
                    ]
                }
            },
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer"},
                "qkey": {"type": "apiKey", "in": "query", "name": "api_key"},
            },
        },
        "security": [{"bearer": []}],
        "paths": {
            "/orders": {
                "get": {
                    "parameters": [
                        {"name": "limit", "in": "query", "schema": {"type": "integer", "maximum": 50}},
                        {
                            "name": "ids",
                            "in": "query",
                            "explode": False,
                            "schema": {"type": "array", "items": {"type": "integer"}},
                        },
                        {"name": "tag", "in": "query", "schema": {"type": "array", "items": {"type": "integer"}}},
                        {
                            "name": "filter",
                            "in": "query",
                            "style": "deepObject",
                            "schema": {"type": "object", "properties": {"min": {"type": "number", "maximum": 10}}},
                        },
                        {"name": "where", "in": "query", "content": {"application/json": {"schema": obj}}},
                        {"name": "session", "in": "cookie", "schema": {"type": "string", "minLength": 4}},
                        {"name": "n", "in": "cookie", "schema": {"type": "integer"}},
                        {"name": "X-Count", "in": "header", "schema": {"type": "integer", "maximum": 5}},
                    ],
                    "responses": {"200": {"description": "ok"}},
                },
                "post": {
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {"schema": order},
                            "application/x-www-form-urlencoded": {
                                "schema": {
                                    "type": "object",
                                    "properties": {"sku": {"type": "string"}, "quantity": {"type": "integer"}},
                                }
                            },
                            "multipart/form-data": {
                                "schema": {
                                    "type": "object",
                                    "required": ["meta", "file"],
                                    "properties": {
                                        "meta": {"type": "object", "required": ["sku"]},
                                        "file": {"type": "string", "format": "binary"},
                                    },
                                },
                                "encoding": {"file": {"contentType": "model/stl"}},
                            },
                        },
                    },
                    "responses": {"201": {"description": "created"}},
                },
            },
            "/ping": {"post": {"responses": {"204": {"description": "no body declared"}}}},
            "/bulk": {
                "post": {"security": [], "requestBody": {"content": {"application/json": {"schema": bulk}}}, **ok}
            },
            "/expr": {
                "post": {"security": [], "requestBody": {"content": {"application/json": {"schema": expr}}}, **ok}
            },
            "/m/{ids}": {
                "get": {
                    "security": [],
                    "parameters": [
                        {
                            "name": "ids",
                            "in": "path",
                            "required": True,
                            "style": "matrix",
                            "explode": True,
                            "schema": {"type": "array", "items": {"type": "integer", "maximum": 5000}},
                        },
                        {"name": "X-Ids", "in": "header", "schema": {"type": "array", "items": {"type": "integer"}}},
                    ],
                    "responses": {"200": {"description": "ok"}},
                }
            },
            "/form": {
                "post": {
                    "security": [],
                    "requestBody": {
                        "content": {
                            "application/x-www-form-urlencoded": {
                                "schema": {
                                    "type": "object",
                                    "properties": {"sku": {"type": "string", "maxLength": 5}},
                                    "additionalProperties": {"type": "integer"},
                                }
                            }
                        }
                    },
                    "responses": {"200": {"description": "ok"}},
                }
            },
            "/health": {"get": {"security": [], "responses": {"200": {"description": "ok"}}}},
            "/keyed": {
                "get": {
                    "security": [{"qkey": []}],
                    "parameters": [{"name": "api_key", "in": "query", "schema": {"pattern": "^[a-z]+$"}}],
                    "responses": {"200": {"description": "ok"}},
                }
            },
            "/tuned": {
                "options": {
                    "security": [],
                    "parameters": [{"name": "level", "in": "query", "required": True, "schema": {"type": "integer"}}],
                    "responses": {"204": {"description": "declared OPTIONS"}},
                }
            },
        },
    }


@dataclass(frozen=True)
class Attack:
    """One raw request and what the middleware must answer.

    Attributes:
        status: the middleware's answer in-process (a real server may refuse first: ``server_may``).
        secret: a text that must appear neither in the response nor in any log line.
        chunked: send the body with ``Transfer-Encoding: chunked`` (no ``Content-Length``).
        length: the ``Content-Length`` header to send as is (default: the body's length, unless chunked).
        send_body: whether the body is sent at all (``False``: headers only, as a client waiting on 100-continue).
    """

    method: str
    target: str
    headers: tuple[tuple[bytes, bytes], ...] = ()
    body: bytes = b""
    status: int = 400
    chunked: bool = False
    length: bytes | None = None
    send_body: bool = True
    secret: str | None = None
    server_may: frozenset[int] = frozenset({400})
    max_problem_bytes: int = 8192

    def header_list(self) -> list[tuple[bytes, bytes]]:
        out = list(self.headers)
        if self.chunked:
            out.append((b"transfer-encoding", b"chunked"))
        elif self.length is not None:
            out.append((b"content-length", self.length))
        elif self.body or self.method in ("POST", "PUT", "PATCH"):
            out.append((b"content-length", str(len(self.body)).encode()))
        return out


@dataclass
class Outcome:
    """What came back, and whether the app was reached (and with a validated request)."""

    status: int
    body: bytes
    reached: int = 0
    unvalidated: int = 0
    receives: int = 0
    raw: bytes = b""
    mismatched: int = 0


@dataclass
class Recorder:
    """The protected app's memory: how often it ran, and how often without the middleware's verdict."""

    reached: int = 0
    unvalidated: int = 0
    mismatched: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def saw(self, validated: bool, verdict: Any = None, body: bytes = b"", media: str = "") -> None:
        """Record one request; a JSON body the app parses must be the body the middleware validated."""
        with self.lock:
            self.reached += 1
            self.unvalidated += 0 if validated else 1
            if validated and media.startswith("application/json") and json.loads(body) != verdict.body:
                self.mismatched += 1


def asgi_app(recorder: Recorder) -> Any:
    async def app(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        body = b""
        while True:  # read the body, as an app does
            message = await receive()
            body += message.get("body", b"")
            if message["type"] != "http.request" or not message.get("more_body", False):
                break
        verdict = (scope.get("state") or {}).get("contract")
        media = dict(scope["headers"]).get(b"content-type", b"").decode("latin-1")
        recorder.saw(verdict is not None, verdict, body, media)
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]})
        await send({"type": "http.response.body", "body": b"app"})

    return app


def wsgi_app(recorder: Recorder) -> Any:
    def app(environ: Any, start_response: Any) -> list[bytes]:
        stream = environ.get("wsgi.input")
        length = environ.get("CONTENT_LENGTH") or ""
        if stream is None:
            body = b""
        elif environ.get("wsgi.input_terminated"):
            body = stream.read()
        else:  # PEP 3333: never read past CONTENT_LENGTH (a server's stream may block there)
            body = stream.read(int(length)) if length.isdigit() else b""
        verdict = environ.get("contractkit.request")
        recorder.saw(verdict is not None, verdict, body, str(environ.get("CONTENT_TYPE", "")))
        start_response("200 OK", [("content-type", "text/plain")])
        return [b"app"]

    return app


def _split_target(target: str) -> tuple[str, str]:
    path, _, query = target.partition("?")
    return path, query


def send_asgi(middleware: Any, recorder: Recorder, attack: Attack) -> Outcome:
    """Send ``attack`` to an ASGI middleware in-process, the way uvicorn builds the scope."""
    path, query = _split_target(attack.target)
    headers = [(k.lower(), v) for k, v in attack.header_list()]
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": attack.method,
        "scheme": "http",
        "path": unquote(path),
        "raw_path": path.encode("latin-1"),
        "root_path": "",
        "query_string": query.encode("latin-1"),
        "headers": headers,
        "client": ("127.0.0.1", 1),
        "server": ("127.0.0.1", 80),
    }
    chunks = [attack.body[i : i + 65536] for i in range(0, len(attack.body), 65536)] or [b""]
    if not attack.send_body:
        chunks = []
    sent: list[dict[str, Any]] = []
    receives = 0

    async def receive() -> dict[str, Any]:
        nonlocal receives
        receives += 1
        if receives <= len(chunks):
            return {"type": "http.request", "body": chunks[receives - 1], "more_body": receives < len(chunks)}
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    before = (recorder.reached, recorder.unvalidated, recorder.mismatched)
    asyncio.run(middleware(scope, receive, send))
    start = next(m for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return Outcome(start["status"], body, receives=receives, **_seen(recorder, before))


def send_wsgi(middleware: Any, recorder: Recorder, attack: Attack) -> Outcome:
    """Send ``attack`` to a WSGI middleware in-process, the way werkzeug builds the environ."""
    path, query = _split_target(attack.target)
    environ: dict[str, Any] = {
        "REQUEST_METHOD": attack.method,
        "SCRIPT_NAME": "",
        "PATH_INFO": unquote(path, encoding="latin-1"),
        "QUERY_STRING": query,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(attack.body if attack.send_body else b""),
        "wsgi.errors": io.StringIO(),
        "wsgi.multithread": False,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
    }
    for name, value in attack.header_list():
        key = name.decode("latin-1").upper().replace("-", "_")
        key = key if key in ("CONTENT_TYPE", "CONTENT_LENGTH") else f"HTTP_{key}"
        text = value.decode("latin-1")
        environ[key] = f"{environ[key]},{text}" if key in environ else text  # werkzeug joins repeated headers
    if attack.chunked:
        environ["wsgi.input_terminated"] = True
    statuses: list[str] = []

    def start_response(status: str, headers: Any, exc_info: Any = None) -> Any:
        statuses.append(status)
        return lambda data: None

    before = (recorder.reached, recorder.unvalidated, recorder.mismatched)
    body = b"".join(middleware(environ, start_response))
    return Outcome(int(statuses[0].split()[0]), body, **_seen(recorder, before))


def send_socket(port: int, recorder: Recorder, attack: Attack, timeout: float = 20.0) -> Outcome:
    """Send ``attack`` over a real connection to 127.0.0.1:``port`` and read the (final) response."""
    lines = [f"{attack.method} {attack.target} HTTP/1.1".encode("latin-1"), b"host: 127.0.0.1", b"connection: close"]
    lines += [name + b": " + value for name, value in attack.header_list()]
    head = b"\r\n".join(lines) + b"\r\n\r\n"
    before = (recorder.reached, recorder.unvalidated, recorder.mismatched)
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(head)
        if attack.send_body and attack.body:
            try:
                if attack.chunked:
                    for i in range(0, len(attack.body), 65536):
                        chunk = attack.body[i : i + 65536]
                        sock.sendall(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
                    sock.sendall(b"0\r\n\r\n")
                else:
                    sock.sendall(attack.body)
            except OSError:
                pass  # the server answered and closed before taking the whole body: the answer is what counts
        raw = _read_response(sock, head_only=attack.method == "HEAD")
    time.sleep(0.01)  # the app runs in the server's thread: let a (wrongly) reached app record itself
    status, body = _final_response(raw)
    return Outcome(status, body, raw=raw, **_seen(recorder, before))


def _seen(recorder: Recorder, before: tuple[int, int, int]) -> dict[str, int]:
    return {
        "reached": recorder.reached - before[0],
        "unvalidated": recorder.unvalidated - before[1],
        "mismatched": recorder.mismatched - before[2],
    }


def _read_response(sock: socket.socket, head_only: bool) -> bytes:
    """Read up to the end of the final response (its ``Content-Length``), or until the server closes."""
    raw = b""
    while True:
        final = raw
        while final.startswith(b"HTTP/1.1 100") and b"\r\n\r\n" in final:
            final = final.split(b"\r\n\r\n", 1)[1]
        head, found, body = final.partition(b"\r\n\r\n")
        if found and not final.startswith(b"HTTP/1.1 100"):
            length = next(
                (
                    int(line.split(b":", 1)[1])
                    for line in head.lower().split(b"\r\n")
                    if line.startswith(b"content-length:")
                ),
                None,
            )
            if head_only or (length is not None and len(body) >= length):
                return raw
        try:
            chunk = sock.recv(65536)
        except (ConnectionResetError, TimeoutError):
            return raw
        if not chunk:
            return raw
        raw += chunk


def _final_response(raw: bytes) -> tuple[int, bytes]:
    """Return (status, body) of the last response in ``raw`` (after any ``100 Continue``)."""
    while raw.startswith(b"HTTP/1.1 100"):
        raw = raw.split(b"\r\n\r\n", 1)[1]
    if not raw:
        return 0, b""
    head, _, body = raw.partition(b"\r\n\r\n")
    return int(head.split(b" ", 2)[1]), body


@contextmanager
def uvicorn_server(app: Any) -> Iterator[int]:
    """Run ``app`` under a real uvicorn (h11) on a free loopback port, in a thread; yield the port."""
    import uvicorn

    port = _free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, http="h11", lifespan="off", log_level="critical")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    _wait_for(port)
    try:
        yield port
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@contextmanager
def werkzeug_server(app: Any) -> Iterator[int]:
    """Run ``app`` under a real werkzeug server on a free loopback port, in a thread; yield the port."""
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield int(server.server_port)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_for(port: int, deadline: float = 15.0) -> None:
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.02)  # polling the port, not waiting for an outcome
    raise RuntimeError(f"the server did not listen on port {port} within {deadline:g} s")


def middlewares(recorder: Recorder, **options: Any) -> tuple[Any, Any]:
    """Return (the ASGI middleware, the WSGI middleware), both around a recording app, with ``options``."""
    options.setdefault("metrics", False)
    spec = attack_spec()
    return (
        ContractValidationMiddleware(asgi_app(recorder), spec=spec, **options),
        WSGIContractValidationMiddleware(wsgi_app(recorder), spec=spec, **options),
    )
