"""One walk of AsyncAPI channels and operations (issue 16): :mod:`contractkit.spec` alone reads them.

The AsyncAPI view (:mod:`contractkit.spec.asyncapi`) and lint's walk (:mod:`contractkit.spec.walk`) read a
document's ``channels``, ``operations`` and the 2.x ``publish``/``subscribe`` of a channel; every other module reads
the view (the breaking model, codegen, the messaging runtime, the message fuzzer). A read of those keys elsewhere is
a second walk growing back, unless it is one of the few listed here, each with why it is no walk.
"""

from __future__ import annotations

import re
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "contractkit"
# `.get("channels")`, `.raw('operations')`, `.get("publish")`, a `("publish", "subscribe")` loop...
WALK = re.compile(
    r"""\.(?:get|raw|items)\(\s*["'](?:channels|operations|publish|subscribe)["']"""
    r"""|\(\s*["'](?:publish|subscribe)["']\s*,\s*["'](?:publish|subscribe)["']\s*\)"""
)
ALLOWED = {
    # where a finding about a removed channel or operation points in the revision: its `channels` or
    # `operations` map, not a walk of it
    "breaking/asyncapi/channels.py": 1,
    "breaking/asyncapi/operations.py": 2,
    # whether a removed 2.x channel was deprecated: the deprecation of the operations of that one channel object
    "breaking/policies/deprecation.py": 1,
    # `operations` of an entry of contracts/catalog.yaml (their stability), no AsyncAPI document
    "catalog/reader.py": 1,
    # what a deprecated node is called, from the last token of its pointer (`.../publish`: an operation)
    "lint/rules/deprecation.py": 1,
}


def _hits() -> dict[str, int]:
    found: dict[str, int] = {}
    for path in sorted(SRC.rglob("*.py")):
        relative = path.relative_to(SRC).as_posix()
        if relative.startswith("spec/"):
            continue
        count = len(WALK.findall(path.read_text(encoding="utf-8")))
        if count:
            found[relative] = count
    return found


def test_only_spec_walks_asyncapi_channels_and_operations() -> None:
    assert _hits() == ALLOWED


def test_the_pattern_finds_a_walk() -> None:
    walk = 'channels = root.get("channels")\nfor verb in ("publish", "subscribe"):\n    op = item.get(verb)\n'
    assert len(WALK.findall(walk)) == 2
    assert not WALK.findall('head = ["change", "where", "operations"]')
