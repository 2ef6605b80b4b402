"""``contractkit breaking`` with the policies, end to end: the bump advice, ``--today``, the catalog's settings."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from contractkit.cli.app import app

BASE = """\
openapi: 3.1.0
info: {title: Orders, version: 1.0.0}
paths:
  /orders:
    get:
      operationId: listOrders
      responses:
        '200': {description: the orders}
  /orders/{id}:
    get:
      operationId: getOrder
      deprecated: true
      x-sunset: 2026-03-01
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        '200': {description: the order}
"""
REVISION = BASE[: BASE.index("  /orders/{id}:")]
CATALOG = """\
version: 1
contracts:
  - id: orders
    kind: openapi
    path: orders/openapi.yaml
    owner: team-orders
    lifecycle: {lifecycle}
{contract_breaking}{catalog_breaking}"""


def setup(root: Path, version: str, *, lifecycle: str = "stable", contract: str = "", catalog: str = "") -> None:
    (root / "contracts/orders").mkdir(parents=True)
    (root / "old").mkdir()
    (root / "old/openapi.yaml").write_text(BASE, encoding="utf-8")
    revision = REVISION.replace("version: 1.0.0", f"version: {version}")
    (root / "contracts/orders/openapi.yaml").write_text(revision, encoding="utf-8")
    text = CATALOG.format(lifecycle=lifecycle, contract_breaking=contract, catalog_breaking=catalog)
    (root / "contracts/catalog.yaml").write_text(text, encoding="utf-8")


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["breaking", "old/openapi.yaml", "contracts/orders/openapi.yaml", *args])
    assert "Traceback" not in result.stdout + result.stderr
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(autouse=True)
def _cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


@pytest.mark.parametrize(
    ("version", "today", "code", "advice"),
    [
        pytest.param(
            "1.1.0",
            "2026-02-28",
            1,
            "version  orders: needs a major bump (1.0.0 → 2.0.0 required); 1.1.0 is not enough",
            id="before-sunset-major-needed",
        ),
        pytest.param(
            "2.0.0",
            "2026-02-28",
            1,
            "version  orders: needs a major bump (1.0.0 → 2.0.0 required); 2.0.0 is ok",
            id="before-sunset-bumped-still-breaking",
        ),
        pytest.param(
            "1.1.0",
            "2026-03-01",
            0,
            "version  orders: needs a minor bump (1.0.0 → 1.1.0 required); 1.1.0 is ok",
            id="sunset-day-minor-is-enough",
        ),
        pytest.param(
            "1.0.0",
            "2026-03-01",
            1,
            "version  orders: needs a minor bump (1.0.0 → 1.1.0 required); the version is still 1.0.0",
            id="sunset-passed-not-bumped",
        ),
    ],
)
def test_text_prints_the_bump_and_today_drives_sunsets(
    tmp_path: Path, version: str, today: str, code: int, advice: str
) -> None:
    setup(tmp_path, version)
    got, out, _ = run("--today", today)
    assert got == code
    lines = out.splitlines()
    assert advice in lines
    assert lines.index(advice) == len(lines) - 3  # the advice, a blank line, then the verdict


@pytest.mark.parametrize(
    ("today", "ids", "policy", "required", "ok"),
    [
        pytest.param("2026-02-01", {"removed-before-sunset"}, {"version-bump-too-small"}, "major", False, id="early"),
        pytest.param("2026-04-01", {"api-path-removed"}, set(), "minor", True, id="after-sunset"),
    ],
)
def test_json_carries_the_bump(
    tmp_path: Path, today: str, ids: set[str], policy: set[str], required: str, ok: bool
) -> None:
    setup(tmp_path, "1.1.0")
    _, out, _ = run("--today", today, "-f", "json")
    data = json.loads(out)
    assert {c["id"] for c in data["changes"]} == ids  # the API's changes
    assert {c["id"] for c in data["policy"]["findings"]} == policy  # the versioning policy's, apart
    assert data["policy"]["failed"] is bool(policy)
    (versions,) = data["versions"]
    assert (versions["contract"], versions["required"], versions["base"], versions["revision"]) == (
        "orders",
        required,
        "1.0.0",
        "1.1.0",
    )
    assert versions["ok"] is ok


POLICIES_OFF = "breaking: {policies: {versioning: false, deprecation: false}}\n"
CONTRACT_ON = "    breaking: {policies: {versioning: true}}\n"
CONTRACT_OFF = "    breaking: {policies: {versioning: false}}\n"


@pytest.mark.parametrize(
    ("contract", "catalog", "lifecycle", "ids"),
    [
        pytest.param("", "", "stable", {"removed-before-sunset", "version-not-bumped"}, id="defaults-all-on"),
        pytest.param("", POLICIES_OFF, "stable", {"api-path-removed"}, id="catalog-wide-off"),
        pytest.param(CONTRACT_ON, POLICIES_OFF, "stable", {"api-path-removed", "version-not-bumped"}, id="contract-on"),
        pytest.param(CONTRACT_OFF, "", "stable", {"removed-before-sunset"}, id="contract-off"),
        pytest.param("", "", "draft", {"removed-before-sunset", "version-not-bumped"}, id="draft-lifecycle"),
    ],
)
def test_catalog_turns_policies_on_and_off(
    tmp_path: Path, contract: str, catalog: str, lifecycle: str, ids: set[str]
) -> None:
    setup(tmp_path, "1.0.0", lifecycle=lifecycle, contract=contract, catalog=catalog)
    code, out, _ = run("--today", "2026-01-15", "-f", "json")
    data = json.loads(out)
    changes = data["changes"] + data["policy"]["findings"]  # the API's changes, then the versioning policy's
    assert {c["id"] for c in data["policy"]["findings"]} == ids & {"version-not-bumped"}
    assert {c["id"] for c in changes} == ids
    levels = {c["level"] for c in changes}
    assert levels == ({"info"} if lifecycle == "draft" else {"error"})
    assert code == (0 if lifecycle == "draft" else 1)


@pytest.mark.parametrize(
    ("contract", "catalog", "line"),
    [
        pytest.param("", "breaking: {policies: {versionin: false}}\n", 8, id="catalog-wide-typo"),
        pytest.param("    breaking: {policy: {versioning: false}}\n", "", 8, id="contract-typo"),
        pytest.param("", "breaking: {policies: {stability: no-thanks}}\n", 8, id="not-a-boolean"),
    ],
)
def test_a_misspelt_policy_is_refused_with_its_line(tmp_path: Path, contract: str, catalog: str, line: int) -> None:
    setup(tmp_path, "2.0.0", contract=contract, catalog=catalog)
    code, out, err = run()
    assert code == 2
    assert out == ""
    assert "invalid catalog" in err
    assert f"catalog.yaml:{line}:" in err


def test_help_says_today_drives_sunsets() -> None:
    result = CliRunner().invoke(app, ["breaking", "--help"], env={"COLUMNS": "200"})
    assert "sunset" in result.stdout


@pytest.mark.parametrize(
    ("today", "rule", "fix"),
    [
        pytest.param("2026-03-01", "api-path-removed", None, id="allowed-removal-needs-no-fix"),
        pytest.param("2026-02-28", "removed-before-sunset", "until the sunset date", id="early-removal-says-to-wait"),
    ],
)
def test_the_fix_of_a_removal_follows_the_policy(tmp_path: Path, today: str, rule: str, fix: str | None) -> None:
    setup(tmp_path, "1.1.0")
    _, out, _ = run("--today", today, "-f", "json")
    (change,) = [c for c in json.loads(out)["changes"] if c["id"].startswith(("api-", "removed-"))]
    assert change["id"] == rule
    if fix is None:
        assert change["fix"] is None  # "deprecate it first" is what was done
    else:
        assert fix in change["fix"].lower()
