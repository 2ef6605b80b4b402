from __future__ import annotations

import pytest

from contractkit.codegen.naming import Names, pascal, snake, status_phrase


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("createOrder", "CreateOrder", id="camel"),
        pytest.param("order.created", "OrderCreated", id="dotted"),
        pytest.param("AiItem--Base", "AiItemBase", id="dashes"),
        pytest.param("get_files_id", "GetFilesId", id="snake"),
        pytest.param("HTTPError", "HTTPError", id="acronym-kept"),
        pytest.param("3MF", "N3MF", id="leading-digit"),
        pytest.param("---", "Unnamed", id="no-word"),
    ],
)
def test_pascal(text: str, expected: str) -> None:
    assert pascal(text) == expected


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        pytest.param("404", "NotFound", id="404"),
        pytest.param("422", "UnprocessableEntity", id="422"),
        pytest.param("default", "Error", id="default"),
        pytest.param("4XX", "ClientError", id="range"),
        pytest.param("799", "Status799", id="unknown-code"),
    ],
)
def test_status_phrase(status: str, expected: str) -> None:
    assert status_phrase(status) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("b2b-orders", "b2b_orders", id="dash"),
        pytest.param("trace-headers", "trace_headers", id="file-stem"),
        pytest.param("class", "_class", id="keyword"),
    ],
)
def test_snake(text: str, expected: str) -> None:
    assert snake(text) == expected


def test_claim_prefers_candidates_and_numbers_last() -> None:
    names = Names()
    assert names.claim("a", "Order") == "Order"
    assert names.claim("a", "Order") == "Order"  # the same key gets its name back
    assert names.claim("b", "Order", "OrderSchema") == "OrderSchema"
    assert names.claim("c", "Order", "OrderSchema") == "OrderSchema2"
    assert names.numbered == ["OrderSchema2"]
