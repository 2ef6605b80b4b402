"""Structural validation of AsyncAPI 2.x, 3.0 and 3.1 against the official JSON Schemas (vendored), located."""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import cache
from importlib import resources
from typing import Any

import jsonschema

from contractkit.findings import Location
from contractkit.loaders.document import Document
from contractkit.spec.flatten import inline_external
from contractkit.validate.openapi import meta_problems

# The schema each declared version is checked against. 2.x documents before 2.6 are checked as 2.6, which
# accepts them (2.6 only added fields); 3.0.x patch versions share 3.0.0.
_SCHEMAS = {"2": "2.6.0.json", "3.0": "3.0.0.json", "3.1": "3.1.0.json"}


def structure_problems(doc: Document, *, follow_refs: bool = True) -> Iterator[tuple[str, Location]]:
    """Yield (message, location) for every way ``doc`` breaks the AsyncAPI specification.

    External ``$ref``s are inlined first, so a message or schema from a shared file is checked where it is
    used; each problem is located in the file it comes from.
    """
    version = doc.spec.version
    line = "2" if version.startswith("2.") else doc.spec.major_minor
    schema_name = _SCHEMAS[line]
    data = inline_external(doc) if follow_refs else doc.root.data
    if isinstance(data, dict):
        # Each schema pins `asyncapi` to its own x.y.0; patch releases (and 2.x before 2.6) are valid under it.
        data = {**data, "asyncapi": schema_name.removesuffix(".json")}
    try:
        yield from meta_problems(doc, _validator(schema_name).iter_errors(data))
    except RecursionError:
        yield "the document nests too deeply for the AsyncAPI schema's validator", doc.root.location(())


@cache
def _validator(name: str) -> Any:
    text = resources.files("contractkit.schemas.asyncapi").joinpath(name).read_text(encoding="utf-8")
    schema = json.loads(text)
    return jsonschema.Draft7Validator(schema, format_checker=None)
