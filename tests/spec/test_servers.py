"""`spec.servers`: the one rule that turns a document's `servers` into base paths (issue 16)."""

from __future__ import annotations

from typing import Any

import pytest

from contractkit.spec.servers import MAX_COMBINATIONS, base_path, base_paths

ENV = {"env": {"default": "prod", "enum": ["prod", "stage"]}}


@pytest.mark.parametrize(
    ("servers", "expected"),
    [
        pytest.param(None, ("",), id="no-servers-is-the-root"),
        pytest.param([], ("",), id="empty-servers-is-the-root"),
        pytest.param("https://x", ("",), id="servers-not-a-list-is-the-root"),
        pytest.param([{"url": "https://api.example.com"}], ("",), id="host-only"),
        pytest.param([{"url": "https://api.example.com/"}], ("",), id="host-and-slash"),
        pytest.param([{"url": "https://api.example.com/b2b/v1/"}], ("/b2b/v1",), id="absolute-trailing-slash-dropped"),
        pytest.param([{"url": "https://api.example.com/v1?x=1#top"}], ("/v1",), id="query-and-fragment-dropped"),
        pytest.param([{"url": "/v1"}], ("/v1",), id="relative-absolute-path"),
        pytest.param([{"url": "v1"}], ("/v1",), id="relative-path-resolved-against-root"),
        pytest.param([{"url": "./v1/"}], ("/v1",), id="dot-relative"),
        pytest.param([{"url": "//cdn.example.com/v1"}], ("/v1",), id="network-path-reference"),
        pytest.param([{"url": ""}], ("",), id="empty-url"),
        pytest.param([{}], ("",), id="no-url"),
        pytest.param(["https://x/v1"], ("",), id="server-not-an-object"),
        pytest.param(
            [{"url": "https://a.example.com/v1"}, {"url": "https://b.example.com/v1"}, {"url": "/v2"}],
            ("/v1", "/v2"),
            id="every-server-in-order-duplicates-dropped",
        ),
        pytest.param(
            [{"url": "https://{region}.example.com/v1", "variables": {"region": {"default": "eu"}}}],
            ("/v1",),
            id="host-variable-changes-no-path",
        ),
        pytest.param(
            [{"url": "https://x/{version}", "variables": {"version": {"default": "v2", "enum": ["v1", "v2", "v3"]}}}],
            ("/v2", "/v1", "/v3"),
            id="path-variable-default-then-enum",
        ),
        pytest.param(
            [
                {
                    "url": "{scheme}://x/{env}/{version}",
                    "variables": {**ENV, "scheme": {"default": "https"}, "version": {"default": 1, "enum": [1, 2]}},
                }
            ],
            ("/prod/1", "/prod/2", "/stage/1", "/stage/2"),
            id="every-combination-numbers-as-text",
        ),
        pytest.param(
            [{"url": "https://x{basePath}", "variables": {"basePath": {"default": "/api/v3"}}}],
            ("/api/v3",),
            id="variable-holding-the-whole-path",
        ),
        pytest.param(
            [{"url": "https://x/{version}", "variables": {"version": {"enum": ["v1"]}}}],
            ("/v1",),
            id="no-default-takes-the-enum",
        ),
        pytest.param([{"url": "https://x/{version}"}], ("/{version}",), id="undeclared-variable-stays-as-written"),
        pytest.param(
            [{"url": "https://x/{v}", "variables": {"v": {"default": True}}}], ("/{v}",), id="boolean-is-no-value"
        ),
    ],
)
def test_base_paths(servers: Any, expected: tuple[str, ...]) -> None:
    document: dict[str, Any] = {"openapi": "3.1.0"}
    if servers is not None:
        document["servers"] = servers
    assert base_paths(document) == expected
    assert base_path(document) == expected[0]


def test_combinations_are_capped() -> None:
    variables = {name: {"default": "a", "enum": ["a", "b", "c"]} for name in "pqrst"}  # 243 combinations
    document = {"servers": [{"url": "/{p}/{q}/{r}/{s}/{t}", "variables": variables}]}
    found = base_paths(document)
    assert (len(found), found[0]) == (MAX_COMBINATIONS, "/a/a/a/a/a")
