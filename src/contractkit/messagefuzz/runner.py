"""The message twin of ``contractkit fuzz``: a live message service tested against its AsyncAPI contract.

For each receive operation (a queue the service consumes), valid messages drawn from the contract are sent to
the queue, and must be acknowledged (none dead-lettered); invalid ones (schema-breaking payloads drawn by the
same generator, and broken JSON) must be dead-lettered with a reason (not lost, not handled, the service not
crashed). Dead letters are watched on a temporary queue bound to the queue's dead-letter exchange; the fuzz
letters are purged from the real dead-letter queue afterwards. For each send operation, what the service
publishes during the run is captured on a temporary queue and checked against the contract.

The result is a :class:`contractkit.fuzz.result.FuzzResult`, so the HTTP fuzzer's text, Markdown and JUnit
reports render it; the same seed sends the same messages.
"""

from __future__ import annotations

import asyncio
import json
import random
import shlex
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from contractkit.errors import UsageError
from contractkit.fuzz.result import FailedCheck, FuzzResult, OperationRun, RunError, StopReason
from contractkit.messagefuzz.strategies import draw, payload_strategy
from contractkit.messaging._compile import CompiledOperation
from contractkit.messaging.capture import Capture
from contractkit.messaging.contract import MessageContract
from contractkit.messaging.deadletter import REASON, DeadLetterReason
from contractkit.messaging.errors import broker_unreachable, masked_url
from contractkit.messaging.topology import Topology, plan_topology

CHECKS = ("valid-acknowledged", "invalid-dead-lettered", "published-conforms")
Mode = Literal["positive", "negative", "all"]


@dataclass(frozen=True, slots=True)
class MessageFuzzOptions:
    """How much to send and how long to wait.

    Attributes:
        max_examples: valid and invalid messages per message of each receive operation (each, at most).
        time_budget: seconds; no new operation starts once spent.
        seed: the seed that repeats the run (random when ``None``).
        mode: ``positive`` (valid only), ``negative`` (invalid only) or ``all``.
        include, exclude: operation keys to test, or to leave out.
        settle: seconds to wait, once a queue is drained, for late acknowledgements and dead letters (longer
            than the service's retries of a failing handler).
    """

    max_examples: int = 10
    time_budget: float = 120.0
    seed: int | None = None
    mode: Mode = "all"
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    settle: float = 3.0

    def __post_init__(self) -> None:
        """Refuse bounds that make no run."""
        if self.max_examples < 1 or self.time_budget <= 0 or self.settle < 0:
            raise UsageError(
                "--max-examples must be at least 1, --time-budget above 0 and --settle not negative",
                title="invalid fuzz option",
            )


@dataclass(slots=True)
class _Sent:
    operation: str
    message: str
    valid: bool
    body: bytes
    note: str


@dataclass(slots=True)
class _Run:
    contract: MessageContract
    topology: Topology
    url: str
    options: MessageFuzzOptions
    seed: int
    target: str  # the contract as the command line named it (for the command that repeats a failure)
    catalog: Path | None
    runs: list[OperationRun] = field(default_factory=list)
    failures: list[FailedCheck] = field(default_factory=list)
    errors: list[RunError] = field(default_factory=list)


def run_message_fuzz(
    spec: object, url: str, options: MessageFuzzOptions | None = None, *, catalog: Path | None = None
) -> FuzzResult:
    """Fuzz the message service behind ``url`` with the contract ``spec`` (see the module docstring).

    Args:
        spec: the contract (a catalog id, a path, a dict, a generated package).
        url: the broker.
        options: how much to send and how long to wait.
        catalog: the catalog file to look a contract id up in (default: ``contracts/catalog.yaml`` here or above).

    Raises:
        BrokerUnreachable: no connection to the broker.
        ContractkitError: the contract cannot be used, or an option is wrong.
    """
    return asyncio.run(run_message_fuzz_async(spec, url, options or MessageFuzzOptions(), catalog=catalog))


async def run_message_fuzz_async(
    spec: object, url: str, options: MessageFuzzOptions, *, catalog: Path | None = None
) -> FuzzResult:
    """:func:`run_message_fuzz`, in a running event loop."""
    import aio_pika

    contract = MessageContract.from_spec(spec, catalog=catalog)
    _check_names(contract, options)
    seed = options.seed if options.seed is not None else random.randrange(2**31)
    target = str(spec) if isinstance(spec, str | Path) else contract.name
    run = _Run(contract, plan_topology(contract.view), url, options, seed, target, catalog)
    started = time.monotonic()
    stop: StopReason = "completed"
    try:
        connection = await aio_pika.connect(url)
    except (TimeoutError, OSError, aio_pika.exceptions.AMQPError) as exc:
        raise broker_unreachable(url, exc) from None
    try:
        captures = await _open_captures(run, connection)
        for op in contract.receives():
            if not _selected(op.key, options):
                continue
            if time.monotonic() - started > options.time_budget:
                stop = "time-budget"
                run.runs.append(OperationRun(op.label, 0, skipped="the time budget was spent"))
                continue
            await _fuzz_receive(run, connection, op)
        await asyncio.sleep(min(options.settle, 1.0))
        for op, capture in captures:
            _judge_captured(run, op, capture)
            await capture.close()
    finally:
        await connection.close()
    return FuzzResult(
        contract=contract.name,
        base_url=masked_url(url),
        seed=seed,
        checks=CHECKS,
        operations=tuple(run.runs),
        failures=tuple(run.failures),
        errors=tuple(run.errors),
        stop=stop,
        elapsed=time.monotonic() - started,
        time_budget=options.time_budget,
        max_examples=options.max_examples,
    )


def _check_names(contract: MessageContract, options: MessageFuzzOptions) -> None:
    for name in (*options.include, *options.exclude):
        contract.operation(name)  # UnknownOperation, the known ones listed


def _selected(key: str, options: MessageFuzzOptions) -> bool:
    return (not options.include or key in options.include) and key not in options.exclude


async def _open_captures(run: _Run, connection: Any) -> list[tuple[CompiledOperation, Capture]]:
    import aio_pika

    captures = []
    for op in run.contract.sends():
        if not _selected(op.key, run.options):
            continue
        try:
            captures.append((op, await Capture.open(run.contract, op.key, connection)))
        except aio_pika.exceptions.ChannelNotFoundEntity:
            run.errors.append(
                RunError(op.label, "exchange missing", f"the exchange `{op.exchange}` does not exist on the broker")
            )
            run.runs.append(OperationRun(op.label, 0, skipped=f"exchange `{op.exchange}` missing"))
    return captures


async def _fuzz_receive(run: _Run, connection: Any, op: CompiledOperation) -> None:
    import aio_pika

    queue = run.topology.queue(op.queue or "")
    if queue is None or queue.dead_letter_exchange is None:
        why = "a dead-letter queue" if op.queue in run.topology.dead_letter_queues() else "no dead-letter exchange"
        run.runs.append(OperationRun(op.label, 0, skipped=why))
        return
    channel = await connection.channel(publisher_confirms=True)
    try:
        declared = await channel.declare_queue(queue.name, passive=True)
    except aio_pika.exceptions.ChannelNotFoundEntity:
        run.errors.append(
            RunError(op.label, "queue missing", f"the queue `{queue.name}` does not exist: start the service")
        )
        run.runs.append(OperationRun(op.label, 0, skipped="queue missing"))
        return
    if not declared.declaration_result.consumer_count:
        run.errors.append(
            RunError(op.label, "no consumer", f"nothing consumes `{queue.name}`: start the service, then fuzz it")
        )
        run.runs.append(OperationRun(op.label, 0, skipped="no consumer"))
        await channel.close()
        return
    watcher = await channel.declare_queue("", exclusive=True, auto_delete=True)
    await watcher.bind(queue.dead_letter_exchange, routing_key=queue.dead_letter_routing_key or "#")
    dead: dict[str, dict[str, Any]] = {}

    async def seen(message: Any) -> None:
        dead[str(message.message_id)] = dict(message.headers or {})

    await watcher.consume(seen, no_ack=True)
    sent = _messages(run, op)
    for message_id, item in sent.items():
        raw = aio_pika.Message(
            item.body,
            headers={**_valid_headers(run), "message-id": message_id},
            content_type="application/json",
            type=item.message,
            message_id=message_id,
            delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
        )
        await channel.default_exchange.publish(raw, routing_key=queue.name, mandatory=True)
    await _settle(run, channel, queue.name, sent, dead)
    _judge_sent(run, op, sent, dead)
    await channel.close()
    await _purge_fuzz_letters(run, sent)


def _messages(run: _Run, op: CompiledOperation) -> dict[str, _Sent]:
    """Draw the valid and invalid messages for ``op`` (message ids derived from the seed: the same every run)."""
    sent: dict[str, _Sent] = {}
    count = run.options.max_examples
    namespace = uuid.UUID(int=run.seed)
    for message in op.messages:
        name = message.spec.message_type or message.spec.name
        if run.options.mode in ("positive", "all"):
            strategy = payload_strategy(message, "positive")
            for value in draw(strategy, count, run.seed) if strategy is not None else []:
                verdict = run.contract.check_outgoing(op, value, None, message=message.spec.key, correlation_id="fuzz")
                if verdict.ok:
                    key = str(uuid.uuid5(namespace, f"{op.key}/{name}/valid/{len(sent)}"))
                    sent[key] = _Sent(op.key, name, True, verdict.body, "a valid message drawn from the contract")
        if run.options.mode in ("negative", "all"):
            strategy = payload_strategy(message, "negative")
            values: list[Any] = draw(strategy, count - 1, run.seed) if strategy is not None and count > 1 else []
            for value in [*values, b'{"truncated": ']:
                body = value if isinstance(value, bytes) else json.dumps(value).encode()
                verdict = run.contract.check_incoming(
                    op, body, _valid_headers(run), content_type="application/json", message_type=name
                )
                if not verdict.ok:
                    key = str(uuid.uuid5(namespace, f"{op.key}/{name}/invalid/{len(sent)}"))
                    note = f"invalid: {verdict.errors[0].location}: {verdict.errors[0].message}"
                    sent[key] = _Sent(op.key, name, False, body, note)
    return sent


def _valid_headers(run: _Run) -> dict[str, Any]:
    return {
        "traceparent": f"00-{run.seed:032x}-{1:016x}-01",
        "message-id": str(uuid.uuid4()),
        "correlation-id": "fuzz",
        "schema-version": run.contract.version or "1.0.0",
    }


async def _settle(run: _Run, channel: Any, queue: str, sent: dict[str, _Sent], dead: dict[str, Any]) -> None:
    """Wait until the queue is drained and every invalid message is dead-lettered, then ``settle`` seconds more."""
    invalid = {key for key, item in sent.items() if not item.valid}
    deadline = time.monotonic() + max(run.options.settle * 4, 10.0)
    while time.monotonic() < deadline:
        declared = await channel.declare_queue(queue, passive=True)
        if not declared.declaration_result.message_count and invalid <= dead.keys():
            break
        await asyncio.sleep(0.1)
    await asyncio.sleep(run.options.settle)


def _judge_sent(run: _Run, op: CompiledOperation, sent: dict[str, _Sent], dead: dict[str, dict[str, Any]]) -> None:
    reproduce = _reproduce(run, (op.key,))  # the messages of one receive operation do not depend on the others
    failures = 0
    for message_id, item in sent.items():
        letter = dead.get(message_id)
        if item.valid and letter is not None:
            reason = DeadLetterReason.from_headers(letter)
            failures += 1
            run.failures.append(
                FailedCheck(
                    op.label,
                    "valid-acknowledged",
                    "a valid message was dead-lettered",
                    f"message {message_id} ({item.message}) was dead-lettered: {reason.reason} at {reason.location}: "
                    f"{reason.message}\npayload: {item.body.decode('utf-8', 'replace')[:1000]}",
                    reproduce,
                    None,
                )
            )
        elif not item.valid and letter is None:
            failures += 1
            run.failures.append(
                FailedCheck(
                    op.label,
                    "invalid-dead-lettered",
                    "an invalid message was not dead-lettered (lost, or handled unvalidated)",
                    f"message {message_id} ({item.message}, {item.note}) never reached the dead-letter exchange\n"
                    f"payload: {item.body.decode('utf-8', 'replace')[:1000]}",
                    reproduce,
                    None,
                )
            )
        elif not item.valid and letter is not None and REASON not in letter and "x-death" not in letter:
            failures += 1
            run.failures.append(
                FailedCheck(
                    op.label,
                    "invalid-dead-lettered",
                    "a dead letter carries no reason",
                    f"message {message_id} was dead-lettered without `{REASON}` nor `x-death`",
                    reproduce,
                    None,
                )
            )
    run.runs.append(OperationRun(op.label, len(sent), failures))


def _judge_captured(run: _Run, op: CompiledOperation, capture: Capture) -> None:
    captured = capture.drain()
    failures = 0
    for item in captured:
        if not item.verdict.ok:
            failures += 1
            shown = "\n".join(f"{e.location}: {e.message} ({e.rule})" for e in item.verdict.errors[:10])
            run.failures.append(
                FailedCheck(
                    op.label,
                    "published-conforms",
                    "the service published a message that breaks the contract",
                    f"message {item.message_id} on `{item.routing_key}`:\n{shown}",
                    # what the service publishes answers the messages of the whole run: repeat all of it
                    _reproduce(run, run.options.include, run.options.exclude),
                    None,
                )
            )
    skipped = None
    if not captured:  # not a pass: nothing was checked (HTTP: an operation that could not be tested)
        skipped = "the service published nothing on it during the run"
        run.errors.append(
            RunError(
                op.label,
                "nothing captured",
                f"the service published nothing to `{op.exchange or '(default)'}` with `{op.routing_key}` during the "
                "run, so `published-conforms` checked nothing: make it publish (the fuzzed receive operations may "
                "trigger it), or leave the operation out (--include the service's own operations, or --exclude it)",
            )
        )
    run.runs.append(OperationRun(op.label, len(captured), failures, skipped=skipped))


async def _purge_fuzz_letters(run: _Run, sent: dict[str, _Sent]) -> None:
    from contractkit.messaging.dlq import DeadLetterQueue, DeadLetterSelection

    for name in sorted(run.topology.dead_letter_queues()):
        dlq = DeadLetterQueue(run.contract, run.url, queue=name)
        await dlq.purge(DeadLetterSelection(message_ids=frozenset(sent)))


def _reproduce(run: _Run, include: tuple[str, ...], exclude: tuple[str, ...] = ()) -> str:
    """Return the command that sends the same messages again: every option that changes what is sent or judged."""
    options = run.options
    words = ["contractkit", "fuzz", run.target]
    if run.catalog is not None:
        words += ["--catalog", str(run.catalog)]
    words += ["--amqp-url", masked_url(run.url), "--seed", str(run.seed), "-n", str(options.max_examples)]
    words += ["--settle", f"{options.settle:g}"]
    if options.mode != "all":
        words += ["--mode", options.mode]
    for key in include:
        words += ["--include", key]
    for key in exclude:
        words += ["--exclude", key]
    return shlex.join(words)
