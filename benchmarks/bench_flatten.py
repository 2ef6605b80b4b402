"""The ``$ref`` flattener: ``inline_external`` (the loader/validate path) and ``bundle_document`` per contract.

Run: `.venv/bin/python -m benchmarks.bench_flatten [--rounds 7] [--calls 30] [--against OTHER/src]`. Prints
Markdown. Each round starts a new process per tree (this one, and with `--against` another checkout's `src/` first
on `PYTHONPATH`, e.g. a worktree of the previous main), alternating; the process loads every multi-file contract of
the catalog once and times `--calls` calls of each function on it (CPU time, which a loaded machine disturbs less
than wall time; the median of them). The table gives the median over rounds per tree, and the ratio this tree /
that one.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

from benchmarks._timing import ROOT

CONTRACTS = ROOT / "contracts"
MULTI_FILE = ("b2b-orders/openapi.yaml", "mes/openapi.yaml", "order-events/asyncapi.yaml")

_CHILD = """
import json, statistics, sys, time
from pathlib import Path
from contractkit.loaders import load_document
try:
    from contractkit.spec.flatten import bundle_document, inline_external
except ImportError:  # before the one flattener
    from contractkit.codegen.bundle import bundle_document
    from contractkit.loaders.inline import inline_external
contracts, calls = Path(sys.argv[1]), int(sys.argv[2])
out = {}
for name in sys.argv[3:]:
    doc = load_document(contracts / name, root_dir=contracts)
    for label, run in (("inline_external", inline_external), ("bundle_document", bundle_document)):
        samples = []
        for _ in range(calls):
            start = time.process_time()
            run(doc)
            samples.append(time.process_time() - start)
        out[f"{label} {name}"] = statistics.median(samples)
print(json.dumps(out))
"""


def _round(calls: int, src: Path | None) -> dict[str, float]:
    env = {**os.environ, "PYTHONPATH": str(src)} if src is not None else None
    argv = [sys.executable, "-c", _CHILD, str(CONTRACTS), str(calls), *MULTI_FILE]
    result = subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    samples: dict[str, float] = json.loads(result.stdout)
    return samples


def main() -> None:
    """Print the medians as a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--calls", type=int, default=30)
    parser.add_argument("--against", type=Path, help="another checkout's src/, timed in the same rounds")
    args = parser.parse_args()
    trees: dict[str, Path | None] = {"this": None}
    if args.against is not None:
        trees["that"] = args.against.resolve()
    runs: dict[str, list[dict[str, float]]] = {tree: [] for tree in trees}
    for _ in range(args.rounds):
        for tree, src in trees.items():
            runs[tree].append(_round(args.calls, src))
    medians = {
        tree: {key: statistics.median(r[key] for r in rounds) for key in rounds[0]} for tree, rounds in runs.items()
    }
    header = "| call | this tree (ms) |" + (" that tree (ms) | this / that |" if "that" in trees else "")
    print(header)
    print("| --- | ---: |" + (" ---: | ---: |" if "that" in trees else ""))
    for key, seconds in medians["this"].items():
        row = f"| `{key}` | {seconds * 1000:.2f} |"
        if "that" in medians:
            other = medians["that"][key]
            row += f" {other * 1000:.2f} | {seconds / other:.2f}x |"
        print(row)


if __name__ == "__main__":
    main()
