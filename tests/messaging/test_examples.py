"""The reference services of examples/order_events on a real broker: an order's journey, its trace, and the
message fuzzer (`contractkit fuzz order-events --amqp-url ...`) passing against both services."""

from __future__ import annotations

import asyncio
import re
import shlex
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from typer.testing import CliRunner

from contractkit.cli.app import app as cli
from contractkit.messagefuzz import MessageFuzzOptions, run_message_fuzz
from contractkit.messaging.testing import LocalBroker
from contractkit.messaging.tracing import trace_id

from ._support import clean_broker

TRACE = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
ORDER = {
    "partner_id": "5f2b8c1e-3a4d-4e6f-8b9c-0d1e2f3a4b5c",
    "customer_reference": "PO-88213",
    "items": [{"part_name": "Bracket", "material": "nylon_pa12", "process": "sls", "quantity": 40}],
}


class Running:
    """The MES (FastStream) in a thread of its own and the order service (Starlette) in a TestClient."""

    def __init__(self, url: str) -> None:
        from examples.order_events import mes_intake, order_service

        self.url = url
        self.planning = mes_intake.Planning()
        self._stop = threading.Event()
        self._ready = threading.Event()
        self._mes = threading.Thread(target=asyncio.run, args=(self._serve_mes(mes_intake),), daemon=True)
        app, self.client, self.orders = order_service.create_app(url)
        port = _free_port()
        config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
        self._server = uvicorn.Server(config)
        self._http_thread = threading.Thread(target=self._server.run, daemon=True)
        self.http = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10)

    async def _serve_mes(self, module: Any) -> None:
        from contractkit.messaging.aiopika import declare

        await declare(module.MODELS, self.url)
        broker, _ = module.create_service(self.url, self.planning)
        await broker.start()
        self._ready.set()
        while not self._stop.is_set():
            await asyncio.sleep(0.05)
        await broker.stop()

    def __enter__(self) -> Running:
        self._mes.start()
        assert self._ready.wait(30), "the MES did not start"
        self._http_thread.start()
        deadline = time.monotonic() + 30
        while not self._server.started and time.monotonic() < deadline:
            time.sleep(0.05)
        assert self._server.started, "the order service did not start"
        return self

    def __exit__(self, *exc: object) -> None:
        self.http.close()
        self._server.should_exit = True
        self._http_thread.join(30)
        self._stop.set()
        self._mes.join(30)


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def services(rabbit: LocalBroker) -> Iterator[Running]:
    import sys

    root = str(Path(__file__).resolve().parents[2])
    sys.path.insert(0, root)
    asyncio.run(clean_broker(rabbit.url))
    try:
        with Running(rabbit.url) as running:
            yield running
    finally:
        sys.path.remove(root)


def test_an_order_travels_through_both_services_in_one_trace(services: Running) -> None:
    response = services.http.post("/orders", json=ORDER, headers={"traceparent": TRACE})
    assert response.status_code == 201, response.text
    order_id = response.json()["order_id"]
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and services.http.get(f"/orders/{order_id}").json()["status"] != "in_production":
        time.sleep(0.05)
    assert services.http.get(f"/orders/{order_id}").json()["status"] == "in_production"
    assert [job["status"] for job in services.planning.jobs[order_id]] == ["running"]
    # HTTP request -> order.created -> the MES handler -> production.job.started -> the order service: one trace
    assert trace_id(services.orders.traces[-1]) == trace_id(TRACE)


def test_the_message_fuzzer_passes_against_the_mes(services: Running) -> None:
    options = MessageFuzzOptions(
        max_examples=5, seed=17, include=("consumeOrderIntake", "publishProductionJobStarted"), settle=1.0
    )
    result = run_message_fuzz("order-events", services.url, options)
    assert result.ok, [f.message for f in result.failures] + [e.message for e in result.errors]
    runs = {run.operation: run for run in result.operations}
    assert runs["RECEIVE mes.order-intake"].requests >= 10  # valid and invalid, both messages
    assert runs["SEND production.job.started"].requests >= 1  # the MES answered the valid orders, conforming
    assert result.seed == 17


def test_the_fuzz_command_reports_in_junit_and_exits_0(services: Running, tmp_path: Path) -> None:
    junit = tmp_path / "fuzz.xml"
    args = ["fuzz", "order-events", "--amqp-url", services.url, "--seed", "3", "-n", "3", "--settle", "1"]
    result = CliRunner().invoke(cli, [*args, "--include", "consumeProductionJobEvents", "--junit-xml", str(junit)])
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "fuzz passed" in result.stdout and "(seed 3)" in result.stdout
    assert 'name="RECEIVE order-service.production-jobs"' in junit.read_text()


def test_the_fuzz_command_of_the_examples_readme_passes(services: Running, tmp_path: Path) -> None:
    readme = (Path(__file__).resolve().parents[2] / "examples" / "order_events" / "README.md").read_text()
    command = re.search(r"^(contractkit fuzz .*?)\n(?!  )", readme.replace("\\\n", ""), re.MULTILINE)
    assert command is not None
    words = shlex.split(command[1].replace("amqp://guest:guest@127.0.0.1:5672/", services.url))
    words = [str(tmp_path / "fuzz.xml") if word == "fuzz.xml" else word for word in words]
    result = CliRunner().invoke(cli, words[1:])
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "fuzz passed" in result.stdout and "not tested" not in result.stdout


def test_a_send_operation_nothing_was_published_on_is_not_a_pass(services: Running, tmp_path: Path) -> None:
    """Nobody publishes `order.cancelled` here: the operation was not tested, and the run says so and fails."""
    report = tmp_path / "fuzz.md"
    args = ["fuzz", "order-events", "--amqp-url", services.url, "--seed", "3", "-n", "2", "--settle", "0.5"]
    args += ["--include", "consumeProductionJobEvents", "--include", "publishOrderCancelled", "--report", str(report)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1, result.stdout + result.stderr
    assert "error: SEND order.cancelled: nothing captured" in result.stdout
    assert re.search(r"SEND order\.cancelled +0 +0  \(not tested: the service published nothing", result.stdout)
    assert "fuzz failed: " in result.stdout and ", 0 failed checks, 1 error in " in result.stdout
    markdown = report.read_text()
    assert "stateful sequences" not in markdown and "examples per operation and phase" not in markdown
    assert "at most 2 valid and 2 invalid messages per message" in markdown
