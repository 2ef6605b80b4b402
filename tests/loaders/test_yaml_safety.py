"""What the loader refuses, and what it accepts, when it turns contract text into JSON values.

Syntax errors, duplicate keys, alias bombs, recursive aliases, deep nesting, merge keys, unsafe tags, empty
files, oversized files, bad encodings; plus what YAML 1.1 does to keys and scalars (pinned as observed).
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from contractkit.errors import ContractNotFound, ContractSyntaxError, InputError
from contractkit.loaders import FileStore, Limits, SourceFile, open_document, parse_source

MiB = 1024 * 1024

VALID = 'openapi: 3.1.0\ninfo:\n  title: t\n  version: "1"\npaths: {}\n'


def parse(text: str, name: str = "contract.yaml", limits: Limits | None = None) -> SourceFile:
    return parse_source(text, name=name, path=Path("/contracts") / name, limits=limits or Limits())


def bomb(levels: int = 9, width: int = 10) -> str:
    """Return the "billion laughs" document: each anchor is a list of ``width`` aliases to the previous one."""
    lines = ['a0: &a0 ["lol"]']
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * width)}]" for i in range(1, levels + 1)]
    return "\n".join(lines) + "\n"


# --- syntax errors: (text, file name, line, column, words of the message) -------------------------------


@pytest.mark.parametrize(
    ("text", "name", "line", "column", "words"),
    [
        pytest.param(
            "openapi: 3.1.0\ninfo:\n  title: x\n   version: 1\n",
            "contract.yaml",
            4,
            11,
            "mapping values are not allowed",
            id="yaml-bad-indentation",
        ),
        pytest.param(
            # The quote opens on line 3; libyaml only notices at the end of the stream (line 5). The user needs
            # the line of the opening quote: in a 3,000-line file "line 3001" does not find the typo.
            'openapi: 3.1.0\ninfo:\n  title: "x\n  version: 1\n',
            "contract.yaml",
            3,
            10,
            "quoted scalar",
            id="yaml-unclosed-quote",
        ),
        pytest.param(
            "openapi: 3.1.0\ninfo:\n\ttitle: x\n",
            "contract.yaml",
            3,
            1,
            "cannot start any token",
            id="yaml-tab-indentation",
        ),
        pytest.param(
            "openapi: 3.1.0\ntags: [a, b\npaths: {}\n",
            "contract.yaml",
            3,
            6,
            "did not find expected ',' or ']'",
            id="yaml-unclosed-flow-sequence",
        ),
        pytest.param(
            "openapi: 3.1.0\n---\nopenapi: 3.0.0\n",
            "contract.yaml",
            2,
            1,
            "expected a single document",
            id="yaml-two-documents",
        ),
        pytest.param(
            '{\n  "openapi": "3.1.0",\n  "paths": {},\n}\n',
            "contract.json",
            4,
            1,
            "expecting property name enclosed in double quotes",
            id="json-trailing-comma",
        ),
        pytest.param(
            '{\n  "openapi": "3.1.0",\n  "paths": tru\n}\n',
            "contract.json",
            3,
            12,
            "expecting value",
            id="json-bad-literal",
        ),
        pytest.param(
            '{\n  "openapi": "3.1.0"\n  "paths": {}\n}\n',
            "contract.json",
            3,
            3,
            "expecting ',' delimiter",
            id="json-missing-comma",
        ),
    ],
)
def test_syntax_errors_are_located(text: str, name: str, line: int, column: int, words: str) -> None:
    with pytest.raises(ContractSyntaxError) as info:
        parse(text, name)
    error = info.value
    assert words in error.detail
    assert error.location is not None
    assert (error.location.file, error.location.line, error.location.column) == (name, line, column)
    assert error.title == f"could not parse `{name}`"
    assert error.tip


# --- duplicate keys: the second occurrence is reported -----------------------------------------------------


@pytest.mark.parametrize(
    ("text", "name", "key", "line", "column"),
    [
        pytest.param("openapi: 3.1.0\ninfo:\n  title: x\n  title: y\n", "contract.yaml", "title", 4, 3, id="yaml"),
        pytest.param(
            "openapi: 3.1.0\npaths:\n  /a:\n    get: {}\n    get: {}\n", "contract.yaml", "get", 5, 5, id="yaml-nested"
        ),
        pytest.param('{\n  "a": 1,\n  "a": 2\n}\n', "contract.json", "a", 3, 3, id="json"),
        pytest.param(
            # `type` is a key of object A (line 7) and of object B (line 10): the duplicate is line 11, the
            # second `type` *of the same object*, not the second `"type"` of the file.
            "{\n"
            '  "openapi": "3.1.0",\n'
            '  "paths": {},\n'
            '  "components": {\n'
            '    "schemas": {\n'
            '      "A": {\n'
            '        "type": "string"\n'
            "      },\n"
            '      "B": {\n'
            '        "type": "integer",\n'
            '        "type": "number"\n'
            "      }\n"
            "    }\n"
            "  }\n"
            "}\n",
            "contract.json",
            "type",
            11,
            9,
            id="json-key-used-earlier-in-another-object",
        ),
    ],
)
def test_duplicate_keys_are_refused_at_the_second_one(text: str, name: str, key: str, line: int, column: int) -> None:
    with pytest.raises(ContractSyntaxError) as info:
        parse(text, name)
    error = info.value
    assert error.detail == f"duplicate key `{key}`"
    assert error.location is not None
    assert (error.location.line, error.location.column) == (line, column)


# --- alias bombs, recursive aliases, depth -------------------------------------------------------------


def test_billion_laughs_is_refused_fast() -> None:
    started = time.perf_counter()
    with pytest.raises(ContractSyntaxError) as info:
        parse(bomb(levels=9, width=10))
    elapsed = time.perf_counter() - started
    error = info.value
    assert "alias bomb" in error.detail
    assert "5,000,000 nodes" in error.detail
    assert error.location is not None
    # a7 (line 8) is the first anchor whose expansion (about 21 million nodes) exceeds the budget.
    assert (error.location.line, error.location.column) == (8, 5)
    assert elapsed < 5, f"refusing the bomb took {elapsed:.1f} s: it was expanded"


def test_the_alias_budget_is_the_max_nodes_limit() -> None:
    # a3 expands to 2,111 nodes: over a budget of 1,000, on line 4.
    with pytest.raises(ContractSyntaxError) as info:
        parse(bomb(levels=3, width=10), limits=Limits(max_nodes=1000))
    assert "more than 1,000 nodes" in info.value.detail
    assert info.value.location is not None
    assert info.value.location.line == 4
    assert parse(bomb(levels=3, width=10), limits=Limits(max_nodes=3000)).data is not None


def test_a_small_legitimate_use_of_anchors_is_accepted() -> None:
    text = (
        "components:\n"
        "  schemas:\n"
        "    Id: &id\n"
        "      type: string\n"
        "      format: uuid\n"
        "    Order:\n"
        "      properties:\n"
        "        id: *id\n"
        "        customer: *id\n"
        "      required: &required [id]\n"
        "    Customer:\n"
        "      required: *required\n"
    )
    data = parse(text).data
    assert data == {
        "components": {
            "schemas": {
                "Id": {"type": "string", "format": "uuid"},
                "Order": {
                    "properties": {
                        "id": {"type": "string", "format": "uuid"},
                        "customer": {"type": "string", "format": "uuid"},
                    },
                    "required": ["id"],
                },
                "Customer": {"required": ["id"]},
            }
        }
    }


@pytest.mark.parametrize(
    ("text", "line", "column"),
    [
        pytest.param("a: &a\n  b: *a\n", 1, 4, id="mapping-contains-itself"),
        pytest.param("a: &a [1, *a]\n", 1, 4, id="sequence-contains-itself"),
        pytest.param("a: &a\n  b:\n    - c: *a\n", 1, 4, id="through-a-sequence"),
        pytest.param("x: 1\nlist: &l\n  - ok\n  - *l\n", 2, 7, id="block-sequence"),
    ],
)
def test_recursive_alias_is_refused(text: str, line: int, column: int) -> None:
    with pytest.raises(ContractSyntaxError) as info:
        parse(text)
    error = info.value
    assert "recursive YAML alias" in error.detail
    assert error.location is not None
    assert (error.location.line, error.location.column) == (line, column)  # the anchored node


@pytest.mark.parametrize(
    ("text", "limits", "line", "column", "words"),
    [
        pytest.param(
            "a: " + "[" * 300 + "]" * 300 + "\n", Limits(), 1, 259, "deeper than 256 levels", id="flow-default"
        ),
        pytest.param(
            "".join("  " * i + f"k{i}:\n" for i in range(12)) + "  " * 12 + "leaf\n",
            Limits(max_depth=10),
            11,
            21,
            "deeper than 10 levels",
            id="block-custom-limit",
        ),
        pytest.param(
            "a:\n  b:\n    c:\n      d: 1\n", Limits(max_depth=4), 4, 10, "deeper than 4 levels", id="one-too-deep"
        ),
    ],
)
def test_nesting_deeper_than_the_limit_is_refused(
    text: str, limits: Limits, line: int, column: int, words: str
) -> None:
    with pytest.raises(ContractSyntaxError) as info:
        parse(text, limits=limits)
    error = info.value
    assert words in error.detail
    assert error.location is not None
    assert (error.location.line, error.location.column) == (line, column)


def test_nesting_at_the_limit_is_accepted() -> None:
    # root mapping (1) > a (2) > b (3) > c (4) > d's scalar (5)
    assert parse("a:\n  b:\n    c:\n      d: 1\n", limits=Limits(max_depth=5)).data == {"a": {"b": {"c": {"d": 1}}}}


def test_json_nesting_deeper_than_the_limit_is_refused() -> None:
    # max_depth is "the deepest nesting accepted" (Limits); a JSON contract must not be a way around it.
    text = '{"openapi": "3.1.0", "x-deep": ' + '{"a": ' * 300 + "1" + "}" * 300 + "}"
    with pytest.raises(ContractSyntaxError) as info:
        parse(text, "contract.json")
    assert "deep" in info.value.detail
    assert "256" in info.value.detail


def test_json_nested_beyond_the_interpreter_is_refused_cleanly() -> None:
    with pytest.raises(ContractSyntaxError) as info:
        parse("[" * 100_000 + "]" * 100_000, "contract.json")
    assert "nests too deeply" in info.value.detail


# --- merge keys and tags -----------------------------------------------------------------------------------


def test_merge_key_is_refused() -> None:
    with pytest.raises(ContractSyntaxError) as info:
        parse("base: &b {x: 1}\nother:\n  <<: *b\n  y: 2\n")
    error = info.value
    assert "merge keys (`<<`) are not supported" in error.detail
    assert error.location is not None
    assert (error.location.line, error.location.column) == (3, 3)


@pytest.mark.parametrize(
    ("text", "tag"),
    [
        pytest.param(
            "a: !!python/object:os.system {}\n", "tag:yaml.org,2002:python/object:os.system", id="python-object"
        ),
        pytest.param("a: !!python/name:os.system\n", "tag:yaml.org,2002:python/name:os.system", id="python-name"),
        pytest.param("a: !custom value\n", "!custom", id="custom-local-tag"),
        pytest.param("a: !!binary aGVsbG8=\n", "tag:yaml.org,2002:binary", id="yaml-1.1-binary"),
        pytest.param("a: !!set {x, y}\n", "tag:yaml.org,2002:set", id="yaml-1.1-set"),
    ],
)
def test_tags_outside_the_core_schema_are_refused(text: str, tag: str) -> None:
    with pytest.raises(ContractSyntaxError) as info:
        parse(text)
    error = info.value
    assert error.detail == f"unsupported YAML tag `{tag}`"
    assert error.location is not None
    assert (error.location.line, error.location.column) == (1, 4)


def test_python_object_apply_is_never_executed(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    with pytest.raises(ContractSyntaxError, match="unsupported YAML tag"):
        parse(f"a: !!python/object/apply:os.makedirs [{str(marker)!r}]\n")
    assert not marker.exists()


# --- empty documents -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(b"", id="empty"),
        pytest.param(b"  \n\n\t\n   ", id="whitespace-only"),
        pytest.param(b"\xef\xbb\xbf\n", id="bom-only"),
    ],
)
def test_an_empty_file_is_refused_clearly(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "empty.yaml"
    path.write_bytes(content)
    with pytest.raises(ContractSyntaxError) as info:
        FileStore().load(path)
    error = info.value
    assert error.detail == "the file is empty"
    assert error.location is not None
    assert error.location.file.endswith("empty.yaml")
    assert "openapi:" in (error.tip or "")


@pytest.mark.parametrize(
    "content",
    [
        pytest.param("# only a comment\n# and another\n", id="comments-only"),
        pytest.param("---\n", id="document-marker-only"),
    ],
)
def test_a_document_with_no_content_says_so(tmp_path: Path, content: str) -> None:
    # YAML reads these as a null document. The user must hear that the file is empty, not a Python type name.
    path = tmp_path / "empty.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as info:
        open_document(path, store=FileStore())
    assert "NoneType" not in info.value.detail
    assert "empty" in info.value.detail


# --- size, encoding ---------------------------------------------------------------------------------------------


def contract_of_size(size: int) -> bytes:
    """Return a valid contract of exactly ``size`` bytes (padded with a YAML comment)."""
    head = VALID.encode()
    return head + b"#" + b"x" * (size - len(head) - 2) + b"\n"


def test_a_50_mib_file_is_refused_before_it_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "huge.yaml"
    with path.open("wb") as handle:
        handle.truncate(50 * MiB)  # sparse: no disk, no time
    opened: list[Path] = []
    real_open = Path.open

    def spy_open(self: Path, *args: object, **kwargs: object) -> object:
        if self == path:
            opened.append(self)
        return real_open(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "open", spy_open)
    with pytest.raises(ContractSyntaxError) as info:
        FileStore().load(path)
    assert opened == [], "the file was opened although its size was already known to be over the limit"
    error = info.value
    assert error.detail == "the document is 50.0 MiB, over the limit of 16.0 MiB"
    assert "--max-bytes" in (error.tip or "")


@pytest.mark.parametrize(
    ("size", "max_bytes", "refused"),
    [
        pytest.param(2 * MiB, 1 * MiB, "the document is 2.0 MiB, over the limit of 1.0 MiB", id="2MiB-limit-1MiB"),
        pytest.param(2 * MiB, 3 * MiB, None, id="2MiB-limit-3MiB"),
        pytest.param(1 * MiB, 1 * MiB, None, id="exactly-at-the-limit"),
        pytest.param(1 * MiB + 1, 1 * MiB, "over the limit of 1.0 MiB", id="one-byte-over"),
    ],
)
def test_the_size_limit_can_be_raised(tmp_path: Path, size: int, max_bytes: int, refused: str | None) -> None:
    path = tmp_path / "big.yaml"
    path.write_bytes(contract_of_size(size))
    assert path.stat().st_size == size
    store = FileStore(Limits(max_bytes=max_bytes))
    if refused is None:
        assert store.load(path).data == {"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {}}
    else:
        with pytest.raises(ContractSyntaxError) as info:
            store.load(path)
        assert refused in info.value.detail


@pytest.mark.parametrize(
    ("content", "name", "byte", "line", "column"),
    [
        pytest.param(
            b'openapi: 3.1.0\ninfo:\n  title: caf\xe9\n  version: "1"\n', "latin1.yaml", "0xe9", 3, 13, id="latin1-yaml"
        ),
        pytest.param(b'{\n  "openapi": "3.1.0",\n  "x": "\xff"\n}\n', "bad.json", "0xff", 3, 9, id="json"),
        pytest.param(b"\xfeopenapi: 3.1.0\n", "first-byte.yaml", "0xfe", 1, 1, id="first-byte"),
        pytest.param("openapi: 3.1.0\ninfo:\n  title: é\n".encode("utf-16"), "utf16.yaml", "0xff", 1, 1, id="utf-16"),
    ],
)
def test_bytes_that_are_not_utf8_are_refused_with_their_position(
    tmp_path: Path, content: bytes, name: str, byte: str, line: int, column: int
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ContractSyntaxError) as info:
        FileStore().load(path)
    error = info.value
    assert error.detail == f"the file is not valid UTF-8 (byte {byte})"
    assert error.location is not None
    assert (error.location.line, error.location.column) == (line, column)
    assert error.tip == "save the file as UTF-8."


@pytest.mark.parametrize(
    ("name", "content"),
    [
        pytest.param("bom.yaml", b"\xef\xbb\xbf" + VALID.encode(), id="yaml"),
        pytest.param(
            "bom.json",
            b'\xef\xbb\xbf{"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {}}',
            id="json",
        ),
    ],
)
def test_a_utf8_bom_is_accepted(tmp_path: Path, name: str, content: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    source = FileStore().load(path)
    assert source.data == {"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {}}
    if name.endswith(".yaml"):  # the BOM takes no column
        assert (source.position(("openapi",)), source.position(("info",))) == ((1, 1), (2, 1))
    else:
        assert (source.position(("openapi",)), source.position(("info",))) == ((1, 2), (1, 22))


def test_a_missing_file_is_not_found(tmp_path: Path) -> None:
    with pytest.raises(ContractNotFound) as info:
        FileStore().load(tmp_path / "nope.yaml")
    assert info.value.detail == "no such file"
    assert info.value.tip


def test_a_directory_is_not_a_contract(tmp_path: Path) -> None:
    with pytest.raises(InputError) as info:
        FileStore().load(tmp_path)
    assert info.value.detail == "this is a directory, not a contract file"


# --- YAML 1.1 quirks, pinned as observed ------------------------------------------------------------------------
# PyYAML implements YAML 1.1: `on`/`off`/`yes`/`no` are booleans, `017` is octal, `1.10` is the float 1.1.
# OpenAPI 3.1 recommends YAML 1.2, where all of these are strings. Keys become strings as JSON needs; a
# boolean key becomes "true"/"false", so `on:` and `yes:` in one mapping collide. These tests pin what the
# loader does today so that any change is deliberate.


@pytest.mark.parametrize(
    ("text", "data"),
    [
        pytest.param("200: ok\n", {"200": "ok"}, id="int-key-becomes-string"),
        pytest.param('"200": ok\n', {"200": "ok"}, id="quoted-int-key"),
        pytest.param("3.0: x\n", {"3.0": "x"}, id="float-key-keeps-its-text"),
        pytest.param("1_000: x\n", {"1000": "x"}, id="underscored-int-key-is-normalised"),
        pytest.param("0x1F: x\n", {"31": "x"}, id="hex-key-is-normalised"),
        pytest.param("~: x\nnull: y\n", None, id="null-keys-collide"),
        pytest.param("date: 2024-01-02\n", {"date": "2024-01-02"}, id="date-stays-a-string"),
        pytest.param(
            "at: 2001-12-14t21:59:43.10-05:00\n", {"at": "2001-12-14t21:59:43.10-05:00"}, id="timestamp-stays-a-string"
        ),
        pytest.param("2024-01-02: x\n", {"2024-01-02": "x"}, id="date-key"),
        pytest.param("on: 1\n", {"on": 1}, id="on-key-stays-a-string"),
        pytest.param("yes: 1\n", {"yes": 1}, id="yes-key-stays-a-string"),
        pytest.param("off: 1\n", {"off": 1}, id="off-key-stays-a-string"),
        pytest.param("true: 1\nTrue: 2\n", None, id="true-keys-collide"),
        pytest.param(
            "v: on\nw: yes\nx: off\ny: no\n", {"v": "on", "w": "yes", "x": "off", "y": "no"}, id="on-yes-off-no-values"
        ),
        pytest.param("v: true\nw: False\nx: TRUE\n", {"v": True, "w": False, "x": True}, id="yaml-1.2-booleans"),
        pytest.param("v: y\nw: n\n", {"v": "y", "w": "n"}, id="y-n-stay-strings"),
        pytest.param('v: "on"\n', {"v": "on"}, id="quoted-on-is-a-string"),
        pytest.param("enum: [on, off]\n", {"enum": ["on", "off"]}, id="enum-on-off-yaml-1.2"),
        pytest.param("version: 1.10\n", {"version": 1.1}, id="unquoted-version-is-a-float"),
        pytest.param("v: 017\nw: 0o17\n", {"v": 15, "w": "0o17"}, id="yaml-1.1-octal"),
        pytest.param("v: ~\nw: null\nx:\n", {"v": None, "w": None, "x": None}, id="nulls"),
    ],
)
def test_yaml_1_1_scalars_as_observed(text: str, data: object) -> None:
    if data is None:
        with pytest.raises(ContractSyntaxError) as info:
            parse(text)
        assert info.value.detail.startswith("duplicate key `")
        assert info.value.location is not None
        assert info.value.location.line == 2
    else:
        assert parse(text).data == data
