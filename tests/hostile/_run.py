"""Running every command in-process over a workspace of contracts, with a time bound and the crash traceback.

A :class:`Workspace` is a throwaway repository: ``contracts/`` (a catalog and its documents, one of them about to
be mutated), ``base/contracts/`` (the same files untouched, the base side of ``breaking``), committed to git so
that ``--base-ref HEAD`` and ``ci`` see the mutant as a change. :func:`invoke` runs one command line through the
real command-line app (the same error boundary as the ``contractkit`` script), in the workspace, and returns
its exit code, output, time and, for an exit 70, the traceback the crash log would have held.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import time
import traceback
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType

import yaml
from typer.testing import CliRunner

import contractkit.cli._errors as errors_module
from contractkit.cli.app import app
from contractkit.loaders import clear_cache

REPO = Path(__file__).resolve().parents[2]
CONTRACTS = REPO / "contracts"
SEEDS = Path(__file__).parent / "seeds"
CORPUS = Path("/work/shared/corpus")


class RunAway(BaseException):
    """A command ran past its time bound (a BaseException: the error boundary must not turn it into exit 70)."""


@dataclass(frozen=True, slots=True)
class Outcome:
    """What one command line did."""

    args: tuple[str, ...]
    code: int
    stdout: str
    stderr: str
    seconds: float
    crash: str | None = None
    ran_away: bool = False


@dataclass(frozen=True, slots=True)
class Subject:
    """A contract of the workspace a mutant reaches: its catalog id, its file and its untouched twin."""

    id: str
    file: str
    base_file: str


@dataclass(slots=True)
class Source:
    """A set of documents to mutate: a folder copied as ``contracts/``, with a catalog (written when absent)."""

    name: str
    folder: Path
    roots: dict[str, tuple[str, str]] = field(default_factory=dict)  # id -> (path under contracts/, kind)

    def catalog_text(self) -> str | None:
        if (self.folder / "catalog.yaml").is_file():
            return None
        entries = [
            {"id": cid, "kind": kind, "path": path, "owner": "team-fuzz", "lifecycle": "stable"}
            for cid, (path, kind) in sorted(self.roots.items())
        ]
        return yaml.safe_dump({"version": 1, "contracts": entries}, sort_keys=False)


def sources() -> dict[str, Source]:
    """Return the documents the fuzz test mutates: ``contracts/``, the seeds, and corpus sets when present."""
    found: dict[str, Source] = {}
    catalog = yaml.safe_load((CONTRACTS / "catalog.yaml").read_text())
    found["contracts"] = Source("contracts", CONTRACTS, {e["id"]: (e["path"], e["kind"]) for e in catalog["contracts"]})
    seeds = Source("seeds", SEEDS)
    for path in sorted(SEEDS.rglob("*.yaml")):
        rel = path.relative_to(SEEDS).as_posix()
        if rel.endswith("shared.yaml"):
            continue
        kind = "asyncapi" if path.name.startswith("asyncapi") else "openapi"
        seeds.roots[rel.replace("/", "-").removesuffix(".yaml").replace(".", "-")] = (rel, kind)
    found["seeds"] = seeds
    museum = CORPUS / "openapi"
    if (museum / "museum.yaml").is_file():
        found["museum"] = Source("museum", museum, {"museum": ("museum.yaml", "openapi")})
    social = CORPUS / "asyncapi" / "v3.0" / "social-media"
    if social.is_dir():
        found["social-media"] = Source(
            "social-media",
            social,
            {
                p.parent.name: (f"{p.parent.name}/asyncapi.yaml", "asyncapi")
                for p in sorted(social.glob("*/asyncapi.yaml"))
            },
        )
    for version in ("v2.6", "v3.0"):
        folder = CORPUS / "asyncapi" / version
        if folder.is_dir():
            roots = {
                f"{version}-{p.stem}".replace(".", "-"): (p.name, "asyncapi") for p in sorted(folder.glob("*.yml"))
            }
            found[f"asyncapi-{version}"] = Source(f"asyncapi-{version}", folder, roots)
    return found


class Workspace:
    """A throwaway repository holding one source's documents, committed, ready for a mutant."""

    def __init__(self, root: Path, source: Source) -> None:
        self.root = root
        self.source = source
        contracts = root / "contracts"
        _copy(source, contracts)
        _copy(source, root / "base" / "contracts")
        self.git("init", "-q", "-b", "main")
        self.git("add", "-A")
        self.git("commit", "-q", "-m", "base")
        self._reach: dict[str, set[str]] | None = None

    def git(self, *args: str) -> None:
        env = {**os.environ, "GIT_AUTHOR_NAME": "fuzz", "GIT_AUTHOR_EMAIL": "f@x", "GIT_COMMITTER_NAME": "fuzz",
               "GIT_COMMITTER_EMAIL": "f@x", "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}  # fmt: skip
        subprocess.run(["git", *args], cwd=self.root, check=True, capture_output=True, env=env)

    def subjects(self, file: str) -> list[Subject]:
        """Return the contracts whose documents reach ``file`` (itself, when it is a contract's root)."""
        reach = self._reaches()
        subjects = [
            Subject(cid, f"contracts/{path}", f"base/contracts/{path}")
            for cid, (path, _kind) in sorted(self.source.roots.items())
            if path == file or file in reach.get(cid, set())
        ]
        return subjects

    def _reaches(self) -> dict[str, set[str]]:
        if self._reach is None:
            from contractkit.loaders import load_document

            self._reach = {}
            base = (self.root / "base" / "contracts").resolve()
            for cid, (path, _kind) in self.source.roots.items():
                try:
                    doc = load_document(base / path, root_dir=base)
                    self._reach[cid] = {f.path.resolve().relative_to(base).as_posix() for f in doc.files()}
                except Exception:  # a corpus document the loader refuses: it reaches only itself
                    self._reach[cid] = {path}
        return self._reach

    def files(self) -> list[str]:
        """Return every document of the workspace's contracts (the catalog too), relative to ``contracts/``."""
        folder = self.root / "base" / "contracts"
        return sorted(
            p.relative_to(folder).as_posix()
            for p in folder.rglob("*")
            if p.suffix in (".yaml", ".yml", ".json") and p.is_file()
        )

    def write(self, file: str, text: str) -> None:
        (self.root / "contracts" / file).write_bytes(text.encode("utf-8", "surrogatepass"))

    def restore(self, file: str) -> None:
        shutil.copyfile(self.root / "base" / "contracts" / file, self.root / "contracts" / file)


def _copy(source: Source, to: Path) -> None:
    shutil.copytree(source.folder, to, ignore=shutil.ignore_patterns("__pycache__", "*.md"))
    to.chmod(0o755)
    for path in to.rglob("*"):
        path.chmod(0o755 if path.is_dir() else 0o644)
    text = source.catalog_text()
    if text is not None:
        (to / "catalog.yaml").write_text(text)


@contextlib.contextmanager
def _bounded(seconds: float) -> Iterator[None]:
    def alarm(_signum: int, _frame: FrameType | None) -> None:
        raise RunAway

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def invoke(workspace: Path, args: list[str], *, limit: float = 20.0) -> Outcome:
    """Run ``contractkit ARGS`` in ``workspace`` through the real app; crash tracebacks are captured."""
    crashes: list[str] = []

    def crash_log() -> str:
        crashes.append(traceback.format_exc())
        return "<crash log>"

    clear_cache()
    cwd = Path.cwd()
    original = errors_module._write_crash_log
    errors_module._write_crash_log = crash_log
    os.chdir(workspace)
    start = time.perf_counter()
    ran_away = False
    try:
        with _bounded(limit):
            result = CliRunner().invoke(app, args, catch_exceptions=True, env={"NO_COLOR": "1", "COLUMNS": "120"})
        code, stdout, stderr = result.exit_code, result.stdout, result.stderr
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            crashes.append("".join(traceback.format_exception(result.exception)))
            code = 70
    except RunAway:
        ran_away = True
        code, stdout, stderr = -1, "", ""
    finally:
        seconds = time.perf_counter() - start
        os.chdir(cwd)
        errors_module._write_crash_log = original
        clear_cache()
    return Outcome(tuple(args), code, stdout, stderr, seconds, crashes[0] if crashes else None, ran_away)


def problems(outcome: Outcome, *, limit: float) -> list[str]:
    """Return what is wrong with ``outcome`` for any input: a crash, a runaway, an untidy message."""
    found = []
    if outcome.ran_away:
        found.append(f"ran past {limit:.0f} s")
    elif outcome.code not in (0, 1, 2):
        found.append(f"exit {outcome.code}" + (f"\n{outcome.crash}" if outcome.crash else ""))
    if outcome.seconds > limit:
        found.append(f"took {outcome.seconds:.1f} s")
    text = outcome.stdout + outcome.stderr
    if "Traceback (most recent call last)" in text:
        found.append("a traceback in the output")
    if outcome.code == 2 and not (_tidy(outcome.stderr) or _tidy(outcome.stdout)):
        found.append(f"exit 2 without a tidy message: {(outcome.stderr or outcome.stdout)[-500:]!r}")
    return found


def _tidy(text: str) -> bool:
    """An ``error:`` title, then a more indented sentence saying what went wrong (the gate indents both)."""
    lines = text.splitlines()
    for i, line in enumerate(lines):
        stripped = line.lstrip()
        if stripped.startswith("error: ") and len(stripped) > len("error: ") + 3:
            indent = len(line) - len(stripped)
            rest = [x for x in lines[i + 1 :] if x.strip()]
            return bool(rest) and len(rest[0]) - len(rest[0].lstrip()) > indent
    return False
