"""The JSON Schema engine behind the runtime: jsonschema-rs when installed, else the pure-Python ``jsonschema``.

jsonschema-rs (Rust, JSON Schema 2020-12 native) is what the ``runtime`` extra installs: about 1-3 µs for an
order body where ``jsonschema`` takes ~30 µs and fastjsonschema (drafts 4-7 only, first error only) ~2-5 µs;
``benchmarks/bench_schema_engines.py`` measures the three. Both engines are used the same way: ``is_valid``
on the fast path; for an invalid instance, ``errors`` (every error, with its instance path) when the instance is
small, ``first_error`` when it is not.

Why two ways: jsonschema-rs builds the whole error list before handing over the first one, and a ``oneOf``'s error
carries the errors of every branch, so listing the errors of a large or recursive instance can cost seconds and
gigabytes where validating it costs milliseconds (a 900 KB array of wrong items: 4.7 s; a 400 KB recursive ``oneOf``
expression: 17 s). The caller lists errors for small instances only, and asks for the first error of a large one
only when the schema has no ``oneOf``/``anyOf`` (``alternatives``), where the first error is cheap.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, Protocol

from contractkit.errors import ContractInvalid

Error = tuple[tuple[str | int, ...], str, str, tuple[str | int, ...]]  # (instance path, message, kind, schema path)

try:  # pragma: no branch - which engine is installed is decided once
    import jsonschema_rs as _rs
except ImportError:  # pragma: no cover - exercised in environments without the runtime extra
    _rs = None  # type: ignore[assignment]


class Compiled(Protocol):
    """A compiled schema.

    Attributes:
        alternatives: whether the schema holds a ``oneOf`` or ``anyOf`` (its first error may be costly).
    """

    alternatives: bool

    def is_valid(self, instance: Any) -> bool:
        """Return whether ``instance`` is valid."""
        ...

    def errors(self, instance: Any) -> Iterator[Error]:
        """Yield every error of ``instance`` (costly for a large invalid instance: see the module docstring)."""
        ...

    def first_error(self, instance: Any) -> Error | None:
        """Return one error of ``instance`` (cheap unless ``alternatives``), ``None`` when it is valid."""
        ...

    def secret(self, schema_path: tuple[str | int, ...]) -> bool:
        """Return whether the schema an error's keyword belongs to marks its value secret.

        That is ``writeOnly: true`` or ``format: password``: the error must not quote the value.
        """
        ...


class _Schema:
    __slots__ = ("alternatives", "schema", "secrets")

    def __init__(self, schema: dict[str, Any]) -> None:
        self.schema = schema
        self.alternatives = _holds(schema, lambda node: "oneOf" in node or "anyOf" in node)
        self.secrets = _holds(schema, lambda node: node.get("writeOnly") is True or node.get("format") == "password")

    def secret(self, schema_path: tuple[str | int, ...]) -> bool:
        if not self.secrets:  # the common case: nothing to hide, no walk (and no schema path was kept)
            return False
        node: Any = self.schema
        for token in schema_path[:-1]:  # the last token is the failing keyword; its schema is the node before it
            if isinstance(node, dict) and token == "$ref":
                node = _local(self.schema, node.get("$ref"))
                continue
            try:
                node = node[token] if isinstance(node, dict) else node[int(token)]
            except (KeyError, IndexError, ValueError, TypeError):
                return False
        if isinstance(node, dict) and isinstance(node.get("$ref"), str):
            node = _local(self.schema, node["$ref"])
        return isinstance(node, dict) and (node.get("writeOnly") is True or node.get("format") == "password")


class _RustSchema(_Schema):
    __slots__ = ("_validator", "is_valid")

    def __init__(self, schema: dict[str, Any], mask: str | None) -> None:
        assert _rs is not None
        super().__init__(schema)
        try:
            self._validator = _rs.Draft202012Validator(schema, validate_formats=True, mask=mask)
        except ValueError as exc:  # jsonschema_rs.ValidationError too: a pattern that does not compile, ...
            raise ContractInvalid(
                f"a schema of the contract cannot be compiled: {str(exc).splitlines()[0][:300]}",
                title="could not load the middleware's contract",
                tip="run `contractkit check` on the contract: it names the schema and its line.",
            ) from None
        self.is_valid: Callable[[Any], bool] = self._validator.is_valid

    def errors(self, instance: Any) -> Iterator[Error]:
        secrets = self.secrets
        for error in self._validator.iter_errors(instance):
            where = tuple(error.schema_path) if secrets else ()
            yield tuple(error.instance_path), error.message, type(error.kind).__name__, where

    def first_error(self, instance: Any) -> Error | None:
        assert _rs is not None
        try:
            self._validator.validate(instance)
        except _rs.ValidationError as error:
            return tuple(error.instance_path), error.message, type(error.kind).__name__, tuple(error.schema_path)
        return None


class _PySchema(_Schema):
    __slots__ = ("_mask", "_validator")

    def __init__(self, schema: dict[str, Any], mask: str | None) -> None:
        import jsonschema

        super().__init__(schema)
        self._validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
        self._mask = mask

    def is_valid(self, instance: Any) -> bool:
        return bool(self._validator.is_valid(instance))

    def errors(self, instance: Any) -> Iterator[Error]:
        for error in self._validator.iter_errors(instance):
            message = error.message if self._mask is None else f"value does not match `{error.validator}`"
            kind = "FalseSchema" if error.validator is None or error.schema is False else str(error.validator)
            yield tuple(error.absolute_path), message, kind, tuple(error.absolute_schema_path)

    def first_error(self, instance: Any) -> Error | None:
        return next(self.errors(instance), None)


def _holds(node: Any, test: Callable[[dict[str, Any]], bool]) -> bool:
    """Return whether a schema (or any schema inside it) passes ``test``."""
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, dict):
            if test(current):
                return True
            stack.extend(current.values())
        elif isinstance(current, list):
            stack.extend(current)
    return False


def _local(root: dict[str, Any], ref: Any) -> Any:
    """Return the node a local ``#/...`` ref names in ``root`` (``None`` when it names nothing)."""
    from contractkit.loaders.pointer import parse_pointer

    if not isinstance(ref, str) or not ref.startswith("#"):
        return None
    node: Any = root
    try:
        for token in parse_pointer(ref[1:]):
            node = node[int(token)] if isinstance(node, list) else node[token]
    except (KeyError, IndexError, ValueError, TypeError):
        return None
    return node


ENGINE = "jsonschema-rs" if _rs is not None else "jsonschema"
_ENGINES: dict[str, Callable[[dict[str, Any], str | None], Compiled]] = {"jsonschema": _PySchema}
if _rs is not None:  # pragma: no branch
    _ENGINES["jsonschema-rs"] = _RustSchema


def compile_schema(schema: dict[str, Any], *, mask: str | None = None, engine: str = ENGINE) -> Compiled:
    """Compile a JSON Schema 2020-12 document (formats asserted); ``mask`` hides instance values in messages.

    Raises:
        ContractInvalid: the schema cannot be compiled (a ``pattern`` that is not a regular expression, ...).
    """
    return _ENGINES[engine](schema, mask)
