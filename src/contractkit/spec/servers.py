"""The base paths of an OpenAPI document: where its `paths` live on a server, by one rule for every tool.

The rule (the middleware routes by it, the fuzzer sends to the first one, the breaking engine keys by the first):

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

Path-item and operation `servers` are not read (no tool here routes by them).
"""

from __future__ import annotations

import itertools
import re
from urllib.parse import urljoin, urlsplit

from contractkit.loaders.types import JsonValue

MAX_COMBINATIONS = 64
_VARIABLE = re.compile(r"\{([^{}]*)\}")


def base_paths(document: JsonValue) -> tuple[str, ...]:
    """Return the base paths of an OpenAPI document (its root value), first server first; never empty."""
    servers = document.get("servers") if isinstance(document, dict) else None
    if not isinstance(servers, list) or not servers:
        return ("",)
    found: dict[str, None] = {}
    for server in servers:
        for url in server_urls(server):
            found.setdefault(url_path(url))
    return tuple(found) or ("",)


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
