"""The oasdiff engine: its JSON read into findings, and the subprocess boundary with a fake `oasdiff` on PATH.

oasdiff cannot be installed here, so the JSON in data/oasdiff/ was written by hand from its documented output
format (see data/oasdiff/README.md). The subprocess tests put a tiny fake `oasdiff` first on PATH: it records
its arguments and prints one of those files, so everything up to the binary is the real code path.
"""

from __future__ import annotations

import json
import os
import sys
import textwrap
from pathlib import Path

import pytest

from contractkit.breaking.oasdiff import mapping_from_json, run_oasdiff
from contractkit.errors import InputError, UsageError
from contractkit.findings import Finding, Location, Severity

DATA = Path(__file__).parent / "data" / "oasdiff"
BASE, REVISION = DATA / "base.yaml", DATA / "revision.yaml"
LIST_ORDERS = "/paths/~1orders/get"
DELETE_ORDER = "/paths/~1orders~1{id}/delete"
ENUM_COMMENT = (
    "The server may now return a value the previous contract excluded, so a client written against it may not "
    "handle the response. If the value set is meant to grow, declare it with x-extensible-enum."
)
PARAM_COMMENT = (
    "This is a warning because some clients may return an error when receiving an unexpected parameter. "
    "It is recommended to deprecate the parameter first."
)


def recorded(name: str) -> object:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def summary(findings: list[Finding]) -> list[tuple[str, str, str | None, str, str, str | None]]:
    """One comparable row per finding: level, id, operation, message, location, base location."""
    return [
        (
            f.severity.value,
            f.rule_id,
            f.operation,
            f.message,
            f"{f.location.file}:{f.location.line}#{f.location.pointer}",
            f"{f.base_location.file}:{f.base_location.line}" if f.base_location else None,
        )
        for f in findings
    ]


# --- the mapping, on recorded JSON ----------------------------------------------------------------------


def test_current_output_maps_every_field() -> None:
    findings = mapping_from_json(
        recorded("breaking-current.json"), base_file="base.yaml", revision_file="revision.yaml", contract="orders"
    )
    assert findings == [
        Finding(
            "api-path-removed-without-deprecation",
            Severity.ERROR,
            "api path removed without deprecation",
            Location("revision.yaml", DELETE_ORDER),
            operation="DELETE /orders/{id}",
            contract="orders",
            base_location=Location("base.yaml", DELETE_ORDER, 21, 3),
        ),
        Finding(
            "new-required-request-parameter",
            Severity.ERROR,
            "added the new required 'query' request parameter 'tenant'",
            Location("revision.yaml", LIST_ORDERS, 10, 11),
            operation="GET /orders",
            contract="orders",
            base_location=Location("base.yaml", LIST_ORDERS, 7, 5),
        ),
        Finding(
            "response-property-enum-value-added",
            Severity.ERROR,
            "added the new 'archived' enum value to the 'status' response property for the response status '200'",
            Location("revision.yaml", LIST_ORDERS, 33, 9),
            operation="GET /orders",
            hint=ENUM_COMMENT,
            contract="orders",
            base_location=Location("base.yaml", LIST_ORDERS, 41, 9),
        ),
        Finding(
            "response-required-property-removed",
            Severity.ERROR,
            "removed the required property 'id' from the response with the '200' status",
            Location("revision.yaml", LIST_ORDERS, 29, 5),
            operation="GET /orders",
            contract="orders",
            base_location=Location("base.yaml", LIST_ORDERS, 39, 9),
        ),
        Finding(
            "request-parameter-removed",
            Severity.WARNING,
            "deleted the 'query' request parameter 'limit'",
            Location("revision.yaml", LIST_ORDERS, 7, 5),
            operation="GET /orders",
            hint=PARAM_COMMENT,
            contract="orders",
            base_location=Location("base.yaml", LIST_ORDERS, 10, 11),
        ),
    ]


def test_legacy_output_names_only_the_file() -> None:
    # oasdiff before baseSource/revisionSource gave `source`: the file the operation came from.
    findings = mapping_from_json(recorded("breaking-legacy.json"), base_file="base.yaml", revision_file="revision.yaml")
    assert summary(findings) == [
        (
            "error",
            "api-path-removed-without-deprecation",
            "DELETE /orders/{id}",
            "api path removed without deprecation",
            f"revision.yaml:0#{DELETE_ORDER}",
            "base.yaml:0",
        ),
        (
            "error",
            "new-required-request-parameter",
            "GET /orders",
            "added the new required 'query' request parameter 'tenant'",
            f"revision.yaml:0#{LIST_ORDERS}",
            None,
        ),
        (
            "error",
            "response-required-property-removed",
            "GET /orders",
            "removed the required property 'id' from the response with the '200' status",
            f"revision.yaml:0#{LIST_ORDERS}",
            None,
        ),
        (
            "warning",
            "request-parameter-removed",
            "GET /orders",
            "deleted the 'query' request parameter 'limit'",
            f"revision.yaml:0#{LIST_ORDERS}",
            None,
        ),
        (
            "warning",
            "response-property-enum-value-added",
            "GET /orders",
            "added the new 'archived' enum value to the 'status' response property for the response status '200'",
            f"revision.yaml:0#{LIST_ORDERS}",
            None,
        ),
    ]


def test_wrapped_changelog_with_info_and_component_changes() -> None:
    findings = mapping_from_json(recorded("changelog-wrapped.json"), revision_file="revision.yaml")
    assert summary(findings) == [
        (
            "error",
            "api-path-removed-without-deprecation",
            "DELETE /orders/{id}",
            "api path removed without deprecation",
            f"revision.yaml:0#{DELETE_ORDER}",
            "base.yaml:21",
        ),
        (
            "warning",
            "request-parameter-removed",
            "GET /orders",
            "deleted the 'query' request parameter 'limit'",
            f"revision.yaml:7#{LIST_ORDERS}",
            "base.yaml:10",
        ),
        # A component change has no operation: it points at the section.
        ("info", "api-schema-removed", None, "removed the schema 'Legacy'", "revision.yaml:0#/components", None),
        ("info", "endpoint-added", "POST /orders", "endpoint added", "revision.yaml:22#/paths/~1orders/post", None),
    ]


@pytest.mark.parametrize("data", [recorded("empty.json"), None, {"changes": []}, {"changes": None}])
def test_no_change(data: object) -> None:
    assert mapping_from_json(data) == []


@pytest.mark.parametrize(
    ("level", "severity"),
    [
        pytest.param(3, Severity.ERROR, id="3"),
        pytest.param(2, Severity.WARNING, id="2"),
        pytest.param(1, Severity.INFO, id="1"),
        pytest.param("ERR", Severity.ERROR, id="ERR"),
        pytest.param("WARN", Severity.WARNING, id="WARN"),
        pytest.param("INFO", Severity.INFO, id="INFO"),
        pytest.param("error", Severity.ERROR, id="error"),
        pytest.param("warning", Severity.WARNING, id="warning"),
        pytest.param(" info ", Severity.INFO, id="info-padded"),
    ],
)
def test_levels(level: object, severity: Severity) -> None:
    (finding,) = mapping_from_json([{"id": "x", "level": level}], revision_file="r.yaml")
    assert finding.severity is severity
    assert finding.message == "x"  # no text: the id stands in
    assert finding.location == Location("r.yaml")
    assert finding.operation is None


def test_absolute_source_files_are_shown_like_other_findings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    source = {"file": str(tmp_path / "specs" / "revision.yaml"), "line": 4, "column": 2}
    (finding,) = mapping_from_json([{"id": "x", "level": 1, "revisionSource": source}])
    assert finding.location == Location("specs/revision.yaml", "", 4, 2)


def test_a_path_without_a_method_is_the_operation() -> None:
    (finding,) = mapping_from_json([{"id": "api-path-removed", "level": 3, "path": "/a/b"}])
    assert finding.operation == "/a/b"
    assert finding.location.pointer == "/paths/~1a~1b"


@pytest.mark.parametrize(
    ("data", "detail"),
    [
        pytest.param({"id": "x"}, "expected a list of changes, got an object", id="object"),
        pytest.param("oops", "expected a list of changes, got a string", id="string"),
        pytest.param([1], "change #1 is a number, not an object", id="entry-not-object"),
        pytest.param([{"level": 3}], "change #1 has no `id`", id="no-id"),
        pytest.param([{"id": "x", "level": 3}, {"id": "", "level": 3}], "change #2 has no `id`", id="empty-id"),
        pytest.param([{"id": "x"}], "change #1 has an unknown `level` null", id="no-level"),
        pytest.param([{"id": "x", "level": 0}], "unknown `level` 0", id="level-none"),
        pytest.param([{"id": "x", "level": True}], "unknown `level` true", id="level-bool"),
        pytest.param([{"id": "x", "level": "fatal"}], 'unknown `level` "fatal"', id="level-name"),
    ],
)
def test_an_unknown_shape_fails_loudly(data: object, detail: str) -> None:
    # A gate must never read output it does not understand as "no breaking change".
    with pytest.raises(InputError) as caught:
        mapping_from_json(data)
    assert detail in caught.value.detail
    assert caught.value.title == "could not read oasdiff's output"
    assert caught.value.tip is not None
    assert "--engine native" in caught.value.tip


# --- the subprocess boundary, with a fake oasdiff ---------------------------------------------------------


def fake_oasdiff(folder: Path, body: str) -> Path:
    """Write an executable `oasdiff` in ``folder``: it records its arguments in ``argv.json``, then runs ``body``."""
    folder.mkdir(parents=True, exist_ok=True)
    script = folder / "oasdiff"
    script.write_text(
        f"#!{sys.executable}\n"
        + textwrap.dedent(
            f"""\
            import json, sys, time
            from pathlib import Path
            Path({str(folder / "argv.json")!r}).write_text(json.dumps(sys.argv[1:]))
            """
        )
        + textwrap.dedent(body)
    )
    script.chmod(0o755)
    return script


@pytest.fixture
def on_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder put first on PATH (the fake wins over any real oasdiff)."""
    folder = tmp_path / "bin"
    folder.mkdir()
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ.get('PATH', '')}")
    return folder


def test_runs_oasdiff_breaking_in_json_and_maps_its_output(on_path: Path) -> None:
    fake_oasdiff(on_path, f"sys.stdout.write(Path({str(DATA / 'breaking-current.json')!r}).read_text())\n")
    findings = run_oasdiff(BASE, REVISION, contract="orders")
    argv = json.loads((on_path / "argv.json").read_text())
    assert argv == ["breaking", str(BASE.resolve()), str(REVISION.resolve()), "--format", "json"]
    assert [(f.severity, f.rule_id, f.operation) for f in findings] == [
        (Severity.ERROR, "api-path-removed-without-deprecation", "DELETE /orders/{id}"),
        (Severity.ERROR, "new-required-request-parameter", "GET /orders"),
        (Severity.ERROR, "response-property-enum-value-added", "GET /orders"),
        (Severity.ERROR, "response-required-property-removed", "GET /orders"),
        (Severity.WARNING, "request-parameter-removed", "GET /orders"),
    ]
    assert {f.contract for f in findings} == {"orders"}


def test_changelog_command_and_extra_flags_are_passed(on_path: Path) -> None:
    fake_oasdiff(on_path, f"sys.stdout.write(Path({str(DATA / 'changelog-wrapped.json')!r}).read_text())\n")
    findings = run_oasdiff(BASE, REVISION, command="changelog", args=["--allow-external-refs"])
    argv = json.loads((on_path / "argv.json").read_text())
    assert argv == [
        "changelog",
        str(BASE.resolve()),
        str(REVISION.resolve()),
        "--format",
        "json",
        "--allow-external-refs",
    ]
    assert [f.severity for f in findings].count(Severity.INFO) == 2


def test_the_binary_may_be_a_path(tmp_path: Path) -> None:
    script = fake_oasdiff(tmp_path / "elsewhere", "print('[]')\n")
    assert run_oasdiff(BASE, REVISION, binary=str(script)) == []


def test_no_output_means_no_change(on_path: Path) -> None:
    fake_oasdiff(on_path, "")  # older oasdiff releases printed nothing when there was no change
    assert run_oasdiff(BASE, REVISION) == []


def test_a_missing_binary_says_how_to_get_on(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # an empty folder: no oasdiff anywhere
    with pytest.raises(InputError) as caught:
        run_oasdiff(BASE, REVISION)
    assert caught.value.title == "could not run oasdiff"
    assert caught.value.detail == "oasdiff is not installed: `oasdiff` is not an executable on PATH"
    assert caught.value.tip is not None
    assert "--engine native" in caught.value.tip


def test_a_failure_reports_the_exit_code_and_stderr(on_path: Path) -> None:
    fake_oasdiff(
        on_path,
        """\
        sys.stderr.write("Error: failed to load base spec from 'base.yaml': unresolved ref #/components/schemas/X\\n")
        sys.exit(101)
        """,
    )
    with pytest.raises(InputError) as caught:
        run_oasdiff(BASE, REVISION)
    assert caught.value.detail == (
        "oasdiff exited with code 101: "
        "Error: failed to load base spec from 'base.yaml': unresolved ref #/components/schemas/X"
    )
    assert caught.value.tip is not None
    assert "breaking" in caught.value.tip


def test_a_silent_failure_still_says_something(on_path: Path) -> None:
    fake_oasdiff(on_path, "sys.exit(1)\n")
    with pytest.raises(InputError, match="exited with code 1: it printed no error message"):
        run_oasdiff(BASE, REVISION)


def test_output_that_is_not_json(on_path: Path) -> None:
    fake_oasdiff(on_path, "print('error  [api-path-removed] at base.yaml')\n")
    with pytest.raises(InputError, match="oasdiff printed something that is not JSON"):
        run_oasdiff(BASE, REVISION)


def test_json_of_another_shape(on_path: Path) -> None:
    fake_oasdiff(on_path, "print('{\"diff\": false}')\n")  # what `oasdiff summary` prints
    with pytest.raises(InputError, match="expected a list of changes, got an object"):
        run_oasdiff(BASE, REVISION)


def test_a_hanging_oasdiff_is_stopped(on_path: Path) -> None:
    fake_oasdiff(on_path, "time.sleep(30)\n")
    with pytest.raises(InputError, match=r"did not finish within 0\.5 seconds"):
        run_oasdiff(BASE, REVISION, timeout=0.5)


def test_a_binary_that_cannot_start(on_path: Path) -> None:
    broken = on_path / "oasdiff"
    broken.write_bytes(b"\x7fELF not really")
    broken.chmod(0o755)
    with pytest.raises(InputError, match="could not be started"):
        run_oasdiff(BASE, REVISION)


@pytest.mark.parametrize("flag", ["--fail-on", "--fail-on=ERR", "-o", "-oERR", "-o=ERR"])
def test_fail_on_is_contractkits_job(flag: str, on_path: Path) -> None:
    fake_oasdiff(on_path, "print('[]')\n")
    with pytest.raises(UsageError, match="`--fail-on` cannot be passed to oasdiff"):
        run_oasdiff(BASE, REVISION, args=[flag, "ERR"])
