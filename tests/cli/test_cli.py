"""The command line end to end, on small catalogs written by each test (exit codes, formats, errors)."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from typer.testing import CliRunner

from contractkit.cli.app import app

GOOD = """\
openapi: 3.1.0
info: {title: Good, version: 1.0.0}
paths: {}
"""
EVENTS = """\
asyncapi: 3.0.0
info: {title: Events, version: 1.0.0}
"""


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))


def catalog(entries: str, extra: str = "") -> str:
    return f"version: 1\ncontracts:\n{textwrap.indent(textwrap.dedent(entries), '  ')}{extra}"


ENTRY = """\
- id: good
  kind: openapi
  path: good/openapi.yaml
  owner: team-a
  lifecycle: stable
"""


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    write(tmp_path, {"contracts/catalog.yaml": catalog(ENTRY), "contracts/good/openapi.yaml": GOOD})
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    assert "Traceback" not in result.stdout + result.stderr
    return result.exit_code, result.stdout, result.stderr


def test_help_lists_every_command() -> None:
    code, out, _ = run("--help")
    assert code == 0
    for command in ("validate", "lint", "check", "rules"):
        assert command in out


def test_version() -> None:
    code, out, _ = run("--version")
    assert code == 0
    assert out.startswith("contractkit ")


@pytest.mark.parametrize("command", ["validate", "lint", "check"])
def test_clean_catalog_exits_0(repo: Path, command: str) -> None:
    code, out, _ = run(command, "--format", "json")
    assert code in (0, 1)  # lint may warn on a bare contract; validate must be clean
    report = json.loads(out)
    assert report["checked"] == ["good"]
    if command == "validate":
        assert code == 0
        assert report["findings"] == []


@pytest.mark.parametrize(
    ("files", "args", "code", "needle"),
    [
        pytest.param(
            {"contracts/bad/openapi.yaml": "openapi: 3.1.0\ninfo: {title: x}\npaths: {}\n"},
            ["contracts/bad/openapi.yaml"],
            1,
            "openapi-structure",
            id="invalid-contract-exits-1",
        ),
        pytest.param({"contracts/x.yaml": "a: [1, 2\n"}, ["contracts/x.yaml"], 2, "x.yaml:2", id="unparseable-exits-2"),
        pytest.param({}, ["no-such-id"], 2, "neither a contract id", id="unknown-id-exits-2"),
        pytest.param(
            {"contracts/list.yaml": "- 1\n"}, ["contracts/list.yaml"], 2, "not an API contract", id="not-a-contract"
        ),
    ],
)
def test_exit_codes(repo: Path, files: dict[str, str], args: list[str], code: int, needle: str) -> None:
    write(repo, files)
    actual, out, err = run("validate", *args)
    assert actual == code
    assert needle in out + err


def test_input_error_has_title_location_and_tip(repo: Path) -> None:
    write(repo, {"contracts/x.yaml": "a: 1\na: 2\n"})
    code, _, err = run("validate", "contracts/x.yaml")
    assert code == 2
    assert err.startswith("error: could not parse")
    assert "duplicate key `a`" in err
    assert "contracts/x.yaml:2:1" in err
    assert "Tip:" in err


def test_unreadable_contract_does_not_hide_the_others(repo: Path) -> None:
    write(
        repo,
        {
            "contracts/catalog.yaml": catalog(ENTRY + ENTRY.replace("good", "broken")),
            "contracts/broken/openapi.yaml": "openapi: 3.1.0\ninfo: [\n",
        },
    )
    code, out, err = run("validate", "--format", "json")
    assert code == 2
    assert json.loads(out)["checked"] == ["good", "broken"]
    assert "broken/openapi.yaml" in err


def test_stray_contract_is_reported(repo: Path) -> None:
    write(repo, {"contracts/stray/openapi.yaml": GOOD, "contracts/common/money.yaml": "Money: {type: object}\n"})
    code, out, _ = run("validate", "--format", "json")
    assert code == 1
    findings = json.loads(out)["findings"]
    assert [(f["rule_id"], f["file"]) for f in findings] == [
        ("contract-not-in-catalog", "contracts/stray/openapi.yaml")
    ]


def test_kind_mismatch_is_reported(repo: Path) -> None:
    write(
        repo,
        {
            "contracts/catalog.yaml": catalog(ENTRY.replace("openapi.yaml", "events.yaml")),
            "contracts/good/events.yaml": EVENTS,
        },
    )
    (repo / "contracts/good/openapi.yaml").unlink()
    code, out, _ = run("validate", "--format", "json")
    assert code == 1
    assert [f["rule_id"] for f in json.loads(out)["findings"]] == ["catalog-kind-mismatch"]


@pytest.mark.parametrize(
    ("catalog_text", "needle", "line"),
    [
        pytest.param("version: 1\ncontracts:\n  - id: x\n", "missing required", 3, id="entry-missing-fields"),
        pytest.param(catalog(ENTRY.replace("stable", "frozen")), "frozen", 7, id="bad-lifecycle"),
        pytest.param(catalog(ENTRY + ENTRY), "listed twice", 8, id="duplicate-id"),
        pytest.param(
            catalog(ENTRY, "lint:\n  rules:\n    operation-id-missing: loud\n"), "loud", 10, id="bad-severity"
        ),
    ],
)
def test_bad_catalog_exits_2_with_its_line(repo: Path, catalog_text: str, needle: str, line: int) -> None:
    write(repo, {"contracts/catalog.yaml": catalog_text})
    code, _, err = run("validate")
    assert code == 2
    assert needle in err
    assert f"contracts/catalog.yaml:{line}:" in err


def test_unknown_rule_in_policy_is_a_usage_error(repo: Path) -> None:
    write(repo, {"contracts/catalog.yaml": catalog(ENTRY, "lint:\n  rules:\n    operation-id-mising: off\n")})
    code, _, err = run("lint")
    assert code == 2
    assert "operation-id-mising" in err
    assert "contracts/catalog.yaml:10:5" in err
    assert "did you mean `operation-id-mising` -> `operation-id-missing`?" in err


def test_misspelt_rule_option_is_a_usage_error(repo: Path) -> None:
    write(repo, {"contracts/catalog.yaml": catalog(ENTRY, "lint:\n  options:\n    problem_schema: x.yaml#/P\n")})
    code, _, err = run("lint")
    assert code == 2
    assert "problem_schema" in err


def test_policy_severity_override_and_fail_on(repo: Path) -> None:
    write(repo, {"contracts/good/openapi.yaml": GOOD.replace("1.0.0", "one")})
    code, out, _ = run("lint", "--format", "json")
    assert code == 1
    assert "info-version-not-semver" in {f["rule_id"] for f in json.loads(out)["findings"]}
    write(
        repo,
        {"contracts/catalog.yaml": catalog(ENTRY + "  lint:\n    rules:\n      info-version-not-semver: warning\n")},
    )
    code, out, _ = run("lint", "--format", "json")
    severities = {f["rule_id"]: f["severity"] for f in json.loads(out)["findings"]}
    assert severities["info-version-not-semver"] == "warning"
    assert run("lint", "--fail-on", "warning")[0] == 1
    write(
        repo, {"contracts/catalog.yaml": catalog(ENTRY + "  lint:\n    rules:\n      info-version-not-semver: off\n")}
    )
    code, out, _ = run("lint", "--format", "json")
    assert "info-version-not-semver" not in {f["rule_id"] for f in json.loads(out)["findings"]}


@pytest.mark.parametrize("fmt", ["text", "json", "github", "sarif", "junit"])
def test_every_format_writes_atomically_to_output(repo: Path, fmt: str) -> None:
    target = repo / "out" / f"report.{fmt}"
    code, out, _ = run("validate", "--format", fmt, "--output", str(target))
    assert code == 0
    assert out == ""
    assert target.exists()
    if fmt != "github":  # a clean run has no annotation to print
        assert target.read_text().strip()
    assert [p.name for p in target.parent.iterdir()] == [target.name]


def test_rules_lists_every_engine() -> None:
    code, out, _ = run("rules")
    assert code == 0
    assert "ref-unresolved" in out
    assert "operation-id-missing" in out
    code, out, _ = run("rules", "--format", "json")
    assert {rule["kind"] for rule in json.loads(out)} >= {"validate", "lint"}


def test_docs_rules_md_is_generated_from_the_registry() -> None:
    code, out, _ = run("rules", "--format", "markdown")
    docs = Path(__file__).resolve().parents[2] / "docs" / "rules.md"
    assert code == 0
    assert docs.read_text() == out, "docs/rules.md is stale: run `contractkit rules --format markdown > docs/rules.md`"


def test_no_catalog_and_no_argument_is_a_usage_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, _, err = run("validate")
    assert code == 2
    assert "no catalog found" in err


@pytest.mark.parametrize(
    ("fmt", "needle"),
    [
        pytest.param("github", "::error file=contracts/broken/openapi.yaml,line=", id="github-annotation"),
        pytest.param("sarif", '"ruleId": "input-unreadable"', id="sarif-result"),
        pytest.param("junit", "input-unreadable", id="junit-failure"),
        pytest.param("json", '"errors": [', id="json-errors"),
    ],
)
def test_unreadable_contract_shows_in_ci_formats(repo: Path, fmt: str, needle: str) -> None:
    write(
        repo,
        {
            "contracts/catalog.yaml": catalog(ENTRY + ENTRY.replace("good", "broken")),
            "contracts/broken/openapi.yaml": "openapi: 3.1.0\ninfo: {title: a}\ninfo: {title: b}\n",
        },
    )
    code, out, _ = run("validate", "--format", fmt)
    assert code == 2
    assert needle in out


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(("check", "--output", "{blocked}/report.txt"), id="check-output-under-a-file"),
        pytest.param(("gen", "mes", "--out", "{blocked}/generated"), id="gen-out-under-a-file"),
        pytest.param(("package", "mes", "--out", "{blocked}/dist"), id="package-out-under-a-file"),
    ],
)
def test_a_path_that_cannot_be_written_is_an_input_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...]
) -> None:
    """The repository's own catalog (so gen and package get as far as writing), an output below a file."""
    monkeypatch.chdir(Path(__file__).resolve().parents[2])
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder\n")
    code, _, err = run(*[a.format(blocked=blocked) for a in args])
    assert code == 2, err
    assert err.startswith("error: cannot use `"), err
    assert "Tip: " in err
