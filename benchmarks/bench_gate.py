"""The PR gate's speed: `contractkit ci` over a synthetic catalog of 200 contracts, one changed and all changed.

Run: `.venv/bin/python -m benchmarks.bench_gate [--contracts 200] [--resources 3] [--repeat 3]`. Prints Markdown.

A temporary git repository holds a catalog of N synthetic OpenAPI contracts (benchmarks/synthetic.py, each with
``--resources`` resources: 4 operations and 3 schemas per resource) that all `$ref` one shared
`contracts/common/problem.yaml`; `main` has them as they are, and a branch per scenario changes them
(benchmarks/synthetic.py's `change`: compatible and breaking edits). Scenarios, each a `contractkit ci` process
(generated/ is absent, so no gen step):

1. anchor: `contractkit validate <one contract>`: process start, catalog, one contract; the floor of any command;
2. one contract changed in a catalog of N (the gate must still find out that no other contract reaches it);
3. every contract changed, for N/4, N/2 and N contracts: the time per contract should stay flat (linear).

Runs are interleaved (a, b, c, a, b, c...) so all see the same machine noise; compare the ratios.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import yaml

from benchmarks._timing import ROOT, command, median_seconds, table
from benchmarks.synthetic import change, make_spec

CONTRACTKIT = str(ROOT / ".venv" / "bin" / "contractkit")
IDENTITY = ("-c", "user.name=bench", "-c", "user.email=bench@example.invalid", "-c", "commit.gpgsign=false")
PROBLEM = {"Problem": {"type": "object", "properties": {"title": {"type": "string"}, "status": {"type": "integer"}}}}


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *IDENTITY, *args], cwd=cwd, check=True, capture_output=True)


def _dump(path: Path, data: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.dump(data, Dumper=yaml.CSafeDumper, sort_keys=False), encoding="utf-8")


def _contract(resources: int, index: int) -> dict[str, object]:
    spec = make_spec(resources)
    spec["info"]["title"] = f"Synthetic {index}"
    for path in spec["paths"].values():
        for operation in path.values():
            if isinstance(operation, dict) and "responses" in operation:
                operation["responses"]["default"] = {
                    "description": "a problem",
                    "content": {"application/problem+json": {"schema": {"$ref": "../common/problem.yaml#/Problem"}}},
                }
    return spec


def make_repo(folder: Path, contracts: int, resources: int, changed: int) -> Path:
    """Write a repository with ``contracts`` contracts on `main`, and ``changed`` of them changed on `feature`."""
    root = folder / "contracts"
    specs = [_contract(resources, i) for i in range(contracts)]
    entries = []
    for index, spec in enumerate(specs):
        _dump(root / f"c{index:03d}" / "openapi.yaml", spec)
        entries.append(
            {
                "id": f"c{index:03d}",
                "kind": "openapi",
                "path": f"c{index:03d}/openapi.yaml",
                "owner": f"team-{index % 7}",
                "lifecycle": "stable",
            }
        )
    _dump(root / "common" / "problem.yaml", PROBLEM)
    _dump(root / "catalog.yaml", {"version": 1, "contracts": entries})
    _git(folder, "init", "-q", "-b", "main")
    _git(folder, "add", "-A")
    _git(folder, "commit", "-q", "-m", "catalog")
    _git(folder, "checkout", "-q", "-b", "feature")
    for index in range(changed):
        _dump(root / f"c{index:03d}" / "openapi.yaml", change(specs[index], every=1))
    _git(folder, "add", "-A")
    _git(folder, "commit", "-q", "-m", "changes")
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contracts", type=int, default=200)
    parser.add_argument("--resources", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    n = args.contracts
    sizes = (n // 4, n // 2, n)
    tmp = Path(tempfile.mkdtemp(prefix="contractkit-bench-gate-"))
    try:
        one = make_repo(tmp / "one", n, args.resources, 1)
        alls = {size: make_repo(tmp / f"all{size}", size, args.resources, size) for size in sizes}
        env_cmd = [CONTRACTKIT, "ci", "--format", "json"]
        runs = {
            "anchor: `contractkit validate c000`": command([CONTRACTKIT, "validate", "c000"], cwd=one),
            f"`contractkit ci`, 1 of {n} changed": command(env_cmd, cwd=one),
            f"`contractkit ci --list-changed`, 1 of {n} changed": command([*env_cmd, "--list-changed"], cwd=one),
        }
        for size, repo in alls.items():
            runs[f"`contractkit ci`, all {size} changed"] = command(env_cmd, cwd=repo)
        medians = median_seconds(runs, repeat=args.repeat)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    anchor = next(iter(medians.values()))
    # per contract: the time above the anchor (process start, imports, catalog), divided by the contracts checked
    smallest = (medians[f"`contractkit ci`, all {sizes[0]} changed"] - anchor) / sizes[0]
    rows = []
    for name, seconds in medians.items():
        ratio = f"{seconds / anchor:.1f}x anchor"
        for size in sizes:
            if name.endswith(f"all {size} changed"):
                each = (seconds - anchor) / size
                ratio += f"; {each * 1000:.0f} ms/contract above the anchor ({each / smallest:.2f}x of {sizes[0]})"
        rows.append((name, seconds, ratio))
    print(f"### contractkit ci: {n} synthetic contracts of {args.resources} resources, repeat {args.repeat}\n")
    print(f"{os.cpu_count()} CPUs.\n")
    print(table(rows))


if __name__ == "__main__":
    main()
