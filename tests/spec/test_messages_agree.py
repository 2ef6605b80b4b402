"""Lint's walk, the AsyncAPI view, the breaking model and codegen see the same messages (issue 16).

Each reads AsyncAPI messages for its own purpose (lint through `spec.walk`; the messaging runtime, breaking's model
and codegen through the view of `spec.asyncapi`), and all apply message traits through `spec.traits`. Before,
lint's walk ignored traits: a `name` or `headers` given by a trait was linted as missing while the breaking check
diffed it and the runtime validated against it.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import pytest

from contractkit.breaking.asyncapi.model import read_model
from contractkit.codegen import asyncapi as codegen_asyncapi
from contractkit.codegen.schemas import SchemaSet
from contractkit.loaders import FileStore, open_document
from contractkit.loaders.document import Cursor, Document
from contractkit.spec.asyncapi import Message as ViewMessage
from contractkit.spec.asyncapi import read_asyncapi
from contractkit.spec.walk import messages

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT.parent / "shared" / "corpus" / "asyncapi"
LINT_CASES = ROOT / "tests" / "lint" / "cases"
Identity = tuple[str, tuple[str, ...]]


class Seen(NamedTuple):
    """What a reader sees of one message: its `name` (``None``: no opinion), header names, whether it has a payload."""

    name: str | None
    headers: tuple[str, ...] | None
    payload: bool


def _schema(node: Cursor | None) -> Cursor | None:
    if node is not None and isinstance(node.value, dict) and "schemaFormat" in node.value and "schema" in node.value:
        return node.get("schema")
    return node


def _keys(headers: Cursor | None) -> tuple[str, ...] | None:
    headers = _schema(headers)
    if headers is None:
        return None
    properties = headers.value.get("properties") if isinstance(headers.value, dict) else None
    return tuple(sorted(properties)) if isinstance(properties, dict) else ()


def _by_walk(doc: Document) -> dict[Identity, Seen]:
    seen = {}
    for message in messages(doc):
        name = message.raw("name")
        payload = _schema(message.cursor.get("payload")) is not None
        headers = _keys(message.get("headers"))
        seen[message.cursor.identity] = Seen(name if isinstance(name, str) else None, headers, payload)
    return seen


def _by_view(doc: Document) -> dict[Identity, Seen]:
    return {
        m.cursor.identity: Seen(m.name if m.name != m.key else None, _keys(m.headers), m.payload is not None)
        for m in read_asyncapi(doc).messages()
    }


def _by_breaking(doc: Document) -> dict[Identity, Seen]:
    model = read_model(doc)
    found = [m for channel in model.channels.values() for m in channel.messages.values()]
    found += [m for op in model.operations.values() for m in op.messages.values()]
    return {m.cursor.identity: Seen(None, _keys(m.headers), m.payload is not None) for m in found}


def _by_codegen(doc: Document, monkeypatch: pytest.MonkeyPatch) -> dict[Identity, tuple[Cursor, Seen]]:
    visited: dict[Identity, tuple[Cursor, Seen]] = {}
    original = codegen_asyncapi._message

    def record(schemas: SchemaSet, message: ViewMessage, name: str, seen: set[Identity]) -> None:
        payload, headers = codegen_asyncapi.message_schemas(message)
        cursor = message.cursor
        visited.setdefault(cursor.identity, (cursor, Seen(None, _keys(headers), payload is not None)))
        original(schemas, message, name, seen)

    with monkeypatch.context() as patch:
        patch.setattr(codegen_asyncapi, "_message", record)
        common = doc.resolver.root_dir / "common"
        codegen_asyncapi.collect_asyncapi(SchemaSet(doc, common if common.is_dir() else None))
    return visited


def _agree(a: Seen, b: Seen) -> bool:
    return (a.name is None or b.name is None or a.name == b.name) and a.headers == b.headers and a.payload == b.payload


def _contracts() -> list[object]:
    found: list[object] = [
        pytest.param(path, id=path.parent.name) for path in sorted((ROOT / "contracts").glob("*/asyncapi.yaml"))
    ]
    found += [
        pytest.param(path, id=path.parent.name) for path in sorted(LINT_CASES.glob("*traits-asyncapi-*/contract.yaml"))
    ]
    corpus = sorted(CORPUS.glob("*/*.y*ml")) if CORPUS.is_dir() else []
    found += [pytest.param(path, id=f"corpus-{path.parent.name}-{path.name}") for path in corpus]
    if not corpus:
        found.append(pytest.param(None, id="corpus", marks=pytest.mark.skip(reason="the shared corpus is absent")))
    return found


@pytest.mark.parametrize("contract", _contracts())
def test_every_reader_sees_the_same_messages(contract: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    contracts = ROOT / "contracts"
    root = contracts if contract.is_relative_to(contracts) else None
    doc = open_document(contract, store=FileStore(), root_dir=root)
    walked = _by_walk(doc)
    view, breaking = _by_view(doc), _by_breaking(doc)
    generated = _by_codegen(doc, monkeypatch)
    assert set(generated) == set(walked), "codegen and lint's walk visit other messages"
    assert set(view) <= set(walked) and set(breaking) <= set(walked)
    disagreements = []
    for identity, mine in walked.items():
        others = {"view": view.get(identity), "breaking": breaking.get(identity), "codegen": generated[identity][1]}
        codegen_payload_skipped = not others["codegen"].payload and mine.payload  # a non-JSON payload format
        for reader, theirs in others.items():
            if theirs is None:
                continue
            if reader == "codegen" and codegen_payload_skipped:
                theirs = theirs._replace(payload=True)
            if not _agree(mine, theirs):
                disagreements.append(f"{identity}: walk {mine} != {reader} {theirs}")
    assert not disagreements, "\n".join(disagreements)


def test_trait_fields_are_seen_where_they_are_written() -> None:
    contract = LINT_CASES / "message-name-missing--silent-traits-asyncapi-2" / "contract.yaml"
    doc = open_document(contract, store=FileStore())
    (message,) = messages(doc)
    assert message.cursor.raw("name") is None  # the message says nothing itself
    assert message.raw("name") == "OrderCreated"
    headers = message.get("headers")
    assert headers is not None and headers.parts == ("components", "messageTraits", "Traced", "headers")
    correlation = message.get("correlationId")
    assert correlation is not None and correlation.raw("location") == "$message.header#/correlation-id"
    assert message.raw("contentType") == "application/json"
    (viewed,) = read_asyncapi(doc).messages()
    assert (viewed.name, viewed.content_type, viewed.correlation_id) == (
        "OrderCreated",
        "application/json",
        "$message.header#/correlation-id",
    )
