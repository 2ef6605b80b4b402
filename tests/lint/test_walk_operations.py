"""`walk.operations`: which operations a contract has, in which order, and their effective parameters."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from contractkit.loaders import FileStore, open_document
from contractkit.spec.walk import Operation, callback_operations, operations

HEAD = """
openapi: {version}
info:
  title: Orders
  version: 1.0.0
"""


def walk(tmp_path: Path, body: str, *, version: str = "3.1.0", files: dict[str, str] | None = None) -> list[Operation]:
    for name, text in (files or {}).items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(textwrap.dedent(text))
    contract = tmp_path / "contract.yaml"
    contract.write_text(HEAD.format(version=version) + textwrap.dedent(body))
    return list(operations(open_document(contract, store=FileStore())))


@pytest.mark.parametrize(
    ("body", "labels"),
    [
        pytest.param("paths: {}\n", [], id="no-paths"),
        pytest.param(
            """
            paths:
              /orders:
                post: {}
                get: {}
                summary: not an operation
                parameters: []
            """,
            ["GET /orders", "POST /orders"],
            id="methods-in-http-order-not-document-order",
        ),
        pytest.param(
            """
            paths:
              /b:
                delete: {}
              /a:
                trace: {}
                head: {}
                options: {}
                patch: {}
                put: {}
            """,
            ["DELETE /b", "PUT /a", "OPTIONS /a", "HEAD /a", "PATCH /a", "TRACE /a"],
            id="paths-in-document-order",
        ),
        pytest.param(
            """
            webhooks:
              orderShipped:
                post: {}
            paths:
              /orders:
                get: {}
            """,
            ["GET /orders", "POST webhook orderShipped"],
            id="webhooks-after-paths",
        ),
        pytest.param(
            """
            paths:
              /orders:
                get: not an object
                x-get: {}
              /empty:
            """,
            [],
            id="non-objects-and-extensions-skipped",
        ),
    ],
)
def test_operations_labels(tmp_path: Path, body: str, labels: list[str]) -> None:
    assert [op.label for op in walk(tmp_path, body)] == labels


def test_webhook_flag_and_path(tmp_path: Path) -> None:
    (op,) = walk(tmp_path, "webhooks:\n  orderShipped:\n    post:\n      operationId: shipped\n")
    assert (op.method, op.path, op.webhook) == ("post", "orderShipped", True)
    assert op.cursor.raw("operationId") == "shipped"


def test_path_item_ref_is_followed_into_its_file(tmp_path: Path) -> None:
    (op,) = walk(
        tmp_path,
        """
        paths:
          /orders:
            $ref: "common/orders.yaml"
        """,
        files={"common/orders.yaml": "get:\n  operationId: listOrders\n"},
    )
    assert op.label == "GET /orders"
    assert op.cursor.location.file.endswith("common/orders.yaml")
    assert (op.cursor.location.line, op.cursor.location.column) == (1, 1)


Param = tuple[str, str]


@pytest.mark.parametrize(
    ("path_level", "op_level", "expected"),
    [
        pytest.param([], [], [], id="none"),
        pytest.param([("limit", "query")], [], [("limit", "query", "path-item")], id="path-level-only"),
        pytest.param([], [("limit", "query")], [("limit", "query", "operation")], id="operation-level-only"),
        pytest.param(
            [("id", "path"), ("limit", "query")],
            [("limit", "query"), ("trace", "header")],
            [("id", "path", "path-item"), ("limit", "query", "operation"), ("trace", "header", "operation")],
            id="operation-overrides-same-name-and-in",
        ),
        pytest.param(
            [("id", "query")],
            [("id", "header")],
            [("id", "query", "path-item"), ("id", "header", "operation")],
            id="same-name-other-location-keeps-both",
        ),
        # Issue 16: HTTP header names are case-insensitive; the runtime already merged them so, lint and breaking
        # kept both (a header the operation overrides was still diffed and linted as a second parameter).
        pytest.param(
            [("X-Trace", "header")],
            [("x-trace", "header")],
            [("x-trace", "header", "operation")],
            id="header-names-compare-case-insensitively",
        ),
        pytest.param(
            [("Limit", "query")],
            [("limit", "query")],
            [("Limit", "query", "path-item"), ("limit", "query", "operation")],
            id="query-names-are-case-sensitive",
        ),
    ],
)
def test_parameters_merge(
    tmp_path: Path, path_level: list[Param], op_level: list[Param], expected: list[tuple[str, str, str]]
) -> None:
    def params(pairs: list[Param], owner: str, indent: str) -> str:
        lines = [f"{indent}parameters:"] if pairs else []
        lines += [f"{indent}  - {{name: {name}, in: {where}, x-owner: {owner}}}" for name, where in pairs]
        return "".join(line + "\n" for line in lines)

    body = "paths:\n  /orders/{id}:\n" + params(path_level, "path-item", "    ")
    body += "    get:\n" + params(op_level, "operation", "      ") + "      summary: x\n"
    (op,) = walk(tmp_path, body)
    found = [(p.value["name"], p.value["in"], p.value["x-owner"]) for p in op.parameters() if isinstance(p.value, dict)]
    assert found == expected


def test_parameters_follow_refs(tmp_path: Path) -> None:
    (op,) = walk(
        tmp_path,
        """
        paths:
          /orders:
            parameters:
              - $ref: "#/components/parameters/limit"
            get: {}
        components:
          parameters:
            limit:
              name: limit
              in: query
        """,
    )
    (param,) = op.parameters()
    assert param.value == {"name": "limit", "in": "query"}
    assert param.parts == ("components", "parameters", "limit")


def test_paths_extensions_are_not_path_items(tmp_path: Path) -> None:
    ops = walk(tmp_path, "paths:\n  x-internal:\n    get: {}\n  /orders:\n    get: {}\n")
    assert [op.label for op in ops] == ["GET /orders"]


def test_webhooks_are_operations_only_in_3_1(tmp_path: Path) -> None:
    body = "paths: {}\nwebhooks:\n  orderShipped:\n    post: {}\n"
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    assert [op.label for op in walk(tmp_path / "a", body)] == ["POST webhook orderShipped"]
    assert [op.label for op in walk(tmp_path / "b", body, version="3.0.3")] == []


def test_callback_operations(tmp_path: Path) -> None:
    (op,) = walk(
        tmp_path,
        """
        paths:
          /subscriptions:
            post:
              callbacks:
                onEvent:
                  "{$request.body#/url}":
                    post: {}
                    put: {}
                onEnd:
                  "{$request.body#/end}":
                    $ref: "#/components/pathItems/End"
        components:
          pathItems:
            End:
              delete: {}
        """,
    )
    found = [(cb.label, cb.callback, cb.path_item.parts) for cb in callback_operations(op)]
    assert found == [
        (
            "PUT callback onEvent {$request.body#/url}",
            "onEvent",
            ("paths", "/subscriptions", "post", "callbacks", "onEvent", "{$request.body#/url}"),
        ),
        (
            "POST callback onEvent {$request.body#/url}",
            "onEvent",
            ("paths", "/subscriptions", "post", "callbacks", "onEvent", "{$request.body#/url}"),
        ),
        ("DELETE callback onEnd {$request.body#/end}", "onEnd", ("components", "pathItems", "End")),
    ]
