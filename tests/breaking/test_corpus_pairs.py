"""Diff every real version pair of the shared corpus and compare the findings with a reviewed golden file.

``tests/data/breaking_pairs/<pair>.txt`` holds one line per finding of ``diff_documents(base, revision)``:
level, rule id, operation, message and the revision ``file:line`` it points at (relative to the pair's
folder), errors first, then sorted. A verdict that changes is a behaviour change of the engine: regenerate
with ``pytest tests/breaking/test_corpus_pairs.py --update-goldens`` and review the diff like code (the
hand-checked findings are listed in each file's header, and must not change without a reason).

The pairs are real histories (see ../shared/corpus/SOURCES.md): Twilio's 2010 API (a year, 1.5 MB per
side), Twilio Conversations (two years), Box (18 months, JSON, allOf-heavy), Redocly's museum (OAS 3.1) and
DigitalOcean (~2,300 files per side joined by relative ``$ref``s, loaded with its ``base/`` and ``revision/``
folders as roots). All but the museum are marked ``slow``; ``-m "not slow"`` leaves them out.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from contractkit.breaking import diff_documents
from contractkit.findings import Finding
from contractkit.loaders import FileStore, open_document

PAIRS = Path(__file__).parents[2].parent / "shared" / "corpus" / "pairs"
GOLDENS = Path(__file__).parents[1] / "data" / "breaking_pairs"
# pair -> (base, revision) relative to the pair folder; the root dir of each side is its file's folder.
SIDES = {
    "box": ("base.json", "revision.json"),
    "digitalocean": ("base/DigitalOcean-public.v2.yaml", "revision/DigitalOcean-public.v2.yaml"),
    "museum": ("base.yaml", "revision.yaml"),
    "twilio_api_v2010": ("base.yaml", "revision.yaml"),
    "twilio_conversations_v1": ("base.yaml", "revision.yaml"),
}
SLOW = {"box", "digitalocean", "twilio_api_v2010", "twilio_conversations_v1"}
HEADER = """\
# Findings of `diff_documents` on the corpus pair `pairs/{pair}` ({count} findings).
# <level> <rule id> | <operation> | <message> | <revision file>:<line>   (errors first, then sorted)
# Regenerate: pytest tests/breaking/test_corpus_pairs.py --update-goldens  (then review the diff)
"""


def params() -> list[object]:
    if not PAIRS.is_dir():
        reason = f"the shared corpus is not at {PAIRS}"
        return [pytest.param("", id="no-corpus", marks=pytest.mark.skip(reason=reason))]
    return [pytest.param(pair, id=pair, marks=[pytest.mark.slow] if pair in SLOW else []) for pair in sorted(SIDES)]


def findings_of(pair: str) -> list[Finding]:
    base, revision = (PAIRS / pair / side for side in SIDES[pair])
    store = FileStore()
    return diff_documents(
        open_document(base, store=store, root_dir=base.parent),
        open_document(revision, store=store, root_dir=revision.parent),
    )


def line_of(finding: Finding, folder: Path) -> str:
    where = Path(finding.location.file)
    if not where.is_absolute():
        where = Path.cwd() / where
    # One finding, one line; a message that names a file by its absolute path (the engine names an unnamed
    # `$ref` variant by where it is) is made relative to the pair, so the golden does not depend on the checkout.
    real = folder.resolve()  # the loader resolves symlinks (shared/ may be one): compare resolved paths
    message = " ".join(finding.message.split()).replace(f"{folder}/", "").replace(f"{real}/", "")
    return (
        f"{finding.severity.value:<7} {finding.rule_id} | {finding.operation or '-'} | {message} | "
        f"{where.resolve().relative_to(real).as_posix()}:{finding.location.line}"
    )


def render(pair: str, findings: list[Finding]) -> str:
    folder = PAIRS / pair
    lines = sorted((-f.severity.rank, line_of(f, folder)) for f in findings)
    return "".join(text + "\n" for _, text in lines)


def split_golden(text: str) -> tuple[str, str]:
    """Return the golden file's header (comments, kept on update) and its finding lines."""
    lines = text.splitlines(keepends=True)
    head = [line for line in lines if line.startswith("#")]
    body = [line for line in lines if not line.startswith("#") and line.strip()]
    return "".join(head), "".join(body)


def reviewed_notes(header: str) -> str:
    """Return the hand-written part of a header: everything after the generated lines."""
    generated = HEADER.count("\n")
    return "".join(header.splitlines(keepends=True)[generated:])


@pytest.mark.parametrize("pair", params())
def test_pair_findings_match_the_reviewed_golden(pair: str, update_goldens: bool) -> None:
    golden = GOLDENS / f"{pair}.txt"
    actual = render(pair, findings_of(pair))
    if update_goldens:
        notes = reviewed_notes(split_golden(golden.read_text(encoding="utf-8"))[0]) if golden.exists() else ""
        header = HEADER.format(pair=pair, count=actual.count("\n"))
        GOLDENS.mkdir(parents=True, exist_ok=True)
        golden.write_text(header + notes + actual, encoding="utf-8")
        return
    assert golden.exists(), f"no {golden.name}: run with --update-goldens and review it"
    assert actual == split_golden(golden.read_text(encoding="utf-8"))[1]


@pytest.mark.skipif(not PAIRS.is_dir(), reason=f"the shared corpus is not at {PAIRS}")
def test_every_pair_has_a_golden_and_no_golden_is_stale() -> None:
    assert {p.name for p in PAIRS.iterdir() if p.is_dir()} == set(SIDES)
    assert {p.stem for p in GOLDENS.glob("*.txt")} == set(SIDES)
