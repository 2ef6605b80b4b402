"""The problem+json writer: the same document as ``json.dumps(problem(...))``, for any string a message can hold."""

from __future__ import annotations

import json
from typing import Any

import pytest

from contractkit.runtime._core import RequestError, ValidationResult
from contractkit.runtime.problem import internal_error, problem, problem_json, render_problem, too_large

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


def _house_problem() -> Any:
    """The house Problem schema (contracts/common/problem.yaml), with formats asserted."""
    import jsonschema
    import yaml

    from ._specs import ROOT

    schemas = yaml.safe_load((ROOT / "contracts" / "common" / "problem.yaml").read_text(encoding="utf-8"))
    schema = {**schemas["Problem"], "$defs": {"ProblemError": schemas["ProblemError"]}}
    schema = json.loads(json.dumps(schema).replace("#/ProblemError", "#/$defs/ProblemError"))
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


HOSTILE_PATHS = [
    pytest.param("/b2b/v1/orders", id="plain"),
    pytest.param("/b2b/v1/bestellungen/straße/東京", id="non-ascii"),
    pytest.param("/b2b/v1/" + "\U0001f600" * 5000, id="5000-emoji"),
    pytest.param('/b2b/v1/a b<c>"d"%{|}', id="characters-a-uri-cannot-hold"),
    pytest.param("/b2b/v1/x\n\r\x00y", id="control-characters"),
]


@pytest.mark.parametrize("path", HOSTILE_PATHS)
@pytest.mark.parametrize(
    "result",
    [
        pytest.param(ValidationResult(400, [RequestError("body#/" + "k" * 2000, "m" * 5000)] * 60), id="400-long"),
        pytest.param(ValidationResult(401, [RequestError("security", "a credential is required")]), id="401"),
        pytest.param(ValidationResult(404, [RequestError("path", "no operation matches")]), id="404"),
        pytest.param(ValidationResult(405, [], allow=("GET", "HEAD")), id="405"),
        pytest.param(too_large(1024), id="413"),
        pytest.param(ValidationResult(415, [RequestError("header.content-type", "`x` is not accepted")]), id="415"),
    ],
)
def test_the_default_problem_is_a_house_problem(path: str, result: ValidationResult) -> None:
    """What the middleware answers by default validates against contracts/common/problem.yaml's Problem."""
    response = render_problem(result, path)
    document = json.loads(response.body)
    errors = sorted(_house_problem().iter_errors(document), key=str)
    assert not errors, [e.message[:200] for e in errors]


def test_an_internal_error_is_a_house_problem() -> None:
    assert not list(_house_problem().iter_errors(json.loads(internal_error("/b2b/v1/é\n").body)))
