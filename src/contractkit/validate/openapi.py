"""Structural validation of OpenAPI 3.0 and 3.1 with openapi-spec-validator, located in the source files."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Iterator
from functools import cache
from typing import Any, cast

import jsonschema

from contractkit.findings import Location
from contractkit.loaders.document import Document
from contractkit.loaders.types import JsonValue
from contractkit.schema_errors import (
    instance_path,
    located_message,
    most_specific,
    short,
    unknown_key_message,
    unknown_keys,
)
from contractkit.schema_regex import with_bounded_patterns
from contractkit.spec.flatten import inline_external

_PARTS_ATTR = "_contractkit_parts"


def structure_problems(doc: Document, *, follow_refs: bool = True) -> Iterator[tuple[str, Location]]:
    """Yield (message, location) for every way ``doc`` breaks the OpenAPI specification.

    Runs on the document with its external ``$ref``s inlined (read through contractkit's loader, with its
    safety rules and cache): the meta-schema check, then the semantic checks of openapi-spec-validator (path
    parameters declared, unique operation ids, defaults valid against their schemas, ...), which follow the
    local refs. Every problem is located in the source file it comes from. ``follow_refs=False`` checks only
    the root file as written (the caller found refs that cannot be followed).
    """
    validator_class = _validator_class(doc.spec.major_minor)
    data = _without_path_extensions(inline_external(doc) if follow_refs else doc.root.data)
    validator = validator_class(data, base_uri=doc.root.path.resolve().as_uri())
    fast = _fast_meta_check(doc.spec.major_minor)
    seen: set[tuple[str, Location]] = set()
    said: set[tuple[Location, str]] = set()  # (where, which key) the meta-schema pass spoke about
    if fast is None or not fast(data):  # a valid document (the usual case) skips the slow, locating pass
        for message, location in meta_problems(doc, validator.schema_validator.iter_errors(data)):
            said.add((location, message.partition(":")[0]))
            yield message, location
    if not follow_refs:
        return
    try:
        for error in validator.root_validator(validator.schema_path):
            parts = tuple(str(p) for p in getattr(error, _PARTS_ATTR, ()))
            if isinstance(error, jsonschema.ValidationError):
                # A schema's meta-check reports paths relative to the schema the walk was validating.
                message, inner, follow = located_message(most_specific(error))
                location = doc.locate((*parts, *inner), follow_last=follow)
            else:
                message, location = str(error), doc.locate(parts)
            # The semantic pass checks schemas again with its own dialect: a key the first pass spoke about at
            # the same place is one problem (`type: intger` in 3.0 was two errors, one listing `null`).
            if (message, location) not in seen and (location, message.partition(":")[0]) not in said:
                seen.add((message, location))
                yield message, location
    except RecursionError:
        yield "the document is too deeply recursive for openapi-spec-validator", doc.root.location(())
    except Exception as exc:
        # Known case: a scalar `x-` extension under `paths` (jsonschema-path's accessor raises KeyError).
        # The meta-schema problems above usually explain it; say that the deeper check stopped.
        yield (
            f"openapi-spec-validator stopped with {type(exc).__name__} ({short(str(exc))}); "
            "the semantic checks after this point did not run",
            doc.root.location(()),
        )


def meta_problems(doc: Document, errors: Iterable[jsonschema.ValidationError]) -> Iterator[tuple[str, Location]]:
    """Yield (message, location) for meta-schema errors: an unknown key at its own line, with the key it resembles.

    A misspelt key (`reponses`) makes two errors at its parent: the key is not allowed, and the key it should
    have been is missing. It is said once, at the misspelt key: "did you mean `responses`?"; a missing key that
    a misspelling explains is not said again. Shared by the OpenAPI and AsyncAPI validators.
    """
    specific = [most_specific(error) for error in errors]
    guessed: set[tuple[tuple[str, ...], str]] = set()
    rest = []
    for error in specific:
        unknown = unknown_keys(error)
        if unknown is None:
            rest.append(error)
            continue
        path = instance_path(error)
        for key, suggestion in unknown:
            if suggestion is not None:
                guessed.add((path, suggestion))
            yield unknown_key_message(key, suggestion), doc.locate((*path, key), follow_last=False)
    for error in rest:
        path = instance_path(error)
        if error.validator == "required" and isinstance(error.instance, dict):
            wanted = error.validator_value if isinstance(error.validator_value, list) else []
            missing = [n for n in wanted if isinstance(n, str) and n not in error.instance]
            if missing and all((path, name) in guessed for name in missing):
                continue  # said with the misspelling
        message, path, follow = located_message(error)
        yield message, doc.locate(path, follow_last=follow)


def _without_path_extensions(data: JsonValue) -> JsonValue:
    """Drop `x-` keys of the Paths object: valid OpenAPI, but openapi-spec-validator 0.8 crashes on scalar ones."""
    if isinstance(data, dict) and isinstance(data.get("paths"), dict):
        paths = data["paths"]
        assert isinstance(paths, dict)
        if any(key.startswith("x-") for key in paths):
            return {**data, "paths": {k: v for k, v in paths.items() if not k.startswith("x-")}}
    return data


@cache
def _validator_class(version: str) -> Any:
    import openapi_spec_validator as osv

    base = osv.OpenAPIV31SpecValidator if version == "3.1" else osv.OpenAPIV30SpecValidator
    tracked = {name: _tracking(cls) for name, cls in base.keyword_validators.items()}
    namespace: dict[str, Any] = {"keyword_validators": tracked}
    pinned = _jsonschema_backend(version)
    if pinned is not None:
        namespace["schema_validator"] = pinned
    return type(f"Located{base.__name__}", (base,), namespace)


@cache
def _fast_meta_check(version: str) -> Callable[[Any], bool] | None:
    """Return jsonschema-rs's verdict on the OpenAPI meta-schema, or ``None`` when it is not installed.

    The meta-schema check is most of the time validate takes (jsonschema's `$dynamicRef` resolution); jsonschema-rs
    gives the same verdict in a fraction of it, but not the paths findings are located with, so it only decides
    whether the locating pass on the `jsonschema` backend must run at all.
    """
    try:
        import jsonschema_rs
        from openapi_spec_validator.schemas import schema_v30, schema_v31
    except ImportError:
        return None
    try:
        checker = jsonschema_rs.validator_for(dict(schema_v31 if version == "3.1" else schema_v30))
    except Exception:  # a jsonschema-rs that cannot compile the meta-schema: use the slow pass only
        return None
    return cast(Callable[[Any], bool], checker.is_valid)


def _jsonschema_backend(version: str) -> Any:
    """Return the meta-schema validator on the `jsonschema` backend, or ``None`` before osv 0.8.

    openapi-spec-validator 0.8 switches to jsonschema-rs whenever it is installed (the runtime extra may bring
    it): its errors carry neither the path nor the message parts that contractkit locates findings with.
    """
    try:
        from openapi_spec_validator.schemas import schema_v30, schema_v31
        from openapi_spec_validator.schemas.backend.jsonschema import create_validator
    except ImportError:  # older openapi-spec-validator: jsonschema is its only backend
        return None
    return create_validator(schema_v31 if version == "3.1" else schema_v30)


def _tracking(cls: type[Any]) -> type[Any]:
    """Subclass a keyword validator so that its errors remember the spec path being validated."""
    from jsonschema_path import SchemaPath

    def __call__(self: Any, *args: Any, **kwargs: Any) -> Iterator[Any]:
        path = next((a for a in args if isinstance(a, SchemaPath)), None)
        for error in cls.__call__(self, *args, **kwargs):
            if path is not None and getattr(error, _PARTS_ATTR, None) is None:
                with contextlib.suppress(AttributeError):  # an error type with slots keeps no location
                    setattr(error, _PARTS_ATTR, path.parts)
            yield error

    namespace: dict[str, Any] = {"__call__": __call__}
    value_class = getattr(cls, "value_validator_cls", None)
    if isinstance(value_class, type):  # defaults checked against their schema: the schema's patterns, bounded
        namespace["value_validator_cls"] = with_bounded_patterns(value_class)
    return type(cls.__name__, (cls,), namespace)
