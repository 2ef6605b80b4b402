"""The problem+json writer: the same document as ``json.dumps(problem(...))``, for any string a message can hold."""

from __future__ import annotations

import json

import pytest

from contractkit.runtime._core import RequestError
from contractkit.runtime.problem import problem, problem_json

AWKWARD = [
    pytest.param("plain", id="plain"),
    pytest.param('"quoted" and \\backslash\\', id="quotes-backslashes"),
    pytest.param("line\nbreak\ttab\x00nul\x1f", id="control-characters"),
    pytest.param("Straße, 東京, émoji 😀", id="non-ascii"),
    pytest.param("lone \ud800 surrogate", id="lone-surrogate"),
    pytest.param("</script><!--", id="markup"),
    pytest.param("", id="empty"),
]


@pytest.mark.parametrize("text", AWKWARD)
@pytest.mark.parametrize("status", [400, 401, 415, 500, 499])
def test_problem_json_is_the_problem_document(text: str, status: int) -> None:
    errors = [RequestError(f"body#/{text}", text), RequestError("query.limit", "0 is less than the minimum of 1")]
    written = problem_json(status, errors, detail=text, instance=f"/orders/{text}")
    written.decode("ascii")  # ASCII only: valid UTF-8 whatever the message held
    expected = problem(status, errors, detail=text, instance=f"/orders/{text}")
    assert json.loads(written) == expected
    assert list(json.loads(written)) == list(expected)  # the members in the documented order


def test_no_errors_is_an_empty_list() -> None:
    assert json.loads(problem_json(404, [], detail="d", instance="/x"))["errors"] == []
