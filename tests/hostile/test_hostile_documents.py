"""The hostile documents found by mutation fuzzing, each through the commands it broke: a clear answer, in time.

Every case was a crash (exit 70), a hang or a wrong answer before issue 15. A row is (files, command line,
exit code, words the output must hold); the command runs in-process in a folder holding the files, with a time
bound. The alias bomb also runs as a real process, to bound its memory and output.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from ._run import invoke, problems

LIMIT = 10.0
HEAD = "openapi: 3.0.3\ninfo: {title: t, version: 1.0.0}\n"
HEAD31 = "openapi: 3.1.0\ninfo: {title: t, version: 1.0.0}\n"


def op(body: str) -> str:
    """Return a document whose one operation, `POST /a`, holds ``body`` (YAML, indented as an operation's keys)."""
    return HEAD + "paths:\n  /a:\n    post:\n" + textwrap.indent(textwrap.dedent(body), " " * 6)


def bomb(width: int = 8, levels: int = 6) -> str:
    """A billion-laughs document under the loader's 5,000,000-node limit (836 bytes, 2 million nodes expanded)."""
    lines = [HEAD.rstrip(), "paths: {}", "components:", "  schemas:"]
    lines.append("    L0: &a0 {type: string, description: xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx}")
    for i in range(1, levels + 1):
        props = ", ".join(f"p{j}: *a{i - 1}" for j in range(1, width + 1))
        lines.append(f"    L{i}: &a{i} {{type: object, properties: {{{props}}}}}")
    return "\n".join(lines) + "\n"


def ref_chain(width: int = 8, levels: int = 6) -> dict[str, str]:
    """A root whose `x-` extension is a `$ref` into a file of lists of refs: the bundle copies each in place."""
    lines = ["x0: lol"] + [f"x{i}: [{', '.join([repr(f'#/x{i - 1}')] * width)}]" for i in range(1, levels + 1)]
    refs = "\n".join(
        line if i == 0 else line.replace("'#/", "{$ref: '#/").replace("', ", "'}, ").replace("']", "'}]")
        for i, line in enumerate(lines)
    )
    return {"a.yaml": HEAD + f"paths: {{}}\nx-bomb: {{$ref: 'xb.yaml#/x{levels}'}}\n", "xb.yaml": refs + "\n"}


WIDE = "1" + "0" * 400  # 10^400: beyond the float range
INFINITE_BOUNDS = HEAD31 + textwrap.dedent(f"""\
    paths:
      /a:
        get:
          parameters:
            - {{name: q, in: query, schema: {{type: integer, minimum: 1.0e+400, exclusiveMaximum: {WIDE}}}}}
          responses: {{'200': {{description: ok}}}}
    """)
TEMPLATES = "/a/" + "".join(f"{{p{j}}}" for j in range(20)) + "!"  # against a literal, a regex backtracked forever
MANY_TEMPLATES = (
    HEAD
    + "paths:\n"
    + "".join(
        f"  {path}:\n    get: {{operationId: o{i}, responses: {{'200': {{description: ok}}}}}}\n"
        for i, path in enumerate((TEMPLATES, "/a/" + "a" * 1000))
    )
)
VERSION_MAP = "openapi: 3.0.3\ninfo: {title: t, version: {x: 1}}\npaths: {}\n"


def bounds(value: str) -> str:
    return op(f"parameters:\n  - {{name: q, in: query, schema: {{type: string, maxLength: {value}}}}}\n"
              "responses: {'200': {description: ok}}\n")  # fmt: skip


CASES = [
    # --- lint/check crashed when an example met a schema that is not an object ------------------------------
    pytest.param(
        {
            "a.yaml": op("""\
            responses:
              '200':
                description: ok
                content:
                  application/json:
                    schema: {oneOf: [5, {type: object}]}
                    example: {a: 1}
            """)
        },
        ["check", "a.yaml"],
        1,
        ["openapi-structure", "expected `object`, got integer 5"],
        id="oneOf-item-is-a-number",
    ),
    pytest.param(
        {
            "a.yaml": op("""\
            requestBody:
              content:
                application/json:
                  schema: {$ref: '#/components/schemas/S'}
                  example: {a: 1}
            responses: {'200': {description: ok}}
            """)
            + "components:\n  schemas:\n    S: hello\n"
        },
        ["check", "a.yaml"],
        1,
        ['`S`: expected `object`, got string "hello"'],
        id="media-type-schema-is-a-ref-to-a-string",
    ),
    pytest.param(
        {
            "a.yaml": op("""\
            requestBody:
              content:
                application/json: {schema: 5, example: {a: 1}}
            responses: {'200': {description: ok}}
            """)
        },
        ["lint", "a.yaml"],
        1,
        ["operation-id-missing"],
        id="schema-is-5",
    ),
    pytest.param(
        {
            "a.yaml": op("""\
            parameters:
              - {name: {x: 1}, in: query, schema: {type: string}}
            responses: {'200': {description: ok}}
            """)
        },
        ["check", "a.yaml"],
        1,
        ['`name`: expected `string`, got object {"x": 1}'],
        id="parameter-name-is-a-mapping",
    ),
    pytest.param(
        {
            "a.yaml": op("""\
            requestBody:
              content:
                application/json:
                  schema: {type: object, properties: {a: {type: integer}}, $ref: {}}
                  example: {a: 1}
            responses: {'200': {description: ok}}
            """)
        },
        ["lint", "a.yaml"],
        1,
        ["operation-id-missing"],
        id="ref-is-a-mapping",
    ),
    # --- bounds beyond the float range -----------------------------------------------------------------------
    pytest.param(
        {"a.yaml": INFINITE_BOUNDS},
        ["validate", "a.yaml"],
        1,
        ["`minimum` is `.inf`", "which JSON cannot write"],
        id="validate-refuses-an-infinite-bound",
    ),
    pytest.param(
        {"a.yaml": bounds("5"), "b.yaml": bounds(WIDE)},
        ["changelog", "a.yaml", "b.yaml"],
        0,
        ["request-bound-widened", "changed from `5` to `100000000000... (401 digits)`"],
        id="changelog-maxLength-10^400",
    ),
    pytest.param(
        {"a.yaml": bounds("1.0e+400"), "b.yaml": bounds("5")},
        ["breaking", "a.yaml", "b.yaml"],
        1,
        ["request-bound-narrowed", "changed from `Infinity` to `5`"],
        id="breaking-maxLength-infinite",
    ),
    # --- runaways ---------------------------------------------------------------------------------------------
    *[
        pytest.param(
            {"bomb.yaml": bomb()}, [command, "bomb.yaml"], 2, ["aliases expand", "an alias bomb?"], id=f"bomb-{command}"
        )
        for command in ("validate", "check", "bundle")
    ],
    pytest.param(
        {"bomb.yaml": bomb(), "bomb2.yaml": bomb()},
        ["breaking", "bomb.yaml", "bomb2.yaml"],
        2,
        ["an alias bomb?"],
        id="bomb-breaking",
    ),
    pytest.param(
        ref_chain(),
        ["bundle", "a.yaml"],
        2,
        ["the bundle would hold more than", "in xb.yaml:"],
        id="bundle-of-a-ref-chain-copied-in-place",
    ),
    pytest.param(
        {
            "a.yaml": op("""\
            operationId: a
            parameters:
              - name: q
                in: query
                schema: {type: string, pattern: '^(a+)+$', default: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!'}
            responses: {'200': {description: ok}}
            """)
        },
        ["validate", "a.yaml"],
        1,
        ["does not match '^(a+)+$'"],
        id="redos-pattern-against-a-default",
    ),
    pytest.param(
        {
            "a.yaml": op("""\
            operationId: a
            requestBody:
              content:
                application/json:
                  schema: {type: string, pattern: '^(a+)+$'}
                  example: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!'
            responses: {'200': {description: ok}}
            """)
        },
        ["lint", "a.yaml"],
        1,
        ["example-invalid", "does not match"],
        id="redos-pattern-against-an-example",
    ),
    pytest.param(
        {"a.yaml": MANY_TEMPLATES},
        ["lint", "a.yaml"],
        1,
        ["path-not-kebab-case"],
        id="path-of-many-templates-against-a-long-literal",
    ),
    # --- input the loader could not read without crashing ----------------------------------------------------
    pytest.param(
        {"a.yaml": HEAD + "paths: {}\nx-n: " + "9" * 5000 + "\n"},
        ["validate", "a.yaml"],
        2,
        ["an integer of 5,000 digits is too long to read", "in a.yaml:4:6"],
        id="yaml-integer-of-5000-digits",
    ),
    pytest.param(
        {
            "a.json": '{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {}, "x-n": '
            + "9" * 5000
            + "}"
        },
        ["validate", "a.json"],
        2,
        ["an integer of 5,000 digits is too long to read", "in a.json:1:"],
        id="json-integer-of-5000-digits",
    ),
    # --- wording ----------------------------------------------------------------------------------------------
    pytest.param(
        {"a.yaml": "openapi: {a: 1}\ninfo: {title: t, version: '1'}\npaths: {}\n"},
        ["validate", "a.yaml"],
        2,
        ['openapi version `{"a": 1}` is not supported (supported: 3.0.x, 3.1.x)'],
        id="openapi-version-is-a-mapping",
    ),
    pytest.param(
        {"a.yaml": "asyncapi: 4.0.0\ninfo: {title: t, version: '1'}\n"},
        ["validate", "a.yaml"],
        2,
        ["(supported: 2.x, 3.0.x, 3.1.x)"],
        id="asyncapi-version-unsupported",
    ),
    pytest.param(
        {"a.yaml": op("responses: {'200': {$ref: '#/a~2b'}}\n")},
        ["validate", "a.yaml"],
        1,
        ["`~2` in `/a~2b` is no JSON pointer escape"],
        id="ref-with-a-bad-pointer-escape",
    ),
    pytest.param(
        {"a.yaml": VERSION_MAP},
        ["lint", "a.yaml"],
        1,
        ['`info.version` is the value `{"x": 1}`, not a semantic version string'],
        id="lint-version-is-a-mapping",
    ),
    pytest.param(
        {"a.yaml": VERSION_MAP},
        ["breaking", "a.yaml", "a.yaml"],
        0,
        ["0 breaking · 0 possibly breaking · 0 compatible"],
        id="breaking-a-a-with-a-version-that-is-a-mapping",
    ),
]


@pytest.mark.parametrize(("files", "args", "code", "words"), CASES)
def test_hostile_document(tmp_path: Path, files: dict[str, str], args: list[str], code: int, words: list[str]) -> None:
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    outcome = invoke(tmp_path, args, limit=LIMIT)
    assert not problems(outcome, limit=LIMIT), problems(outcome, limit=LIMIT)
    out = outcome.stdout + outcome.stderr
    assert outcome.code == code, out
    for word in words:
        assert word in out


_MEASURE = """
import sys, time
from contractkit.cli.app import app
start = time.perf_counter()
try:
    app(sys.argv[2:], prog_name="contractkit")
except SystemExit as exc:
    code = exc.code
# VmHWM: the peak resident size of this process image (ru_maxrss would count the forking parent's, on Linux)
peak = next(line.split()[1] for line in open("/proc/self/status") if line.startswith("VmHWM:"))
with open(sys.argv[1], "w") as out:
    out.write(f"{code} {time.perf_counter() - start} {peak}")
"""


@pytest.mark.parametrize("command", ["bundle", "check"])
@pytest.mark.skipif(not Path("/proc/self/status").is_file(), reason="the peak memory is read from /proc (Linux)")
def test_an_alias_bomb_is_refused_in_bounded_time_memory_and_output(tmp_path: Path, command: str) -> None:
    """The 836-byte bomb took `bundle` 10 s, 440 MB and 68 MB of output (47 s, 1.3 GB, 131 MB at 5M nodes)."""
    (tmp_path / "bomb.yaml").write_text(bomb())
    measured = tmp_path / "measured.txt"
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", _MEASURE, str(measured), command, "bomb.yaml"],
        cwd=tmp_path, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    code, seconds, max_rss_kib = measured.read_text().split()  # the peak in KiB
    assert int(code) == 2, done.stderr
    assert "an alias bomb?" in done.stderr
    assert len(done.stdout) + len(done.stderr) < 4_000
    assert float(seconds) < 5.0, f"refusing took {float(seconds):.1f} s ({time.perf_counter() - started:.1f} s in all)"
    assert 0 < int(max_rss_kib) < 400 * 1024, f"{int(max_rss_kib) // 1024} MB"
