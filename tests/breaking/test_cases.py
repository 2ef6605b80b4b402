"""One test per directory under tests/breaking/cases/: a base/revision pair and the findings it must produce.

A case is ``<rule-id>--<variant>/`` holding ``base.yaml`` (or ``.json``), ``revision.yaml`` (or ``.json``) and
``expected.txt``; any other file beside them (``common/money.yaml``) is reachable by relative ``$ref`` from both
sides (the case directory is the root of both documents).

- ``<rule-id>--30`` / ``--31`` / ``--<what>-31``: the pair must fire the rule (in OpenAPI 3.0 / 3.1);
- ``<rule-id>--silent-30`` / ``--silent-<what>-31``: a near miss, where the rule must not fire;
- ``compatible--<what>-31``: a change that must find nothing at all.

``expected.txt`` holds every finding of the pair, not only the named rule's (files relative to the case
directory, the revision side, or for a removal the nearest node that still exists there). The harness and its
conventions are tests/cases.py; regenerate with ``pytest tests/breaking/test_cases.py --update-goldens`` and
review the diff like code.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

import contractkit.breaking.openapi
from contractkit.breaking import diff_documents
from contractkit.breaking.registry import ChangeRule
from contractkit.findings import Finding
from contractkit.loaders import FileStore, open_document
from tests.cases import CaseSuite, declared_rules, side


def findings_of(case: Path) -> list[Finding]:
    store = FileStore()
    base = open_document(side(case, "base"), store=store, root_dir=case)
    revision = open_document(side(case, "revision"), store=store, root_dir=case)
    return diff_documents(base, revision)


def openapi_rules() -> set[str]:
    """Return the ids of the OpenAPI engine's rules (catalog-level rules, such as contract-removed, live elsewhere)."""
    return declared_rules(contractkit.breaking.openapi, ChangeRule)


@cache
def version_of(case: Path, stem: str = "base") -> str:
    """Return ``30`` or ``31``: the OpenAPI version of one side of the case."""
    return str(yaml.safe_load(side(case, stem).read_text())["openapi"]).replace(".", "")[:2]


SUITE = CaseSuite(
    Path(__file__).parent / "cases",
    run=findings_of,
    rules=openapi_rules,
    versions=("30", "31"),
    version_of=version_of,
)


@SUITE.parametrize()
def test_breaking_case(case: Path, update_goldens: bool) -> None:
    SUITE.check(case, update_goldens)


def test_every_rule_fires_and_stays_silent_in_both_versions() -> None:
    SUITE.check_coverage()


def test_case_names_carry_their_version() -> None:
    SUITE.check_names()
