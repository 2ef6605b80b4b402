"""Run Schemathesis's engine over a contract, and turn its events into a :class:`FuzzResult`.

Schemathesis is driven through its Python API (``schemathesis.engine``, the engine its own CLI runs), not
through a ``schemathesis run`` subprocess: the events carry every request, response and failed check as
objects, so the counts per operation and the curl lines need no parsing of console output, the same code runs
an in-process ASGI/WSGI app (the pytest entry point), and a missing or broken Schemathesis is an exception
with a message, not an exit code to guess at. Schemathesis is imported here only, when a run starts.
"""

from __future__ import annotations

import random
import socket
import threading
import time
from collections import Counter
from dataclasses import replace
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from contractkit.errors import ConfigError, ToolFailed, UsageError
from contractkit.fuzz.curl import render_curl
from contractkit.fuzz.errors import ServiceUnreachable, schemathesis_missing
from contractkit.fuzz.operations import run_base_path, select_operations
from contractkit.fuzz.result import FailedCheck, FuzzResult, OperationRun, RunError, StopReason

if TYPE_CHECKING:
    from contractkit.fuzz.options import FuzzOptions
    from contractkit.fuzz.spec import FuzzSpec

_APP_BASE = "http://localhost"
_MODES = {"all": ("positive", "negative"), "positive": ("positive",), "negative": ("negative",)}
_STOPS: dict[str, StopReason] = {
    "completed": "completed",
    "interrupted": "interrupted",
    "max_time": "time-budget",
    "server_unavailable": "server-unavailable",
    "failure_limit": "completed",
}


def run_fuzz(spec: FuzzSpec, base_url: str | None, options: FuzzOptions, *, app: object = None) -> FuzzResult:
    """Fuzz the service at ``base_url`` (or the in-process ``app``) with the operations of ``spec``.

    Args:
        spec: the contract (:func:`contractkit.fuzz.spec.load_fuzz_spec`).
        base_url: the URL the operations' paths go after (:func:`contractkit.fuzz.spec.resolve_base_url`);
            ``None`` with ``app``: the contract's server path.
        options: checks, bounds, headers, selection.
        app: an ASGI or WSGI application to call in-process instead of sending requests over the network.

    Returns:
        The result; failed checks are values in it, not exceptions.

    Raises:
        ToolFailed: Schemathesis is not installed, or could not run the contract.
        ServiceUnreachable: nothing accepts connections at ``base_url``.
        UsageError: ``options`` select no operation of the contract.
    """
    selected = select_operations(spec.document, options.include, options.exclude)
    # One base URL per run: refused when the selected operations are served under different base paths.
    own_base = run_base_path(spec.document, selected)
    try:
        import schemathesis
        from schemathesis.config import SchemathesisConfig
        from schemathesis.engine import events, from_schema
    except ImportError as exc:
        raise schemathesis_missing() from exc

    if app is None:
        if base_url is None:
            raise ToolFailed("a base URL or an app is needed", title="cannot fuzz")
        check_reachable(base_url)
        target = base_url
    else:
        target = (base_url or _APP_BASE + own_base).rstrip("/")
    seed = options.seed if options.seed is not None else random.randrange(2**31)

    config = SchemathesisConfig()
    config.update(seed=seed, max_failures=None)
    project = config.projects.override
    project.update(
        base_url=target,
        headers=dict(options.headers) or None,
        workers=options.workers,
        request_timeout=options.request_timeout,
    )
    project.phases.update(phases=list(options.phases))
    project.checks.update(included_check_names=list(options.checks))
    modes = [schemathesis.GenerationMode(mode) for mode in _MODES[options.mode]]
    project.generation.update(modes=modes, max_examples=options.max_examples, database="none")
    project.operations.operations.extend(_expected_statuses(spec, options.checks))
    try:
        schema: Any = schemathesis.openapi.from_dict(spec.document, config=config)
    except Exception as exc:
        raise ToolFailed(
            f"Schemathesis could not read the contract: {exc}", title=f"cannot fuzz `{spec.name}`"
        ) from exc
    wanted = frozenset(selected)
    schema = schema.include(lambda ctx: ctx.operation.label in wanted)
    if app is not None:
        schema.app = app

    collector = _Collector(secret_headers=tuple(options.headers))
    started = time.monotonic()
    stream = from_schema(schema).execute()
    budget_spent = threading.Event()

    def spend() -> None:
        budget_spent.set()
        stream.stop()

    timer = threading.Timer(options.time_budget, spend)
    timer.daemon = True
    timer.start()
    stop: StopReason = "completed"
    stateful = False
    try:
        for event in stream:
            if isinstance(event, events.ScenarioFinished):
                collector.scenario(event)
                if event.phase.value == "stateful" and event.recorder.interactions:
                    stateful = True
            elif isinstance(event, events.NonFatalError):
                collector.error(event.label, event.info.title, event.info.message)
            elif isinstance(event, events.FatalError):
                raise ToolFailed(
                    f"Schemathesis stopped: {event.exception}", title=f"cannot fuzz `{spec.name}`"
                ) from event.exception
            elif isinstance(event, events.EngineFinished):
                stop = _STOPS.get(event.stop_reason.value, "completed")
    finally:
        timer.cancel()
    if stop == "interrupted" and budget_spent.is_set():
        stop = "time-budget"
    return FuzzResult(
        contract=spec.name,
        base_url=target if app is None else f"in-process {type(app).__name__} at {target.removeprefix(_APP_BASE)}",
        seed=seed,
        checks=options.checks,
        operations=collector.operations(selected),
        failures=collector.failures(),
        errors=tuple(collector.errors),
        stop=stop,
        elapsed=time.monotonic() - started,
        time_budget=options.time_budget,
        max_examples=options.max_examples,
        stateful=stateful,
    )


def check_reachable(base_url: str, timeout: float = 5.0) -> None:
    """Open (and close) a TCP connection to ``base_url``'s host and port.

    Raises:
        ServiceUnreachable: the connection is refused, times out, or the host name does not resolve.
    """
    parts = urlsplit(base_url)
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme == "https" else 80)
    origin = f"{parts.scheme}://{parts.netloc}"
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return
    except ConnectionRefusedError:
        reason = "connection refused"
    except TimeoutError:
        reason = f"no answer within {timeout:g} s"
    except socket.gaierror:
        reason = f"unknown host `{host}`"
    except OSError as exc:
        reason = exc.strerror or str(exc)
    raise ServiceUnreachable(
        f"cannot reach {origin}: {reason}; is the service running?",
        tip="start the service first, and check --base-url (host and port).",
    )


class _Collector:
    """Accumulates request counts, failed checks and errors from the engine's events."""

    def __init__(self, secret_headers: tuple[str, ...]) -> None:
        self.secret_headers = secret_headers
        self.requests: Counter[str] = Counter()
        self.skipped: dict[str, str] = {}
        self.found: dict[tuple[str, str, str, int | None], FailedCheck] = {}
        self.errors: list[RunError] = []

    def scenario(self, event: Any) -> None:
        recorder = event.recorder
        if event.skip_reason and not recorder.interactions:
            self.skipped.setdefault(str(event.label), str(event.skip_reason))
        for case_id in recorder.interactions:
            self.requests[self._label(recorder, case_id)] += 1
        for parent_id, nodes in recorder.checks.items():
            for node in nodes:
                if node.failure_info is not None:
                    self._failure(recorder, parent_id, node.name, node.failure_info.failure)

    def error(self, label: str, title: str, message: str) -> None:
        error = RunError(operation=label, title=title, message=message.strip())
        if error not in self.errors:
            self.errors.append(error)

    def _label(self, recorder: Any, case_id: str) -> str:
        node = recorder.cases.get(case_id)
        return str(node.value.operation.label) if node is not None else str(recorder.label)

    def _failure(self, recorder: Any, parent_id: str, check: str, failure: Any) -> None:
        case_id = failure.case_id or parent_id
        interaction = recorder.interactions.get(case_id)
        status: int | None = None
        curl = ""
        if interaction is not None:
            request = interaction.request
            headers = {key: values[0] for key, values in request.headers.items() if values}
            curl = render_curl(request.method, request.uri, headers, request.body, secret_headers=self.secret_headers)
            if interaction.response is not None:
                status = int(interaction.response.status_code)
        operation = self._label(recorder, case_id)
        key = (operation, check, str(failure.title), status)
        seen = self.found.get(key)
        if seen is None:
            self.found[key] = FailedCheck(
                operation=operation,
                check=check,
                title=str(failure.title),
                message=str(failure.message).strip(),
                curl=curl,
                status_code=status,
            )
        else:
            # Keep the smallest reproduction seen: Schemathesis shrinks, and later passes may find a shorter one.
            shorter = curl if curl and len(curl) < len(seen.curl) else seen.curl
            self.found[key] = replace(seen, curl=shorter, occurrences=seen.occurrences + 1)

    def failures(self) -> tuple[FailedCheck, ...]:
        return tuple(sorted(self.found.values(), key=lambda f: (f.operation, f.check, f.title, f.status_code or 0)))

    def operations(self, selected: list[str]) -> tuple[OperationRun, ...]:
        failures = Counter(failure.operation for failure in self.found.values())
        return tuple(
            OperationRun(
                operation=label,
                requests=self.requests[label],
                failures=failures[label],
                skipped=None if self.requests[label] else self.skipped.get(label),
            )
            for label in selected
        )


def _expected_statuses(spec: FuzzSpec, checks: tuple[str, ...]) -> list[Any]:
    """Return Schemathesis operation settings for the catalog's ``fuzz: operations:`` statuses.

    Raises:
        ConfigError: an operation named there is not in the contract.
    """
    from schemathesis.config._operations import OperationConfig

    configs = []
    for name, by_check in spec.policy.expected_statuses.items():
        try:
            (label,) = select_operations(spec.document, include=[name])
        except UsageError as exc:
            raise ConfigError(
                f"the catalog's `fuzz` settings of `{spec.name}` name `{name}`, which is not an operation of it",
                location=spec.policy.locations.get(name, spec.policy.location),
                tip=exc.tip,
            ) from None
        method, path = label.split(" ", 1)
        for check, statuses in by_check.items():
            if check in checks:
                configs.append(
                    OperationConfig.from_dict(
                        {
                            "include-method": method,
                            "include-path": path,
                            "checks": {check: {"expected-statuses": list(statuses)}},
                        }
                    )
                )
    return configs
