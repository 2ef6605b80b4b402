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
from contractkit.breaking.registry import CHANGE, ERROR, INFO, AnyChangeRule, breaking_rule, fired
from contractkit.loaders.document import Cursor

__all__ = ["compare_channels"]

#: The rules about a channel as a whole, called with the base's channel and the revision's (either ``None`` when
#: the channel is not in that version), for each channel removed, renamed or added.
CHANNEL_RULES: list[AnyChangeRule] = []
#: The rules about a parameter of a channel, called with its name, the channel and the parameter's constraints.
PARAMETER_RULES: list[AnyChangeRule] = []


@breaking_rule(
    id="channel-address-changed",
    level=ERROR,
    direction="channel",
    summary="a renamed address (routing key, queue, topic) is a new channel: messages sent to the old one reach nobody",
    fix="keep the old address and add the new one beside it; move producers and consumers, then remove the old one.",
    category=CHANGE,
    specs=ASYNC,
    group=CHANNEL_RULES,
)
def channel_address_changed(before: Channel | None, after: Channel | None) -> str | None:
    """A channel kept its 3.x key (or its messages) but its address changed: a routing key, queue or topic renamed.

    On the wire the address is the channel, so producers still sending to the old one reach no consumer, and
    consumers subscribed to the old one receive nothing.
    """
    if before is not None and after is not None and before.address != after.address:
        return f"address of channel `{before.key}` changed from `{before.address}` to `{after.address}`"
    return None


@breaking_rule(
    id="channel-removed",
    level=ERROR,
    direction="channel",
    summary="producers and consumers of a removed channel lose it",
    fix=DEPRECATE,
    category=CHANGE,
    specs=ASYNC,
    removes="channel",
    group=CHANNEL_RULES,
)
def channel_removed(before: Channel | None, after: Channel | None) -> str | None:
    """A channel of the base is gone from the revision, and was not found again under another address.

    Producers that still publish to it send messages nobody reads, and its consumers wait for messages that never
    come. The deprecation policy lets the removal through once the channel's sunset date has passed.
    """
    return f"channel `{before.address}` was removed" if before is not None and after is None else None


@breaking_rule(
    id="channel-added",
    level=INFO,
    direction="channel",
    summary="a new channel breaks no producer or consumer",
    category=CHANGE,
    specs=ASYNC,
    group=CHANNEL_RULES,
)
def channel_added(before: Channel | None, after: Channel | None) -> str | None:
    """A channel that the base did not have (nor under another address): nobody used it, so nobody breaks."""
    return f"channel `{after.address}` was added" if before is None and after is not None else None


#: A channel parameter's constraints: its ``enum`` and its ``pattern`` (either may be ``None``).
Constraints = dict[str, list[object] | str | None]


@breaking_rule(
    id="channel-parameter-changed",
    level=ERROR,
    direction="channel",
    summary="the values a channel parameter may take (its enum, pattern or schema) changed: subscriptions and routing "
    "built from the old values may match nothing",
    fix="keep the old values valid; add new values only.",
    category=CHANGE,
    specs=ASYNC,
    group=PARAMETER_RULES,
)
def channel_parameter_changed(name: str, channel: Channel, was: Constraints, now: Constraints) -> str | None:
    """A parameter of a channel address (`orders.{region}`) takes fewer values than it did.

    An enum value removed, an enum where any value went, or another `pattern`: producers that build the address
    from an old value publish where no consumer listens, and subscriptions with the old values match nothing.
    """
    removed = [v for v in was["enum"] or () if v not in (now["enum"] or ())] if now["enum"] is not None else []
    reasons = []
    if removed:
        reasons.append(f"enum value(s) {', '.join(f'`{json.dumps(v)}`' for v in removed)} removed")
    if was["enum"] is None and now["enum"] is not None:
        reasons.append("restricted to an enum")
    if was["pattern"] != now["pattern"] and now["pattern"] is not None:
        reasons.append(f"`pattern` changed from `{was['pattern']}` to `{now['pattern']}`")
    return f"parameter `{name}` of channel `{channel.address}`: {'; '.join(reasons)}" if reasons else None


def compare_channels(ctx: DiffContext, old: AsyncModel, new: AsyncModel) -> dict[str, str]:
    """Report channel changes (:data:`CHANNEL_RULES`, then each pair's parameters and bindings); return the renames.

    The renames found map an old address to its new one.
    """
    renames = _renames(old, new)
    for address, before in old.channels.items():
        after = new.channels.get(address)
        if after is None and address in renames:
            after = new.channels[renames[address]]
        if after is None or after.address != address:
            _say(ctx, before, after)
        if after is None:
            continue
        _parameters(ctx, before, after)
        compare_channel_bindings(ctx, before.amqp, after.amqp, after.address)
    renamed_to = set(renames.values())
    for address, after in new.channels.items():
        if address not in old.channels and address not in renamed_to:
            _say(ctx, None, after)
    return renames


def _say(ctx: DiffContext, before: Channel | None, after: Channel | None) -> None:
    """Report what :data:`CHANNEL_RULES` say about a channel removed, renamed or added."""
    for rule, text in fired(CHANNEL_RULES, before, after):
        if after is None:
            ctx.report(rule, text, base=before.cursor if before is not None else None, near=_near(ctx))
        else:
            ctx.report(rule, text, base=before.cursor if before is not None else None, revision=after.cursor)


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
        for rule, text in fired(PARAMETER_RULES, name, new, _constraints(before), _constraints(after)):
            ctx.report(rule, text, base=before, revision=after)


def _constraints(parameter: Cursor) -> Constraints:
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
