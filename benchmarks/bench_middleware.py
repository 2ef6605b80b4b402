"""Runtime request validation, in-process: contractkit's RequestValidator beside openapi-core, per request and start-up.

Run: `.venv/bin/python -m benchmarks.bench_middleware [--rounds 20] [--skip-startup]`. Prints Markdown.

1. Per request (contracts/b2b-orders): a typical order POST (two items, the contract's own example), a GET of
   the order list with four query parameters, and an invalid order POST (two errors). Each call is timed on its
   own (``perf_counter_ns``); contractkit and openapi-core run interleaved, in rounds (a block of one, then a
   block of the other), so both see the same machine noise. Reported: p50 and p90 in µs, and openapi-core's p50
   over contractkit's p50. openapi-core's time includes building its request object (parsing the query and the
   headers), which its middleware does for every request, as contractkit's ``validate_request`` parses the raw
   query string and headers it is given. openapi-core's validator is the one its own integrations use
   (``OpenAPI.validate_request``), warm: its schema validators are cached after the first call.
2. The middleware's own cost, in-process (no server, no network): one ASGI call of the benchmark's Starlette app
   (benchmarks/middleware_apps) bare and wrapped in ContractValidationMiddleware, per request, interleaved; the
   difference is what the middleware adds to a request (ASGI adaptation, body buffering and replay, validation).
3. Start-up (load + compile): the largest spec in ../shared/corpus/openapi (box.json, 1.76 MB) and b2b-orders,
   from a cold loader cache. contractkit compiles everything up front; openapi-core validates the spec
   (openapi-spec-validator) and builds its validators lazily, at the first request of each operation, so its
   row adds the first request of one operation.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

from benchmarks._timing import CORPUS, ROOT
from benchmarks.middleware_apps.common import (
    GET_HEADERS,
    INVALID_ORDER_JSON,
    LIST_QUERY,
    ORDER_JSON,
    POST_HEADERS,
    contract,
)

LARGEST = CORPUS / "openapi" / "box.json"
B2B = ROOT / "contracts" / "b2b-orders" / "openapi.yaml"


@dataclass(frozen=True)
class Call:
    """One request as the middleware sees it."""

    name: str
    method: str
    path: str
    query: str
    headers: tuple[tuple[str, str], ...]
    body: bytes | None
    valid: bool


CALLS = (
    Call("order POST (valid)", "POST", "/b2b/v1/orders", "", tuple(POST_HEADERS.items()), ORDER_JSON.encode(), True),
    Call("GET, 4 query parameters", "GET", "/b2b/v1/orders", LIST_QUERY, tuple(GET_HEADERS.items()), None, True),
    Call(
        "order POST (invalid)",
        "POST",
        "/b2b/v1/orders",
        "",
        tuple(POST_HEADERS.items()),
        INVALID_ORDER_JSON.encode(),
        False,
    ),
)


class _OpenAPICoreRequest:
    """openapi-core's ``Request`` protocol, built the way its Starlette integration builds one."""

    def __init__(self, call: Call) -> None:
        from openapi_core.datatypes import RequestParameters
        from werkzeug.datastructures import Headers, ImmutableMultiDict

        self.host_url = "http://127.0.0.1:8000"
        self.path = call.path
        self.method = call.method.lower()
        self.body = call.body
        headers = Headers(list(call.headers))
        self.content_type = headers.get("content-type", "")
        self.parameters = RequestParameters(
            query=ImmutableMultiDict(parse_qsl(call.query, keep_blank_values=True)),
            header=headers,
            cookie=ImmutableMultiDict(),
        )


def contractkit_call(spec: dict[str, Any]) -> Callable[[Call], bool]:
    from contractkit.runtime import RequestValidator

    validator = RequestValidator.from_spec(spec)

    def run(call: Call) -> bool:
        result = validator.validate_request(
            method=call.method, path=call.path, query=call.query, headers=list(call.headers), body=call.body
        )
        return bool(result.ok)

    return run


def openapi_core_call(spec: dict[str, Any]) -> Callable[[Call], bool]:
    from openapi_core import OpenAPI
    from openapi_core.exceptions import OpenAPIError

    openapi = OpenAPI.from_dict(spec)

    def run(call: Call) -> bool:
        try:
            openapi.validate_request(_OpenAPICoreRequest(call))
        except OpenAPIError:
            return False
        return True

    return run


@dataclass
class Samples:
    """Per-call times of one contender on one request, in µs."""

    micros: list[float] = field(default_factory=list)

    def time(self, run: Callable[[Call], bool], call: Call, n: int) -> None:
        clock = time.perf_counter_ns
        for _ in range(n):
            start = clock()
            run(call)
            self.micros.append((clock() - start) / 1000)

    def pct(self, q: float) -> float:
        ordered = sorted(self.micros)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def per_request(rounds: int) -> str:
    spec = contract()
    contenders: dict[str, Callable[[Call], bool]] = {"openapi-core": openapi_core_call(spec)}
    try:
        contenders["contractkit"] = contractkit_call(spec)
    except ImportError as exc:
        print(f"contractkit.runtime is not importable ({exc}): measuring openapi-core only\n")
    block = {"contractkit": 200, "openapi-core": 20}
    out = [
        "| request | contractkit p50 | contractkit p90 | openapi-core p50 | openapi-core p90 | ratio (p50) |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for call in CALLS:
        for name, run in contenders.items():
            verdict = run(call)  # warm-up, and a check that both see the request the same way
            if verdict != call.valid:
                raise SystemExit(f"{name} says {call.name} is {'valid' if verdict else 'invalid'}")
        samples = {name: Samples() for name in contenders}
        gc.collect()
        for _ in range(rounds):
            for name, run in contenders.items():
                samples[name].time(run, call, block[name])
        oc = samples["openapi-core"]
        ck = samples.get("contractkit")
        if ck is None:
            out.append(f"| {call.name} | n/a | n/a | {oc.pct(0.5):.1f} µs | {oc.pct(0.9):.1f} µs | n/a |")
        else:
            out.append(
                f"| {call.name} | {ck.pct(0.5):.1f} µs | {ck.pct(0.9):.1f} µs | {oc.pct(0.5):.1f} µs "
                f"| {oc.pct(0.9):.1f} µs | {oc.pct(0.5) / ck.pct(0.5):.0f}x |"
            )
    out.append("\nratio = openapi-core p50 / contractkit p50 (how many times slower openapi-core is).")
    return "\n".join(out)


def _scope(call: Call) -> dict[str, Any]:
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": call.method,
        "scheme": "http",
        "path": call.path,
        "raw_path": call.path.encode(),
        "root_path": "",
        "query_string": call.query.encode(),
        "headers": [(k.encode(), v.encode()) for k, v in call.headers],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
        "state": {},
    }


def asgi_overhead(rounds: int) -> str:
    """Per-request time of one ASGI call, bare app vs the same app behind contractkit's middleware."""
    import asyncio

    from benchmarks.middleware_apps.common import create_app
    from contractkit.middleware import ContractValidationMiddleware

    bare = create_app()
    apps = {"bare": bare, "contractkit": ContractValidationMiddleware(create_app(), spec=contract())}

    async def once(app: Any, call: Call) -> int:
        status = 0
        body = call.body or b""

        async def receive() -> dict[str, Any]:
            return {"type": "http.request", "body": body, "more_body": False}

        async def send(message: dict[str, Any]) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]

        await app(_scope(call), receive, send)
        return status

    async def measure() -> list[str]:
        rows = []
        for call in CALLS:
            statuses = {name: await once(app, call) for name, app in apps.items()}
            samples = {name: Samples() for name in apps}
            clock = time.perf_counter_ns
            for _ in range(rounds):
                for name, app in apps.items():
                    for _ in range(100):
                        start = clock()
                        await once(app, call)
                        samples[name].micros.append((clock() - start) / 1000)
            b, c = samples["bare"].pct(0.5), samples["contractkit"].pct(0.5)
            rows.append(
                f"| {call.name} | {b:.1f} µs ({statuses['bare']}) | {c:.1f} µs ({statuses['contractkit']}) "
                f"| {c - b:+.1f} µs |"
            )
        return rows

    out = [
        "| request | bare app p50 (status) | with the middleware p50 (status) | added by the middleware |",
        "| --- | ---: | ---: | ---: |",
    ]
    out += asyncio.run(measure())
    return "\n".join(out)


def startup(repeat: int) -> str:
    from openapi_core import OpenAPI

    from contractkit.loaders import clear_cache

    def ours(source: Path | str) -> Callable[[], object]:
        from contractkit.runtime import RequestValidator

        def run() -> object:
            clear_cache()
            return RequestValidator.from_spec(source)

        return run

    def theirs(path: Path, first: _OpenAPICoreRequest | None) -> Callable[[], object]:
        def run() -> object:
            openapi = OpenAPI.from_file_path(str(path))
            if first is not None:
                list(openapi.iter_request_errors(first))
            return openapi

        return run

    first_b2b = _OpenAPICoreRequest(CALLS[0])
    rows: list[tuple[str, dict[str, Callable[[], object]]]] = [
        (f"{LARGEST.name} ({LARGEST.stat().st_size / 1e6:.2f} MB)", {"openapi-core": theirs(LARGEST, None)}),
        ("b2b-orders (with its shared files)", {"openapi-core": theirs(B2B, None)}),
        ("b2b-orders + first order POST", {"openapi-core": theirs(B2B, first_b2b)}),
    ]
    try:
        rows[0][1]["contractkit"] = ours(LARGEST)
        rows[1][1]["contractkit"] = ours("b2b-orders")
    except ImportError:
        pass
    out = ["| spec | contractkit (median) | openapi-core (median) |", "| --- | ---: | ---: |"]
    for label, runs in rows:
        samples: dict[str, list[float]] = {name: [] for name in runs}
        for _ in range(repeat):
            for name, run in runs.items():
                gc.collect()
                start = time.perf_counter()
                run()
                samples[name].append(time.perf_counter() - start)
        ck = f"{statistics.median(samples['contractkit']):.3f} s" if "contractkit" in samples else "n/a"
        out.append(f"| {label} | {ck} | {statistics.median(samples['openapi-core']):.3f} s |")
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--rounds", type=int, default=20, help="interleaved rounds (200 contractkit + 20 openapi-core calls each)"
    )
    parser.add_argument("--repeat", type=int, default=3, help="start-up runs per contender")
    parser.add_argument("--skip-startup", action="store_true")
    args = parser.parse_args()
    warnings.simplefilter("ignore")  # openapi-core warns on every request for the oauth2 scheme it cannot check
    print("## Per request, in-process (contracts/b2b-orders)\n")
    print(per_request(args.rounds))
    try:
        overhead = asgi_overhead(args.rounds)
    except ImportError as exc:
        overhead = f"contractkit.middleware is not importable ({exc})"
    print("\n## The middleware's own cost: one in-process ASGI call (benchmark app)\n")
    print(overhead)
    if not args.skip_startup:
        print("\n## Start-up: load + compile\n")
        print(startup(args.repeat))


if __name__ == "__main__":
    main()
