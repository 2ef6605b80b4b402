"""The base paths of an OpenAPI document: where its `paths` live on a server, by one rule for every tool.

The rule (the middleware routes each operation by its base paths, the fuzzer sends an operation to its first one,
the breaking engine keys an operation by its first one):

- Each entry of the document's `servers`, in order, gives the path of its URL. An absolute URL
  (``https://api.example.com/b2b/v1``) gives its path (``/b2b/v1``); a relative one is resolved against ``/``
  (``v1`` and ``/v1`` both give ``/v1``); the query and fragment are dropped, and so is a trailing ``/``.
- Server variables are substituted before the URL is split: by their `default`, and then by each of their
  `enum` values, in every combination (``/{version}`` with default ``v2`` and enum ``[v1, v2]`` gives ``/v2``
  then ``/v1``; a variable of the host changes no path). A variable with neither stays as written (validate
  reports it). At most :data:`MAX_COMBINATIONS` combinations are taken per server.
- No `servers` (absent or empty) means one server at the root. The root is the empty prefix ``""``: a base path
  is what goes before a path template (``"" + "/orders"``).
- Duplicates are dropped; the order is the document's, so the first base path is the first server's with its
  defaults: the one a tool uses when it needs a single one (the fuzzer's URL, the breaking engine's keys).

The base paths of one operation (:func:`operation_base_paths`) are those of the first non-empty `servers` of the
operation, then of its path item, then of the document (OpenAPI 3.0/3.1: an operation's or a path item's `servers`
is "an alternative server array" that replaces the document's; an absent or empty array replaces nothing). The same
URL and variable rules apply at every level; a relative URL there resolves as a document-level one does, against
``/`` (the specification resolves a relative server URL against where the document is served, never against the
document's own `servers`), so a path item's ``/v2`` serves its operations at ``/v2/...`` whatever the document's
servers say. Webhooks and callbacks are called by the API, not served by it: their `servers` locate nothing here.
"""

from __future__ import annotations

import itertools
import re
from typing import Literal
from urllib.parse import urljoin, urlsplit

from contractkit.loaders.types import JsonValue

MAX_COMBINATIONS = 64
_VARIABLE = re.compile(r"\{([^{}]*)\}")


def base_paths(document: JsonValue) -> tuple[str, ...]:
    """Return the base paths of an OpenAPI document (its root value), first server first; never empty."""
    servers = document.get("servers") if isinstance(document, dict) else None
    if not isinstance(servers, list) or not servers:
        return ("",)
    return _paths_of(servers)


def operation_base_paths(document: JsonValue, path_item: JsonValue, operation: JsonValue) -> tuple[str, ...]:
    """Return the base paths an operation is served under, first first; never empty.

    Args:
        document: the OpenAPI document (its root value).
        path_item: the operation's Path Item Object (a `$ref`'d one: its target).
        operation: the Operation Object.

    Returns:
        The base paths of the operation's own `servers` if it has a non-empty list, else of its path item's, else
        the document's (:func:`base_paths`).
    """
    owner = servers_owner(path_item, operation)
    if owner == "document":
        return base_paths(document)
    holder = operation if owner == "operation" else path_item
    assert isinstance(holder, dict)  # servers_owner found a non-empty list there
    servers = holder["servers"]
    assert isinstance(servers, list)
    return _paths_of(servers)


def servers_owner(path_item: JsonValue, operation: JsonValue) -> Literal["operation", "path item", "document"]:
    """Return whose `servers` give an operation's base paths: its own, its path item's, or the document's.

    The first of the operation and the path item with a non-empty `servers` list; ``document`` when neither has.
    """
    for holder, owner in ((operation, "operation"), (path_item, "path item")):
        servers = holder.get("servers") if isinstance(holder, dict) else None
        if isinstance(servers, list) and servers:
            return "operation" if owner == "operation" else "path item"
    return "document"


def operation_base_path(document: JsonValue, path_item: JsonValue, operation: JsonValue) -> str:
    """Return an operation's first base path (:func:`operation_base_paths`): the one a single-URL tool uses."""
    return operation_base_paths(document, path_item, operation)[0]


def base_path(document: JsonValue) -> str:
    """Return the first base path: the first server's, its variables at their default (``""``: the root)."""
    return base_paths(document)[0]


def server_urls(server: JsonValue) -> list[str]:
    """Return the URLs a Server Object stands for: variables at their default first, then every enum value."""
    if not isinstance(server, dict):
        return ["/"]
    url = server.get("url", "/")
    template = url if isinstance(url, str) else "/"
    declared = server.get("variables")
    variables = declared if isinstance(declared, dict) else {}
    names = list(dict.fromkeys(_VARIABLE.findall(template)))
    choices = [_values(variables.get(name), name) for name in names]
    urls: list[str] = []
    for combination in itertools.islice(itertools.product(*choices), MAX_COMBINATIONS):
        urls.append(_fill(template, dict(zip(names, combination, strict=True))))
    return urls


def url_path(url: str) -> str:
    """Return the path of a server URL as a base path: relative URLs resolved against ``/``, no trailing ``/``."""
    return urlsplit(urljoin("/", url)).path.rstrip("/")


def _paths_of(servers: list[JsonValue]) -> tuple[str, ...]:
    found: dict[str, None] = {}
    for server in servers:
        for url in server_urls(server):
            found.setdefault(url_path(url))
    return tuple(found) or ("",)


def _fill(template: str, values: dict[str, str]) -> str:
    return _VARIABLE.sub(lambda match: values[match.group(1)], template)


def _values(variable: JsonValue, name: str) -> list[str]:
    """Return a variable's values: its default, then its enum values; ``{name}`` itself when it has neither."""
    values: list[str] = []
    if isinstance(variable, dict):
        enum = variable.get("enum")
        for value in [variable.get("default"), *(enum if isinstance(enum, list) else [])]:
            if isinstance(value, str | int | float) and not isinstance(value, bool) and str(value) not in values:
                values.append(str(value))
    return values or ["{" + name + "}"]
