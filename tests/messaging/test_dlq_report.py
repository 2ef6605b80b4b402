"""What `contractkit dlq` prints: a dead letter's text is the broker's (anyone's), so the text formats escape it."""

from __future__ import annotations

import io
import json

import pytest

from contractkit import outputs
from contractkit.messaging.dlq import ReasonGroup, ReplayReport
from contractkit.messaging.dlq_report import DeadLetterAction, DeadLetterListing

ESC = "\x1b[2J"  # clears a terminal
GROUP = ReasonGroup(f"payload-schema{ESC}", 3, ("orders.q",), f"payload/x{ESC}", f"bad{ESC}", 7200.0, ("a", "b", "c"))


def strings(value: object) -> list[str]:
    if isinstance(value, dict):
        return [s for v in value.values() for s in strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in strings(v)]
    return [value] if isinstance(value, str) else []


def render(table: outputs.Formats[object], name: str, result: object) -> str:
    stream = io.StringIO()
    table[name].render(result, stream)
    return stream.getvalue()


@pytest.mark.parametrize(
    ("table", "result", "shown"),
    [
        pytest.param(outputs.DLQ_LIST, DeadLetterListing("orders.dlq", 3, [GROUP]), "oldest 2h ago", id="list"),
        pytest.param(
            outputs.DLQ_ACTION,
            DeadLetterAction("replayed", ReplayReport(done=["a"], skipped={"b": f"replayed once{ESC}"})),
            "replayed: 1",
            id="action",
        ),
    ],
)
def test_text_escapes_control_characters_and_json_keeps_the_value(
    table: outputs.Formats[object], result: object, shown: str
) -> None:
    text = render(table, "text", result)
    assert shown in text
    assert "\x1b" not in text and "\\x1b[2J" in text
    raw = render(table, "json", result)
    assert "\x1b" not in raw  # JSON escapes it itself
    assert any(ESC in value for value in strings(json.loads(raw)))  # and the value is the broker's, unchanged
