"""``contractkit dlq list|show|replay|purge CONTRACT``: the dead letters of a contract's queues, on a live broker."""

from __future__ import annotations

import asyncio
import re
import sys
from collections.abc import Coroutine
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from contractkit.cli._errors import EXIT_FINDINGS, EXIT_OK, error_boundary
from contractkit.cli._formats import format_option
from contractkit.cli.checks import CatalogOption
from contractkit.errors import UsageError
from contractkit.outputs import DLQ_ACTION, DLQ_LIST, DLQ_SHOW

dlq_app = typer.Typer(
    name="dlq",
    help=(
        "Dead letters of a contract's queues: list them grouped by reason, show one, replay selected ones after a "
        "fix (checked against the contract again, idempotent), purge. Exit codes: 0 done, 1 some selected letters "
        "could not be replayed (still invalid, or not confirmed), 2 the broker or the contract cannot be used."
    ),
    no_args_is_help=True,
    rich_markup_mode=None,
)

ContractArg = Annotated[str, typer.Argument(metavar="CONTRACT", help="A catalog contract id or an AsyncAPI file.")]
UrlOption = Annotated[
    str,
    typer.Option("--amqp-url", envvar="CONTRACTKIT_AMQP_URL", help="The broker (env CONTRACTKIT_AMQP_URL)."),
]
QueueOption = Annotated[
    str | None,
    typer.Option("--queue", "-q", help="The dead-letter queue (one of the contract's), when it has several."),
]
ListFormat = Annotated[str, format_option(DLQ_LIST)]
ShowFormat = Annotated[str, format_option(DLQ_SHOW)]
ActionFormat = Annotated[str, format_option(DLQ_ACTION)]
IdOption = Annotated[list[str] | None, typer.Option("--id", help="This message id; repeatable.")]
ReasonOption = Annotated[
    str | None,
    typer.Option("--reason", "-r", help="Dead letters with this reason (payload-schema, handler-failed...)."),
]
AgeOption = Annotated[
    str | None, typer.Option("--older-than", help="Dead-lettered at least this long ago: 90s, 15m, 2h, 7d.")
]
AllOption = Annotated[bool, typer.Option("--all", help="Every dead letter (when no other selection is given).")]


_T = TypeVar("_T")


def _queue(contract: str, url: str, queue: str | None, catalog: Path | None) -> Any:
    from contractkit import DeadLetterQueue

    return DeadLetterQueue(contract, url, queue=queue, catalog=catalog)


def _run(call: Coroutine[Any, Any, _T]) -> _T:
    """Run ``call``; aio-pika's own connection errors are not logged (the one error printed says it all)."""
    from contractkit.messaging.errors import quiet_client_logs

    with quiet_client_logs():
        return asyncio.run(call)


def _age(text: str | None) -> float | None:
    if text is None:
        return None
    found = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*", text)
    if found is None:
        raise UsageError(f"--older-than `{text}` is not a duration", tip="write it like 90s, 15m, 2h or 7d.")
    return float(found[1]) * {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}[found[2]]


@dlq_app.command("list")
def list_letters(
    contract: ContractArg,
    amqp_url: UrlOption,
    queue: QueueOption = None,
    format: ListFormat = "text",
    catalog: CatalogOption = None,
) -> None:
    """List the dead letters grouped by reason (the biggest group first)."""
    with error_boundary():
        from contractkit import DeadLetterListing, group_by_reason

        dlq = _queue(contract, amqp_url, queue, catalog)
        letters = _run(dlq.letters())
        DLQ_LIST[format].render(DeadLetterListing(dlq.queue, len(letters), group_by_reason(letters)), sys.stdout)
        raise typer.Exit(EXIT_OK)


@dlq_app.command("show")
def show(
    contract: ContractArg,
    message_id: Annotated[str, typer.Argument(metavar="MESSAGE_ID", help="The dead letter's message id.")],
    amqp_url: UrlOption,
    queue: QueueOption = None,
    format: ShowFormat = "text",
    catalog: CatalogOption = None,
) -> None:
    """Show one dead letter: its reason headers, properties and payload."""
    with error_boundary():
        from contractkit import DeadLetterShown

        dlq = _queue(contract, amqp_url, queue, catalog)
        letter = _run(dlq.show(message_id))
        if letter is None:
            raise UsageError(
                f"no dead letter with message id `{message_id}` in `{dlq.queue}`",
                title="dead letter not found",
                tip=f"`contractkit dlq list {contract}` lists the ids.",
            )
        DLQ_SHOW[format].render(DeadLetterShown(dlq.queue, message_id, letter), sys.stdout)
        raise typer.Exit(EXIT_OK)


def _render(action: str, report: Any, format: str) -> None:
    from contractkit import DeadLetterAction

    DLQ_ACTION[format].render(DeadLetterAction(action, report), sys.stdout)


@dlq_app.command("replay")
def replay(
    contract: ContractArg,
    amqp_url: UrlOption,
    queue: QueueOption = None,
    message_id: IdOption = None,
    reason: ReasonOption = None,
    older_than: AgeOption = None,
    every: AllOption = False,
    to_origin: Annotated[
        bool,
        typer.Option("--to-origin", help="Republish to the original exchange and routing key (every bound queue)."),
    ] = False,
    include_replayed: Annotated[
        bool, typer.Option("--include-replayed", help="Also replay letters that were replayed once already.")
    ] = False,
    format: ActionFormat = "text",
    catalog: CatalogOption = None,
) -> None:
    """Replay selected dead letters after a fix: checked again, published confirmed, then removed.

    By default a letter goes back to the queue it was refused from (only that consumer sees it again).
    """
    with error_boundary():
        from contractkit import DeadLetterSelection

        selection = DeadLetterSelection(frozenset(message_id or ()), reason, _age(older_than), every)
        dlq = _queue(contract, amqp_url, queue, catalog)
        report = _run(dlq.replay(selection, to_origin=to_origin, include_replayed=include_replayed))
        _render("replayed", report, format)
        raise typer.Exit(EXIT_FINDINGS if report.refused or report.failed else EXIT_OK)


@dlq_app.command("purge")
def purge(
    contract: ContractArg,
    amqp_url: UrlOption,
    queue: QueueOption = None,
    message_id: IdOption = None,
    reason: ReasonOption = None,
    older_than: AgeOption = None,
    every: AllOption = False,
    format: ActionFormat = "text",
    catalog: CatalogOption = None,
) -> None:
    """Delete selected dead letters for good."""
    with error_boundary():
        from contractkit import DeadLetterSelection

        selection = DeadLetterSelection(frozenset(message_id or ()), reason, _age(older_than), every)
        report = _run(_queue(contract, amqp_url, queue, catalog).purge(selection))
        _render("purged", report, format)
        raise typer.Exit(EXIT_OK)


def register(app: typer.Typer) -> None:
    """Add ``dlq`` to ``app``."""
    app.add_typer(dlq_app, name="dlq", short_help="List, show, replay and purge dead letters (RabbitMQ).")
