"""Bundling: a multi-file contract becomes one self-contained document (``contractkit bundle``, ``package``).

Every ``$ref`` that leaves the root file is rewritten to a local one, and its target is copied once into the
``components`` section that holds its kind of object (a schema into ``components/schemas``, a parameter into
``components/parameters``, an AsyncAPI message into ``components/messages``...), under its own name (the
pointer's last segment: ``common/money.yaml#/Money`` becomes ``#/components/schemas/Money``). Local refs stay
as they are, so recursion survives: a recursive external schema becomes a recursive component. What no
``components`` section can hold (a string, an operation, an OpenAPI 3.0 path item) is copied in place.

The walk is the contract model's one ``$ref`` flattener, :mod:`contractkit.spec.flatten`, in its hoisting mode
(:func:`bundle_document` lives there, and is importable from here); this module finds the contract
(:func:`bundle_contract`) and writes the bundle (:func:`dump_bundle`). Unlike
:func:`contractkit.spec.flatten.inline_external` (the same walk copying every target in place, for validation),
the bundle keeps references, so it can be read by tools and by people as the contract it is.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Literal

import yaml

from contractkit.loaders.document import load_document
from contractkit.loaders.limits import Limits
from contractkit.loaders.types import JsonObject, JsonValue
from contractkit.spec.flatten import bundle_document
from contractkit.targets import find_catalog, resolve

__all__ = ["BundleFormat", "bundle_contract", "bundle_document", "dump_bundle"]

BundleFormat = Literal["json", "yaml"]


def bundle_contract(
    argument: str,
    *,
    catalog: Path | None = None,
    root: Path | None = None,
    max_bytes: int | None = None,
    allow_remote_refs: bool = False,
) -> JsonObject:
    """Return the bundle of one contract, named by its catalog id, its file, or its folder.

    Args:
        argument: a contract id of the catalog, a contract file, or a folder holding exactly one catalog contract.
        catalog: the catalog file (default: found from the working directory).
        root: for a file outside the catalog, the folder its refs may not leave.
        max_bytes: override of the loader's size limit.
        allow_remote_refs: allow ``http(s)://`` refs.

    Raises:
        UsageError: the argument names more than one contract.
        InputError: the contract cannot be found, read, or its refs followed.
    """
    target = resolve(argument, find_catalog(catalog), root=root)
    limits = (target.catalog.limits if target.catalog is not None else Limits()).overridden(
        max_bytes=max_bytes, allow_remote=allow_remote_refs
    )
    return bundle_document(load_document(target.path, root_dir=target.root_dir, limits=limits))


def dump_bundle(data: JsonValue, format: BundleFormat = "json") -> str:
    """Return ``data`` as text: JSON indented by 2, or block-style YAML; in the mapping's order, newline-ended."""
    if format == "yaml":
        return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, default_flow_style=False, width=120)
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
