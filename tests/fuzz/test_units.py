"""The pure parts of contractkit.fuzz: options, operation selection, base URL, curl lines, reports."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from contractkit.errors import UsageError
from contractkit.fuzz import FailedCheck, FuzzResult, OperationRun, RunError, render_junit, render_markdown
from contractkit.fuzz.curl import render_curl
from contractkit.fuzz.operations import select_operations
from contractkit.fuzz.options import DEFAULT_CHECKS, KNOWN_CHECKS, FuzzOptions, parse_checks, parse_header
from contractkit.fuzz.report import render_text
from contractkit.fuzz.spec import FuzzSpec, resolve_base_url

DOC = {
    "paths": {
        "/orders": {"get": {"operationId": "listOrders"}, "post": {"operationId": "createOrder"}},
        "/orders/{id}": {"parameters": [], "get": {}},
    }
}


@pytest.mark.parametrize(
    ("include", "exclude", "expected"),
    [
        pytest.param((), (), ["GET /orders", "POST /orders", "GET /orders/{id}"], id="all"),
        pytest.param(("createOrder",), (), ["POST /orders"], id="by-operation-id"),
        pytest.param(("get /orders/{id}",), (), ["GET /orders/{id}"], id="by-method-and-path"),
        pytest.param((), ("listOrders", "POST /orders"), ["GET /orders/{id}"], id="exclude"),
    ],
)
def test_select_operations(include: tuple[str, ...], exclude: tuple[str, ...], expected: list[str]) -> None:
    assert select_operations(DOC, include, exclude) == expected


@pytest.mark.parametrize(
    ("include", "exclude", "message"),
    [
        pytest.param(("deleteOrder",), (), "matches no operation", id="unknown"),
        pytest.param(("listOrders",), ("listOrders",), "no operation left", id="nothing-left"),
    ],
)
def test_select_operations_errors(include: tuple[str, ...], exclude: tuple[str, ...], message: str) -> None:
    with pytest.raises(UsageError, match=message):
        select_operations(DOC, include, exclude)


SPEC = FuzzSpec(name="x", path=Path("x.yaml"), document={}, base_path="/b2b/v1")


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        pytest.param("http://127.0.0.1:8080", "http://127.0.0.1:8080/b2b/v1", id="bare-gets-server-path"),
        pytest.param("http://127.0.0.1:8080/", "http://127.0.0.1:8080", id="slash-means-root"),
        pytest.param("http://h:1/api/", "http://h:1/api", id="explicit-path-kept"),
        pytest.param("https://h/b2b/v1?x=1", "https://h/b2b/v1", id="query-dropped"),
    ],
)
def test_resolve_base_url(given: str, expected: str) -> None:
    assert resolve_base_url(given, SPEC) == expected


@pytest.mark.parametrize("given", ["127.0.0.1:8080", "ftp://h/x", "http://"])
def test_resolve_base_url_rejects_non_http(given: str) -> None:
    with pytest.raises(UsageError, match="not an http"):
        resolve_base_url(given, SPEC)


@pytest.mark.parametrize(
    ("headers", "body", "secret", "expected"),
    [
        pytest.param({}, None, (), "curl -X GET http://h/a", id="bare"),
        pytest.param(
            {"User-Agent": "x", "Accept": "*/*", "X-Schemathesis-TestCaseId": "1", "X-A": "b c"},
            None,
            (),
            "curl -X GET http://h/a -H 'X-A: b c'",
            id="client-noise-dropped",
        ),
        pytest.param({"Authorization": "Bearer t", "X-Key": "k"}, None, ("x-key",), None, id="secrets-masked"),
        pytest.param(
            {}, b'{"a": "it\'s"}', (), 'curl -X GET http://h/a --data-binary \'{"a": "it\'"\'"\'s"}\'', id="q"
        ),
        pytest.param({}, b"\xff\x00'", (), "curl -X GET http://h/a --data-binary $'\\xff\\x00\\''", id="binary-body"),
    ],
)
def test_render_curl(
    headers: dict[str, str], body: bytes | None, secret: tuple[str, ...], expected: str | None
) -> None:
    line = render_curl("get", "http://h/a", headers, body, secret_headers=secret)
    if expected is None:
        assert line == "curl -X GET http://h/a -H 'Authorization: ***' -H 'X-Key: ***'"
    else:
        assert line == expected
    assert "\n" not in line


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        pytest.param(["not_a_server_error"], ("not_a_server_error",), id="one"),
        pytest.param(["not_a_server_error,ignored_auth"], ("not_a_server_error", "ignored_auth"), id="csv"),
        pytest.param(["all"], KNOWN_CHECKS, id="all"),
    ],
)
def test_parse_checks(values: list[str], expected: tuple[str, ...]) -> None:
    assert parse_checks(values) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param("Authorization: Bearer a:b", ("Authorization", "Bearer a:b"), id="colon-in-value"),
        pytest.param("X-Empty:", ("X-Empty", ""), id="empty-value"),
    ],
)
def test_parse_header(value: str, expected: tuple[str, str]) -> None:
    assert parse_header(value) == expected


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        pytest.param({"checks": ("nope",)}, "unknown check", id="check"),
        pytest.param({"phases": ("warmup",)}, "unknown phase", id="phase"),
        pytest.param({"time_budget": 0.0}, "--time-budget must be a positive", id="budget"),
        pytest.param({"workers": 0}, "--workers must be at least 1", id="workers"),
    ],
)
def test_options_are_checked(changes: dict[str, object], message: str) -> None:
    with pytest.raises(UsageError, match=message):
        FuzzOptions(**changes)  # type: ignore[arg-type]


def _result(**changes: object) -> FuzzResult:
    base: dict[str, object] = {
        "contract": "b2b-orders",
        "base_url": "http://127.0.0.1:1/b2b/v1",
        "seed": 5,
        "checks": DEFAULT_CHECKS,
        "operations": (OperationRun("GET /orders", 12, 1), OperationRun("POST /orders", 0, 0, skipped="no data")),
        "failures": (
            FailedCheck("GET /orders", "not_a_server_error", "Server error", "boom <&>", "curl -X GET 'x'", 500, 3),
        ),
        "errors": (RunError("POST /orders", "Schema Error", "unsatisfiable"),),
        "stop": "time-budget",
        "elapsed": 1.5,
        "time_budget": 2.0,
        "max_examples": 10,
    }
    base.update(changes)
    return FuzzResult(**base)  # type: ignore[arg-type]


def test_reports_carry_counts_failures_errors_and_the_stop() -> None:
    result = _result()
    assert not result.ok
    text = render_text(result)
    assert "1. GET /orders: not_a_server_error failed (status 500)" in text
    assert "curl -X GET 'x'" in text
    assert "the time budget of 2 s was spent" in text
    assert "(not tested: no data)" in text
    assert text.rstrip().endswith("(seed 5)")
    markdown = render_markdown(result)
    assert "| `GET /orders` | 12 | 1 |  |" in markdown
    assert "| **total** | 12 | 1 | |" in markdown
    assert "seen 3 times" in markdown
    suite = ET.fromstring(render_junit(result))
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors"), suite.get("skipped")) == (
        "2",
        "1",
        "1",
        "1",
    )
    failure = suite.find("testcase/failure")
    assert failure is not None
    assert failure.get("type") == "not_a_server_error"
    assert "boom <&>" in (failure.text or "")


def test_a_clean_result_is_ok() -> None:
    result = _result(failures=(), errors=(), stop="completed")
    assert result.ok
    assert "fuzz passed: 12 requests, 2 operations, 0 failed checks" in render_text(result)
