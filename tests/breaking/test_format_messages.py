"""A `format` change names both formats, also a size format that bounds nothing (`double`)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from contractkit.breaking.engine import diff_documents
from contractkit.loaders import FileStore, open_document


def contract(schema: dict[str, object]) -> dict[str, object]:
    body = {"content": {"application/json": {"schema": {"type": "object", "properties": {"price": schema}}}}}
    return {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1.0.0"},
        "paths": {"/orders": {"post": {"requestBody": body, "responses": {"204": {"description": "done"}}}}},
    }


def format_messages(tmp_path: Path, base: dict[str, object], revision: dict[str, object]) -> list[str]:
    (tmp_path / "base.yaml").write_text(yaml.safe_dump(contract(base)), encoding="utf-8")
    (tmp_path / "revision.yaml").write_text(yaml.safe_dump(contract(revision)), encoding="utf-8")
    store = FileStore()
    findings = diff_documents(
        open_document(tmp_path / "base.yaml", store=store), open_document(tmp_path / "revision.yaml", store=store)
    )
    return [f"{f.rule_id}: {f.message}" for f in findings if "format" in f.rule_id]


WHERE = "`price` in the request body `application/json`"


@pytest.mark.parametrize(
    ("base", "revision", "expected"),
    [
        pytest.param(
            {"type": "number", "format": "double"},
            {"type": "number", "format": "float"},
            [f"request-format-changed: `format` of {WHERE} changed from `double` to `float`"],
            id="double-to-float-names-double",
        ),
        pytest.param(
            {"type": "number"},
            {"type": "number", "format": "float"},
            [f"request-format-changed: `format` of {WHERE} changed from none to `float`"],
            id="no-format-to-float",
        ),
        pytest.param(
            {"type": "integer"},
            {"type": "integer", "format": "int32"},
            [f"request-format-changed: `format` of {WHERE} changed from none to `int32`"],
            id="no-format-to-int32",
        ),
        pytest.param(
            {"type": "string", "format": "date"},
            {"type": "string", "format": "date-time"},
            [f"request-format-changed: `format` of {WHERE} changed from `date` to `date-time`"],
            id="string-formats",
        ),
        pytest.param(
            {"type": "number", "format": "float"}, {"type": "number", "format": "double"}, [], id="float-to-double"
        ),
    ],
)
def test_a_format_change_names_both_formats(
    base: dict[str, object], revision: dict[str, object], expected: list[str], tmp_path: Path
) -> None:
    assert format_messages(tmp_path, base, revision) == expected
