"""`contractkit dlq`: a thin command over the DLQ library; clear errors and exit codes."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import aio_pika
import pytest
from typer.testing import CliRunner

from contractkit.cli.app import app

from ._support import ORDER_EVENTS, ROOT, example

ORDER = example("order-events", "OrderCreated")
FAILED = "5b2c1d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


async def _two_dead_letters(url: str) -> None:
    """Declare the topology and put two letters in the DLQ as a consumer would (one broken, one failed)."""
    from contractkit.messaging.aiopika import declare

    await declare(ORDER_EVENTS, url)
    connection = await aio_pika.connect(url)
    channel = await connection.channel(publisher_confirms=True)
    exchange = await channel.get_exchange("orders.events.dlx", ensure=False)
    for message_id, reason, body in (
        ("broken-1", "payload-schema", b'{"order_id": "nope"}'),
        (FAILED, "handler-failed", json.dumps(ORDER["payload"]).encode()),
    ):
        headers = {
            **ORDER["headers"],
            "message-id": message_id,
            "x-contractkit-reason": reason,
            "x-contractkit-location": "payload#/order_id" if reason == "payload-schema" else "handler",
            "x-contractkit-message": "is not a uuid" if reason == "payload-schema" else "TimeoutError: db",
            "x-contractkit-queue": "mes.order-intake",
            "x-contractkit-original-exchange": "orders.events",
            "x-contractkit-original-routing-key": "order.created",
            "x-contractkit-dead-lettered-at": "2025-01-01T00:00:00Z",
        }
        message = aio_pika.Message(
            body, headers=headers, content_type="application/json", type="order.created", message_id=message_id
        )
        await exchange.publish(message, routing_key="mes.order-intake")
    await connection.close()


def test_list_show_replay_and_purge_from_the_command_line(amqp_url: str) -> None:
    asyncio.run(_two_dead_letters(amqp_url))
    code, out, _ = run("dlq", "list", str(ORDER_EVENTS), "--amqp-url", amqp_url)
    assert code == 0
    assert "2 dead letters in `orders.events.dlq`" in out
    assert "payload-schema at payload#/order_id" in out

    code, out, _ = run("dlq", "list", str(ORDER_EVENTS), "--amqp-url", amqp_url, "--format", "json")
    doc = json.loads(out)
    assert (code, doc["total"]) == (0, 2)
    assert {g["reason"]: g["message_ids"] for g in doc["groups"]} == {
        "payload-schema": ["broken-1"],
        "handler-failed": [FAILED],
    }

    code, out, _ = run("dlq", "show", str(ORDER_EVENTS), "broken-1", "--amqp-url", amqp_url, "--format", "json")
    assert code == 0 and json.loads(out)["payload"] == '{"order_id": "nope"}'

    # still broken: refused by the contract, left in the queue, exit 1
    code, out, _ = run("dlq", "replay", str(ORDER_EVENTS), "--amqp-url", amqp_url, "--id", "broken-1")
    assert code == 1 and "still invalid, left in the queue: broken-1" in out

    code, out, _ = run("dlq", "replay", str(ORDER_EVENTS), "--amqp-url", amqp_url, "--older-than", "1d")
    assert code == 1 and f"replayed: 1\n  {FAILED}" in out
    code, out, _ = run("dlq", "list", str(ORDER_EVENTS), "--amqp-url", amqp_url)
    assert out.startswith("1 dead letter in `orders.events.dlq`\n")  # one letter, one "letter"

    code, out, _ = run("dlq", "purge", str(ORDER_EVENTS), "--amqp-url", amqp_url, "--all", "--format", "json")
    assert code == 0 and json.loads(out)["done"] == ["broken-1"]
    code, out, _ = run("dlq", "list", str(ORDER_EVENTS), "--amqp-url", amqp_url)
    assert "0 dead letters" in out


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        pytest.param(("list",), "cannot connect to amqp://127.0.0.1:1/", id="unreachable"),
        pytest.param(("replay",), "no dead letters selected", id="nothing-selected"),
        pytest.param(("replay", "--older-than", "soon"), "is not a duration", id="bad-duration"),
        pytest.param(("list", "--queue", "nope"), "declares no queue `nope`", id="unknown-queue"),
        pytest.param(("list", "--queue", "mes.order-intake"), "not a dead-letter queue", id="list-live-queue"),
        pytest.param(("show", "x", "-q", "mes.order-intake"), "not a dead-letter queue", id="show-live-queue"),
        pytest.param(
            ("replay", "--all", "--queue", "order-service.production-jobs"), "not a dead-letter queue", id="replay-live"
        ),
        pytest.param(("purge", "--all", "--queue", "mes.order-intake"), "not a dead-letter queue", id="purge-live"),
    ],
)
def test_errors_are_one_message_with_a_tip_and_exit_2(args: tuple[str, ...], expected: str) -> None:
    command, *rest = args
    code, _out, err = run("dlq", command, str(ORDER_EVENTS), "--amqp-url", "amqp://guest:pw@127.0.0.1:1/", *rest)
    assert code == 2
    assert expected in err
    assert "Tip:" in err
    assert "Traceback" not in err
    if "queue" in expected:  # the tip names the dead-letter queues as text, not as a Python list
        assert err.rstrip().endswith("Tip: name a dead-letter queue of `order-events`: `orders.events.dlq`.")


def test_a_live_queue_is_not_read_as_dead_letters(amqp_url: str) -> None:
    """`--queue` of a queue a consumer reads: refused before anything is taken from it."""
    from contractkit.messaging.aiopika import declare

    async def put_one() -> None:
        await declare(ORDER_EVENTS, amqp_url)
        connection = await aio_pika.connect(amqp_url)
        channel = await connection.channel(publisher_confirms=True)
        body = json.dumps(ORDER["payload"]).encode()
        message = aio_pika.Message(body, headers=ORDER["headers"], content_type="application/json", message_id="m")
        await channel.default_exchange.publish(message, routing_key="mes.order-intake")
        await connection.close()

    async def count() -> int:
        connection = await aio_pika.connect(amqp_url)
        channel = await connection.channel()
        queue = await channel.declare_queue("mes.order-intake", passive=True)
        await connection.close()
        return int(queue.declaration_result.message_count or 0)

    asyncio.run(put_one())
    for command in (("list",), ("replay", "--all"), ("purge", "--all")):
        code, out, err = run("dlq", *command, str(ORDER_EVENTS), "--amqp-url", amqp_url, "--queue", "mes.order-intake")
        assert (code, out) == (2, ""), err
        assert "`mes.order-intake` is not a dead-letter queue of contract `order-events`" in err
    assert asyncio.run(count()) == 1


@pytest.mark.parametrize(
    ("where", "catalog", "expected"),
    [
        pytest.param("root", None, "cannot connect", id="from-the-repository"),
        pytest.param("elsewhere", ROOT / "contracts" / "catalog.yaml", "cannot connect", id="catalog-option"),
        pytest.param("elsewhere", None, "no catalog found (looked for contracts/catalog.yaml", id="no-catalog"),
        pytest.param("elsewhere", ROOT / "nope.yaml", "could not read the catalog", id="missing-catalog"),
    ],
)
@pytest.mark.parametrize("command", ["list", "show x", "replay --all", "purge --all"])
def test_the_catalog_id_is_looked_up_in_the_catalog(
    command: str, where: str, catalog: Any, expected: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    monkeypatch.chdir(ROOT if where == "root" else tmp_path)
    name, *rest = command.split()
    options = ["--catalog", str(catalog)] if catalog is not None else []
    code, _out, err = run("dlq", name, "order-events", *rest, "--amqp-url", "amqp://127.0.0.1:1/", *options)
    assert code == 2 and expected in err, err  # "cannot connect": the contract was found; the broker was not
