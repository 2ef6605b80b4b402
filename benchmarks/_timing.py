"""Timing helpers shared by the benchmarks: medians of repeated runs, interleaved to share the noise."""

from __future__ import annotations

import statistics
import subprocess
import time
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
#: The version pairs of the corpus: pair -> (base, revision) relative to corpus/pairs/<pair>/ (the root dir of
#: each side is its file's folder).
CORPUS_PAIRS = {
    "twilio_api_v2010": ("base.yaml", "revision.yaml"),
    "twilio_conversations_v1": ("base.yaml", "revision.yaml"),
    "box": ("base.json", "revision.json"),
    "museum": ("base.yaml", "revision.yaml"),
    "digitalocean": ("base/DigitalOcean-public.v2.yaml", "revision/DigitalOcean-public.v2.yaml"),
}


def median_seconds(runs: dict[str, Callable[[], object]], repeat: int = 5) -> dict[str, float]:
    """Run every callable ``repeat`` times, interleaved (a, b, a, b...), and return each one's median."""
    samples: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(repeat):
        for name, run in runs.items():
            start = time.perf_counter()
            run()
            samples[name].append(time.perf_counter() - start)
    return {name: statistics.median(values) for name, values in samples.items()}


def command(argv: Sequence[str], *, cwd: Path = ROOT, ok: tuple[int, ...] = (0, 1)) -> Callable[[], object]:
    """Return a callable that runs ``argv`` as a subprocess and checks its exit code."""

    def run() -> object:
        result = subprocess.run(argv, cwd=cwd, capture_output=True, check=False)
        if result.returncode not in ok:
            raise RuntimeError(f"{argv} exited {result.returncode}: {result.stderr.decode()[-2000:]}")
        return result

    return run


def table(rows: list[tuple[str, float, str]]) -> str:
    """Return a Markdown table of (what, median seconds, ratio text)."""
    out = ["| run | median (s) | ratio |", "| --- | ---: | ---: |"]
    out += [f"| {name} | {seconds:.3f} | {ratio} |" for name, seconds, ratio in rows]
    return "\n".join(out)
