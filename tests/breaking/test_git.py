"""Comparing against a git revision, with real git on temporary repositories holding a copy of contracts/.

Git is a boundary, so nothing here is mocked: each test commits with `git -c user.name=... -c user.email=...`
and reads the base side back through `GitFileStore` (one `ls-tree`, one `cat-file --batch`).
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import textwrap
from pathlib import Path

import pytest

from contractkit.breaking.git import GitError, GitFileStore, GitRepo
from contractkit.breaking.run import BreakingOptions, compare_with_ref
from contractkit.errors import ConfigError, ContractNotFound, UsageError
from contractkit.loaders import FileStore, open_document

pytestmark = pytest.mark.e2e  # real git repositories, subprocesses or new venvs: `ci/test --fast` leaves it out

CONTRACTS = Path(__file__).parents[2] / "contracts"
MONEY = Path("contracts/common/money.yaml")
CATALOG = Path("contracts/catalog.yaml")
IDENTITY = ("-c", "user.name=contractkit tests", "-c", "user.email=tests@example.invalid", "-c", "commit.gpgsign=false")


def git(cwd: Path, *args: str) -> str:
    done = subprocess.run(["git", *IDENTITY, *args], cwd=cwd, capture_output=True, text=True, check=True)
    return done.stdout


def commit(cwd: Path, message: str) -> None:
    git(cwd, "add", "-A")
    git(cwd, "commit", "-q", "--allow-empty", "-m", message)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A git repository whose first commit holds a copy of the real contracts/; the working directory.

    The tests edit contracts without bumping `info.version`: the versioning policy is off in the copy's catalog
    (tests/breaking/policies/ tests it).
    """
    shutil.copytree(CONTRACTS, tmp_path / "contracts")
    edit(tmp_path / CATALOG, "    versioning: true", "    versioning: false")
    git(tmp_path, "init", "-q")
    commit(tmp_path, "contracts")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_store_reads_every_file_as_it_was(repo: Path) -> None:
    original = MONEY.read_text(encoding="utf-8")
    edit(MONEY, "maxLength: 20", "maxLength: 10")
    with GitRepo.discover(repo) as git_repo:
        store = GitFileStore(git_repo, "HEAD")
        source = store.load((repo / MONEY).resolve())
        assert source.text == original
        assert source.name == "HEAD:contracts/common/money.yaml"
        assert store.exists(repo / MONEY)
        assert not store.exists(repo / "contracts/common/nope.yaml")
        assert git_repo.top == repo.resolve()


def test_unchanged_files_are_parsed_once_for_both_sides(repo: Path) -> None:
    edit(MONEY, "maxLength: 20", "maxLength: 10")
    problem = (repo / "contracts/common/problem.yaml").resolve()
    with GitRepo.discover(repo) as git_repo:
        store = GitFileStore(git_repo, "HEAD")
        unchanged, work = store.load(problem), FileStore().load(problem)
        assert unchanged.data is work.data  # shared parse...
        assert unchanged.name == "HEAD:contracts/common/problem.yaml"  # ...under the revision's name
        assert unchanged.location(("Problem",)).file == "HEAD:contracts/common/problem.yaml"
        changed = store.load((repo / MONEY).resolve())
        assert changed.data is not FileStore().load((repo / MONEY).resolve()).data
        assert "maxLength: 20" in changed.text


def test_one_cat_file_process_for_every_blob(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    started: list[tuple[str, ...]] = []
    real = subprocess.Popen

    def counting(args: list[str], **kwargs: object) -> subprocess.Popen[bytes]:
        started.append(tuple(args))
        return real(args, **kwargs)  # type: ignore[call-overload,no-any-return]

    for name in ("b2b-orders", "mes", "model-files", "common/problem.yaml", "common/pagination.yaml"):
        path = repo / "contracts" / name / "openapi.yaml" if "/" not in name else repo / "contracts" / name
        path.write_text(path.read_text(encoding="utf-8") + "# changed in the work tree\n", encoding="utf-8")
    monkeypatch.setattr(subprocess, "Popen", counting)
    with GitRepo.discover(repo) as git_repo:
        store = GitFileStore(git_repo, "HEAD")
        for contract in ("b2b-orders", "mes", "model-files"):
            doc = open_document(
                repo / "contracts" / contract / "openapi.yaml", store=store, root_dir=repo / "contracts"
            )
            assert doc.ref_problems() == []
            assert len(doc.files()) > 1  # the shared files were read at HEAD too
    # Whatever the number of files: find the top, resolve the ref, list the tree, one reader for every blob.
    assert [args[1] for args in started] == ["rev-parse", "rev-parse", "ls-tree", "cat-file"]


def test_shared_file_breaking_change_is_reported_against_the_dependent_contract(repo: Path) -> None:
    edit(MONEY, "    - amount\n    - currency\n", "    - amount\n")
    commit(repo, "currency becomes optional")
    report = compare_with_ref("HEAD~1")
    assert report.errors == []
    assert report.checked == ["b2b-orders", "mes", "model-files", "order-events", "partner-notifications"]
    changes = {(f.rule_id, f.contract, f.operation) for f in report.findings}
    assert ("response-property-became-optional", "b2b-orders", "GET /orders") in changes
    assert {contract for _, contract, _ in changes} == {"b2b-orders"}
    finding = next(f for f in report.findings if f.operation == "GET /orders")
    assert finding.location.file == "contracts/common/money.yaml"
    assert finding.base_location is not None
    assert finding.base_location.file == "HEAD~1:contracts/common/money.yaml"


def test_uncommitted_change_against_head_reads_refs_at_head(repo: Path) -> None:
    # The work tree has the new money.yaml; the base must see the committed one through b2b-orders' $refs.
    edit(MONEY, "    - amount\n    - currency\n", "    - amount\n")
    report = compare_with_ref("HEAD", ["b2b-orders"])
    assert report.checked == ["b2b-orders"]
    assert {f.rule_id for f in report.findings} == {"response-property-became-optional"}
    assert all(f.base_location and f.base_location.file.startswith("HEAD:") for f in report.findings)


def test_compatible_change_is_info_only(repo: Path) -> None:
    edit(MONEY, "    currency:\n      $ref:", "    note:\n      type: string\n    currency:\n      $ref:")
    commit(repo, "optional note")
    report = compare_with_ref("HEAD~1", ["b2b-orders"])
    assert report.findings
    assert {f.severity.value for f in report.findings} == {"info"}


def test_asyncapi_contracts_are_skipped_until_an_engine_exists(repo: Path) -> None:
    report = compare_with_ref("HEAD", ["order-events"])
    assert report.findings == []
    assert [name for name, _ in report.skipped] == ["order-events"] or report.skipped == []


def write_catalog_entry(repo: Path, contract_id: str, path: str) -> None:
    entry = f"  - id: {contract_id}\n    kind: openapi\n    path: {path}\n    owner: team-x\n    lifecycle: draft\n"
    edit(repo / CATALOG, "\n# The lint policy", entry + "\n# The lint policy")


NEW_CONTRACT = """\
openapi: 3.1.0
info: {title: New, version: 1.0.0}
paths: {}
"""


def test_contract_added_to_the_catalog(repo: Path) -> None:
    (repo / "contracts/new-api").mkdir()
    (repo / "contracts/new-api/openapi.yaml").write_text(NEW_CONTRACT, encoding="utf-8")
    write_catalog_entry(repo, "new-api", "new-api/openapi.yaml")
    report = compare_with_ref("HEAD")
    added = [f for f in report.findings if f.rule_id == "contract-added"]
    assert [(f.contract, f.severity.value, f.message) for f in added] == [
        ("new-api", "info", "contract `new-api` is new: it is not in the catalog at `HEAD`")
    ]
    assert added[0].location.file == "contracts/catalog.yaml"


def test_contract_removed_from_the_catalog(repo: Path) -> None:
    edit(repo / CATALOG, "  - id: mes\n", "  - id: mes-gone\n")
    text = (repo / CATALOG).read_text(encoding="utf-8")
    start = text.index("  - id: mes-gone\n")
    end = text.index("  - id: model-files\n")
    (repo / CATALOG).write_text(text[:start] + text[end:], encoding="utf-8")
    report = compare_with_ref("HEAD")
    removed = [f for f in report.findings if f.rule_id == "contract-removed"]
    assert [(f.contract, f.severity.value) for f in removed] == [("mes", "error")]
    assert removed[0].base_location is not None
    assert removed[0].base_location.file == "HEAD:contracts/catalog.yaml"
    assert removed[0].location.file == "contracts/catalog.yaml"
    # Named contracts: nothing is "removed" (the catalog as a whole was not compared).
    assert not [f for f in compare_with_ref("HEAD", ["b2b-orders"]).findings if f.rule_id == "contract-removed"]


def test_moved_contract_is_matched_by_id(repo: Path) -> None:
    git(repo, "mv", "contracts/mes", "contracts/manufacturing")
    edit(repo / CATALOG, "path: mes/openapi.yaml", "path: manufacturing/openapi.yaml")
    edit(repo / "contracts/manufacturing/openapi.yaml", "  /machines:\n", "  /machines-renamed:\n")
    report = compare_with_ref("HEAD")
    assert report.errors == []
    rules = {(f.rule_id, f.contract) for f in report.findings}
    assert ("api-path-removed", "mes") in rules
    assert not {rule for rule, _ in rules} & {"contract-added", "contract-removed"}


def test_file_that_did_not_exist_at_the_ref_is_added(repo: Path) -> None:
    first = git(repo, "rev-parse", "HEAD").strip()
    (repo / "contracts/new-api").mkdir()
    (repo / "contracts/new-api/openapi.yaml").write_text(NEW_CONTRACT, encoding="utf-8")
    write_catalog_entry(repo, "new-api", "new-api/openapi.yaml")
    commit(repo, "catalogue new-api")
    # The catalog at HEAD lists new-api; its file is deleted again: at HEAD it exists, at `first` it did not.
    report = compare_with_ref(first, ["new-api"])
    assert [(f.rule_id, f.message) for f in report.findings] == [
        ("contract-added", "contract `new-api` is new: it is not in the catalog at `" + first + "`")
    ]
    git(repo, "rm", "-q", "contracts/catalog.yaml")
    (repo / CATALOG).write_text(
        "version: 1\ncontracts:\n"
        "  - {id: new-api, kind: openapi, path: new-api/openapi.yaml, owner: a, lifecycle: draft}\n"
    )
    commit(repo, "drop the other contracts")
    git(repo, "rm", "-q", "contracts/new-api/openapi.yaml")
    commit(repo, "new-api gone from the tree")
    (repo / "contracts/new-api").mkdir(exist_ok=True)
    (repo / "contracts/new-api/openapi.yaml").write_text(NEW_CONTRACT, encoding="utf-8")
    report = compare_with_ref("HEAD", ["new-api"])
    assert [(f.rule_id, f.message) for f in report.findings] == [
        ("contract-added", "contract `new-api` is new: `contracts/new-api/openapi.yaml` did not exist at `HEAD`")
    ]


def test_no_catalog_at_the_ref_means_every_contract_is_diffed_or_added(repo: Path) -> None:
    git(repo, "rm", "-q", "contracts/catalog.yaml")
    commit(repo, "no catalog yet")
    (repo / CATALOG).write_text(
        "version: 1\ncontracts:\n  - {id: mes, kind: openapi, path: mes/openapi.yaml, owner: a, lifecycle: draft}\n",
        encoding="utf-8",
    )
    report = compare_with_ref("HEAD")
    assert report.errors == []
    assert report.findings == []  # mes is unchanged; nothing can have been removed from no catalog


def test_a_file_outside_the_catalog_missing_at_the_ref_is_an_error(repo: Path) -> None:
    (repo / "contracts/stray.yaml").write_text(NEW_CONTRACT, encoding="utf-8")
    report = compare_with_ref("HEAD", ["contracts/stray.yaml"])
    assert len(report.errors) == 1
    error = report.errors[0]
    assert isinstance(error, ContractNotFound)
    assert error.detail == "`contracts/stray.yaml` does not exist at `HEAD`"


def test_a_ref_missing_at_the_base_is_an_error_naming_the_revision(repo: Path) -> None:
    orders = repo / "contracts/b2b-orders/openapi.yaml"
    edit(orders, "$ref: '../common/money.yaml#/Money'", "$ref: '../common/money2.yaml#/Money'")
    commit(repo, "broken: money2.yaml does not exist yet")
    shutil.copy(repo / MONEY, repo / "contracts/common/money2.yaml")
    commit(repo, "add money2.yaml")
    broken = compare_with_ref("HEAD~1", ["b2b-orders"])
    assert len(broken.errors) == 1
    assert "HEAD~1:contracts/common/money2.yaml" in broken.errors[0].detail
    assert "does not exist at `HEAD~1`" in broken.errors[0].detail
    assert compare_with_ref("HEAD", ["b2b-orders"]).errors == []


@pytest.mark.parametrize(
    ("ref", "error", "message"),
    [
        pytest.param("no-such-branch", GitError, "unknown git revision `no-such-branch`", id="unknown-ref"),
        pytest.param("HEAD~5", GitError, "unknown git revision `HEAD~5`", id="beyond-history"),
        pytest.param("--output=x", UsageError, "is not a git revision", id="option-like"),
        pytest.param("", UsageError, "is not a git revision", id="empty"),
    ],
)
def test_bad_refs(repo: Path, ref: str, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message.replace("~", "\\~")):
        compare_with_ref(ref)


def test_not_a_repository(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(CONTRACTS, tmp_path / "contracts")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    with pytest.raises(GitError, match="is not inside a git repository") as caught:
        compare_with_ref("HEAD")
    assert caught.value.tip is not None and "BASE REVISION" in caught.value.tip


def test_git_not_installed(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "")
    with pytest.raises(GitError, match="git is not installed"):
        compare_with_ref("HEAD")


def test_malformed_catalog_at_the_ref(repo: Path) -> None:
    (repo / CATALOG).write_text("version: 1\ncontracts: nope\n", encoding="utf-8")
    commit(repo, "broken catalog")
    shutil.copy(CONTRACTS / "catalog.yaml", repo / CATALOG)
    with pytest.raises(ConfigError, match="there is no `contracts` list") as caught:
        compare_with_ref("HEAD")
    assert "HEAD:contracts/catalog.yaml" in caught.value.title


def test_ignores_apply_to_git_comparisons(repo: Path) -> None:
    edit(MONEY, "    - amount\n    - currency\n", "    - amount\n")
    (repo / "contracts/breaking-ignores.yaml").write_text(
        textwrap.dedent(
            """\
            ignores:
              - rule: response-property-became-optional
                location: common/money.yaml
                reason: currency is always sent in practice
                expires: 2030-01-01
            """
        ),
        encoding="utf-8",
    )
    report = compare_with_ref("HEAD", ["b2b-orders"], BreakingOptions(today=dt.date(2025, 1, 1)))
    assert report.findings
    assert {f.accepted for f in report.findings} == {"currency is always sent in practice"}
