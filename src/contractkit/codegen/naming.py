"""Class names for generated models: readable, derived from the contract, unique, never numbered by a walk order.

datamodel-code-generator numbers colliding names (``Data1``, ``Type129``) in the order it meets them, so a new
schema anywhere renames unrelated classes. contractkit names every class itself before dcg sees the schemas: a
component keeps its key, an inline schema is named after what holds it (``CreateOrderRequest``,
``StatusTimelineEntryActor``, ``OrderCreatedHeaders``), and a collision falls back on a longer, still
meaningful candidate.
"""

from __future__ import annotations

import http
import keyword
import re

from contractkit.loaders.types import JsonValue

_WORD = re.compile(r"[A-Z]+(?=[A-Z][a-z0-9])|[A-Z]?[a-z0-9]+|[A-Z]+|[0-9]+")


def words(text: str) -> list[str]:
    """Split an identifier, key or phrase into words (``createOrder`` -> ``create``, ``Order``)."""
    return _WORD.findall(text)


def pascal(text: str) -> str:
    """Return ``text`` as a class name: ``createOrder`` -> ``CreateOrder``, ``AiItem--Base`` -> ``AiItemBase``.

    Acronyms keep their case (``HTTPError``); a name that would start with a digit gets a ``N`` prefix.
    """
    name = "".join(word[0].upper() + word[1:] for word in words(text))
    if not name:
        return "Unnamed"
    if name[0].isdigit():
        name = "N" + name
    return name


def status_phrase(status: str) -> str:
    """Return a status as words: ``404`` -> ``NotFound``, ``default`` -> ``Error``, ``4XX`` -> ``ClientError``."""
    if status.isdigit():
        try:
            return pascal(http.HTTPStatus(int(status)).phrase)
        except ValueError:
            return f"Status{status}"
    upper = status.upper()
    return {
        "1XX": "Informational",
        "2XX": "Success",
        "3XX": "Redirect",
        "4XX": "ClientError",
        "5XX": "ServerError",
    }.get(upper, "Error")


def snake(text: str) -> str:
    """Return ``text`` as a Python identifier in snake_case (``b2b-orders`` -> ``b2b_orders``)."""
    name = "_".join(word.lower() for word in words(text)) or "_"
    if name[0].isdigit() or keyword.iskeyword(name):
        name = "_" + name
    return name


class Names:
    """The class names taken in one generated module, and the schema each one is for.

    A name is claimed for a key (what it names: a component pointer, an operation's request body...). The same
    key always gets the same name back; another key gets the first free candidate.
    """

    def __init__(self, reserved: set[str] | None = None) -> None:
        self._owner: dict[str, object] = dict.fromkeys(reserved or set())
        self.numbered: list[str] = []

    def __contains__(self, name: str) -> bool:
        return name in self._owner

    def owner(self, name: str) -> object:
        """Return the key that owns ``name`` (None for a reserved name)."""
        return self._owner.get(name)

    def claim(self, key: object, *candidates: str) -> str:
        """Return the first candidate that is free or already ``key``'s; number the last one as a last resort."""
        for candidate in candidates:
            if candidate not in self._owner:
                self._owner[candidate] = key
                return candidate
            if self._owner[candidate] == key and key is not None:
                return candidate
        base = candidates[-1]
        index = 2
        while f"{base}{index}" in self._owner:
            index += 1
        name = f"{base}{index}"
        self._owner[name] = key
        self.numbered.append(name)
        return name


_WIDTH_FORMATS = frozenset({"int32", "int64", "float", "double"})  # a storage width says nothing of the meaning
_TYPE_WORDS = {
    "string": "String",
    "integer": "Integer",
    "number": "Number",
    "boolean": "Boolean",
    "array": "Array",
    "object": "Object",
    "null": "Null",
}


def variant_names(owner: str, member: JsonValue, members: list[JsonValue]) -> tuple[str, ...]:
    """Return the candidate names of an inline ``oneOf``/``anyOf`` member, most telling first.

    The only member beside ``{type: null}`` is the owner itself (``anyOf: [{...}, {type: null}]`` is how a nullable
    schema is written). Then: the member's ``title``; ``<Owner><const of a property>`` (a tagged variant);
    ``<Owner><the single enum value>`` (else ``<Owner>Enum``); ``<Owner><format>`` (``DateTime``; not ``int32``);
    ``<Owner><type>`` (``String``, ``Object``...); ``<Owner>With<first property>`` for objects; ``<Owner><item
    type>Array`` for arrays; ``<Owner>Variant``. No counter: the names come from the schema, not from its place in
    the list, and a schema every candidate misses is numbered by :class:`Names` as a last resort (and reported).

    Args:
        owner: the name of what holds the union (a class, or a property path such as ``FileFullLock``).
        member: the member schema (its raw value).
        members: all the members of the union (to tell the nullable form).
    """
    others = [m for m in members if m is not member]
    if others and all(isinstance(m, dict) and m.get("type") == "null" for m in others):
        return (owner, *variant_names(owner, member, []))
    if not isinstance(member, dict):
        return (owner + "Variant",)
    names: list[str] = []
    title = member.get("title")
    if isinstance(title, str) and words(title):
        names += [pascal(title), owner + pascal(title)]
    properties = member.get("properties")
    props = properties if isinstance(properties, dict) else {}
    for prop in props.values():
        const = prop.get("const") if isinstance(prop, dict) else None
        enum = prop.get("enum") if isinstance(prop, dict) else None
        if not isinstance(const, str) and isinstance(enum, list) and len(enum) == 1:
            const = enum[0]
        if isinstance(const, str) and words(const):
            names.append(owner + pascal(const))
            break
    enum = member.get("enum")
    if isinstance(enum, list) and len(enum) == 1 and isinstance(enum[0], str | int) and words(str(enum[0])):
        names.append(owner + pascal(str(enum[0])))
    elif isinstance(enum, list) and enum:
        names.append(owner + "Enum")
    kind = _main_type(member.get("type"), props)
    fmt = member.get("format")
    if isinstance(fmt, str) and fmt not in _WIDTH_FORMATS and words(fmt):
        names.append(owner + pascal(fmt))
    if isinstance(kind, str) and kind in _TYPE_WORDS:
        names.append(owner + _TYPE_WORDS[kind])
    if kind == "object":
        required = member.get("required")
        first = next((r for r in required if isinstance(r, str)), None) if isinstance(required, list) else None
        for prop_name in (first, *props):
            if isinstance(prop_name, str) and words(prop_name):
                names.append(f"{owner}With{pascal(prop_name)}")
    if kind == "array":
        items = member.get("items")
        if isinstance(items, dict):
            ref = items.get("$ref")
            if isinstance(ref, str) and words(ref.rsplit("/", 1)[-1]):
                names.append(owner + pascal(ref.rsplit("/", 1)[-1]) + "Array")
            elif isinstance(items.get("type"), str) and items["type"] in _TYPE_WORDS:
                names.append(owner + _TYPE_WORDS[str(items["type"])] + "Array")
    names.append(owner + "Variant")
    return tuple(dict.fromkeys(names))


def _main_type(kind: JsonValue, properties: dict[str, JsonValue]) -> str | None:
    """Return a schema's type other than ``null`` (``object`` when it has properties and no type)."""
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), None)
    if isinstance(kind, str):
        return kind
    return "object" if properties else None
