"""A contract and its bundle say the same thing: `breaking` between them finds no change, either way round.

Before issue 15 every multi-file contract of `contracts/` got `version-not-bumped` "although the contract
changed" against its own bundle (the bundle writes shared schemas under `components`), and a discriminator
mapping value `'#'` became a change. The table covers every contract of the catalog, the small multi-file seed,
the corpus's multi-file sets (AsyncAPI social-media, DigitalOcean's 2,850 files) and single-file documents; the
property test takes seeded mutants of the seeds (whatever the mutation, a document that bundles equals its
bundle).
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
import yaml

from contractkit.breaking.run import BreakingOptions, compare_files
from contractkit.codegen.bundle import bundle_document, dump_bundle
from contractkit.errors import InputError
from contractkit.loaders import load_document

from ._mutants import mutate

REPO = Path(__file__).resolve().parents[2]
CORPUS = Path("/work/shared/corpus")
SEEDS = REPO / "tests" / "hostile" / "seeds"


def _contracts() -> list[tuple[Path, Path]]:
    catalog = yaml.safe_load((REPO / "contracts" / "catalog.yaml").read_text())
    return [(REPO / "contracts" / entry["path"], REPO / "contracts") for entry in catalog["contracts"]]


CASES = [
    *[pytest.param(path, root, id=f"contracts-{path.parent.name}") for path, root in _contracts()],
    pytest.param(SEEDS / "multi" / "openapi.yaml", SEEDS, id="seed-multi-file-with-mapping-to-#"),
    pytest.param(SEEDS / "openapi-3.0.yaml", SEEDS, id="seed-openapi-3.0"),
    pytest.param(SEEDS / "asyncapi-3.0.yaml", SEEDS, id="seed-asyncapi-3.0"),
    *[
        pytest.param(
            CORPUS / "asyncapi/v3.0/social-media" / name / "asyncapi.yaml",
            CORPUS / "asyncapi/v3.0/social-media",
            id=f"corpus-social-media-{name}",
        )
        for name in ("backend", "comments-service", "frontend", "notification-service", "public-api")
    ],
    pytest.param(CORPUS / "openapi/museum.yaml", CORPUS / "openapi", id="corpus-museum"),
    pytest.param(
        CORPUS / "pairs/digitalocean/revision/DigitalOcean-public.v2.yaml",
        CORPUS / "pairs/digitalocean/revision",
        id="corpus-digitalocean-2850-files",
        marks=pytest.mark.slow,
    ),
]


def _no_change(source: Path, root: Path, bundle: Path) -> list[str]:
    """Compare ``source`` with ``bundle`` both ways; return every finding, as text (none is wanted)."""
    options = BreakingOptions(root=root)
    found = []
    for base, revision in ((source, bundle), (bundle, source)):
        report = compare_files(str(base), str(revision), options, command="changelog")
        found += [f"{f.rule_id}: {f.message} ({f.location})" for f in report.findings]
        found += [str(e) for e in report.errors]
        assert [a.required for a in report.bumps] == ["none"]
    return found


@pytest.mark.parametrize(("source", "root"), CASES)
def test_a_contract_and_its_bundle_compare_equal(
    source: Path, root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not source.is_file():
        pytest.skip(f"{source} is not on this machine")
    monkeypatch.chdir(root)
    bundle = tmp_path / "bundle.yaml"  # outside every catalog: refs are free to go anywhere (root `/`)
    bundle.write_text(dump_bundle(bundle_document(load_document(source, root_dir=root.resolve())), "yaml"))
    assert _no_change(source, Path("/"), bundle) == []


@pytest.mark.parametrize("seed", range(20))
def test_a_mutant_and_its_bundle_compare_equal(seed: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Any document that bundles (whatever was mutated in it) compares equal to its bundle."""
    rng = random.Random(seed)
    folder = tmp_path / "src"
    folder.mkdir()
    for path in SEEDS.rglob("*.yaml"):
        (folder / path.relative_to(SEEDS)).parent.mkdir(parents=True, exist_ok=True)
        (folder / path.relative_to(SEEDS)).write_text(path.read_text())
    target = rng.choice(sorted(folder.rglob("*.yaml")))
    target.write_text(mutate(seed, yaml.safe_load(target.read_text()), as_json=False).text)
    root_file = folder / "multi" / "openapi.yaml" if target.parent.name == "multi" else target
    if target.name == "shared.yaml":
        root_file = folder / "multi" / "openapi.yaml"
    monkeypatch.chdir(tmp_path)
    try:
        data = bundle_document(load_document(root_file, root_dir=folder))
    except InputError:
        pytest.skip("the mutant cannot be loaded or bundled: nothing to compare")
    bundle = tmp_path / "bundle.yaml"
    bundle.write_text(dump_bundle(data, "yaml"))
    try:
        assert _no_change(root_file, tmp_path, bundle) == []
    except InputError:
        pytest.skip("the mutant cannot be compared (an input error, reported as such)")
