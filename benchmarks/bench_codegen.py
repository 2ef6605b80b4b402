"""Code generation speed: `contractkit gen` over the catalog and over big corpus specs, beside datamodel-codegen.

Run: `.venv/bin/python -m benchmarks.bench_codegen [--repeat 3] [--spec NAME ...]`. Prints Markdown. Contenders of
one table run interleaved (a, b, a, b...) so they share the machine's noise: compare the ratios.

1. The catalog: `contractkit gen` into an empty folder (every package generated: 7 dcg runs for the shared
   models, one per contract), and `contractkit gen --check` on an unchanged tree (the CI gate: hashes only).
2. Corpus specs (default: box.json, the largest, and twilio_api_v2010): `contractkit gen` on a one-contract
   catalog holding the spec, beside `datamodel-codegen --input SPEC --input-file-type openapi` (its own CLI,
   Pydantic v2 output, ruff format) on the same spec. The anchor is datamodel-codegen: ratio = ours / theirs.
   contractkit does more: it names every schema, bundles the contract and formats with ruff.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

from benchmarks._timing import CORPUS, ROOT, command, median_seconds, table

CONTRACTKIT = str(ROOT / ".venv" / "bin" / "contractkit")
DCG = str(ROOT / ".venv" / "bin" / "datamodel-codegen")
SPECS = ("box.json", "twilio_api_v2010.yaml")


def _fresh_gen(catalog: Path, out: Path) -> object:
    shutil.rmtree(out, ignore_errors=True)
    return command([CONTRACTKIT, "gen", "--catalog", str(catalog), "--out", str(out)])()


def bench_catalog(work: Path, repeat: int) -> str:
    catalog = ROOT / "contracts" / "catalog.yaml"
    out = work / "catalog-out"
    times = median_seconds(
        {
            "gen (whole catalog, empty output)": lambda: _fresh_gen(catalog, out),
            "gen --check (unchanged, committed generated/)": command([CONTRACTKIT, "gen", "--check"], ok=(0,)),
        },
        repeat,
    )
    rows = [(name, seconds, "") for name, seconds in times.items()]
    return "### The catalog\n\n" + table(rows)


def bench_spec(work: Path, spec: Path, repeat: int) -> str:
    root = work / spec.stem
    (root / "contracts").mkdir(parents=True)
    shutil.copy(spec, root / "contracts" / spec.name)
    catalog = root / "contracts" / "catalog.yaml"
    catalog.write_text(
        "version: 1\ncontracts:\n"
        f"  - {{id: corpus, kind: openapi, path: {spec.name}, owner: bench, lifecycle: draft}}\n"
        "loader: {max-bytes: 67108864}\n"
    )
    out = root / "generated"
    dcg_out = root / "dcg"  # a folder: specs with dotted schema names become modules
    dcg = command(
        [
            DCG,
            "--input",
            str(spec),
            "--input-file-type",
            "openapi",
            "--output-model-type",
            "pydantic_v2.BaseModel",
            "--output",
            str(dcg_out),
            "--disable-timestamp",
            "--formatters",
            "ruff-format",
        ]
    )
    times = median_seconds(
        {"datamodel-codegen CLI": dcg, "contractkit gen": lambda: _fresh_gen(catalog, out)},
        repeat,
    )
    anchor = times["datamodel-codegen CLI"]
    rows = [(name, seconds, f"{seconds / anchor:.2f}x") for name, seconds in times.items()]
    return f"### {spec.name} ({spec.stat().st_size / 1e6:.1f} MB)\n\n" + table(rows)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmarks and print Markdown tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--spec", action="append", help="corpus/openapi file names (default: box.json, twilio)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-codegen-") as tmp:
        work = Path(tmp)
        sections = [bench_catalog(work, args.repeat)]
        for name in args.spec or SPECS:
            sections.append(bench_spec(work, CORPUS / "openapi" / name, args.repeat))
    sys.stdout.write("\n\n".join(sections) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
