"""AsyncAPI breaking changes: contractkit beside npm `@asyncapi/diff`, speed and what each one finds.

Run: `.venv/bin/python -m benchmarks.bench_asyncapi_diff [--repeat 5] [--skip-npm]`. Prints Markdown. Every
contender of a table runs interleaved with the others (a, b, a, b...) so all see the same machine noise: compare
the ratios, not the seconds. Each row gives the wall time and the CPU time (user + system: GNU time for a
process, `time.process_time` in-process) and, for a process, its peak RSS (GNU time `%M`).

The anchor is `@asyncapi/diff` with `@asyncapi/parser` parsing and dereferencing both sides first, as its README
says; both are installed at run time into a temporary folder outside the repository, with a small node script
(:data:`NODE_SCRIPT`) written next to them. One anchor run = a new node process: parse both files, diff, count.

1. contracts/order-events/asyncapi.yaml beside a revision with four scripted changes (an exchange rename, a
   required payload property added to a received message, an enum value added to a sent message, a new
   channel), in-process, through `contractkit breaking BASE REV`, and the anchor.
2. The corpus example streetlights-mqtt in AsyncAPI 2.6 beside its 3.0 rewrite (same meaning), the same three.
3. Scaling: synthetic 3.0 pairs over AMQP (benchmarks/synthetic_asyncapi.py) at 1x, 2x and 4x: contractkit
   in-process (also with the cyclic GC off, a what-if), the command and the anchor, each with the ratio of its
   time to its own 1x time (linear = 1, 2, 4), and the command beside the anchor.
4. What each one finds, on the same pairs: counts of contractkit's breaking / possibly breaking / compatible
   changes beside the anchor's breaking / non-breaking / unclassified ones. The parser annotates every schema
   with `x-parser-schema-id` (`<anonymous-schema-N>`, numbered in document order), so adding one schema renumbers
   every later one and the anchor reports each renumbering as a change: its counts are given as it runs, and
   again with the `x-parser-*` keys removed from both sides before the diff (its fairest reading).
5. One change at a time: every change kind of the synthetic mix, the four scripted order-events changes and two
   AsyncAPI 2.6 changes, each alone in a pair, with the verdict a correct engine gives, contractkit's rules and
   the anchor's counts.
6. The 2.6 -> 3.0 corpus pairs (same meaning): what contractkit reports for each (should be nothing breaking).
7. A cProfile of contractkit on the 4x synthetic pair, and the share of the cyclic garbage collector.
"""

from __future__ import annotations

import argparse
import collections
import cProfile
import io
import json
import os
import platform
import pstats
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from benchmarks._timing import CORPUS, ROOT
from benchmarks.bench_breaking import (
    Contender,
    gc_seconds,
    interleave,
    measured,
    print_table,
    process,
    without_gc,
)
from benchmarks.synthetic_asyncapi import CHANGES, Json, make_spec, write_pair

CONTRACTKIT = str(ROOT / ".venv" / "bin" / "contractkit")
ORDER_EVENTS = ROOT / "contracts" / "order-events" / "asyncapi.yaml"
ASYNCAPI_CORPUS = CORPUS / "asyncapi"
STREETLIGHTS = (
    ASYNCAPI_CORPUS / "v2.6" / "streetlights-mqtt.yml",
    ASYNCAPI_CORPUS / "v3.0" / "streetlights-mqtt-asyncapi.yml",
)
NPM_PACKAGES = ("@asyncapi/diff", "@asyncapi/parser")
SCALES = (1, 2, 4)
SERVICES_AT_1X = 50  # 150 channels, 150 operations, 150 messages: about 0.4 MB of YAML

# The anchor, as @asyncapi/diff's README says to run it: parse (and dereference) both documents with
# @asyncapi/parser, then diff(). With a third argument `--quality` it prints the changes' counts twice: as the
# anchor gives them, and with the parser's own `x-parser-*` annotations removed from both sides first.
NODE_SCRIPT = r"""
const { Parser, fromFile } = require('@asyncapi/parser');
const { diff } = require('@asyncapi/diff');

async function load(parser, path) {
  const { document, diagnostics } = await fromFile(parser, path).parse();
  if (!document) {
    const errors = diagnostics.filter((d) => d.severity === 0);
    throw new Error(path + ': ' + errors.map((d) => d.message + ' at /' + d.path.join('/')).join('; '));
  }
  return document.json();
}

function strip(value, seen = new Map()) {
  if (Array.isArray(value)) return value.map((v) => strip(v, seen));
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value)) return seen.get(value);
  const out = {};
  seen.set(value, out);
  for (const [key, v] of Object.entries(value)) if (!key.startsWith('x-parser-')) out[key] = strip(v, seen);
  return out;
}

function counts(a, b) {
  try {
    const changes = diff(a, b).getOutput().changes;
    const n = (type) => changes.filter((c) => c.type === type).length;
    const breakingPaths = changes.filter((c) => c.type === 'breaking').map((c) => c.action + ' ' + c.path);
    return { breaking: n('breaking'), nonBreaking: n('non-breaking'), unclassified: n('unclassified'), breakingPaths };
  } catch (e) {
    return { refused: String(e.message) };
  }
}

(async () => {
  const parser = new Parser();
  const a = await load(parser, process.argv[2]);
  const b = await load(parser, process.argv[3]);
  const out = { raw: counts(a, b) };
  if (process.argv[4] === '--quality') out.stripped = counts(strip(a), strip(b));
  process.stdout.write(JSON.stringify(out));
})().catch((e) => {
  process.stderr.write(String((e && e.stack) || e));
  process.exit(3);
});
"""


# --- the anchor ------------------------------------------------------------------------------------------------


def install_anchor(folder: Path) -> Path | None:
    """Install the npm anchor into ``folder`` (outside the repo) and write its script; return the script or None."""
    npm = shutil.which("npm")
    if npm is None or shutil.which("node") is None:
        print("\n> npm or node is not on PATH: @asyncapi/diff is not measured.")
        return None
    folder.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        [npm, "install", "--prefix", str(folder), "--no-audit", "--no-fund", "--silent", *NPM_PACKAGES],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0 or not (folder / "node_modules" / "@asyncapi" / "diff").exists():
        print(f"\n> `npm install {' '.join(NPM_PACKAGES)}` failed ({done.returncode}): {done.stderr.strip()[-500:]}")
        return None
    versions = [
        subprocess.run(
            ["node", "-p", f"require('{name}/package.json').version"],
            cwd=folder,
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip()
        for name in NPM_PACKAGES
    ]
    script = folder / "asyncapi-diff.cjs"
    script.write_text(NODE_SCRIPT, encoding="utf-8")
    installed = ", ".join(f"{name} {version}" for name, version in zip(NPM_PACKAGES, versions, strict=True))
    print(f"\n> installed npm {installed} into {folder}")
    return script


def anchor_argv(script: Path, base: Path, revision: Path) -> list[str]:
    """Return the command of one anchor run on a pair."""
    return ["node", str(script), str(base), str(revision)]


def anchor_counts(script: Path, base: Path, revision: Path) -> dict[str, dict[str, Any]]:
    """Run the anchor once on a pair and return its counts: ``{"raw": {...}, "stripped": {...}}``."""
    done = subprocess.run(
        [*anchor_argv(script, base, revision), "--quality"], cwd=script.parent, capture_output=True, text=True
    )
    if done.returncode != 0:
        message = done.stderr.strip().splitlines()[0] if done.stderr.strip() else f"exit {done.returncode}"
        return {"raw": {"failed": message[:200]}}
    result: dict[str, dict[str, Any]] = json.loads(done.stdout)
    return result


def anchor_text(counts: dict[str, Any] | None) -> str:
    """Render one set of anchor counts (or why there are none) for a table cell."""
    if counts is None:
        return "not run"
    if "refused" in counts:
        return f"refused: {counts['refused']}"
    if "failed" in counts:
        return f"failed: {counts['failed']}"
    return f"{counts['breaking']} / {counts['nonBreaking']} / {counts['unclassified']}"


# --- contractkit -----------------------------------------------------------------------------------------------


def diff_pair(base: Path, revision: Path, root: Path) -> list[Any]:
    """Load both sides from disk (loader cache cleared) and diff them; return contractkit's findings."""
    from contractkit.breaking import diff_documents
    from contractkit.loaders import FileStore, clear_cache, open_document

    clear_cache()
    store = FileStore()
    return diff_documents(
        open_document(base, store=store, root_dir=root), open_document(revision, store=store, root_dir=root)
    )


def in_process(base: Path, revision: Path, root: Path) -> Callable[[], None]:
    """Return what `contractkit breaking` does in-process on a pair, as a callable to time."""

    def run() -> None:
        diff_pair(base, revision, root)

    return run


def contractkit_counts(base: Path, revision: Path, root: Path) -> tuple[collections.Counter[str], list[str]]:
    """Return contractkit's findings on a pair by level, and the ids of its rules that fired (worst first)."""
    findings = diff_pair(base, revision, root)
    levels = collections.Counter(f.severity.value for f in findings)
    rules = list(dict.fromkeys(f.rule_id for f in findings))
    return levels, rules


def contractkit_text(levels: collections.Counter[str]) -> str:
    """Render contractkit's counts for a table cell: breaking / possibly breaking / compatible."""
    return f"{levels['error']} / {levels['warning']} / {levels['info']}"


def cli(base: Path, revision: Path, root: Path) -> Contender:
    """The command line on a pair, a new process each run."""
    return Contender(process([CONTRACTKIT, "breaking", str(base), str(revision), "--root", str(root)]))


# --- the pairs -------------------------------------------------------------------------------------------------


def _exchange_renamed(doc: Json) -> None:
    for channel in doc["channels"].values():
        amqp = channel.get("bindings", {}).get("amqp", {})
        if amqp.get("exchange", {}).get("name") == "orders.events":
            amqp["exchange"]["name"] = "orders.events.v2"
        for binding in amqp.get("x-bound-to", ()):
            if binding.get("exchange") == "orders.events":
                binding["exchange"] = "orders.events.v2"


def _required_added_to_received(doc: Json) -> None:
    # OrderCreated is received on mes.order-intake (and the dead-letter queue) and sent on order.created.
    payload = doc["components"]["schemas"]["OrderCreatedPayload"]
    payload["properties"]["sales_channel"] = {"type": "string", "enum": ["portal", "api", "edi"]}
    payload["required"].append("sales_channel")


def _enum_value_added_to_sent(doc: Json) -> None:
    # ProductionJobFailed is sent on production.job.failed (and received on order-service.production-jobs).
    doc["components"]["schemas"]["ProductionJobFailedPayload"]["properties"]["failure_reason"]["enum"].append(
        "power_outage"
    )


def _channel_added(doc: Json) -> None:
    doc["channels"]["orderShipped"] = {
        "address": "order.shipped",
        "title": "order.shipped",
        "description": "An order left the factory. Routing key on exchange `orders.events`.",
        "messages": {"orderShipped": {"$ref": "#/components/messages/OrderShipped"}},
        "bindings": doc["channels"]["orderCreated"]["bindings"],
    }
    doc["operations"]["publishOrderShipped"] = {
        "action": "send",
        "channel": {"$ref": "#/channels/orderShipped"},
        "title": "Publish order.shipped",
        "messages": [{"$ref": "#/channels/orderShipped/messages/orderShipped"}],
    }
    doc["components"]["messages"]["OrderShipped"] = {
        "name": "order.shipped",
        "title": "Order shipped",
        "contentType": "application/json",
        "payload": {
            "type": "object",
            "required": ["order_id", "shipped_at"],
            "properties": {
                "order_id": {"type": "string", "format": "uuid"},
                "tracking_number": {"type": "string", "maxLength": 60},
                "shipped_at": {"type": "string", "format": "date-time"},
            },
        },
    }


ORDER_EVENTS_CHANGES: tuple[tuple[str, str, Callable[[Json], None]], ...] = (
    ("order-events: exchange `orders.events` renamed", "breaking", _exchange_renamed),
    ("order-events: required property added to OrderCreated (received)", "breaking", _required_added_to_received),
    ("order-events: enum value added to ProductionJobFailed (sent)", "breaking", _enum_value_added_to_sent),
    ("order-events: channel order.shipped added", "compatible", _channel_added),
)


def _dump(doc: Json, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(doc, sort_keys=False, width=120, allow_unicode=True), encoding="utf-8")
    return path


def order_events_pairs(folder: Path) -> tuple[Path, dict[str, Path], Path]:
    """Write order-events and its revisions (all changes; each alone) under ``folder``.

    Returns the base, the revisions by name (``"all"`` for all four changes), and the root folder their `$ref`s
    may reach (a copy of contracts/common sits beside them). The base is written through the same YAML dumper as
    the revisions, so that only the scripted changes differ.
    """
    contracts = folder / "contracts"
    shutil.copytree(ROOT / "contracts" / "common", contracts / "common", dirs_exist_ok=True)
    original = yaml.safe_load(ORDER_EVENTS.read_text(encoding="utf-8"))
    base = _dump(original, contracts / "order-events" / "base.yaml")
    revisions: dict[str, Path] = {}
    everything = json.loads(json.dumps(original))
    for n, (name, _, edit) in enumerate(ORDER_EVENTS_CHANGES):
        alone = json.loads(json.dumps(original))
        edit(alone)
        edit(everything)
        revisions[name] = _dump(alone, contracts / "order-events" / f"revision-{n}.yaml")
    revisions["all"] = _dump(everything, contracts / "order-events" / "revision.yaml")
    return base, revisions, contracts


def _v26_channel_removed(doc: Json) -> None:
    del doc["channels"]["smartylighting/streetlights/1/0/action/{streetlightId}/dim"]


def _v26_required_added_to_received(doc: Json) -> None:
    # 2.x `publish` = the application receives (the lightMeasured message, on the event channel).
    schema = doc["components"]["schemas"]["lightMeasuredPayload"]
    schema.setdefault("required", []).append("sentAt")


V26_CHANGES: tuple[tuple[str, str, Callable[[Json], None]], ...] = (
    ("streetlights-mqtt 2.6: channel removed", "breaking", _v26_channel_removed),
    ("streetlights-mqtt 2.6: required property added (received)", "breaking", _v26_required_added_to_received),
)


def single_change_pairs(folder: Path) -> list[tuple[str, str, Path, Path, Path]]:
    """Return (name, correct verdict, base, revision, root) pairs of one change each."""
    pairs: list[tuple[str, str, Path, Path, Path]] = []
    synthetic = folder / "synthetic-one"
    spec = make_spec(2)
    base = _dump(spec, synthetic / "base.yaml")
    for n, (name, verdict, edit) in enumerate(CHANGES):
        revision = json.loads(json.dumps(spec))
        edit(revision, 0)
        pairs.append(
            (f"synthetic: {name}", verdict, base, _dump(revision, synthetic / f"revision-{n}.yaml"), synthetic)
        )
    order_base, revisions, root = order_events_pairs(folder / "order-events-one")
    for name, verdict, _ in ORDER_EVENTS_CHANGES:
        pairs.append((name, verdict, order_base, revisions[name], root))
    v26 = folder / "v26-one"
    original = yaml.safe_load(STREETLIGHTS[0].read_text(encoding="utf-8"))
    v26_base = _dump(original, v26 / "base.yaml")
    for n, (name, verdict, edit_v26) in enumerate(V26_CHANGES):
        revision = json.loads(json.dumps(original))
        edit_v26(revision)
        pairs.append((name, verdict, v26_base, _dump(revision, v26 / f"revision-{n}.yaml"), v26))
    return pairs


def corpus_upgrades() -> list[tuple[str, Path, Path]]:
    """Return the corpus examples present in AsyncAPI 2.6 and 3.0: (name, 2.6 file, 3.0 file)."""
    found = []
    for old in sorted((ASYNCAPI_CORPUS / "v2.6").glob("*.yml")):
        new = ASYNCAPI_CORPUS / "v3.0" / f"{old.stem}-asyncapi.yml"
        if new.exists():
            found.append((old.stem, old, new))
    return found


# --- the sections ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Pair:
    """A pair to time and to judge: its title, both files, and the folder their `$ref`s may reach."""

    title: str
    base: Path
    revision: Path
    root: Path


def time_pair(pair: Pair, script: Path | None, repeat: int) -> None:
    contenders: dict[str, Contender] = {}
    if script is not None:
        contenders["@asyncapi/parser + @asyncapi/diff (npm, node), anchor"] = Contender(
            process(anchor_argv(script, pair.base, pair.revision), cwd=script.parent)
        )
    contenders["contractkit, in-process (load + diff)"] = Contender(
        measured(in_process(pair.base, pair.revision, pair.root))
    )
    contenders["`contractkit breaking BASE REV` (CLI, new process)"] = cli(pair.base, pair.revision, pair.root)
    interleave(contenders, repeat)
    size = (pair.base.stat().st_size + pair.revision.stat().st_size) / 2e3
    print_table(f"{pair.title} ({size:.0f} KB per side), median of {repeat}", contenders)


def scaling(repeat: int, folder: Path, script: Path | None) -> list[Pair]:
    pairs: list[Pair] = []
    contenders: dict[str, Contender] = {}
    for scale in SCALES:
        services = SERVICES_AT_1X * scale
        base, revision = write_pair(folder / f"x{scale}", services)
        pair = Pair(f"synthetic {scale}x ({services} services)", base, revision, base.parent)
        pairs.append(pair)
        contenders[f"in-process {scale}x"] = Contender(measured(in_process(base, revision, base.parent)))
        contenders[f"GC off {scale}x"] = Contender(measured(without_gc(in_process(base, revision, base.parent))))
        contenders[f"CLI {scale}x"] = cli(base, revision, base.parent)
        if script is not None:
            contenders[f"anchor {scale}x"] = Contender(process(anchor_argv(script, base, revision), cwd=script.parent))
    interleave(contenders, repeat)
    print(
        f"\n### Scaling: synthetic AsyncAPI 3.0 pairs (benchmarks/synthetic_asyncapi.py), median of {repeat}\n\n"
        "contractkit in-process (load + diff; and the same with the cyclic GC switched off, a what-if), "
        "`contractkit breaking BASE REV` and the anchor in a new process each run. CPU seconds; `vs 1x` is the "
        "ratio to the same contender's 1x time (linear = 1, 2, 4); the last two columns compare the command with "
        "the anchor, wall and CPU.\n"
    )
    print(
        "| size | YAML per side | in-process CPU (s) | vs 1x | GC off CPU (s) | vs 1x | CLI wall (s) | CLI CPU (s) "
        "| vs 1x | CLI peak RSS | anchor wall (s) | anchor CPU (s) | vs 1x | anchor peak RSS "
        "| CLI vs anchor, wall | CLI vs anchor, CPU |"
    )
    print("| --- " + "| ---: " * 15 + "|")
    for scale, pair in zip(SCALES, pairs, strict=True):
        row = [
            f"{scale}x: {SERVICES_AT_1X * scale} services, {SERVICES_AT_1X * scale * 3} channels",
            f"{pair.base.stat().st_size / 1e6:.2f} MB",
        ]
        for name in ("in-process", "GC off"):
            c, one = contenders[f"{name} {scale}x"], contenders[f"{name} 1x"]
            row += [f"{c.cpu_median:.3f}", f"{c.cpu_median / one.cpu_median:.2f}x"]
        command, one = contenders[f"CLI {scale}x"], contenders["CLI 1x"]
        row += [f"{command.median:.3f}", f"{command.cpu_median:.3f}", f"{command.cpu_median / one.cpu_median:.2f}x"]
        row.append(command.peak_mb)
        anchor = contenders.get(f"anchor {scale}x")
        if anchor is not None:
            one = contenders["anchor 1x"]
            row += [
                f"{anchor.median:.3f}",
                f"{anchor.cpu_median:.3f}",
                f"{anchor.cpu_median / one.cpu_median:.2f}x",
                anchor.peak_mb,
                f"{command.median / anchor.median:.2f}x",
                f"{command.cpu_median / anchor.cpu_median:.2f}x",
            ]
        else:
            row += ["n/a"] * 6
        print("| " + " | ".join(row) + " |")
    return pairs


def quality(pairs: list[Pair], script: Path | None) -> None:
    print(
        "\n### What each one finds on the same pairs\n\n"
        "contractkit: breaking / possibly breaking / compatible. Anchor: breaking / non-breaking / unclassified, "
        "as it runs, and with the parser's `x-parser-*` annotations removed from both sides before the diff.\n"
    )
    print(
        "| pair | contractkit | contractkit rules | anchor | anchor, `x-parser-*` removed "
        "| what the anchor calls breaking |"
    )
    print("| --- | ---: | --- | ---: | ---: | --- |")
    for pair in pairs:
        levels, rules = contractkit_counts(pair.base, pair.revision, pair.root)
        found = anchor_counts(script, pair.base, pair.revision) if script is not None else {}
        stripped = found.get("stripped") or {}
        paths = stripped.get("breakingPaths") or []
        breaking = ", ".join(f"`{path}`" for path in paths[:3]) + (
            f" and {len(paths) - 3} more" if len(paths) > 3 else ""
        )
        print(
            f"| {pair.title} | {contractkit_text(levels)} | {_rules(rules)} | {anchor_text(found.get('raw'))} "
            f"| {anchor_text(found.get('stripped'))} | {breaking or '(nothing)'} |"
        )


def one_change_at_a_time(folder: Path, script: Path | None) -> None:
    print(
        "\n### One change at a time\n\n"
        "Each row is a pair that differs by one change. Verdict: what a correct engine says (ANCHORS.md, issue 4). "
        "contractkit: breaking / possibly breaking / compatible, and its rules. Anchor: breaking / non-breaking / "
        "unclassified with the parser's `x-parser-*` annotations removed (as it runs, in brackets when different).\n"
    )
    print("| change | verdict | contractkit | contractkit rules | anchor |")
    print("| --- | --- | ---: | --- | ---: |")
    for name, verdict, base, revision, root in single_change_pairs(folder):
        levels, rules = contractkit_counts(base, revision, root)
        found = anchor_counts(script, base, revision) if script is not None else {}
        raw, stripped = anchor_text(found.get("raw")), anchor_text(found.get("stripped", found.get("raw")))
        anchor = stripped if raw == stripped else f"{stripped} ({raw})"
        print(f"| {name} | {verdict} | {contractkit_text(levels)} | {_rules(rules)} | {anchor} |")


def upgrades() -> None:
    print(
        "\n### The corpus examples in AsyncAPI 2.6 beside their 3.0 rewrite (same meaning)\n\n"
        "contractkit: breaking / possibly breaking / compatible (a correct engine reports nothing breaking). The "
        "anchor refuses every such pair (`diff between different AsyncAPI version is not allowed`).\n"
    )
    print("| example | contractkit | contractkit rules |")
    print("| --- | ---: | --- |")
    for name, old, new in corpus_upgrades():
        levels, rules = contractkit_counts(old, new, ASYNCAPI_CORPUS)
        print(f"| {name} | {contractkit_text(levels)} | {_rules(rules)} |")


def _rules(rules: list[str]) -> str:
    return ", ".join(f"`{rule}`" for rule in rules) if rules else "(none)"


def profile(pair: Pair) -> None:
    run = in_process(pair.base, pair.revision, pair.root)
    total, in_gc, full = gc_seconds(run)
    print(
        f"\n### Cyclic garbage collection (one in-process run of the {pair.title} pair)\n\n"
        f"{in_gc:.3f} s of {total:.3f} s ({in_gc / total:.0%}) were spent in the cyclic garbage collector, "
        f"{full} full collections (gc.callbacks)."
    )
    profiler = cProfile.Profile()
    profiler.enable()
    run()
    profiler.disable()
    stats = pstats.Stats(profiler, stream=io.StringIO())
    profiled = stats.total_tt  # type: ignore[attr-defined]
    print(f"\n### Where the time goes (cProfile, one in-process run of the {pair.title} pair, {profiled:.2f} s)\n")
    print("| function | calls | own (s) | cumulative (s) |")
    print("| --- | ---: | ---: | ---: |")
    rows = sorted(stats.stats.items(), key=lambda item: item[1][3], reverse=True)  # type: ignore[attr-defined]
    shown = 0
    for (filename, line, name), (_, calls, own, cumulative, _) in rows:
        if "/contractkit/" not in filename or name in ("run", "diff_pair"):
            continue
        where = "contractkit/" + filename.split("/contractkit/", 1)[1]
        print(f"| `{where}:{line} {name}` | {calls} | {own:.3f} | {cumulative:.3f} |")
        shown += 1
        if shown == 15:
            break
    print("\nBy own time:\n")
    print("| function | calls | own (s) | cumulative (s) |")
    print("| --- | ---: | ---: | ---: |")
    rows = sorted(stats.stats.items(), key=lambda item: item[1][2], reverse=True)  # type: ignore[attr-defined]
    for (filename, line, name), (_, calls, own, cumulative, _) in rows[:10]:
        where = "contractkit/" + filename.split("/contractkit/", 1)[1] if "/contractkit/" in filename else filename
        print(
            f"| `{Path(where).name if where.startswith('/') else where}:{line} {name}` | {calls} | {own:.3f} "
            f"| {cumulative:.3f} |"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--skip-npm", action="store_true", help="do not install and measure npm @asyncapi/diff")
    args = parser.parse_args()
    print(f"Run on {time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores, Python {platform.python_version()}.")
    with tempfile.TemporaryDirectory(prefix="ck-bench-asyncapi-") as tmp:
        work = Path(tmp)
        script = None if args.skip_npm else install_anchor(work / "npm")
        if script is None:
            print("\n> No anchor in this run: in the first two tables the ratios are to the first row.")
        base, revisions, root = order_events_pairs(work / "order-events")
        order_events = Pair("order-events + 4 scripted changes", base, revisions["all"], root)
        streetlights = Pair("streetlights-mqtt 2.6 -> 3.0", *STREETLIGHTS, ASYNCAPI_CORPUS)
        time_pair(order_events, script, args.repeat)
        time_pair(streetlights, script, args.repeat)
        synthetic = scaling(args.repeat, work / "synthetic", script)
        quality([order_events, streetlights, *synthetic], script)
        one_change_at_a_time(work, script)
        upgrades()
        profile(synthetic[-1])
    sys.stdout.flush()


if __name__ == "__main__":
    main()
