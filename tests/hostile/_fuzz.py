"""The mutation fuzz loop, shared by the bounded test in the suite and the long campaign (``campaign.py``).

For each seed: pick a source, one of its documents and a mutant of it (:mod:`_mutants`), write it into the
source's :class:`~_run.Workspace`, run the commands that read it over every contract it reaches, check each
outcome (:func:`_run.problems`), run some of them a second time and compare, and put the document back.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ._mutants import mutate
from ._run import Outcome, Source, Subject, Workspace, invoke, problems

FORMATS = {
    "validate": ("text", "json", "sarif", "github", "junit"),
    "lint": ("text", "json", "sarif", "github", "junit"),
    "check": ("text", "json", "sarif", "github", "junit"),
    "breaking": ("text", "json", "markdown", "github", "junit"),
    "changelog": ("text", "json", "markdown", "github", "junit"),
    "ci": ("text", "json", "markdown", "github", "junit"),
}


def command_lines(name: str, subject: Subject, rng: random.Random) -> list[str]:
    """Return the argument list of command ``name`` over ``subject`` (formats chosen by ``rng``)."""
    fmt = ["--format", rng.choice(FORMATS[name])] if name in FORMATS else []
    match name:
        case "validate" | "lint" | "check":
            return [name, rng.choice((subject.file, subject.id)), *fmt]
        case "breaking":
            return ["breaking", subject.base_file, subject.file, *fmt]
        case "breaking-back":
            return ["breaking", subject.file, subject.base_file]
        case "breaking-git":
            return ["breaking", subject.id, "--base-ref", "HEAD", "--format", "json"]
        case "changelog":
            return ["changelog", subject.base_file, subject.file, *fmt]
        case "bundle":
            return ["bundle", subject.file] if rng.random() < 0.5 else ["bundle", subject.id, "-o", "out/b.yaml"]
        case "gen":
            return ["gen", subject.id, "--out", "out/generated"]
        case "package":
            return ["package", subject.id, "--generated", "out/generated", "--out", "out/dist"]
        case "ci":
            return ["ci", "--base-ref", "main", "--no-gen", *fmt]
    raise ValueError(name)


# Commands run for every mutant, and (cost, name) of those run for a sample of them.
ALWAYS = ("check", "breaking", "bundle")
SOMETIMES = (("validate", 0.3), ("lint", 0.3), ("breaking-back", 0.4), ("changelog", 0.5), ("breaking-git", 0.2),
             ("gen", 0.1), ("ci", 0.1))  # fmt: skip


@dataclass(slots=True)
class Report:
    """Everything the loop saw: runs, failures (with the mutant that caused them), and the slowest runs."""

    runs: int = 0
    mutants: int = 0
    failures: list[str] = field(default_factory=list)
    slowest: list[tuple[float, str]] = field(default_factory=list)
    codes: dict[str, dict[int, int]] = field(default_factory=dict)

    def record(self, outcome: Outcome, where: str) -> None:
        self.runs += 1
        self.slowest = sorted([*self.slowest, (outcome.seconds, where)], reverse=True)[:10]
        by_code = self.codes.setdefault(outcome.args[0], {})
        by_code[outcome.code] = by_code.get(outcome.code, 0) + 1


def normalise(text: str, root: Path) -> str:
    text = text.replace(str(root.resolve()), "<ws>").replace(str(root), "<ws>")
    return re.sub(r"\d+(\.\d+)? ?(ms|s)\b", "<time>", text)


def load(path: Path) -> object:
    text = path.read_text(encoding="utf-8")
    return json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)


def run_seed(
    seed: int,
    workspaces: dict[str, Workspace],
    report: Report,
    *,
    limit: float,
    commands: Callable[[random.Random], Iterable[str]] | None = None,
    repeat: float = 0.25,
) -> None:
    """Mutate one document as ``seed`` says, run the commands over it, and record what went wrong."""
    rng = random.Random(seed)
    workspace = workspaces[rng.choice(sorted(workspaces))]
    source: Source = workspace.source
    file = rng.choice(workspace.files())
    original = workspace.root / "base" / "contracts" / file
    try:
        data = load(original)
    except (yaml.YAMLError, ValueError):
        return
    mutant = mutate(seed, data, as_json=original.suffix == ".json")
    workspace.write(file, mutant.text)
    report.mutants += 1
    try:
        subjects = (
            workspace.subjects(file)
            if file != "catalog.yaml"
            else workspace.subjects(rng.choice(sorted(source.roots.values()))[0])
        )
        names = list(commands(rng) if commands else _default_commands(rng))
        for subject in subjects[:2]:
            for name in names:
                args = command_lines(name, subject, rng)
                outcome = invoke(workspace.root, args, limit=limit)
                where = f"seed {seed} ({source.name}/{file}: {'; '.join(mutant.steps)}): contractkit {' '.join(args)}"
                report.record(outcome, where)
                for problem in problems(outcome, limit=limit):
                    report.failures.append(f"{where}\n  {problem}")
                if outcome.code in (0, 1, 2) and rng.random() < repeat and name not in ("gen", "package", "ci"):
                    again = invoke(workspace.root, args, limit=limit)
                    first = normalise(outcome.stdout + outcome.stderr, workspace.root)
                    second = normalise(again.stdout + again.stderr, workspace.root)
                    if (again.code, second) != (outcome.code, first):
                        report.failures.append(f"{where}\n  not deterministic: exit {outcome.code} then {again.code}")
    finally:
        workspace.restore(file)


def _default_commands(rng: random.Random) -> list[str]:
    chosen = list(ALWAYS)
    chosen += [name for name, chance in SOMETIMES if rng.random() < chance]
    if "gen" in chosen and rng.random() < 0.5:
        chosen.append("package")
    return chosen
