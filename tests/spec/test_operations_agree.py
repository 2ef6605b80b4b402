"""The middleware's router, the fuzzer and the breaking engine see the same operations at the same full paths.

Each reads a contract its own way (the runtime an inlined dict, the fuzzer a bundle, breaking a document), but all
enumerate operations through `spec.walk` and find base paths through `spec.servers` (issue 16). Before, the same
request could be routed differently: the fuzzer sent a templated server's operations to the root while the
middleware routed them under the variables' defaults.
"""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

from contractkit.breaking.openapi.operations import keyed_operations
from contractkit.fuzz.operations import list_operations
from contractkit.fuzz.spec import load_fuzz_spec
from contractkit.loaders import FileStore, open_document
from contractkit.runtime import RequestValidator

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT.parent / "shared" / "corpus" / "openapi"
TEMPLATE = re.compile(r"\{[^}/]*\}")

TEMPLATED_SERVER = """
openapi: 3.1.0
info: {title: t, version: "1"}
servers:
  - url: https://{region}.api.example.com/{version}
    variables:
      region: {default: eu, enum: [eu, us]}
      version: {default: v2, enum: [v1, v2]}
  - url: orders-api
paths:
  /orders:
    get: {responses: {"200": {description: ok}}}
    post: {responses: {"201": {description: ok}}}
  /orders/{id}:
    parameters: [{name: id, in: path, required: true, schema: {type: string}}]
    delete: {responses: {"204": {description: ok}}}
  /orders/{id}/notes: {}
  x-internal:
    get: {responses: {"200": {description: ok}}}
webhooks:
  orderShipped:
    post: {responses: {"200": {description: ok}}}
"""


def _contracts() -> list[object]:
    found: list[object] = [
        pytest.param(path, id=path.parent.name) for path in sorted((ROOT / "contracts").glob("*/openapi.yaml"))
    ]
    for name in ("museum.yaml", "twilio_taskrouter_v1.yaml"):
        path = CORPUS / name
        marks = pytest.mark.skipif(not path.is_file(), reason="the shared corpus is absent")
        found.append(pytest.param(path, id=f"corpus-{name}", marks=marks))
    found.append(pytest.param(None, id="templated-server"))
    return found


@pytest.mark.parametrize("contract", _contracts())
def test_router_fuzzer_and_breaking_see_the_same_operations(tmp_path: Path, contract: Path | None) -> None:
    if contract is None:
        contract = tmp_path / "openapi.yaml"
        contract.write_text(textwrap.dedent(TEMPLATED_SERVER))
    fuzz = load_fuzz_spec(contract)
    fuzzed = {
        (label.split(" ", 1)[0], TEMPLATE.sub("{}", fuzz.base_path + label.split(" ", 1)[1]))
        for label, _ in list_operations(fuzz.document)
    }
    keyed = keyed_operations(open_document(contract, store=FileStore()))
    diffed = {(method.upper(), path) for (method, path), k in keyed.items() if not k.operation.webhook}
    router = RequestValidator.from_spec(contract).spec
    routed = set()
    # The routes under the first server's base path, the one the fuzzer sends to.
    static, templated = next((s, t) for base, s, t in router.tables if base == fuzz.base_path)
    for entry in [*static.values(), *(e for entries in templated.values() for e in entries)]:
        for method in entry.operations:
            # The router strips each base path; the fuzzer sends under the first: it must be one of them.
            assert fuzz.base_path in router.bases
            concrete = fuzz.base_path + TEMPLATE.sub("zz9", entry.template)
            matched = router.match(concrete)
            assert matched is not None and matched[0] is entry, concrete
            routed.add((method, TEMPLATE.sub("{}", fuzz.base_path + entry.template)))
    assert routed == fuzzed == diffed
    assert routed


@pytest.mark.parametrize(
    ("path", "template"),
    [
        pytest.param("/v2/orders", "/orders", id="defaults"),
        pytest.param("/v1/orders/7", "/orders/{id}", id="enum-value"),
        pytest.param("/orders-api/orders", "/orders", id="relative-server-url"),
        pytest.param("/orders", None, id="not-at-the-root"),
        pytest.param("/v2/orders/7/notes", None, id="path-item-without-operations"),
        pytest.param("/v2/x-internal", None, id="paths-extension"),
    ],
)
def test_templated_server_routes(tmp_path: Path, path: str, template: str | None) -> None:
    contract = tmp_path / "openapi.yaml"
    contract.write_text(textwrap.dedent(TEMPLATED_SERVER))
    matched = RequestValidator.from_spec(contract).spec.match(path)
    assert (matched[0].template if matched is not None else None) == template
