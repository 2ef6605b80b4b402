"""The Markdown report of a message fuzz run: the HTTP fuzzer's, with what an AMQP run does in place of HTTP terms.

The HTTP report's settings speak of examples per operation and phase and of stateful sequences (OpenAPI links);
a message run has neither: it sends valid and invalid messages per message of each receive operation, and
captures what the service publishes. Those lines are replaced or dropped; the rest (verdict, operations,
failures with the command that repeats them, errors) is the HTTP report's own.

:class:`MessageFuzzMarkdownRenderer` is the ``markdown`` format of :data:`contractkit.outputs.MESSAGE_FUZZ`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import TextIO

    from contractkit.fuzz.result import FuzzResult

__all__ = ["MessageFuzzMarkdownRenderer", "render_markdown"]

_HTTP_ONLY = ("- stateful sequences (OpenAPI links):",)


def render_markdown(result: FuzzResult) -> str:
    """Return the Markdown report of a message fuzz run (see the module docstring)."""
    from contractkit.fuzz.report import render_markdown as render_http

    out = []
    for line in render_http(result).splitlines():
        if line.startswith(_HTTP_ONLY):
            continue
        if line.startswith("- target: "):
            line = f"- broker: `{result.base_url}`"
        elif line.startswith("- bounds: "):
            line = (
                f"- bounds: at most {result.max_examples} valid and {result.max_examples} invalid messages per "
                f"message of each receive operation, time budget {result.time_budget:g} s, {result.elapsed:.1f} s used"
            )
        elif line == "| operation | requests | failed checks | note |":
            line = "| operation | messages | failed checks | note |"
        out.append(line)
    return "\n".join(out) + "\n"


class MessageFuzzMarkdownRenderer:
    """The Markdown report of a message fuzz run (:func:`render_markdown`): ``--report`` with ``--amqp-url``."""

    def render(self, result: FuzzResult, stream: TextIO, *, color: bool = False) -> None:
        """Write :func:`render_markdown` of ``result`` to ``stream`` (``color`` is ignored)."""
        stream.write(render_markdown(result))
