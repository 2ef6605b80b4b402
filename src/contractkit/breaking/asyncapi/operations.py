"""Pairing the operations of two AsyncAPI documents, and comparing each pair and its messages.

Operations pair by key (the 3.x ``operations`` key, the 2.x ``operationId``); an operation whose key changed
is found again by its action and channel when that is unambiguous, so a 2.x document upgraded to 3.0 with new
keys pairs the same. Messages pair by key within an operation. Messages of a 3.x channel that no operation uses
are compared on their channel, for both reading sides (nobody says who reads them).
"""

from __future__ import annotations

from contractkit.breaking.asyncapi.bindings import compare_operation_bindings
from contractkit.breaking.asyncapi.fixes import ASYNC, DEPRECATE
from contractkit.breaking.asyncapi.messages import compare_message
from contractkit.breaking.asyncapi.model import RECEIVE, SEND, AsyncModel, Channel, Message, Operation
from contractkit.breaking.context import DiffContext
from contractkit.breaking.registry import CHANGE, ERROR, INFO, AnyChangeRule, breaking_rule, fired
from contractkit.loaders.document import Cursor

__all__ = ["compare_operations", "compare_unused_messages"]

#: The rules about an operation removed or added, called with its key, the base's operation and the revision's
#: (``None`` in the version that lacks it).
OPERATION_PAIR_RULES: list[AnyChangeRule] = []
#: The rules about an operation of both versions, called with the base's, the revision's and the channel renames;
#: an operation whose action changed is not compared further.
OPERATION_RULES: list[AnyChangeRule] = []
#: The rules about a message removed from or added to an operation (or channel), called with its key, where it is
#: (``channel `x```, or empty for an operation's) and the base's message and the revision's (``None`` when absent).
MESSAGE_PAIR_RULES: list[AnyChangeRule] = []


# --- operations -------------------------------------------------------------------------------------------
@breaking_rule(
    id="async-operation-removed",
    level=ERROR,
    direction="operation",
    summary="the other side of a removed operation waits for messages that never come, or sends messages nobody reads",
    fix=DEPRECATE,
    category=CHANGE,
    specs=ASYNC,
    removes="operation",
    group=OPERATION_PAIR_RULES,
)
def async_operation_removed(key: str, before: Operation | None, after: Operation | None) -> str | None:
    """An operation of the base (a send or a receive on a channel) is gone, and was not found again by its channel.

    If the application no longer sends, consumers wait for messages that never come; if it no longer receives,
    producers send messages nobody reads. The deprecation policy lets the removal through after its sunset.
    """
    if before is not None and after is None:
        return f"operation `{key}` ({before.action} on `{before.address}`) was removed"
    return None


@breaking_rule(
    id="async-operation-added",
    level=INFO,
    direction="operation",
    summary="a new operation breaks no producer or consumer",
    category=CHANGE,
    specs=ASYNC,
    group=OPERATION_PAIR_RULES,
)
def async_operation_added(key: str, before: Operation | None, after: Operation | None) -> str | None:
    """An operation the base did not have: no producer or consumer relied on it, so none breaks."""
    if before is None and after is not None:
        return f"operation `{key}` ({after.action} on `{after.address}`) was added"
    return None


@breaking_rule(
    id="async-operation-action-changed",
    level=ERROR,
    direction="operation",
    summary="an operation that sent now receives (or the reverse): every producer or consumer of it is on the wrong "
    "side",
    fix="add a new operation; remove the old one in a new major version.",
    category=CHANGE,
    specs=ASYNC,
    group=OPERATION_RULES,
)
def async_operation_action_changed(before: Operation, after: Operation, renames: dict[str, str]) -> str | None:
    """An operation that sent messages now receives them, or the reverse (`send`/`receive`, 2.x `subscribe`/`publish`).

    Every message now flows the other way: its consumers become producers of nothing and its producers are read
    by nobody. Its messages are not compared further.
    """
    if before.action != after.action:
        return f"operation `{after.key}` changed from `{before.action}` to `{after.action}`"
    return None


@breaking_rule(
    id="async-operation-channel-changed",
    level=ERROR,
    direction="operation",
    summary="the operation moved to another channel: its producers or consumers still use the old one",
    fix="keep the operation on its channel; add a new operation on the new one.",
    category=CHANGE,
    specs=ASYNC,
    group=OPERATION_RULES,
)
def async_operation_channel_changed(before: Operation, after: Operation, renames: dict[str, str]) -> str | None:
    """An operation moved to another channel (a channel renamed in place is not a move).

    The other side still publishes to, or listens on, the old channel, and never meets the operation there.
    """
    if renames.get(before.address, before.address) != after.address:
        return f"operation `{after.key}` moved from channel `{before.address}` to `{after.address}`"
    return None


@breaking_rule(
    id="async-operation-deprecated",
    level=INFO,
    direction="operation",
    summary="a deprecation warns producers and consumers before a removal",
    category=CHANGE,
    specs=ASYNC,
    group=OPERATION_RULES,
)
def async_operation_deprecated(before: Operation, after: Operation, renames: dict[str, str]) -> str | None:
    """An operation is now marked `deprecated` (or `x-deprecated`): nothing breaks yet, its removal is announced."""
    if _deprecated(after.cursor) and not _deprecated(before.cursor):
        return f"operation `{after.key}` was deprecated"
    return None


# --- messages ---------------------------------------------------------------------------------------------
@breaking_rule(
    id="message-removed",
    level=ERROR,
    direction="message",
    summary="producers still send the removed message, or consumers still wait for it",
    fix=DEPRECATE,
    category=CHANGE,
    specs=ASYNC,
    removes="message",
    group=MESSAGE_PAIR_RULES,
)
def message_removed(key: str, where: str, before: Message | None, after: Message | None) -> str | None:
    """A message an operation (or channel) carried is gone, and was not found again by its name or schema.

    Producers that still send it are rejected or ignored; consumers that wait for it wait forever.
    """
    if before is not None and after is None:
        return f"message `{key}`" + (f" on {where}" if where else "") + " was removed"
    return None


@breaking_rule(
    id="message-added",
    level=INFO,
    direction="message",
    summary="a new message type on a channel: consumers that dispatch on the message type ignore types they do not "
    "know",
    category=CHANGE,
    specs=ASYNC,
    group=MESSAGE_PAIR_RULES,
)
def message_added(key: str, where: str, before: Message | None, after: Message | None) -> str | None:
    """A new message type on an operation (or channel), which the base did not carry.

    Consumers that dispatch on the message type ignore a type they do not know, so none of them breaks.
    """
    if before is None and after is not None:
        return f"message `{key}`" + (f" on {where}" if where else "") + " was added"
    return None


def compare_operations(ctx: DiffContext, old: AsyncModel, new: AsyncModel, renames: dict[str, str]) -> None:
    """Report operation changes and, for each pair, the changes of its messages and bindings."""
    pairs = _pairs(old, new, renames)
    paired_new = {id(after) for _, after in pairs.values()}
    for key, before in old.operations.items():
        pair = pairs.get(key)
        if pair is None:
            for rule, text in fired(OPERATION_PAIR_RULES, key, before, None):
                ctx.report(rule, text, base=before.cursor, near=_near(ctx), operation=before.label)
            continue
        _compare(ctx, before, pair[1], renames)
    for key, after in new.operations.items():
        if id(after) not in paired_new:
            for rule, text in fired(OPERATION_PAIR_RULES, key, None, after):
                ctx.report(rule, text, revision=after.cursor, operation=after.label)


def compare_unused_messages(ctx: DiffContext, old: AsyncModel, new: AsyncModel, renames: dict[str, str]) -> None:
    """Compare the messages of 3.x channels that no operation of either version sends or receives."""
    used_old, used_new = _used_messages(old), _used_messages(new)
    for address, before in old.channels.items():
        after = new.channels.get(renames.get(address, address))
        if after is None:
            continue
        used = used_old.get(address, set()) | used_new.get(after.address, set())
        unused_old = {k: m for k, m in before.messages.items() if k not in used}
        unused_new = {k: m for k, m in after.messages.items() if k not in used}
        _messages(ctx, unused_old, unused_new, (SEND, RECEIVE), None, after, near=after.cursor)


def _used_messages(model: AsyncModel) -> dict[str, set[str]]:
    """Return address -> the keys of the messages that the operations on it send or receive."""
    used: dict[str, set[str]] = {}
    for op in model.operations.values():
        used.setdefault(op.address, set()).update(op.messages)
    return used


def _pairs(old: AsyncModel, new: AsyncModel, renames: dict[str, str]) -> dict[str, tuple[Operation, Operation]]:
    pairs = {key: (op, new.operations[key]) for key, op in old.operations.items() if key in new.operations}
    lone_old = [op for key, op in old.operations.items() if key not in new.operations]
    lone_new = [op for key, op in new.operations.items() if key not in old.operations]
    for before in lone_old:
        address = renames.get(before.address, before.address)
        # A 3.x reply half and the 2.x operation that says the same pair too: both are an action on an address.
        match = [op for op in lone_new if op.action == before.action and op.address == address]
        if len(match) == 1:
            pairs[before.key] = (before, match[0])
            lone_new.remove(match[0])
    return pairs


def _compare(ctx: DiffContext, before: Operation, after: Operation, renames: dict[str, str]) -> None:
    label = after.label
    for rule, text in fired(OPERATION_RULES, before, after, renames):
        ctx.report(rule, text, base=before.cursor, revision=after.cursor, operation=label)
        if rule is async_operation_action_changed:
            return  # every message now flows the other way: comparing them as before means nothing
    compare_operation_bindings(ctx, before.amqp, after.amqp, label)
    _messages(ctx, before.messages, after.messages, (after.action,), label, None, near=after.cursor)


def _messages(
    ctx: DiffContext,
    old: dict[str, Message],
    new: dict[str, Message],
    actions: tuple[str, ...],
    label: str | None,
    channel: Channel | None,
    *,
    near: Cursor,
) -> None:
    where = f"channel `{channel.address}`" if channel is not None else ""
    pairs = _pair_messages(old, new)
    paired_new = {id(after) for after in pairs.values()}
    for key, before in old.items():
        after = pairs.get(key)
        if after is None:
            for rule, text in fired(MESSAGE_PAIR_RULES, key, where, before, None):
                ctx.report(rule, text, base=before.cursor, near=near, operation=label)
            continue
        compare_message(ctx, before, after, actions=actions, label=label, where=where)
    for key, after in new.items():
        if id(after) not in paired_new:
            for rule, text in fired(MESSAGE_PAIR_RULES, key, where, None, after):
                ctx.report(rule, text, revision=after.cursor, operation=label)


def _pair_messages(old: dict[str, Message], new: dict[str, Message]) -> dict[str, Message]:
    """Pair messages by key, then by what names them on the wire or in components.

    A message's key is a name inside the document (a 3.x channel's `messages` key), not on the wire: a message
    whose key changed is still found by the component it is, by its `name`/`messageId`, by its payload's
    component schema, or, when one message is left on each side, by being the only one.
    """
    # A 2.x inline message with no name is keyed by position: reordered, it is found by what it is, below.
    pairs = {key: new[key] for key in old if key in new and not (old[key].anonymous or new[key].anonymous)}
    lone_old = [key for key in old if key not in pairs]
    lone_new = [key for key in new if key not in pairs]
    for same in (_component, _wire_name, _payload_schema):
        for key in list(lone_old):
            wanted = same(old[key])
            match = [k for k in lone_new if wanted is not None and same(new[k]) == wanted]
            if len(match) == 1:
                pairs[key] = new[match[0]]
                lone_old.remove(key)
                lone_new.remove(match[0])
    if len(lone_old) == 1 and len(lone_new) == 1:
        pairs[lone_old[0]] = new[lone_new[0]]
    else:
        for key in [k for k in lone_old if k in lone_new]:  # positional keys, nothing better to go by
            pairs[key] = new[key]
    return pairs


def _component(message: Message) -> str | None:
    parts = message.cursor.parts
    return parts[2] if len(parts) == 3 and parts[:2] == ("components", "messages") else None


def _payload_schema(message: Message) -> tuple[str, ...] | None:
    """The payload's schema pointer, when it is a shared one (an inline 2.x message carries a component schema)."""
    payload = message.payload
    return payload.parts if payload is not None and "components" in payload.parts else None


def _wire_name(message: Message) -> str | None:
    for field in ("messageId", "name"):
        value = message.cursor.raw(field)
        if isinstance(value, str):
            return value
    return None


def _deprecated(cursor: Cursor) -> bool:
    return cursor.raw("deprecated") is True or cursor.raw("x-deprecated") is True


def _near(ctx: DiffContext) -> Cursor:
    root = ctx.revision.cursor()
    return root.get("operations") or root.get("channels") or root
