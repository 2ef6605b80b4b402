"""Validate every real contract of the shared corpus and compare the verdicts with a reviewed golden file.

``tests/data/corpus_validation.txt`` holds one line per spec: its path relative to the corpus, then ``ok`` or
the rule ids of its findings with their counts (``ref-unresolved=2``), sorted. Regenerate it with
``pytest tests/validate/test_corpus.py --update-goldens`` and review the diff like code: a verdict that
changes is a behaviour change of the loader or the validators.

The large specs (Box, Twilio, the 2,900-file DigitalOcean tree) are marked ``slow``; they run by default
(about 15 s of the 17 s), and ``-m "not slow"`` leaves them out.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from contractkit.loaders import load_document
from contractkit.validate import validate_document

CORPUS = Path(__file__).parents[2].parent / "shared" / "corpus"
GOLDEN = Path(__file__).parents[1] / "data" / "corpus_validation.txt"
DIGITALOCEAN = Path("pairs/digitalocean/revision/DigitalOcean-public.v2.yaml")
SLOW = {
    "openapi/box.json",
    "openapi/twilio_api_v2010.yaml",
    "openapi/twilio_conversations_v1.yaml",
    "openapi/twilio_taskrouter_v1.yaml",
    DIGITALOCEAN.as_posix(),
}
HEADER = """\
# Expected `validate_document` verdict for each spec of /work/shared/corpus (see tests/validate/test_corpus.py).
# <path relative to the corpus>  ok | <rule-id>=<count> ...
# Regenerate: pytest tests/validate/test_corpus.py --update-goldens  (then review the diff)
#
# Reviewed failures:
# - asyncapi/v3.0/adeo-kafka-request-reply-asyncapi.yml: its two Avro payload schemas are remote `$ref`s to
#   https://www.asyncapi.com/resources/casestudies/adeo/*.avsc (lines 174 and 204), refused without
#   --allow-remote-refs.
# DigitalOcean is `ok` by choice: its `$ref` where OAS wants a string (tags[0].description ->
# description.yml#/introduction) points to another file, and external refs are inlined before validation.
"""


def discover() -> list[tuple[str, Path, Path]]:
    """Return (path relative to the corpus, spec, root dir) for every root spec of the corpus."""
    specs: list[tuple[Path, Path]] = []
    specs += [(p, p.parent) for p in sorted((CORPUS / "openapi").glob("*")) if p.suffix in (".yaml", ".yml", ".json")]
    asyncapi = CORPUS / "asyncapi"
    for version in ("v2.6", "v3.0"):
        specs += [(p, asyncapi) for p in sorted((asyncapi / version).glob("*.y*ml"))]
        specs += [(p, asyncapi) for p in sorted((asyncapi / version).glob("social-media/*/asyncapi.yaml"))]
    digitalocean = CORPUS / DIGITALOCEAN
    specs.append((digitalocean, digitalocean.parent))
    return [(p.relative_to(CORPUS).as_posix(), p, root) for p, root in specs]


def params() -> list[object]:
    if not CORPUS.is_dir():
        reason = f"the shared corpus is not at {CORPUS}"
        return [pytest.param("", Path(), Path(), id="no-corpus", marks=pytest.mark.skip(reason=reason))]
    return [
        pytest.param(name, path, root, id=name, marks=[pytest.mark.slow] if name in SLOW else [])
        for name, path, root in discover()
    ]


def verdict(path: Path, root: Path) -> str:
    findings = validate_document(load_document(path, root_dir=root))
    counts = Counter(f.rule_id for f in findings)
    return " ".join(f"{rule}={count}" for rule, count in sorted(counts.items())) or "ok"


def read_golden() -> dict[str, str]:
    if not GOLDEN.exists():
        return {}
    entries = {}
    for line in GOLDEN.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, result = line.split(maxsplit=1)
            entries[name] = result
    return entries


def write_golden(entries: dict[str, str]) -> None:
    width = max(len(name) for name in entries)
    lines = [f"{name:<{width}}  {entries[name]}" for name in sorted(entries)]
    GOLDEN.parent.mkdir(parents=True, exist_ok=True)
    GOLDEN.write_text(HEADER + "\n" + "\n".join(lines) + "\n", encoding="utf-8")


@pytest.mark.parametrize(("name", "path", "root"), params())
def test_corpus_spec_verdict(name: str, path: Path, root: Path, update_goldens: bool) -> None:
    got = verdict(path, root)
    if update_goldens:
        entries = read_golden()
        entries[name] = got
        write_golden(entries)
        return
    expected = read_golden().get(name)
    assert expected is not None, f"{name} is not in {GOLDEN.name}: run with --update-goldens and review"
    assert got == expected


@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"the shared corpus is not at {CORPUS}")
def test_the_golden_file_lists_exactly_the_corpus(update_goldens: bool) -> None:
    names = {name for name, _, _ in discover()}
    entries = read_golden()
    if update_goldens:
        write_golden({name: result for name, result in entries.items() if name in names})
        return
    assert set(entries) == names
    assert len(names) == 51  # 5 OpenAPI files, 21 AsyncAPI 2.6 and 24 AsyncAPI 3.0 roots, DigitalOcean


@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"the shared corpus is not at {CORPUS}")
def test_adeo_remote_refs_are_reported_where_they_are() -> None:
    path = CORPUS / "asyncapi/v3.0/adeo-kafka-request-reply-asyncapi.yml"
    findings = validate_document(load_document(path, root_dir=CORPUS / "asyncapi"))
    got = sorted((f.rule_id, f.location.line, f.location.column, f.message) for f in findings)
    base = "https://www.asyncapi.com/resources/casestudies/adeo"
    assert got == [
        (
            "ref-unresolved",
            174,
            11,
            f"cannot follow `$ref: {base}/CostingRequestPayload.avsc`: remote references are refused",
        ),
        (
            "ref-unresolved",
            204,
            11,
            f"cannot follow `$ref: {base}/CostingResponsePayload.avsc`: remote references are refused",
        ),
    ]
    assert all(Path(f.location.file).name == path.name for f in findings)
