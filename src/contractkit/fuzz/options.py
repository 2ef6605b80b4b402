"""What a fuzz run does: its checks, its bounds and the requests' extra headers (:class:`FuzzOptions`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from contractkit.errors import UsageError

DEFAULT_CHECKS: tuple[str, ...] = (
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_headers_conformance",
    "response_schema_conformance",
    "negative_data_rejection",
    "positive_data_acceptance",
)
"""The checks a run makes unless told otherwise: every response-conformance check, and both data checks."""

KNOWN_CHECKS: tuple[str, ...] = (
    *DEFAULT_CHECKS,
    "missing_required_header",
    "unsupported_method",
    "allow_header_conformance",
    "use_after_free",
    "ensure_resource_availability",
    "ignored_auth",
)
"""Every Schemathesis check ``--check`` accepts (``all`` selects them all)."""

PHASES: tuple[str, ...] = ("examples", "coverage", "fuzzing", "stateful")
"""Schemathesis's test phases, in the order they run: the contract's examples, boundary values (positive and
negative) of every parameter, random data, then sequences of calls through OpenAPI links."""

Mode = Literal["positive", "negative", "all"]

DEFAULT_MAX_EXAMPLES = 50
DEFAULT_TIME_BUDGET = 300.0
DEFAULT_REQUEST_TIMEOUT = 10.0


@dataclass(frozen=True, slots=True)
class FuzzOptions:
    """The settings of one fuzz run.

    Attributes:
        checks: the Schemathesis checks made on every response (:data:`DEFAULT_CHECKS` by default).
        mode: ``positive`` (valid data only), ``negative`` (invalid data only) or ``all``.
        phases: which of :data:`PHASES` run; ``stateful`` only finds sequences where the contract has links.
        max_examples: at most this many generated requests per operation and phase.
        time_budget: seconds; no new test starts once it is spent, and the report says the run was cut short.
        seed: the random seed; the same seed, contract and service make the same requests. ``None``: a random
            seed, reported so the run can be repeated.
        headers: sent with every request (credentials, usually).
        include: operations to fuzz, by ``operationId`` or by ``METHOD /path``; empty means all.
        exclude: operations to leave out, in the same forms.
        workers: concurrent workers; more than one makes the order of requests, and so a seed, not reproducible.
        request_timeout: seconds to wait for one response.
    """

    checks: tuple[str, ...] = DEFAULT_CHECKS
    mode: Mode = "all"
    phases: tuple[str, ...] = PHASES
    max_examples: int = DEFAULT_MAX_EXAMPLES
    time_budget: float = DEFAULT_TIME_BUDGET
    seed: int | None = None
    headers: dict[str, str] = field(default_factory=dict)
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    workers: int = 1
    request_timeout: float = DEFAULT_REQUEST_TIMEOUT

    def __post_init__(self) -> None:
        unknown = [name for name in self.checks if name not in KNOWN_CHECKS]
        if unknown:
            raise UsageError(
                f"unknown check `{unknown[0]}`",
                tip=f"choose among: {', '.join(KNOWN_CHECKS)} (or `all`).",
            )
        if not self.checks:
            raise UsageError("no check selected", tip="name at least one check, or leave --check out for the defaults.")
        bad_phases = [name for name in self.phases if name not in PHASES]
        if bad_phases or not self.phases:
            raise UsageError(
                f"unknown phase `{bad_phases[0]}`" if bad_phases else "no phase selected",
                tip=f"choose among: {', '.join(PHASES)}.",
            )
        if self.mode not in ("positive", "negative", "all"):
            raise UsageError(f"unknown mode `{self.mode}`", tip="choose positive, negative or all.")
        for name, value in (("--max-examples", self.max_examples), ("--workers", self.workers)):
            if value < 1:
                raise UsageError(f"{name} must be at least 1 (got {value})")
        for name, number in (("--time-budget", self.time_budget), ("--request-timeout", self.request_timeout)):
            if number <= 0:
                raise UsageError(f"{name} must be a positive number of seconds (got {number:g})")


def parse_checks(values: list[str]) -> tuple[str, ...]:
    """Read ``--check`` values: names, comma-separated or repeated; ``all`` is every known check.

    Raises:
        UsageError: a name is not a known check.
    """
    names: list[str] = []
    for value in values:
        names += [part.strip() for part in value.split(",") if part.strip()]
    if "all" in names:
        return KNOWN_CHECKS
    unknown = [name for name in names if name not in KNOWN_CHECKS]
    if unknown:
        raise UsageError(f"unknown check `{unknown[0]}`", tip=f"choose among: {', '.join(KNOWN_CHECKS)} (or `all`).")
    return tuple(dict.fromkeys(names))


def parse_header(value: str) -> tuple[str, str]:
    """Read one ``--header 'Name: value'``.

    Raises:
        UsageError: there is no colon, or no name before it.
    """
    name, sep, rest = value.partition(":")
    if not sep or not name.strip() or any(ch.isspace() for ch in name.strip()):
        raise UsageError(
            f"`{value}` is not a header",
            tip="write it as `Name: value`, for example --header 'Authorization: Bearer TOKEN'.",
        )
    return name.strip(), rest.strip()
