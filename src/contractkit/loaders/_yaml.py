"""Parse YAML (and JSON, which is YAML) into plain JSON values, safely, keeping the node tree for positions.

PyYAML's C composer builds the node graph (aliases are shared nodes, never expanded there); this module turns
it into ``dict``/``list``/scalars itself so that it can refuse what a contract must not contain:

* duplicate mapping keys (the second one silently wins in most parsers);
* alias bombs ("billion laughs"): the expanded size of the graph is computed before anything is built, and a
  document whose expansion exceeds ``max_nodes``, or whose aliases add more than ``max_alias_nodes`` to what is
  written, is refused; recursive aliases are refused;
* nesting deeper than ``max_depth`` (the builder recurses; real contracts nest a few dozen levels);
* merge keys (``<<``) and tags other than the YAML core schema (``!!python/...``, custom ``!tags``).

Timestamps, YAML 1.1 base-60 numbers (``18:00``) and YAML 1.1 booleans (``on``, ``off``, ``yes``, ``no``) stay
strings, as YAML 1.2 reads them (an OpenAPI ``format: date`` example is
text); mapping keys become strings (JSON has no other keys: ``200:`` is the response ``"200"``).
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.constructor import SafeConstructor

from contractkit.loaders.types import JsonValue

try:
    _Loader: type[Any] = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML without libyaml
    _Loader = yaml.SafeLoader

_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_MERGE = "tag:yaml.org,2002:merge"
_VALUE = "tag:yaml.org,2002:value"


class YamlProblem(Exception):
    """A document that cannot be turned into JSON values; ``line``/``column`` are 1-based (0 if unknown)."""

    def __init__(self, message: str, line: int = 0, column: int = 0, tip: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column
        self.tip = tip


def compose(text: str) -> yaml.Node | None:
    """Compose ``text`` into a YAML node graph (``None`` for an empty document).

    libyaml refuses nesting deeper than 1,000 levels itself; :func:`build` applies the tighter ``max_depth``.

    Raises:
        YamlProblem: syntax errors, several documents in one file.
    """
    try:
        return yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if exc.context_mark is not None and "end of stream" in (exc.problem or ""):
            mark = exc.context_mark  # an unclosed quote or bracket: point where it opened, not at the end
        line, column = (mark.line + 1, mark.column + 1) if mark is not None else (0, 0)
        what = " ".join(part for part in (exc.context, exc.problem) if part)
        raise YamlProblem(what or "invalid YAML", line, column) from exc
    except yaml.YAMLError as exc:
        raise YamlProblem(str(exc)) from exc


def build(root: yaml.Node | None, *, max_nodes: int, max_depth: int, max_alias_nodes: int | None = None) -> JsonValue:
    """Turn a composed node graph into JSON values.

    Raises:
        YamlProblem: with the position of the offending node.
    """
    if root is None:
        return None
    _check_expansion(root, max_nodes=max_nodes, max_depth=max_depth, max_alias_nodes=max_alias_nodes)
    return _Builder().build(root)


def _where(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _check_expansion(root: yaml.Node, *, max_nodes: int, max_depth: int, max_alias_nodes: int | None = None) -> None:
    """Refuse recursive aliases, too-deep nesting, and graphs whose expansion exceeds ``max_nodes``.

    Also refuse aliases that add more than ``max_alias_nodes`` nodes to what is written: every command walks
    the expanded document, so a few hundred bytes of anchors would cost as much as megabytes of text.
    """
    sizes: dict[int, int] = {}
    on_path: set[int] = set()
    # Iterative post-order walk, so that a deep document cannot overflow the Python stack.
    stack: list[tuple[yaml.Node, int, bool]] = [(root, 1, False)]
    while stack:
        node, depth, expanded = stack.pop()
        key = id(node)
        if expanded:
            on_path.discard(key)
            total = 1 + sum(sizes[id(child)] for child in _children(node))
            if total > max_nodes:
                line, column = _where(node)
                raise YamlProblem(
                    f"the document expands to more than {max_nodes:,} nodes (an alias bomb?)", line, column
                )
            sizes[key] = total
            continue
        if key in sizes:
            continue
        if key in on_path:
            line, column = _where(node)
            raise YamlProblem("recursive YAML alias: an anchor contains an alias to itself", line, column)
        if depth > max_depth:
            line, column = _where(node)
            raise YamlProblem(f"the document nests deeper than {max_depth} levels", line, column)
        if isinstance(node, yaml.ScalarNode):
            sizes[key] = 1
            continue
        on_path.add(key)
        stack.append((node, depth, True))
        stack.extend((child, depth + 1, False) for child in _children(node) if id(child) not in sizes)
    if max_alias_nodes is not None and sizes[id(root)] - len(sizes) > max_alias_nodes:
        _refuse_amplification(root, sizes, max_alias_nodes)


def _refuse_amplification(root: yaml.Node, sizes: dict[int, int], max_alias_nodes: int) -> None:
    """Raise for a document whose aliases add too much, at the anchor whose copies add the most."""
    uses: dict[int, int] = {}
    anchors: dict[int, yaml.Node] = {}
    for node in _distinct(root):
        for child in _children(node):
            uses[id(child)] = uses.get(id(child), 0) + 1
            anchors[id(child)] = child
    heaviest = max((k for k, n in uses.items() if n > 1), key=lambda k: sizes[k] * (uses[k] - 1))
    anchor = anchors[heaviest]
    line, column = _where(anchor)
    raise YamlProblem(
        f"YAML aliases expand {len(sizes):,} written nodes to {sizes[id(root)]:,}, more than the "
        f"{max_alias_nodes:,} they may add (an alias bomb?); the node anchored here ({sizes[heaviest]:,} nodes) "
        f"is used {uses[heaviest]} times",
        line,
        column,
        tip="write the shared part once under `components` and `$ref` it: refs are not copied.",
    )


def _distinct(root: yaml.Node) -> list[yaml.Node]:
    seen: dict[int, yaml.Node] = {}
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen[id(node)] = node
        stack.extend(_children(node))
    return list(seen.values())


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


class _Builder:
    """Builds JSON values from a checked node graph; aliases build once and are shared."""

    def __init__(self) -> None:
        self._done: dict[int, JsonValue] = {}
        self._scalars = SafeConstructor()

    def build(self, node: yaml.Node) -> JsonValue:
        key = id(node)
        if key in self._done:
            return self._done[key]
        if isinstance(node, yaml.ScalarNode):
            value = self._scalar(node)
        elif isinstance(node, yaml.SequenceNode):
            self._expect(node, _SEQ)
            value = [self.build(item) for item in node.value]
        else:
            assert isinstance(node, yaml.MappingNode)  # the composer builds only these three node kinds
            self._expect(node, _MAP)
            value = self._mapping(node)
        self._done[key] = value
        return value

    def _mapping(self, node: yaml.MappingNode) -> dict[str, JsonValue]:
        result: dict[str, JsonValue] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE:
                line, column = _where(key_node)
                raise YamlProblem("YAML merge keys (`<<`) are not supported in contracts", line, column)
            if not isinstance(key_node, yaml.ScalarNode):
                line, column = _where(key_node)
                raise YamlProblem("a mapping key must be a plain scalar", line, column)
            key = self._key(key_node)
            if key in result:
                line, column = _where(key_node)
                raise YamlProblem(f"duplicate key `{key}`", line, column)
            result[key] = self.build(value_node)
        return result

    def _key(self, node: yaml.ScalarNode) -> str:
        value = self._scalar(node)
        if value is None:
            return "null"
        if isinstance(value, bool):
            return "true" if value else "false"
        return str(value)

    def _scalar(self, node: yaml.ScalarNode) -> JsonValue:
        tag = node.tag
        if tag in (_STR, _TIMESTAMP, _VALUE):
            return str(node.value)
        if tag in (_INT, _FLOAT) and ":" in node.value:
            return str(node.value)  # YAML 1.1 base 60 (`18:00` -> 1080): every JSON-era reader means a string
        if tag == _INT:
            try:
                return int(self._scalars.construct_yaml_int(node))
            except ValueError:  # more digits than Python converts (4,300): no real bound or example has them
                line, column = _where(node)
                raise YamlProblem(
                    f"an integer of {len(node.value):,} digits is too long to read",
                    line,
                    column,
                    tip="no real bound or example needs thousands of digits: shorten the number.",
                ) from None
        if tag == _FLOAT:
            return float(self._scalars.construct_yaml_float(node))
        if tag == _BOOL:
            if node.value.lower() not in ("true", "false"):
                return str(node.value)  # YAML 1.1 `on`/`off`/`yes`/`no`: strings in YAML 1.2, as specs are read
            return bool(self._scalars.construct_yaml_bool(node))
        if tag == _NULL:
            return None
        line, column = _where(node)
        raise YamlProblem(f"unsupported YAML tag `{tag}`", line, column)

    @staticmethod
    def _expect(node: yaml.Node, tag: str) -> None:
        if node.tag != tag:
            line, column = _where(node)
            raise YamlProblem(f"unsupported YAML tag `{node.tag}`", line, column)
