"""Metrics, structured logs and trace events of the middleware; each one optional and cheap when off.

- Prometheus (``prometheus-client``, the ``metrics`` extra): ``contractkit_requests_rejected_total{contract,
  operation,location}`` (one increment per distinct location of a rejected request; body locations are folded
  into ``body`` so that the label set stays bounded), ``contractkit_responses_invalid_total{contract,
  operation}``, ``contractkit_internal_errors_total{contract,outcome}`` (``outcome``: ``rejected`` or ``passed``)
  and the histogram ``contractkit_validation_seconds{contract}``.
- logging: logger ``contractkit.runtime`` (or the one passed); every line carries the extra fields
  ``request_id`` (``x-request-id``), ``traceparent``, ``contract``, ``operation``, ``status`` and ``errors``.
  Request-derived text in a log line (the path, error messages) is escaped (no raw control character: a ``%0A``
  in a path cannot forge a line) and capped (:func:`printable`).
- OpenTelemetry (when ``opentelemetry-api`` is importable and the current span is recording): a span event
  ``contractkit.request.rejected`` on every rejection.
"""

from __future__ import annotations

import logging
import weakref
from collections.abc import Mapping
from typing import Any

from contractkit.runtime._core import RequestError, ValidationResult

# Keyed by the registry itself, weakly: an `id()` key outlives its registry and a new registry at the same address
# would get metrics registered in the dead one.
_METRICS: weakref.WeakKeyDictionary[Any, tuple[Any, Any, Any, Any]] = weakref.WeakKeyDictionary()
LOGGER = logging.getLogger("contractkit.runtime")
_BUCKETS = (5e-6, 1e-5, 2e-5, 5e-5, 1e-4, 2.5e-4, 5e-4, 1e-3, 5e-3, 0.025)


def _metrics_for(registry: Any) -> tuple[Any, Any, Any, Any]:
    """Return the metric objects of ``registry``, created once per registry (a second middleware reuses them)."""
    found = _METRICS.get(registry)
    if found is None:
        from prometheus_client import Counter, Histogram

        found = (
            Counter(
                "contractkit_requests_rejected",
                "Requests rejected by the contract validation middleware, by contract, operation and location.",
                ("contract", "operation", "location"),
                registry=registry,
            ),
            Histogram(
                "contractkit_validation_seconds",
                "Time spent validating a request against its contract.",
                ("contract",),
                registry=registry,
                buckets=_BUCKETS,
            ),
            Counter(
                "contractkit_responses_invalid",
                "Responses that do not match the contract (response validation report/enforce).",
                ("contract", "operation"),
                registry=registry,
            ),
            Counter(
                "contractkit_internal_errors",
                "Requests the validator itself failed on (a contractkit bug): rejected with a 500, or passed on.",
                ("contract", "outcome"),
                registry=registry,
            ),
        )
        _METRICS[registry] = found
    return found


_CONTROL = {code: f"\\x{code:02x}" for code in (*range(0x20), *range(0x7F, 0xA0))}
_CONTROL |= {0x2028: "\\u2028", 0x2029: "\\u2029"}
LOG_TEXT_LIMIT = 300


def printable(text: str, limit: int = LOG_TEXT_LIMIT) -> str:
    r"""Return request-derived ``text`` fit for a log line: at most ``limit`` characters, control ones escaped.

    A newline becomes ``\x0a``, so that a path cannot forge a log line; past ``limit``, ``...`` marks the cut.
    """
    clipped = text if len(text) <= limit else text[:limit] + "..."
    return clipped if clipped.isprintable() else clipped.translate(_CONTROL)


def metric_location(location: str) -> str:
    """Return the metric label of an error location (``body#/items/3/qty`` -> ``body``: bounded cardinality)."""
    return "body" if location.startswith("body") else location


class Observer:
    """Reports what the middleware does; one per middleware instance, stateless per request.

    Args:
        contract: the contract's name (a label of every metric and log line).
        metrics: ``None`` (the default prometheus registry when prometheus-client is installed), a
            ``CollectorRegistry``, or ``False`` (no metrics).
        logger: where log lines go (default ``contractkit.runtime``).
    """

    def __init__(self, contract: str, metrics: Any = None, logger: logging.Logger | None = None) -> None:
        """Set up the optional integrations once."""
        self.contract = contract
        self.logger = logger or LOGGER
        self.rejected_total: Any = None
        self._rejected_children: dict[tuple[str, str], Any] = {}  # (operation, location) -> counter child
        self.seconds: Any = None
        self.invalid_responses: Any = None
        self.internal_errors: Any = None
        if metrics is not False:
            try:
                if metrics is None:
                    from prometheus_client import REGISTRY

                    metrics = REGISTRY
                self.rejected_total, histogram, self.invalid_responses, self.internal_errors = _metrics_for(metrics)
                self.seconds = histogram.labels(contract)
            except ImportError:
                pass
        self._trace: Any = None
        try:
            from opentelemetry import trace

            self._trace = trace
        except ImportError:
            pass

    def timed(self, seconds: float) -> None:
        """Record the validation time of one request."""
        if self.seconds is not None:
            self.seconds.observe(seconds)

    def rejected(self, result: ValidationResult, method: str, path: str, headers: Mapping[str, str]) -> None:
        """Report a rejected request: metric per location, a log line, a span event."""
        operation = result.operation or "unmatched"
        locations = sorted({metric_location(e.location) for e in result.errors}) or ["request"]
        if self.rejected_total is not None:
            children = self._rejected_children
            for location in locations:
                child = children.get((operation, location))
                if child is None:  # bounded: operations and locations come from the contract
                    child = children[operation, location] = self.rejected_total.labels(
                        self.contract, operation, location
                    )
                child.inc()
        if self.logger.isEnabledFor(logging.INFO):  # the message and the extra fields are built only if logged
            self.logger.info(
                "contractkit rejected %s %s with %d: %s",
                printable(method, 20),
                printable(path),
                result.status,
                _summary(result.errors),
                extra=self._fields(headers, operation, result.status, result.errors),
            )
        if self._trace is not None:
            span = self._trace.get_current_span()
            if span.is_recording():
                span.add_event(
                    "contractkit.request.rejected",
                    {
                        "http.response.status_code": result.status,
                        "contractkit.contract": self.contract,
                        "contractkit.operation": operation,
                        "contractkit.error.locations": locations,
                    },
                )

    def invalid_response(
        self,
        operation: str,
        method: str,
        path: str,
        status: int,
        errors: list[RequestError],
        headers: Mapping[str, str],
    ) -> None:
        """Report a response that does not match the contract."""
        if self.invalid_responses is not None:
            self.invalid_responses.labels(self.contract, operation).inc()
        if self.logger.isEnabledFor(logging.WARNING):
            self.logger.warning(
                "contractkit: the response %d to %s %s does not match the contract: %s",
                status,
                printable(method, 20),
                printable(path),
                _summary(errors),
                extra=self._fields(headers, operation, status, errors),
            )

    def internal_error(
        self, method: str, path: str, headers: Mapping[str, str], passed: bool = False, *, response: bool = False
    ) -> None:
        """Report that validating a request (or, with ``response``, a response) failed inside contractkit.

        Logged with the traceback. ``passed``: the request went on to the app unvalidated (``on_error="pass"``): a
        WARNING, since the service chose it; else it was rejected with a 500: an ERROR. A response that could not
        be checked is sent as the app wrote it (``report``: ``passed``) or replaced by a 500 (``enforce``).
        """
        if self.internal_errors is not None:
            self.internal_errors.labels(self.contract, "passed" if passed else "rejected").inc()
        if response:
            outcome = "the response was sent unchecked" if passed else "the response was replaced by a 500"
        elif passed:
            outcome = "the request was passed on UNVALIDATED (on_error='pass')"
        else:
            outcome = "it was rejected with a 500"
        self.logger.log(
            logging.WARNING if passed and not response else logging.ERROR,
            "contractkit could not validate %s %s of contract %s (a contractkit bug); %s",
            printable(method, 20),
            printable(path),
            self.contract,
            outcome,
            exc_info=True,
            extra=self._fields(headers, None, 500 if not passed else 0, []),
        )

    def _fields(
        self, headers: Mapping[str, str], operation: str | None, status: int, errors: list[RequestError]
    ) -> dict[str, Any]:
        return {
            "request_id": _header(headers, "x-request-id"),
            "traceparent": _header(headers, "traceparent"),
            "contract": self.contract,
            "operation": operation,
            "status": status,
            "errors": [{"location": printable(e.location), "message": printable(e.message, 500)} for e in errors],
        }


def _summary(errors: list[RequestError]) -> str:
    return printable("; ".join(f"{e.location}: {e.message}" for e in errors[:5]), 1000)


def _header(headers: Mapping[str, str], name: str) -> str | None:
    value = headers.get(name)
    return None if value is None else printable(value, 200)
