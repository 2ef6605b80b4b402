"""Every output format of every command, registered once: the ``--format`` choices of the CLI come from here.

A command's formats are a :class:`Formats`: its ``--format`` names, the default first, each with a one-line
description and the renderer that writes it, named by import path (``module:Class``) so that listing the
names (for ``--help``) imports no renderer. Every renderer has the same shape, generic in the result it
renders (:class:`Renderer`): ``render(result, stream, *, color=False)``.

To add a format, write its renderer in its own module and add one line to the command's table below. The tables
are the only place a format name is written: the CLI's choices, its help and its error for an unknown name are
read from them (``tests/reporters/test_outputs.py`` checks that each renderer takes its table's result type).
``dlq`` has a table per result (:data:`DLQ_LIST`, :data:`DLQ_SHOW`, :data:`DLQ_ACTION`). ``fuzz`` has no
``--format``: its tables (:data:`FUZZ`, :data:`MESSAGE_FUZZ`) name the console summary and the
report files of its ``--report`` and ``--junit-xml``, and the CLI writes each through them.
"""

from __future__ import annotations

import difflib
import importlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Generic, Protocol, TypeVar

if TYPE_CHECKING:
    from typing import TextIO

    from contractkit.findings import Report
    from contractkit.fuzz.result import FuzzResult
    from contractkit.gate.model import GateResult
    from contractkit.messaging.dlq_report import DeadLetterAction, DeadLetterListing, DeadLetterShown
    from contractkit.rules.registry import Rule

R_contra = TypeVar("R_contra", contravariant=True)
R = TypeVar("R")


class Renderer(Protocol[R_contra]):
    """Something that renders a command's result to a text stream."""

    def render(self, result: R_contra, stream: TextIO, *, color: bool = False) -> None:
        """Write ``result`` to ``stream``; ``color``: ANSI colours allowed (only text formats use them)."""


@dataclass(frozen=True)
class Format:
    """One ``--format`` choice: the renderer (``module:Class``, instantiated without arguments) and what it is for."""

    renderer: str
    summary: str


@dataclass
class Formats(Mapping[str, Renderer[R]], Generic[R]):
    """The output formats of one command, by ``--format`` name, the default first.

    A mapping of name to renderer: ``formats["sarif"].render(report, stream)``. A renderer is imported and made
    on first use, once.

    Attributes:
        command: the command that uses these formats, for messages (``check`` also stands for ``validate`` and
            ``lint``, which share its formats).
        result: the name of the result type the renderers take (``Report``, ``GateResult``).
        table: name -> :class:`Format`.
    """

    command: str
    result: str
    table: dict[str, Format]
    _made: dict[str, Renderer[R]] = field(default_factory=dict, repr=False)

    def __getitem__(self, name: str) -> Renderer[R]:
        made = self._made.get(name)
        if made is None:
            module, _, attribute = self.table[name].renderer.partition(":")
            made = self._made[name] = getattr(importlib.import_module(module), attribute)()
        return made

    def __iter__(self) -> Iterator[str]:
        return iter(self.table)

    def __len__(self) -> int:
        return len(self.table)

    @property
    def default(self) -> str:
        """Return the default format's name (the first)."""
        return next(iter(self.table))

    def unknown(self, name: str) -> str:
        """Return the message for ``--format NAME`` that is not one of these: the choices and a did-you-mean."""
        guess = difflib.get_close_matches(name, list(self.table), n=1)
        hint = f" (did you mean `{guess[0]}`?)" if guess else ""
        return f"`{name}` is not an output format of `{self.command}`{hint}: choose one of {', '.join(self.table)}."

    def help(self) -> str:
        """Return the help line of ``--format``: each name and what it is for."""
        return "Output format: " + "; ".join(f"{name} ({f.summary})" for name, f in self.table.items()) + "."


CHECK: Formats[Report] = Formats(
    "check",
    "Report",
    {
        "text": Format("contractkit.reporters.text:TextReporter", "for people"),
        "json": Format("contractkit.reporters.json:JsonReporter", "one document"),
        "github": Format("contractkit.reporters.github:GithubReporter", "GitHub Actions annotations"),
        "sarif": Format("contractkit.reporters.sarif:SarifReporter", "SARIF 2.1.0, for code scanning"),
        "junit": Format("contractkit.reporters.junit:JunitReporter", "JUnit XML"),
    },
)

BREAKING: Formats[Report] = Formats(
    "breaking",
    "Report",
    {
        "text": Format("contractkit.reporters.text:BreakingTextReporter", "for people"),
        "json": Format("contractkit.reporters.json:BreakingJsonReporter", "one document"),
        "markdown": Format("contractkit.reporters.markdown:MarkdownReporter", "a pull-request comment"),
        "github": Format("contractkit.reporters.github:ChangesGithubReporter", "GitHub Actions annotations"),
        "junit": Format("contractkit.reporters.junit:JunitReporter", "JUnit XML"),
    },
)

CHANGELOG: Formats[Report] = Formats(
    "changelog",
    "Report",
    {
        "text": Format("contractkit.reporters.text:ChangelogTextReporter", "for people, grouped by operation"),
        "json": Format("contractkit.reporters.json:ChangelogJsonReporter", "one document"),
        "markdown": Format("contractkit.reporters.markdown:MarkdownReporter", "a pull-request comment"),
        "github": Format("contractkit.reporters.github:ChangesGithubReporter", "GitHub Actions annotations"),
        "junit": Format("contractkit.reporters.junit:JunitReporter", "JUnit XML"),
    },
)

GATE: Formats[GateResult] = Formats(
    "ci",
    "GateResult",
    {
        "text": Format("contractkit.gate.render.text:GateTextRenderer", "the CI log"),
        "markdown": Format("contractkit.gate.render.markdown:GateMarkdownRenderer", "a pull-request comment"),
        "github": Format("contractkit.gate.render.github:GateGithubRenderer", "annotations and a job summary"),
        "json": Format("contractkit.gate.render.json:GateJsonRenderer", "schema contractkit-gate/1"),
        "junit": Format("contractkit.gate.render.junit:GateJunitRenderer", "JUnit XML"),
    },
)

RULES: Formats[list[Rule]] = Formats(
    "rules",
    "list[Rule]",
    {
        "text": Format("contractkit.rulebook.docs:RulesTextRenderer", "a table"),
        "markdown": Format("contractkit.rulebook.docs:RulesMarkdownRenderer", "docs/rules.md"),
        "json": Format("contractkit.rulebook.docs:RulesJsonRenderer", "one list"),
    },
)

# ``fuzz`` has no --format: it prints ``text`` and writes ``markdown`` (--report) and ``junit`` (--junit-xml) when
# asked. An HTTP run and a message run (--amqp-url) have the same result; only the Markdown report differs.
FUZZ: Formats[FuzzResult] = Formats(
    "fuzz",
    "FuzzResult",
    {
        "text": Format("contractkit.fuzz.report:FuzzTextRenderer", "the console summary"),
        "markdown": Format("contractkit.fuzz.report:FuzzMarkdownRenderer", "--report"),
        "junit": Format("contractkit.fuzz.report:FuzzJunitRenderer", "--junit-xml, one test case per operation"),
    },
)

MESSAGE_FUZZ: Formats[FuzzResult] = Formats(
    "fuzz",
    "FuzzResult",
    {
        "text": Format("contractkit.fuzz.report:FuzzTextRenderer", "the console summary"),
        "markdown": Format("contractkit.messagefuzz.report:MessageFuzzMarkdownRenderer", "--report, in AMQP terms"),
        "junit": Format("contractkit.fuzz.report:FuzzJunitRenderer", "--junit-xml, one test case per operation"),
    },
)

# ``dlq``: a table per result (``list``, ``show``, and ``replay``/``purge`` which report alike).
_DLQ = "contractkit.messaging.dlq_report"

DLQ_LIST: Formats[DeadLetterListing] = Formats(
    "dlq list",
    "DeadLetterListing",
    {
        "text": Format(f"{_DLQ}:ListingTextRenderer", "for people, a paragraph per reason"),
        "json": Format(f"{_DLQ}:ListingJsonRenderer", "one document, every id"),
    },
)

DLQ_SHOW: Formats[DeadLetterShown] = Formats(
    "dlq show",
    "DeadLetterShown",
    {
        "text": Format(f"{_DLQ}:LetterTextRenderer", "for people, the payload cut at 4,000 characters"),
        "json": Format(f"{_DLQ}:LetterJsonRenderer", "one document, the whole payload"),
    },
)

DLQ_ACTION: Formats[DeadLetterAction] = Formats(
    "dlq replay|purge",
    "DeadLetterAction",
    {
        "text": Format(f"{_DLQ}:ActionTextRenderer", "for people"),
        "json": Format(f"{_DLQ}:ActionJsonRenderer", "one document"),
    },
)
