"""Where a JSON Schema (2020-12, and the OpenAPI/AsyncAPI dialects of it) holds other schemas.

One table for every walk over schemas (the runtime's converter, the bundler's placement of refs).
"""

from __future__ import annotations

#: Keywords whose value is a list of schemas.
SCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")
#: Keywords whose value maps names to schemas.
SCHEMA_MAPS = ("properties", "patternProperties", "$defs", "definitions", "dependentSchemas")
#: Keywords whose value is one schema.
SCHEMA_VALUES = (
    "items",
    "additionalItems",
    "additionalProperties",
    "not",
    "if",
    "then",
    "else",
    "contains",
    "propertyNames",
    "unevaluatedItems",
    "unevaluatedProperties",
    "contentSchema",
)
