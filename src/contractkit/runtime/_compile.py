"""An OpenAPI document -> the route table and the compiled validators of every operation (start-up only)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from contractkit.loaders.document import memory_document
from contractkit.loaders.pointer import parse_pointer
from contractkit.runtime._engine import Compiled, compile_schema
from contractkit.runtime._multipart import PartPlan
from contractkit.runtime._params import Param, caster, compile_param, schema_types
from contractkit.spec.normalise import SchemaConverter
from contractkit.spec.servers import base_paths, operation_base_paths
from contractkit.spec.walk import operations as walk_operations

LOCATIONS = ("path", "query", "header", "cookie")


@dataclass(frozen=True, slots=True)
class SecurityCheck:
    """One scheme of a requirement: where its credential must be.

    Attributes:
        scheme: the scheme's name in ``components.securitySchemes``.
        where: ``header``, ``query`` or ``cookie``.
        name: the header (lower-case), query or cookie name.
        prefix: for ``Authorization``, the auth-scheme it must start with (``bearer``, ``basic``), lower-case.
        challenge: the ``WWW-Authenticate`` challenge to send when it is missing.
    """

    scheme: str
    where: str
    name: str
    prefix: str | None
    challenge: str


@dataclass(slots=True)
class MediaBody:
    """One declared request media type.

    Attributes:
        kind: ``json``, ``form``, ``multipart`` or ``other`` (presence only).
        validator: the request validator (params + this body).
        casts: for a form body, the property casts; ``arrays`` the properties that are arrays; ``extra`` the cast of
            the fields the schema does not name (from ``additionalProperties``), ``None`` to keep them strings.
        parts: for a multipart body, what each property's parts must be.
    """

    kind: str
    validator: Compiled
    casts: dict[str, Callable[[str], Any]] = field(default_factory=dict)
    arrays: frozenset[str] = frozenset()
    parts: dict[str, PartPlan] = field(default_factory=dict)
    extra: Callable[[str], Any] | None = None


@dataclass(slots=True)
class Operation:
    """One compiled operation.

    Attributes:
        label: ``POST /orders`` (method and path template).
        method: the method, upper-case.
        path_params: the path parameters by name (``query``... likewise).
        security: the alternatives (OR) of requirements (AND); empty when the operation is open.
        body_required: whether a body must be sent; ``media`` the declared media types (None: no body).
        no_body: the validator of the parameters alone.
        raw: the Operation Object (responses are compiled from it on demand).
        secret_headers: the headers that carry a credential (``secret_query``: the query parameters); an error
            there never shows the value.
        security_in_query: whether a security scheme reads the query (``security_in_cookie``: the cookies);
            the request's query and cookies are parsed for the security check only then.
        media_cache: ``Content-Type`` header value -> (declared media, body kind), filled per request (bounded).
    """

    label: str
    method: str
    params: dict[str, list[Param]]
    security: tuple[tuple[SecurityCheck, ...], ...]
    body_required: bool
    media: dict[str, MediaBody] | None
    no_body: Compiled
    raw: dict[str, Any]
    secret_headers: frozenset[str] = frozenset()
    secret_query: frozenset[str] = frozenset()
    responses: dict[tuple[str, str], Compiled | None] = field(default_factory=dict)
    security_in_query: bool = False
    security_in_cookie: bool = False
    media_cache: dict[str, tuple[MediaBody, str]] = field(default_factory=dict)


@dataclass(slots=True)
class PathEntry:
    """The operations of one path template."""

    template: str
    operations: dict[str, Operation]
    allow: tuple[str, ...]
    regex: re.Pattern[str] | None = None
    names: tuple[str, ...] = ()


@dataclass(slots=True)
class CompiledSpec:
    """A whole document, compiled.

    Attributes:
        name: the contract's name (catalog id, or the file name, or ``info.title``).
        bases: the server base paths to strip, longest first (``""`` when a server is at the root): the document's
            and those of path items and operations with their own `servers`.
        interesting: the lower-case header names the validator reads.
        tables: per base path, longest first, the routes served under it: ``(base, static, templated)``, routes
            without templates by path and routes with templates by segment count, most literal segments first. Each
            operation is routed under its own base paths (:func:`contractkit.spec.servers.operation_base_paths`);
            bases that serve the same operations share one pair of tables.
    """

    name: str
    oas30: bool
    root: dict[str, Any]
    bases: tuple[str, ...]
    interesting: frozenset[str]
    response_converter: SchemaConverter
    tables: tuple[tuple[str, dict[str, PathEntry], dict[int, list[PathEntry]]], ...]

    def match(self, path: str) -> tuple[PathEntry, dict[str, str]] | None:
        """Return the route of ``path`` (base path stripped) and its raw path parameter values."""
        for base, static, templated in self.tables:
            if base and not (path.startswith(base) and (len(path) == len(base) or path[len(base)] == "/")):
                continue
            rest = path[len(base) :] or "/"
            entry = static.get(rest)
            if entry is not None:
                return entry, {}
            for candidate in templated.get(rest.count("/"), ()):
                assert candidate.regex is not None
                found = candidate.regex.match(rest)
                if found is not None:
                    return candidate, dict(zip(candidate.names, found.groups(), strict=True))
        return None


def _resolver(root: Any) -> Callable[[Any], Any]:
    def resolve(node: Any) -> Any:
        for _ in range(16):
            if not (isinstance(node, dict) and isinstance(node.get("$ref"), str)):
                return node
            address, _, fragment = node["$ref"].partition("#")
            if address:
                return {}
            target: Any = root
            try:
                for token in parse_pointer(fragment):
                    target = target[int(token)] if isinstance(target, list) else target[token]
            except (KeyError, IndexError, ValueError, TypeError):
                return {}
            node = target
        return node

    return resolve


def _template_regex(template: str) -> tuple[re.Pattern[str], tuple[str, ...]]:
    names: list[str] = []
    pattern = ""
    for literal, name in re.findall(r"([^{]*)(?:\{([^}]*)\})?", template):
        pattern += re.escape(literal)
        if name:
            names.append(name)
            pattern += "([^/]+)"
    return re.compile(pattern + r"\Z"), tuple(names)


def _security(
    requirements: Any, schemes: dict[str, Any], resolve: Callable[[Any], Any]
) -> tuple[tuple[SecurityCheck, ...], ...]:
    if not isinstance(requirements, list):
        return ()
    alternatives: list[tuple[SecurityCheck, ...]] = []
    for requirement in requirements:
        if not isinstance(requirement, dict):
            continue
        if not requirement:
            return ()  # `{}`: anonymous access is one of the alternatives
        checks = [check for name in requirement if (check := _check(name, resolve(schemes.get(name)))) is not None]
        alternatives.append(tuple(checks))
    if any(not alt for alt in alternatives):
        return ()
    return tuple(alternatives)


def _check(name: str, scheme: Any) -> SecurityCheck | None:
    if not isinstance(scheme, dict):
        return None
    kind = scheme.get("type")
    if kind == "apiKey":
        where = str(scheme.get("in", "header"))
        key = str(scheme.get("name", ""))
        key = key.lower() if where == "header" else key
        return SecurityCheck(name, where, key, None, f'APIKey in="{where}", name="{key}"')
    if kind == "http":
        auth = str(scheme.get("scheme", "bearer")).lower()
        return SecurityCheck(name, "header", "authorization", auth, auth.capitalize())
    if kind in ("oauth2", "openIdConnect"):
        return SecurityCheck(name, "header", "authorization", "bearer", "Bearer")
    return None  # mutualTLS and unknown types: the TLS layer's job


def compile_spec(root: dict[str, Any], name: str) -> CompiledSpec:
    """Compile every operation of an (externally inlined) OpenAPI document."""
    oas30 = str(root.get("openapi", "3.1")).startswith("3.0")
    resolve = _resolver(root)
    request = SchemaConverter(root, direction="request")
    components = root.get("components") if isinstance(root.get("components"), dict) else {}
    assert isinstance(components, dict)
    schemes = components.get("securitySchemes") if isinstance(components.get("securitySchemes"), dict) else {}
    assert isinstance(schemes, dict)
    interesting = {"content-type", "content-length", "transfer-encoding", "cookie", "authorization", "x-request-id"}
    interesting |= {"traceparent", "origin", "access-control-request-method"}
    # The operations a server receives: those of `paths`, by the one walk every tool shares; each under its own
    # base paths (the operation's `servers`, else its path item's, else the document's).
    served: dict[str, set[tuple[str, str]]] = {base: set() for base in base_paths(root)}
    compiled: dict[tuple[str, str], Operation] = {}
    for found in walk_operations(memory_document(root, name), webhooks=False):
        declared = [p.value for p in found.parameters() if isinstance(p.value, dict) and "name" in p.value]
        assert isinstance(found.cursor.value, dict)  # the walk yields operation objects only
        op = _operation(root, found.path, found.method, found.cursor.value, declared, schemes, request, resolve)
        compiled[(found.path, op.method)] = op
        for base in operation_base_paths(root, found.path_item.value, found.cursor.value):
            served.setdefault(base, set()).add((found.path, op.method))
        interesting.update(p.name for p in op.params["header"])
        interesting.update(c.name for alt in op.security for c in alt if c.where == "header")
    bases = tuple(sorted(served, key=len, reverse=True))
    shared: dict[frozenset[tuple[str, str]], tuple[dict[str, PathEntry], dict[int, list[PathEntry]]]] = {}
    for keys in served.values():
        if frozenset(keys) not in shared:
            shared[frozenset(keys)] = _tables([key for key in compiled if key in keys], compiled)
    tables = tuple((base, *shared[frozenset(served[base])]) for base in bases)
    return CompiledSpec(
        name=name,
        oas30=oas30,
        root=root,
        bases=bases,
        interesting=frozenset(interesting),
        response_converter=SchemaConverter(root, direction="response"),
        tables=tables,
    )


def _tables(
    keys: list[tuple[str, str]], compiled: dict[tuple[str, str], Operation]
) -> tuple[dict[str, PathEntry], dict[int, list[PathEntry]]]:
    """Return the route tables of the operations ``keys`` (path template, method), in contract order."""
    routes: dict[str, dict[str, Operation]] = {}
    for template, method in keys:
        routes.setdefault(template, {})[method] = compiled[(template, method)]
    static: dict[str, PathEntry] = {}
    templated: dict[int, list[PathEntry]] = {}
    for template, operations in routes.items():
        allow = tuple(operations)
        if "GET" in operations and "HEAD" not in operations:
            allow = (*allow[: allow.index("GET") + 1], "HEAD", *allow[allow.index("GET") + 1 :])
        entry = PathEntry(template, operations, allow)
        if "{" in template:
            entry.regex, entry.names = _template_regex(template)
            templated.setdefault(template.count("/"), []).append(entry)
        else:
            static[template] = entry
    for entries in templated.values():
        # More literal text first: `/orders/mine` style routes win over `/orders/{id}`, then longer literals.
        entries.sort(key=lambda e: (-sum(1 for s in e.template.split("/") if s and "{" not in s), -len(e.template)))
    return static, templated


def _operation(
    root: dict[str, Any],
    template: str,
    method: str,
    raw: dict[str, Any],
    parameters: list[dict[str, Any]],
    schemes: dict[str, Any],
    converter: SchemaConverter,
    resolve: Callable[[Any], Any],
) -> Operation:
    params: dict[str, list[Param]] = {where: [] for where in LOCATIONS}
    properties: dict[str, dict[str, Any]] = {where: {} for where in LOCATIONS}
    for param in parameters:
        where = str(param.get("in", "query"))
        key = str(param["name"]).lower() if where == "header" else str(param["name"])
        if where not in params or (where == "header" and key in ("accept", "content-type", "authorization")):
            continue  # OpenAPI: these three headers are ignored as parameters
        params[where].append(compile_param(param, resolve))
        schema = param.get("schema")
        if schema is None and isinstance(param.get("content"), dict) and param["content"]:
            first = next(iter(param["content"].values()))
            schema = first.get("schema") if isinstance(first, dict) else None
        properties[where][key] = converter.convert(schema if schema is not None else {})
    security = _security(raw.get("security", root.get("security")), schemes, resolve)
    base: dict[str, Any] = {
        "type": "object",
        "properties": {where: {"type": "object", "properties": props} for where, props in properties.items() if props},
    }
    body = resolve(raw.get("requestBody"))
    media: dict[str, MediaBody] | None = None
    body_required = False
    if isinstance(body, dict) and isinstance(body.get("content"), dict):
        body_required = bool(body.get("required", False))
        media = {}
        for media_type, spec in body["content"].items():
            spec = spec if isinstance(spec, dict) else {}
            key = str(media_type).split(";", 1)[0].strip().lower()
            kind = _media_kind(key)
            schema = spec.get("schema")
            casts: dict[str, Callable[[str], Any]] = {}
            arrays: set[str] = set()
            with_body = base
            if kind in ("json", "form", "multipart", "any") and schema is not None:
                with_body = {**base, "properties": {**base["properties"], "body": converter.convert(schema)}}
            parts: dict[str, PartPlan] = {}
            extra: Callable[[str], Any] | None = None
            if kind == "form":
                target = resolve(schema)
                props = target.get("properties") if isinstance(target, dict) else None
                additional = resolve(target.get("additionalProperties")) if isinstance(target, dict) else None
                if isinstance(additional, dict):
                    extra = caster(additional, resolve)
                for prop, sub in (props or {}).items():
                    sub = resolve(sub)
                    if "array" in schema_types(sub, resolve):
                        arrays.add(str(prop))
                        casts[str(prop)] = caster(sub.get("items", {}) if isinstance(sub, dict) else {}, resolve)
                    else:
                        casts[str(prop)] = caster(sub, resolve)
            elif kind in ("multipart", "any"):
                parts = _part_plans(schema, spec.get("encoding"), resolve)
            validator = compile_schema(converter.rooted(with_body))
            media[key] = MediaBody(kind, validator, casts, frozenset(arrays), parts, extra)
    secret = {c.name for alt in security for c in alt if c.where == "header"}
    return Operation(
        label=f"{method.upper()} {template}",
        method=method.upper(),
        params=params,
        security=security,
        body_required=body_required,
        media=media,
        no_body=compile_schema(converter.rooted(base)),
        raw=raw,
        secret_headers=frozenset(secret),
        secret_query=frozenset(c.name for alt in security for c in alt if c.where == "query"),
        security_in_query=any(c.where == "query" for alt in security for c in alt),
        security_in_cookie=any(c.where == "cookie" for alt in security for c in alt),
    )


def _part_plans(schema: Any, encoding: Any, resolve: Callable[[Any], Any]) -> dict[str, PartPlan]:
    """Compile what each property of a multipart schema takes (OpenAPI's Encoding Object and its defaults)."""
    target = resolve(schema)
    props = target.get("properties") if isinstance(target, dict) else None
    encoding = encoding if isinstance(encoding, dict) else {}
    plans: dict[str, PartPlan] = {}
    for prop, raw in (props or {}).items():
        sub = resolve(raw)
        array = "array" in schema_types(sub, resolve)
        item = resolve(sub.get("items", {})) if array and isinstance(sub, dict) else sub
        item = item if isinstance(item, dict) else {}
        types = schema_types(item, resolve)
        declared = resolve(encoding.get(prop))
        content_type = declared.get("contentType") if isinstance(declared, dict) else None
        allowed = None
        if isinstance(content_type, str) and content_type.strip():
            allowed = tuple(t.split(";", 1)[0].strip().lower() for t in content_type.split(",") if t.strip())
        plans[str(prop)] = PartPlan(
            array=array,
            json="object" in types or "array" in types,
            binary=item.get("format") == "binary" or "contentMediaType" in item,
            cast=caster(item, resolve),
            content_types=allowed,
        )
    return plans


def _media_kind(media_type: str) -> str:
    if "*" in media_type:
        return "any"  # decided per request, from the media type actually sent
    if media_type == "application/json" or media_type.endswith("+json"):
        return "json"
    if media_type == "application/x-www-form-urlencoded":
        return "form"
    if media_type.startswith("multipart/"):
        return "multipart"
    return "other"
