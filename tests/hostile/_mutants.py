"""Seeded mutants of contract documents: the hostile inputs the mutation fuzz test feeds to every command.

A mutant is a real document (from ``contracts/``, the corpus, or the small seeds beside this file) with one to
three mutations, each chosen by a seeded :class:`random.Random`, so that a seed names one mutant forever:

* structural: a value of another type, a deleted key, a misspelt key, a subtree copied where it does not belong;
* numbers: bounds beyond the float range (10^400), infinities, negative sizes, ``multipleOf: 0``;
* nesting: 50 to 1,000 levels of ``items``/``allOf``/lists, below and above the loader's depth limit;
* aliases: one subtree shared by many keys (the dumper writes anchors), billion-laughs trees;
* keys and values: integer, boolean and null keys, flow-sequence keys, a mapping where a name is a string;
* references: missing targets, ``#``, ``#/a~2b``, refs to strings, to other files, escaping the root, remote;
* text: truncated files, stray bytes, a byte-order mark, tabs, Latin-1 bytes.

Nothing here knows what a command should answer; the test asserts only what holds for every input.
"""

from __future__ import annotations

import copy
import json
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import yaml

Json = Any
Path_ = tuple[str | int, ...]

# Keys whose values are worth more mutations than a description's text.
INTERESTING = frozenset(
    {
        "$ref", "openapi", "asyncapi", "info", "version", "paths", "components", "schemas", "schema", "items",
        "properties", "additionalProperties", "required", "type", "enum", "const", "oneOf", "anyOf", "allOf", "not",
        "discriminator", "mapping", "parameters", "name", "in", "style", "explode", "requestBody", "content",
        "responses", "headers", "examples", "example", "value", "links", "operationId", "operationRef",
        "security", "securitySchemes", "servers", "variables", "minimum", "maximum", "exclusiveMinimum",
        "exclusiveMaximum", "minLength", "maxLength", "minItems", "maxItems", "multipleOf", "pattern", "format",
        "nullable", "default", "channels", "messages", "payload", "operations", "action", "channel", "bindings",
        "traits", "callbacks", "webhooks", "tags", "deprecated", "readOnly", "writeOnly", "encoding",
    }
)  # fmt: skip
BOUNDS = ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "minLength", "maxLength", "minItems",
          "maxItems", "minProperties", "maxProperties", "multipleOf")  # fmt: skip
HUGE = (10**400, -(10**400), float("inf"), float("-inf"), 2**64, 1e308, -1, 0, 0.5, 1e-320)
STRING_FIELDS = ("name", "in", "operationId", "description", "summary", "title", "version", "type", "format",
                 "pattern", "style", "$ref", "operationRef", "openapi", "asyncapi", "url", "action")  # fmt: skip
ODD_VALUES: tuple[Json, ...] = ({}, [], "", 0, -1, 3.5, True, False, None, 10**400, [None], {"x": 1}, "\u202e\u0301",
                                {"$ref": "#"}, [{}, []], "a" * 5000)  # fmt: skip
REFS = (
    "#", "#/", "#/nope", "#/a~2b", "#/components/schemas/%ZZ", "#/info/title", "#/paths", "#//", "#/0",
    "missing.yaml#/X", "missing.yaml", "../../../../../../etc/passwd#/x", "/etc/passwd", "http://127.0.0.1:9/x.yaml",
    "file:///etc/passwd", "#/components/schemas", "#/components/schemas/" + "A" * 300, "", " ", "#/~", "#/~3",
    "./", "?x#/y", "common.yaml#/", "#/components/parameters/0", "\u00e9.yaml#/X",
)  # fmt: skip
PATTERNS = ("(", "^(a+)+$", "[", "\\", "(?P<x>a)(?P<x>b)", "\\p{L}", "^[a-z]{1,99999}$", "a{2,1}")
DEEP_SHAPES = (
    ("items", '{{"type": "array", "items": {inner}}}', '{"type": "string"}'),
    ("allOf", '{{"allOf": [{inner}]}}', "{}"),
    ("list", "[{inner}]", "[]"),
    ("map", '{{"a": {inner}}}', "{}"),
    ("properties", '{{"type": "object", "properties": {{"p": {inner}}}}}', "{}"),
    ("not", '{{"not": {inner}}}', "{}"),
)


@dataclass(frozen=True, slots=True)
class Mutant:
    """A mutated document: its text, and what was done to it (for the failure message)."""

    text: str
    steps: tuple[str, ...]


class _Placeholders:
    """Text the YAML dumper cannot write from data (deep flow nesting, flow-sequence keys), patched in after."""

    def __init__(self) -> None:
        self.texts: dict[str, str] = {}

    def add(self, text: str) -> str:
        token = f"__HOSTILE_{len(self.texts)}__"
        self.texts[token] = text
        return token

    def apply(self, text: str) -> str:
        for token, replacement in self.texts.items():
            text = text.replace(f"'{token}'", replacement).replace(f'"{token}"', replacement)
            text = text.replace(token, replacement)
        return text


def nodes(data: Json, at: Path_ = ()) -> Iterator[tuple[Path_, Json]]:
    """Yield (path, value) for every node of ``data``, parents before children (a shared node once)."""
    stack: list[tuple[Path_, Json, int]] = [(at, data, 0)]
    seen: set[int] = set()
    while stack:
        path, value, depth = stack.pop()
        if isinstance(value, dict | list):
            if id(value) in seen:
                continue
            seen.add(id(value))
        yield path, value
        if depth > 60:
            continue
        if isinstance(value, dict):
            stack.extend(((*path, k), v, depth + 1) for k, v in reversed(list(value.items())))
        elif isinstance(value, list):
            stack.extend(((*path, i), v, depth + 1) for i, v in reversed(list(enumerate(value))))


def get(data: Json, path: Path_) -> Json:
    for part in path:
        data = data[part]
    return data


def put(data: Json, path: Path_, value: Json) -> Json:
    """Set the node at ``path`` (the root when ``path`` is empty); return the (possibly new) root."""
    if not path:
        return value
    get(data, path[:-1])[path[-1]] = value
    return data


class Mutator:
    """Applies seeded mutations to one parsed document."""

    def __init__(self, rng: random.Random, data: Json) -> None:
        self.rng = rng
        self.data = data
        self.holes = _Placeholders()
        self.steps: list[str] = []

    def pick(self, want: Callable[[Path_, Json], bool] | None = None) -> Path_ | None:
        """Return a node's path: half the time one under an interesting key, else any (``want`` filters)."""
        every = [(p, v) for p, v in nodes(self.data) if want is None or want(p, v)]
        if not every:
            return None
        if self.rng.random() < 0.6:
            keyed = [(p, v) for p, v in every if p and p[-1] in INTERESTING]
            if keyed:
                every = keyed
        return self.rng.choice(every)[0]

    def mutate(self, count: int) -> None:
        operators = [
            self.swap_type, self.delete, self.misspell, self.huge_bound, self.deep, self.alias_share,
            self.alias_bomb, self.odd_key, self.odd_string_field, self.broken_ref, self.ref_to_string,
            self.copy_subtree, self.bad_pattern, self.schema_not_object, self.version_value, self.long_number,
            self.path_templates,
        ]  # fmt: skip
        for _ in range(count):
            operator = self.rng.choice(operators)
            operator()

    def note(self, what: str, path: Path_ | None) -> None:
        shown = "/" + "/".join(str(p) for p in path) if path else "(root)"
        self.steps.append(f"{what} at {shown}")

    def odd(self) -> Json:
        return copy.deepcopy(self.rng.choice(ODD_VALUES))

    # -- operators ---------------------------------------------------------------------------------------------

    def swap_type(self) -> None:
        path = self.pick()
        if path is None:
            return
        value = self.odd()
        self.data = put(self.data, path, value)
        self.note(f"value -> {_short(value)}", path)

    def delete(self) -> None:
        path = self.pick(lambda p, _v: bool(p))
        if path is None:
            return
        parent = get(self.data, path[:-1])
        del parent[path[-1]]
        self.note("deleted", path)

    def misspell(self) -> None:
        path = self.pick(lambda p, _v: bool(p) and isinstance(p[-1], str) and len(p[-1]) > 2)
        if path is None:
            return
        parent = get(self.data, path[:-1])
        key = str(path[-1])
        i = self.rng.randrange(len(key) - 1)
        wrong = key[:i] + key[i + 1 :] if self.rng.random() < 0.5 else key[:i] + key[i + 1] + key[i] + key[i + 2 :]
        if wrong in parent:
            return
        parent[wrong] = parent.pop(key)
        self.note(f"key `{key}` -> `{wrong}`", path)

    def _schemas(self) -> Path_ | None:
        return self.pick(
            lambda p, v: isinstance(v, dict) and ("type" in v or (bool(p) and p[-1] in ("schema", "payload")))
        )

    def huge_bound(self) -> None:
        path = self._schemas()
        if path is None:
            return
        keyword = self.rng.choice(BOUNDS)
        value = self.rng.choice(HUGE)
        get(self.data, path)[keyword] = value
        self.note(f"{keyword}: {_short(value)}", path)

    def deep(self) -> None:
        path = self.pick(lambda p, _v: bool(p))
        if path is None:
            return
        name, template, leaf = self.rng.choice(DEEP_SHAPES)
        depth = self.rng.choice((50, 120, 250, 300, 1200))
        text = leaf
        for _ in range(depth):
            text = template.format(inner=text)
        self.data = put(self.data, path, self.holes.add(text))
        self.note(f"{depth} levels of {name}", path)

    def alias_share(self) -> None:
        source = self.pick(lambda _p, v: isinstance(v, dict | list) and bool(v))
        if source is None:
            return
        shared = get(self.data, source)
        for _ in range(self.rng.randint(2, 20)):
            target = self.pick(lambda p, v: bool(p) and not _under(p, source))
            if target is None or _under(source, target) or _holds(shared, self.data, target):
                continue
            self.data = put(self.data, target, shared)
        self.note("shared (anchors and aliases)", source)

    def alias_bomb(self) -> None:
        path = self.pick(lambda p, _v: bool(p))
        if path is None:
            return
        width, levels = self.rng.choice(((8, 5), (8, 6), (10, 5), (4, 9), (2, 18)))
        level: Json = {"type": "string", "description": "lol"}
        for _ in range(levels):
            level = {"type": "object", "properties": {f"p{i}": level for i in range(width)}}
        self.data = put(self.data, path, level)
        self.note(f"alias bomb {width}^{levels}", path)

    def odd_key(self) -> None:
        path = self.pick(lambda _p, v: isinstance(v, dict))
        if path is None:
            return
        holder = get(self.data, path)
        key: Json = self.rng.choice((1, 200, True, None, 1.5, "", " ", "$ref", "~1", "a/b"))
        if self.rng.random() < 0.2:
            key = self.holes.add("[a, b]")
        holder[key] = self.odd() if self.rng.random() < 0.5 else {"description": "x"}
        self.note(f"key {key!r}", path)

    def odd_string_field(self) -> None:
        path = self.pick(lambda p, _v: bool(p) and p[-1] in STRING_FIELDS)
        if path is None:
            return
        value = self.rng.choice(({"x": 1}, ["a"], 5, True, None, 10**400, 1.5, {}))
        self.data = put(self.data, path, value)
        self.note(f"-> {_short(value)}", path)

    def broken_ref(self) -> None:
        path = self.pick(lambda _p, v: isinstance(v, dict))
        if path is None:
            return
        ref = self.rng.choice(REFS)
        holder = get(self.data, path)
        holder["$ref"] = ref
        self.note(f"$ref: {ref!r}", path)

    def ref_to_string(self) -> None:
        components = self.data.get("components") if isinstance(self.data, dict) else None
        schemas = components.get("schemas") if isinstance(components, dict) else None
        if not isinstance(schemas, dict):
            return
        schemas["HostileString"] = self.rng.choice(("hello", 5, None, [1], True))
        path = self._schemas()
        if path is None:
            return
        self.data = put(self.data, path, {"$ref": "#/components/schemas/HostileString"})
        self.note("$ref to a non-object schema", path)

    def copy_subtree(self) -> None:
        source = self.pick(lambda p, _v: bool(p))
        target = self.pick(lambda _p, v: isinstance(v, dict))
        if source is None or target is None or _under(target, source):
            return
        get(self.data, target)[f"{source[-1]}"] = copy.deepcopy(get(self.data, source))
        self.note(f"copied from /{'/'.join(map(str, source))}", target)

    def bad_pattern(self) -> None:
        path = self._schemas()
        if path is None:
            return
        holder = get(self.data, path)
        holder["type"] = "string"
        holder["pattern"] = self.rng.choice(PATTERNS)
        holder["example"] = "a" * self.rng.choice((5, 40)) + "!"
        self.note(f"pattern {holder['pattern']!r}", path)

    def schema_not_object(self) -> None:
        path = self.pick(lambda p, _v: bool(p) and p[-1] in ("schema", "items", "payload", "additionalProperties"))
        if path is None:
            path = self.pick(lambda p, _v: bool(p) and p[-2:-1] in (("oneOf",), ("anyOf",), ("allOf",)))
        if path is None:
            return
        value = self.rng.choice((5, "string", None, [], 10**400, ["a"]))
        self.data = put(self.data, path, value)
        parent = get(self.data, path[:-1]) if path else None
        if isinstance(parent, dict) and self.rng.random() < 0.7:
            parent.setdefault("example", {"a": 1})
        self.note(f"schema -> {_short(value)}", path)

    def long_number(self) -> None:
        path = self.pick(lambda p, v: bool(p) and isinstance(v, int | float) and not isinstance(v, bool))
        path = path or self.pick(lambda p, _v: bool(p))
        if path is None:
            return
        digits = self.rng.choice((400, 4299, 4301, 20000))
        self.data = put(self.data, path, self.holes.add("9" * digits))
        self.note(f"a number of {digits} digits", path)

    def path_templates(self) -> None:
        paths = self.data.get("paths") if isinstance(self.data, dict) else None
        if not isinstance(paths, dict) or not paths:
            return
        count = self.rng.choice((3, 12, 30))
        template = "/" + "".join(f"{{p{i}}}" for i in range(count)) + self.rng.choice(("!", "x", ""))
        literal = "/" + "a" * self.rng.choice((10, 100, 3000))
        item = copy.deepcopy(next(iter(paths.values())))
        paths[template] = item
        paths[literal] = copy.deepcopy(item)
        self.note(f"paths `{template[:30]}` and `{literal[:12]}...`", ("paths",))

    def version_value(self) -> None:
        if not isinstance(self.data, dict):
            return
        key = self.rng.choice(("info", "openapi", "asyncapi"))
        value = self.rng.choice(({"x": 1}, [1, 2], 1.0, 3, 10**400, None, "", "2.", "3.0", "3.1.9", "v1", "1.0.0-rc.1"))
        if key == "info" and isinstance(self.data.get("info"), dict):
            self.data["info"]["version"] = value
            self.note(f"info.version -> {_short(value)}", ("info", "version"))
        elif key in self.data:
            self.data[key] = value
            self.note(f"{key} -> {_short(value)}", (key,))


def _holds(shared: Json, data: Json, path: Path_) -> bool:
    """Return whether ``shared`` is ``data`` or one of the nodes on the way to ``path`` (a cycle in the making)."""
    node = data
    for part in path:
        if node is shared:
            return True
        node = node[part]
    return node is shared


def _under(path: Path_, ancestor: Path_) -> bool:
    return path[: len(ancestor)] == ancestor


def _short(value: Json) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def dump(data: Json, *, as_json: bool) -> str:
    """Return ``data`` as JSON, or as block YAML with anchors for shared nodes."""
    if as_json:
        return json.dumps(data, indent=1, ensure_ascii=False, default=str) + "\n"
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def text_damage(rng: random.Random, text: str) -> tuple[str, str]:
    """Return ``text`` damaged at the byte level, and what was done."""
    choice = rng.randrange(6)
    cut = rng.randrange(max(1, len(text)))
    if choice == 0:
        return text[:cut], f"truncated at {cut}"
    if choice == 1:
        junk = rng.choice(("\t", "\x00", "\x1b[31m", "]]", "}{", ": :", "- - -", "&a *a", "!!python/object:os.system"))
        return text[:cut] + junk + text[cut:], f"inserted {junk!r} at {cut}"
    if choice == 2:
        return "\ufeff" + text, "byte-order mark"
    if choice == 3:
        return text.replace("  ", "\t", 1), "a tab in the indentation"
    if choice == 4:
        return text + "\n---\nsecond: document\n", "a second YAML document"
    return text.replace("\n", "\r\n"), "CRLF line ends"


def mutate(seed: int, data: Json, *, as_json: bool) -> Mutant:
    """Return the mutant of ``data`` that ``seed`` names."""
    rng = random.Random(seed)
    mutator = Mutator(rng, copy.deepcopy(data))
    mutator.mutate(rng.choice((1, 1, 2, 3)))
    text = mutator.holes.apply(dump(mutator.data, as_json=as_json))
    steps = list(mutator.steps)
    if rng.random() < 0.08:
        text, what = text_damage(rng, text)
        steps.append(what)
    return Mutant(text, tuple(steps) or ("no-op",))
