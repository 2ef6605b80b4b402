"""OpenAPI 3.0/3.1 Schema Objects -> JSON Schema 2020-12, ready for a compiled validator.

What changes on the way (done once, at start-up):

- every local ``$ref`` is followed in the document and the target converted once into ``$defs`` (so recursion
  works and nothing is resolved per request); OAS 3.0 drops the siblings of a ``$ref``, as 3.0 says;
- OAS 3.0 ``nullable: true`` becomes a ``"null"`` in ``type`` (and in ``enum``); without a ``type`` it wraps
  the schema in ``anyOf: [{type: null}, ...]``; boolean ``exclusiveMinimum``/``exclusiveMaximum`` become the
  numeric keywords;
- a ``discriminator`` next to ``oneOf``/``anyOf``/``allOf`` selects the one branch its property names (explicit
  ``mapping``, or the implicit ``#/components/schemas/<value>``), as openapi-core does: the property is
  required, an unknown value is an error on the property, and only the selected branch is validated;
- in requests a ``readOnly`` property is refused (``false``) and not required; in responses ``writeOnly`` is.
"""

from __future__ import annotations

from typing import Any, Literal

from contractkit.loaders.pointer import escape, parse_pointer
from contractkit.schema_keywords import SCHEMA_LISTS, SCHEMA_MAPS, SCHEMA_VALUES

Direction = Literal["request", "response"]
JsonSchema = dict[str, Any] | bool

_COMBINATORS = ("oneOf", "anyOf", "allOf")
_ANNOTATIONS = frozenset({"description", "example", "examples", "externalDocs", "xml", "title", "deprecated"})


class SchemaConverter:
    """Converts the schemas of one document for one direction, sharing the converted ``$ref`` targets.

    Attributes:
        defs: converted ref targets, by ``$defs`` name (add them to every root schema that uses them).
    """

    def __init__(self, root: Any, *, oas30: bool, direction: Direction) -> None:
        self.root = root
        self.oas30 = oas30
        self.direction = direction
        self.defs: dict[str, JsonSchema] = {}
        self._names: dict[str, str] = {}

    def root_schema(self, schema: Any) -> dict[str, Any]:
        """Return ``schema`` converted into a standalone root schema (with the ``$defs`` it needs)."""
        converted = self.convert(schema)
        wrapped: dict[str, Any] = {"allOf": [converted]} if isinstance(converted, bool) else dict(converted)
        return self.with_defs(wrapped)

    def with_defs(self, schema: dict[str, Any]) -> dict[str, Any]:
        """Return ``schema`` with every converted ``$ref`` target attached as ``$defs``."""
        if self.defs:
            return {**schema, "$defs": {**schema.get("$defs", {}), **self.defs}}
        return schema

    def convert(self, schema: Any) -> JsonSchema:
        """Return one schema converted (refs become ``#/$defs/...`` pointers into :attr:`defs`)."""
        if isinstance(schema, bool):
            return schema
        if not isinstance(schema, dict):
            return True  # not a schema: the document validator reports it; accept anything here
        ref = schema.get("$ref")
        if isinstance(ref, str):
            target = {"$ref": self._ref(ref)}
            if self.oas30:
                return target
            rest = {k: v for k, v in schema.items() if k != "$ref"}
            if not rest:
                return target
            converted = self.convert(rest)
            if converted is True:
                return target
            return {"allOf": [target, converted]}
        out: dict[str, Any] = {}
        for key, value in schema.items():
            if key in _ANNOTATIONS or key.startswith("x-"):
                continue
            if key in SCHEMA_LISTS and isinstance(value, list):
                out[key] = [self.convert(item) for item in value]
            elif key in SCHEMA_MAPS and isinstance(value, dict):
                out[key] = {name: self.convert(item) for name, item in value.items()}
            elif key in SCHEMA_VALUES:
                out[key] = self.convert(value) if isinstance(value, dict | bool) else value
            elif key == "items" and isinstance(value, list):  # draft 4-7 tuple form
                out["prefixItems"] = [self.convert(item) for item in value]
            else:
                out[key] = value
        if self.oas30:
            self._oas30(out)
        _integer_range(out)
        self._read_write_only(out)
        if isinstance(schema.get("discriminator"), dict):
            self._discriminator(out, schema["discriminator"])
        return out

    def _ref(self, ref: str) -> str:
        """Return the ``$defs`` pointer standing for the local ``ref``, converting its target the first time."""
        name = self._names.get(ref)
        if name is not None:
            return f"#/$defs/{escape(name)}"
        name = ref.rsplit("/", 1)[-1] or "root"
        if name in self.defs:
            name = f"{name}_{len(self.defs)}"
        self._names[ref] = name
        self.defs[name] = True  # placeholder: a cycle reaching it again gets the pointer
        self.defs[name] = self.convert(self._follow(ref))
        return f"#/$defs/{escape(name)}"

    def _follow(self, ref: str) -> Any:
        address, _, fragment = ref.partition("#")
        if address:
            return True  # an external ref the loader could not inline: accept anything there
        node = self.root
        try:
            for token in parse_pointer(fragment):
                node = node[int(token)] if isinstance(node, list) else node[token]
        except (KeyError, IndexError, ValueError, TypeError):
            return True
        return node

    def _oas30(self, out: dict[str, Any]) -> None:
        for key, bound in (("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")):
            flag = out.get(key)
            if isinstance(flag, bool):
                del out[key]
                if flag and bound in out:
                    out[key] = out.pop(bound)
        if out.pop("nullable", False) is True:
            kind = out.get("type")
            if isinstance(kind, str):
                out["type"] = [kind, "null"]
                if isinstance(out.get("enum"), list) and None not in out["enum"]:
                    out["enum"] = [*out["enum"], None]
            elif kind is None:
                rest = dict(out)
                out.clear()
                out["anyOf"] = [{"type": "null"}, rest]

    def _read_write_only(self, out: dict[str, Any]) -> None:
        props = out.get("properties")
        if not isinstance(props, dict):
            return
        hidden = "readOnly" if self.direction == "request" else "writeOnly"
        banned = {name for name, sub in props.items() if _flag(sub, hidden, self)}
        if not banned:
            return
        out["properties"] = {name: (False if name in banned else sub) for name, sub in props.items()}
        required = out.get("required")
        if isinstance(required, list):
            out["required"] = [name for name in required if name not in banned]

    def _discriminator(self, out: dict[str, Any], discriminator: dict[str, Any]) -> None:
        prop = discriminator.get("propertyName")
        branches = next((out[key] for key in _COMBINATORS if isinstance(out.get(key), list)), None)
        if not isinstance(prop, str) or branches is None:
            return
        mapping: dict[str, str] = {}
        raw = discriminator.get("mapping")
        if isinstance(raw, dict):
            mapping.update({str(k): str(v) for k, v in raw.items() if isinstance(v, str)})
        # Implicit mapping: the component schema named like the value (openapi-core's rule).
        for ref in _branch_refs(self, out):
            if ref.startswith("#/components/schemas/"):
                mapping.setdefault(ref.rsplit("/", 1)[-1], ref)
        if not mapping:
            return
        for key in _COMBINATORS:
            out.pop(key, None)
        rules: list[JsonSchema] = [
            {"required": [prop], "properties": {prop: {"enum": sorted(mapping)}}},
            *(
                {
                    "if": {"properties": {prop: {"const": value}}, "required": [prop]},
                    "then": {"$ref": self._ref(target if "#" in target else f"#/components/schemas/{target}")},
                }
                for value, target in sorted(mapping.items())
            ),
        ]
        out["allOf"] = [*out.get("allOf", []), *rules]
        out.setdefault("type", "object")


def _branch_refs(converter: SchemaConverter, out: dict[str, Any]) -> list[str]:
    refs = []
    reverse = {f"#/$defs/{escape(name)}": ref for ref, name in converter._names.items()}
    for key in _COMBINATORS:
        for branch in out.get(key, []) or []:
            if isinstance(branch, dict) and isinstance(branch.get("$ref"), str) and branch["$ref"] in reverse:
                refs.append(reverse[branch["$ref"]])
    return refs


#: The ranges OpenAPI's integer formats promise (openapi-core checks them as formats).
_INTEGER_RANGES = {"int32": (-(2**31), 2**31 - 1), "int64": (-(2**63), 2**63 - 1)}


def _integer_range(out: dict[str, Any]) -> None:
    """Turn `format: int32`/`int64` into the bounds it means, unless the schema states its own."""
    bounds = _INTEGER_RANGES.get(str(out.get("format")))
    if bounds is None:
        return
    if "minimum" not in out and "exclusiveMinimum" not in out:
        out["minimum"] = bounds[0]
    if "maximum" not in out and "exclusiveMaximum" not in out:
        out["maximum"] = bounds[1]


def _flag(schema: Any, keyword: str, converter: SchemaConverter, depth: int = 0) -> bool:
    """Return whether a (converted) property schema carries ``keyword: true``, through its refs."""
    if not isinstance(schema, dict) or depth > 8:
        return False
    if schema.get(keyword) is True:
        return True
    ref = schema.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/$defs/"):
        name = parse_pointer(ref[len("#/$defs") :])[0]
        return _flag(converter.defs.get(name), keyword, converter, depth + 1)
    allof = schema.get("allOf")
    return isinstance(allof, list) and any(_flag(sub, keyword, converter, depth + 1) for sub in allof)
