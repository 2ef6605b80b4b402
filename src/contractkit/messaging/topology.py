"""The RabbitMQ topology a contract declares: exchanges, queues with their arguments, and the bindings between them.

:func:`plan_topology` reads it from the AMQP bindings of an AsyncAPI view (no broker needed);
:func:`dead_letter_problems` says which consumed queue would drop its dead letters; the aio-pika runtime declares
the plan (:func:`contractkit.messaging.aiopika.declare_topology`) and turns RabbitMQ's ``PRECONDITION_FAILED``
into a :class:`~contractkit.messaging.errors.TopologyConflict` with :func:`explain_precondition`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
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
_TYPED = re.compile(r"the value '(?P<v>[^']*)' of type '(?P<t>[^']*)'")
_INTEGER_TYPES = frozenset(
    {"byte", "short", "signedint", "long", "unsignedbyte", "unsignedshort", "unsignedint", "longlong"}
)
_INTEGER = re.compile(r"-?[0-9]+")
_PROPERTIES = frozenset({"type", "durable", "auto_delete", "exclusive", "internal"})
NOT_SET = object()  # an argument the broker's queue or exchange does not have
UNKNOWN = object()  # a value RabbitMQ printed in a form that cannot be read back (a table, an array)


@dataclass(frozen=True, slots=True)
class Inequivalent:
    """One contradiction RabbitMQ reported (``PRECONDITION_FAILED - inequivalent arg ...``).

    Attributes:
        kind: ``queue`` or ``exchange``.
        name, vhost: which one.
        argument: ``x-queue-type``, ``x-max-length``... or a property: ``durable``, ``auto_delete``, ``type``.
        sent, current: RabbitMQ's text of the declared value and of the broker's.
    """

    kind: str
    name: str
    vhost: str
    argument: str
    sent: str
    current: str

    def explain(self) -> str:
        """Return the sentence of :func:`explain_precondition`."""
        return (
            f"{self.kind} `{self.name}` (vhost `{self.vhost}`): `{self.argument}` is {_value(self.current)} on the "
            f"broker, the contract says {_value(self.sent)}"
        )

    def current_value(self, declared: Any = NOT_SET) -> Any:
        """Return the broker's value as a declaration would send it (``NOT_SET``, or ``UNKNOWN``).

        ``declared`` (the contract's value, when it has one) says how to read an untyped value: RabbitMQ prints
        ``'10'`` for both the number and the text.
        """
        text = self.current.strip()
        if text == "none":
            return NOT_SET
        typed = _TYPED.fullmatch(text)
        if typed is not None:
            value, kind = typed["v"], typed["t"]
            if kind in _INTEGER_TYPES:
                return int(value)
            if kind in ("double", "float"):
                return float(value)
            if kind == "bool":
                return value == "true"
            return value if kind == "longstr" else UNKNOWN
        if not (text.startswith("'") and text.endswith("'")):
            return UNKNOWN
        value = text[1:-1]
        if isinstance(declared, bool):
            return value == "true"
        if isinstance(declared, int) or (declared is NOT_SET and _INTEGER.fullmatch(value)):
            return int(value) if _INTEGER.fullmatch(value) else UNKNOWN
        if declared is NOT_SET and value in ("true", "false"):
            return value == "true"
        return value


def parse_precondition(text: str) -> Inequivalent | None:
    """Return the contradiction in RabbitMQ's ``PRECONDITION_FAILED`` text, ``None`` when it is another error."""
    found = _INEQUIVALENT.search(text)
    if found is None:
        return None
    return Inequivalent(
        found["kind"], found["name"], found["vhost"], found["arg"], found["sent"].strip(), found["current"].strip()
    )


@dataclass(slots=True)
class Redeclaration:
    """Every contradiction of one exchange or queue, found by declaring it again after each refusal.

    RabbitMQ names one contradiction per refused declaration (and closes the channel). :meth:`refused` notes it and
    puts the broker's value of that argument into :attr:`declaration`; declared again, RabbitMQ names the next
    one, until the declaration is equivalent. So every contradiction is reported in one go::

        tracker = Redeclaration({"type": "topic", "durable": True, "auto_delete": False})
        while True:
            try:
                declare(tracker.declaration)    # on a new channel after a refusal
                break
            except PreconditionFailed as exc:
                if not tracker.refused(str(exc)):
                    break

    Attributes:
        declaration: what to declare: ``type``, ``durable``, ``auto_delete``, ``exclusive``, ``arguments`` as the
            client's declare call takes them (``None``: a passive declaration, nothing to change).
        conflicts: one sentence per contradiction (:func:`explain_precondition`).
    """

    declaration: dict[str, Any] | None
    conflicts: list[str] = field(default_factory=list)
    _seen: set[str] = field(default_factory=set)

    def refused(self, text: str) -> bool:
        """Note RabbitMQ's refusal ``text``; return whether to declare again (with :attr:`declaration`)."""
        found = parse_precondition(text)
        if found is None:
            self.conflicts.append(explain_precondition(text))
            return False
        if found.argument in self._seen:  # RabbitMQ repeats itself: nothing more to learn
            return False
        self.conflicts.append(found.explain())
        self._seen.add(found.argument)
        if self.declaration is not None:
            self.declaration = _with_broker_value(self.declaration, found)
        return self.declaration is not None


def _with_broker_value(declaration: Mapping[str, Any], found: Inequivalent) -> dict[str, Any] | None:
    """Return ``declaration`` with the broker's value of the argument ``found`` names (``None``: unreadable)."""
    changed: dict[str, Any] = {**declaration, "arguments": dict(declaration.get("arguments") or {})}
    if found.argument in _PROPERTIES:
        value = found.current_value(changed.get(found.argument, NOT_SET))
        if value is NOT_SET or value is UNKNOWN:
            return None
        changed[found.argument] = value
        return changed
    arguments = changed["arguments"]
    value = found.current_value(arguments.get(found.argument, NOT_SET))
    if value is UNKNOWN:
        return None
    if value is NOT_SET:
        arguments.pop(found.argument, None)
    else:
        arguments[found.argument] = value
    return changed


def explain_precondition(text: str) -> str:
    """Turn RabbitMQ's ``PRECONDITION_FAILED`` text into a sentence naming the exchange or queue and argument.

    ``inequivalent arg 'x-queue-type' for queue 'q' in vhost '/': received 'classic' but current is 'quorum'``
    becomes ``queue `q`: `x-queue-type` is `quorum` on the broker, the contract says `classic```.
    """
    found = parse_precondition(text)
    return found.explain() if found is not None else text.removeprefix("PRECONDITION_FAILED - ")


def _value(text: str) -> str:
    text = text.strip()
    if text == "none":
        return "not set"
    typed = _TYPED.fullmatch(text)
    if typed is not None:
        return f"`{typed['v']}`"
    return f"`{text.strip(chr(39))}`"


def _describe(spec: ExchangeSpec) -> str:
    return f"type `{spec.type}`, durable `{spec.durable}`, autoDelete `{spec.auto_delete}`"
