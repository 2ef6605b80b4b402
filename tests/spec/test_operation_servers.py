"""`servers` on a path item or an operation: one rule (`spec.servers.operation_base_paths`), every tool (issue 16).

An operation is served under the base paths of its own `servers` if it has a non-empty list, else its path item's,
else the document's. The middleware routes each operation under its own base paths, the fuzzer sends it under
its first one, and the breaking engine keys it by its first one.
"""

from __future__ import annotations

import re
import textwrap
from pathlib import Path
from typing import Any

import httpx
import pytest

from contractkit.breaking.openapi.operations import keyed_operations
from contractkit.errors import UsageError
from contractkit.fuzz.operations import list_operations, operation_bases, run_base_path
from contractkit.fuzz.spec import load_fuzz_spec, resolve_base_url
from contractkit.loaders import FileStore, open_document
from contractkit.middleware import ContractValidationMiddleware
from contractkit.runtime import RequestValidator
from contractkit.spec.servers import operation_base_path, operation_base_paths, servers_owner

TEMPLATE = re.compile(r"\{[^}/]*\}")
DOC = {"servers": [{"url": "https://api.example.com/v1"}, {"url": "/legacy"}]}
VERSIONED = {
    "url": "https://reports.example.com/{version}",
    "variables": {"version": {"default": "r2", "enum": ["r1", "r2"]}},
}


@pytest.mark.parametrize(
    ("document", "path_item", "operation", "expected"),
    [
        pytest.param(DOC, {}, {}, ("/v1", "/legacy"), id="document-servers"),
        pytest.param({}, {}, {}, ("",), id="no-servers-anywhere-is-the-root"),
        pytest.param(DOC, {"servers": [{"url": "/v2"}]}, {}, ("/v2",), id="path-item-replaces-document"),
        pytest.param(
            DOC, {"servers": [{"url": "/v2"}]}, {"servers": [{"url": "/v3"}]}, ("/v3",), id="operation-replaces-both"
        ),
        pytest.param(DOC, {}, {"servers": [{"url": "https://x/v3/"}]}, ("/v3",), id="operation-replaces-document"),
        pytest.param(DOC, {"servers": []}, {}, ("/v1", "/legacy"), id="empty-path-item-list-falls-back"),
        pytest.param(
            DOC, {"servers": [{"url": "/v2"}]}, {"servers": []}, ("/v2",), id="empty-operation-list-falls-back"
        ),
        pytest.param(DOC, {"servers": "/v2"}, {}, ("/v1", "/legacy"), id="not-a-list-falls-back"),
        pytest.param(DOC, {"servers": [VERSIONED]}, {}, ("/r2", "/r1"), id="variables-default-then-enum"),
        pytest.param(DOC, {"servers": [{"url": "v2"}]}, {}, ("/v2",), id="relative-url-against-root-not-document"),
        pytest.param(DOC, {"servers": [{"url": "https://x"}]}, {}, ("",), id="path-item-at-the-root"),
        pytest.param(
            DOC,
            {"servers": [{"url": "/v2"}, {"url": "https://x/v2"}, {"url": "/v2b"}]},
            {},
            ("/v2", "/v2b"),
            id="every-server-duplicates-dropped",
        ),
        pytest.param(DOC, None, {"servers": [{"url": "/v3"}]}, ("/v3",), id="path-item-not-an-object"),
    ],
)
def test_operation_base_paths(document: Any, path_item: Any, operation: Any, expected: tuple[str, ...]) -> None:
    assert operation_base_paths(document, path_item, operation) == expected
    assert operation_base_path(document, path_item, operation) == expected[0]


CONTRACT = """
openapi: {version}
info: {{title: t, version: "1"}}
servers:
  - url: https://api.example.com/v1
paths:
  /orders:
    get: {{responses: {{"200": {{description: ok}}}}}}
    post:
      servers: [{{url: /v3}}]
      responses: {{"200": {{description: ok}}}}
  /reports/{{id}}:
    servers:
      - url: https://reports.example.com/{{version}}
        variables: {{version: {{default: r2, enum: [r1, r2]}}}}
    parameters: [{{name: id, in: path, required: true, schema: {{type: string}}}}]
    get: {{responses: {{"200": {{description: ok}}}}}}
  /items:
    servers: []
    get: {{responses: {{"200": {{description: ok}}}}}}
"""
VERSIONS = ["3.0.3", "3.1.0"]


def _contract(tmp_path: Path, version: str) -> Path:
    path = tmp_path / "openapi.yaml"
    path.write_text(textwrap.dedent(CONTRACT.format(version=version)))
    return path


ROUTES = [
    pytest.param("GET", "/v1/orders", 200, id="document-server"),
    pytest.param("POST", "/v3/orders", 200, id="operation-server"),
    pytest.param("POST", "/v1/orders", 405, id="operation-not-under-the-document-base"),
    pytest.param("GET", "/v3/orders", 405, id="sibling-not-under-the-operation-base"),
    pytest.param("GET", "/r2/reports/7", 200, id="path-item-server-default"),
    pytest.param("GET", "/r1/reports/7", 200, id="path-item-server-enum-value"),
    pytest.param("GET", "/v1/reports/7", 404, id="path-item-not-under-the-document-base"),
    pytest.param("GET", "/reports/7", 404, id="path-item-not-at-the-root"),
    pytest.param("GET", "/v1/items", 200, id="empty-path-item-servers-fall-back"),
    pytest.param("GET", "/r2/items", 404, id="fallback-not-under-another-path-item-base"),
]


async def _ok(scope: Any, receive: Any, send: Any) -> None:
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]})
    await send({"type": "http.response.body", "body": b"ok"})


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.mark.anyio
@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize(("method", "path", "status"), ROUTES)
async def test_middleware_routes_each_operation_under_its_servers(
    tmp_path: Path, version: str, method: str, path: str, status: int
) -> None:
    app = ContractValidationMiddleware(_ok, spec=_contract(tmp_path, version), metrics=False)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as client:
        response = await client.request(method, path)
    assert response.status_code == status, response.text


def test_the_405_allows_only_the_methods_served_under_that_base(tmp_path: Path) -> None:
    validator = RequestValidator.from_spec(_contract(tmp_path, "3.1.0"))
    assert validator.route("POST", "/v1/orders").allow == ("GET", "HEAD")  # type: ignore[union-attr]
    assert validator.route("GET", "/v3/orders").allow == ("POST",)  # type: ignore[union-attr]


def test_the_404_names_every_base_path(tmp_path: Path) -> None:
    verdict = RequestValidator.from_spec(_contract(tmp_path, "3.1.0")).route("GET", "/elsewhere/orders")
    assert not isinstance(verdict, tuple)
    assert "`/v1`" in verdict.errors[0].message and "`/r2`" in verdict.errors[0].message


@pytest.mark.parametrize(
    ("operations", "expected"),
    [
        pytest.param(["GET /orders"], "/v1", id="document-server"),
        pytest.param(["POST /orders"], "/v3", id="operation-server"),
        pytest.param(["GET /reports/{id}"], "/r2", id="path-item-server-default"),
        pytest.param(["GET /items"], "/v1", id="empty-servers-fall-back"),
        pytest.param(["GET /orders", "GET /items"], "/v1", id="one-base-for-the-run"),
    ],
)
def test_fuzzer_sends_each_operation_under_its_first_base(tmp_path: Path, operations: list[str], expected: str) -> None:
    spec = load_fuzz_spec(_contract(tmp_path, "3.1.0"))
    assert run_base_path(spec.document, operations) == expected
    assert resolve_base_url("http://127.0.0.1:8080", spec, operations) == "http://127.0.0.1:8080" + expected
    assert resolve_base_url("http://127.0.0.1:8080/mounted", spec, operations) == "http://127.0.0.1:8080/mounted"


@pytest.mark.parametrize(
    ("operations", "named"),
    [
        pytest.param(None, "`POST /orders` under `/v3` (its own `servers`)", id="whole-contract"),
        pytest.param(
            ["GET /orders", "GET /reports/{id}"],
            "`GET /reports/{id}` under `/r2` (its path item's `servers`)",
            id="two-bases",
        ),
    ],
)
def test_fuzzer_refuses_a_run_across_base_paths(tmp_path: Path, operations: list[str] | None, named: str) -> None:
    spec = load_fuzz_spec(_contract(tmp_path, "3.1.0"))
    with pytest.raises(UsageError) as caught:
        resolve_base_url("http://127.0.0.1:8080", spec, operations)
    assert named in str(caught.value)
    assert "under `/v1` (the document's `servers`)" in str(caught.value)
    assert "--include" in (caught.value.tip or "")


@pytest.mark.parametrize("version", VERSIONS)
def test_router_fuzzer_and_breaking_agree_per_operation(tmp_path: Path, version: str) -> None:
    contract = _contract(tmp_path, version)
    fuzz = load_fuzz_spec(contract)
    bases = operation_bases(fuzz.document)
    fuzzed = {
        (label.split(" ", 1)[0], TEMPLATE.sub("{}", bases[label][0] + label.split(" ", 1)[1]))
        for label, _ in list_operations(fuzz.document)
    }
    keyed = keyed_operations(open_document(contract, store=FileStore()))
    diffed = {(method.upper(), path) for (method, path), k in keyed.items() if not k.operation.webhook}
    validator = RequestValidator.from_spec(contract)
    routed = set()
    for label in bases:
        method, template = label.split(" ", 1)
        concrete = bases[label][0] + TEMPLATE.sub("zz9", template)
        found = validator.operation(method, concrete)
        assert found is not None and found.label == label, concrete
        routed.add((method, TEMPLATE.sub("{}", bases[label][0] + template)))
    assert routed == fuzzed == diffed
    assert len(routed) == 4


@pytest.mark.parametrize("server", ["uvicorn"])
@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        pytest.param("POST", "/v3/orders", 200, id="operation-server"),
        pytest.param("POST", "/v1/orders", 405, id="operation-not-under-the-document-base"),
        pytest.param("GET", "/r1/reports/7", 200, id="path-item-server"),
    ],
)
def test_routes_behind_a_real_server(tmp_path: Path, server: str, method: str, path: str, status: int) -> None:
    from tests.runtime._attacks import uvicorn_server

    app = ContractValidationMiddleware(_ok, spec=_contract(tmp_path, "3.1.0"), metrics=False)
    with uvicorn_server(app) as port:
        response = httpx.request(method, f"http://127.0.0.1:{port}{path}", timeout=10)
    assert response.status_code == status, response.text


@pytest.mark.parametrize(
    ("path_item", "operation", "owner"),
    [
        pytest.param({}, {}, "document", id="neither"),
        pytest.param({"servers": [{"url": "/v2"}]}, {}, "path item", id="path-item"),
        pytest.param({"servers": [{"url": "/v2"}]}, {"servers": [{"url": "/v3"}]}, "operation", id="operation-wins"),
        pytest.param({"servers": [{"url": "/v2"}]}, {"servers": []}, "path item", id="empty-operation-list"),
        pytest.param({"servers": []}, {}, "document", id="empty-path-item-list"),
    ],
)
def test_servers_owner(path_item: Any, operation: Any, owner: str) -> None:
    assert servers_owner(path_item, operation) == owner
