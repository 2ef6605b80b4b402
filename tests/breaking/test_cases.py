"""One test per directory under tests/breaking/cases/: a base/revision pair and the findings it must produce.

A case is ``<rule-id>--<variant>/`` holding ``base.yaml`` (or ``.json``), ``revision.yaml`` (or ``.json``) and
``expected.txt``; any other file beside them (``common/money.yaml``) is reachable by relative ``$ref`` from both
sides (the case directory is the root of both documents).

- ``<rule-id>--30`` / ``--31`` / ``--<what>-31``: the pair must fire the rule (in OpenAPI 3.0 / 3.1);
- ``<rule-id>--silent-30`` / ``--silent-<what>-31``: a near miss, where the rule must not fire;
- ``compatible--<what>-31``: a change that must find nothing at all.

``expected.txt`` holds every finding of the pair, not only the named rule's, sorted by position, one per line:
``file:line:column level rule-id [operation] message`` (files relative to the case directory, the revision
side, or for a removal the nearest node that still exists there). Regenerate with
``pytest tests/breaking/test_cases.py --update-goldens`` and review the diff like code.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
import yaml

from contractkit.breaking import diff_documents
from contractkit.breaking.openapi import rules as table
from contractkit.breaking.registry import ChangeRule
from contractkit.findings import Finding
from contractkit.loaders import FileStore, open_document

CASES = Path(__file__).parent / "cases"
COMPATIBLE = "compatible"


def case_dirs() -> list[Path]:
    return sorted(p for p in CASES.iterdir() if p.is_dir())


def rule_of(case: Path) -> str:
    return case.name.split("--")[0]


def is_silent(case: Path) -> bool:
    return case.name.split("--", 1)[1].startswith("silent")


def side(case: Path, stem: str) -> Path:
    for candidate in (case / f"{stem}.yaml", case / f"{stem}.json"):
        if candidate.exists():
            return candidate
    raise AssertionError(f"{case.name}: no {stem}.yaml or {stem}.json")


@cache
def version_of(case: Path, stem: str = "base") -> str:
    """Return ``30`` or ``31``: the OpenAPI version of one side of the case (the base by default)."""
    data = yaml.safe_load(side(case, stem).read_text())
    return str(data["openapi"]).replace(".", "")[:2]


def findings_of(case: Path) -> list[Finding]:
    store = FileStore()
    base = open_document(side(case, "base"), store=store, root_dir=case)
    revision = open_document(side(case, "revision"), store=store, root_dir=case)
    return diff_documents(base, revision)


def relative(file: str, case: Path) -> str:
    return Path(file).resolve().relative_to(case.resolve()).as_posix()


def render(findings: list[Finding], case: Path) -> str:
    ordered = sorted(findings, key=lambda f: (relative(f.location.file, case), *f.sort_key()[1:]))
    lines = [
        f"{relative(f.location.file, case)}:{f.location.line}:{f.location.column} {f.severity.value} {f.rule_id}"
        f"{f' [{f.operation}]' if f.operation else ''} {f.message}"
        for f in ordered
    ]
    return "".join(line + "\n" for line in lines)


def openapi_rules() -> set[str]:
    """Return the ids of the OpenAPI rule table (catalog-level rules, such as a contract removed, live elsewhere)."""
    return {value.id for value in vars(table).values() if isinstance(value, ChangeRule)}


@pytest.mark.parametrize("case", case_dirs(), ids=lambda p: p.name)
def test_breaking_case(case: Path, update_goldens: bool) -> None:
    rule = rule_of(case)
    assert rule == COMPATIBLE or rule in openapi_rules(), f"case {case.name} names no OpenAPI breaking rule"
    findings = findings_of(case)
    actual = render(findings, case)
    expected_file = case / "expected.txt"
    if update_goldens:
        expected_file.write_text(actual)
    assert expected_file.exists(), f"{case.name}: no expected.txt (run pytest --update-goldens and review it)"
    assert actual == expected_file.read_text()
    for finding in findings:  # the change model: the revision side (or nearest node), and the base side
        assert finding.message[:1].islower() or finding.message.startswith("`"), finding.message
        assert not finding.message.endswith("."), finding.message
        assert not finding.operation or finding.operation not in finding.message, finding.message
        assert not relative(finding.location.file, case).startswith("base"), finding
        if finding.base_location is not None:
            assert not relative(finding.base_location.file, case).startswith("revision"), finding
    fired = {f.rule_id for f in findings}
    if rule == COMPATIBLE:
        assert not findings, f"{case.name}: a compatible change found {sorted(fired)}"
    elif is_silent(case):
        assert rule not in fired, f"{case.name}: the near miss fires {rule}"
    else:
        assert rule in fired, f"{case.name}: the pair does not fire {rule}"


def test_every_rule_fires_and_stays_silent_in_both_versions() -> None:
    have: set[tuple[str, bool, str]] = set()
    for case in case_dirs():
        if rule_of(case) != COMPATIBLE:
            have.add((rule_of(case), is_silent(case), version_of(case)))
    missing = [
        f"{rule} ({'silent' if silent else 'firing'}, {version[0]}.{version[1]})"
        for rule in sorted(openapi_rules())
        for silent in (False, True)
        for version in ("30", "31")
        if (rule, silent, version) not in have
    ]
    assert not missing, "rules without a case:\n" + "\n".join(missing)


def test_case_names_carry_their_version() -> None:
    """``--30``/``--31`` at the end of a name says which version the case is written in; keep it honest."""
    wrong = [c.name for c in case_dirs() if not c.name.endswith((f"-{version_of(c)}", f"-{version_of(c, 'revision')}"))]
    assert not wrong, f"case names that do not end with their OpenAPI version: {wrong}"
