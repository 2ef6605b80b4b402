"""The message contracts on RabbitMQ: validation cost per message in-process, and end-to-end throughput.

Run: `.venv/bin/python -m benchmarks.bench_messaging [--rounds 30] [--messages 10000] [--repeat 3]`. Prints
Markdown. Needs `rabbitmq-server` (it starts a node of its own on 127.0.0.1, like the tests).

1. In-process, per message (contracts/order-events, the `order.created` example): `check_incoming` (what a
   consumer runs per delivery: content type, JSON parse, payload and headers schemas) and `check_outgoing` (what
   a publish runs: headers filled in, JSON encoding, both schemas), each call timed on its own, interleaved with
   the anchor: `json.loads` of the same body, the least any consumer does. Also Pydantic's
   `model_validate_json` on the generated model (what a FastStream handler's signature does). p50 and p90 in µs.
2. End to end through the real broker: N persistent messages published with publisher confirms (256 in flight;
   the same AMQP message each time: headers, type, message id, correlation id, timestamp)
   to `orders.events` with `order.created`, consumed from the contract's quorum queue `mes.order-intake`
   (prefetch 32, ack after the handler), timed from the first publish to the last ack. Contenders, interleaved
   round by round: raw aio-pika (the anchor: same queue, same settings, no validation), contractkit's
   `ContractClient` (validated publish and consume), FastStream without and with `ContractMiddleware`.
   Reported: median messages per second and the ratio to raw aio-pika of the same run.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import json
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from typing import Any

from benchmarks._timing import ROOT

ORDER_EVENTS = ROOT / "contracts" / "order-events" / "asyncapi.yaml"
IN_FLIGHT = 256
PREFETCH = 32


def _example() -> tuple[dict[str, Any], dict[str, str]]:
    import yaml

    doc = yaml.safe_load(ORDER_EVENTS.read_text())
    found = doc["components"]["messages"]["OrderCreated"]["examples"][0]
    return found["payload"], {k: str(v) for k, v in found["headers"].items()}


def _models() -> Any:
    import importlib

    sys.path.insert(0, str(ROOT / "generated"))
    return importlib.import_module("order_events.v1")


# --- 1. in-process -----------------------------------------------------------------------------------------
def in_process(rounds: int) -> str:
    """Time the validator per message; return the Markdown table."""
    from contractkit.messaging import MessageContract

    payload, headers = _example()
    body = json.dumps(payload).encode()
    contract = MessageContract.from_spec(ORDER_EVENTS)
    intake = contract.operation("consumeOrderIntake")
    publish = contract.operation("publishOrderCreated")
    model = _models().OrderCreatedPayload
    calls: dict[str, Callable[[], object]] = {
        "anchor: json.loads(body)": lambda: json.loads(body),
        "check_incoming (consume: parse + payload + headers)": lambda: contract.check_incoming(
            intake, body, headers, content_type="application/json", message_type="order.created"
        ),
        "check_outgoing (publish: fill headers, encode, payload + headers)": lambda: contract.check_outgoing(
            publish, payload, {}, correlation_id="c"
        ),
        "Pydantic model_validate_json (the generated model)": lambda: model.model_validate_json(body),
    }
    assert contract.check_incoming(
        intake, body, headers, content_type="application/json", message_type="order.created"
    ).ok
    samples: dict[str, list[int]] = {name: [] for name in calls}
    for _ in range(rounds):
        for name, call in calls.items():
            for _ in range(200):
                start = time.perf_counter_ns()
                call()
                samples[name].append(time.perf_counter_ns() - start)
    anchor = statistics.median(samples["anchor: json.loads(body)"])
    out = ["| per message | p50 (µs) | p90 (µs) | p50 over the anchor |", "| --- | ---: | ---: | ---: |"]
    for name, values in samples.items():
        values.sort()
        p50, p90 = statistics.median(values), values[int(len(values) * 0.9)]
        out.append(f"| {name} | {p50 / 1000:.1f} | {p90 / 1000:.1f} | {p50 / anchor:.1f}x |")
    return "\n".join(out)


# --- 2. end to end -----------------------------------------------------------------------------------------
async def _drain_topology(url: str) -> None:
    import aio_pika

    from contractkit.messaging.aiopika import declare

    await declare(ORDER_EVENTS, url)
    connection = await aio_pika.connect(url)
    channel = await connection.channel()
    queue = await channel.get_queue("mes.order-intake", ensure=False)
    await queue.purge()
    await connection.close()


async def _publish_all(count: int, publish: Callable[[int], Awaitable[object]]) -> None:
    semaphore = asyncio.Semaphore(IN_FLIGHT)

    async def one(index: int) -> None:
        async with semaphore:
            await publish(index)

    await asyncio.gather(*(one(i) for i in range(count)))


async def raw_aio_pika(url: str, count: int, *, robust: bool = False) -> float:
    """The anchor: aio-pika with the same settings and no validation (``robust``: a reconnecting connection)."""
    import aio_pika

    payload, headers = _example()
    body = json.dumps(payload).encode()
    done = asyncio.Event()
    seen = 0
    connection = await (aio_pika.connect_robust(url) if robust else aio_pika.connect(url))
    channel = await connection.channel()
    await channel.set_qos(prefetch_count=PREFETCH)
    queue = await channel.get_queue("mes.order-intake", ensure=False)

    async def on_message(message: Any) -> None:
        nonlocal seen
        json.loads(message.body)  # the least a consumer does with a message
        await message.ack()
        seen += 1
        if seen == count:
            done.set()

    await queue.consume(on_message)
    publisher = await connection.channel(publisher_confirms=True, on_return_raises=True)
    exchange = await publisher.get_exchange("orders.events", ensure=False)
    start = time.perf_counter()

    async def publish(index: int) -> None:
        message = aio_pika.Message(  # the same message ContractClient sends (properties the contract asks for)
            body,
            headers=headers,
            content_type="application/json",
            type="order.created",
            delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
            message_id=headers["message-id"],
            correlation_id=headers["correlation-id"],
            timestamp=datetime.datetime.now(datetime.UTC),
        )
        await exchange.publish(message, routing_key="order.created", mandatory=True)

    await _publish_all(count, publish)
    await done.wait()
    elapsed = time.perf_counter() - start
    await connection.close()
    return elapsed


async def contractkit_client(url: str, count: int) -> float:
    """contractkit's aio-pika runtime: validated, confirmed publishes; validated consumption, ack after."""
    from contractkit.messaging import ContractClient, Received

    payload, _headers = _example()
    done = asyncio.Event()
    seen = 0

    async def handler(received: Received) -> None:
        nonlocal seen
        seen += 1
        if seen == count:
            done.set()

    async with ContractClient(ORDER_EVENTS, url, metrics=False, prefetch=PREFETCH) as client:
        await client.consume("consumeOrderIntake", handler)
        start = time.perf_counter()
        await _publish_all(count, lambda i: client.publish("publishOrderCreated", payload, correlation_id="bench"))
        await done.wait()
        return time.perf_counter() - start


async def faststream(url: str, count: int, *, middleware: bool) -> float:
    """FastStream's RabbitBroker, bare or with contractkit's middleware."""
    from faststream.rabbit import Channel, RabbitBroker, RabbitExchange, RabbitQueue
    from faststream.rabbit.annotations import RabbitMessage

    from contractkit.messaging.faststream import ContractMiddleware

    payload, headers = _example()
    done = asyncio.Event()
    seen = 0
    broker = RabbitBroker(url, logger=None)
    if middleware:
        contract = ContractMiddleware(ORDER_EVENTS, metrics=False)
        contract.install(broker)
        queue = contract.queue("consumeOrderIntake")
    else:
        queue = RabbitQueue("mes.order-intake", declare=False)

    @broker.subscriber(queue, channel=Channel(prefetch_count=PREFETCH))
    async def handler(message: RabbitMessage) -> None:
        nonlocal seen
        seen += 1
        if seen == count:
            done.set()

    await broker.start()
    exchange = RabbitExchange("orders.events", declare=False)
    start = time.perf_counter()

    async def publish(index: int) -> None:
        await broker.publish(
            payload,
            exchange=exchange,
            routing_key="order.created",
            headers=None if middleware else headers,
            correlation_id="bench",
            persist=True,
            content_type="application/json",
            message_type="order.created",
        )

    await _publish_all(count, publish)
    await done.wait()
    elapsed = time.perf_counter() - start
    await broker.stop()
    return elapsed


def end_to_end(url: str, count: int, repeat: int) -> str:
    """Run the contenders interleaved ``repeat`` times; return the Markdown table (wall time and client CPU)."""
    contenders: dict[str, Callable[[], Awaitable[float]]] = {
        "anchor: raw aio-pika (confirms, persistent, no validation)": lambda: raw_aio_pika(url, count),
        "raw aio-pika, robust connection (what ContractClient uses)": lambda: raw_aio_pika(url, count, robust=True),
        "contractkit ContractClient (validated publish + consume)": lambda: contractkit_client(url, count),
        "FastStream, bare": lambda: faststream(url, count, middleware=False),
        "FastStream + ContractMiddleware": lambda: faststream(url, count, middleware=True),
    }
    samples: dict[str, list[float]] = {name: [] for name in contenders}
    cpu: dict[str, list[float]] = {name: [] for name in contenders}
    for _ in range(repeat):
        for name, run in contenders.items():
            asyncio.run(_drain_topology(url))
            before = time.process_time()
            samples[name].append(asyncio.run(run()))
            cpu[name].append(time.process_time() - before)
    anchor = count / statistics.median(samples[next(iter(contenders))])
    out = [
        f"| {count:,} messages end to end | median (s) | messages/s | ratio to raw aio-pika | client CPU per message |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for name, values in samples.items():
        seconds = statistics.median(values)
        per_message = statistics.median(cpu[name]) / count * 1e6
        out.append(
            f"| {name} | {seconds:.2f} | {count / seconds:,.0f} | {count / seconds / anchor:.2f}x | "
            f"{per_message:.0f} µs |"
        )
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=30, help="in-process rounds of 200 calls per contender")
    parser.add_argument("--messages", type=int, default=10_000, help="messages per end-to-end run")
    parser.add_argument("--repeat", type=int, default=3, help="end-to-end runs per contender")
    parser.add_argument("--skip-broker", action="store_true", help="only the in-process part")
    args = parser.parse_args()
    print(in_process(args.rounds))
    if args.skip_broker:
        return
    from contractkit.messaging.testing import LocalBroker

    with LocalBroker.start() as broker:
        print()
        print(end_to_end(broker.url, args.messages, args.repeat))


if __name__ == "__main__":
    main()
