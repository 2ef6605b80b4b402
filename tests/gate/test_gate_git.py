"""``contractkit ci`` end to end with real git: a copy of contracts/ on `main`, a feature branch, changes on it.

Nothing is mocked: each test commits with `git -c user.name=... -c user.email=...`, and the gate finds the merge
base, the changed files and the contracts that reach them itself. The copy has no generated/ folder, so the gen
step is skipped (tests/gate/test_gate_gen.py checks it with one).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from contractkit.cli.app import app

pytestmark = pytest.mark.e2e  # real git repositories, subprocesses or new venvs: `ci/test --fast` leaves it out

CONTRACTS = Path(__file__).parents[2] / "contracts"
IDENTITY = ("-c", "user.name=Ana Silva", "-c", "user.email=ana@example.invalid", "-c", "commit.gpgsign=false")
ALL = ("b2b-orders", "mes", "model-files", "order-events", "partner-notifications")

MES = "contracts/mes/openapi.yaml"
MODEL_FILES = "contracts/model-files/openapi.yaml"
MONEY = "contracts/common/money.yaml"
CATALOG = "contracts/catalog.yaml"


def git(cwd: Path, *args: str) -> str:
    done = subprocess.run(["git", *IDENTITY, *args], cwd=cwd, capture_output=True, text=True, check=True)
    return done.stdout


def commit(cwd: Path, message: str) -> None:
    git(cwd, "add", "-A")
    git(cwd, "commit", "-q", "--allow-empty", "-m", message)


def edit(repo: Path, name: str, old: str, new: str) -> None:
    path = repo / name
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def compatible(repo: Path) -> None:
    """Deprecate an operation of model-files (a compatible change) and bump its minor version."""
    summary = "      summary: Create an upload\n"
    edit(repo, MODEL_FILES, summary, summary + "      deprecated: true\n")
    edit(repo, MODEL_FILES, "  version: 1.1.0", "  version: 1.2.0")


def breaking(repo: Path) -> None:
    """Remove a path of mes (a breaking change), without the major bump it needs."""
    edit(repo, MES, "  /machines/{machine_id}:", "  /machine/{machine_id}:")


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["ci", *args])
    return result.exit_code, result.stdout, result.stderr


def listed(*args: str) -> dict[str, object]:
    code, out, err = run("--list-changed", "--format", "json", *args)
    assert code == 0, err
    return dict(json.loads(out))


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """`main` holds a copy of contracts/; the work tree is on the branch `feature`; it is the working directory."""
    for name in ("GITHUB_BASE_REF", "CI_MERGE_REQUEST_TARGET_BRANCH_NAME", "GITHUB_STEP_SUMMARY"):
        monkeypatch.delenv(name, raising=False)
    shutil.copytree(CONTRACTS, tmp_path / "contracts")
    git(tmp_path, "init", "-q", "-b", "main")
    commit(tmp_path, "contracts")
    git(tmp_path, "checkout", "-q", "-b", "feature")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_nothing_changed_passes(repo: Path) -> None:
    code, out, _ = run()
    assert code == 0
    assert out.startswith("gate passed: no contract changed since main\n")
    assert "skipped 5 contracts" in out


def test_compatible_then_breaking_commits(repo: Path) -> None:
    compatible(repo)
    commit(repo, "compatible")
    code, out, _ = run()
    assert code == 0, out
    assert out.startswith("gate passed: 1 contract checked\n")
    assert listed()["ids"] == ["model-files"]

    breaking(repo)
    commit(repo, "breaking")
    code, out, _ = run()
    assert code == 1
    first = out.splitlines()[0]
    assert first == (
        "gate failed: 1 breaking change, `info.version` needs a major bump (to 2.0.0) in mes "
        "(team-manufacturing-platform)"
    )
    assert "contracts/mes/openapi.yaml:43:1  error    api-path-removed" in out
    assert "skipped 3 contracts (nothing they reach changed since main; --all checks them)" in out
    assert listed()["ids"] == ["mes", "model-files"]

    # an explicit base: the last commit only
    code, out, _ = run("--base-ref", "HEAD~1")
    assert code == 1
    assert listed("--base-ref", "HEAD~1")["ids"] == ["mes"]
    code, out, _ = run("--base-ref", "HEAD")
    assert (code, out.splitlines()[0]) == (0, "gate passed: no contract changed since HEAD")


def test_uncommitted_and_untracked_changes_count(repo: Path) -> None:
    breaking(repo)
    (repo / "contracts/common/new.yaml").write_text("Thing: {type: string}\n", encoding="utf-8")
    plan = listed()
    assert plan["ids"] == ["mes"]
    assert plan["unused_changes"] == ["contracts/common/new.yaml"]
    code, out, _ = run()
    assert code == 1
    assert "note: changed, but no contract reaches them: contracts/common/new.yaml" in out


def test_the_merge_base_leaves_out_what_main_did_since(repo: Path) -> None:
    compatible(repo)
    commit(repo, "compatible on the branch")
    git(repo, "checkout", "-q", "main")
    breaking(repo)
    commit(repo, "breaking on main, after the branch was made")
    git(repo, "checkout", "-q", "feature")
    plan = listed()
    assert plan["ids"] == ["model-files"]  # not mes: main changed it, not the branch
    assert plan["base"]["ref"] == "main"  # type: ignore[index]
    assert plan["base"]["name"] != "main"  # type: ignore[index]  # the fork point, not main's tip
    assert run()[0] == 0


def test_a_shared_file_affects_only_its_users(repo: Path) -> None:
    edit(repo, MONEY, "    - currency\n", "")
    plan = listed()
    assert plan["ids"] == ["b2b-orders", "order-events"]
    why = {c["id"]: c["why"] for c in plan["contracts"]}  # type: ignore[attr-defined]
    assert why["b2b-orders"] == [{"file": MONEY, "via": "ref", "detail": ""}]
    assert plan["skipped"] == ["mes", "model-files", "partner-notifications"]
    code, out, _ = run()
    assert code == 1
    assert "in b2b-orders (team-partner-api)" in out.splitlines()[0]
    assert "order-events" not in out.splitlines()[0]  # it reaches only `CurrencyCode`: nothing it says changed
    # One change, at the shared schema, with the four operations whose responses reach it.
    assert out.splitlines()[0].startswith("gate failed: 1 breaking change")
    assert out.count("response-property-became-optional") == 1
    assert "in 4 operations (contract b2b-orders): GET /orders, POST /orders, GET /orders/{order_id}," in out
    code, md, _ = run("--format", "markdown")
    row = next(line for line in md.splitlines() if "`response-property-became-optional`" in line)
    assert "property `Money.currency` became optional" in row
    assert "| 4: `GET /orders`, `POST /orders`, `GET /orders/{order_id}`, `POST /orders/{order_id}/cancel` |" in row
    code, js, _ = run("--format", "json")
    (change,) = next(c for c in json.loads(js)["contracts"] if c["id"] == "b2b-orders")["changes"]
    assert (change["id"], change["count"]) == ("response-property-became-optional", 4)
    code, annotations, _ = run("--format", "github")
    (line,) = [a for a in annotations.splitlines() if "title=response-property-became-optional" in a]
    assert "became optional%0Ain 4 operations: GET /orders, POST /orders, GET /orders/{order_id}" in line


def money_note(repo: Path) -> None:
    """Add an optional property to the shared `Money` (compatible, in every operation that reaches it)."""
    currency = "    currency:\n      $ref: '#/CurrencyCode'\n"
    edit(repo, MONEY, currency, currency + "    note: {type: string}\n")


def new_path(repo: Path) -> None:
    """Add a path to mes (one compatible change, in one operation)."""
    edit(
        repo,
        MES,
        "  /machines/{machine_id}:",
        "  /machine-groups:\n    get:\n      operationId: listGroups\n"
        "      responses:\n        '204': {description: none}\n  /machines/{machine_id}:",
    )


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        pytest.param([money_note], {"b2b-orders": 3}, id="shared-schema-in-many-operations"),
        pytest.param([compatible], {"model-files": 1}, id="one-operation"),
        pytest.param([money_note, compatible, new_path], {"b2b-orders": 3, "model-files": 1, "mes": 1}, id="several"),
    ],
)
def test_the_compatible_line_counts_what_the_table_counts(
    repo: Path, changes: list[Callable[[Path], None]], expected: dict[str, int]
) -> None:
    for change in changes:
        change(repo)
    _, out, _ = run()
    assert compatible_counts(out) == (expected, expected)


def compatible_counts(out: str) -> tuple[dict[str, int], dict[str, int]]:
    """Return the compatible changes per contract as the table's `breaking` cell and as the `and N` line say."""
    lines = out.splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("contract "))
    rows = lines[header + 1 : lines.index("", header)]
    table = {}
    for row in rows:
        found = re.search(r"(\d+) compatible", row)
        if found:
            table[row.split()[0]] = int(found[1])
    said, current = {}, ""
    for line in lines[header:]:
        if not line.startswith(" ") and " · " in line:
            current = line.split()[0]  # a contract's block: `mes (team-...) · failed · ...`
        found = re.fullmatch(r"  and (\d+) compatible changes? \(`--format markdown` lists them\)", line)
        if found:
            said[current] = int(found[1])
    return table, said


def test_all_checks_every_contract(repo: Path) -> None:
    plan = listed("--all")
    assert plan["ids"] == list(ALL)
    assert plan["all"] is True
    code, out, _ = run("--all")
    assert code == 0
    assert out.startswith("gate passed: 5 contracts checked\n")
    assert "· passed · --all" not in out  # a contract checked only because of --all, with nothing to say: its row


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        pytest.param(("    versioning: true", "    versioning: false"), list(ALL), id="policy-block"),
        pytest.param(("    owner: team-storage-platform", "    owner: team-files"), ["model-files"], id="entry"),
        pytest.param(("# The contract catalog", "# The catalog"), [], id="comment-only"),
    ],
)
def test_catalog_changes(repo: Path, change: tuple[str, str], expected: list[str]) -> None:
    edit(repo, CATALOG, *change)
    plan = listed()
    assert plan["ids"] == expected


def test_a_contract_removed_from_the_catalog_fails(repo: Path) -> None:
    text = (repo / CATALOG).read_text(encoding="utf-8")
    start = text.index("  - id: partner-notifications")
    end = text.index("\n\n", start)
    (repo / CATALOG).write_text(text[:start] + text[end + 1 :], encoding="utf-8")
    assert listed()["removed"] == [{"id": "partner-notifications", "owner": "team-partner-api"}]
    code, out, _ = run("--format", "json")
    assert code == 1
    doc = json.loads(out)
    gone = next(c for c in doc["contracts"] if c["id"] == "partner-notifications")
    assert gone["status"] == "failed"
    assert [f["rule"] for f in gone["findings"]] == ["contract-removed"]


def test_an_accepted_change_is_shown_not_failing(repo: Path) -> None:
    breaking(repo)
    edit(repo, MES, "  version: 1.1.0", "  version: 2.0.0")
    (repo / "contracts/breaking-ignores.yaml").write_text(
        "ignores:\n"
        "  - rule: api-path-removed\n"
        "    contract: mes\n"
        "    reason: the dashboard is the only client; see PLAT-9\n"
        "    expires: 2999-12-31\n",
        encoding="utf-8",
    )
    commit(repo, "accepted")
    code, out, _ = run()
    assert code == 0, out
    assert out.startswith("gate passed: 1 contract checked, 1 accepted change\n")
    assert "reason: the dashboard is the only client; see PLAT-9 · expires 2999-12-31 · approved by Ana Silva" in out
    code, md, _ = run("--format", "markdown")
    assert "#### Accepted changes" in md
    assert "| the dashboard is the only client; see PLAT-9 | 2999-12-31 | Ana Silva in " in md


def test_formats(repo: Path, tmp_path: Path) -> None:
    breaking(repo)
    summary = tmp_path / "summary.md"
    code, md, _ = run("--format", "markdown")
    assert code == 1
    assert md.startswith("<!-- contractkit-gate -->\n### ❌ contract gate failed\n")
    assert "#### Breaking changes" in md
    assert "<details>\n<summary>Changelog: 2 changes" in md
    result = CliRunner().invoke(app, ["ci", "--format", "github"], env={"GITHUB_STEP_SUMMARY": str(summary)})
    assert result.exit_code == 1
    assert "::error file=contracts/mes/openapi.yaml,line=43,col=1,title=api-path-removed (mes · " in result.stdout
    assert result.stdout.splitlines()[-1].startswith("::error title=contractkit ci::gate failed: ")
    assert summary.read_text(encoding="utf-8").lstrip().startswith("<!-- contractkit-gate -->")
    code, out, _ = run("--format", "json")
    doc = json.loads(out)
    assert (doc["schema"], doc["verdict"], doc["exit_code"]) == ("contractkit-gate/1", "failed", 1)
    assert [c["id"] for c in doc["contracts"]] == ["mes"]
    code, out, _ = run("--format", "junit")
    root = ET.fromstring(out)
    suites = {s.get("name"): s for s in root.iter("testsuite")}
    assert suites["contractkit ci mes"].get("failures") == "2"  # breaking, semver
    assert suites["contractkit ci b2b-orders"].get("skipped") == "1"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        pytest.param(["--base-ref", "nope"], "unknown git revision `nope`", id="unknown-ref"),
        pytest.param(["--base-ref", "-x"], "`-x` is not a git revision", id="option-like"),
    ],
)
def test_a_bad_base_exits_2(repo: Path, args: list[str], message: str) -> None:
    for extra in ([], ["--list-changed"]):
        code, _, err = run(*args, *extra)
        assert code == 2
        assert message in err
        assert err.startswith("error: ")


def test_no_default_branch_exits_2(repo: Path) -> None:
    git(repo, "branch", "-q", "-m", "main", "trunk")
    code, _, err = run()
    assert code == 2
    assert "none of `main`, `origin/main`, `master`, `origin/master` exists here" in err
    assert "--base-ref REF" in err


def test_the_ci_target_branch_is_the_default(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    git(repo, "branch", "-q", "-m", "main", "trunk")
    monkeypatch.setenv("GITHUB_BASE_REF", "trunk")
    assert listed()["base"]["ref"] == "trunk"  # type: ignore[index]


def test_no_common_history_exits_2(repo: Path) -> None:
    git(repo, "checkout", "-q", "--orphan", "other")
    commit(repo, "unrelated")
    code, _, err = run("--base-ref", "main")
    assert code == 2
    assert "`main` and `HEAD` have no common history" in err
    assert "fetch-depth: 0" in err


def test_not_a_git_repository_exits_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(CONTRACTS, tmp_path / "contracts")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    code, _, err = run()
    assert code == 2
    assert "is not inside a git repository" in err


def test_an_unreadable_contract_exits_2_with_the_summary(repo: Path) -> None:
    (repo / MES).write_text("openapi: 3.1.0\ninfo: [\n", encoding="utf-8")
    code, out, err = run()
    assert code == 2
    assert out.startswith("gate could not run: could not read mes (team-manufacturing-platform)\n")
    assert "Traceback" not in out + err
