"""One parsed file: its text, its JSON values and a way back from a JSON pointer to a line and column.

:func:`parse_source` is the only way contract text becomes data in contractkit. YAML keeps the composed node
tree for positions; JSON is parsed with the fast :mod:`json` module and its node tree is composed only when a
position is first asked for (most JSON files never need one).
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from contractkit._gc import gc_paused
from contractkit.errors import ContractSyntaxError
from contractkit.findings import Location
from contractkit.loaders import _yaml
from contractkit.loaders.limits import Limits
from contractkit.loaders.pointer import to_pointer
from contractkit.loaders.types import JsonValue


@dataclass(eq=False, slots=True)
class SourceFile:
    """A parsed contract file.

    Attributes:
        name: the name findings show: a path relative to the working directory when it is below it, else
            absolute; or ``<ref>:<path>`` for a file read from git.
        path: the absolute path it was read from (for a git blob, where it lives in the work tree).
        text: the decoded text.
        data: the JSON values.
    """

    name: str
    path: Path
    text: str
    data: JsonValue
    _nodes: yaml.Node | None = field(default=None, repr=False)
    _composed: bool = field(default=False, repr=False)
    _index: dict[int, dict[str, yaml.Node]] = field(default_factory=dict, repr=False)
    _masked: bool = field(default=False, repr=False)

    def position(self, parts: Sequence[str]) -> tuple[int, int]:
        """Return the 1-based (line, column) of the node at ``parts``, or of its nearest existing ancestor.

        For a mapping entry the position is that of its key, as editors and Spectral show it.
        """
        node = self._root_node()
        if node is None:
            return (1, 1) if self.text else (0, 0)
        best = node.start_mark
        for part in parts:
            if self._masked:
                part = _masked_key(part)
            if isinstance(node, yaml.MappingNode):
                children = self._index.get(id(node))
                if children is None:
                    children = self._index[id(node)] = {}
                    for key_node, value_node in node.value:
                        if isinstance(key_node, yaml.ScalarNode):
                            children.setdefault(str(key_node.value), key_node)
                            children.setdefault("\0" + str(key_node.value), value_node)
                key_node = children.get(part)
                if key_node is None:
                    break
                best = key_node.start_mark
                node = children["\0" + part]
            elif isinstance(node, yaml.SequenceNode) and part.isdigit() and int(part) < len(node.value):
                node = node.value[int(part)]
                best = node.start_mark
            else:
                break
        return best.line + 1, best.column + 1

    def location(self, parts: Sequence[str]) -> Location:
        """Return the :class:`Location` of the node at ``parts`` in this file."""
        line, column = self.position(parts)
        return Location(self.name, to_pointer(parts), line, column)

    def _root_node(self) -> yaml.Node | None:
        if not self._composed:
            self._composed = True
            try:
                # JSON never holds tabs inside strings; outside them a tab is plain whitespace that YAML rejects.
                # YAML also rejects the surrogate escapes JSON writes characters beyond U+FFFF with (`\ud83d\udc4d`):
                # each becomes a private-use escape of the same length, so every position stays where it was.
                text, self._masked = _mask_surrogates(self.text.replace("\t", " "))
                with gc_paused():
                    self._nodes = _yaml.compose(text)
            except _yaml.YamlProblem:
                self._nodes = None
        return self._nodes


# A backslash pair, or the escape of a UTF-16 surrogate: scanned left to right, so `\\ud83d` is not an escape.
_ESCAPES = re.compile(r"\\(\\|u[dD][89a-fA-F][0-9a-fA-F]{2})")
_MASK = "\ue000"


def _mask_surrogates(text: str) -> tuple[str, bool]:
    """Return JSON ``text`` with each surrogate escape replaced by ``\ue000``, and whether there was one."""
    if not re.search(r"\\u[dD][89a-fA-F]", text):
        return text, False
    return _ESCAPES.sub(lambda m: "\\\\" if m.group(1) == "\\" else "\\ue000", text), True


def _masked_key(key: str) -> str:
    """Return ``key`` as the masked text spells it: a character beyond U+FFFF was two escapes, so two masks."""
    if key.isascii():
        return key
    return "".join(_MASK * 2 if ord(c) > 0xFFFF else _MASK if 0xD800 <= ord(c) <= 0xDFFF else c for c in key)


def parse_source(text: str, *, name: str, path: Path, limits: Limits) -> SourceFile:
    """Parse ``text`` (YAML, or JSON when the name ends in ``.json``) into a :class:`SourceFile`.

    Raises:
        ContractSyntaxError: bad syntax, a duplicate key, an alias bomb, too deep, or an empty document.
    """
    if not text.strip():
        raise _empty(name)
    if name.endswith(".json") or path.suffix == ".json":
        data = _parse_json(text, name, limits)
        return SourceFile(name, path, text, data)
    nodes = _compose_and_build(text, name, limits)
    if nodes[1] is None:
        raise _empty(name)
    return SourceFile(name, path, text, nodes[1], nodes[0], True)


def _empty(name: str) -> ContractSyntaxError:
    return ContractSyntaxError(
        "the file is empty",
        title=f"could not load `{name}`",
        location=Location(name),
        tip="it holds no YAML or JSON content (only whitespace, comments or `---`); "
        "a contract needs at least `openapi:` or `asyncapi:` and `info:`.",
    )


def _compose_and_build(text: str, name: str, limits: Limits) -> tuple[yaml.Node | None, JsonValue]:
    try:
        nodes = _yaml.compose(text)
        return nodes, _yaml.build(
            nodes, max_nodes=limits.max_nodes, max_depth=limits.max_depth, max_alias_nodes=limits.max_alias_nodes
        )
    except _yaml.YamlProblem as exc:
        raise ContractSyntaxError(
            exc.message,
            title=f"could not parse `{name}`",
            location=Location(name, "", exc.line, exc.column),
            tip=exc.tip or "fix the YAML at that position; `yamllint` gives more detail on style problems.",
        ) from exc


def _parse_json(text: str, name: str, limits: Limits) -> JsonValue:
    def unique(pairs: list[tuple[str, JsonValue]]) -> dict[str, JsonValue]:
        result = dict(pairs)
        if len(result) != len(pairs):
            seen: set[str] = set()
            duplicate = next(key for key, _ in pairs if key in seen or seen.add(key))  # type: ignore[func-returns-value]
            raise _DuplicateKey(duplicate)
        return result

    try:
        value: JsonValue = json.loads(text, object_pairs_hook=unique)
    except _DuplicateKey as exc:
        # JSON is YAML: let the YAML builder find the exact duplicate (it raises at the second key).
        try:
            _compose_and_build(text.replace("\t", " "), name, limits)
        except ContractSyntaxError as located:
            if located.detail == f"duplicate key `{exc.key}`":
                raise located from None
        line, column = _find_key(text, exc.key)
        raise ContractSyntaxError(
            f"duplicate key `{exc.key}`",
            title=f"could not parse `{name}`",
            location=Location(name, "", line, column),
            tip="JSON parsers keep only one of the two values silently: remove or rename one of them.",
        ) from None
    except json.JSONDecodeError as exc:
        raise ContractSyntaxError(
            exc.msg.lower(),
            title=f"could not parse `{name}`",
            location=Location(name, "", exc.lineno, exc.colno),
            tip="fix the JSON at that position.",
        ) from None
    except RecursionError:
        raise ContractSyntaxError(
            "the document nests too deeply", title=f"could not parse `{name}`", location=Location(name)
        ) from None
    except ValueError:  # an integer of more digits than Python converts (4,300)
        found = re.search(r"\d{4000,}", text)
        line, column = _position(text, found.start()) if found is not None else (0, 0)
        raise ContractSyntaxError(
            f"an integer of {len(found.group()):,} digits is too long to read"
            if found
            else "a number is too long to read",
            title=f"could not parse `{name}`",
            location=Location(name, "", line, column),
            tip="no real bound or example needs thousands of digits: shorten the number.",
        ) from None
    if _depth_exceeds(value, limits.max_depth):
        raise ContractSyntaxError(
            f"the document nests deeper than {limits.max_depth} levels",
            title=f"could not parse `{name}`",
            location=Location(name),
            tip="real contracts nest a few dozen levels; flatten it with `$ref`s to components.",
        )
    return value


def _depth_exceeds(value: JsonValue, max_depth: int) -> bool:
    level: list[JsonValue] = [value]
    depth = 0
    while level:
        depth += 1
        if depth > max_depth:
            return True
        following: list[JsonValue] = []
        for node in level:
            if isinstance(node, dict):
                following.extend(v for v in node.values() if isinstance(v, dict | list))
            elif isinstance(node, list):
                following.extend(v for v in node if isinstance(v, dict | list))
        level = following
    return False


class _DuplicateKey(Exception):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _find_key(text: str, key: str) -> tuple[int, int]:
    """Return the position of the second occurrence of ``"key":`` (good enough to point at a duplicate)."""
    needle = json.dumps(key)
    first = text.find(needle)
    second = text.find(needle, first + 1) if first >= 0 else -1
    at = second if second >= 0 else first
    return _position(text, at) if at >= 0 else (0, 0)


def _position(text: str, at: int) -> tuple[int, int]:
    """Return the 1-based line and column of the character at offset ``at``."""
    line = text.count("\n", 0, at) + 1
    return line, at - (text.rfind("\n", 0, at) + 1) + 1
