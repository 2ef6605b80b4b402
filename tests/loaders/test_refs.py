"""Following ``$ref``: what is followed, what is refused (and where the refusal points), and the document cache.

Every test works in a tree written to ``tmp_path`` (the working directory, so names are short)::

    root/                   the contracts root: refs may not leave it
    ├── api/main.yaml       a contract whose refs all resolve
    ├── api/contract.yaml   the contract of one test (written by the test)
    ├── api/{a,b}.yaml      a circular chain A -> B -> A
    ├── api/broken.yaml     a shared file that does not parse
    ├── api/linked -> ../../outside   a symlink that leads out of the root
    └── other/{x,y,my file}.yaml      shared files; x.yaml refers to ./y.yaml#/Z
    outside/o.yaml          a file outside the root
"""

from __future__ import annotations

import os
import textwrap
import urllib.error
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from contractkit.errors import UnresolvedRef
from contractkit.findings import Location
from contractkit.loaders import Document, FileStore, Limits, clear_cache, load_document, open_document
from contractkit.validate import validate_document

if TYPE_CHECKING:
    from conftest import Served  # tests/loaders/conftest.py (a type only: never import a conftest at run time)

HEADER = 'openapi: 3.1.0\ninfo:\n  title: t\n  version: "1"\npaths: {}\n'

# The refused ref sits on line 9, column 7 (its `$ref` key).
ONE_REF = HEADER + "components:\n  schemas:\n    Target:\n      $ref: {ref}\n"
REF_AT = ("/components/schemas/Target/$ref", 9, 7)

MAIN = HEADER + textwrap.dedent(
    """\
    x-odd:
      a/b:
        type: integer
      c~d:
        type: boolean
      sp ace:
        type: number
    components:
      schemas:
        Local:
          type: string
        UseLocal:
          $ref: "#/components/schemas/Local"
        UseFile:
          $ref: "../other/y.yaml#/Z"
        UseNested:
          $ref: "../other/x.yaml#/X"
        UseSlash:
          $ref: "#/x-odd/a~1b"
        UseTilde:
          $ref: "#/x-odd/c~0d"
        UsePercent:
          $ref: "#/x-odd/sp%20ace"
        UsePercentFile:
          $ref: "../other/my%20file.yaml#/Spaced"
        UseFileUri:
          $ref: "file://{root}/other/y.yaml#/Z"
        UseAbsolute:
          $ref: "{root}/other/y.yaml#/Z"
        UseChain:
          $ref: "#/components/schemas/UseLocal"
        Tree:
          type: object
          properties:
            children:
              type: array
              items:
                $ref: "#/components/schemas/Tree"
    """
)


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Write the tree of the module docstring; return the (resolved) contracts root."""
    monkeypatch.chdir(tmp_path)
    root = (tmp_path / "root").resolve()
    files = {
        "root/other/x.yaml": 'X:\n  $ref: "./y.yaml#/Z"\n',
        "root/other/y.yaml": "Z:\n  type: object\n  properties:\n    name:\n      type: string\n",
        "root/other/my file.yaml": "Spaced:\n  type: string\n  format: date\n",
        "root/api/a.yaml": 'A:\n  $ref: "./b.yaml#/B"\n',
        "root/api/b.yaml": 'B:\n  $ref: "./a.yaml#/A"\n',
        "root/api/broken.yaml": "A: [1, 2\n",
        "root/api/main.yaml": MAIN.replace("{root}", root.as_posix()),
        "outside/o.yaml": "O:\n  type: string\n",
    }
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    (tmp_path / "root/api/linked").symlink_to(tmp_path / "outside", target_is_directory=True)
    return root


def load(root: Path, text: str, *, limits: Limits | None = None) -> Document:
    path = root / "api" / "contract.yaml"
    path.write_text(text, encoding="utf-8")
    return open_document(path, store=FileStore(limits), root_dir=root)


# --- refs that are followed -------------------------------------------------------------------------------------


def test_the_main_contract_has_no_ref_problem(tree: Path) -> None:
    doc = load_document(tree / "api/main.yaml", root_dir=tree)
    assert doc.ref_problems() == []
    assert validate_document(doc) == []
    assert sorted(file.name for file in doc.files()) == [
        "root/api/main.yaml",
        "root/other/my file.yaml",
        "root/other/x.yaml",
        "root/other/y.yaml",
    ]


@pytest.mark.parametrize(
    ("path", "location"),
    [
        pytest.param(
            ("UseLocal", "type"),
            Location("root/api/main.yaml", "/components/schemas/Local/type", 16, 7),
            id="local-pointer",
        ),
        pytest.param(("UseFile", "type"), Location("root/other/y.yaml", "/Z/type", 2, 3), id="relative-file"),
        pytest.param(
            ("UseNested", "properties", "name", "type"),
            Location("root/other/y.yaml", "/Z/properties/name/type", 5, 7),
            id="nested-relative-files",
        ),
        pytest.param(
            ("UseSlash", "type"), Location("root/api/main.yaml", "/x-odd/a~1b/type", 8, 5), id="tilde-1-escaped-slash"
        ),
        pytest.param(
            ("UseTilde", "type"), Location("root/api/main.yaml", "/x-odd/c~0d/type", 10, 5), id="tilde-0-escaped-tilde"
        ),
        pytest.param(
            ("UsePercent", "type"),
            Location("root/api/main.yaml", "/x-odd/sp ace/type", 12, 5),
            id="percent-encoded-pointer",
        ),
        pytest.param(
            ("UsePercentFile", "format"),
            Location("root/other/my file.yaml", "/Spaced/format", 3, 3),
            id="percent-encoded-file",
        ),
        pytest.param(("UseFileUri", "type"), Location("root/other/y.yaml", "/Z/type", 2, 3), id="file-uri"),
        pytest.param(
            ("UseAbsolute", "type"), Location("root/other/y.yaml", "/Z/type", 2, 3), id="absolute-path-inside-the-root"
        ),
        pytest.param(
            ("UseChain", "type"),
            Location("root/api/main.yaml", "/components/schemas/Local/type", 16, 7),
            id="chain-of-refs",
        ),
        pytest.param(
            ("Tree", "properties", "children", "items", "properties", "children", "items", "type"),
            Location("root/api/main.yaml", "/components/schemas/Tree/type", 38, 7),
            id="recursive-schema",
        ),
        pytest.param(
            ("UseFile", "properties", "nope"),
            Location("root/other/y.yaml", "/Z/properties", 3, 3),
            id="path-leaving-the-document-stops-at-the-last-node",
        ),
    ],
)
def test_locate_follows_refs_into_the_file_they_lead_to(tree: Path, path: tuple[str, ...], location: Location) -> None:
    doc = load_document(tree / "api/main.yaml", root_dir=tree)
    assert doc.locate(("components", "schemas", *path)) == location


def test_refs_lists_every_ref_of_every_file(tree: Path) -> None:
    doc = load_document(tree / "api/main.yaml", root_dir=tree)
    items = list(doc.refs())
    assert [len(item) for item in items] == [3] * len(items), f"not (file, pointer tokens, ref) triples: {items[:2]}"
    refs = sorted((file.name, "/".join(parts), ref) for file, parts, ref in items)
    assert ("root/other/x.yaml", "X", "./y.yaml#/Z") in refs
    assert ("root/api/main.yaml", "components/schemas/UseNested", "../other/x.yaml#/X") in refs
    assert len(refs) == 12


# --- refs that are refused: (ref, words of the detail) ---------------------------------------------------------


@pytest.mark.parametrize(
    ("ref", "words"),
    [
        pytest.param(
            "./nope.yaml#/N",
            "cannot follow `$ref: ./nope.yaml#/N`: cannot load `root/api/nope.yaml`: no such file",
            id="missing-file",
        ),
        pytest.param(
            "#/components/schemas/Nope",
            "`root/api/contract.yaml` has nothing at `/components/schemas/Nope`",
            id="missing-local-pointer",
        ),
        pytest.param(
            "../other/y.yaml#/Z/nope", "`root/other/y.yaml` has nothing at `/Z/nope`", id="missing-pointer-in-a-file"
        ),
        pytest.param(
            "#/components/schemas/target", "has nothing at `/components/schemas/target`", id="pointer-is-case-sensitive"
        ),
        pytest.param("https://example.com/schemas.yaml#/A", "remote references are refused", id="remote-https"),
        pytest.param("http://127.0.0.1:9/schemas.yaml#/A", "remote references are refused", id="remote-http"),
        pytest.param("../../outside/o.yaml#/O", "leaves the contracts root", id="escape-by-dot-dot"),
        pytest.param("{tmp}/outside/o.yaml#/O", "leaves the contracts root", id="escape-by-absolute-path"),
        pytest.param("file://{tmp}/outside/o.yaml#/O", "leaves the contracts root", id="escape-by-file-uri"),
        pytest.param("./linked/o.yaml#/O", "leaves the contracts root", id="escape-by-symlink"),
        pytest.param("ftp://example.com/o.yaml", "unsupported reference scheme `ftp:`", id="unsupported-scheme"),
        pytest.param(
            "#components/schemas/Target", "is not a JSON pointer (it must start with `/`)", id="fragment-not-a-pointer"
        ),
        pytest.param(
            "./a.yaml#/A",
            "circular `$ref` chain: root/api/a.yaml#/A -> root/api/b.yaml#/B -> root/api/a.yaml#/A",
            id="circular-chain-across-files",
        ),
        pytest.param(
            "#/components/schemas/Target",
            "circular `$ref` chain: root/api/contract.yaml#/components/schemas/Target"
            " -> root/api/contract.yaml#/components/schemas/Target",
            id="ref-to-itself",
        ),
        pytest.param("./broken.yaml#/A", "cannot load `root/api/broken.yaml`", id="shared-file-does-not-parse"),
    ],
)
def test_refused_refs_are_located_at_the_ref(tree: Path, ref: str, words: str) -> None:
    tmp = tree.parent.as_posix()
    ref = ref.replace("{tmp}", tmp)
    doc = load(tree, ONE_REF.replace("{ref}", f'"{ref}"'))
    problems = doc.ref_problems()
    assert len(problems) == 1
    problem = problems[0]
    assert isinstance(problem, UnresolvedRef)
    assert words.replace("{tmp}", tmp) in problem.detail
    assert problem.detail.startswith(f"cannot follow `$ref: {ref}`")
    assert problem.location == Location("root/api/contract.yaml", *REF_AT)
    assert problem.title == "unresolved $ref in `root/api/contract.yaml`"
    assert problem.tip


def test_the_remote_refusal_tells_how_to_allow_it(tree: Path) -> None:
    (problem,) = load(tree, ONE_REF.replace("{ref}", "https://example.com/s.yaml#/A")).ref_problems()
    assert "--allow-remote-refs" in (problem.tip or "")


def test_a_broken_ref_in_a_shared_file_is_located_in_that_file(tree: Path) -> None:
    (tree / "other/bad.yaml").write_text('Q:\n  $ref: "./nope.yaml"\nOK:\n  type: string\n', encoding="utf-8")
    (problem,) = load(tree, ONE_REF.replace("{ref}", "../other/bad.yaml#/Q")).ref_problems()
    assert problem.location == Location("root/other/bad.yaml", "/Q/$ref", 2, 3)
    assert "cannot load `root/other/nope.yaml`: no such file" in problem.detail


def test_each_broken_ref_is_reported_once(tree: Path) -> None:
    # Three roads lead to the one broken `$ref` of bad.yaml: A's chain, C's chain through A, and bad.yaml itself
    # (reached through B). It is one problem, in one place.
    (tree / "other/bad.yaml").write_text('Q:\n  $ref: "./nope.yaml"\nOK:\n  type: string\n', encoding="utf-8")
    text = HEADER + textwrap.dedent(
        """\
        components:
          schemas:
            A:
              $ref: "../other/bad.yaml#/Q"
            B:
              $ref: "../other/bad.yaml#/OK"
            C:
              $ref: "#/components/schemas/A"
        """
    )
    problems = load(tree, text).ref_problems()
    assert [(p.location, p.detail) for p in problems] == [
        (
            Location("root/other/bad.yaml", "/Q/$ref", 2, 3),
            "cannot follow `$ref: ./nope.yaml`: cannot load `root/other/nope.yaml`: "
            "no such file (root/other/nope.yaml)",
        )
    ]


def test_every_ref_problem_becomes_a_ref_unresolved_finding(tree: Path) -> None:
    text = HEADER + textwrap.dedent(
        """\
        components:
          schemas:
            A:
              $ref: "#/components/schemas/Nope"
            B:
              $ref: "https://example.com/b.yaml"
        """
    )
    findings = validate_document(load(tree, text))
    assert sorted((f.rule_id, f.location.line, f.location.column) for f in findings) == [
        ("ref-unresolved", 9, 7),
        ("ref-unresolved", 11, 7),
    ]


# --- remote refs, allowed, over a real HTTP server on 127.0.0.1 ------------------------------------------------


def test_a_remote_ref_is_fetched_when_allowed(tree: Path, http_server: Served) -> None:
    (http_server.folder / "shared.yaml").write_text("A:\n  type: string\n  format: uuid\n", encoding="utf-8")
    url = f"{http_server.url}/shared.yaml"
    doc = load(tree, ONE_REF.replace("{ref}", f"{url}#/A"), limits=Limits(allow_remote=True))
    assert doc.ref_problems() == []
    assert http_server.requests == ["/shared.yaml"]
    assert doc.locate(("components", "schemas", "Target", "format")) == Location(url, "/A/format", 3, 3)
    assert validate_document(doc) == []


def test_a_missing_remote_document_is_an_unresolved_ref(
    tree: Path, http_server: Served, monkeypatch: pytest.MonkeyPatch
) -> None:
    created: list[urllib.error.HTTPError] = []
    real_init = urllib.error.HTTPError.__init__

    def recording_init(self: urllib.error.HTTPError, *args: Any, **kwargs: Any) -> None:
        real_init(self, *args, **kwargs)
        created.append(self)

    monkeypatch.setattr(urllib.error.HTTPError, "__init__", recording_init)
    url = f"{http_server.url}/missing.yaml"
    (problem,) = load(tree, ONE_REF.replace("{ref}", f"{url}#/A"), limits=Limits(allow_remote=True)).ref_problems()
    unclosed = [error for error in created if not error.closed]
    for error in unclosed:  # do not leave the socket for a later test's garbage collection to report
        error.close()
    assert f"cannot fetch `{url}`" in problem.detail
    assert "404" in problem.detail
    assert problem.location == Location("root/api/contract.yaml", *REF_AT)
    # urllib's HTTPError holds the response and its socket until it is closed; left open, the socket is
    # reported (ResourceWarning) whenever the garbage collector gets to it, in some later, unrelated test.
    assert len(created) == 1
    assert unclosed == [], "the HTTPError of the failed fetch was not closed: its socket leaks"


def test_a_remote_document_that_does_not_parse_is_an_unresolved_ref(tree: Path, http_server: Served) -> None:
    # As for a local shared file: the problem is the `$ref`, reported with the others, not an exception that
    # stops the whole check.
    (http_server.folder / "broken.yaml").write_text("A: [1, 2\n", encoding="utf-8")
    url = f"{http_server.url}/broken.yaml"
    doc = load(tree, ONE_REF.replace("{ref}", f"{url}#/A"), limits=Limits(allow_remote=True))
    (problem,) = doc.ref_problems()
    assert isinstance(problem, UnresolvedRef)
    assert url in problem.detail
    assert problem.location == Location("root/api/contract.yaml", *REF_AT)


def test_a_relative_ref_inside_a_remote_document_is_fetched_from_the_same_server(
    tree: Path, http_server: Served
) -> None:
    # RFC 3986: a relative reference resolves against the URI of the document it is in, not the local disk.
    (http_server.folder / "shared.yaml").write_text('A:\n  $ref: "./more.yaml#/B"\n', encoding="utf-8")
    (http_server.folder / "more.yaml").write_text("B:\n  type: integer\n", encoding="utf-8")
    doc = load(tree, ONE_REF.replace("{ref}", f"{http_server.url}/shared.yaml#/A"), limits=Limits(allow_remote=True))
    assert doc.ref_problems() == []
    assert sorted(http_server.requests) == ["/more.yaml", "/shared.yaml"]
    assert doc.locate(("components", "schemas", "Target", "type")) == Location(
        f"{http_server.url}/more.yaml", "/B/type", 2, 3
    )


# --- the document cache -----------------------------------------------------------------------------------------


def test_load_document_is_cached_until_the_file_changes(tree: Path) -> None:
    path = tree / "api/contract.yaml"
    path.write_text(HEADER, encoding="utf-8")
    first = load_document(path, root_dir=tree)
    assert load_document(path, root_dir=tree) is first
    assert load_document(Path("root/api/../api/contract.yaml"), root_dir=tree) is first  # same file, other spelling

    path.write_text(HEADER.replace("title: t", "title: u"), encoding="utf-8")  # same size
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    second = load_document(path, root_dir=tree)
    assert second is not first
    assert second.data["info"]["title"] == "u"  # type: ignore[index, call-overload]
    assert load_document(path, root_dir=tree) is second


def test_load_document_sees_a_change_to_a_shared_file(tree: Path) -> None:
    # The root file is unchanged, but the shared file its ref leads to gained the missing pointer: a cached
    # document must not keep reporting the ref as broken (a long-running process, a watcher, a test session).
    path = tree / "api/contract.yaml"
    path.write_text(ONE_REF.replace("{ref}", "../other/y.yaml#/Later"), encoding="utf-8")
    before = load_document(path, root_dir=tree)
    assert len(before.ref_problems()) == 1

    shared = tree / "other/y.yaml"
    shared.write_text(shared.read_text(encoding="utf-8") + "Later:\n  type: string\n", encoding="utf-8")
    stat = shared.stat()
    os.utime(shared, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    after = load_document(path, root_dir=tree)
    assert after.ref_problems() == []
    assert after.locate(("components", "schemas", "Target", "type")) == Location(
        "root/other/y.yaml", "/Later/type", 7, 3
    )


def test_load_document_is_cached_per_root_and_limits(tree: Path) -> None:
    path = tree / "api/contract.yaml"
    path.write_text(HEADER, encoding="utf-8")
    doc = load_document(path, root_dir=tree)
    assert load_document(path, root_dir=tree / "api") is not doc
    assert load_document(path, root_dir=tree, limits=Limits(allow_remote=True)) is not doc
    clear_cache()
    assert load_document(path, root_dir=tree) is not doc
