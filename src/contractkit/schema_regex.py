"""A contract's regular expressions, matched in bounded time.

A ``pattern`` is written by the contract's author and matched against its examples and defaults: with Python's
backtracking ``re``, ``pattern: '^(a+)+$'`` and an example of 40 ``a`` and a ``!`` never finish (a lint run on a
4 KB file hung). JSON Schema's patterns are ECMA-262 regular expressions; jsonschema-rs matches them with
Rust's regex engines (linear time, and a backtracking limit for look-arounds and back-references), so the
``pattern`` and ``patternProperties`` keywords of the validators contractkit runs on a document's values go
through it. A pattern it cannot compile raises :class:`re.error`, as ``re`` would for one it cannot read.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from functools import lru_cache
from typing import Any

from jsonschema import ValidationError
from jsonschema.validators import extend

__all__ = ["search", "with_bounded_patterns"]


@lru_cache(maxsize=1024)
def _matcher(pattern: str) -> Callable[[object], bool]:
    try:
        import jsonschema_rs
    except ImportError:  # pragma: no cover - jsonschema-rs comes with contractkit[cli]
        compiled = re.compile(pattern)
        return lambda text: isinstance(text, str) and compiled.search(text) is not None
    try:
        checker = jsonschema_rs.validator_for({"type": "string", "pattern": pattern})
    except (ValueError, jsonschema_rs.ValidationError) as exc:
        raise re.error(f"not an ECMA-262 regular expression: {pattern!r}") from exc
    is_valid: Callable[[object], bool] = checker.is_valid
    return is_valid


def search(pattern: str, text: str) -> bool:
    """Return whether ``pattern`` matches somewhere in ``text``, in bounded time.

    Raises:
        re.error: ``pattern`` is not a regular expression.
    """
    try:
        return _matcher(pattern)(text)
    except ValueError as exc:  # the engine gave up (a backtracking limit): not a verdict either way
        raise re.error(f"cannot match {pattern!r}: {exc}") from exc


def _pattern(validator: Any, pattern: object, instance: object, schema: Mapping[str, Any]) -> Iterator[ValidationError]:
    if isinstance(pattern, str) and validator.is_type(instance, "string") and not search(pattern, str(instance)):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


def _pattern_properties(
    validator: Any, patterns: object, instance: object, schema: Mapping[str, Any]
) -> Iterator[ValidationError]:
    if not isinstance(patterns, dict) or not validator.is_type(instance, "object"):
        return
    assert isinstance(instance, dict)  # is_type said so
    for pattern, subschema in patterns.items():
        for name, value in instance.items():
            if search(str(pattern), str(name)):
                yield from validator.descend(value, subschema, path=name, schema_path=pattern)


@lru_cache(maxsize=64)
def with_bounded_patterns(cls: type[Any]) -> type[Any]:
    """Return the validator class ``cls`` with ``pattern`` and ``patternProperties`` matched by :func:`search`."""
    validators = {"pattern": _pattern, "patternProperties": _pattern_properties}
    extended: type[Any] = extend(cls, validators)  # type: ignore[no-untyped-call]
    return extended
