"""The request validator: one HTTP request (as plain values) -> a :class:`ValidationResult`.

Framework-free: the ASGI and WSGI middleware only adapt a request to :meth:`RequestValidator.validate_request`.
Everything that depends on the contract is compiled by :meth:`RequestValidator.from_spec`; per request this
module splits strings, casts them, parses the body once and calls one compiled schema (params and body
together). The full error list is computed only for an invalid request.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any, NamedTuple

from contractkit.runtime._compile import CompiledSpec, MediaBody, Operation, compile_spec
from contractkit.runtime._engine import Compiled, compile_schema
from contractkit.runtime._params import Param, parse_cookies, parse_query, read_query, read_scalar
from contractkit.runtime._spec import load_spec

_MAX_ERRORS = 50
_MEDIA_CACHE_SIZE = 64  # distinct Content-Type header values remembered per operation (bounded: clients choose them)
_EMPTY: Mapping[str, Any] = {}


class RequestError(NamedTuple):
    """One thing wrong with a request (immutable; a named tuple because an invalid request builds dozens).

    Attributes:
        location: where: ``path.orderId``, ``query.limit``, ``header.idempotency-key``, ``cookie.session``,
            ``body`` (the whole body), ``body/payment/kind`` (a JSON pointer-ish path into it), ``security``.
        message: what is wrong (never the value of a credential or a cookie).
    """

    location: str
    message: str


@dataclass(slots=True)
class ValidationResult:
    """The verdict on one request.

    Attributes:
        status: 200 when the request is valid, else the status to answer: 400, 401, 404, 405, 413 or 415.
        errors: every error found (at most 50), empty when valid.
        operation: ``POST /orders`` (method and path template), ``None`` when no path matched.
        params: the typed parameters by location (``{"path": {...}, "query": {...}, ...}``), defaults filled in.
        body: the parsed body (JSON value, or a dict for a form), ``None`` when there is none.
        allow: the declared methods of the path, for a 405.
        challenges: the ``WWW-Authenticate`` challenges, for a 401.
    """

    status: int
    errors: list[RequestError] = field(default_factory=list)
    operation: str | None = None
    params: dict[str, dict[str, object]] = field(default_factory=dict)
    body: object | None = None
    allow: tuple[str, ...] = ()
    challenges: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        """Return whether the request is valid."""
        return self.status == 200


class _BadBody(Exception):
    """A body that cannot be read; ``pointer`` says where in it, when it is known (``/items/0/name``)."""

    def __init__(self, message: str, pointer: str = "") -> None:
        super().__init__(message)
        self.pointer = pointer


def _no_constants(name: str) -> Any:
    raise _BadBody(f"`{name}` is not valid JSON")


_DECODER = json.JSONDecoder(parse_constant=_no_constants)
try:  # pragma: no branch - which parser is installed is decided once
    import msgspec
except ImportError:  # pragma: no cover - exercised in environments without the runtime extra
    _fast_decode: Any = None
    _FAST_REFUSALS: tuple[type[Exception], ...] = ()
else:
    _fast_decode = msgspec.json.Decoder().decode
    _FAST_REFUSALS = (msgspec.MsgspecError, ValueError, RecursionError)  # ValueError: bad UTF-8
# A `\uD800`-`\uDFFF` escape: the only way a JSON text can carry a surrogate (UTF-8 cannot encode one).
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def parse_json(body: bytes) -> Any:
    """Parse a JSON body strictly (UTF-8 only; no NaN/Infinity; no lone surrogate in a string).

    msgspec parses first (2.7x faster, the same values: tests/runtime/test_json_parsing.py); it refuses everything
    this function refuses, and a few texts the json module reads (``1e400``): those take the json module's path,
    which says what is wrong or returns what it has always returned.

    Raises:
        _BadBody: with a message for the client.
    """
    if _fast_decode is not None:
        try:
            return _fast_decode(body)
        except _FAST_REFUSALS:
            pass
    return parse_json_stdlib(body)


def parse_json_stdlib(body: bytes) -> Any:
    """Parse a JSON body with the json module alone: :func:`parse_json`'s reference and its fallback."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _BadBody(f"the body is not valid UTF-8 (byte {exc.start})") from None
    try:
        value = _DECODER.decode(text)
    except json.JSONDecodeError as exc:
        raise _BadBody(f"the body is not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}") from None
    except RecursionError:
        raise _BadBody("the body is nested too deeply") from None
    if "\\u" in text and _SURROGATE_ESCAPE.search(text):  # rare: a pair is fine, a lone half is not Unicode
        where = _lone_surrogate(value, "")
        if where is not None:
            raise _BadBody(
                f"{where[1]} holds a lone surrogate escape (\\uD800-\\uDFFF without its pair): not Unicode text",
                where[0],
            )
    return value


def _lone_surrogate(value: Any, pointer: str) -> tuple[str, str] | None:
    """Return where the first lone surrogate is (JSON pointer, "the string" or "a key"), ``None`` if there is none."""
    if isinstance(value, str):
        return None if value.isascii() or _encodes(value) else (pointer, "the string")
    if isinstance(value, dict):
        for key, item in value.items():
            if not _encodes(key):
                return pointer, "a key"
            found = _lone_surrogate(item, f"{pointer}/{key}")
            if found is not None:
                return found
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found = _lone_surrogate(item, f"{pointer}/{index}")
            if found is not None:
                return found
    return None


def _encodes(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


class RequestValidator:
    """Validates requests against one OpenAPI 3.0/3.1 contract, compiled once.

    Example:
        >>> validator = RequestValidator.from_spec("contracts/b2b-orders/openapi.yaml")  # doctest: +SKIP
        >>> validator.validate_request(method="GET", path="/b2b/v1/orders", query="limit=0").status  # doctest: +SKIP
        400
    """

    def __init__(self, compiled: CompiledSpec) -> None:
        """Wrap a compiled contract (use :meth:`from_spec`)."""
        self.spec = compiled
        self._interesting = compiled.interesting

    @property
    def name(self) -> str:
        """Return the contract's name (its catalog id, file name or ``info.title``)."""
        return self.spec.name

    @classmethod
    def from_spec(cls, spec: str | Path | Mapping[str, Any] | object) -> RequestValidator:
        """Load and compile a contract.

        Args:
            spec: a file path; a loaded document (``dict``, local refs only); a catalog contract id
                (``"b2b-orders"``, found through ``contracts/catalog.yaml``); or a module or object with a
                ``CONTRACT`` attribute holding a path (a generated model package).

        Raises:
            ContractNotFound, ContractSyntaxError, ContractInvalid, UsageError: the contract cannot be used.
        """
        root, name = load_spec(spec)
        return cls(compile_spec(root, name))

    def validate_request(
        self,
        method: str,
        path: str,
        query: str = "",
        headers: Iterable[tuple[str, str]] = (),
        body: bytes | None = None,
    ) -> ValidationResult:
        """Validate one request.

        Args:
            method: the HTTP method.
            path: the request path, percent-decoded (ASGI ``scope["path"]``), server base path included.
            query: the raw query string (not decoded).
            headers: (lower-case name, value) pairs.
            body: the raw body, ``None`` when there is none.
        """
        interesting = self._interesting
        wanted: dict[str, str] = {}
        for name, value in headers:
            if name in interesting:
                previous = wanted.get(name)
                if previous is None:
                    wanted[name] = value
                else:
                    wanted[name] = f"{previous}; {value}" if name == "cookie" else f"{previous}, {value}"
        return self.validate(method, path, query, wanted, body)

    def validate(
        self, method: str, path: str, query: str, headers: Mapping[str, str], body: bytes | None
    ) -> ValidationResult:
        """Validate one request whose headers are already a mapping of lower-case names (see ``validate_request``)."""
        routed = self.route(method, path)
        if isinstance(routed, ValidationResult):
            return routed
        return self.check(routed[0], routed[1], query, headers, body)

    def route(self, method: str, path: str) -> tuple[Operation, dict[str, str]] | ValidationResult:
        """Return the operation of ``method path`` and its raw path parameters, or the 404/405 verdict."""
        found = self.spec.match(path)
        if found is None:
            message = f"no operation of the contract matches `{path}`"
            bases = [base for base in self.spec.bases if base]
            if bases and not any(path.startswith(base) for base in bases):
                # The usual mistake: the contract's server URL carries a base path the app does not serve under.
                message += " (its paths are under the server base path " + " or ".join(f"`{b}`" for b in bases) + ")"
            return ValidationResult(404, [RequestError("path", message)])
        entry, raw_path = found
        op = entry.operations.get(method.upper())
        if op is None:
            return ValidationResult(
                405,
                [RequestError("method", f"`{method.upper()}` is not declared for `{entry.template}`")],
                allow=entry.allow,
            )
        return op, raw_path

    def check(
        self, op: Operation, raw_path: Mapping[str, str], query: str, headers: Mapping[str, str], body: bytes | None
    ) -> ValidationResult:
        """Validate a request already routed to ``op`` (see :meth:`route`)."""
        parsed_query: dict[str, list[str]] | None = None
        cookies: dict[str, str] | None = None
        if op.security:
            # Only the places a scheme reads are parsed (a bearer token needs neither the query nor the cookies).
            if op.security_in_query:
                parsed_query = parse_query(query)
            if op.security_in_cookie:
                cookies = parse_cookies(headers.get("cookie", ""))
            if not _secured(op, headers, parsed_query or _EMPTY, cookies or _EMPTY):
                return _unauthorized(op)
        errors: list[RequestError] = []
        defaults: list[Any] = []
        instance: dict[str, Any] = {}
        params: dict[str, dict[str, object]] = {}
        op_params = op.params
        if op_params["path"]:
            values = params["path"] = {}
            for param in op_params["path"]:
                raw = raw_path.get(param.name)
                if raw is None:
                    errors.append(RequestError(f"path.{param.name}", "is required"))
                else:
                    values[param.name] = read_scalar(param, raw)
            instance["path"] = values
        if op_params["query"]:
            if parsed_query is None:
                parsed_query = parse_query(query)
            values = params["query"] = {}
            for param in op_params["query"]:
                present, value = read_query(param, parsed_query)
                if not present:
                    _absent(param, values, errors, defaults)
                elif value == "" and not param.empty and param.kind == "scalar":
                    errors.append(RequestError(f"query.{param.name}", "an empty value is not allowed"))
                else:
                    values[param.name] = value
            instance["query"] = values
        if op_params["header"]:
            values = params["header"] = {}
            for param in op_params["header"]:
                raw = headers.get(param.name)
                if raw is None:
                    _absent(param, values, errors, defaults)
                else:
                    values[param.name] = read_scalar(param, raw)
            instance["header"] = values
        if op_params["cookie"]:
            if cookies is None:
                cookies = parse_cookies(headers.get("cookie", ""))
            values = params["cookie"] = {}
            for param in op_params["cookie"]:
                raw = cookies.get(param.name)
                if raw is None:
                    _absent(param, values, errors, defaults)
                else:
                    values[param.name] = read_scalar(param, raw)
            instance["cookie"] = values
        validator: Compiled = op.no_body
        parsed_body: Any = None
        status = 400
        if op.media is not None:
            if not body:
                if op.body_required:
                    errors.append(RequestError("body", "a request body is required"))
            else:
                content_type = headers.get("content-type", "")
                known = op.media_cache.get(content_type)
                if known is None:
                    media_type = content_type.split(";", 1)[0].strip().lower()
                    media = _media(op.media, media_type)
                    kind = _kind_of(media_type) if media is None or media.kind == "any" else media.kind
                    if media is not None and len(op.media_cache) < _MEDIA_CACHE_SIZE:
                        op.media_cache[content_type] = (media, kind)
                else:
                    media, kind = known
                if media is None:
                    media_type = content_type.split(";", 1)[0].strip().lower()
                    if not errors:
                        status = 415
                    accepted = ", ".join(f"`{m}`" for m in op.media)
                    sent = f"`{media_type}`" if media_type else "no content type"
                    errors.append(RequestError("header.content-type", f"{sent} is not accepted (send {accepted})"))
                else:
                    try:
                        parsed_body = _parse(kind, media, body, content_type)
                    except _BadBody as exc:
                        errors.append(RequestError("body" + exc.pointer, str(exc)))
                    else:
                        if kind in ("json", "form"):
                            instance["body"] = parsed_body
                            validator = media.validator
        if not validator.is_valid(instance):
            _schema_errors(validator, instance, op, errors)
        for values, name, default in defaults:
            values[name] = default
        if errors:
            return ValidationResult(status, errors[:_MAX_ERRORS], op.label, params, parsed_body)
        return ValidationResult(200, [], op.label, params, parsed_body)

    def operation(self, method: str, path: str) -> Operation | None:
        """Return the compiled operation ``method path`` resolves to, or ``None``."""
        found = self.spec.match(path)
        return None if found is None else found[0].operations.get(method.upper())

    def validate_response(
        self, method: str, path: str, status: int, content_type: str | None, body: bytes | None
    ) -> list[RequestError]:
        """Validate a response to ``method path``: its status is declared, its media type too, its JSON body fits.

        Locations are ``response.status``, ``response.header.content-type``, ``response.body`` and
        ``response.body/<pointer>``. A request that matches no operation has nothing to check against.
        """
        op = self.operation(method, path)
        if op is None:
            return []
        responses = op.raw.get("responses")
        if not isinstance(responses, dict):
            return []
        code = str(status)
        key = next((k for k in (code, f"{code[0]}XX", f"{code[0]}xx", "default") if k in responses), None)
        if key is None:
            return [RequestError("response.status", f"status {status} is not declared for {op.label}")]
        response = _follow(self.spec.root, responses[key])
        content = response.get("content") if isinstance(response, dict) else None
        if not isinstance(content, dict) or not content:
            return []
        if not body and not content_type:
            return []  # no content at all (HEAD, an empty 200): nothing to check
        media_type = (content_type or "").split(";", 1)[0].strip().lower()
        declared = {str(m).split(";", 1)[0].strip().lower(): m for m in content}
        match = _media(declared, media_type)
        if match is None:
            accepted = ", ".join(f"`{m}`" for m in declared)
            return [RequestError("response.header.content-type", f"`{media_type}` is not declared (one of {accepted})")]
        if _kind_of(media_type) != "json":
            return []
        cache_key = (key, str(match))
        if cache_key not in op.responses:
            spec = content[match] if isinstance(content[match], dict) else {}
            schema = spec.get("schema")
            converter = self.spec.response_converter
            op.responses[cache_key] = None if schema is None else compile_schema(_rooted_response(converter, schema))
        validator = op.responses[cache_key]
        try:
            value = parse_json(body or b"")
        except _BadBody as exc:
            return [RequestError("response.body" + exc.pointer, str(exc))]
        if validator is None or validator.is_valid(value):
            return []
        return [
            RequestError(_pointer("response.body", path_), _message(kind, message, "response"))
            for path_, message, kind in islice(validator.errors(value), _MAX_ERRORS)
        ]


def _rooted_response(converter: Any, schema: Any) -> dict[str, Any]:
    from contractkit.runtime._compile import _rooted

    converted = converter.convert(schema)
    wrapped = {"allOf": [converted]} if isinstance(converted, bool) else dict(converted)
    return _rooted(converter, wrapped)


def _follow(root: Any, node: Any) -> Any:
    from contractkit.runtime._compile import _resolver

    return _resolver(root)(node)


def _absent(param: Param, values: dict[str, object], errors: list[RequestError], defaults: list[Any]) -> None:
    if param.required:
        errors.append(RequestError(f"{param.location}.{param.name}", "is required"))
    elif param.has_default:
        defaults.append((values, param.name, param.default))  # filled in after validation: not validated


def _secured(
    op: Operation, headers: Mapping[str, str], query: Mapping[str, list[str]], cookies: Mapping[str, str]
) -> bool:
    for alternative in op.security:
        for check in alternative:
            if check.where == "header":
                value = headers.get(check.name)
                if value is None:
                    break
                if check.prefix is not None:
                    scheme, _, credentials = value.strip().partition(" ")
                    if scheme.lower() != check.prefix or not credentials.strip():
                        break
            elif check.where == "query":
                if check.name not in query:
                    break
            elif check.name not in cookies:
                break
        else:
            return True
    return False


def _unauthorized(op: Operation) -> ValidationResult:
    options = [" and ".join(f"`{c.scheme}`" for c in alt) for alt in op.security]
    challenges = tuple(dict.fromkeys(c.challenge for alt in op.security for c in alt))
    return ValidationResult(
        401,
        [RequestError("security", f"a credential is required: {' or '.join(options)}")],
        op.label,
        challenges=challenges,
    )


def _media(declared: Mapping[str, Any], media_type: str) -> Any:
    found = declared.get(media_type)
    if found is not None:
        return found
    if media_type:
        found = declared.get(media_type.split("/", 1)[0] + "/*")
        if found is not None:
            return found
    return declared.get("*/*")


def _kind_of(media_type: str) -> str:
    if media_type == "application/json" or media_type.endswith("+json"):
        return "json"
    if media_type == "application/x-www-form-urlencoded":
        return "form"
    if media_type.startswith("multipart/"):
        return "multipart"
    return "other"


def _parse(kind: str, media: MediaBody, body: bytes, content_type: str) -> Any:
    if kind == "json":
        return parse_json(body)
    if kind == "form":
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise _BadBody(f"the body is not valid UTF-8 (byte {exc.start})") from None
        form: dict[str, Any] = {}
        for key, values in parse_query(text).items():
            cast = media.casts.get(key)
            if key in media.arrays:
                form[key] = [cast(v) for v in values] if cast else values
            else:
                form[key] = cast(values[0]) if cast else values[0]
        return form
    if kind == "multipart" and "boundary=" not in content_type:
        raise _BadBody("a multipart body needs a `boundary` parameter in its content type")
    return None


def _pointer(prefix: str, path: tuple[str | int, ...]) -> str:
    return prefix + "/" + "/".join(map(str, path)) if path else prefix


def _message(kind: str, message: str, direction: str) -> str:
    if kind == "FalseSchema":
        return "is read-only: it must not be sent" if direction == "request" else "is write-only: it must not be sent"
    return message


def _schema_errors(validator: Compiled, instance: Mapping[str, Any], op: Operation, errors: list[RequestError]) -> None:
    """Append the schema errors of ``instance`` to ``errors``, up to ``_MAX_ERRORS`` in all (none computed past it).

    One loop, no nested generators: a flood of invalid requests makes this path as hot as the valid one.
    """
    for path, message, kind in islice(validator.errors(instance), max(_MAX_ERRORS - len(errors), 0)):
        if not path:
            errors.append(RequestError("request", message))
            continue
        where = path[0]
        if where == "body":
            errors.append(RequestError(_pointer("body", path[1:]), _message(kind, message, "request")))
            continue
        name = str(path[1]) if len(path) > 1 else ""
        secret = where == "cookie" or (where == "header" and name in op.secret_headers)
        errors.append(RequestError(f"{where}.{name}", f"the value is not valid ({kind})" if secret else message))
