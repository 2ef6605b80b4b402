"""Mutation fuzzing of every command that reads a document: no input makes contractkit crash, hang or babble.

Seeded mutants (:mod:`_mutants`: type swaps, deletions, huge numbers, deep nesting, aliases, odd keys and values,
broken refs, damaged text) of ``contracts/``, the small seeds beside this file and corpus documents go through
``check``, ``breaking``, ``bundle`` and, for a sample, ``validate``, ``lint``, ``changelog``, ``breaking
--base-ref``, ``gen``, ``package`` and ``ci``, in-process through the real command-line app. For every run:

* the exit code is 0, 1 or 2 (70 is a bug: the traceback is in the failure message);
* an exit 2 says why in the house format (an ``error:`` title, then an indented sentence);
* no traceback is printed;
* it ends within the time bound (a runaway is stopped and reported);
* a sample is run twice and must print the same thing.

The suite runs a fixed set of seeds per source (about 30 s); ``campaign.py`` runs thousands. A failure names
its seed: ``.venv/bin/python tests/hostile/campaign.py SEED SEED+1 --only SOURCE`` replays it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ._fuzz import Report, run_seed
from ._run import Workspace, sources

LIMIT = 20.0  # seconds a run may take; the slowest mutant of the campaigns took 3 s
SEEDS = {  # source -> how many mutants (seeds start at 15_000 + 1_000 * index, a range no campaign needs)
    "seeds": 14,
    "contracts": 10,
    "museum": 3,
    "social-media": 3,
    "asyncapi-v2.6": 3,
    "asyncapi-v3.0": 3,
}
AVAILABLE = sources()


@pytest.mark.parametrize("name", list(SEEDS))
def test_no_mutant_makes_a_command_crash_hang_or_babble(name: str, tmp_path: Path) -> None:
    if name not in AVAILABLE:
        pytest.skip(f"the corpus source `{name}` is not on this machine")
    workspace = Workspace(tmp_path / name, AVAILABLE[name])
    report = Report()
    first = 15_000 + 1_000 * list(SEEDS).index(name)
    for seed in range(first, first + SEEDS[name]):
        run_seed(seed, {name: workspace}, report, limit=LIMIT)
    assert report.runs >= 3 * SEEDS[name] * 0.8, f"only {report.runs} runs: the mutants did not reach the commands"
    assert not report.failures, "\n\n".join(report.failures)
