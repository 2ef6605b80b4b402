"""The fuzzer sends an operation with its own `servers` (or its path item's) under their base path (issue 16)."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import pytest

from contractkit.errors import UsageError
from contractkit.fuzz.options import FuzzOptions
from contractkit.fuzz.runner import run_fuzz
from contractkit.fuzz.spec import load_fuzz_spec

CONTRACT = """
openapi: 3.1.0
info: {title: t, version: "1"}
servers: [{url: https://api.example.com/v1}]
paths:
  /orders:
    get: {responses: {"200": {description: ok}}}
  /reports:
    servers: [{url: /r2}]
    get: {responses: {"200": {description: ok}}}
"""


class Recorder:
    """An ASGI app that answers 200 to anything and records the paths it was sent."""

    def __init__(self) -> None:
        self.paths: set[str] = set()

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        self.paths.add(scope["path"])
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]})
        await send({"type": "http.response.body", "body": b""})


@pytest.mark.parametrize(
    ("include", "sent"),
    [
        pytest.param(("GET /orders",), "/v1/orders", id="document-server"),
        pytest.param(("GET /reports",), "/r2/reports", id="path-item-server"),
    ],
)
def test_in_process_run_sends_under_the_operations_base(tmp_path: Path, include: tuple[str, ...], sent: str) -> None:
    contract = tmp_path / "openapi.yaml"
    contract.write_text(textwrap.dedent(CONTRACT))
    app = Recorder()
    options = FuzzOptions(checks=("not_a_server_error",), phases=("fuzzing",), max_examples=3, seed=1, include=include)
    result = run_fuzz(load_fuzz_spec(contract), None, options, app=app)
    assert app.paths == {sent}
    assert result.operations[0].requests > 0


def test_a_run_across_base_paths_is_refused(tmp_path: Path) -> None:
    contract = tmp_path / "openapi.yaml"
    contract.write_text(textwrap.dedent(CONTRACT))
    with pytest.raises(UsageError, match=r"`GET /reports` under `/r2` \(its path item's `servers`\)"):
        run_fuzz(load_fuzz_spec(contract), None, FuzzOptions(max_examples=1, seed=1), app=Recorder())
