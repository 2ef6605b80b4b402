"""One test per directory under tests/breaking/asyncapi_cases/: an AsyncAPI base/revision pair and its findings.

The cases cover the rules the AsyncAPI engine declares itself (channels, operations, messages, AMQP bindings:
``change_rule(...)`` in ``breaking/asyncapi/rules.py``); the payload and header schema rules
(``sent-message-*``, ``received-message-*``) are the OpenAPI body cases replayed (test_asyncapi_schema_rules.py).

Every case is the order service's events (channels ``order.created`` and ``order.cancelled`` on the topic
exchange ``orders.events``, the quorum queue ``order-service.production-jobs`` it consumes) changed one way,
written in AsyncAPI 2.6 (``publish``/``subscribe``, ``message.oneOf``, ``messageId``, traits) or 3.0
(``operations``, channel ``messages``, ``reply``). A comment at the top of each file says what changed.

- ``<rule-id>--26`` / ``--30`` / ``--<what>-26``: the pair must fire the rule (in AsyncAPI 2.6 / 3.0);
- ``<rule-id>--silent-26`` / ``--silent-<what>-30``: a near miss, where the rule must not fire;
- ``compatible--<what>-26``: a change that must find nothing at all.

``expected.txt`` holds every finding of the pair, sorted by position, one per line:
``file:line:column level rule-id [operation] message``. Regenerate with
``pytest tests/breaking/test_asyncapi_cases.py --update-goldens`` and review the diff like code. A case in
:data:`ENGINE_WRONG` is a known engine bug: its ``expected.txt`` is written by hand with what the engine should
report, it is not regenerated, and the case is a strict xfail until the engine is fixed.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
import yaml

from contractkit.breaking import diff_documents
from contractkit.breaking.asyncapi import rules as table
from contractkit.breaking.registry import ChangeRule
from contractkit.findings import Finding, Severity
from contractkit.loaders import FileStore, load_document, open_document
from contractkit.validate import validate_document

CASES = Path(__file__).parent / "asyncapi_cases"
COMPATIBLE = "compatible"
VERSIONS = {"2.6.0": "26", "3.0.0": "30"}

# case -> what the engine gets wrong (its expected.txt says what it should report).
ENGINE_WRONG: dict[str, str] = {}


def case_dirs() -> list[Path]:
    return sorted(p for p in CASES.iterdir() if p.is_dir())


def rule_of(case: Path) -> str:
    return case.name.split("--")[0]


def is_silent(case: Path) -> bool:
    return case.name.split("--", 1)[1].startswith("silent")


@cache
def version_of(case: Path, stem: str = "base") -> str:
    """Return ``26`` or ``30``: the AsyncAPI version of one side of the case (the base by default)."""
    data = yaml.safe_load((case / f"{stem}.yaml").read_text())
    return VERSIONS.get(str(data["asyncapi"]), str(data["asyncapi"]))


def findings_of(case: Path) -> list[Finding]:
    store = FileStore()
    base = open_document(case / "base.yaml", store=store, root_dir=case)
    revision = open_document(case / "revision.yaml", store=store, root_dir=case)
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


def asyncapi_rules() -> set[str]:
    """Return the ids of the rules ``breaking/asyncapi/rules.py`` declares itself (not the renamed schema rules)."""
    return {value.id for value in vars(table).values() if isinstance(value, ChangeRule)}


def params() -> list[object]:
    return [
        pytest.param(
            case,
            id=case.name,
            marks=[pytest.mark.xfail(strict=True, reason=ENGINE_WRONG[case.name])] if case.name in ENGINE_WRONG else [],
        )
        for case in case_dirs()
    ]


@pytest.mark.parametrize("case", params())
def test_asyncapi_case(case: Path, update_goldens: bool) -> None:
    rule = rule_of(case)
    assert rule == COMPATIBLE or rule in asyncapi_rules(), f"case {case.name} names no AsyncAPI rule"
    findings = findings_of(case)
    actual = render(findings, case)
    expected_file = case / "expected.txt"
    if update_goldens and case.name not in ENGINE_WRONG:
        expected_file.write_text(actual)
    assert expected_file.exists(), f"{case.name}: no expected.txt (run pytest --update-goldens and review it)"
    for finding in findings:  # the change model: the revision side (or nearest node), and the base side
        assert finding.message[:1].islower() or finding.message.startswith("`"), finding.message
        assert not finding.message.endswith("."), finding.message
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
    assert actual == expected_file.read_text()


@pytest.mark.parametrize("case", case_dirs(), ids=lambda p: p.name)
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
    have: set[tuple[str, bool, str]] = set()
    for case in case_dirs():
        if rule_of(case) != COMPATIBLE and case.name not in ENGINE_WRONG:
            have.add((rule_of(case), is_silent(case), version_of(case)))
    missing = [
        f"{rule} ({'silent' if silent else 'firing'}, {version[0]}.{version[1]})"
        for rule in sorted(asyncapi_rules())
        for silent in (False, True)
        for version in VERSIONS.values()
        if (rule, silent, version) not in have
    ]
    assert not missing, "AsyncAPI rules without a case:\n" + "\n".join(missing)


def test_asyncapi_case_names_carry_their_version() -> None:
    """``-26``/``-30`` at the end of a name says which version both sides are written in; keep it honest."""
    wrong = [
        c.name
        for c in case_dirs()
        if not (c.name.endswith(f"-{version_of(c)}") and version_of(c) == version_of(c, "revision"))
    ]
    assert not wrong, f"case names that do not end with their AsyncAPI version: {wrong}"


def test_known_engine_bugs_name_existing_cases() -> None:
    assert set(ENGINE_WRONG) <= {c.name for c in case_dirs()}
