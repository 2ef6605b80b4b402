"""Metrics, structured logs and spans of the messaging runtime; each one optional and cheap when off.

- Prometheus (``prometheus-client``, the ``metrics`` extra): ``contractkit_messages_total{contract, channel,
  message, outcome}`` with ``outcome`` one of ``published``, ``refused``, ``consumed``, ``dead_lettered``,
  ``replayed``, ``retried``; and the histogram ``contractkit_message_handling_seconds{contract, channel}``
  (validation plus handler, per delivery). Labels come from the contract, so their number is bounded.
- logging: logger ``contractkit.messaging`` (or the one passed); every line carries the extra fields
  ``traceparent``, ``message_id``, ``correlation_id``, ``contract``, ``operation``, ``channel``, ``outcome`` and
  ``errors`` (as the HTTP middleware's lines carry ``traceparent``, ``contract``, ``operation``...).
- OpenTelemetry (when ``opentelemetry-api`` is importable): a ``CONSUMER`` span per delivery whose parent is the
  message's ``traceparent``, a ``PRODUCER`` span per publish whose context becomes the published ``traceparent``.
"""

from __future__ import annotations

import logging
import time
import weakref
from collections.abc import Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager, nullcontext
from typing import Any

from contractkit.messaging.errors import MessageError
from contractkit.messaging.tracing import child_traceparent, current_traceparent

LOGGER = logging.getLogger("contractkit.messaging")
OUTCOMES = ("published", "refused", "consumed", "dead_lettered", "replayed", "retried")
_BUCKETS = (1e-5, 5e-5, 1e-4, 5e-4, 1e-3, 5e-3, 0.01, 0.05, 0.1, 0.5, 1.0, 5.0)
_METRICS: weakref.WeakKeyDictionary[Any, tuple[Any, Any]] = weakref.WeakKeyDictionary()


def _metrics_for(registry: Any) -> tuple[Any, Any]:
    found = _METRICS.get(registry)
    if found is None:
        from prometheus_client import Counter, Histogram

        found = (
            Counter(
                "contractkit_messages",
                "Messages seen by the contract messaging runtime, by contract, channel, message and outcome.",
                ("contract", "channel", "message", "outcome"),
                registry=registry,
            ),
            Histogram(
                "contractkit_message_handling_seconds",
                "Time from a delivery to its ack or dead-letter (validation and handler).",
                ("contract", "channel"),
                registry=registry,
                buckets=_BUCKETS,
            ),
        )
        _METRICS[registry] = found
    return found


class MessageObserver:
    """Reports what the messaging runtime does; one per runtime, no state per message.

    Args:
        contract: the contract's name (a label of every metric and log line).
        metrics: ``None`` (prometheus-client's default registry when installed), a registry, or ``False``.
        logger: where log lines go (default ``contractkit.messaging``).
        tracer_provider: the OpenTelemetry tracer provider (default: the global one, when opentelemetry-api is
            installed).
    """

    def __init__(
        self, contract: str, metrics: Any = None, logger: logging.Logger | None = None, tracer_provider: Any = None
    ) -> None:
        """Set up the optional integrations once."""
        self.contract = contract
        self.logger = logger or LOGGER
        self._counter: Any = None
        self._histogram: Any = None
        self._children: dict[tuple[str, str, str], Any] = {}
        if metrics is not False:
            try:
                if metrics is None:
                    from prometheus_client import REGISTRY

                    metrics = REGISTRY
                self._counter, self._histogram = _metrics_for(metrics)
            except ImportError:
                pass
        self._tracer: Any = None
        self._trace: Any = None
        self._own_provider = tracer_provider is not None
        self._next_check = 0.0
        try:
            from opentelemetry import trace

            self._trace = trace
            self._tracer = trace.get_tracer("contractkit.messaging", tracer_provider=tracer_provider)
        except ImportError:
            pass

    def _tracing(self) -> bool:
        """Return whether spans can record: an SDK provider is set (the API alone only proxies to nothing).

        Once a provider is set it stays; until then the question is asked again at most once a second (asking
        reads the environment).
        """
        if self._tracer is None:
            return False
        if self._own_provider:
            return True
        now = time.monotonic()
        if now >= self._next_check:
            self._next_check = now + 1.0
            provider = self._trace.get_tracer_provider()
            self._own_provider = not isinstance(provider, self._trace.ProxyTracerProvider)
        return self._own_provider

    def count(self, channel: str, message: str, outcome: str) -> None:
        """Add one to ``contractkit_messages_total`` for ``channel``, ``message`` and ``outcome``."""
        if self._counter is None:
            return
        key = (channel, message, outcome)
        child = self._children.get(key)
        if child is None:
            child = self._children[key] = self._counter.labels(self.contract, channel, message, outcome)
        child.inc()

    def timed(self, channel: str, seconds: float) -> None:
        """Record how long one delivery took to handle."""
        if self._histogram is not None:
            self._histogram.labels(self.contract, channel).observe(seconds)

    def log(
        self,
        level: int,
        text: str,
        *,
        operation: str,
        channel: str,
        outcome: str,
        headers: Mapping[str, Any],
        errors: list[MessageError] | None = None,
        exc_info: bool = False,
    ) -> None:
        """Write one log line with the message's trace fields (built only when the level is enabled)."""
        if not self.logger.isEnabledFor(level):
            return
        fields = {
            "traceparent": headers.get("traceparent"),
            "message_id": headers.get("message-id"),
            "correlation_id": headers.get("correlation-id"),
            "contract": self.contract,
            "operation": operation,
            "channel": channel,
            "outcome": outcome,
            "errors": [{"rule": e.rule, "location": e.location, "message": e.message} for e in errors or []],
        }
        self.logger.log(level, text, extra=fields, exc_info=exc_info)

    def consuming(self, operation: str, channel: str, headers: Mapping[str, Any]) -> AbstractContextManager[None]:
        """Run the handling of one delivery in its trace.

        With OpenTelemetry a consumer span, child of the message's ``traceparent``; without, the context that
        publishes made inside the handler continue.
        """
        incoming = headers.get("traceparent")
        incoming = incoming if isinstance(incoming, str) else None
        if not self._tracing():
            return _TraceContext(child_traceparent(incoming) if incoming else None)
        return self._consumer_span(operation, channel, incoming, headers)

    @contextmanager
    def _consumer_span(
        self, operation: str, channel: str, incoming: str | None, headers: Mapping[str, Any]
    ) -> Iterator[None]:
        from opentelemetry import propagate, trace

        parent = propagate.extract({"traceparent": incoming}) if incoming else None
        with self._tracer.start_as_current_span(
            f"{channel} process",
            context=parent,
            kind=trace.SpanKind.CONSUMER,
            attributes={
                "messaging.system": "rabbitmq",
                "messaging.operation.type": "process",
                "messaging.destination.name": channel,
                "messaging.message.id": str(headers.get("message-id", "")),
                "contractkit.contract": self.contract,
                "contractkit.operation": operation,
            },
        ) as span:
            # With an SDK the span is the context now; without one (a non-recording API span) keep our own.
            recording = span.is_recording()
            token = current_traceparent.set(None if recording else child_traceparent(incoming) if incoming else None)
            try:
                yield
            finally:
                current_traceparent.reset(token)

    def publishing(self, operation: str, channel: str) -> AbstractContextManager[str | None]:
        """Give the ``traceparent`` a publish carries: a producer span's (OTel), else the current context's child."""
        if not self._tracing():
            current = current_traceparent.get()
            return nullcontext(child_traceparent(current) if current else None)
        return self._producer_span(operation, channel)

    @contextmanager
    def _producer_span(self, operation: str, channel: str) -> Iterator[str | None]:
        from opentelemetry import propagate, trace

        with self._tracer.start_as_current_span(
            f"{channel} publish",
            kind=trace.SpanKind.PRODUCER,
            attributes={
                "messaging.system": "rabbitmq",
                "messaging.operation.type": "publish",
                "messaging.destination.name": channel,
                "contractkit.contract": self.contract,
                "contractkit.operation": operation,
            },
        ) as span:
            if not span.is_recording():  # no SDK (or not sampled): an API span that records nothing; keep our own
                current = current_traceparent.get()
                yield child_traceparent(current) if current else None
                return
            carrier: dict[str, str] = {}
            propagate.inject(carrier)
            yield carrier.get("traceparent")


class _TraceContext:
    """Makes a ``traceparent`` the current trace context for a block (the fast path: no OpenTelemetry SDK)."""

    __slots__ = ("_token", "_value")

    def __init__(self, value: str | None) -> None:
        self._value = value
        self._token: Any = None

    def __enter__(self) -> None:
        self._token = current_traceparent.set(self._value)

    def __exit__(self, *exc: object) -> None:
        current_traceparent.reset(self._token)
