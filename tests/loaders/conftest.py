"""Fixtures for the loader tests: a throw-away HTTP server on the loopback interface."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

_PROXY_VARIABLES = ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY")


@dataclass
class Served:
    """A folder served over HTTP on 127.0.0.1, and the paths that were asked for."""

    url: str
    folder: Path
    requests: list[str] = field(default_factory=list)


@pytest.fixture
def http_server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Served]:
    """Serve ``tmp_path / "served"`` on a free port of 127.0.0.1 (never another interface)."""
    for name in _PROXY_VARIABLES:  # urllib would send even a loopback request through a configured proxy
        monkeypatch.delenv(name, raising=False)
    folder = tmp_path / "served"
    folder.mkdir()
    requests: list[str] = []

    class Handler(SimpleHTTPRequestHandler):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, directory=str(folder), **kwargs)

        def do_GET(self) -> None:
            requests.append(self.path)
            super().do_GET()

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield Served(f"http://127.0.0.1:{server.server_address[1]}", folder, requests)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
        # A socket the test leaked is reported now, in this test, not by some later test's garbage collection.
        gc.collect()
