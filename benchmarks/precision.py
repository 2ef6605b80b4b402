"""Precision of the breaking check on real APIs: every error it reports between real versions, and their verdicts.

Run: `.venv/bin/python -m benchmarks.precision [--pairs twilio_api_v2010 ...] [--unjudged] [--check]`.

It compares each real version pair (the shared corpus's ``pairs/``: Twilio's api_v2010 and Conversations, Box,
Redocly's museum, DigitalOcean), groups the findings into changes as the reports do (one change per cause,
with the operations it affects), keeps those at level ``error`` that the ignores file did not accept, and
prints them as a Markdown table with the verdict a reviewer gave each (``TRUE``: a client really breaks;
``FALSE``: a false alarm), from ``tests/data/precision/verdicts.yaml``. A change nobody judged yet is
``unjudged``: review it against both files and add its verdict, with the reason.

``--check`` exits 1 when a change judged ``FALSE`` is reported again as an error, or one judged ``TRUE`` is no
longer reported: tests/breaking/test_precision.py runs it, so a change that brings a false alarm back (or
loses a real break) fails the suite. Nothing is fetched: the pairs are files.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from benchmarks._timing import CORPUS, ROOT
from benchmarks._timing import CORPUS_PAIRS as PAIRS
from contractkit.breaking import diff_documents
from contractkit.breaking.changelog import Change, group_changes
from contractkit.findings import Severity
from contractkit.loaders import FileStore, clear_cache, open_document

VERDICTS = ROOT / "tests" / "data" / "precision" / "verdicts.yaml"
LEVELS = ("TRUE", "FALSE")


@dataclass(frozen=True, slots=True)
class Verdict:
    """A reviewer's judgement of one error change of one pair.

    Attributes:
        pair: the pair (a folder of corpus/pairs).
        rule: the rule id.
        change: the change as the report says it (``Change.message``).
        at: where it is in the revision: the file's name and the JSON pointer (``revision.yaml#/paths/~1a``).
        verdict: ``TRUE`` (a client breaks) or ``FALSE`` (a false alarm).
        reason: why, in a sentence a later reviewer can check.
    """

    pair: str
    rule: str
    change: str
    at: str
    verdict: str
    reason: str

    @property
    def key(self) -> tuple[str, str, str, str]:
        """Return what identifies the change: pair, rule, message and place."""
        return (self.pair, self.rule, self.change, self.at)


def place_of(change: Change) -> str:
    """Return ``revision.yaml#/paths/~1a``: the file's name and the JSON pointer of the change's location."""
    return f"{Path(change.location.file).name}#{change.location.pointer}"


def read_verdicts(path: Path = VERDICTS) -> list[Verdict]:
    """Read the judged sample.

    Raises:
        SystemExit: the file is malformed (a message says which entry and why).
    """
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    entries = data.get("verdicts") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise SystemExit(f"{path}: expected a mapping with a `verdicts:` list")
    verdicts = []
    for index, entry in enumerate(entries):
        fields = {key: entry.get(key) if isinstance(entry, dict) else None for key in Verdict.__slots__}
        missing = [key for key, value in fields.items() if not isinstance(value, str) or not value.strip()]
        if missing or fields["verdict"] not in LEVELS:
            why = f"missing {', '.join(missing)}" if missing else f"`verdict` must be one of {', '.join(LEVELS)}"
            raise SystemExit(f"{path}: entry {index + 1}: {why}")
        verdicts.append(Verdict(**{k: str(v) for k, v in fields.items()}))
    return verdicts


def error_changes(pair: str) -> list[Change]:
    """Return the changes of level ``error`` between the two versions of ``pair``."""
    base, revision = (CORPUS / "pairs" / pair / side for side in PAIRS[pair])
    clear_cache()
    store = FileStore()
    findings = diff_documents(
        open_document(base, store=store, root_dir=base.parent),
        open_document(revision, store=store, root_dir=revision.parent),
    )
    return [c for c in group_changes(findings) if c.severity is Severity.ERROR and c.accepted is None]


def review(pairs: Iterable[str], verdicts: Sequence[Verdict], *, unjudged_only: bool = False) -> list[str]:
    """Print each pair's error changes with their verdicts; return the problems ``--check`` fails on."""
    judged = {v.key: v for v in verdicts}
    problems: list[str] = []
    totals = {"TRUE": 0, "FALSE": 0, "unjudged": 0}
    for pair in pairs:
        changes = error_changes(pair)
        seen: set[tuple[str, str, str, str]] = set()
        rows = []
        for change in changes:
            key = (pair, change.rule_id, change.message, place_of(change))
            seen.add(key)
            verdict = judged.get(key)
            state = verdict.verdict if verdict is not None else "unjudged"
            totals[state] += 1
            if state == "FALSE":
                problems.append(f"{pair}: a false alarm is back: {change.rule_id}: {change.message}")
            if unjudged_only and verdict is not None:
                continue
            where = f"{Path(change.location.file).name}:{change.location.line}"
            reason = verdict.reason if verdict is not None else ""
            rows.append(
                f"| {state} | `{change.rule_id}` | {_cell(change.message)} | {len(change.operations)} | {where} "
                f"| {_cell(reason)} |"
            )
        for verdict in verdicts:
            if verdict.pair == pair and verdict.verdict == "TRUE" and verdict.key not in seen:
                problems.append(f"{pair}: a real break is no longer reported: {verdict.rule}: {verdict.change}")
        print(f"\n### {pair}: {len(changes)} error changes\n")
        if rows:
            print("| verdict | rule | change | operations | where | reason |")
            print("| --- | --- | --- | ---: | --- | --- |")
            print("\n".join(rows))
    judged_count = totals["TRUE"] + totals["FALSE"]
    precision = f"{totals['TRUE'] / judged_count:.0%}" if judged_count else "n/a"
    print(
        f"\n{totals['TRUE']} TRUE, {totals['FALSE']} FALSE, {totals['unjudged']} unjudged error changes; "
        f"precision of the judged: {precision}"
    )
    return problems


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the review; return the exit code (1: ``--check`` found a problem)."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pairs", nargs="+", choices=sorted(PAIRS), default=list(PAIRS))
    parser.add_argument("--unjudged", action="store_true", help="list only the changes nobody judged yet")
    parser.add_argument("--check", action="store_true", help="exit 1 if a FALSE comes back or a TRUE is lost")
    args = parser.parse_args(argv)
    if not (CORPUS / "pairs").is_dir():
        print(f"the shared corpus is not at {CORPUS}: nothing to review", file=sys.stderr)
        return 2
    problems = review(args.pairs, read_verdicts(), unjudged_only=args.unjudged)
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if args.check and problems else 0


if __name__ == "__main__":
    sys.exit(main())
