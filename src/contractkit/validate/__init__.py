"""Structural validation: `$ref`s, then the OpenAPI (openapi-spec-validator) or AsyncAPI (JSON Schema) spec."""

from contractkit.validate.engine import validate_document

__all__ = ["validate_document"]
