"""The constraints on a value of a given type: numeric and size bounds, `pattern` and `format`.

A request constraint that narrows rejects values clients send; a response one that widens sends values clients
may not expect. A size format (`format: int64`) implies bounds, but is judged as a format, as formats always were.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from contractkit.breaking.openapi.fixes import NEW_VERSION
from contractkit.breaking.openapi.said import AT
from contractkit.breaking.openapi.schema_view import LENGTHS, NUMERIC, UPPER, Bound, SchemaView
from contractkit.breaking.registry import CHANGE, ERROR, INFO, WARNING, change_rule
from contractkit.schema_errors import short

if TYPE_CHECKING:
    from contractkit.breaking.openapi.schemas import SchemaDiff

# --- request side (what clients send) ---------------------------------------------------------------------
REQ_BOUND_NARROWED = change_rule(
    id="request-bound-narrowed",
    level=ERROR,
    direction="request",
    summary="values inside the old bounds (`maximum`, `minimum`, `maxLength`, `minLength`, `maxItems`, `minItems`, "
    "exclusive bounds) are now rejected",
    fix="keep the old bounds; validate the new limit only in a new major version.",
    category=CHANGE,
    schema=True,
)
REQ_BOUND_WIDENED = change_rule(
    id="request-bound-widened",
    level=INFO,
    direction="request",
    summary="accepting more values breaks no client",
    category=CHANGE,
    schema=True,
)
REQ_PATTERN_ADDED = change_rule(
    id="request-pattern-added",
    level=ERROR,
    direction="request",
    summary="values that do not match the new `pattern` are now rejected",
    fix=NEW_VERSION,
    category=CHANGE,
    schema=True,
)
REQ_PATTERN_CHANGED = change_rule(
    id="request-pattern-changed",
    level=ERROR,
    direction="request",
    summary="values matching the old `pattern` may now be rejected",
    fix=NEW_VERSION,
    category=CHANGE,
    schema=True,
)
REQ_PATTERN_REMOVED = change_rule(
    id="request-pattern-removed",
    level=INFO,
    direction="request",
    summary="accepting more values breaks no client",
    category=CHANGE,
    schema=True,
)
REQ_FORMAT_CHANGED = change_rule(
    id="request-format-changed",
    level=WARNING,
    direction="request",
    summary="values of the old `format` may now be rejected",
    fix=NEW_VERSION,
    category=CHANGE,
    schema=True,
)
# --- response side (what clients read) --------------------------------------------------------------------
RESP_BOUND_WIDENED = change_rule(
    id="response-bound-widened",
    level=WARNING,
    direction="response",
    summary="clients that validate or size buffers by the old bounds may fail on larger or longer values",
    fix="keep the old bounds, or document the change for clients.",
    category=CHANGE,
    schema=True,
)
RESP_BOUND_NARROWED = change_rule(
    id="response-bound-narrowed",
    level=INFO,
    direction="response",
    summary="sending fewer values is safe",
    category=CHANGE,
    schema=True,
)
RESP_PATTERN_CHANGED = change_rule(
    id="response-pattern-changed",
    level=WARNING,
    direction="response",
    summary="clients that validate against the old `pattern` may reject new values",
    category=CHANGE,
    schema=True,
)
RESP_FORMAT_CHANGED = change_rule(
    id="response-format-changed",
    level=WARNING,
    direction="response",
    summary="clients parsing the old `format` may fail on new values",
    category=CHANGE,
    schema=True,
)


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
        text = f"`{keyword}` of {AT} changed from {_bound(before)} to {_bound(after)}"
        if diff.request:
            diff.say(REQ_BOUND_NARROWED if narrowed else REQ_BOUND_WIDENED, text, old, new)
        else:
            diff.say(RESP_BOUND_NARROWED if narrowed else RESP_BOUND_WIDENED, text, old, new)
    if size_added is not None and diff.request and old.format is None:
        # The old side may have had a size format that bounds nothing (`double`): name it, not "none".
        text = f"`format` of {AT} changed from {_text(old.size_format)} to `{size_added}`"
        diff.say(REQ_FORMAT_CHANGED, text, old, new)


def compare_pattern_and_format(diff: SchemaDiff, old: SchemaView, new: SchemaView) -> None:
    """Report a `pattern` added, changed or dropped, and a `format` changed."""
    if old.pattern != new.pattern:
        text = f"`pattern` of {AT} changed from {_text(old.pattern)} to {_text(new.pattern)}"
        if diff.request:
            if old.pattern is None:
                rule = REQ_PATTERN_ADDED
            else:
                rule = REQ_PATTERN_REMOVED if new.pattern is None else REQ_PATTERN_CHANGED
            diff.say(rule, text, old, new)
        elif old.pattern is not None:
            # A response that gains a pattern sends fewer values: only a changed or dropped one matters.
            diff.say(RESP_PATTERN_CHANGED, text, old, new)
    # A format dropped is a relaxation (formats are often annotations); in a response, one added narrows.
    if old.format != new.format and new.format is not None and (diff.request or old.format is not None):
        rule = REQ_FORMAT_CHANGED if diff.request else RESP_FORMAT_CHANGED
        diff.say(rule, f"`format` of {AT} changed from {_text(old.format)} to {_text(new.format)}", old, new)


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
