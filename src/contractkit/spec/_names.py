"""The names of the components a bundle gains: readable, never counted, independent of the order of the walk.

A hoisted target takes the last segment of its pointer (``common/money.yaml#/Money`` -> ``Money``). When two
different targets want the same name, or a name the root already uses, each of them is qualified by what is around
it, nearest first (the pointer segments before the name, then the file's stem, then its folders):
``CommonMoney``, ``ManufacturingOrderStatus``; the last resort is a name with a digest of the target.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Mapping
from pathlib import Path, PurePosixPath

from contractkit.loaders.pointer import to_pointer

Key = tuple[str, str, tuple[str, ...]]
"""A hoisted target: (components section, file name, pointer tokens in that file)."""

# Pointer tokens that say where a node is, not what it is: a name ending in them takes the token before too.
_GENERIC = frozenset({"schema", "items", "payload", "headers", "content", "value", "additionalProperties", "not"})
# Pointer tokens that only group named things: never used to qualify a name.
_CONTAINERS = frozenset(
    {"components", "definitions", "$defs", "properties", "allOf", "anyOf", "oneOf", "paths", "channels", "webhooks"}
)


def component_names(
    paths: Mapping[Key, PurePosixPath], aliases: Mapping[Key, str], components: Mapping[str, object]
) -> dict[Key, str]:
    """Return a name for every hoisted target, unique in its section.

    Args:
        paths: every hoisted target -> its file, relative to the contracts root.
        aliases: targets that a root component already names (they keep that name).
        components: the root's ``components`` (names already taken).
    """
    names = {key: name for key, name in aliases.items() if key in paths}
    by_section: dict[str, list[Key]] = {}
    for key in paths:
        if key not in names:
            by_section.setdefault(key[0], []).append(key)
    for section, keys in by_section.items():
        entries = components.get(section)
        taken = set(entries) if isinstance(entries, dict) else set()
        taken |= {name for key, name in names.items() if key[0] == section}
        options = {key: candidates(paths[key], key[2]) for key in keys}
        levels = dict.fromkeys(keys, 0)
        while True:
            proposed = {key: options[key][levels[key]] for key in keys}
            counts = Counter(proposed.values())
            clashing = [key for key in keys if counts[proposed[key]] > 1 or proposed[key] in taken]
            movable = [key for key in clashing if levels[key] < len(options[key]) - 1]
            if not movable:
                break
            for key in movable:
                levels[key] += 1
        names.update(proposed)
    return names


def relative(path: Path, root_dir: Path) -> PurePosixPath:
    """Return ``path`` relative to the contracts root (a remote file: as it is)."""
    try:
        return PurePosixPath(path.relative_to(root_dir).as_posix())
    except ValueError:  # a remote file
        return PurePosixPath(path.as_posix())


def candidates(path: PurePosixPath, parts: tuple[str, ...]) -> list[str]:
    """Return the names a target may take, plainest first; the last one is unique to the target."""
    end = len(parts) - 1
    while end > 0 and (parts[end].isdigit() or parts[end] in _GENERIC):
        end -= 1
    if parts:
        name = _clean(parts[end]) + "".join(_pascal(token) for token in parts[end + 1 :])
        qualifiers = [t for t in reversed(parts[:end]) if not t.isdigit() and t not in _CONTAINERS]
        qualifiers.append(path.stem)
    else:
        name, qualifiers = _clean(path.stem), []
    qualifiers += reversed(path.parent.parts)
    names = [name]
    prefix = ""
    seen = {_normal(name)}
    for qualifier in qualifiers:
        if _normal(qualifier) in seen or not _pascal(qualifier):
            continue
        seen.add(_normal(qualifier))
        prefix = _pascal(qualifier) + prefix
        names.append(prefix + name[:1].upper() + name[1:])
    digest = hashlib.sha256(f"{path.as_posix()}#{to_pointer(parts)}".encode()).hexdigest()[:8]
    names.append(f"{name}_{digest}")
    return names


def _clean(token: str) -> str:
    """Return ``token`` as a component name (letters, digits, ``.``, ``-``, ``_``)."""
    return re.sub(r"[^A-Za-z0-9._-]+", "_", token).strip("_") or "Unnamed"


def _pascal(token: str) -> str:
    return "".join(word[:1].upper() + word[1:] for word in re.findall(r"[A-Za-z0-9]+", token))


def _normal(token: str) -> str:
    return re.sub(r"[^a-z0-9]", "", token.lower())
