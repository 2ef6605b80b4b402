"""The deprecation policy leaves every engine case alone unless the node that case removes was deprecated.

Every pair of tests/breaking/cases/ (OpenAPI) and tests/breaking/asyncapi_cases/ is diffed with and without the
policy, on a day after every sunset date the cases could name: the findings must be identical, except in cases
whose base marks something deprecated, and there only a removal may change (downgraded to ``info``).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from contractkit.breaking import diff_documents
from contractkit.breaking.policies import DeprecationPolicy
from contractkit.findings import Finding, Severity
from contractkit.loaders import FileStore, open_document
from tests.cases import all_cases, side

ROOTS = [Path(__file__).parents[1] / "cases", Path(__file__).parents[1] / "asyncapi_cases"]
LATER = dt.date(2999, 12, 31)


def cases() -> list[Path]:
    return [case for case in all_cases(*ROOTS) if any(case.glob("base.*"))]


def diff(case: Path, *, policy: bool) -> list[Finding]:
    store = FileStore()
    base = open_document(side(case, "base"), store=store, root_dir=case)
    revision = open_document(side(case, "revision"), store=store, root_dir=case)
    return diff_documents(base, revision, policy=DeprecationPolicy(LATER) if policy else None)


def test_there_are_engine_cases() -> None:
    assert len(cases()) > 100


@pytest.mark.parametrize("case", [pytest.param(c, id=f"{c.parent.name}/{c.name}") for c in cases()])
def test_policy_changes_only_deprecated_removals(case: Path) -> None:
    plain, judged = diff(case, policy=False), diff(case, policy=True)
    text = side(case, "base").read_text(encoding="utf-8")
    if "deprecated: true" not in text and "x-deprecated: true" not in text:
        assert judged == plain
        return
    assert len(judged) == len(plain)
    for before, after in zip(plain, judged, strict=True):
        if before != after:
            assert after.severity is Severity.INFO and after.rule_id == before.rule_id, after
            assert after.message.startswith(before.message), after
