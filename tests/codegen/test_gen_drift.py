"""`contractkit gen` and `gen --check` on a copy of the repository: the drift gate, idempotence, atomicity."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from contractkit.catalog import load_catalog
from contractkit.cli.app import app
from contractkit.codegen import gen as gen_module
from contractkit.codegen.gen import generate
from contractkit.codegen.write import read_package
from contractkit.errors import ToolFailed

RUNNER = CliRunner()


def _run(repo: Path, *args: str) -> tuple[int, str, str]:
    result = RUNNER.invoke(app, ["gen", *args, "--catalog", str(repo / "contracts" / "catalog.yaml")])
    return result.exit_code, result.stdout, result.stderr


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_check_passes_on_a_current_tree(repo_copy: Path) -> None:
    code, out, err = _run(repo_copy, "--check")
    assert (code, out) == (0, "")
    assert "up to date: b2b_orders/v1" in err


@pytest.mark.parametrize(
    ("change", "expected_in_diff"),
    [
        pytest.param(
            lambda text: text.replace(
                "    Quantity:\n", "    Priority:\n      type: string\n      enum: [low, high]\n    Quantity:\n", 1
            ),
            '+Priority = TypeAliasType("Priority", Literal["low", "high"])',
            id="schema-added",
        ),
        pytest.param(
            lambda text: re.sub(r"(?m)^  version: 1\.\d+\.\d+$", "  version: 1.9.0", text, count=1),
            '+CONTRACT_VERSION = "1.9.0"',
            id="version-bumped",
        ),
    ],
)
def test_contract_change_without_regeneration_fails_the_check(repo_copy: Path, change, expected_in_diff: str) -> None:
    contract = repo_copy / "contracts" / "b2b-orders" / "openapi.yaml"
    contract.write_text(change(contract.read_text()))
    before = _snapshot(repo_copy / "generated")
    code, out, err = _run(repo_copy, "--check")
    assert code == 1
    assert "--- a/b2b_orders/v1/" in out and expected_in_diff in out
    assert "out of date: b2b_orders/v1" in err and "up to date: mes/v1" in err
    assert _snapshot(repo_copy / "generated") == before  # --check writes nothing
    assert _run(repo_copy)[0] == 0
    assert _run(repo_copy, "--check")[:2] == (0, "")


def test_shared_schema_change_makes_every_user_stale(repo_copy: Path) -> None:
    money = repo_copy / "contracts" / "common" / "money.yaml"
    money.write_text(money.read_text().replace("maxLength: 20", "maxLength: 24"))
    code, _, err = _run(repo_copy, "--check")
    assert code == 1
    assert "out of date: contracts_common" in err and "out of date: b2b_orders/v1" in err


def test_hand_edit_of_a_generated_file_fails_the_check(repo_copy: Path) -> None:
    models = repo_copy / "generated" / "mes" / "v1" / "models.py"
    models.write_text(models.read_text() + "\nPATCHED = 1\n")
    code, out, _ = _run(repo_copy, "--check")
    assert code == 1
    assert "-PATCHED = 1" in out


def test_gen_twice_changes_nothing(repo_copy: Path) -> None:
    catalog = load_catalog(repo_copy / "contracts" / "catalog.yaml")
    assert catalog is not None
    first = generate(catalog, force=True)
    before = _snapshot(repo_copy / "generated")
    second = generate(catalog, force=True)
    assert not first.stale and not second.stale
    assert _snapshot(repo_copy / "generated") == before


def test_removed_contract_package_is_reported_then_removed(repo_copy: Path) -> None:
    catalog_file = repo_copy / "contracts" / "catalog.yaml"
    text = catalog_file.read_text()
    start = text.index("  - id: partner-notifications")
    end = text.index("\n# The lint policy")
    catalog_file.write_text(text[:start] + text[end:])
    code, out, _ = _run(repo_copy, "--check")
    assert code == 1 and "--- a/partner_notifications/v1/models.py" in out
    assert _run(repo_copy)[0] == 0
    assert not (repo_copy / "generated" / "partner_notifications" / "v1").exists()


def test_unknown_contract_id_is_a_usage_error_with_a_guess(repo_copy: Path) -> None:
    code, _, err = _run(repo_copy, "b2b-order")
    assert code == 2
    assert "`b2b-order` is neither a contract id of the catalog nor a file" in err
    assert "did you mean `b2b-orders`?" in err


def test_a_failing_contract_leaves_its_package_untouched(repo_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    contract = repo_copy / "contracts" / "mes" / "openapi.yaml"
    contract.write_text(
        re.sub(r"(?m)^  version: 1\.(\d+)\.(\d+)$", r"  version: 1.\1.9", contract.read_text(), count=1)
    )
    before = _snapshot(repo_copy / "generated")

    def broken(schemas, options, where):  # type: ignore[no-untyped-def]
        raise ToolFailed(f"datamodel-code-generator could not generate the models of `{where}`: boom")

    monkeypatch.setattr(gen_module, "run_dcg", broken)
    code, _, err = _run(repo_copy, "mes")
    assert code == 2
    assert "`mes (contracts/mes/openapi.yaml)`" in err and "boom" in err
    assert _snapshot(repo_copy / "generated") == before
    assert not [p for p in (repo_copy / "generated" / "mes").iterdir() if p.name.startswith(".")]


def test_write_replaces_the_whole_package(tmp_path: Path) -> None:
    from contractkit.codegen.write import write_package

    folder = tmp_path / "pkg" / "v1"
    write_package(folder, {"a.py": b"1", "b.py": b"2"})
    write_package(folder, {"a.py": b"3"})
    assert read_package(folder) == {"a.py": b"3"}
    assert [p.name for p in folder.parent.iterdir()] == ["v1"]
