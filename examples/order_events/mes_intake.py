"""The MES order intake, a FastStream service held to `order-events` by contractkit's middleware.

It consumes `mes.order-intake` (`consumeOrderIntake`): for an `order.created` it plans one production job per
order item and starts the first one at once (this reference MES has an idle machine), publishing
`production.job.started` (`publishProductionJobStarted`); for an `order.cancelled` it cancels the order's jobs.
Every delivery is validated by the middleware before the handler runs (an invalid one is dead-lettered with its
reason), every publish before it leaves. The handler is idempotent on `message-id` (delivery is at least once).

Run it: `python -m examples.order_events.mes_intake --amqp-url amqp://guest:guest@127.0.0.1:5672/`.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from faststream.rabbit import RabbitBroker

from contractkit.messaging.aiopika import declare
from contractkit.messaging.faststream import ContractMiddleware, ValidatedMessage

from ._models import order_events

MODELS = order_events()
LOGGER = logging.getLogger("mes.intake")


@dataclass
class Planning:
    """The MES's jobs (in memory: a reference service, not a database)."""

    jobs: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # order id -> jobs
    seen: set[str] = field(default_factory=set)  # message ids already handled


def create_service(url: str, planning: Planning | None = None) -> tuple[RabbitBroker, Planning]:
    """Return the FastStream broker of the service (subscribers registered, middleware installed)."""
    planning = planning or Planning()
    contract = ContractMiddleware(MODELS)
    broker = RabbitBroker(url, logger=LOGGER)
    contract.install(broker)

    @broker.subscriber(contract.queue("consumeOrderIntake"))
    async def intake(received: ValidatedMessage) -> None:  # valid; its payload is the model of its own message
        message_id = str(received.message_id)
        if message_id in planning.seen:
            return  # a redelivery of what was handled already
        if received.message == "order.created":
            await _plan(broker, planning, received.payload, received.correlation_id)
        elif received.message == "order.cancelled":
            for job in planning.jobs.get(str(received.payload.order_id), []):
                job["status"] = "cancelled"
        planning.seen.add(message_id)

    return broker, planning


async def _plan(broker: RabbitBroker, planning: Planning, order: Any, correlation_id: Any) -> None:
    jobs = [
        {"job_id": str(uuid.uuid4()), "order_item_id": str(item.item_id), "quantity": item.quantity, "status": "queued"}
        for item in order.items
    ]
    planning.jobs[str(order.order_id)] = jobs
    first = jobs[0]
    first["status"] = "running"
    started = MODELS.ProductionJobStartedPayload(
        job_id=first["job_id"],
        job_number=f"JOB-{dt.date.today().year}-{len(planning.jobs) % 1_000_000:06d}",
        order_id=order.order_id,
        order_item_id=first["order_item_id"],
        machine=MODELS.MachineRef(machine_id=uuid.UUID(int=7), name="SLS-02"),
        quantity=first["quantity"],
        resumed=False,
        started_at=dt.datetime.now(dt.UTC),
    )
    await broker.publish(
        started,
        exchange="production.events",
        routing_key="production.job.started",
        correlation_id=str(correlation_id or order.order_id),
    )


async def serve(url: str) -> None:
    """Declare the contract's topology, then consume until cancelled."""
    await declare(MODELS, url)
    broker, _planning = create_service(url)
    await broker.start()
    try:
        await asyncio.Event().wait()
    finally:
        await broker.stop()


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the command line and serve until interrupted; returns the exit code."""
    parser = argparse.ArgumentParser(prog="python -m examples.order_events.mes_intake", description=__doc__)
    parser.add_argument("--amqp-url", default="amqp://guest:guest@127.0.0.1:5672/", help="the broker")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO)
    try:
        asyncio.run(serve(args.amqp_url))
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
