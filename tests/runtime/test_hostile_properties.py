"""Property tests: generated hostile input is a 4xx or a validated request, never an unvalidated one, never a 5xx.

Hypothesis builds JSON bodies (deep nesting, integers of thousands of digits, numbers beyond the float range, odd
Unicode and surrogate escapes, duplicate keys, BOMs, cut-off texts) and query strings (percent-encoded bytes,
repeated names, brackets), and sends them to the ASGI and the WSGI middleware in-process with ``on_error="pass"``:
a request that raised inside validation would reach the app without a verdict. Seeded (``derandomize``) and
bounded in count.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.examples_budget import examples

from ._attacks import BEARER, Attack, Recorder, middlewares, send_asgi, send_wsgi

SETTINGS = settings(
    max_examples=examples(250),
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
ANSWERS = {200, 400, 413, 415}

_odd_text = st.text(
    alphabet=st.one_of(
        st.characters(codec="utf-8"),
        st.sampled_from(["\u0000", "\n", "\u2028", "\ufeff", "\U0001f44d", "\u0301", "\\", '"']),
    ),
    max_size=12,
)
_numbers = st.one_of(
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.integers(min_value=4200, max_value=4400).map(lambda n: "9" * n),
    st.sampled_from(["1e400", "-1e400", "1e-400", "-0", "0.0", "1E+308", "1.5e308", "4.9e-324", "1" * 330 + ".0"]),
)
_tokens = st.sampled_from(["NaN", "Infinity", "-Infinity", '"\\ud800"', '"\\udc00x"', '"\\ud83d\\udc4d"', "01"])


@st.composite
def _json_text(draw: st.DrawFn, depth: int = 0) -> str:
    """A JSON-ish text: mostly valid, sometimes holding a token or number no validator can judge."""
    kind = draw(st.integers(0, 6 if depth < 3 else 3))
    if kind == 0:
        return draw(_numbers)
    if kind == 1:
        return json.dumps(draw(_odd_text), ensure_ascii=draw(st.booleans()))
    if kind == 2:
        return draw(_tokens)
    if kind == 3:
        return draw(st.sampled_from(["true", "false", "null"]))
    if kind == 4:
        items = draw(st.lists(_json_text(depth + 1), max_size=4))
        return "[" + ",".join(items) + "]"
    if kind == 5:
        keys = draw(st.lists(st.sampled_from(["sku", "quantity", "limit", "note", "tree", "x", "\\ud800"]), max_size=5))
        members = [f'"{key}": {draw(_json_text(depth + 1))}' for key in keys]
        return "{" + ",".join(members) + "}"
    nest = draw(st.integers(1, 1200))
    return "[" * nest + draw(_json_text(depth + 1)) + "]" * nest


@st.composite
def _body(draw: st.DrawFn) -> bytes:
    fields = {
        "sku": draw(st.one_of(st.just('"abc"'), _json_text())),
        "quantity": draw(st.one_of(st.integers(1, 100).map(str), _json_text())),
    }
    for extra in draw(st.lists(st.sampled_from(["limit", "note", "tree", "quantity"]), max_size=3)):
        fields_text = draw(_json_text())
        fields[extra + (" " if extra in fields and draw(st.booleans()) else "")] = fields_text
    text = "{" + ",".join(f'"{key.strip()}": {value}' for key, value in fields.items()) + "}"
    if draw(st.integers(0, 4)) == 0:
        text = draw(_json_text())  # not even an object
    data = text.encode("utf-8", "surrogatepass")
    if draw(st.integers(0, 9)) == 0:
        data = b"\xef\xbb\xbf" + data
    if draw(st.integers(0, 9)) == 0:
        data = data[: draw(st.integers(0, len(data)))]
    return data


_query_piece = st.one_of(
    st.sampled_from(["limit", "ids", "tag", "filter[min]", "filter%5Bmin%5D", "where", "%6Cimit", "lim%00it"]),
    st.text(alphabet="abc[]%=&+;,0123456789", max_size=8),
)
_query_value = st.one_of(
    _numbers,
    st.binary(max_size=6).map(lambda b: "".join(f"%{byte:02X}" for byte in b)),
    st.text(alphabet='0123456789,.-+%ABCDEF[]{}":', max_size=12),
)


@st.composite
def _query(draw: st.DrawFn) -> str:
    pairs = draw(st.lists(st.tuples(_query_piece, _query_value), max_size=6))
    return "&".join(f"{name}={value}" for name, value in pairs)


@pytest.fixture(scope="module")
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture(scope="module")
def apps(recorder: Recorder) -> tuple[Any, Any]:
    return middlewares(recorder, on_error="pass")


def _check(apps: tuple[Any, Any], recorder: Recorder, attack: Attack) -> None:
    for outcome in (send_asgi(apps[0], recorder, attack), send_wsgi(apps[1], recorder, attack)):
        assert outcome.status in ANSWERS, f"{outcome.status} for {attack.body[:200]!r} {attack.target[:200]}"
        assert outcome.unvalidated == 0, "the app was reached without a verdict"
        assert outcome.mismatched == 0, "the app parsed another body than the one validated"
        if outcome.status != 200:
            assert outcome.reached == 0


@SETTINGS
@given(body=_body())
def test_hostile_json_bodies(apps: tuple[Any, Any], recorder: Recorder, body: bytes) -> None:
    _check(apps, recorder, Attack("POST", "/api/orders", (BEARER, (b"content-type", b"application/json")), body))


@SETTINGS
@given(query=_query())
def test_hostile_query_strings(apps: tuple[Any, Any], recorder: Recorder, query: str) -> None:
    _check(apps, recorder, Attack("GET", f"/api/orders?{query}", (BEARER,)))


@SETTINGS
@given(value=_json_text())
def test_hostile_content_parameters(apps: tuple[Any, Any], recorder: Recorder, value: str) -> None:
    encoded = "".join(f"%{byte:02X}" for byte in value.encode("utf-8", "surrogatepass"))
    _check(apps, recorder, Attack("GET", f"/api/orders?where={encoded}", (BEARER,)))


def test_the_generators_reach_both_verdicts(apps: tuple[Any, Any], recorder: Recorder) -> None:
    """The property tests are not vacuous: their inputs include valid requests and refused ones."""
    seen: set[int] = set()

    @settings(max_examples=examples(150), derandomize=True, database=None, deadline=None)
    @given(body=_body())
    def probe(body: bytes) -> None:
        attack = Attack("POST", "/api/orders", (BEARER, (b"content-type", b"application/json")), body)
        seen.add(send_asgi(apps[0], recorder, attack).status)

    probe()
    assert {200, 400} <= seen
