"""Payload schema rules: every OpenAPI body case, replayed as an AsyncAPI 2.6 and 3.0 message, judges the same.

A request body is written by clients and read by the API: in AsyncAPI that is a message the application
*receives*. A response is read by clients: a message the application *sends*. So each case of
tests/breaking/cases/ whose change is in a JSON request or response body becomes a pair of AsyncAPI documents
(2.6 and 3.0) with the body's schema as a message payload on a `receive` (2.6 `publish`) or `send` (2.6
`subscribe`) operation, and must produce the same findings, rule ids renamed (``request-X`` ->
``received-message-X``, ``response-X`` -> ``sent-message-X``). OpenAPI 3.0 cases keep their 3.0 semantics
(`nullable`, boolean exclusive bounds) through the payload's `schemaFormat`.

The near misses replay too, so every renamed rule has a firing and a silent pair in both AsyncAPI versions
(checked by the last test).
"""

from __future__ import annotations

import json
import shutil
from collections import Counter
from functools import cache
from pathlib import Path

import pytest
import yaml

from contractkit.breaking import diff_documents
from contractkit.breaking.asyncapi.messages import schema_rules
from contractkit.loaders import FileStore, open_document
from tests.cases import case_dirs, is_silent, rule_of, side

CASES = Path(__file__).parent / "cases"
ASYNCAPI_VERSIONS = ("2.6.0", "3.0.0")
OAS30_FORMAT = "application/vnd.oai.openapi;version=3.0.0"


def _load(path: Path) -> dict:
    # JSON with json: PyYAML's pure loader splits a surrogate-pair escape into two lone surrogates.
    data = json.loads(path.read_text()) if path.suffix == ".json" else yaml.safe_load(path.read_text())
    assert isinstance(data, dict)
    return data


def _body(operation: dict, request: bool) -> tuple[str, dict] | None:
    """Return (where, schema) of the operation's JSON request body, or of its first JSON response."""
    if request:
        content = (operation.get("requestBody") or {}).get("content") or {}
        schema = (content.get("application/json") or {}).get("schema")
        return ("the request body `application/json`", schema) if isinstance(schema, dict) else None
    for status, response in (operation.get("responses") or {}).items():
        content = (response or {}).get("content") or {}
        schema = (content.get("application/json") or {}).get("schema")
        if isinstance(schema, dict):
            return f"the response `{status}` `application/json`", schema
    return None


def _only_operation(data: dict) -> dict | None:
    operations = [op for item in (data.get("paths") or {}).values() for op in item.values() if isinstance(op, dict)]
    return operations[0] if len(operations) == 1 else None


def _message_doc(openapi: dict, schema: dict, request: bool, version: str) -> dict:
    oas30 = str(openapi["openapi"]).startswith("3.0")
    components = {"schemas": (openapi.get("components") or {}).get("schemas") or {}}
    if version.startswith("2."):
        message: dict = {"name": "item", "payload": schema}
        if oas30:
            message["schemaFormat"] = OAS30_FORMAT
        verb = "publish" if request else "subscribe"
        return {
            "asyncapi": version,
            "info": {"title": "case", "version": "1.0.0"},
            "channels": {"items": {verb: {"operationId": "items", "message": message}}},
            "components": components,
        }
    payload = {"schemaFormat": OAS30_FORMAT, "schema": schema} if oas30 else schema
    return {
        "asyncapi": version,
        "info": {"title": "case", "version": "1.0.0"},
        "channels": {"items": {"address": "items", "messages": {"item": {"name": "item", "payload": payload}}}},
        "operations": {
            "items": {
                "action": "receive" if request else "send",
                "channel": {"$ref": "#/channels/items"},
                "messages": [{"$ref": "#/channels/items/messages/item"}],
            }
        },
        "components": components,
    }


@cache
def body_cases() -> list[tuple[Path, bool]]:
    """Return the OpenAPI cases of schema rules whose change is in the only operation's JSON body."""
    renamed = schema_rules()
    found = []
    for case in case_dirs(CASES):
        rule = rule_of(case)
        if rule not in renamed:
            continue
        request = rule.startswith("request-")
        sides = [_load(side(case, stem)) for stem in ("base", "revision")]
        operations = [_only_operation(doc) for doc in sides]
        if any(op is None or _body(op, request) is None for op in operations):
            continue
        found.append((case, request))
    return found


def _openapi_findings(case: Path, where: str) -> Counter[tuple[str, str, str]]:
    store = FileStore()
    base = open_document(side(case, "base"), store=store, root_dir=case)
    revision = open_document(side(case, "revision"), store=store, root_dir=case)
    renamed = schema_rules()
    return Counter(
        (renamed[f.rule_id].id, f.severity.value, f.message.replace(where, "<where>"))
        for f in diff_documents(base, revision)
        if f.rule_id in renamed and where in f.message
    )


def _asyncapi_findings(case: Path, request: bool, version: str, tmp: Path) -> Counter[tuple[str, str, str]]:
    folder = tmp / f"{case.name}-{version}"
    shutil.copytree(case, folder)
    paths = []
    for stem in ("base", "revision"):
        openapi = _load(side(case, stem))
        operation = _only_operation(openapi)
        assert operation is not None
        body = _body(operation, request)
        assert body is not None
        path = folder / f"async-{stem}.yaml"
        path.write_text(yaml.safe_dump(_message_doc(openapi, body[1], request, version), sort_keys=False))
        paths.append(path)
    store = FileStore()
    base, revision = (open_document(p, store=store, root_dir=folder) for p in paths)
    where = "the payload of message `item`"
    return Counter(
        (f.rule_id, f.severity.value, f.message.replace(where, "<where>")) for f in diff_documents(base, revision)
    )


@pytest.mark.parametrize("version", ASYNCAPI_VERSIONS)
@pytest.mark.parametrize(("case", "request_side"), body_cases(), ids=[c.name for c, _ in body_cases()])
def test_message_payload_judged_like_the_body(case: Path, request_side: bool, version: str, tmp_path: Path) -> None:
    openapi = _load(side(case, "base"))
    operation = _only_operation(openapi)
    assert operation is not None
    body = _body(operation, request_side)
    assert body is not None
    expected = _openapi_findings(case, body[0])
    actual = _asyncapi_findings(case, request_side, version, tmp_path)
    assert actual == expected


def test_every_renamed_rule_fires_and_stays_silent() -> None:
    """Each ``received-message-*``/``sent-message-*`` rule has a firing and a near-miss replayed case."""
    have: set[tuple[str, bool]] = set()
    for case, _ in body_cases():
        have.add((rule_of(case), is_silent(case)))
    missing = [
        f"{rule} ({'silent' if silent else 'firing'})"
        for rule in schema_rules()
        for silent in (False, True)
        if (rule, silent) not in have
    ]
    assert not missing, "schema rules with no replayable body case:\n" + "\n".join(missing)
