"""``contractkit fuzz``: attack a running service with requests generated from its contract (Schemathesis)."""

from __future__ import annotations

import io
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from contractkit.cli._errors import EXIT_FINDINGS, EXIT_INPUT, EXIT_INTERRUPTED, EXIT_OK, error_boundary
from contractkit.cli._output import write_atomic
from contractkit.cli.checks import CatalogOption
from contractkit.fuzz.options import (
    DEFAULT_CHECKS,
    DEFAULT_MAX_EXAMPLES,
    DEFAULT_REQUEST_TIMEOUT,
    DEFAULT_TIME_BUDGET,
    KNOWN_CHECKS,
    PHASES,
    FuzzOptions,
    Mode,
    parse_checks,
    parse_header,
)

if TYPE_CHECKING:
    from contractkit import FuzzResult
    from contractkit.outputs import Formats

_DEFAULT_MESSAGES = 10  # valid and invalid messages per message: each goes through the broker and the service
_DEFAULT_SETTLE = 3.0
_HTTP_ONLY = ("base_url", "header", "check", "phases", "workers", "request_timeout")


def fuzz(
    ctx: typer.Context,
    target: Annotated[
        str,
        typer.Argument(
            metavar="TARGET",
            help="A catalog contract id (b2b-orders, order-events) or the path of an OpenAPI or AsyncAPI file.",
        ),
    ],
    base_url: Annotated[
        str | None,
        typer.Option(
            "--base-url",
            "-u",
            help=(
                "The service's address. Without a path (http://127.0.0.1:8080) the path of the contract's first "
                "server is added (http://127.0.0.1:8080/b2b/v1); with one (even /) it is used as given."
            ),
        ),
    ] = None,
    amqp_url: Annotated[
        str | None,
        typer.Option(
            "--amqp-url",
            help=(
                "Test a message service instead (an AsyncAPI contract on RabbitMQ): the broker it consumes from "
                "and publishes to (amqp://user:password@host:5672/vhost). See docs/messaging.md."
            ),
        ),
    ] = None,
    settle: Annotated[
        float,
        typer.Option(
            "--settle",
            help="With --amqp-url only: seconds to wait for late acknowledgements and dead letters per queue "
            "(longer than the service's retries).",
        ),
    ] = _DEFAULT_SETTLE,
    header: Annotated[
        list[str] | None,
        typer.Option(
            "--header", "-H", help="'Name: value' sent with every request (credentials); repeatable. Masked in output."
        ),
    ] = None,
    check: Annotated[
        list[str] | None,
        typer.Option(
            "--check",
            "-c",
            help=(
                "Checks to make; repeatable or comma-separated, `all` for every one. "
                f"Default: {', '.join(DEFAULT_CHECKS)}. "
                f"Also known: {', '.join(c for c in KNOWN_CHECKS if c not in DEFAULT_CHECKS)}."
            ),
        ),
    ] = None,
    mode: Annotated[
        str,
        typer.Option("--mode", help="Data to send: positive (valid), negative (invalid) or all; messages likewise."),
    ] = "all",
    phases: Annotated[
        str,
        typer.Option(
            "--phases",
            help="Comma-separated phases: examples, coverage (boundary values), fuzzing (random), stateful (links).",
        ),
    ] = ",".join(PHASES),
    max_examples: Annotated[
        int | None,
        typer.Option(
            "--max-examples",
            "-n",
            help=f"At most this many generated requests per operation and phase (default {DEFAULT_MAX_EXAMPLES}). "
            f"With --amqp-url: valid and invalid messages per message of each receive operation "
            f"(default {_DEFAULT_MESSAGES}).",
            show_default=False,
        ),
    ] = None,
    time_budget: Annotated[
        float,
        typer.Option("--time-budget", help="Seconds; no new test starts once spent, and the report says so."),
    ] = DEFAULT_TIME_BUDGET,
    seed: Annotated[
        int | None,
        typer.Option(
            "--seed", help="Random seed; the same seed repeats the same requests (messages). Default: random."
        ),
    ] = None,
    include: Annotated[
        list[str] | None,
        typer.Option(
            "--include",
            "-i",
            help="Only this operation (operationId or 'METHOD /path'; a message operation's key); repeatable.",
        ),
    ] = None,
    exclude: Annotated[
        list[str] | None,
        typer.Option(
            "--exclude",
            "-e",
            help="Leave this operation out (operationId or 'METHOD /path'; a message operation's key); repeatable.",
        ),
    ] = None,
    workers: Annotated[
        int, typer.Option("--workers", "-w", help="Concurrent workers (above 1, the order of requests varies).")
    ] = 1,
    request_timeout: Annotated[
        float, typer.Option("--request-timeout", help="Seconds to wait for each response.")
    ] = DEFAULT_REQUEST_TIMEOUT,
    junit_xml: Annotated[
        Path | None, typer.Option("--junit-xml", help="Also write JUnit XML here (one test case per operation).")
    ] = None,
    report: Annotated[Path | None, typer.Option("--report", help="Also write the Markdown report here.")] = None,
    catalog: CatalogOption = None,
) -> None:
    """Fuzz a running service with requests generated from its contract, and check every response against it.

    HTTP (--base-url, an OpenAPI contract): sends the contract's examples, boundary values and random data, valid
    and invalid, to every operation, then sequences of calls through the contract's OpenAPI links, and checks each
    response (status code, content type, headers, body schema; invalid data rejected, valid data accepted).
    Prints each failure with a curl line that repeats it, and the requests sent per operation.

    Messages (--amqp-url, an AsyncAPI contract on RabbitMQ): sends valid and invalid messages to every queue the
    service consumes (valid ones must be acknowledged, invalid ones dead-lettered with a reason), and checks what
    the service publishes during the run against the contract. A send operation the service published nothing
    on was not tested: that is an error, not a pass. Prints each failure with the command that repeats it.
    --base-url, --header, --check, --phases, --workers and --request-timeout are for HTTP only; --settle is for
    messages only.

    Exit codes (both): 0 no check failed and nothing kept an operation from being tested; 1 a check failed, or
    an operation could not be tested (a Schemathesis error; no consumer on a queue, nothing published on a send
    operation); 2 the run could not start (service or broker unreachable, unknown contract, bad option,
    Schemathesis not installed).
    """
    with error_boundary():
        if amqp_url is not None:
            _only_for(ctx, "HTTP services (--base-url), not to message services (--amqp-url)", _HTTP_ONLY)
            _fuzz_messages(
                target,
                amqp_url,
                mode,
                max_examples if max_examples is not None else _DEFAULT_MESSAGES,
                time_budget,
                seed,
                include,
                exclude,
                settle,
                junit_xml,
                report,
                catalog,
            )
        _only_for(ctx, "message services (--amqp-url), not to HTTP services", ("settle",))
        if base_url is None:
            from contractkit.errors import UsageError

            raise UsageError(
                "say where the service is: --base-url for an HTTP service, --amqp-url for a message service",
                tip="e.g. `contractkit fuzz b2b-orders --base-url http://127.0.0.1:8080` or "
                "`contractkit fuzz order-events --amqp-url amqp://guest:guest@127.0.0.1:5672/`.",
            )
        from contractkit import load_fuzz_spec, resolve_base_url, run_fuzz, select_operations
        from contractkit.outputs import FUZZ

        options = FuzzOptions(
            checks=parse_checks(check) if check else DEFAULT_CHECKS,
            mode=_mode(mode),
            phases=tuple(part.strip() for part in phases.split(",") if part.strip()),
            max_examples=max_examples if max_examples is not None else DEFAULT_MAX_EXAMPLES,
            time_budget=time_budget,
            seed=seed,
            headers=dict(parse_header(value) for value in header or []),
            include=tuple(include or ()),
            exclude=tuple(exclude or ()),
            workers=workers,
            request_timeout=request_timeout,
        )
        spec = load_fuzz_spec(target, catalog=catalog)
        url = resolve_base_url(base_url, spec, select_operations(spec.document, options.include, options.exclude))
        sys.stderr.write(
            f"fuzzing `{spec.name}` at {url} (at most {options.max_examples} examples per operation and phase, "
            f"time budget {options.time_budget:g} s)\n"
        )
        sys.stderr.flush()
        result = run_fuzz(spec, url, options)
        _render(result, FUZZ, junit_xml, report)
        if result.failures or result.errors:
            raise typer.Exit(EXIT_FINDINGS)
        if result.stop == "server-unavailable":
            sys.stderr.write(
                f"error: the service at {url} stopped answering during the run, after {result.requests} "
                "request(s); the summary above says what was tested\n"
            )
            raise typer.Exit(EXIT_INPUT)
        if result.stop == "interrupted":
            raise typer.Exit(EXIT_INTERRUPTED)
        raise typer.Exit(EXIT_OK)


def _fuzz_messages(
    target: str,
    url: str,
    mode: str,
    max_examples: int,
    time_budget: float,
    seed: int | None,
    include: list[str] | None,
    exclude: list[str] | None,
    settle: float,
    junit_xml: Path | None,
    report: Path | None,
    catalog: Path | None,
) -> None:
    """The message twin: valid messages acknowledged, invalid ones dead-lettered, publishes conforming."""
    from contractkit import MessageFuzzOptions, run_message_fuzz
    from contractkit.messaging.errors import masked_url, quiet_client_logs
    from contractkit.outputs import MESSAGE_FUZZ

    options = MessageFuzzOptions(
        max_examples=max_examples,
        time_budget=time_budget,
        seed=seed,
        mode=_mode(mode),
        include=tuple(include or ()),
        exclude=tuple(exclude or ()),
        settle=settle,
    )
    sys.stderr.write(
        f"fuzzing the message service of `{target}` on {masked_url(url)} (at most {options.max_examples} valid and "
        f"{options.max_examples} invalid messages per message, time budget {options.time_budget:g} s)\n"
    )
    sys.stderr.flush()
    with quiet_client_logs():
        result = run_message_fuzz(target, url, options, catalog=catalog)
    _render(result, MESSAGE_FUZZ, junit_xml, report)
    raise typer.Exit(EXIT_OK if result.ok else EXIT_FINDINGS)


def _only_for(ctx: typer.Context, where: str, names: tuple[str, ...]) -> None:
    """Refuse the options ``names`` of the other kind of run when the command line gives them."""
    from contractkit.errors import UsageError

    sources = {name: ctx.get_parameter_source(name) for name in names}  # typer's own click: compared by name
    given = [name for name, source in sources.items() if source is not None and source.name == "COMMANDLINE"]
    if given:
        shown = ", ".join(f"--{name.replace('_', '-')}" for name in given)
        raise UsageError(
            f"{shown} only apply to {where}",
            title="invalid fuzz option",
            tip="leave them out; `contractkit fuzz --help` says which options apply to HTTP and which to messages.",
        )


def _render(result: FuzzResult, formats: Formats[FuzzResult], junit_xml: Path | None, report: Path | None) -> None:
    """Print the text summary; write the JUnit XML and the Markdown report when asked, each through ``formats``."""
    formats["text"].render(result, sys.stdout)
    sys.stdout.flush()
    for name, path in (("junit", junit_xml), ("markdown", report)):
        if path is not None:
            buffer = io.StringIO()
            formats[name].render(result, buffer)
            write_atomic(path, buffer.getvalue())


def _mode(value: str) -> Mode:
    from contractkit.errors import UsageError

    modes: dict[str, Mode] = {"positive": "positive", "negative": "negative", "all": "all"}
    if value in modes:
        return modes[value]
    raise UsageError(f"unknown --mode `{value}`", tip="choose positive, negative or all.")


def register(app: typer.Typer) -> None:
    """Add ``fuzz`` to ``app``."""
    app.command("fuzz", short_help="Fuzz a running service with its contract (Schemathesis).")(fuzz)
