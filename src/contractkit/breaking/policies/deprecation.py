"""The deprecation policy: a removal is allowed only after the removed node's announced sunset date.

A removal rule (one declared with ``removes=``) reported with the base node is judged by that node:

==================================  =========================================================================
the removed node                    the finding
==================================  =========================================================================
not deprecated                      unchanged (its fix already says "deprecate it first")
deprecated, sunset passed           ``info``: the removal is allowed; the message says ``(deprecated, sunset
                                    2026-03-01 passed)``
deprecated, sunset in the future    ``removed-before-sunset`` (``error``): clients were promised the node until
                                    then; the message says from which day the removal is allowed
deprecated, no (valid) sunset       unchanged level, the message says so and the fix asks for a sunset date
                                    (``deprecated-without-sunset`` also reports it when linting)
==================================  =========================================================================

"Deprecated" and "sunset" are read as :mod:`.markers` describes. A node inherits them from what holds it: an
OpenAPI operation from its path item, an AsyncAPI operation from its channel; a removed OpenAPI path (or AsyncAPI
2.x channel) counts as deprecated when every operation of it is (the latest of their sunsets applies).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

from contractkit.breaking.registry import CHANGE, ERROR, INFO, AnyChangeRule, breaking_rule, fired
from contractkit.findings import Finding
from contractkit.kinds import SpecKind
from contractkit.loaders.document import Cursor
from contractkit.spec.markers import Sunset, deprecated, parent, sunset_header, sunset_of
from contractkit.spec.walk import HTTP_METHODS

__all__ = ["DEPRECATION_RULES", "DeprecationPolicy", "Verdict", "judge", "removed_before_sunset"]

BOTH = (SpecKind.OPENAPI, SpecKind.ASYNCAPI)

#: The deprecation rule, called with a removal whose node was deprecated with a sunset date, and today's date.
DEPRECATION_RULES: list[AnyChangeRule] = []


@breaking_rule(
    id="removed-before-sunset",
    level=ERROR,
    direction="deprecation",
    summary="the deprecation promised clients the removed node until its sunset date: removing it earlier breaks them "
    "before they were told to have moved",
    fix="keep it until the sunset date; the removal passes the gate from that day on.",
    category=CHANGE,
    specs=BOTH,
    group=DEPRECATION_RULES,
)
def removed_before_sunset(finding: Finding, sunset: dt.date, today: dt.date) -> Finding | None:
    """A deprecated node (an operation, path, parameter, property, header, channel...) was removed before its sunset.

    The deprecation (`x-sunset`, or a `Sunset` response header) promised clients the node until that day: they
    may not have moved yet. The removal replaces its own finding with this one, and passes from the sunset on.
    """
    if sunset <= today:
        return None
    day = sunset.isoformat()
    return dataclasses.replace(
        finding,
        rule_id=removed_before_sunset.id,
        severity=removed_before_sunset.level,
        message=f"{finding.message} before its sunset date {day} (deprecated: the removal is allowed from {day})",
        hint=removed_before_sunset.fix,
    )


_NO_SUNSET_FIX = (
    "give the deprecation an `x-sunset` date (or a `Sunset` response header, RFC 8594) and remove the node once "
    "it has passed."
)


@dataclass(frozen=True, slots=True)
class Verdict:
    """What the contract said about a removed node before it was removed.

    Attributes:
        deprecated: it was marked deprecated (itself, or what holds it).
        sunset: its sunset date, when one is given (``sunset.date`` is ``None`` when the text is not a date).
    """

    deprecated: bool
    sunset: Sunset | None = None


def judge(base: Cursor, what: str) -> Verdict:
    """Return whether the removed node at ``base`` (``what`` it is: ``operation``, ``path``...) was deprecated."""
    if what == "path":
        return _members(base, [op for method in HTTP_METHODS if (op := base.get(method)) is not None])
    if what == "channel" and base.doc.spec.version.startswith("2."):
        return _members(base, [op for verb in ("publish", "subscribe") if (op := base.get(verb)) is not None])
    holders = [base]
    container = _container(base, what)
    if container is not None:
        holders.append(container)
    is_deprecated = any(deprecated(node) for node in holders)
    sunset = next((s for s in (sunset_of(node) for node in holders) if s is not None), None)
    if sunset is None and what == "operation" and base.doc.spec.kind is SpecKind.OPENAPI:
        sunset = sunset_header(base)
    return Verdict(is_deprecated, sunset)


def _container(base: Cursor, what: str) -> Cursor | None:
    """What a removed operation inherits a deprecation from: its path item (OpenAPI) or its channel (AsyncAPI)."""
    if what != "operation":
        return None
    if base.doc.spec.kind is SpecKind.ASYNCAPI and base.get("channel") is not None:
        return base.get("channel")  # 3.x: the operation names its channel
    return parent(base)  # OpenAPI: the path item; AsyncAPI 2.x: the channel item


def _members(item: Cursor, operations: list[Cursor]) -> Verdict:
    """A path item (or 2.x channel) is deprecated when it says so, or when every operation of it is.

    Without a sunset of its own, the latest of its operations' sunsets applies (each must have one).
    """
    own = sunset_of(item)
    if deprecated(item):
        return Verdict(True, own)
    verdicts = [judge(op, "operation") for op in operations]
    if not verdicts or not all(v.deprecated for v in verdicts):
        return Verdict(False)
    if own is not None:
        return Verdict(True, own)
    sunsets = [v.sunset for v in verdicts]
    if any(s is None or s.date is None for s in sunsets):
        return Verdict(True, next((s for s in sunsets if s is not None and s.date is None), None))
    return Verdict(True, max((s for s in sunsets if s is not None), key=lambda s: s.date or dt.date.min))


@dataclass(frozen=True, slots=True)
class DeprecationPolicy:
    """Judges removals by the removed node's deprecation and sunset date (a :class:`RemovalPolicy`).

    Attributes:
        today: the day sunset dates are compared with (injected: a run can be reproduced).
    """

    today: dt.date

    def judge_removal(self, finding: Finding, rule: AnyChangeRule, base: Cursor) -> Finding:
        """Return ``finding`` as the policy reports it (see the module docstring)."""
        if rule.removes is None:
            return finding
        verdict = judge(base, rule.removes)
        if not verdict.deprecated:
            return finding
        sunset = verdict.sunset
        if sunset is None or sunset.date is None:
            why = "no sunset date" if sunset is None else f"its sunset `{sunset.text}` is not a date"
            return dataclasses.replace(
                finding, message=f"{finding.message} (deprecated, but {why})", hint=_NO_SUNSET_FIX
            )
        early: list[Finding] = [judged for _, judged in fired(DEPRECATION_RULES, finding, sunset.date, self.today)]
        if early:
            return early[0]  # the sunset is still to come
        # Allowed: the removal needs no fix (the rule's "deprecate it first" is what was done).
        return dataclasses.replace(
            finding,
            severity=INFO,
            message=f"{finding.message} (deprecated, sunset {sunset.date.isoformat()} passed)",
            hint=None,
        )
