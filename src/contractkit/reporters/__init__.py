"""Reporters turn a :class:`~contractkit.findings.Report` into text for people, tools or CI systems.

Every reporter follows the :class:`Reporter` protocol and writes only to the stream it is given; the CLI
picks one from :data:`REPORTERS` by the ``--format`` name (the formats of every command are registered once, in
:mod:`contractkit.outputs`)::

    REPORTERS["sarif"].render(report, sys.stdout)

=========  =====================================================================
``text``   for people (the default): ``path:line:col  severity  rule-id  message``
``json``   one JSON document with a summary and every finding
``github`` GitHub Actions annotations, plus a table in ``$GITHUB_STEP_SUMMARY``
``sarif``  SARIF 2.1.0, for GitHub code scanning
``junit``  JUnit XML, for CI test-result views
=========  =====================================================================

Findings whose severity is ``OFF`` are never shown by any reporter.

``contractkit breaking`` and ``changelog`` render a report of *changes* (each finding a change from a base
to a revision, with a level and maybe an acceptance) and pick from :data:`BREAKING_REPORTERS` and
:data:`CHANGELOG_REPORTERS`: the same five names but SARIF, plus ``markdown``, the PR-comment layout.

:func:`plural` (``1 contract``, ``2 contracts``) is the one text helper the renderers of other packages share
(``fuzz``, ``gate``, the CLI); the reporters' other helpers stay private to this package.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from contractkit.outputs import BREAKING, CHANGELOG, CHECK
from contractkit.reporters.common import plural

if TYPE_CHECKING:
    from typing import TextIO

    from contractkit.findings import Report
    from contractkit.outputs import Formats
    from contractkit.reporters.github import ChangesGithubReporter, GithubReporter
    from contractkit.reporters.json import BreakingJsonReporter, ChangelogJsonReporter, JsonReporter
    from contractkit.reporters.junit import JunitReporter
    from contractkit.reporters.markdown import MarkdownReporter
    from contractkit.reporters.sarif import SarifReporter
    from contractkit.reporters.text import BreakingTextReporter, ChangelogTextReporter, TextReporter

#: Where each reporter class lives: imported on first use, so that a command loads only the reporter it renders
#: with (the tables of :mod:`contractkit.outputs` name them the same way).
_CLASSES = {
    "BreakingJsonReporter": "json",
    "BreakingTextReporter": "text",
    "ChangelogJsonReporter": "json",
    "ChangelogTextReporter": "text",
    "ChangesGithubReporter": "github",
    "GithubReporter": "github",
    "JsonReporter": "json",
    "JunitReporter": "junit",
    "MarkdownReporter": "markdown",
    "SarifReporter": "sarif",
    "TextReporter": "text",
}

__all__ = [
    "BREAKING_REPORTERS",
    "CHANGELOG_REPORTERS",
    "REPORTERS",
    "BreakingJsonReporter",
    "BreakingTextReporter",
    "ChangelogJsonReporter",
    "ChangelogTextReporter",
    "ChangesGithubReporter",
    "GithubReporter",
    "JsonReporter",
    "JunitReporter",
    "MarkdownReporter",
    "Reporter",
    "SarifReporter",
    "TextReporter",
    "plural",
]


@runtime_checkable
class Reporter(Protocol):
    """Something that renders a report to a text stream."""

    def render(self, report: Report, stream: TextIO, *, color: bool = False) -> None:
        """Write ``report`` to ``stream``.

        Args:
            report: the findings of one command run, with the contracts it checked.
            stream: where to write; a reporter writes nowhere else (the GitHub reporter also appends
                to ``$GITHUB_STEP_SUMMARY`` when GitHub sets it).
            color: whether ANSI colours may be used; only the text reporter uses them.
        """


#: The reporters by ``--format`` name, the default (``text``) first: the table in :mod:`contractkit.outputs`.
REPORTERS: Formats[Report] = CHECK

#: The reporters of ``contractkit breaking`` by ``--format`` name: the JSON is ``{"breaking", "changes"}``.
BREAKING_REPORTERS: Formats[Report] = BREAKING

#: The reporters of ``contractkit changelog`` by ``--format`` name: changes grouped by operation.
CHANGELOG_REPORTERS: Formats[Report] = CHANGELOG


def __getattr__(name: str) -> Any:
    module = _CLASSES.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)
