"""One test per directory under tests/breaking/asyncapi_cases/: an AsyncAPI base/revision pair and its findings.

The cases cover the rules the AsyncAPI engine declares itself (channels, operations, messages, AMQP bindings:
``@breaking_rule`` functions in the modules of ``breaking/asyncapi/``); the payload and header schema rules
(``sent-message-*``, ``received-message-*``) are the OpenAPI body cases replayed (test_asyncapi_schema_rules.py).

Every case is the order service's events (channels ``order.created`` and ``order.cancelled`` on the topic
exchange ``orders.events``, the quorum queue ``order-service.production-jobs`` it consumes) changed one way,
written in AsyncAPI 2.6 (``publish``/``subscribe``, ``message.oneOf``, ``messageId``, traits) or 3.0
(``operations``, channel ``messages``, ``reply``). A comment at the top of each file says what changed.

- ``<rule-id>--26`` / ``--30`` / ``--<what>-26``: the pair must fire the rule (in AsyncAPI 2.6 / 3.0);
- ``<rule-id>--silent-26`` / ``--silent-<what>-30``: a near miss, where the rule must not fire;
- ``compatible--<what>-26``: a change that must find nothing at all.

The harness and its conventions are tests/cases.py; regenerate with
``pytest tests/breaking/test_asyncapi_cases.py --update-goldens`` and review the diff like code. A case in
:data:`ENGINE_WRONG` is a known engine bug: its ``expected.txt`` is written by hand with what the engine should
report, it is not regenerated, and the case is a strict xfail until the engine is fixed.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

import contractkit.breaking.asyncapi
from contractkit.breaking import diff_documents
from contractkit.breaking.registry import ChangeRule
from contractkit.findings import Finding, Severity
from contractkit.loaders import FileStore, load_document, open_document
from contractkit.validate import validate_document
from tests.cases import CaseSuite, declared_rules

VERSIONS = {"2.6.0": "26", "3.0.0": "30"}

# case -> what the engine gets wrong (its expected.txt says what it should report).
ENGINE_WRONG: dict[str, str] = {}


def findings_of(case: Path) -> list[Finding]:
    store = FileStore()
    base = open_document(case / "base.yaml", store=store, root_dir=case)
    revision = open_document(case / "revision.yaml", store=store, root_dir=case)
    return diff_documents(base, revision)


def asyncapi_rules() -> set[str]:
    """Return the ids of the rules the AsyncAPI engine declares itself (not the renamed schema rules)."""
    return declared_rules(contractkit.breaking.asyncapi, ChangeRule)


@cache
def version_of(case: Path, stem: str = "base") -> str:
    """Return ``26`` or ``30``: the AsyncAPI version of one side of the case."""
    version = str(yaml.safe_load((case / f"{stem}.yaml").read_text())["asyncapi"])
    return VERSIONS.get(version, version)


SUITE = CaseSuite(
    Path(__file__).parent / "asyncapi_cases",
    run=findings_of,
    rules=asyncapi_rules,
    versions=tuple(VERSIONS.values()),
    version_of=version_of,
    same_version=True,
    known_wrong=ENGINE_WRONG,
)


@SUITE.parametrize()
def test_asyncapi_case(case: Path, update_goldens: bool) -> None:
    SUITE.check(case, update_goldens)


@SUITE.parametrize(xfail=False)
def test_asyncapi_case_documents_are_valid(case: Path) -> None:
    """A case is only evidence if both of its documents are valid AsyncAPI."""
    for stem in ("base", "revision"):
        errors = [
            f"{f.location.line}: {f.message}"
            for f in validate_document(load_document(case / f"{stem}.yaml", root_dir=case))
            if f.severity is Severity.ERROR
        ]
        assert not errors, f"{case.name}/{stem}.yaml is not valid AsyncAPI: {errors}"


def test_every_asyncapi_rule_fires_and_stays_silent_in_both_versions() -> None:
    SUITE.check_coverage()


def test_asyncapi_case_names_carry_their_version() -> None:
    SUITE.check_names()


def test_known_engine_bugs_name_existing_cases() -> None:
    SUITE.check_known_wrong()
