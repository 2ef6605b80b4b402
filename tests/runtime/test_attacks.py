"""The attack suite: hostile requests, each a 4xx before the app, never a 5xx, never the app reached.

Every row runs against the ASGI and the WSGI middleware, in-process and behind a real uvicorn (h11) and a real
werkzeug server on 127.0.0.1. The middleware runs with ``on_error="pass"``, the setting that would hand the
request to the app if anything in validation raised: a row passes only if its input is *classified* (a 4xx
verdict), not caught. A real server may refuse a malformed request itself before the middleware sees it
(``server_may``); the app must never be reached either way.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from prometheus_client import CollectorRegistry

from ._attacks import (
    BEARER,
    Attack,
    Outcome,
    Recorder,
    middlewares,
    send_asgi,
    send_socket,
    send_wsgi,
    uvicorn_server,
    werkzeug_server,
)

JSON = (b"content-type", b"application/json")
FORM = (b"content-type", b"application/x-www-form-urlencoded")
BOUNDARY = "attack"
MULTIPART = (b"content-type", f"multipart/form-data; boundary={BOUNDARY}".encode())
BIG = "9" * 5000
MIB = 1 << 20


def order(**fields: Any) -> bytes:
    return json.dumps({"sku": "abc", "quantity": 1, **fields}).encode()


def raw_order(value: str, field: str = "quantity") -> bytes:
    """An order whose ``field`` is the raw JSON text ``value`` (numbers json.dumps would not write)."""
    return ('{"sku": "abc", "quantity": 1, "' + field + '": ' + value + "}").encode()


def nested(depth: int) -> bytes:
    return raw_order("[" * depth + "]" * depth, "note")


def expr(depth: int) -> bytes:
    """A recursive expression every branch of the `Expr` oneOf half-matches: its errors grow 4x per level."""
    text = '"x"'
    for _ in range(depth):
        text = '{"and": [' + text + '], "or": [' + text + "]}"
    return text.encode()


def parts(*items: tuple[str, str | None, bytes]) -> bytes:
    """A multipart body of (name, content type or None, content) parts; the file part is named ``file``."""
    out = b""
    for name, media, content in items:
        disposition = f'form-data; name="{name}"' + ('; filename="a.stl"' if name == "file" else "")
        kind = f"\r\nContent-Type: {media}" if media else ""
        out += f"--{BOUNDARY}\r\nContent-Disposition: {disposition}{kind}\r\n\r\n".encode() + content + b"\r\n"
    return out + f"--{BOUNDARY}--\r\n".encode()


META = ("meta", "application/json", b'{"sku": "abc"}')
STL = ("file", "model/stl", b"solid a")
H = (BEARER,)
HJ = (BEARER, JSON)
ATTACKS = [
    # numbers no validator can judge
    pytest.param(Attack("POST", "/api/orders", HJ, raw_order(BIG)), id="int-5000-digits-body"),
    pytest.param(Attack("GET", f"/api/orders?limit={BIG}", H), id="int-5000-digits-query"),
    pytest.param(Attack("GET", "/api/orders", (BEARER, (b"cookie", f"n={BIG}".encode()))), id="int-5000-digits-cookie"),
    pytest.param(Attack("GET", "/api/orders", (BEARER, (b"x-count", BIG.encode()))), id="int-5000-digits-header"),
    pytest.param(Attack("POST", "/api/orders", (BEARER, FORM), f"quantity={BIG}".encode()), id="int-5000-digits-form"),
    pytest.param(Attack("POST", "/api/orders", HJ, raw_order("1e400")), id="float-overflow"),
    pytest.param(Attack("POST", "/api/orders", HJ, raw_order("-1e400", "limit")), id="float-overflow-negative"),
    pytest.param(Attack("POST", "/api/orders", HJ, raw_order("1" * 400 + ".5", "limit")), id="float-400-digits"),
    pytest.param(
        Attack("POST", "/api/orders", HJ, raw_order("1" + "0" * 298 + "e99", "limit")), id="float-e99-overflow"
    ),
    pytest.param(Attack("POST", "/api/orders", HJ, raw_order("9" * 250 + "e+60", "limit")), id="float-e60-overflow"),
    pytest.param(
        Attack("GET", "/api/orders?where=%7B%22x%22%3A1" + "0" * 298 + "e99%7D", H), id="float-overflow-param"
    ),
    # nesting
    pytest.param(Attack("POST", "/api/orders", HJ, nested(256)), id="json-nested-256"),
    pytest.param(Attack("POST", "/api/orders", HJ, nested(600)), id="json-nested-600"),
    pytest.param(Attack("POST", "/api/orders", HJ, nested(980)), id="json-nested-980"),
    pytest.param(Attack("POST", "/api/orders", HJ, nested(100_000)), id="json-nested-100000"),
    pytest.param(Attack("GET", "/api/orders?where=" + "%5B" * 3000 + "%5D" * 3000, H), id="content-param-nested"),
    pytest.param(Attack("GET", f"/api/orders?where=%7B%22x%22%3A{BIG}%7D", H), id="content-param-5000-digits"),
    # framing
    pytest.param(Attack("POST", "/api/orders", (JSON,), order(), length=b"\xb2", status=401), id="length-sup2-no-auth"),
    pytest.param(Attack("POST", "/api/orders", HJ, order(), length=b"\xb2"), id="length-sup2"),
    pytest.param(Attack("POST", "/api/orders", HJ, order(), length=b"-1"), id="length-negative"),
    pytest.param(
        Attack("POST", "/api/orders", (JSON,), b"", length=b"9" * 5000, send_body=False, status=401),
        id="length-5000-digits-no-auth",
    ),
    pytest.param(
        Attack("POST", "/api/orders", HJ, b"", length=b"9" * 5000, send_body=False, status=413),
        id="length-5000-digits",
    ),
    # order of checks: the credential is checked before the body is looked at (or asked for)
    pytest.param(
        Attack("POST", "/api/orders", (JSON,), b"", length=b"10000000", send_body=False, status=401),
        id="big-length-no-auth-is-401",
    ),
    pytest.param(
        Attack("POST", "/api/orders", (JSON, (b"expect", b"100-continue")), order(), send_body=False, status=401),
        id="expect-100-continue-no-auth",
    ),
    pytest.param(
        Attack(
            "POST",
            "/api/orders",
            (BEARER, JSON, (b"transfer-encoding", b"chunked")),
            order(),
            length=b"5",
            server_may=frozenset({400, 501}),
        ),
        id="content-length-and-chunked",
    ),
    pytest.param(
        Attack(
            "POST",
            "/api/ping",
            (BEARER, (b"transfer-encoding", b"chunked")),
            b"x" * 3000,
            length=b"5",
            server_may=frozenset({400, 501}),
        ),
        id="content-length-and-chunked-no-body-op",
    ),
    # repeated parameters: the app would see another value than the one checked
    pytest.param(Attack("GET", "/api/orders?limit=1&limit=9999", H), id="repeated-scalar"),
    pytest.param(Attack("GET", "/api/orders?ids=1,2&ids=x", H), id="repeated-csv-array"),
    pytest.param(Attack("GET", "/api/orders?filter[min]=1&filter[min]=99", H), id="repeated-deep-object-key"),
    pytest.param(Attack("GET", "/api/orders", (BEARER, (b"cookie", b"session=abcd; session=x"))), id="repeated-cookie"),
    pytest.param(
        Attack("GET", "/api/orders", (BEARER, (b"cookie", b"session=abcd; session =x; n =notanint"))),
        id="repeated-cookie-blank-before-equals",
    ),
    pytest.param(Attack("GET", "/api/orders", (BEARER, (b"cookie", b"n=%31%32"))), id="cookie-not-percent-decoded"),
    pytest.param(Attack("GET", "/api/orders", (BEARER, (b"x-count", b"1"), (b"x-count", b"9"))), id="repeated-header"),
    pytest.param(Attack("POST", "/api/orders", (BEARER, FORM), b"quantity=1&quantity=x"), id="repeated-form-field"),
    # text every framework would decode differently: refused, not guessed
    pytest.param(Attack("GET", "/api/orders?limit=%FF", H), id="query-escape-not-utf8"),
    pytest.param(Attack("GET", "/api/orders?limit=\u00e9".encode().decode("latin-1"), H), id="query-raw-non-ascii"),
    pytest.param(Attack("POST", "/api/form", (FORM,), "sku=\u00e9\u00e9".encode()), id="form-raw-utf8"),
    pytest.param(Attack("POST", "/api/form", (FORM,), b"sku=%FF%FF"), id="form-escape-not-utf8"),
    pytest.param(Attack("GET", "/api/m/;i=12345"), id="matrix-other-name"),
    pytest.param(Attack("GET", "/api/m/;ids=4999;x=12345"), id="matrix-item-other-name"),
    # body limits hold for every operation, declared body or not
    pytest.param(Attack("POST", "/api/ping", H, b"x" * (2 * MIB), chunked=True, status=413), id="chunked-no-body-op"),
    pytest.param(
        Attack("POST", "/api/ping", H, b"", length=b"10000000", send_body=False, status=413), id="length-no-body-op"
    ),
    pytest.param(
        Attack("GET", "/api/health", (), b"", length=str(5 * MIB).encode(), send_body=False, status=413),
        id="get-with-5mb-length",
    ),
    pytest.param(Attack("POST", "/api/orders", HJ, b" " * (2 * MIB), chunked=True, status=413), id="chunked-json"),
    # multipart
    pytest.param(Attack("POST", "/api/orders", (BEARER, MULTIPART), parts(STL)), id="multipart-required-part-missing"),
    pytest.param(
        Attack("POST", "/api/orders", (BEARER, MULTIPART), parts(("meta", "application/json", b'{"sku": '), STL)),
        id="multipart-malformed-json-part",
    ),
    pytest.param(
        Attack("POST", "/api/orders", (BEARER, MULTIPART), parts(("meta", "application/json", b"{}"), STL)),
        id="multipart-invalid-json-part",
    ),
    pytest.param(
        Attack("POST", "/api/orders", (BEARER, MULTIPART), parts(META, ("file", "text/html", b"<b>"))),
        id="multipart-part-content-type",
    ),
    pytest.param(Attack("POST", "/api/orders", (BEARER, MULTIPART), b"garbage"), id="multipart-garbage"),
    pytest.param(Attack("POST", "/api/orders", (BEARER, MULTIPART), parts(META, STL)[:-20]), id="multipart-truncated"),
    pytest.param(
        Attack("POST", "/api/orders", (BEARER, (b"content-type", b"multipart/form-data")), parts(META, STL)),
        id="multipart-no-boundary",
    ),
    pytest.param(
        Attack("POST", "/api/orders", (BEARER, MULTIPART), parts(META, STL, *[("x", None, b"1")] * 300)),
        id="multipart-300-parts",
    ),
    pytest.param(
        Attack(
            "POST",
            "/api/orders",
            (BEARER, MULTIPART),
            b'--attack\r\nContent-Disposition: form-data; name="meta"\r\n'
            b'Content-Disposition: form-data; name="quantity"\r\n\r\n{"sku": "abc"}\r\n--attack--\r\n',
        ),
        id="multipart-two-dispositions",
    ),
    pytest.param(
        Attack(
            "POST", "/api/orders", (BEARER, (b"content-type", b"multipart/form-data; boundary=attack; charset=utf-7"))
        ),
        id="multipart-charset-utf7",
    ),
    pytest.param(
        Attack(
            "POST",
            "/api/orders",
            (BEARER, MULTIPART),
            b"--attack\r\nContent-Disposition: form-data; name=meta; name*=UTF-8''quantity\r\n\r\n{}\r\n--attack--\r\n",
        ),
        id="multipart-extended-name",
    ),
    pytest.param(
        Attack(
            "POST",
            "/api/orders",
            (BEARER, MULTIPART),
            parts(META, ("file", "model/stl", b'x\n--attack\nContent-Disposition: form-data; name="sku"\n\n9'), STL),
        ),
        id="multipart-bare-lf-boundary",
    ),
    *(
        pytest.param(
            Attack(
                "POST", "/api/orders", (BEARER, MULTIPART), parts(META, STL, ("note", f"text/plain; charset={c}", v))
            ),
            id=f"multipart-part-charset-{c}",
        )
        for c, v in (("undefined", b"1"), ("idna", b"xn--a-"), ("utf-7", b"+2AA-"), ("unicode_escape", b"\\ud800"))
    ),
    # nothing echoed that should not be
    pytest.param(Attack("GET", "/api/keyed?api_key=SECRET0KEY", secret="SECRET0KEY"), id="query-api-key-not-echoed"),
    pytest.param(
        Attack("GET", "/api/orders", (BEARER, (b"cookie", b"session=S3C")), secret="S3C"), id="cookie-not-echoed"
    ),
    pytest.param(
        Attack("GET", "/api/nowhere%0Acontractkit%20rejected%20GET%20/forged", status=404), id="newline-in-path"
    ),
    pytest.param(
        Attack("GET", "/api/" + "a" * 100_000, status=404, server_may=frozenset({400, 414, 431})), id="100kb-path"
    ),
    pytest.param(Attack("POST", "/api/orders", HJ, order(quantity="x" * 500_000)), id="500kb-string-in-error"),
    pytest.param(
        Attack("POST", "/api/orders", HJ, order(password="Hunter2-pw"), secret="Hunter2-pw"), id="password-not-echoed"
    ),
    pytest.param(
        Attack(
            "POST",
            "/api/orders",
            HJ,
            order(meta={f"k{i}" + "x" * 20_000: "y" for i in range(40)}),
            max_problem_bytes=40_000,
        ),
        id="20kb-keys-in-40-errors",
    ),
    # invalid bodies whose errors cost far more to describe than to validate: answered in bounded time
    pytest.param(
        Attack("POST", "/api/bulk", (JSON,), json.dumps({"items": [1] * 400_000}, separators=(",", ":")).encode()),
        id="900kb-items",
    ),
    pytest.param(Attack("POST", "/api/expr", (JSON,), expr(14)), id="recursive-one-of-400kb"),
    # odd text
    pytest.param(Attack("POST", "/api/orders", HJ, rb'{"sku": "ab\ud800c", "quantity": 1}'), id="lone-surrogate"),
    pytest.param(Attack("POST", "/api/orders", HJ, b'\xef\xbb\xbf{"sku": "abc", "quantity": 1}'), id="utf8-bom"),
    pytest.param(Attack("POST", "/api/orders", HJ, b'{"sku": "ab\xff", "quantity": 1}'), id="invalid-utf8"),
    pytest.param(Attack("POST", "/api/orders", HJ, raw_order("NaN")), id="nan"),
]


@pytest.fixture(scope="module")
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture(scope="module")
def apps(recorder: Recorder) -> tuple[Any, Any]:
    return middlewares(recorder, on_error="pass", metrics=CollectorRegistry())


@pytest.fixture(scope="module")
def uvicorn_port(apps: tuple[Any, Any]) -> Iterator[int]:
    with uvicorn_server(apps[0]) as port:
        yield port


@pytest.fixture(scope="module")
def werkzeug_port(apps: tuple[Any, Any]) -> Iterator[int]:
    with werkzeug_server(apps[1]) as port:
        yield port


Sender = Callable[[Attack], Outcome]


@pytest.fixture(params=["asgi", "wsgi", "uvicorn", "werkzeug"])
def send(request: pytest.FixtureRequest, apps: tuple[Any, Any], recorder: Recorder) -> Sender:
    kind = request.param
    if kind == "asgi":
        return lambda attack: send_asgi(apps[0], recorder, attack)
    if kind == "wsgi":
        return lambda attack: send_wsgi(apps[1], recorder, attack)
    port = request.getfixturevalue(f"{kind}_port")
    return lambda attack: send_socket(port, recorder, attack)


def _internal_errors(apps: tuple[Any, Any]) -> float:
    return sum(
        value
        for app in apps
        for metric in app.observer.internal_errors.collect()
        for sample in metric.samples
        if sample.name.endswith("_total")
        for value in [sample.value]
    )


@pytest.mark.parametrize("attack", ATTACKS)
def test_attack_is_refused_before_the_app(
    send: Sender,
    attack: Attack,
    apps: tuple[Any, Any],
    caplog: pytest.LogCaptureFixture,
    request: pytest.FixtureRequest,
) -> None:
    caplog.set_level(logging.INFO, logger="contractkit.runtime")
    before = _internal_errors(apps)
    outcome = send(attack)
    in_process = request.node.callspec.params["send"] in ("asgi", "wsgi")
    allowed = {attack.status} if in_process else {attack.status} | attack.server_may
    assert outcome.status in allowed, f"answered {outcome.status}: {outcome.body[:300]!r}"
    assert outcome.reached == 0, "the app was reached"
    assert _internal_errors(apps) == before, "validation raised: the input was caught, not classified"
    assert len(outcome.body) <= attack.max_problem_bytes, f"a {len(outcome.body)}-byte answer"
    if outcome.body.startswith(b"{"):  # the middleware's problem (a server's own refusal is plain text)
        problem = json.loads(outcome.body)
        assert problem["status"] == attack.status
        assert problem["instance"].isascii() and len(problem["instance"]) <= 1000
        assert all(len(error["location"]) <= 310 for error in problem["errors"])
    ours = [record for record in caplog.records if record.name.startswith("contractkit")]
    lines = [record.getMessage() for record in ours]
    for line in lines:
        assert "\n" not in line and "\r" not in line, f"a raw line break in a log line: {line[:200]!r}"
        assert len(line) <= 2000, f"a {len(line)}-character log line"
    if attack.secret is not None:
        assert attack.secret.encode() not in outcome.body
        assert not any(attack.secret in line for line in lines)
        assert not any(attack.secret in json.dumps(getattr(r, "errors", [])) for r in ours)


def test_expect_100_continue_is_never_answered_before_the_401(uvicorn_port: int, recorder: Recorder) -> None:
    attack = Attack("POST", "/api/orders", (JSON, (b"expect", b"100-continue")), order(), send_body=False, status=401)
    outcome = send_socket(uvicorn_port, recorder, attack)
    assert outcome.raw.startswith(b"HTTP/1.1 401"), outcome.raw[:80]  # no interim 100: the body was never asked for


def test_the_body_is_not_requested_before_the_401(apps: tuple[Any, Any], recorder: Recorder) -> None:
    outcome = send_asgi(apps[0], recorder, Attack("POST", "/api/orders", (JSON,), order(), status=401))
    assert (outcome.status, outcome.receives) == (401, 0)


# Not attacks: HEAD and OPTIONS as browsers and health checks send them, through every transport.
# (request, whether the app is reached, whether with a verdict: a preflight is passed on as an unknown path is)
METHODS = [
    pytest.param(Attack("HEAD", "/api/health", status=200), True, True, id="head-as-get"),
    pytest.param(Attack("HEAD", "/api/orders?limit=99", H, status=400), False, True, id="head-validated-as-get"),
    pytest.param(
        Attack(
            "OPTIONS",
            "/api/orders",
            ((b"origin", b"https://shop.example"), (b"access-control-request-method", b"POST")),
            status=200,
        ),
        True,
        False,
        id="cors-preflight-passes",
    ),
    pytest.param(Attack("OPTIONS", "/api/orders", status=405), False, True, id="options-not-a-preflight"),
    pytest.param(
        Attack(
            "OPTIONS",
            "/api/orders",
            ((b"origin", b"https://shop.example"), (b"access-control-request-method", b"POST")),
            b"x" * 3000,
            status=405,
        ),
        False,
        True,
        id="a-preflight-has-no-body",
    ),
    pytest.param(Attack("OPTIONS", "/api/tuned?level=x", status=400), False, True, id="declared-options-validated"),
    pytest.param(Attack("OPTIONS", "/api/tuned?level=3", status=200), True, True, id="declared-options-valid"),
]


# Not attacks either: odd but valid input is validated and passed, and the app parses what was validated.
VALID_EDGES = [
    pytest.param(
        Attack("POST", "/api/orders", HJ, raw_order("[" * 900 + "]" * 900, "tree"), status=200),
        True,
        True,
        id="deep-valid",
    ),
    pytest.param(Attack("POST", "/api/orders", HJ, raw_order("500") + b"", status=400), False, True, id="big-quantity"),
    pytest.param(
        Attack("POST", "/api/orders", HJ, b'{"sku": "abc", "quantity": 500, "quantity": 1}', status=200),
        True,
        True,
        id="duplicate-key-last-wins-valid",
    ),
    pytest.param(
        Attack("POST", "/api/orders", HJ, b'{"sku": "abc", "quantity": 1, "quantity": 500}', status=400),
        False,
        True,
        id="duplicate-key-last-wins-invalid",
    ),
    pytest.param(
        Attack("POST", "/api/orders", HJ, raw_order("-" + "9" * 400, "limit"), status=200),
        True,
        True,
        id="int-400-digits",
    ),
    pytest.param(
        Attack("POST", "/api/orders", HJ, raw_order("1e-400", "limit"), status=200), True, True, id="underflow"
    ),
    pytest.param(Attack("GET", "/api/orders?tag=1&tag=2", H, status=200), True, True, id="exploded-array-repeats"),
    pytest.param(Attack("GET", "/api/m/;ids=1;ids=2", ((b"x-ids", b"1, 2"),), status=200), True, True, id="matrix-ok"),
    pytest.param(Attack("POST", "/api/form", (FORM,), b"sku=ab&qty=3", status=200), True, True, id="form-extra-cast"),
    pytest.param(Attack("POST", "/api/form", (FORM,), b"sku=ab&qty=x", status=400), False, True, id="form-extra-bad"),
    pytest.param(
        Attack("GET", "/api/orders", (BEARER, (b"cookie", b'session="ab\\063d"')), status=200),
        True,
        True,
        id="cookie-quoted-octal",
    ),
    pytest.param(Attack("GET", "/api/keyed", ((b"x-api-key", b""),), status=401), False, True, id="empty-key"),
]


@pytest.mark.parametrize(("attack", "reached", "validated"), METHODS + VALID_EDGES)
def test_valid_edges_head_and_options(send: Sender, attack: Attack, reached: bool, validated: bool) -> None:
    outcome = send(attack)
    assert outcome.status == attack.status
    assert outcome.reached == int(reached)
    assert outcome.unvalidated == (0 if validated else outcome.reached)
    assert outcome.mismatched == 0, "the app parsed another body than the one validated"


def test_a_preflight_can_be_refused(recorder: Recorder) -> None:
    asgi, wsgi = middlewares(recorder, cors_preflight="reject")
    attack = Attack(
        "OPTIONS", "/api/orders", ((b"origin", b"https://a"), (b"access-control-request-method", b"GET")), status=405
    )
    assert send_asgi(asgi, recorder, attack).status == 405
    assert send_wsgi(wsgi, recorder, attack).status == 405
