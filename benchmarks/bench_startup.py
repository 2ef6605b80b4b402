"""Start-up of the command line: wall time of whole commands, beside `python -c pass` measured in the same run.

Run: `.venv/bin/python -m benchmarks.bench_startup [--repeat 7]`. Prints Markdown. Each command runs as a new
process (what a user and a pre-commit hook pay), interleaved with the anchor in rounds; medians and the ratio to the
anchor's median. The commands run from the repository's top, on its own catalog.
"""

from __future__ import annotations

import argparse
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


def _wall(argv: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(argv, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7, help="rounds (each command once per round)")
    args = parser.parse_args()
    samples: dict[str, list[float]] = {name: [] for name, _ in COMMANDS}
    for name, argv in COMMANDS:  # warm the file cache once
        _wall(argv)
        del name
    for _ in range(args.repeat):
        for name, argv in COMMANDS:
            samples[name].append(_wall(argv))
    anchor = statistics.median(samples[COMMANDS[0][0]])
    print(f"median of {args.repeat} interleaved rounds; ratio to `python -c pass` in the same run\n")
    print("| command | median wall | ratio |")
    print("| --- | ---: | ---: |")
    for name, _ in COMMANDS:
        median = statistics.median(samples[name])
        print(f"| `{name}` | {median:.3f} s | {median / anchor:.1f}x |")


if __name__ == "__main__":
    main()
