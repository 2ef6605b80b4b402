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
