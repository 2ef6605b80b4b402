"""Start-up of the command line: wall time of whole commands, beside `python -c pass` measured in the same run.

Run: `.venv/bin/python -m benchmarks.bench_startup [--repeat 7] [--against OTHER/src]`. Prints Markdown. Each
command runs as a new process (what a user and a pre-commit hook pay), interleaved with the anchor in rounds; medians
and the ratio to the anchor's median. The commands run from the repository's top, on its own catalog.
`--against` also runs every command with another checkout's `src/` first on `PYTHONPATH` (e.g. a worktree of the
previous main), interleaved in the same rounds, and adds its median and the ratio this tree / that one.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from benchmarks._timing import ROOT

BIN = Path(sys.executable).parent
COMMANDS: list[tuple[str, list[str]]] = [
    ("python -c pass (anchor)", [sys.executable, "-c", "pass"]),
    ("contractkit --version", [str(BIN / "contractkit"), "--version"]),
    ("contractkit --help", [str(BIN / "contractkit"), "--help"]),
    ("contractkit check --help", [str(BIN / "contractkit"), "check", "--help"]),
    ("contractkit check contracts/mes/openapi.yaml", [str(BIN / "contractkit"), "check", "contracts/mes/openapi.yaml"]),
    ("contractkit check (5 contracts)", [str(BIN / "contractkit"), "check"]),
]


def _wall(argv: list[str], src: Path | None = None) -> float:
    env = {**os.environ, "PYTHONPATH": str(src)} if src is not None else None
    start = time.perf_counter()
    subprocess.run(argv, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7, help="rounds (each command once per round)")
    parser.add_argument("--against", type=Path, help="another checkout's src/: its commands run interleaved")
    args = parser.parse_args()
    here: Path = ROOT / "src"
    trees: list[Path] = [here, *([args.against.resolve()] if args.against else [])]
    samples: dict[tuple[str, Path], list[float]] = {(name, tree): [] for name, _ in COMMANDS for tree in trees}
    for _, argv in COMMANDS:  # warm the file cache once
        for tree in trees:
            _wall(argv, tree)
    for _ in range(args.repeat):
        for name, argv in COMMANDS:
            for tree in trees:
                samples[name, tree].append(_wall(argv, tree))
    anchor = statistics.median(samples[COMMANDS[0][0], here])
    print(f"median of {args.repeat} interleaved rounds; ratio to `python -c pass` in the same run\n")
    against = f" | `{args.against}` | this / that" if args.against else ""
    print(f"| command | median wall | ratio{against} |")
    print("| --- | ---: | ---: |" + (" ---: | ---: |" if args.against else ""))
    for name, _ in COMMANDS:
        median = statistics.median(samples[name, here])
        row = f"| `{name}` | {median:.3f} s | {median / anchor:.1f}x |"
        if args.against:
            other = statistics.median(samples[name, trees[1]])
            row += f" {other:.3f} s | {median / other:.2f}x |"
        print(row)


if __name__ == "__main__":
    main()
