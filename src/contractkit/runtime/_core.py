"""The request validator: one HTTP request (as plain values) -> a :class:`ValidationResult`.

Framework-free: the ASGI and WSGI middleware only adapt a request to :meth:`RequestValidator.validate_request`.
Everything that depends on the contract is compiled by :meth:`RequestValidator.from_spec`; per request this
module splits strings, casts them, parses the body once and calls one compiled schema (params and body
together). The full error list is computed only for an invalid request.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any, NamedTuple

from contractkit.loaders.pointer import escape
from contractkit.runtime._compile import CompiledSpec, MediaBody, Operation, compile_spec
from contractkit.runtime._engine import Compiled, Error, compile_schema
from contractkit.runtime._json import BadInput, nesting_depth, parse_json
from contractkit.runtime._multipart import boundary_of, read_parts, split_parts
from contractkit.runtime._params import Param, parse_cookies, parse_query, read_query, read_scalar
from contractkit.runtime._spec import load_spec

_MAX_ERRORS = 50
BODY = "body#"  # a body location is `body#` and a JSON pointer (contracts/common/problem.yaml's ProblemError)
RESPONSE_BODY = "response.body#"
DETAIL_LIMIT = 8192  # bytes of body up to which every error is listed (see _engine: listing errors can cost seconds)
MAX_MESSAGE = 500  # characters of one error message (a schema error quotes the value it refuses)
MAX_LOCATION = 300  # characters of a pointer into a body (keys are the client's)
_DEEP = 128  # a value nested this deep, that the schema engine could not follow, is the client's doing
_MEDIA_CACHE_SIZE = 64  # distinct Content-Type header values remembered per operation (bounded: clients choose them)
_EMPTY: Mapping[str, Any] = {}


class RequestError(NamedTuple):
    """One thing wrong with a request (immutable; a named tuple because an invalid request builds dozens).

    Attributes:
        location: where: ``path.orderId``, ``query.limit``, ``header.idempotency-key``, ``cookie.session``,
            ``body#`` (the whole body), ``body#/payment/kind`` (``body#`` and a JSON pointer into it: the house
            format of ``contracts/common/problem.yaml``), ``security``.
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
            headers: (lower-case name, value) pairs; a declared header sent twice is an error.
            body: the raw body, ``None`` when there is none.
        """
        interesting = self._interesting
        wanted: dict[str, str] = {}
        repeated: set[str] | None = None
        for name, value in headers:
            if name in interesting and value:  # an empty value is no value (a WSGI server drops it)
                previous = wanted.get(name)
                if previous is None:
                    wanted[name] = value
                else:
                    wanted[name] = f"{previous}; {value}" if name == "cookie" else f"{previous}, {value}"
                    repeated = {name} if repeated is None else repeated | {name}
        return self.validate(method, path, query, wanted, body, repeated)

    def validate(
        self,
        method: str,
        path: str,
        query: str,
        headers: Mapping[str, str],
        body: bytes | None,
        repeated: set[str] | None = None,
    ) -> ValidationResult:
        """Validate one request whose headers are already a mapping of lower-case names (see ``validate_request``).

        ``repeated`` names the headers that were sent more than once (their values joined in ``headers``).
        """
        routed = self.route(method, path)
        if isinstance(routed, ValidationResult):
            return routed
        return self.check(routed[0], routed[1], query, headers, body, repeated)

    def route(self, method: str, path: str) -> tuple[Operation, dict[str, str]] | ValidationResult:
        """Return the operation of ``method path`` and its raw path parameters, or the 404/405 verdict.

        ``HEAD`` on a path that declares ``GET`` but no ``HEAD`` is that ``GET`` (RFC 9110: GET without content).
        """
        found = self.spec.match(path)
        if found is None:
            message = f"no operation of the contract matches `{clip(path, 200)}`"
            bases = [base for base in self.spec.bases if base]
            if bases and not any(path.startswith(base) for base in bases):
                # The usual mistake: the contract's server URL carries a base path the app does not serve under.
                message += " (its paths are under the server base path " + " or ".join(f"`{b}`" for b in bases) + ")"
            return ValidationResult(404, [RequestError("path", message)])
        entry, raw_path = found
        verb = method.upper()
        op = entry.operations.get(verb)
        if op is None and verb == "HEAD":
            op = entry.operations.get("GET")
        if op is None:
            return ValidationResult(
                405,
                [RequestError("method", f"`{clip(verb, 40)}` is not declared for `{entry.template}`")],
                allow=entry.allow,
            )
        return op, raw_path

    def authorize(self, op: Operation, query: str, headers: Mapping[str, str]) -> ValidationResult | None:
        """Return the 401 verdict when the request carries no credential ``op`` accepts, else ``None``.

        Needs no body: the middleware asks it before reading one.
        """
        if not op.security:
            return None
        # Only the places a scheme reads are parsed (a bearer token needs neither the query nor the cookies).
        try:
            parsed_query = parse_query(query) if op.security_in_query else _EMPTY
        except BadInput:
            parsed_query = _EMPTY  # a query that cannot be read carries no credential (inspect says why: a 400)
        cookies = parse_cookies(headers.get("cookie", "")) if op.security_in_cookie else _EMPTY
        return None if _secured(op, headers, parsed_query, cookies) else _unauthorized(op)

    def check(
        self,
        op: Operation,
        raw_path: Mapping[str, str],
        query: str,
        headers: Mapping[str, str],
        body: bytes | None,
        repeated: set[str] | None = None,
    ) -> ValidationResult:
        """Validate a request already routed to ``op`` (see :meth:`route`): security, then :meth:`inspect`."""
        denied = self.authorize(op, query, headers)
        if denied is not None:
            return denied
        return self.inspect(op, raw_path, query, headers, body, repeated)

    def inspect(
        self,
        op: Operation,
        raw_path: Mapping[str, str],
        query: str,
        headers: Mapping[str, str],
        body: bytes | None,
        repeated: set[str] | None = None,
    ) -> ValidationResult:
        """Validate the content type (415), then the parameters and the body together (400, every error listed).

        Security is :meth:`authorize`'s; ``repeated`` names the headers that were sent more than once.
        """
        media: MediaBody | None = None
        kind = ""
        if op.media is not None and body:
            content_type = headers.get("content-type", "")
            known = op.media_cache.get(content_type)
            if known is None:
                media_type = content_type.split(";", 1)[0].strip().lower()
                media = _media(op.media, media_type)
                if media is None:
                    return _unsupported(op, media_type)
                kind = _kind_of(media_type) if media.kind == "any" else media.kind
                if len(op.media_cache) < _MEDIA_CACHE_SIZE:
                    op.media_cache[content_type] = (media, kind)
            else:
                media, kind = known
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
                    try:
                        values[param.name] = read_scalar(param, raw)
                    except BadInput as exc:
                        errors.append(RequestError(f"path.{param.name}", str(exc)))
            instance["path"] = values
        if op_params["query"]:
            try:
                parsed_query = parse_query(query)
            except BadInput as exc:
                errors.append(RequestError("query", f"the query string {exc}"))
                parsed_query = {}
            values = params["query"] = {}
            for param in op_params["query"]:
                try:
                    present, value = read_query(param, parsed_query)
                except BadInput as exc:
                    errors.append(RequestError(f"query.{param.name}", str(exc)))
                    continue
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
                elif repeated is not None and param.name in repeated:
                    errors.append(RequestError(f"header.{param.name}", _REPEATED_HEADER))
                else:
                    try:
                        values[param.name] = read_scalar(param, raw)
                    except BadInput as exc:
                        errors.append(RequestError(f"header.{param.name}", str(exc)))
            instance["header"] = values
        if op_params["cookie"]:
            twice: set[str] = set()
            cookies = parse_cookies(headers.get("cookie", ""), twice)
            values = params["cookie"] = {}
            for param in op_params["cookie"]:
                raw = cookies.get(param.name)
                if raw is None:
                    _absent(param, values, errors, defaults)
                elif param.name in twice:
                    errors.append(RequestError(f"cookie.{param.name}", "is sent more than once; send it once"))
                else:
                    try:
                        values[param.name] = read_scalar(param, raw)
                    except BadInput as exc:
                        errors.append(RequestError(f"cookie.{param.name}", str(exc)))
            instance["cookie"] = values
        validator: Compiled = op.no_body
        parsed_body: Any = None
        if media is not None:
            assert body is not None
            try:
                parsed_body = _parse(kind, media, body, headers.get("content-type", ""))
            except BadInput as exc:
                errors.append(RequestError(BODY + exc.pointer, str(exc)))
            else:
                if kind in ("json", "form", "multipart"):
                    instance["body"] = parsed_body
                    validator = media.validator
        elif op.body_required and not body:
            errors.append(RequestError(BODY, "a request body is required"))
        try:
            valid = validator.is_valid(instance)
            if not valid:
                _schema_errors(validator, instance, op, errors, detailed=body is None or len(body) <= DETAIL_LIMIT)
        except (ValueError, RecursionError):
            deep = _too_deep(instance)
            if deep is None:
                raise  # not the input's doing: a bug, for the middleware's error boundary
            errors.append(deep)
        for values, name, default in defaults:
            values[name] = default
        if errors:
            unique = list(dict.fromkeys(errors))  # two `allOf` parts typing one property give the same error twice
            return ValidationResult(400, unique[:_MAX_ERRORS], op.label, params, parsed_body)
        return ValidationResult(200, [], op.label, params, parsed_body)

    def operation(self, method: str, path: str) -> Operation | None:
        """Return the compiled operation ``method path`` resolves to, or ``None``."""
        found = self.spec.match(path)
        if found is None:
            return None
        operations = found[0].operations
        verb = method.upper()
        return operations.get(verb) or (operations.get("GET") if verb == "HEAD" else None)

    def validate_response(
        self, method: str, path: str, status: int, content_type: str | None, body: bytes | None
    ) -> list[RequestError]:
        """Validate a response to ``method path``: its status is declared, its media type too, its JSON body fits.

        Locations are ``response.status``, ``response.header.content-type``, ``response.body`` and
        ``response.body#/<pointer>``. A request that matches no operation has nothing to check against.
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
        if (not body and not content_type) or method.upper() == "HEAD":
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
            op.responses[cache_key] = None if schema is None else compile_schema(converter.root_schema(schema))
        validator = op.responses[cache_key]
        try:
            value = parse_json(body or b"")
        except BadInput as exc:
            return [RequestError(RESPONSE_BODY + exc.pointer, str(exc))]
        if validator is None or validator.is_valid(value):
            return []
        if body is not None and len(body) > DETAIL_LIMIT:
            first = None if validator.alternatives else validator.first_error(value)
            found = [first] if first is not None else [((), _UNLISTED, "Summary", ())]
        else:
            found = list(islice(validator.errors(value), _MAX_ERRORS))
        errors = (
            RequestError(
                _pointer(RESPONSE_BODY, path_),
                "the value is not valid" if validator.secret(where) else _message(kind, message, "response"),
            )
            for path_, message, kind, where in found
        )
        return list(dict.fromkeys(errors))  # two `allOf` parts typing one property give the same error twice


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


def _unsupported(op: Operation, media_type: str) -> ValidationResult:
    accepted = ", ".join(f"`{m}`" for m in op.media or ())
    sent = f"`{clip(media_type, 100)}`" if media_type else "no content type"
    return ValidationResult(
        415, [RequestError("header.content-type", f"{sent} is not accepted (send {accepted})")], op.label
    )


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
            raise BadInput(f"the body is not valid UTF-8 (byte {exc.start})") from None
        form: dict[str, Any] = {}
        try:
            fields = parse_query(text)
        except BadInput as exc:
            raise BadInput(f"the form body {exc}") from None
        for key, values in fields.items():
            cast = media.casts.get(key)
            try:
                if key in media.arrays:
                    form[key] = [cast(v) for v in values] if cast else values
                elif cast is None:  # undeclared: cast as `additionalProperties` says; repeated, it is an array
                    extra = media.extra or _same
                    form[key] = [extra(v) for v in values] if len(values) > 1 else extra(values[0])
                elif len(values) > 1:
                    raise BadInput(f"is given {len(values)} times; send it once")
                else:
                    form[key] = cast(values[0])
            except BadInput as exc:
                raise BadInput(str(exc), "/" + escape(key)) from None
        return form
    if kind == "multipart":
        return read_parts(split_parts(body, boundary_of(content_type)), media.parts)
    return None


def _same(value: str) -> str:
    return value


_REPEATED_HEADER = "is sent more than once; send it once (a list as one comma-separated value)"


def clip(text: str, limit: int) -> str:
    """Return ``text`` cut to ``limit`` characters (an ellipsis marks the cut): request-derived text is bounded."""
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def _pointer(prefix: str, path: tuple[str | int, ...]) -> str:
    if not path:
        return prefix
    text = "/".join(map(str, path))
    if "~" in text or text.count("/") != len(path) - 1:  # a key holds `~` or `/`: escape each (RFC 6901)
        text = "/".join(escape(p) if isinstance(p, str) else str(p) for p in path)
    return prefix + "/" + (text if len(text) <= MAX_LOCATION else clip(text, MAX_LOCATION))


def _message(kind: str, message: str, direction: str) -> str:
    if kind == "FalseSchema":
        return "is read-only: it must not be sent" if direction == "request" else "is write-only: it must not be sent"
    return message if len(message) <= MAX_MESSAGE else clip(message, MAX_MESSAGE)


def _too_deep(instance: Mapping[str, Any]) -> RequestError | None:
    """Return the error for the value nested too deeply for the schema engine, ``None`` if none is.

    ``None`` means the engine failed for another reason: not the input's doing.
    """
    candidates: list[tuple[str, Any]] = [(BODY, instance["body"])] if "body" in instance else []
    for where in ("path", "query", "header", "cookie"):
        candidates.extend((f"{where}.{name}", value) for name, value in instance.get(where, {}).items())
    for location, value in candidates:
        depth = nesting_depth(value)
        if depth >= _DEEP:
            return RequestError(location, f"is nested {depth} levels deep: too deep to be validated")
    return None


_UNLISTED = (
    f"does not match its schema (the errors of a body over {DETAIL_LIMIT // 1024} KiB are not listed one by one: "
    "describing them can cost far more than validating it)"
)


def _schema_errors(
    validator: Compiled, instance: Mapping[str, Any], op: Operation, errors: list[RequestError], *, detailed: bool
) -> None:
    """Append the schema errors of ``instance`` to ``errors``, up to ``_MAX_ERRORS`` in all.

    ``detailed``: list every error (a small body); else the parameters' errors and one error for the body, its
    first when that is cheap to find (the schema has no ``oneOf``/``anyOf``), so that time stays bounded.
    A value whose schema says ``writeOnly`` or ``format: password`` is never quoted.
    """
    source = validator.errors(instance) if detailed else _bounded_errors(validator, instance, op)
    for path, message, kind, where in islice(source, max(_MAX_ERRORS - len(errors), 0)):
        if not path:
            errors.append(RequestError("request", clip(message, MAX_MESSAGE)))
            continue
        location = path[0]
        if location == "body":
            text = f"the value is not valid ({kind})" if validator.secret(where) else _message(kind, message, "request")
            errors.append(RequestError(_pointer(BODY, path[1:]), text))
            continue
        name = str(path[1]) if len(path) > 1 else ""
        secret = (
            location == "cookie"
            or (location == "header" and name in op.secret_headers)
            or (location == "query" and name in op.secret_query)
        )
        text = f"the value is not valid ({kind})" if secret else _message(kind, message, "request")
        errors.append(RequestError(f"{location}.{clip(name, 100)}", text))


def _bounded_errors(validator: Compiled, instance: Mapping[str, Any], op: Operation) -> Iterator[Error]:
    """Yield the parameters' errors, then at most one error for a large body (see :func:`_schema_errors`)."""
    yield from op.no_body.errors({key: value for key, value in instance.items() if key != "body"})
    body = {"body": instance.get("body")}
    if validator.is_valid(body):
        return
    first = None if validator.alternatives else validator.first_error(body)
    yield first if first is not None else (("body",), _UNLISTED, "Summary", ())
