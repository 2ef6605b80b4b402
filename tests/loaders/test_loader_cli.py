"""Every loader error through ``contractkit validate FILE``: the exit code, the message, never a traceback.

Exit 2 when the input cannot be used (unparseable, not a contract, too big, missing): ``error:``, the
location and a ``Tip:`` on standard error. Exit 1 when a ``$ref`` cannot be followed: a ``ref-unresolved``
finding, with its location and tip, in the report on standard output. typer's ``CliRunner`` keeps the two
streams apart (``result.stdout`` / ``result.stderr``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from typer.testing import CliRunner, Result

from contractkit.cli.app import app

if TYPE_CHECKING:
    from conftest import Served  # tests/loaders/conftest.py (a type only: never import a conftest at run time)

MiB = 1024 * 1024
EXIT_FINDINGS = 1
EXIT_INPUT = 2

HEADER = 'openapi: 3.1.0\ninfo:\n  title: t\n  version: "1"\npaths: {}\n'
ONE_REF = HEADER + "components:\n  schemas:\n    Target:\n      $ref: {ref}\n"  # the $ref is at 9:7


def padded(size: int) -> bytes:
    head = HEADER.encode()
    return head + b"#" + b"x" * (size - len(head) - 2) + b"\n"


FILES: dict[str, bytes] = {
    "bad.yaml": b"openapi: 3.1.0\ninfo:\n  title: x\n   version: 1\n",
    "bad.json": b'{\n  "openapi": "3.1.0",\n  "paths": {},\n}\n',
    "dup.yaml": b"openapi: 3.1.0\ninfo:\n  title: x\n  title: y\n",
    "dup.json": b'{\n  "openapi": "3.1.0",\n  "openapi": "3.0.0"\n}\n',
    "bomb.yaml": (
        'a0: &a0 ["lol"]\n' + "".join(f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]\n" for i in range(1, 10))
    ).encode(),
    "recursive.yaml": b"openapi: 3.1.0\nx-loop: &a\n  b: *a\n",
    "deep.yaml": b"openapi: 3.1.0\nx: " + b"[" * 300 + b"]" * 300 + b"\n",
    "merge.yaml": b"openapi: 3.1.0\nx-base: &b {x: 1}\nx-other:\n  <<: *b\n",
    "tag.yaml": b"openapi: 3.1.0\nx: !!python/object/apply:os.system ['true']\n",
    "empty.yaml": b"",
    "blank.yaml": b"\n   \n\t\n",
    "latin1.yaml": b'openapi: 3.1.0\ninfo:\n  title: caf\xe9\n  version: "1"\npaths: {}\n',
    "big.yaml": padded(2 * MiB),
    "list.yaml": b"- openapi: 3.1.0\n- paths: {}\n",
    "nokey.yaml": b"info:\n  title: t\n  version: '1'\npaths: {}\n",
    "swagger.yaml": b'swagger: "2.0"\ninfo: {title: t, version: "1"}\npaths: {}\n',
    "oldopenapi.yaml": b"openapi: 2.5.0\ninfo: {title: t, version: '1'}\npaths: {}\n",
    "root/api/missing-file.yaml": ONE_REF.replace("{ref}", "./nope.yaml#/N").encode(),
    "root/api/missing-pointer.yaml": ONE_REF.replace("{ref}", "'#/components/schemas/Nope'").encode(),
    "root/api/remote.yaml": ONE_REF.replace("{ref}", "https://example.com/s.yaml#/A").encode(),
    "root/api/escape.yaml": ONE_REF.replace("{ref}", "../../outside/o.yaml#/O").encode(),
    "root/api/symlink.yaml": ONE_REF.replace("{ref}", "./linked/o.yaml#/O").encode(),
    "root/api/circular.yaml": ONE_REF.replace("{ref}", "./a.yaml#/A").encode(),
    "root/api/nested.yaml": ONE_REF.replace("{ref}", "../other/x.yaml#/X").encode(),
    "root/api/a.yaml": b'A:\n  $ref: "./b.yaml#/B"\n',
    "root/api/b.yaml": b'B:\n  $ref: "./a.yaml#/A"\n',
    "root/other/x.yaml": b'X:\n  $ref: "./y.yaml#/Z"\n',
    "root/other/y.yaml": b"Z:\n  type: string\n",
    "outside/o.yaml": b"O:\n  type: string\n",
}


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)  # no catalog above tmp_path: files are checked on their own
    for name, content in FILES.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    with (tmp_path / "huge.yaml").open("wb") as handle:
        handle.truncate(50 * MiB)
    (tmp_path / "root/api/linked").symlink_to(tmp_path / "outside", target_is_directory=True)
    return tmp_path


def invoke(*args: str) -> Result:
    result = CliRunner().invoke(app, ["validate", *args])
    assert "Traceback" not in result.stdout + result.stderr
    assert not isinstance(result.exception, Exception), f"exception escaped the CLI: {result.exception!r}"
    return result


@pytest.mark.parametrize(
    ("args", "words"),
    [
        pytest.param(
            ["bad.yaml"],
            ["error: could not parse `bad.yaml`", "mapping values are not allowed", "in bad.yaml:4:11"],
            id="bad-yaml",
        ),
        pytest.param(
            ["bad.json"],
            ["error: could not parse `bad.json`", "expecting property name", "in bad.json:4:1"],
            id="bad-json",
        ),
        pytest.param(["dup.yaml"], ["duplicate key `title`", "in dup.yaml:4:3"], id="duplicate-key-yaml"),
        pytest.param(["dup.json"], ["duplicate key `openapi`", "in dup.json:3:3"], id="duplicate-key-json"),
        pytest.param(["bomb.yaml"], ["alias bomb", "in bomb.yaml:8:5"], id="alias-bomb"),
        pytest.param(["recursive.yaml"], ["recursive YAML alias", "in recursive.yaml:2:9"], id="recursive-alias"),
        pytest.param(["deep.yaml"], ["deeper than 256 levels", "in deep.yaml:2:259"], id="too-deep"),
        pytest.param(["merge.yaml"], ["merge keys (`<<`) are not supported", "in merge.yaml:4:3"], id="merge-key"),
        pytest.param(["tag.yaml"], ["unsupported YAML tag", "python/object/apply", "in tag.yaml:2:4"], id="python-tag"),
        pytest.param(
            ["empty.yaml"], ["error: could not load `empty.yaml`", "the file is empty", "in empty.yaml"], id="empty"
        ),
        pytest.param(["blank.yaml"], ["the file is empty", "in blank.yaml"], id="whitespace-only"),
        pytest.param(
            ["latin1.yaml"],
            ["not valid UTF-8 (byte 0xe9)", "in latin1.yaml:3:13", "save the file as UTF-8"],
            id="not-utf8",
        ),
        pytest.param(
            ["huge.yaml"],
            [
                "error: could not load `huge.yaml`",
                "50.0 MiB, over the limit of 16.0 MiB",
                "in huge.yaml",
                "--max-bytes",
            ],
            id="too-big-default-limit",
        ),
        pytest.param(
            ["--max-bytes", str(MiB), "big.yaml"],
            ["2.0 MiB, over the limit of 1.0 MiB", "in big.yaml"],
            id="too-big-max-bytes",
        ),
        pytest.param(
            ["missing.yaml"],
            ["error: contract `missing.yaml` not found", "neither a contract id of the catalog nor a file"],
            id="missing-file",
        ),
        pytest.param(
            ["list.yaml"],
            ["error: `list.yaml` is not an API contract", "not a mapping", "in list.yaml:1:1"],
            id="plain-list",
        ),
        pytest.param(
            ["nokey.yaml"],
            ["error: `nokey.yaml` is not an API contract", "no `openapi` or `asyncapi` key", "in nokey.yaml:1:1"],
            id="mapping-without-openapi",
        ),
        pytest.param(
            ["swagger.yaml"],
            [
                "error: unsupported contract `swagger.yaml`",
                "Swagger 2.0 documents are not supported",
                "swagger.yaml:1:1 (at /swagger)",
                "swagger2openapi",
            ],
            id="swagger-2",
        ),
        pytest.param(
            ["oldopenapi.yaml"],
            ["openapi version `2.5.0` is not supported", "oldopenapi.yaml:1:1 (at /openapi)"],
            id="openapi-2.5",
        ),
    ],
)
def test_unusable_input_exits_2_with_error_location_and_tip(workdir: Path, args: list[str], words: list[str]) -> None:
    result = invoke(*args)
    assert result.exit_code == EXIT_INPUT, result.stderr
    assert result.stderr.startswith("error: ")
    assert "\nTip: " in result.stderr
    for word in words:
        assert word in result.stderr


@pytest.mark.parametrize(
    ("name", "words"),
    [
        pytest.param("missing-file", ["cannot load `root/api/nope.yaml`: no such file"], id="missing-file"),
        pytest.param("missing-pointer", ["has nothing at `/components/schemas/Nope`"], id="missing-pointer"),
        pytest.param("remote", ["remote references are refused", "Tip: ", "--allow-remote-refs"], id="remote"),
        pytest.param("escape", ["leaves the contracts root"], id="escape-by-dot-dot"),
        pytest.param("symlink", ["leaves the contracts root"], id="escape-by-symlink"),
        pytest.param(
            "circular",
            ["circular `$ref` chain: root/api/a.yaml#/A -> root/api/b.yaml#/B -> root/api/a.yaml#/A"],
            id="circular",
        ),
    ],
)
def test_a_bad_ref_exits_1_with_a_located_finding(workdir: Path, name: str, words: list[str]) -> None:
    result = invoke("--root", "root", f"root/api/{name}.yaml")
    assert result.exit_code == EXIT_FINDINGS, result.stdout + result.stderr
    assert result.stderr == ""
    assert f"root/api/{name}.yaml:9:7  error    ref-unresolved  cannot follow `$ref: " in result.stdout
    assert "\n  Tip: " in result.stdout
    for word in words:
        assert word in result.stdout


def test_a_bad_ref_in_json_format(workdir: Path) -> None:
    result = invoke("--format", "json", "--root", "root", "root/api/missing-pointer.yaml")
    assert result.exit_code == EXIT_FINDINGS
    (finding,) = json.loads(result.stdout)["findings"]
    assert (finding["rule_id"], finding["file"], finding["line"], finding["column"], finding["pointer"]) == (
        "ref-unresolved",
        "root/api/missing-pointer.yaml",
        9,
        7,
        "/components/schemas/Target/$ref",
    )


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(["--root", "root", "root/api/nested.yaml"], id="nested-relative-refs-within-root"),
        pytest.param(["--max-bytes", str(3 * MiB), "big.yaml"], id="max-bytes-raised"),
    ],
)
def test_clean_inputs_exit_0(workdir: Path, args: list[str]) -> None:
    result = invoke(*args)
    assert result.exit_code == 0, result.stdout + result.stderr
    assert result.stdout == "no findings in 1 contract\n"
    assert result.stderr == ""


def test_root_bounds_where_refs_may_lead(workdir: Path) -> None:
    # The same contract, with a root that does not hold ../other/: the ref is refused.
    result = invoke("--root", "root/api", "root/api/nested.yaml")
    assert result.exit_code == EXIT_FINDINGS
    assert "root/api/nested.yaml:9:7  error    ref-unresolved" in result.stdout
    assert "leaves the contracts root" in result.stdout


def test_remote_refs_are_fetched_with_allow_remote_refs(workdir: Path, http_server: Served) -> None:
    (http_server.folder / "shared.yaml").write_text("A:\n  type: string\n", encoding="utf-8")
    contract = workdir / "remote-ok.yaml"
    contract.write_text(ONE_REF.replace("{ref}", f"{http_server.url}/shared.yaml#/A"), encoding="utf-8")

    refused = invoke("remote-ok.yaml")
    assert refused.exit_code == EXIT_FINDINGS
    assert "remote references are refused" in refused.stdout
    assert http_server.requests == []

    allowed = invoke("--allow-remote-refs", "remote-ok.yaml")
    assert allowed.exit_code == 0, allowed.stdout + allowed.stderr
    assert http_server.requests == ["/shared.yaml"]
