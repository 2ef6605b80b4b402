"""One change in a shared schema is one change: found in every operation it reaches, reported once with them.

The engine reports a finding per operation (``--fail-on`` and the ignores file work per operation) and gives
each the same ``change`` text, said at the schema where the change happened; reporters group by it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from contractkit.breaking import diff_documents
from contractkit.breaking.changelog import Changelog
from contractkit.cli.app import app
from contractkit.loaders import FileStore, open_document

# `Status` reaches three operations by three paths: a body property, an array item's property, a query parameter.
BASE = """\
openapi: 3.1.0
info: {title: Orders, version: 1.0.0}
paths:
  /orders:
    post:
      requestBody:
        content:
          application/json:
            schema:
              type: object
              properties:
                status: {$ref: '#/components/schemas/Status'}
      responses:
        '204': {description: created}
    get:
      parameters:
        - {name: status, in: query, schema: {$ref: '#/components/schemas/Status'}}
      responses:
        '200': {description: the orders}
  /orders/bulk:
    put:
      requestBody:
        content:
          application/json:
            schema:
              type: object
              properties:
                items:
                  type: array
                  items: {type: object, properties: {status: {$ref: '#/components/schemas/Status'}}}
      responses:
        '204': {description: updated}
components:
  schemas:
    Status: {type: string, enum: [open, paid, void]}
"""
REVISION = BASE.replace("enum: [open, paid, void]", "enum: [open, paid]")
ACCEPT_POST = """\
ignores:
  - rule: request-enum-value-removed
    operation: POST /orders
    reason: no partner posts `void` orders (PLAT-12)
    expires: 2099-12-31
"""
OPERATIONS = ["GET /orders", "POST /orders", "PUT /orders/bulk"]


@pytest.fixture
def pair(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "base.yaml").write_text(BASE, encoding="utf-8")
    (tmp_path / "revision.yaml").write_text(REVISION, encoding="utf-8")
    (tmp_path / "catalog.yaml").write_text("version: 1\ncontracts: []\nbreaking: {policies: {versioning: false}}\n")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code != 70, result.stderr
    return result.exit_code, result.stdout


def test_the_engine_reports_each_operation_and_one_change(pair: Path) -> None:
    store = FileStore()
    findings = diff_documents(
        open_document(pair / "base.yaml", store=store), open_document(pair / "revision.yaml", store=store)
    )
    assert sorted(f.operation or "" for f in findings) == OPERATIONS
    assert {f.change for f in findings} == {'enum value(s) `"void"` removed from `Status`'}
    assert {f.location.pointer for f in findings} == {"/components/schemas/Status"}
    # each operation still says where the change reaches it
    assert sorted(f.message for f in findings) == [
        'enum value(s) `"void"` removed from `items[].status` in the request body `application/json`',
        'enum value(s) `"void"` removed from `status` in the request body `application/json`',
        'enum value(s) `"void"` removed from the query parameter `status`',
    ]
    (change,) = Changelog.of(findings).changes
    assert change.operations == tuple(OPERATIONS)


@pytest.mark.parametrize(
    ("ignores", "code", "counts"),
    [
        pytest.param(None, 1, [(None, 3)], id="no-ignore"),
        # the ignore entry accepts POST /orders only: the two other operations still break
        pytest.param(ACCEPT_POST, 1, [(None, 2), ("no partner posts `void` orders (PLAT-12)", 1)], id="one-operation"),
    ],
)
def test_ignores_and_fail_on_work_per_operation(
    pair: Path, ignores: str | None, code: int, counts: list[tuple[str | None, int]]
) -> None:
    args = ["breaking", "base.yaml", "revision.yaml", "-f", "json"]
    if ignores is not None:
        (pair / "ignores.yaml").write_text(ignores, encoding="utf-8")
        args += ["--ignores", "ignores.yaml"]
    got, out = run(*args)
    assert got == code
    data = json.loads(out)
    assert [(c["accepted"], c["count"]) for c in data["changes"]] == counts
    assert data["summary"]["breaking"] == 1
    assert data["summary"]["operations"]["breaking"] == counts[0][1]
    assert run(*args[:3], "--fail-on", "error", *args[5:])[0] == code


def test_every_format_says_the_change_once(pair: Path) -> None:
    code, text = run("breaking", "base.yaml", "revision.yaml")
    assert code == 1
    assert text.count("request-enum-value-removed") == 1
    assert "in 3 operations: GET /orders, POST /orders, PUT /orders/bulk" in text
    assert text.rstrip().endswith("1 breaking (in 3 operations) · 0 possibly breaking · 0 compatible in 1 contract")
    _, markdown = run("changelog", "base.yaml", "revision.yaml", "-f", "markdown")
    row = next(line for line in markdown.splitlines() if "request-enum-value-removed" in line)
    assert "removed from `Status`" in row
    assert "3: `GET /orders`, `POST /orders`, `PUT /orders/bulk`" in row
    _, changelog = run("changelog", "base.yaml", "revision.yaml")
    assert changelog.count("request-enum-value-removed") == 1


DOCS = Path(__file__).parents[2] / "docs" / "breaking.md"
DOCS_COMMAND = "$ contractkit breaking base.yaml revision.yaml     # `Status` lost `void`; three operations reach it"


def test_the_docs_sample_is_what_the_command_prints(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # docs/breaking.md "One change, every operation it reaches": this pair, with the version bumped, no catalog
    (tmp_path / "base.yaml").write_text(BASE, encoding="utf-8")
    bumped = REVISION.replace("version: 1.0.0", "version: 2.0.0")
    (tmp_path / "revision.yaml").write_text(bumped, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    text = DOCS.read_text(encoding="utf-8")
    start = text.index(DOCS_COMMAND + "\n") + len(DOCS_COMMAND) + 1
    sample = text[start : text.index("```", start)]
    code, out = run("breaking", "base.yaml", "revision.yaml")
    assert code == 1
    assert out == sample
