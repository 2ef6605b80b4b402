"""Pairing the channels of two AsyncAPI documents by address, and comparing each pair.

A channel whose address changed is found again by its 3.x ``channels`` key, or else by carrying the same
messages: that is a rename (``channel-address-changed``), not a removal plus an addition.
"""

from __future__ import annotations

import json

from contractkit.breaking.asyncapi.bindings import compare_channel_bindings
from contractkit.breaking.asyncapi.fixes import ASYNC, DEPRECATE
from contractkit.breaking.asyncapi.model import AsyncModel, Channel
from contractkit.breaking.context import DiffContext
from contractkit.breaking.registry import CHANGE, ERROR, INFO, change_rule
from contractkit.loaders.document import Cursor

CHANNEL_REMOVED = change_rule(
    id="channel-removed",
    level=ERROR,
    direction="channel",
    summary="producers and consumers of a removed channel lose it",
    fix=DEPRECATE,
    category=CHANGE,
    specs=ASYNC,
    removes="channel",
)
CHANNEL_ADDRESS_CHANGED = change_rule(
    id="channel-address-changed",
    level=ERROR,
    direction="channel",
    summary="a renamed address (routing key, queue, topic) is a new channel: messages sent to the old one reach nobody",
    fix="keep the old address and add the new one beside it; move producers and consumers, then remove the old one.",
    category=CHANGE,
    specs=ASYNC,
)
CHANNEL_ADDED = change_rule(
    id="channel-added",
    level=INFO,
    direction="channel",
    summary="a new channel breaks no producer or consumer",
    category=CHANGE,
    specs=ASYNC,
)
CHANNEL_PARAMETER_CHANGED = change_rule(
    id="channel-parameter-changed",
    level=ERROR,
    direction="channel",
    summary="the values a channel parameter may take (its enum, pattern or schema) changed: subscriptions and routing "
    "built from the old values may match nothing",
    fix="keep the old values valid; add new values only.",
    category=CHANGE,
    specs=ASYNC,
)


__all__ = ["compare_channels"]


def compare_channels(ctx: DiffContext, old: AsyncModel, new: AsyncModel) -> dict[str, str]:
    """Report channel changes; return the renames found (old address -> new address)."""
    renames = _renames(old, new)
    for address, before in old.channels.items():
        after = new.channels.get(address)
        if after is None and address in renames:
            after = new.channels[renames[address]]
            text = f"address of channel `{before.key}` changed from `{address}` to `{after.address}`"
            ctx.report(CHANNEL_ADDRESS_CHANGED, text, base=before.cursor, revision=after.cursor)
        if after is None:
            ctx.report(CHANNEL_REMOVED, f"channel `{address}` was removed", base=before.cursor, near=_near(ctx))
            continue
        _parameters(ctx, before, after)
        compare_channel_bindings(ctx, before.amqp, after.amqp, after.address)
    renamed_to = set(renames.values())
    for address, after in new.channels.items():
        if address not in old.channels and address not in renamed_to:
            ctx.report(CHANNEL_ADDED, f"channel `{address}` was added", revision=after.cursor)
    return renames


def _renames(old: AsyncModel, new: AsyncModel) -> dict[str, str]:
    gone = [c for a, c in old.channels.items() if a not in new.channels]
    fresh = [c for a, c in new.channels.items() if a not in old.channels]
    found: dict[str, str] = {}
    for before in gone:
        same_key = [c for c in fresh if c.key == before.key and c.key != c.address]
        same_messages = [c for c in fresh if before.messages and set(c.messages) == set(before.messages)]
        match = same_key or same_messages
        if len(match) == 1:
            found[before.address] = match[0].address
            fresh.remove(match[0])
    return found


def _parameters(ctx: DiffContext, old: Channel, new: Channel) -> None:
    for name, before in old.parameters.items():
        after = new.parameters.get(name)
        if after is None:
            continue  # the address changed too: reported as such
        was, now = _constraints(before), _constraints(after)
        removed = [v for v in was["enum"] or () if v not in (now["enum"] or ())] if now["enum"] is not None else []
        reasons = []
        if removed:
            reasons.append(f"enum value(s) {', '.join(f'`{json.dumps(v)}`' for v in removed)} removed")
        if was["enum"] is None and now["enum"] is not None:
            reasons.append("restricted to an enum")
        if was["pattern"] != now["pattern"] and now["pattern"] is not None:
            reasons.append(f"`pattern` changed from `{was['pattern']}` to `{now['pattern']}`")
        if reasons:
            text = f"parameter `{name}` of channel `{new.address}`: {'; '.join(reasons)}"
            ctx.report(CHANNEL_PARAMETER_CHANGED, text, base=before, revision=after)


def _constraints(parameter: Cursor) -> dict[str, list[object] | str | None]:
    """The parameter's enum and pattern: on the parameter (3.x) or in its `schema` (2.x)."""
    schema = parameter.get("schema") or parameter
    enum = schema.raw("enum")
    pattern = schema.raw("pattern")
    return {
        "enum": list(enum) if isinstance(enum, list) else None,
        "pattern": str(pattern) if isinstance(pattern, str) else None,
    }


def _near(ctx: DiffContext) -> Cursor:
    root = ctx.revision.cursor()
    return root.get("channels") or root
