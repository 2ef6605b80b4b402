"""House rules for OpenAPI path templates: kebab-case segments, no trailing slash, no ambiguous pairs."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from contractkit.findings import Location, Severity
from contractkit.kinds import SpecKind
from contractkit.lint.context import LintContext
from contractkit.lint.registry import lint_rule
from contractkit.loaders.document import Cursor, Document
from contractkit.spec.walk import HTTP_METHODS, operations

_KEBAB = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*", re.ASCII)
_TEMPLATE = re.compile(r"\{[^{}]*\}")


@dataclass(frozen=True, slots=True)
class _Path:
    """A path template of `paths`, where its key is, and the methods its path item declares."""

    template: str
    location: Location
    item: Cursor | None

    @property
    def segments(self) -> list[str]:
        return self.template.split("/")[1:]

    def methods(self) -> list[str]:
        if self.item is None or not isinstance(self.item.value, dict):
            return []
        return [method for method in HTTP_METHODS if isinstance(self.item.value.get(method), dict)]


def _paths(doc: Document) -> Iterator[_Path]:
    """Yield the path templates of `paths` in document order (extensions such as `x-internal` are skipped)."""
    paths = doc.cursor().get("paths")
    if paths is None or not isinstance(paths.value, dict):
        return
    for template in paths.value:
        if template.startswith("/"):
            yield _Path(template, paths.file.location((*paths.parts, template)), paths.get(template))


def _split(segment: str) -> list[str]:
    """Return the literal and template parts of a segment (``{id}.json`` -> ``["", "{id}", ".json"]``)."""
    return re.split(r"(\{[^{}]*\})", segment)


def _is_kebab(segment: str) -> bool:
    """Return whether a path segment is kebab-case once its templates (`{id}`, `report-{year}`) are filled in."""
    return bool(_KEBAB.fullmatch(_TEMPLATE.sub("x", segment)))


def _kebab(segment: str) -> str:
    """Return the kebab-case spelling of a segment (``orderItems``, ``order_items`` -> ``order-items``).

    Template parts are kept as they are (``itemsOf_{orderId}`` -> ``items-of-{orderId}``), and a custom method
    becomes a segment of its own (``{orderId}:cancel`` -> ``{orderId}/cancel``).
    """
    parts = _split(segment)
    for index in range(0, len(parts), 2):
        words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "-", parts[index])
        parts[index] = re.sub(r"[^A-Za-z0-9:]+", "-", words).lower()
    return "/".join(part.strip("-") for part in "".join(parts).split(":") if part.strip("-"))


def _ticked(items: list[str]) -> str:
    return ", ".join(f"`{item}`" for item in items)


@lint_rule(
    "path-not-kebab-case",
    severity=Severity.ERROR,
    summary="lower-case, hyphenated path segments read the same in every URL and never differ only by case",
    specs=(SpecKind.OPENAPI,),
)
def path_not_kebab_case(ctx: LintContext) -> None:
    """URLs are case-sensitive: kebab-case segments avoid `/orderItems` and `/orderitems` being two resources.

    Every literal segment must match `^[a-z0-9]+(-[a-z0-9]+)*$`. Template parts (`{orderId}`) are not
    checked, so `/orders/{orderId}` and `/reports/report-{year}` are fine, and so is a version such as `v1`.
    A file extension (`/orders.json`) is not kebab-case: the format belongs in the `Accept` header.

    Fix: write the segment in lower case with hyphens between words, such as `/order-items`.
    """
    for path in _paths(ctx.doc):
        bad = [segment for segment in path.segments if segment and not _is_kebab(segment)]
        if not bad:
            continue
        if len(bad) == 1:
            message = f"path segment `{bad[0]}` of `{path.template}` is not kebab-case"
        else:
            message = f"path segments {_ticked(bad)} of `{path.template}` are not kebab-case"
        if any("." in segment for segment in bad):
            hint = "drop the file extension and negotiate the format with `Accept`; use lower case and hyphens"
        else:
            fixed = "/".join(_kebab(segment) if segment in bad else segment for segment in path.segments)
            hint = f"rename it to `/{fixed}`"
        ctx.report(path.location, message, hint=hint)


@lint_rule(
    "path-trailing-slash",
    severity=Severity.ERROR,
    summary="`/orders/` and `/orders` are different URLs: servers and proxies disagree on whether they match",
    specs=(SpecKind.OPENAPI,),
)
def path_trailing_slash(ctx: LintContext) -> None:
    """A trailing slash makes a second URL for a resource, and frameworks disagree on how to treat it.

    Some servers redirect `/orders/` to `/orders` (and the redirect drops a POST body), some answer 404,
    some serve both. Clients generated from the contract call exactly the declared path. The root path `/`
    is fine.

    Fix: remove the trailing slash from the path.
    """
    for path in _paths(ctx.doc):
        if path.template != "/" and path.template.endswith("/"):
            ctx.report(
                path.location,
                f"path `{path.template}` ends with a slash",
                hint=f"rename it to `{path.template.rstrip('/') or '/'}`",
            )


def _overlap(a: str, b: str) -> bool:
    """Return whether some request segment can match both path segments ``a`` and ``b``.

    A template part matches any non-empty text. Two segments that both hold templates are compared by the
    literal text before their first template and after their last one, so the answer may be a false "yes"
    for exotic segments such as `{a}-x-{b}` and `{c}-y-{d}`.
    """
    a_parts, b_parts = _split(a), _split(b)
    if len(a_parts) == 1 and len(b_parts) == 1:
        return a == b
    if len(a_parts) == 1 or len(b_parts) == 1:
        literal, pattern = (a, b_parts) if len(a_parts) == 1 else (b, a_parts)
        return _glob(pattern[::2], literal)
    heads = (a_parts[0], b_parts[0])
    tails = (a_parts[-1], b_parts[-1])
    return (heads[0].startswith(heads[1]) or heads[1].startswith(heads[0])) and (
        tails[0].endswith(tails[1]) or tails[1].endswith(tails[0])
    )


def _glob(literals: list[str], text: str) -> bool:
    """Return whether ``text`` is ``literals`` joined by non-empty runs of any text (a template segment's match).

    Each literal is taken at its leftmost place after the previous one: for wildcards that match any text that
    is the answer, in linear time, where a backtracking regular expression (``a.+b.+c``) takes exponential time
    on a segment of many templates.
    """
    first, *middle, last = literals
    if not text.startswith(first) or len(text) < len(first) + len(last):
        return False
    end = len(text) - len(last)
    if not text.endswith(last):
        return False
    at = len(first)
    for literal in middle:
        found = text.find(literal, at + 1, end - 1)
        if found < 0:
            return False
        at = found + len(literal)
    return end - at >= 1


def _example(earlier: list[str], later: list[str]) -> str:
    """Return a request path (template) that matches both paths, given that every pair of segments overlaps."""
    chosen = []
    for a, b in zip(earlier, later, strict=True):
        if not _TEMPLATE.search(a):
            chosen.append(a)
        elif not _TEMPLATE.search(b) or _TEMPLATE.fullmatch(a):
            chosen.append(b)
        else:
            chosen.append(a)
    return "/" + "/".join(chosen)


def _either(methods: list[str]) -> str:
    """Join methods as in "`GET`, `PUT` or `POST`"."""
    names = [f"`{method.upper()}`" for method in methods]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"


@lint_rule(
    "path-ambiguous",
    severity=Severity.WARNING,
    summary="two paths that can match the same request are routed differently by different servers",
    specs=(SpecKind.OPENAPI,),
)
def path_ambiguous(ctx: LintContext) -> None:
    """Two paths that one request can match leave the choice to the router, and routers choose differently.

    OpenAPI says a literal path wins over a templated one (`/orders/summary` over `/orders/{id}`), but many
    frameworks route in declaration order, and proxies or gateways may not know the rule at all. Paths are
    compared segment by segment, where a template matches anything, and only when both declare a common
    method. Paths that differ only in their parameter names (`/a/{x}/b` and `/a/{y}/b`) are the same path
    twice, whatever their methods (OpenAPI forbids them). The later path is reported, naming the earlier one.

    Fix: give one of the paths a literal segment that sets it apart (`/order-summary` next to `/orders/{id}`), or
    merge the two path items when they are the same path.
    """
    index: dict[int, _SegmentIndex] = {}
    for path in _paths(ctx.doc):
        segments = path.segments
        methods = path.methods()
        bucket = index.setdefault(len(segments), _SegmentIndex(len(segments)))
        for earlier, earlier_methods in bucket.candidates(segments):
            same = _TEMPLATE.sub("{}", earlier.template) == _TEMPLATE.sub("{}", path.template)
            common = [method for method in earlier_methods if method in methods]
            if not (same or common) or not all(_overlap(a, b) for a, b in zip(earlier.segments, segments, strict=True)):
                continue
            if same:
                message = f"path `{path.template}` is the same as `{earlier.template}` apart from parameter names"
                hint = "merge the two path items: no server can tell them apart"
            else:
                example = _example(earlier.segments, segments)
                message = (
                    f"path `{path.template}` is ambiguous with `{earlier.template}`: "
                    f"a {_either(common)} request to `{example}` matches both"
                )
                hint = "give one of the paths a literal segment that sets it apart"
            ctx.report(path.location, message, hint=hint)
        bucket.add(path, methods)


class _SegmentIndex:
    """Paths of one length, indexed by their literal segments, so that only possible overlaps are compared.

    A literal segment can only overlap the same literal or a segment with a template; a segment with a template
    can overlap anything. Without the index the rule was quadratic (4,000 paths: 38 s).
    """

    def __init__(self, length: int) -> None:
        self.paths: list[tuple[_Path, list[str]]] = []
        self.literal: list[dict[str, set[int]]] = [{} for _ in range(length)]
        self.templated: list[set[int]] = [set() for _ in range(length)]

    def add(self, path: _Path, methods: list[str]) -> None:
        number = len(self.paths)
        self.paths.append((path, methods))
        for position, segment in enumerate(path.segments):
            if "{" in segment:
                self.templated[position].add(number)
            else:
                self.literal[position].setdefault(segment, set()).add(number)

    def candidates(self, segments: list[str]) -> list[tuple[_Path, list[str]]]:
        possible: set[int] | None = None
        for position, segment in enumerate(segments):
            if "{" in segment:
                continue
            here = self.literal[position].get(segment, set()) | self.templated[position]
            possible = here if possible is None else possible & here
            if not possible:
                return []
        numbers = range(len(self.paths)) if possible is None else sorted(possible)
        return [self.paths[number] for number in numbers]


@lint_rule(
    "webhook-servers",
    severity=Severity.WARNING,
    summary="`servers` on a webhook locate nothing: the API sends it to the URL the partner registered",
    specs=(SpecKind.OPENAPI,),
)
def webhook_servers(ctx: LintContext) -> None:
    """A webhook is a request the API sends, not one it serves: `servers` there say nothing a tool can use.

    OpenAPI lets a path item and an operation override `servers`, and a webhook's path item is a Path Item
    Object like any other, so the schema accepts them. But the base paths of a contract
    (`contractkit.spec.servers`) are where the API receives requests; a webhook goes to the address each
    partner registered, so the middleware, the fuzzer and the breaking engine read no `servers` of a webhook,
    and a reader who takes them for the partner's URL is misled.

    Fix: remove `servers` from the webhook; say where it is sent in its `description`.
    """
    seen: set[int] = set()
    hint = "remove `servers` from the webhook; say where it is sent in its `description`"
    for operation in operations(ctx.doc):
        if not operation.webhook:
            continue
        shared = operation.path_item.get("servers")
        if shared is not None and id(operation.path_item.value) not in seen:
            seen.add(id(operation.path_item.value))  # one finding per path item, not one per method
            ctx.report(shared, f"webhook `{operation.path}` declares `servers`, which locate nothing", hint=hint)
        own = operation.cursor.get("servers")
        if own is not None:
            ctx.report(own, f"`{operation.label}` declares `servers`, which locate nothing", hint=hint)
