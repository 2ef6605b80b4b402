"""The constraints on a value of a given type: numeric and size bounds, `pattern` and `format`.

A request constraint that narrows rejects values clients send; a response one that widens sends values clients
may not expect. A size format (`format: int64`) implies bounds, but is judged as a format, as formats always were.

Each rule is a function, called by its walker with what changed: :func:`compare_bounds` works out a
:class:`BoundChange` per bound and calls :data:`BOUND_RULES`; :func:`compare_pattern_and_format` a
:class:`PatternChange` (:data:`PATTERN_RULES`) and a :class:`FormatChange` (:data:`FORMAT_RULES`, also for a
size format added alone).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from contractkit.breaking.openapi.fixes import NEW_VERSION
from contractkit.breaking.openapi.said import AT
from contractkit.breaking.openapi.schema_view import LENGTHS, NUMERIC, UPPER, Bound, SchemaView
from contractkit.breaking.registry import CHANGE, ERROR, INFO, WARNING, AnyChangeRule, breaking_rule, fired
from contractkit.schema_errors import short

if TYPE_CHECKING:
    from contractkit.breaking.openapi.schemas import SchemaDiff


@dataclass(frozen=True, slots=True)
class BoundChange:
    """One bound (`maximum`, `minLength`, ...) of a schema pair that changed, for :data:`BOUND_RULES`.

    Attributes:
        request: the schema is read from requests (clients write it); else from responses.
        keyword: the bound's keyword.
        before: the base's bound (``None``: none).
        after: the revision's bound (``None``: none).
        narrowed: the revision accepts fewer values (a bound added, or tightened); else more (dropped, loosened).
    """

    request: bool
    keyword: str
    before: Bound | None
    after: Bound | None
    narrowed: bool

    def text(self) -> str:
        """Say the change of the bound."""
        return f"`{self.keyword}` of {AT} changed from {_bound(self.before)} to {_bound(self.after)}"


@dataclass(frozen=True, slots=True)
class PatternChange:
    """The `pattern` of a schema pair changed (added, dropped or rewritten), for :data:`PATTERN_RULES`.

    Attributes:
        request: the schema is read from requests (clients write it); else from responses.
        old: the base's pattern (``None``: none).
        new: the revision's pattern (``None``: none).
    """

    request: bool
    old: str | None
    new: str | None

    def text(self) -> str:
        """Say the change of the pattern."""
        return f"`pattern` of {AT} changed from {_text(self.old)} to {_text(self.new)}"


@dataclass(frozen=True, slots=True)
class FormatChange:
    """The revision of a schema pair has a `format` the base did not have, for :data:`FORMAT_RULES`.

    Attributes:
        request: the schema is read from requests (clients write it); else from responses.
        old: the base's format (``None``: none).
        new: the revision's format.
    """

    request: bool
    old: str | None
    new: str

    def text(self) -> str:
        """Say the change of the format."""
        return f"`format` of {AT} changed from {_text(self.old)} to `{self.new}`"


#: The bound rules (exactly one says a change of a bound).
BOUND_RULES: list[AnyChangeRule] = []
#: The `pattern` rules.
PATTERN_RULES: list[AnyChangeRule] = []
#: The `format` rules.
FORMAT_RULES: list[AnyChangeRule] = []


# --- bounds -------------------------------------------------------------------------------------------------
@breaking_rule(
    id="request-bound-narrowed",
    level=ERROR,
    direction="request",
    summary="values inside the old bounds (`maximum`, `minimum`, `maxLength`, `minLength`, `maxItems`, `minItems`, "
    "exclusive bounds) are now rejected",
    fix="keep the old bounds; validate the new limit only in a new major version.",
    category=CHANGE,
    schema=True,
    group=BOUND_RULES,
)
def request_bound_narrowed(change: BoundChange) -> str | None:
    """A request bound was added or tightened (a lower `maxLength`, a new `minimum`, a bound made exclusive).

    Clients that send a value the old bounds allowed and the new ones do not (a 300-character name, say) are
    rejected with a 400.
    """
    return change.text() if change.request and change.narrowed else None


@breaking_rule(
    id="request-bound-widened",
    level=INFO,
    direction="request",
    summary="accepting more values breaks no client",
    category=CHANGE,
    schema=True,
    group=BOUND_RULES,
)
def request_bound_widened(change: BoundChange) -> str | None:
    """A request bound was dropped or loosened: every value clients send today is still accepted."""
    return change.text() if change.request and not change.narrowed else None


@breaking_rule(
    id="response-bound-narrowed",
    level=INFO,
    direction="response",
    summary="sending fewer values is safe",
    category=CHANGE,
    schema=True,
    group=BOUND_RULES,
)
def response_bound_narrowed(change: BoundChange) -> str | None:
    """A response bound was added or tightened: clients only get values the old bounds allowed already."""
    return change.text() if not change.request and change.narrowed else None


@breaking_rule(
    id="response-bound-widened",
    level=WARNING,
    direction="response",
    summary="clients that validate or size buffers by the old bounds may fail on larger or longer values",
    fix="keep the old bounds, or document the change for clients.",
    category=CHANGE,
    schema=True,
    group=BOUND_RULES,
)
def response_bound_widened(change: BoundChange) -> str | None:
    """A response bound was dropped or loosened (a higher `maximum`, a longer `maxLength`).

    Clients that validate responses, or size a column or a buffer by the old bound, may fail on the larger values
    they can now get.
    """
    return change.text() if not change.request and not change.narrowed else None


# --- pattern ------------------------------------------------------------------------------------------------
@breaking_rule(
    id="request-pattern-added",
    level=ERROR,
    direction="request",
    summary="values that do not match the new `pattern` are now rejected",
    fix=NEW_VERSION,
    category=CHANGE,
    schema=True,
    group=PATTERN_RULES,
)
def request_pattern_added(change: PatternChange) -> str | None:
    """A request string that took any text must now match a `pattern`.

    Clients that send a value the pattern does not match (one the old contract allowed) are rejected with a 400.
    """
    return change.text() if change.request and change.old is None else None


@breaking_rule(
    id="request-pattern-changed",
    level=ERROR,
    direction="request",
    summary="values matching the old `pattern` may now be rejected",
    fix=NEW_VERSION,
    category=CHANGE,
    schema=True,
    group=PATTERN_RULES,
)
def request_pattern_changed(change: PatternChange) -> str | None:
    """The `pattern` of a request string was rewritten.

    Whether the new one accepts every value the old one did cannot be told, so clients that send values matching
    the old pattern may now be rejected with a 400.
    """
    return change.text() if change.request and change.old is not None and change.new is not None else None


@breaking_rule(
    id="request-pattern-removed",
    level=INFO,
    direction="request",
    summary="accepting more values breaks no client",
    category=CHANGE,
    schema=True,
    group=PATTERN_RULES,
)
def request_pattern_removed(change: PatternChange) -> str | None:
    """A request string no longer has to match a `pattern`: every value clients send today is still accepted."""
    return change.text() if change.request and change.old is not None and change.new is None else None


@breaking_rule(
    id="response-pattern-changed",
    level=WARNING,
    direction="response",
    summary="clients that validate against the old `pattern` may reject new values",
    category=CHANGE,
    schema=True,
    group=PATTERN_RULES,
)
def response_pattern_changed(change: PatternChange) -> str | None:
    """The `pattern` of a response string was rewritten or dropped (one added only sends fewer values).

    Clients that validate responses against the old pattern may reject the values they can now get.
    """
    return change.text() if not change.request and change.old is not None else None


# --- format -------------------------------------------------------------------------------------------------
@breaking_rule(
    id="request-format-changed",
    level=WARNING,
    direction="request",
    summary="values of the old `format` may now be rejected",
    fix=NEW_VERSION,
    category=CHANGE,
    schema=True,
    group=FORMAT_RULES,
)
def request_format_changed(change: FormatChange) -> str | None:
    """A request value gained a `format`, or changed it (`date-time` to `date`, `int32` added to an `integer`).

    A server that validates formats may reject the values clients send in the old one (a dropped format is a
    relaxation and is not reported).
    """
    return change.text() if change.request else None


@breaking_rule(
    id="response-format-changed",
    level=WARNING,
    direction="response",
    summary="clients parsing the old `format` may fail on new values",
    category=CHANGE,
    schema=True,
    group=FORMAT_RULES,
)
def response_format_changed(change: FormatChange) -> str | None:
    """The `format` of a response value changed (`date-time` to `date`, `uuid` to `uri`).

    Clients that parse the value by its old format (a date parser, a UUID type) may fail on the values they can
    now get; a format added where there was none only narrows what is sent and is not reported.
    """
    return change.text() if not change.request and change.old is not None else None


def compare_bounds(diff: SchemaDiff, old: SchemaView, new: SchemaView) -> None:
    """Report each bound (`maximum`, `minLength`, ...) that narrowed or widened, and a size format added alone."""
    size_added: str | None = None
    for keyword in (*NUMERIC, *LENGTHS):
        before, after = old.bounds.get(keyword), new.bounds.get(keyword)
        if before == after:
            continue
        # A size format (`int64`) added or dropped alone is judged as a format, as formats always were.
        if before is None and after is not None and after.implied_by:
            size_added = after.implied_by
            continue
        if after is None and before is not None and before.implied_by:
            continue
        # A bound added narrows, a bound dropped widens.
        narrowed = before is None if before is None or after is None else after.tighter(before, keyword in UPPER)
        for rule, message in fired(BOUND_RULES, BoundChange(diff.request, keyword, before, after, narrowed)):
            diff.say(rule, message, old, new)
    if size_added is not None and diff.request and old.format is None:
        # The old side may have had a size format that bounds nothing (`double`): name it, not "none".
        for rule, message in fired(FORMAT_RULES, FormatChange(True, old.size_format, size_added)):
            diff.say(rule, message, old, new)


def compare_pattern_and_format(diff: SchemaDiff, old: SchemaView, new: SchemaView) -> None:
    """Report a `pattern` added, changed or dropped (:data:`PATTERN_RULES`), and a `format` changed."""
    if old.pattern != new.pattern:
        for rule, message in fired(PATTERN_RULES, PatternChange(diff.request, old.pattern, new.pattern)):
            diff.say(rule, message, old, new)
    # A format dropped is a relaxation (formats are often annotations); in a response, one added narrows.
    if old.format != new.format and new.format is not None:
        for rule, message in fired(FORMAT_RULES, FormatChange(diff.request, old.format, new.format)):
            diff.say(rule, message, old, new)


def _bound(bound: Bound | None) -> str:
    if bound is None:
        return "none"
    value = bound.value
    number = f"`{short(int(value) if isinstance(value, float) and value.is_integer() else value)}`"
    if bound.implied_by:
        number += f" (`format: {bound.implied_by}`)"
    return f"{number} (exclusive)" if bound.exclusive else number


def _text(value: str | None) -> str:
    return f"`{value}`" if value is not None else "none"
