"""The reference services of examples/order_events on a real broker: an order's journey, its trace, and the
message fuzzer (`contractkit fuzz order-events --amqp-url ...`) passing against both services."""

from __future__ import annotations

import asyncio
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


def test_the_fuzzer_finds_a_service_that_drops_invalid_messages(rabbit: LocalBroker) -> None:
    """A consumer that acknowledges everything unvalidated: the fuzzer reports every invalid message it ate."""
    import aio_pika

    async def careless_consumer(stop: asyncio.Event, ready: asyncio.Event) -> None:
        from contractkit.messaging.aiopika import declare

        await declare("order-events", rabbit.url)
        connection = await aio_pika.connect(rabbit.url)
        channel = await connection.channel()
        queue = await channel.get_queue("order-service.production-jobs", ensure=False)

        async def swallow(message: Any) -> None:
            await message.ack()  # acknowledged, never looked at: an invalid message is silently lost

        await queue.consume(swallow)
        ready.set()
        await stop.wait()
        await connection.close()

    async def scenario() -> Any:
        from contractkit.messagefuzz import run_message_fuzz_async

        stop, ready = asyncio.Event(), asyncio.Event()
        consumer = asyncio.create_task(careless_consumer(stop, ready))
        await asyncio.wait([consumer, asyncio.ensure_future(ready.wait())], return_when=asyncio.FIRST_COMPLETED)
        if consumer.done():
            consumer.result()  # it failed to start: raise its error
        options = MessageFuzzOptions(max_examples=3, seed=5, include=("consumeProductionJobEvents",), settle=0.5)
        result = await run_message_fuzz_async("order-events", rabbit.url, options)
        stop.set()
        await consumer
        return result

    result = asyncio.run(scenario())
    assert not result.ok
    assert {f.check for f in result.failures} == {"invalid-dead-lettered"}
    assert all("--seed 5 --include consumeProductionJobEvents" in f.curl for f in result.failures)
