"""The JSON Schema engine behind the runtime: jsonschema-rs when installed, else the pure-Python ``jsonschema``.

jsonschema-rs (Rust, JSON Schema 2020-12 native) is what the ``runtime`` extra installs: about 1-3 µs for an
order body where ``jsonschema`` takes ~30 µs and fastjsonschema (drafts 4-7 only, first error only) ~2-5 µs;
``benchmarks/bench_schema_engines.py`` measures the three. Both engines are used the same way: ``is_valid``
on the fast path, ``errors`` (every error, with its instance path) only for a request that is invalid.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, Protocol

Error = tuple[tuple[str | int, ...], str, str]  # (instance path, message, kind)

try:  # pragma: no branch - which engine is installed is decided once
    import jsonschema_rs as _rs
except ImportError:  # pragma: no cover - exercised in environments without the runtime extra
    _rs = None  # type: ignore[assignment]


class Compiled(Protocol):
    """A compiled schema."""

    def is_valid(self, instance: Any) -> bool:
        """Return whether ``instance`` is valid."""
        ...

    def errors(self, instance: Any) -> Iterator[Error]:
        """Yield every error of ``instance``."""
        ...


class _RustSchema:
    __slots__ = ("_validator", "is_valid")

    def __init__(self, schema: dict[str, Any], mask: str | None) -> None:
        assert _rs is not None
        self._validator = _rs.Draft202012Validator(schema, validate_formats=True, mask=mask)
        self.is_valid: Callable[[Any], bool] = self._validator.is_valid

    def errors(self, instance: Any) -> Iterator[Error]:
        for error in self._validator.iter_errors(instance):
            yield tuple(error.instance_path), error.message, type(error.kind).__name__


class _PySchema:
    __slots__ = ("_mask", "_validator")

    def __init__(self, schema: dict[str, Any], mask: str | None) -> None:
        import jsonschema

        self._validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
        self._mask = mask

    def is_valid(self, instance: Any) -> bool:
        return bool(self._validator.is_valid(instance))

    def errors(self, instance: Any) -> Iterator[Error]:
        for error in self._validator.iter_errors(instance):
            message = error.message if self._mask is None else f"value does not match `{error.validator}`"
            kind = "FalseSchema" if error.validator is None or error.schema is False else str(error.validator)
            yield tuple(error.absolute_path), message, kind


ENGINE = "jsonschema-rs" if _rs is not None else "jsonschema"
_ENGINES: dict[str, Callable[[dict[str, Any], str | None], Compiled]] = {"jsonschema": _PySchema}
if _rs is not None:  # pragma: no branch
    _ENGINES["jsonschema-rs"] = _RustSchema


def compile_schema(schema: dict[str, Any], *, mask: str | None = None, engine: str = ENGINE) -> Compiled:
    """Compile a JSON Schema 2020-12 document (formats asserted); ``mask`` hides instance values in messages."""
    return _ENGINES[engine](schema, mask)
