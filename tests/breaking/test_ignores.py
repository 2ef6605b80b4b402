"""The ignores file: which changes an entry accepts, expiry against an injected date, and malformed files."""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import pytest

from contractkit.breaking.ignores import Ignore, apply_ignores, ignore_expired, read_ignores
from contractkit.errors import ConfigError
from contractkit.findings import Finding, Location, Severity

TODAY = dt.date(2025, 3, 1)
REMOVED_LIMIT = Finding(
    "request-parameter-removed",
    Severity.WARNING,
    "removed query parameter `limit`",
    Location("contracts/b2b-orders/openapi.yaml", "/paths/~1orders/get", 40, 7),
    operation="GET /orders/{order_id}",
    contract="b2b-orders",
    base_location=Location("HEAD~1:contracts/b2b-orders/openapi.yaml", "/paths/~1orders/get/parameters/1", 52, 11),
)
OPTIONAL_TOTAL = Finding(
    "response-property-became-optional",
    Severity.ERROR,
    "property `total` became optional",
    Location("contracts/common/money.yaml", "/Money/required", 7, 3),
    operation="GET /orders",
    contract="b2b-orders",
    base_location=Location("HEAD~1:contracts/common/money.yaml", "/Money/required", 7, 3),
)


def entry(
    rule: str = "request-parameter-removed",
    *,
    contract: str | None = None,
    operation: str | None = None,
    location: str = "",
    pointer: str | None = None,
    reason: str = "approved in PLAT-1",
) -> Ignore:
    file, _, in_location = location.partition("#")
    return Ignore(
        rule,
        reason,
        dt.date(2025, 6, 30),
        contract=contract,
        operation=operation,
        file=file or None,
        pointer=pointer or in_location or None,
    )


@pytest.mark.parametrize(
    ("ignore", "finding", "matches"),
    [
        pytest.param(entry(contract="b2b-orders"), REMOVED_LIMIT, True, id="rule-and-contract"),
        pytest.param(entry(contract="mes"), REMOVED_LIMIT, False, id="other-contract"),
        pytest.param(entry(rule="api-path-removed", contract="b2b-orders"), REMOVED_LIMIT, False, id="other-rule"),
        pytest.param(entry(operation="GET /orders/{order_id}"), REMOVED_LIMIT, True, id="operation"),
        pytest.param(entry(operation="get /orders/{id}/"), REMOVED_LIMIT, True, id="operation-normalised"),
        pytest.param(entry(operation="POST /orders/{id}"), REMOVED_LIMIT, False, id="other-method"),
        pytest.param(entry(operation="GET /orders"), REMOVED_LIMIT, False, id="other-path"),
        pytest.param(entry(location="b2b-orders/openapi.yaml"), REMOVED_LIMIT, True, id="file-suffix"),
        pytest.param(entry(location="contracts/b2b-orders/openapi.yaml"), REMOVED_LIMIT, True, id="file-full"),
        pytest.param(entry(location="orders/openapi.yaml"), REMOVED_LIMIT, False, id="file-partial-name"),
        pytest.param(entry(location="mes/openapi.yaml"), REMOVED_LIMIT, False, id="other-file"),
        pytest.param(entry(pointer="/paths/~1orders/get"), REMOVED_LIMIT, True, id="revision-pointer"),
        pytest.param(entry(pointer="/paths/~1orders/get/parameters/1"), REMOVED_LIMIT, True, id="base-pointer"),
        pytest.param(entry(pointer="/paths/~1orders"), REMOVED_LIMIT, True, id="pointer-ancestor"),
        pytest.param(entry(pointer="/paths/~1ord"), REMOVED_LIMIT, False, id="pointer-prefix-not-a-token"),
        pytest.param(entry(pointer="/paths/~1orders/post"), REMOVED_LIMIT, False, id="other-pointer"),
        pytest.param(
            entry(location="b2b-orders/openapi.yaml#/paths/~1orders/get", contract="b2b-orders"),
            REMOVED_LIMIT,
            True,
            id="file-and-pointer",
        ),
        pytest.param(
            entry(rule="response-property-became-optional", location="common/money.yaml#/Money"),
            OPTIONAL_TOTAL,
            True,
            id="shared-file",
        ),
        pytest.param(
            entry(rule="response-property-became-optional", location="common/money.yaml", contract="mes"),
            OPTIONAL_TOTAL,
            False,
            id="every-scope-must-match",
        ),
    ],
)
def test_matching(ignore: Ignore, finding: Finding, matches: bool) -> None:
    assert ignore.matches(finding) is matches
    accepted = apply_ignores([finding], [ignore], today=TODAY)
    assert accepted[0].accepted == ("approved in PLAT-1" if matches else None)


@pytest.mark.parametrize(
    ("today", "applies"),
    [
        pytest.param(dt.date(2025, 6, 29), True, id="before"),
        pytest.param(dt.date(2025, 6, 30), True, id="on-the-day"),
        pytest.param(dt.date(2025, 7, 1), False, id="day-after"),
    ],
)
def test_expiry_uses_the_injected_date(today: dt.date, applies: bool) -> None:
    ignore = Ignore(
        "request-parameter-removed",
        "approved",
        dt.date(2025, 6, 30),
        contract="b2b-orders",
        location=Location("ignores.yaml", "/ignores/0", 2, 5),
    )
    result = apply_ignores([REMOVED_LIMIT], [ignore], today=today)
    if applies:
        assert [f.accepted for f in result] == ["approved"]
        return
    change, expired = result
    assert change.accepted is None
    assert expired.rule_id == ignore_expired.id == "ignore-expired"
    assert expired.severity is Severity.WARNING
    assert expired.location == Location("ignores.yaml", "/ignores/0", 2, 5)
    assert expired.message == (
        "the ignore entry for `request-parameter-removed` expired on 2025-06-30; the change it accepted fails again"
    )


def test_expired_entry_that_matches_nothing_still_says_so() -> None:
    ignore = Ignore("api-path-removed", "approved", dt.date(2024, 1, 1), contract="mes")
    result = apply_ignores([REMOVED_LIMIT], [ignore], today=TODAY)
    assert [f.rule_id for f in result] == ["request-parameter-removed", "ignore-expired"]
    assert result[1].message == "the ignore entry for `api-path-removed` expired on 2024-01-01"


def test_an_accepted_change_is_kept_not_hidden() -> None:
    result = apply_ignores([REMOVED_LIMIT, OPTIONAL_TOTAL], [entry(contract="b2b-orders")], today=TODAY)
    assert len(result) == 2
    assert [f.accepted for f in result] == ["approved in PLAT-1", None]


def test_first_live_entry_wins() -> None:
    first = entry(contract="b2b-orders", reason="first")
    second = entry(operation="GET /orders/{id}", reason="second")
    assert apply_ignores([REMOVED_LIMIT], [first, second], today=TODAY)[0].accepted == "first"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "breaking-ignores.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_read_a_valid_file(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
        # approved breaking changes
        ignores:
          - rule: request-parameter-removed
            contract: b2b-orders
            operation: GET /orders
            location: b2b-orders/openapi.yaml#/paths/~1orders/get
            reason: nobody sends `limit` (PLAT-123)
            expires: 2025-06-30
          - rule: api-path-removed
            pointer: /paths/~1legacy
            reason: 'the legacy path was never public'
            expires: '2026-01-31'
        """,
    )
    first, second = read_ignores(path)
    assert first == Ignore(
        "request-parameter-removed",
        "nobody sends `limit` (PLAT-123)",
        dt.date(2025, 6, 30),
        contract="b2b-orders",
        operation="GET /orders",
        file="b2b-orders/openapi.yaml",
        pointer="/paths/~1orders/get",
        location=first.location,
    )
    assert first.location.line == 3
    assert (second.pointer, second.file, second.expires) == ("/paths/~1legacy", None, dt.date(2026, 1, 31))
    assert second.location.line == 9


def test_an_empty_list_is_fine(tmp_path: Path) -> None:
    assert read_ignores(write(tmp_path, "ignores: []\n")) == []
    assert read_ignores(write(tmp_path, "version: 1\nignores:\n")) == []


ENTRY = "ignores:\n  - rule: api-path-removed\n    contract: mes\n    reason: approved\n    expires: 2025-01-31\n"


@pytest.mark.parametrize(
    ("text", "message", "line"),
    [
        pytest.param("- rule: x\n", "the file must be a mapping with an `ignores:` list", 1, id="top-level-list"),
        pytest.param("ignore: []\n", "the file must be a mapping with an `ignores:` list", 1, id="misspelt-key"),
        pytest.param("ignores: []\nextra: 1\n", "unknown key `extra` (expected `ignores`)", 2, id="extra-top-key"),
        pytest.param("ignores: {rule: x}\n", "`ignores` must be a list of entries", 1, id="not-a-list"),
        pytest.param("ignores:\n  - just a string\n", "entry 1 must be a mapping", 2, id="entry-not-mapping"),
        pytest.param(ENTRY.replace("contract", "contracts"), "unknown key `contracts` in entry 1", 3, id="typo"),
        pytest.param(ENTRY.replace("    reason: approved\n", ""), "entry 1 has no `reason`", 2, id="no-reason"),
        pytest.param(ENTRY.replace("    expires: 2025-01-31\n", ""), "entry 1 has no `expires`", 2, id="no-expiry"),
        pytest.param(
            ENTRY.replace("    contract: mes\n", ""), "accepts `api-path-removed` everywhere", 2, id="no-scope"
        ),
        pytest.param(ENTRY.replace("approved", "''"), "`reason` of entry 1 must be a non-empty string", 4, id="empty"),
        pytest.param(ENTRY.replace("2025-01-31", "31.01.2025"), "is `31.01.2025`, not a date", 5, id="bad-date"),
        pytest.param(ENTRY.replace("2025-01-31", "2025-02-30"), "is `2025-02-30`, not a date", 5, id="no-such-day"),
        pytest.param(ENTRY.replace("contract: mes", "pointer: paths"), "is not a JSON pointer", 3, id="bad-pointer"),
        pytest.param(
            ENTRY.replace("contract: mes", "location: a.yaml#/x\n    pointer: /y"),
            "two different pointers",
            4,
            id="two",
        ),
        pytest.param("ignores:\n  - rule: [\n", "", 0, id="yaml-syntax"),
    ],
)
def test_malformed_files_say_where(tmp_path: Path, text: str, message: str, line: int) -> None:
    with pytest.raises(ConfigError) as caught:
        read_ignores(write(tmp_path, text))
    error = caught.value
    assert message in error.detail
    assert error.location is not None
    assert error.location.file.endswith("breaking-ignores.yaml")
    if line:
        assert error.location.line == line
    else:
        assert error.location.line > 0
    assert "ignores file" in error.title


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no such file"):
        read_ignores(tmp_path / "nope.yaml")
