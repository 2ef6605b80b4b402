"""Runtime request validation end to end: the same Starlette app bare, behind openapi-core, behind contractkit.

Run: `.venv/bin/python -m benchmarks.bench_middleware_http [--duration 5] [--rounds 3] [--connections 8]`.
Prints the issue's table in Markdown (requests/s, p50 latency, ratio to the bare app), per request kind.

The apps (benchmarks/middleware_apps/: bare, behind a no-op pure-ASGI middleware as the floor of any middleware,
behind openapi-core, behind contractkit) each run under uvicorn, 1 worker, access log off, on a free port of
127.0.0.1, all started at the same time (an idle server costs nothing). wrk (`/usr/bin/wrk`, 1 thread,
``--connections`` keep-alive connections, ``--latency``) then loads one app after the other for ``--duration``
seconds, in ``--rounds`` interleaved rounds (bare, no-op, openapi-core, contractkit; the next round starts one app
later) so all of them see the same machine noise; the table gives each one's median over the rounds and each
round's figure. Before measuring, every app is checked:
the valid requests must get 2xx from all of them, the invalid order 400 from both validators.

Requests: the typical order POST of contracts/b2b-orders (the contract's example: two items), the order list
GET with four query parameters, and an invalid order POST (a wrong currency and a zero quantity: rejected with
400 by both validators, answered by the bare app). openapi-core's middleware runs with ``response_cls=None``
(request validation only, as contractkit's default), its fastest configuration.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from benchmarks._timing import ROOT
from benchmarks.middleware_apps.common import (
    BASE_PATH,
    GET_HEADERS,
    INVALID_ORDER_JSON,
    LIST_QUERY,
    ORDER_JSON,
    POST_HEADERS,
)

APPS = {
    "bare Starlette app": "benchmarks.middleware_apps.bare:app",
    "no-op pure-ASGI middleware (floor)": "benchmarks.middleware_apps.noop_app:app",
    "openapi-core `StarletteOpenAPIMiddleware`": "benchmarks.middleware_apps.openapi_core_app:app",
    "contractkit `ContractValidationMiddleware`": "benchmarks.middleware_apps.contractkit_app:app",
    "contractkit, handlers read the validated values": "benchmarks.middleware_apps.contractkit_typed_app:app",
    "hand-written pure-ASGI middleware, precompiled body validator": "benchmarks.middleware_apps.handwritten_app:app",
}
BARE = "bare Starlette app"
NOOP = "no-op pure-ASGI middleware (floor)"
OPENAPI_CORE = "openapi-core `StarletteOpenAPIMiddleware`"
CONTRACTKIT = "contractkit `ContractValidationMiddleware`"
CONTRACTKIT_TYPED = "contractkit, handlers read the validated values"
HANDWRITTEN = "hand-written pure-ASGI middleware, precompiled body validator"
SERVERS = {  # uvicorn's --http and --loop
    "h11": ("h11", "asyncio"),
    "httptools": ("httptools", "uvloop"),  # what `uvicorn[standard]` installs and picks by default
}
WRK = shutil.which("wrk") or "/usr/bin/wrk"


@dataclass(frozen=True)
class Load:
    """One kind of request wrk sends."""

    name: str
    method: str
    target: str
    headers: dict[str, str]
    body: str | None
    expect: dict[str, int]  # app label -> status every app must answer before it is measured

    def lua(self) -> str:
        lines = [f'wrk.method = "{self.method}"']
        lines += [f'wrk.headers["{name}"] = "{value}"' for name, value in self.headers.items()]
        if self.body is not None:
            lines.append(f"wrk.body = [[{self.body}]]")
        return "\n".join(lines) + "\n"


LOADS = (
    Load(
        "order POST (valid)",
        "POST",
        f"{BASE_PATH}/orders",
        POST_HEADERS,
        ORDER_JSON,
        dict.fromkeys(APPS, 201),
    ),
    Load(
        "GET, 4 query parameters",
        "GET",
        f"{BASE_PATH}/orders?{LIST_QUERY}",
        GET_HEADERS,
        None,
        dict.fromkeys(APPS, 200),
    ),
    Load(
        "order POST (invalid)",
        "POST",
        f"{BASE_PATH}/orders",
        POST_HEADERS,
        INVALID_ORDER_JSON,
        {label: 201 if label in (BARE, NOOP) else 400 for label in APPS},
    ),
)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def servers(apps: dict[str, str], server: str) -> Iterator[dict[str, str]]:
    """Start one uvicorn per app; yield label -> base URL; stop exactly the processes started here."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONWARNINGS": "ignore"}
    started: dict[str, tuple[subprocess.Popen[bytes], str]] = {}
    try:
        for label, target in apps.items():
            port = free_port()
            argv = [sys.executable, "-m", "uvicorn", target, "--host", "127.0.0.1", "--port", str(port)]
            argv += ["--workers", "1", "--no-access-log", "--log-level", "warning"]
            argv += ["--http", SERVERS[server][0], "--loop", SERVERS[server][1]]
            process = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            started[label] = (process, f"http://127.0.0.1:{port}")
        for label, (process, url) in started.items():
            wait_ready(label, process, url)
        yield {label: url for label, (_, url) in started.items()}
    finally:
        for process, _ in started.values():
            process.terminate()
        for process, _ in started.values():
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


def wait_ready(label: str, process: subprocess.Popen[bytes], url: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            stderr = process.stderr.read().decode() if process.stderr else ""
            raise SystemExit(f"{label} exited with {process.returncode}:\n{stderr[-3000:]}")
        try:
            httpx.get(f"{url}/", timeout=1.0)
            return
        except httpx.TransportError:
            time.sleep(0.1)  # polling a child process until it listens: not a test synchronisation
    raise SystemExit(f"{label} did not start listening within {timeout:.0f} s")


def check(urls: dict[str, str]) -> None:
    """Every app answers every load as expected before anything is measured."""
    for load in LOADS:
        for label, url in urls.items():
            response = httpx.request(load.method, url + load.target, headers=load.headers, content=load.body)
            if response.status_code != load.expect[label]:  # the check that the load measures what it says
                raise SystemExit(
                    f"{label} answered {response.status_code} to {load.name}, expected {load.expect[label]}:\n"
                    f"{response.text[:1000]}"
                )


@dataclass(frozen=True)
class Result:
    rps: float
    p50_ms: float


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def wrk(url: str, script: Path, duration: float, connections: int) -> Result:
    argv = [WRK, "-t1", f"-c{connections}", f"-d{duration:g}s", "--latency", "-s", str(script), url]
    if not Path(WRK).exists():
        raise SystemExit(f"this benchmark drives the load with wrk, and {WRK} is missing: apt-get install wrk")
    output = subprocess.run(argv, capture_output=True, text=True, check=True).stdout
    rps = re.search(r"Requests/sec:\s+([\d.]+)", output)
    p50 = re.search(r"^\s+50%\s+([\d.]+)(us|ms|s)\s*$", output, re.MULTILINE)
    if rps is None or p50 is None:
        raise SystemExit(f"cannot read wrk's output:\n{output}")
    return Result(float(rps.group(1)), float(p50.group(1)) * _UNITS[p50.group(2)])


def available_apps() -> dict[str, str]:
    """The apps that can run here (contractkit's middleware may not be built yet in a checkout)."""
    if importlib.util.find_spec("contractkit.runtime") is None:
        print("contractkit.runtime is not importable: measuring the bare app and openapi-core only\n")
        return {label: target for label, target in APPS.items() if label not in (CONTRACTKIT, CONTRACTKIT_TYPED)}
    return dict(APPS)


def run(duration: float, rounds: int, connections: int, server: str) -> str:
    results: dict[tuple[str, str], list[Result]] = {}
    apps = available_apps()
    with tempfile.TemporaryDirectory() as tmp, servers(apps, server) as urls:
        check(urls)
        scripts = {}
        for load in LOADS:
            scripts[load.name] = Path(tmp) / f"{len(scripts)}.lua"
            scripts[load.name].write_text(load.lua())
        for load in LOADS:  # warm-up: first requests compile openapi-core's validators, fill caches
            for url in urls.values():
                wrk(url + load.target, scripts[load.name], 1, connections)
        labels = list(urls)
        for round_ in range(rounds):
            order = labels[round_ % len(labels) :] + labels[: round_ % len(labels)]  # no app always goes first
            for load in LOADS:
                for label in order:
                    result = wrk(urls[label] + load.target, scripts[load.name], duration, connections)
                    results.setdefault((load.name, label), []).append(result)
    out = [
        f"wrk -t1 -c{connections} -d{duration:g}s --latency, uvicorn 1 worker (--http {SERVERS[server][0]} --loop "
        f"{SERVERS[server][1]}); median of {rounds} interleaved rounds",
        "",
    ]
    for load in LOADS:
        bare_rps = statistics.median(r.rps for r in results[(load.name, BARE)])
        out += [
            f"### {load.name}",
            "",
            "| setup | requests/s | p50 | ratio to bare | requests/s of each round |",
            "| --- | ---: | ---: | ---: | --- |",
        ]
        for label in apps:
            rps = statistics.median(r.rps for r in results[(load.name, label)])
            p50 = statistics.median(r.p50_ms for r in results[(load.name, label)])
            each = ", ".join(f"{r.rps:,.0f}" for r in results[(load.name, label)])
            out.append(f"| {label} | {rps:,.0f} | {p50:.2f} ms | x{rps / bare_rps:.2f} | {each} |")
        if CONTRACTKIT in apps:
            oc = statistics.median(r.rps for r in results[(load.name, OPENAPI_CORE)])
            for label in (CONTRACTKIT, CONTRACTKIT_TYPED):
                ck = statistics.median(r.rps for r in results[(load.name, label)])
                hand = statistics.median(r.rps for r in results[(load.name, HANDWRITTEN)])
                out += ["", f"{label}: {ck / oc:.1f}x openapi-core, {ck / hand:.2f}x the hand-written middleware"]
        out.append("")
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=5.0, help="seconds of load per app, per round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument(
        "--server",
        choices=sorted(SERVERS),
        default="httptools",
        help="uvicorn's HTTP stack: httptools + uvloop (uvicorn[standard], the production setting) or h11 + asyncio",
    )
    args = parser.parse_args()
    print(run(args.duration, args.rounds, args.connections, args.server))


if __name__ == "__main__":
    main()
