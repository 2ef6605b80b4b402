"""The long mutation campaign: the suite's fuzz test without its time budget, over a range of seeds.

    .venv/bin/python tests/hostile/campaign.py 0 2000            # seeds 0..1999, every source
    .venv/bin/python tests/hostile/campaign.py 0 200 --only seeds

Prints each failure (the seed, the mutant's steps, the command line, the traceback) and a summary; a seed
replays with `campaign.py SEED SEED+1`. Exit 1 when something failed.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.hostile._fuzz import Report, run_seed
from tests.hostile._run import Workspace, sources


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("start", type=int)
    parser.add_argument("stop", type=int)
    parser.add_argument("--only", action="append", help="source names (contracts, seeds, museum, ...)")
    parser.add_argument("--limit", type=float, default=30.0, help="seconds a command may run")
    args = parser.parse_args()
    report = Report()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="contractkit-campaign-") as tmp:
        chosen = {n: s for n, s in sources().items() if not args.only or n in args.only}
        workspaces = {name: Workspace(Path(tmp) / name, source) for name, source in chosen.items()}
        for seed in range(args.start, args.stop):
            before = len(report.failures)
            run_seed(seed, workspaces, report, limit=args.limit, repeat=0.3)
            for failure in report.failures[before:]:
                print(f"FAIL {failure}\n", flush=True)
    print(f"{report.mutants} mutants, {report.runs} runs, {len(report.failures)} failures "
          f"in {time.perf_counter() - started:.0f} s")  # fmt: skip
    print("exit codes:", {k: dict(sorted(v.items())) for k, v in sorted(report.codes.items())})
    for seconds, where in report.slowest:
        print(f"  {seconds:6.2f} s  {where[:300]}")
    return 1 if report.failures else 0


if __name__ == "__main__":
    sys.exit(main())
