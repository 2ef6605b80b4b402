"""Diff every AsyncAPI 2.6 example of the shared corpus against its 3.0 twin; compare with a reviewed golden.

The AsyncAPI specification ships the same examples in 2.6 (``asyncapi/v2.6/<name>.yml``) and in 3.0
(``asyncapi/v3.0/<name>-asyncapi.yml``), plus a multi-file ``social-media/`` set (``<service>/asyncapi.yaml``
beside a shared ``common/``). A faithful upgrade would diff clean, but the examples were also edited between
the two releases, so some findings are right. ``tests/data/asyncapi_corpus_diff.txt`` lists every finding per
pair (2.6 as the base, 3.0 as the revision), with the revision ``file:line`` relative to ``asyncapi/``; its
header holds the reviewed verdict on each pair. Regenerate the finding lines with
``pytest tests/breaking/test_asyncapi_corpus.py --update-goldens`` (the header is kept) and review the diff.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from contractkit.breaking import diff_documents
from contractkit.findings import Finding
from contractkit.loaders import FileStore, open_document

CORPUS = Path(__file__).parents[2].parent / "shared" / "corpus" / "asyncapi"
GOLDEN = Path(__file__).parents[1] / "data" / "asyncapi_corpus_diff.txt"
PAIR_LINE = "== "


def pairs() -> list[tuple[str, str]]:
    """Return (2.6 path, 3.0 path) relative to the corpus's ``asyncapi/``, for every example in both versions."""
    found = []
    for old in sorted((CORPUS / "v2.6").glob("*.yml")):
        new = CORPUS / "v3.0" / f"{old.stem}-asyncapi.yml"
        if new.exists():
            found.append((f"v2.6/{old.name}", f"v3.0/{new.name}"))
    for old in sorted((CORPUS / "v2.6" / "social-media").glob("*/asyncapi.yaml")):
        service = old.parent.name
        new = CORPUS / "v3.0" / "social-media" / service / "asyncapi.yaml"
        if new.exists():
            found.append((f"v2.6/social-media/{service}/asyncapi.yaml", f"v3.0/social-media/{service}/asyncapi.yaml"))
    return found


def findings_of(old: str, new: str) -> list[Finding]:
    store = FileStore()
    base = open_document(CORPUS / old, store=store, root_dir=(CORPUS / old).parents[1])
    revision = open_document(CORPUS / new, store=store, root_dir=(CORPUS / new).parents[1])
    return diff_documents(base, revision)


def line_of(finding: Finding) -> str:
    real = CORPUS.resolve()  # the loader resolves symlinks (shared/ may be one)
    where = Path(finding.location.file).resolve().relative_to(real).as_posix()
    message = " ".join(finding.message.split())
    return (
        f"{finding.severity.value:<7} {finding.rule_id} | {finding.operation or '-'} | {message} | "
        f"{where}:{finding.location.line}"
    )


def render(old: str, new: str) -> str:
    findings = findings_of(old, new)
    lines = sorted((-f.severity.rank, line_of(f)) for f in findings)
    return f"{PAIR_LINE}{old} -> {new} ({len(findings)} findings)\n" + "".join(text + "\n" for _, text in lines)


def split_golden(text: str) -> tuple[str, dict[str, str]]:
    """Return the golden's comment header and, per pair (its ``== `` line), that pair's block."""
    header = "".join(line for line in text.splitlines(keepends=True) if line.startswith("#"))
    blocks: dict[str, str] = {}
    current = ""
    for line in text.splitlines(keepends=True):
        if line.startswith("#") or not line.strip():
            continue
        if line.startswith(PAIR_LINE):
            current = line.split(" (", 1)[0]
            blocks[current] = ""
        blocks[current] += line
    return header, blocks


def params() -> list[object]:
    if not CORPUS.is_dir():
        return [pytest.param("", "", id="no-corpus", marks=pytest.mark.skip(reason=f"no shared corpus at {CORPUS}"))]
    return [pytest.param(old, new, id=old.removeprefix("v2.6/")) for old, new in pairs()]


@pytest.mark.parametrize(("old", "new"), params())
def test_corpus_pair_findings_match_the_reviewed_golden(old: str, new: str, update_goldens: bool) -> None:
    actual = render(old, new)
    key = actual.split(" (", 1)[0]
    text = GOLDEN.read_text(encoding="utf-8") if GOLDEN.exists() else ""
    header, blocks = split_golden(text)
    if update_goldens:
        blocks[key] = actual
        body = "\n".join(blocks[k] for k in sorted(blocks))
        GOLDEN.write_text(header + "\n" + body, encoding="utf-8")
        return
    assert key in blocks, f"no block for {key} in {GOLDEN.name}: run with --update-goldens and review it"
    assert actual == blocks[key]


@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"no shared corpus at {CORPUS}")
def test_every_pair_has_a_block_and_no_block_is_stale() -> None:
    _, blocks = split_golden(GOLDEN.read_text(encoding="utf-8"))
    assert set(blocks) == {f"{PAIR_LINE}{old} -> {new}" for old, new in pairs()}
    assert len(pairs()) == 21  # 16 single-file examples + 5 social-media services: a pairing rule that drifts shows
