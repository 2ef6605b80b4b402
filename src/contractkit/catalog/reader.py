"""Reading ``contracts/catalog.yaml``: find it, check it against its schema, build the :class:`Catalog`."""

from __future__ import annotations

from pathlib import Path
from types import MappingProxyType
from typing import Any

import jsonschema

from contractkit.catalog.model import (
    CATALOG_FILE,
    BreakingPolicy,
    Catalog,
    CodegenPolicy,
    Contract,
    FuzzPolicy,
    Lifecycle,
    LintPolicy,
)
from contractkit.errors import ConfigError, ContractkitError
from contractkit.findings import Severity
from contractkit.kinds import SpecKind
from contractkit.loaders.files import FileStore
from contractkit.loaders.limits import DEFAULT_MAX_BYTES, Limits
from contractkit.loaders.source import SourceFile
from contractkit.schema_errors import describe

# YAML 1.1 reads a bare `off` as false: accept it as the severity `off` it was meant to be.
_SEVERITY = {"enum": ["error", "warning", "warn", "info", "off", False]}
_POLICY = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "rules": {"type": "object", "additionalProperties": _SEVERITY},
        # The options of the house rules; a misspelt key would silently leave a rule on its default.
        "options": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "problem-schema": {"type": "string", "pattern": "#/"},
                "pagination-envelope": {"type": "string", "pattern": "#/"},
                "trace-headers": {"type": "array", "items": {"type": "string", "minLength": 1}},
            },
        },
    },
}
# Code generation settings (contractkit gen): catalog-wide, and per contract except `package`.
_CODEGEN_OPTIONS: dict[str, Any] = {
    "strict-types": {"type": "boolean"},
    "field-names": {"enum": ["snake_case", "as-is"]},
    "enums": {"enum": ["literal", "enum"]},
    "extra": {"enum": ["forbid", "ignore", "allow"]},
}
_CODEGEN = {"type": "object", "additionalProperties": False, "properties": _CODEGEN_OPTIONS}
_CATALOG_CODEGEN = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        **_CODEGEN_OPTIONS,
        "package": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "distribution-prefix": {"type": "string", "pattern": "^[a-z][a-z0-9]*(-[a-z0-9]+)*$"},
            },
        },
    },
}
# Breaking-change policies (contractkit breaking): catalog-wide, and per contract; each one on unless turned off.
_BREAKING = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "policies": {
            "type": "object",
            "additionalProperties": False,
            "properties": {name: {"type": "boolean"} for name in ("deprecation", "versioning", "stability")},
        },
    },
}
# Fuzzing (contractkit fuzz), per contract: the statuses that pass a data check, per operation.
_STATUSES = {
    "type": "array",
    "minItems": 1,
    "items": {
        "anyOf": [
            {"type": "string", "pattern": "^[1-5]([0-9]{2}|xx)$"},
            {"type": "integer", "minimum": 100, "maximum": 599},
        ]
    },
}
_FUZZ = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "operations": {
            "type": "object",
            "additionalProperties": {
                "type": "object",
                "additionalProperties": False,
                "minProperties": 1,
                "properties": {
                    "positive-data-acceptance": _STATUSES,
                    "negative-data-rejection": _STATUSES,
                },
            },
        },
    },
}
CATALOG_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["version", "contracts"],
    "additionalProperties": False,
    "properties": {
        "version": {"const": 1},
        "contracts": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["id", "kind", "path", "owner", "lifecycle"],
                "additionalProperties": False,
                "properties": {
                    "id": {"type": "string", "pattern": "^[a-z][a-z0-9]*(-[a-z0-9]+)*$"},
                    "kind": {"enum": ["openapi", "asyncapi"]},
                    "path": {"type": "string", "minLength": 1},
                    "owner": {"type": "string", "minLength": 1},
                    "lifecycle": {"enum": [item.value for item in Lifecycle]},
                    "description": {"type": "string"},
                    "keep-majors": {
                        "type": "array",
                        "uniqueItems": True,
                        "items": {"type": "integer", "minimum": 0},
                    },
                    "lint": _POLICY,
                    "codegen": _CODEGEN,
                    "breaking": _BREAKING,
                    "fuzz": _FUZZ,
                },
            },
        },
        "lint": _POLICY,
        "codegen": _CATALOG_CODEGEN,
        "breaking": _BREAKING,
        "loader": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "max-bytes": {"type": "integer", "minimum": 1},
                "allow-remote-refs": {"type": "boolean"},
            },
        },
    },
}


def find_catalog(start: Path | None = None) -> Path | None:
    """Return ``contracts/catalog.yaml`` in ``start`` (default: the working directory) or a parent of it.

    A ``catalog.yaml`` directly in ``start`` counts too, so commands work from inside ``contracts/``.
    """
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        for candidate in (folder / "contracts" / CATALOG_FILE, folder / CATALOG_FILE):
            if candidate.is_file():
                return candidate
    return None


def load_catalog(path: Path | None = None) -> Catalog | None:
    """Return the catalog at ``path``, or the one :func:`find_catalog` finds, or ``None`` when there is none.

    Raises:
        ConfigError: the catalog cannot be parsed or does not follow the catalog schema.
    """
    found = path or find_catalog()
    return read_catalog(found) if found is not None else None


def read_catalog(path: Path) -> Catalog:
    """Read and check the catalog at ``path``.

    Raises:
        ConfigError: the file cannot be parsed or does not follow the catalog schema.
    """
    path = path.resolve()
    try:
        source = FileStore().load(path)
    except ContractkitError as exc:
        raise ConfigError(
            exc.detail, title=f"could not read the catalog `{exc.location or path}`", location=exc.location, tip=exc.tip
        ) from None
    errors = sorted(
        jsonschema.Draft202012Validator(CATALOG_SCHEMA).iter_errors(source.data), key=lambda e: list(e.absolute_path)
    )
    if errors:
        first = errors[0]
        parts = tuple(str(p) for p in first.absolute_path)
        raise ConfigError(
            _explain(first),
            title=f"invalid catalog `{source.name}`",
            location=source.location(parts),
            tip="see docs/catalog.md for the catalog format."
            + (f" ({len(errors) - 1} more problem(s) after this one)" if len(errors) > 1 else ""),
        )
    return _build(path, source)


def _explain(error: jsonschema.ValidationError) -> str:
    where = "/".join(str(p) for p in error.absolute_path) or "the top level"
    return f"at `{where}`: {describe(error)}"


def _build(path: Path, source: SourceFile) -> Catalog:
    data = source.data
    assert isinstance(data, dict)  # checked by the schema
    root = path.parent
    contracts: list[Contract] = []
    seen: dict[str, int] = {}
    for index, entry in enumerate(data["contracts"]):  # type: ignore[arg-type]
        assert isinstance(entry, dict)
        contract_id = str(entry["id"])
        if contract_id in seen:
            raise ConfigError(
                f"contract id `{contract_id}` is listed twice (entries {seen[contract_id] + 1} and {index + 1})",
                title=f"invalid catalog `{source.name}`",
                location=source.location(("contracts", str(index), "id")),
                tip="every contract needs its own id.",
            )
        seen[contract_id] = index
        contracts.append(
            Contract(
                id=contract_id,
                kind=SpecKind(entry["kind"]),
                path=(root / str(entry["path"])).resolve(),
                owner=str(entry["owner"]),
                lifecycle=Lifecycle(entry["lifecycle"]),
                description=str(entry.get("description", "")),
                keep_majors=frozenset(int(m) for m in entry.get("keep-majors") or ()),  # type: ignore[union-attr, arg-type]
                lint=_policy(entry.get("lint"), source, ("contracts", str(index), "lint")),
                location=source.location(("contracts", str(index))),
                codegen=_codegen(entry.get("codegen"), source, ("contracts", str(index), "codegen")),
                breaking=_breaking(entry.get("breaking"), source, ("contracts", str(index), "breaking")),
                fuzz=_fuzz(entry.get("fuzz"), source, ("contracts", str(index), "fuzz")),
            )
        )
    loader = data.get("loader") or {}
    assert isinstance(loader, dict)
    limits = Limits(
        max_bytes=int(loader.get("max-bytes", DEFAULT_MAX_BYTES)),  # type: ignore[arg-type]
        allow_remote=bool(loader.get("allow-remote-refs", False)),
    )
    return Catalog(
        path,
        root,
        tuple(contracts),
        _policy(data.get("lint"), source, ("lint",)),
        limits,
        codegen=_codegen(data.get("codegen"), source, ("codegen",)),
        breaking=_breaking(data.get("breaking"), source, ("breaking",)),
    )


def _breaking(raw: object, source: SourceFile, at: tuple[str, ...]) -> BreakingPolicy:
    policies = raw.get("policies") if isinstance(raw, dict) else None
    if not isinstance(policies, dict):
        return BreakingPolicy(location=source.location(at) if isinstance(raw, dict) else None)
    flags = {name: value for name, value in policies.items() if isinstance(value, bool)}  # checked by the schema
    return BreakingPolicy(
        deprecation=flags.get("deprecation"),
        versioning=flags.get("versioning"),
        stability=flags.get("stability"),
        location=source.location(at),
    )


def _fuzz(raw: object, source: SourceFile, at: tuple[str, ...]) -> FuzzPolicy:
    operations = raw.get("operations") if isinstance(raw, dict) else None
    if not isinstance(operations, dict):
        return FuzzPolicy()
    statuses = {
        str(name): MappingProxyType(
            {check.replace("-", "_"): tuple(str(code) for code in codes) for check, codes in checks.items()}
        )
        for name, checks in operations.items()
        if isinstance(checks, dict)  # checked by the schema
    }
    locations = {name: source.location((*at, "operations", name)) for name in statuses}
    return FuzzPolicy(MappingProxyType(statuses), source.location(at), MappingProxyType(locations))


def _codegen(raw: object, source: SourceFile, at: tuple[str, ...]) -> CodegenPolicy:
    if not isinstance(raw, dict):
        return CodegenPolicy()
    return CodegenPolicy(MappingProxyType({str(k): v for k, v in raw.items()}), source.location(at))


def _policy(raw: object, source: SourceFile, at: tuple[str, ...]) -> LintPolicy:
    if not isinstance(raw, dict):
        return LintPolicy()
    rules = raw.get("rules") or {}
    options = raw.get("options") or {}
    assert isinstance(rules, dict) and isinstance(options, dict)
    return LintPolicy(
        MappingProxyType({str(k): Severity.OFF if v is False else Severity.parse(str(v)) for k, v in rules.items()}),
        MappingProxyType({str(k): v for k, v in options.items()}),
        MappingProxyType({str(k): source.location((*at, "rules", str(k))) for k in rules}),
    )
