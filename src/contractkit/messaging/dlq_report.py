"""What ``contractkit dlq`` prints: its results and their renderers (tables ``DLQ_*`` of :mod:`contractkit.outputs`).

Each command of ``dlq`` has a result type (:class:`DeadLetterListing`, :class:`DeadLetterShown`,
:class:`DeadLetterAction`) and renders it in the format chosen by ``--format`` (``text`` for people, ``json``
one document), through the same renderer shape as every other command: ``render(result, stream, *, color)``.
A contract's text that travelled in a dead letter (a reason, an error message, a payload) is escaped for the
terminal by :func:`contractkit.reporters.common.printable`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from contractkit.reporters.common import plural, printable

if TYPE_CHECKING:
    from typing import TextIO

    from contractkit.messaging.dlq import DeadLetter, ReasonGroup, ReplayReport

_PAYLOAD_SHOWN = 4000
_IDS_SHOWN = 5


@dataclass(frozen=True, slots=True)
class DeadLetterListing:
    """The dead letters of a queue grouped by reason (``dlq list``), the biggest group first."""

    queue: str
    total: int
    groups: list[ReasonGroup]


@dataclass(frozen=True, slots=True)
class DeadLetterShown:
    """One dead letter (``dlq show``)."""

    queue: str
    message_id: str
    letter: DeadLetter


@dataclass(frozen=True, slots=True)
class DeadLetterAction:
    """What ``dlq replay`` or ``dlq purge`` did: ``action`` is ``replayed`` or ``purged``."""

    action: str
    report: ReplayReport


def _json(doc: dict[str, Any], stream: TextIO) -> None:
    stream.write(json.dumps(doc, indent=2) + "\n")


def _ago(seconds: float | None) -> str:
    if seconds is None:
        return "?"
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size:
            return f"{seconds / size:.0f}{unit}"
    return f"{seconds:.0f}s"


class ListingTextRenderer:
    """Each reason group: its count, reason, where, the queues, the oldest letter's age, an example and ids."""

    def render(self, result: DeadLetterListing, stream: TextIO, *, color: bool = False) -> None:
        """Write ``result`` to ``stream``."""
        out = [f"{plural(result.total, 'dead letter')} in `{printable(result.queue)}`"]
        for g in result.groups:
            where = f" at {printable(g.location)}" if g.location else ""
            ids = ", ".join(printable(i) for i in g.message_ids[:_IDS_SHOWN])
            more = " ..." if len(g.message_ids) > _IDS_SHOWN else ""
            queues = ", ".join(printable(q) for q in g.queues)
            out += [
                "",
                f"{g.count:>6}  {printable(g.reason)}{where}  (from {queues}; oldest {_ago(g.oldest)} ago)",
                f"        e.g. {printable(g.message)}",
                f"        ids: {ids}{more}",
            ]
        stream.write("\n".join(out) + "\n")


class ListingJsonRenderer:
    """One document: the queue, the total and each group with all its message ids."""

    def render(self, result: DeadLetterListing, stream: TextIO, *, color: bool = False) -> None:
        """Write ``result`` to ``stream``."""
        groups = [
            {
                "reason": g.reason,
                "count": g.count,
                "queues": list(g.queues),
                "location": g.location,
                "message": g.message,
                "oldest_seconds": g.oldest,
                "message_ids": list(g.message_ids),
            }
            for g in result.groups
        ]
        _json({"queue": result.queue, "total": result.total, "groups": groups}, stream)


class LetterTextRenderer:
    """The letter's reason headers, where it came from, its errors, properties and payload (cut at 4,000)."""

    def render(self, result: DeadLetterShown, stream: TextIO, *, color: bool = False) -> None:
        """Write ``result`` to ``stream``."""
        doc = result.letter.as_json()
        out = [f"dead letter {printable(result.message_id)} in `{printable(result.queue)}`", ""]
        for key in ("reason", "location", "message", "exception", "contract", "contract_version", "operation", "queue"):
            if doc.get(key) not in (None, ""):
                out.append(f"  {key:<20} {printable(str(doc[key]))}")
        for key in ("original_exchange", "original_routing_key", "first_seen", "dead_lettered_at", "delivery_count"):
            out.append(f"  {key:<20} {printable(str(doc[key]))}")
        if doc["errors"]:
            out += ["", "  errors:"]
            out += ["    " + printable(f"{e['location']}: {e['message']} ({e['rule']})") for e in doc["errors"]]
        out += ["", "  properties:"] + ["    " + printable(f"{k}: {v}") for k, v in doc["properties"].items()]
        out += ["", "  payload:", f"    {printable(doc['payload'][:_PAYLOAD_SHOWN])}"]
        stream.write("\n".join(out) + "\n")


class LetterJsonRenderer:
    """The letter as one document (its payload whole)."""

    def render(self, result: DeadLetterShown, stream: TextIO, *, color: bool = False) -> None:
        """Write ``result`` to ``stream``."""
        _json(result.letter.as_json(), stream)


class ActionTextRenderer:
    """The letters done, then each one left in the queue with why (still invalid, skipped, failed)."""

    def render(self, result: DeadLetterAction, stream: TextIO, *, color: bool = False) -> None:
        """Write ``result`` to ``stream``."""
        report = result.report
        out = [f"{result.action}: {len(report.done)}"]
        out += [f"  {printable(message_id)}" for message_id in report.done]
        for message_id, errors in report.refused.items():
            shown = "; ".join(f"{e.location}: {e.message}" for e in errors[:3])
            out.append(f"still invalid, left in the queue: {printable(message_id)}: {printable(shown)}")
        out += [f"skipped: {printable(i)}: {printable(why)}" for i, why in report.skipped.items()]
        out += [f"failed, left in the queue: {printable(i)}: {printable(why)}" for i, why in report.failed.items()]
        stream.write("\n".join(out) + "\n")


class ActionJsonRenderer:
    """One document: the action and the ids done, refused (with their errors), skipped and failed."""

    def render(self, result: DeadLetterAction, stream: TextIO, *, color: bool = False) -> None:
        """Write ``result`` to ``stream``."""
        _json({"action": result.action, **result.report.as_json()}, stream)
