"""What a fuzz run found: per-operation request counts, failed checks with a curl line, errors, why it stopped."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

StopReason = Literal["completed", "time-budget", "interrupted", "server-unavailable"]


@dataclass(frozen=True, slots=True)
class FailedCheck:
    """One check that failed, with the smallest request Schemathesis found that makes it fail.

    Attributes:
        operation: ``METHOD /path`` of the request that failed.
        check: the Schemathesis check (``response_schema_conformance``).
        title: what failed, in one line (``Response violates schema``).
        message: the details (which value, which schema, which status code).
        curl: a shell command that sends the failing request again.
        status_code: the response's status code; ``None`` when there was no response.
        occurrences: how many times the run met this same failure.
    """

    operation: str
    check: str
    title: str
    message: str
    curl: str
    status_code: int | None
    occurrences: int = 1


@dataclass(frozen=True, slots=True)
class OperationRun:
    """How one operation was exercised.

    Attributes:
        operation: ``METHOD /path``.
        requests: how many requests the run sent to it (every phase, stateful sequences included).
        failures: how many distinct failed checks it has.
        skipped: why it was not tested, when it was not (``None`` otherwise).
    """

    operation: str
    requests: int
    failures: int = 0
    skipped: str | None = None


@dataclass(frozen=True, slots=True)
class RunError:
    """Something that stopped an operation from being tested (not a failed check).

    Attributes:
        operation: ``METHOD /path``, or ``""`` for the run as a whole.
        title: one line.
        message: the details.
    """

    operation: str
    title: str
    message: str


@dataclass(frozen=True, slots=True)
class FuzzResult:
    """The outcome of one fuzz run.

    Attributes:
        contract: the contract's id or file name.
        base_url: where the requests went (``http://127.0.0.1:8080/b2b/v1``; ``app://`` plus the base path for
            an in-process app).
        seed: the seed that repeats the run.
        checks: the checks that were made.
        operations: every selected operation, in contract order.
        failures: every distinct failed check.
        errors: what kept operations from being tested.
        stop: ``completed``, or why the run stopped early.
        elapsed: seconds.
        time_budget: the budget the run had, seconds.
        max_examples: the per-operation, per-phase example budget.
        stateful: whether the stateful phase had link sequences to run.
    """

    contract: str
    base_url: str
    seed: int
    checks: tuple[str, ...]
    operations: tuple[OperationRun, ...]
    failures: tuple[FailedCheck, ...]
    errors: tuple[RunError, ...]
    stop: StopReason
    elapsed: float
    time_budget: float
    max_examples: int
    stateful: bool = False

    @property
    def ok(self) -> bool:
        """Whether no check failed and nothing kept an operation from being tested."""
        return not self.failures and not self.errors and self.stop != "server-unavailable"

    @property
    def requests(self) -> int:
        """Requests sent in all."""
        return sum(op.requests for op in self.operations)

    @property
    def failed_checks(self) -> tuple[str, ...]:
        """The names of the checks that failed, sorted, without repeats."""
        return tuple(sorted({failure.check for failure in self.failures}))
