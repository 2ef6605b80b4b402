"""Breaking-change speed: the largest real pair beside npm `openapi-diff`, a profile, scaling, and the catalog gate.

Run: `.venv/bin/python -m benchmarks.bench_breaking [--repeat 5] [--skip-npm]`. Prints Markdown; the figures in
benchmarks/README.md ("Breaking changes") come from it. Every contender of a table runs interleaved with the
others (a, b, c, a, b, c...) so all see the same machine noise: compare the ratios, not the seconds. Each row
gives the wall time and the CPU time (user + system: GNU time for a process, `time.process_time` in-process); on
a shared machine the CPU time is the steadier of the two.

1. twilio_api_v2010 (corpus/pairs, 1.5 MB per side, OAS 3.0.1) end to end: load both sides and diff, in-process
   and through `contractkit breaking BASE REV` (when that command exists), beside `openapi-diff` from npm,
   installed into a temporary folder outside the repo at run time. Peak RSS of each process from GNU time.
2. A cProfile of one in-process run: the top 10 functions by cumulative time, and the share of the run spent
   in the cyclic garbage collector (measured with `gc.callbacks`).
3. Scaling: synthetic pairs of 1x, 2x and 4x the size (benchmarks/synthetic.py), load + diff, with the ratio of
   each time to the 1x time (linear = 1, 2, 4); also with the cyclic GC switched off, which separates the cost
   of our own code from the collector's (whose full collections walk every live object, so they cost more on a
   bigger heap).
4. Unions (issue 18): synthetic OpenAPI 3.1 pairs shaped like OpenAI's (benchmarks/synthetic_unions.py: an item
   union of 30, 60 and 120 kinds, each with nested unions, nullable wrappers and a model-id catch-all, reached by
   twice as many operations, padded with code samples to 0.8, 1.6 and 3.1 MB per side), load + diff
   in-process beside the twilio pair in the same run: OpenAI's 2.8 MB 3.1 contract was the one that grew faster
   than its size (4.3-5.1 s against 1.3 s for Twilio's 2.1 MB one).
5. Every version pair of the shared corpus (corpus/pairs), load + diff in-process.
6. The catalog gate: `contractkit breaking --base-ref HEAD~1` in a temporary clone of this repository (when the
   option exists).

`--only unions corpus ...` runs some sections only (to measure an older engine on them, put its `src/` first on
`PYTHONPATH`).
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import os
import platform
import pstats
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks._timing import CORPUS, CORPUS_PAIRS, ROOT
from benchmarks.synthetic import write_pair
from benchmarks.synthetic_unions import write_union_pair

CONTRACTKIT = str(ROOT / ".venv" / "bin" / "contractkit")
PAIR = CORPUS / "pairs" / "twilio_api_v2010"
NPM_PACKAGE = "openapi-diff"
SCALES = (1, 2, 4)
RESOURCES_AT_1X = 150  # about 400 KB of YAML; 4x is about the size of twilio_api_v2010
KINDS_AT_1X = 30  # item kinds of the union pair; 4x (120 kinds, 240 operations) is 3.1 MB per side
SAMPLES = 10_000  # characters of code samples per operation of the union pair (OpenAI's `x-oaiMeta`)
SECTIONS = ("real", "profile", "scaling", "unions", "corpus", "gate")


@dataclass(frozen=True)
class Usage:
    """What one run cost: CPU seconds (user + system), and the peak RSS in MB when it ran in its own process."""

    cpu: float
    rss_mb: float | None = None


@dataclass
class Contender:
    """One thing to measure: a callable run repeatedly, with the wall time, CPU time and peak RSS of each run.

    On a shared machine the CPU time is the steadier figure: a busy neighbour stretches the wall time of a run
    but not the CPU time it consumed.
    """

    run: Callable[[], Usage]
    seconds: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    rss_mb: list[float] = field(default_factory=list)

    def once(self) -> None:
        start = time.perf_counter()
        usage = self.run()
        self.seconds.append(time.perf_counter() - start)
        self.cpu.append(usage.cpu)
        if usage.rss_mb is not None:
            self.rss_mb.append(usage.rss_mb)

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def cpu_median(self) -> float:
        return statistics.median(self.cpu)

    @property
    def peak_mb(self) -> str:
        return f"{max(self.rss_mb):.0f} MB" if self.rss_mb else "n/a"


def process(argv: Sequence[str], *, cwd: Path = ROOT, ok: tuple[int, ...] = (0, 1)) -> Callable[[], Usage]:
    """Return a callable that runs ``argv`` to completion and returns its CPU time and peak RSS.

    Both come from GNU time (``/usr/bin/time -f "%M %U %S"``): a child forked from this (large) benchmark
    process would report this process's pages as its own high-water mark, so ``wait4`` on a direct child
    overstates the RSS. Without GNU time, the CPU time comes from ``wait4`` and the RSS is not measured.
    """
    gnu_time = Path("/usr/bin/time")

    def run() -> Usage:
        with tempfile.TemporaryDirectory() as tmp:
            report = Path(tmp) / "usage"
            if gnu_time.exists():
                done = subprocess.run(
                    [str(gnu_time), "-f", "%M %U %S", "-o", str(report), *argv],
                    cwd=cwd,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.PIPE,
                    check=False,
                )
                _check(argv, done.returncode, done.stderr, ok)
                kilobytes, user, system = report.read_text().split()[-3:]
                return Usage(float(user) + float(system), int(kilobytes) / 1024)
            child = subprocess.Popen(argv, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            _, status, usage = os.wait4(child.pid, 0)
            stderr = child.stderr.read() if child.stderr else b""
            _check(argv, os.waitstatus_to_exitcode(status), stderr, ok)
            return Usage(usage.ru_utime + usage.ru_stime)

    return run


def _check(argv: Sequence[str], code: int, stderr: bytes, ok: tuple[int, ...]) -> None:
    if code not in ok:
        raise RuntimeError(f"{argv} exited {code}: {stderr.decode(errors='replace')[-2000:]}")


def measured(run: Callable[[], None]) -> Callable[[], Usage]:
    """Return ``run`` measured in-process: its CPU time (``time.process_time``), no RSS of its own."""

    def wrapped() -> Usage:
        start = time.process_time()
        run()
        return Usage(time.process_time() - start)

    return wrapped


def interleave(contenders: dict[str, Contender], repeat: int) -> None:
    for _ in range(repeat):
        for contender in contenders.values():
            contender.once()


def in_process(base: Path, revision: Path) -> Callable[[], None]:
    """Load both sides from disk (cache cleared) and diff them: what `contractkit breaking` does in-process."""
    from contractkit.breaking import diff_documents
    from contractkit.loaders import FileStore, clear_cache, open_document

    def run() -> None:
        clear_cache()
        store = FileStore()
        diff_documents(
            open_document(base, store=store, root_dir=base.parent),
            open_document(revision, store=store, root_dir=revision.parent),
        )

    return run


def without_gc(run: Callable[[], None]) -> Callable[[], None]:
    """Return ``run`` with the cyclic garbage collector switched off while it runs (a what-if, not the product)."""

    def wrapped() -> None:
        gc.disable()
        try:
            run()
        finally:
            gc.enable()

    return wrapped


def gc_seconds(run: Callable[[], None]) -> tuple[float, float, int]:
    """Run once; return (total seconds, seconds inside the cyclic garbage collector, full collections)."""
    spent: list[float] = []
    started: list[float] = []
    full = [0]

    def callback(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            started.append(time.perf_counter())
        else:
            spent.append(time.perf_counter() - started.pop())
            full[0] += info["generation"] == 2

    gc.collect()
    gc.callbacks.append(callback)
    try:
        start = time.perf_counter()
        run()
        total = time.perf_counter() - start
    finally:
        gc.callbacks.remove(callback)
    return total, sum(spent), full[0]


def has_cli_option(*words: str) -> bool:
    """Return whether `contractkit breaking --help` exists and mentions every word."""
    done = subprocess.run([CONTRACTKIT, "breaking", "--help"], capture_output=True, text=True, check=False)
    return done.returncode == 0 and all(word in done.stdout for word in words)


def install_openapi_diff(folder: Path) -> Path | None:
    """Install npm `openapi-diff` into ``folder`` (outside the repo); return its executable, or None."""
    npm = shutil.which("npm")
    if npm is None:
        print("\n> npm is not on PATH: openapi-diff is not measured.")
        return None
    done = subprocess.run(
        [npm, "install", "--prefix", str(folder), "--no-audit", "--no-fund", "--silent", NPM_PACKAGE],
        capture_output=True,
        text=True,
        check=False,
    )
    executable = folder / "node_modules" / ".bin" / NPM_PACKAGE
    if done.returncode != 0 or not executable.exists():
        print(f"\n> `npm install {NPM_PACKAGE}` failed ({done.returncode}): {done.stderr.strip()[-500:]}")
        return None
    version = subprocess.run(
        ["node", "-p", "require('./node_modules/openapi-diff/package.json').version"],
        cwd=folder,
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    print(f"\n> installed npm {NPM_PACKAGE} {version} into {folder}")
    return executable


def real_pair(repeat: int, npm_dir: Path | None) -> None:
    base, revision = PAIR / "base.yaml", PAIR / "revision.yaml"
    size = (base.stat().st_size + revision.stat().st_size) / 2e6
    python = sys.executable
    script = (
        "import sys; from pathlib import Path; from contractkit.breaking import diff_documents; "
        "from contractkit.loaders import FileStore, open_document as o; b, r = map(Path, sys.argv[1:]); "
        "s = FileStore(); diff_documents(o(b, store=s, root_dir=b.parent), o(r, store=s, root_dir=r.parent))"
    )
    contenders: dict[str, Contender] = {}
    openapi_diff = install_openapi_diff(npm_dir) if npm_dir is not None else None
    if openapi_diff is not None:
        contenders["openapi-diff (npm), anchor"] = Contender(process([str(openapi_diff), str(base), str(revision)]))
    contenders["contractkit, in-process (load + diff)"] = Contender(measured(in_process(base, revision)))
    contenders["contractkit, in-process, cyclic GC off (what-if)"] = Contender(
        measured(without_gc(in_process(base, revision)))
    )
    contenders["contractkit, new process (`python -c`: import + load + diff)"] = Contender(
        process([python, "-c", script, str(base), str(revision)])
    )
    if has_cli_option():
        contenders["`contractkit breaking BASE REV` (CLI)"] = Contender(
            process([CONTRACTKIT, "breaking", str(base), str(revision)])
        )
    else:
        print("\n> `contractkit breaking` does not exist yet: the CLI row is missing.")
    interleave(contenders, repeat)
    print_table(f"twilio_api_v2010 pair ({size:.2f} MB per side), median of {repeat}", contenders)


def print_table(title: str, contenders: dict[str, Contender]) -> None:
    """Print wall and CPU medians, each with its ratio to the first contender (the anchor), and the peak RSS."""
    anchor = next(iter(contenders.values()))
    print(f"\n### {title}\n")
    print("| run | wall (s) | wall vs anchor | CPU (s) | CPU vs anchor | peak RSS |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for name, c in contenders.items():
        print(
            f"| {name} | {c.median:.3f} | {c.median / anchor.median:.2f}x | {c.cpu_median:.3f} "
            f"| {c.cpu_median / anchor.cpu_median:.2f}x | {c.peak_mb} |"
        )


def profile() -> None:
    base, revision = PAIR / "base.yaml", PAIR / "revision.yaml"
    run = in_process(base, revision)
    total, in_gc, full = gc_seconds(run)
    print(
        f"\n### Cyclic garbage collection (one in-process run of the twilio pair)\n\n"
        f"{in_gc:.3f} s of {total:.3f} s ({in_gc / total:.0%}) were spent in the cyclic garbage collector, "
        f"{full} full collections (gc.callbacks)."
    )
    profiler = cProfile.Profile()
    profiler.enable()
    run()
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    total = stats.total_tt  # type: ignore[attr-defined]
    print(f"\n### Where the time goes (cProfile, one in-process run of the twilio pair, {total:.2f} s profiled)\n")
    print("| function | calls | own (s) | cumulative (s) |")
    print("| --- | ---: | ---: | ---: |")
    rows = sorted(stats.stats.items(), key=lambda item: item[1][3], reverse=True)  # type: ignore[attr-defined]
    shown = 0
    for (filename, line, name), (_, calls, own, cumulative, _) in rows:
        if name in ("<module>", "run", "<built-in method builtins.exec>") or filename.endswith("bench_breaking.py"):
            continue
        where = _short(filename)
        print(f"| `{where}:{line} {name}` | {calls} | {own:.3f} | {cumulative:.3f} |")
        shown += 1
        if shown == 10:
            break


def _short(filename: str) -> str:
    marker = "/contractkit/"
    if marker in filename:
        return "contractkit/" + filename.split(marker, 1)[1]
    return Path(filename).name if filename.startswith("/") else filename


def scaling(repeat: int, folder: Path) -> None:
    contenders: dict[str, Contender] = {}
    sizes: dict[str, float] = {}
    for scale in SCALES:
        resources = RESOURCES_AT_1X * scale
        base, revision = write_pair(folder / f"x{scale}", resources)
        name = f"{scale}x: {resources} resources, {resources * 4} operations"
        contenders[name] = Contender(measured(in_process(base, revision)))
        contenders[name + " (GC off)"] = Contender(measured(without_gc(in_process(base, revision))))
        sizes[name] = base.stat().st_size / 1e6
    interleave(contenders, repeat)
    names = [name for name in contenders if not name.endswith(" (GC off)")]
    one, one_off = contenders[names[0]], contenders[names[0] + " (GC off)"]
    print(f"\n### Scaling: synthetic pairs (benchmarks/synthetic.py), load + diff in-process, median of {repeat}\n")
    print(
        "| size | YAML per side | wall (s) | vs 1x | CPU (s) | vs 1x | GC off: CPU (s) | vs 1x "
        "| GC off: CPU per operation (ms) |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, scale in zip(names, SCALES, strict=True):
        c, off = contenders[name], contenders[name + " (GC off)"]
        per_op = off.cpu_median / (RESOURCES_AT_1X * scale * 4) * 1000
        print(
            f"| {name} | {sizes[name]:.2f} MB | {c.median:.3f} | {c.median / one.median:.2f}x "
            f"| {c.cpu_median:.3f} | {c.cpu_median / one.cpu_median:.2f}x "
            f"| {off.cpu_median:.3f} | {off.cpu_median / one_off.cpu_median:.2f}x | {per_op:.3f} |"
        )


def unions(repeat: int, folder: Path) -> None:
    """The OpenAI-shaped union pairs at 1x, 2x and 4x, beside the twilio pair, load + diff in-process."""
    contenders: dict[str, Contender] = {}
    sizes: dict[str, float] = {}
    for scale in SCALES:
        kinds = KINDS_AT_1X * scale
        base, revision = write_union_pair(folder / f"unions-x{scale}", kinds, pad=SAMPLES)
        name = f"{scale}x: {kinds} item kinds, {kinds * 2} operations"
        contenders[name] = Contender(measured(in_process(base, revision)))
        sizes[name] = base.stat().st_size / 1e6
    twilio = "twilio_api_v2010 (corpus/pairs, OAS 3.0.1), for reference"
    contenders[twilio] = Contender(measured(in_process(PAIR / "base.yaml", PAIR / "revision.yaml")))
    sizes[twilio] = (PAIR / "base.yaml").stat().st_size / 1e6
    interleave(contenders, repeat)
    one = contenders[next(iter(contenders))]
    title = "Unions: OpenAI-shaped pairs (benchmarks/synthetic_unions.py), load + diff in-process"
    print(f"\n### {title}, median of {repeat}\n")
    print("| pair | YAML per side | wall (s) | vs 1x | CPU (s) | vs 1x | CPU per MB (s) |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, c in contenders.items():
        print(
            f"| {name} | {sizes[name]:.2f} MB | {c.median:.3f} | {c.median / one.median:.2f}x "
            f"| {c.cpu_median:.3f} | {c.cpu_median / one.cpu_median:.2f}x | {c.cpu_median / sizes[name]:.3f} |"
        )


def corpus(repeat: int) -> None:
    """Every version pair of the shared corpus, load + diff in-process."""
    contenders: dict[str, Contender] = {}
    sizes: dict[str, float] = {}
    for pair, (base, revision) in CORPUS_PAIRS.items():
        folder = CORPUS / "pairs" / pair
        if not folder.is_dir():
            continue
        contenders[pair] = Contender(measured(in_process(folder / base, folder / revision)))
        side = (folder / base).parent if pair == "digitalocean" else folder / base
        files = side.rglob("*") if side.is_dir() else [side]
        sizes[pair] = sum(f.stat().st_size for f in files if f.is_file()) / 1e6
    interleave(contenders, repeat)
    print(f"\n### Every pair of corpus/pairs, load + diff in-process, median of {repeat}\n")
    print("| pair | size per side | wall (s) | CPU (s) | CPU per MB (s) |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for name, c in contenders.items():
        per_mb = c.cpu_median / sizes[name]
        print(f"| {name} | {sizes[name]:.2f} MB | {c.median:.3f} | {c.cpu_median:.3f} | {per_mb:.3f} |")


def catalog_gate(repeat: int, folder: Path) -> None:
    if not has_cli_option("--base-ref"):
        print("\n> TODO: `contractkit breaking --base-ref` does not exist yet: the catalog gate is not measured.")
        return
    clone = folder / "clone"
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True)
    contenders = {
        "python -c 'import contractkit.cli.app' (start-up floor)": Contender(
            process([sys.executable, "-c", "import contractkit.cli.app"], cwd=clone)
        ),
        "`contractkit breaking --base-ref HEAD~1` (whole catalog)": Contender(
            process([CONTRACTKIT, "breaking", "--base-ref", "HEAD~1"], cwd=clone)
        ),
    }
    interleave(contenders, repeat)
    print_table(
        f"The catalog against HEAD~1, in a temporary clone (new process each run), median of {repeat}", contenders
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--skip-npm", action="store_true", help="do not install and measure npm openapi-diff")
    parser.add_argument("--only", nargs="+", choices=SECTIONS, default=SECTIONS, help="the sections to run")
    args = parser.parse_args()
    cores = os.cpu_count()
    print(f"Run on {time.strftime('%Y-%m-%d')}, {cores} cores, Python {platform.python_version()}.")
    with tempfile.TemporaryDirectory(prefix="ck-bench-breaking-") as tmp:
        work = Path(tmp)
        if "real" in args.only:
            real_pair(args.repeat, None if args.skip_npm else work / "npm")
        if "profile" in args.only:
            profile()
        if "scaling" in args.only:
            scaling(args.repeat, work / "synthetic")
        if "unions" in args.only:
            unions(args.repeat, work / "unions")
        if "corpus" in args.only:
            corpus(args.repeat)
        if "gate" in args.only:
            catalog_gate(args.repeat, work)


if __name__ == "__main__":
    main()
