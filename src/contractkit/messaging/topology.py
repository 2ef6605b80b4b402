"""The RabbitMQ topology a contract declares: exchanges, queues with their arguments, and the bindings between them.

:func:`plan_topology` reads it from the AMQP bindings of an AsyncAPI view (no broker needed);
:func:`dead_letter_problems` says which consumed queue would drop its dead letters; the aio-pika runtime declares
the plan (:func:`contractkit.messaging.aiopika.declare_topology`) and turns RabbitMQ's ``PRECONDITION_FAILED``
into a :class:`~contractkit.messaging.errors.TopologyConflict` with :func:`explain_precondition`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from contractkit.spec.asyncapi import AmqpQueue, AsyncApiView


@dataclass(frozen=True, slots=True)
class ExchangeSpec:
    """An exchange to declare (``type`` ``None``: the contract names it without saying what it is)."""

    name: str
    type: str | None
    durable: bool = True
    auto_delete: bool = False


@dataclass(frozen=True, slots=True)
class BindingSpec:
    """A queue bound to an exchange with a routing key (a pattern on a topic exchange)."""

    queue: str
    exchange: str
    routing_key: str


@dataclass(frozen=True, slots=True)
class Topology:
    """Everything a contract declares on the broker, in declaration order (exchanges, queues, bindings).

    Attributes:
        problems: contradictions inside the contract itself (one exchange declared twice, differently).
    """

    exchanges: tuple[ExchangeSpec, ...]
    queues: tuple[AmqpQueue, ...]
    bindings: tuple[BindingSpec, ...]
    problems: tuple[str, ...] = ()

    def queue(self, name: str) -> AmqpQueue | None:
        """Return the queue ``name``, if the contract declares it."""
        return next((q for q in self.queues if q.name == name), None)

    def exchange(self, name: str) -> ExchangeSpec | None:
        """Return the exchange ``name``, if the contract declares it."""
        return next((e for e in self.exchanges if e.name == name), None)

    def dead_letter_queues(self) -> set[str]:
        """Return the queues that hold dead letters: those bound to some queue's dead-letter exchange."""
        exchanges = {q.dead_letter_exchange for q in self.queues if q.dead_letter_exchange}
        return {b.queue for b in self.bindings if b.exchange in exchanges}

    def routes(self, exchange: str, routing_key: str) -> list[str]:
        """Return the queues a message published to ``exchange`` with ``routing_key`` reaches."""
        if exchange == "":
            return [routing_key] if self.queue(routing_key) is not None else []
        spec = self.exchange(exchange)
        kind = spec.type if spec is not None else None
        found = []
        for binding in self.bindings:
            if binding.exchange != exchange:
                continue
            if kind == "fanout" or (
                topic_matches(binding.routing_key, routing_key)
                if kind == "topic"
                else binding.routing_key == routing_key
            ):
                found.append(binding.queue)
        return found


def plan_topology(view: AsyncApiView) -> Topology:
    """Return the exchanges, queues and bindings that the channels' AMQP bindings declare."""
    exchanges: dict[str, ExchangeSpec] = {}
    queues: dict[str, AmqpQueue] = {}
    bindings: dict[tuple[str, str, str], BindingSpec] = {}
    problems: list[str] = []

    def add_exchange(spec: ExchangeSpec, where: str) -> None:
        known = exchanges.get(spec.name)
        if known is None or known.type is None:
            exchanges[spec.name] = spec
        elif spec.type is not None and known != spec:
            problems.append(
                f"exchange `{spec.name}` is declared two ways ({_describe(known)}; {where}: {_describe(spec)})"
            )

    for channel in view.channels.values():
        amqp = channel.amqp
        if amqp is None:
            continue
        if amqp.exchange is not None and amqp.exchange.name:
            e = amqp.exchange
            add_exchange(ExchangeSpec(e.name, e.type, e.durable, e.auto_delete), f"channel `{channel.key}`")
        if amqp.queue is None:
            continue
        q = amqp.queue
        queues.setdefault(q.name, q)
        for bound in q.bound_to:
            add_exchange(ExchangeSpec(bound.exchange, bound.exchange_type), f"queue `{q.name}`")
            bindings.setdefault(
                (q.name, bound.exchange, bound.routing_key), BindingSpec(q.name, bound.exchange, bound.routing_key)
            )
        dlx = q.dead_letter_exchange
        if dlx:
            add_exchange(ExchangeSpec(dlx, None), f"queue `{q.name}`")
    ordered = sorted(exchanges.values(), key=lambda e: e.name)
    return Topology(tuple(ordered), tuple(queues.values()), tuple(bindings.values()), tuple(problems))


def dead_letter_problems(topology: Topology, queue: str) -> list[str]:
    """Return why dead letters of ``queue`` would be lost (empty when they reach a queue of the contract)."""
    spec = topology.queue(queue)
    if spec is None:
        return [f"queue `{queue}` is not declared by the contract"]
    dlx = spec.dead_letter_exchange
    if dlx is None:
        return [f"queue `{queue}` has no `x-dead-letter-exchange`: a refused message would have nowhere to go"]
    key = spec.dead_letter_routing_key
    reached = [b.queue for b in topology.bindings if b.exchange == dlx] if key is None else topology.routes(dlx, key)
    if not reached:
        with_key = f" with the routing key `{key}`" if key is not None else ""
        return [f"no queue of the contract is bound to `{dlx}`{with_key}: the dead letters of `{queue}` would be lost"]
    return []


def topic_matches(pattern: str, key: str) -> bool:
    """Return whether a topic binding ``pattern`` (``*`` one word, ``#`` zero or more) matches ``key``."""
    return _topic_regex(pattern).fullmatch(key) is not None


_TOPIC_CACHE: dict[str, re.Pattern[str]] = {}


def _topic_regex(pattern: str) -> re.Pattern[str]:
    found = _TOPIC_CACHE.get(pattern)
    if found is None:
        parts: list[str] = []
        for word in pattern.split("."):
            parts.append({"*": r"[^.]+", "#": r"(?:[^.]+(?:\.[^.]+)*)?"}.get(word, re.escape(word)))
        text = r"\.".join(parts)
        # `#` may match zero words: its neighbouring dot becomes optional.
        text = text.replace(r"\.(?:[^.]+(?:\.[^.]+)*)?", r"(?:\.[^.]+)*").replace(
            r"(?:[^.]+(?:\.[^.]+)*)?\.", r"(?:[^.]+\.)*"
        )
        found = _TOPIC_CACHE[pattern] = re.compile(text)
    return found


_INEQUIVALENT = re.compile(
    r"inequivalent arg '(?P<arg>[^']+)' for (?P<kind>exchange|queue) '(?P<name>[^']*)' in vhost '(?P<vhost>[^']*)':"
    r" received (?P<sent>.+?) but current is (?P<current>.+)$"
)


def explain_precondition(text: str, expected: Mapping[str, Any] | None = None) -> str:
    """Turn RabbitMQ's ``PRECONDITION_FAILED`` text into a sentence naming the exchange or queue and argument.

    ``inequivalent arg 'x-queue-type' for queue 'q' in vhost '/': received 'classic' but current is 'quorum'``
    becomes ``queue `q`: `x-queue-type` is `quorum` on the broker, the contract says `classic```.
    """
    found = _INEQUIVALENT.search(text)
    if found is None:
        return text.removeprefix("PRECONDITION_FAILED - ")
    sent, current = _value(found["sent"]), _value(found["current"])
    arg = found["arg"]
    return (
        f"{found['kind']} `{found['name']}` (vhost `{found['vhost']}`): `{arg}` is {current} on the broker, "
        f"the contract says {sent}"
    )


def _value(text: str) -> str:
    text = text.strip()
    if text == "none":
        return "not set"
    typed = re.match(r"the value '(?P<v>[^']*)' of type '(?P<t>[^']*)'", text)
    if typed is not None:
        return f"`{typed['v']}`"
    return f"`{text.strip(chr(39))}`"


def _describe(spec: ExchangeSpec) -> str:
    return f"type `{spec.type}`, durable `{spec.durable}`, autoDelete `{spec.auto_delete}`"
