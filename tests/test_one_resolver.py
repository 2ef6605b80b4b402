"""One target resolver (issue 16): every entry point turns the same contract argument into the same file.

A contract argument (a catalog id, a contract file, a folder) reaches a file through :mod:`contractkit.targets`
from every entry point: the commands (``check``/``validate``/``lint`` through ``targets.select``, ``gen`` and
``package`` through ``targets.catalog_contracts``), the middleware's ``spec=``, the HTTP fuzzer and the message
runtime. Each case runs the same argument, from the same working directory, through every entry point that takes
that kind of contract, and expects one outcome: the same contract name and file, or the same error class, title,
message and tip. ``gen`` works on catalog entries only, so a file outside any catalog is an error there.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from contractkit.errors import ContractkitError
from contractkit.fuzz.spec import load_fuzz_spec
from contractkit.messaging._load import load_asyncapi
from contractkit.runtime._spec import load_spec
from contractkit.targets import catalog_contracts, find_catalog, select

CATALOG = """version: 1
contracts:
  - id: orders
    kind: openapi
    path: orders/openapi.yaml
    owner: team-a
    lifecycle: stable
  - id: events
    kind: asyncapi
    path: events/asyncapi.yaml
    owner: team-a
    lifecycle: stable
"""
# Every file's title is its path, so that a loaded dict still says which file it came from.
OPENAPI = "openapi: 3.1.0\ninfo: {{title: {title}, version: 1.0.0}}\npaths: {{}}\n"
ASYNCAPI = "asyncapi: 3.0.0\ninfo: {{title: {title}, version: 1.0.0}}\nchannels: {{}}\n"
FILES = {"openapi": ("orders", "openapi.yaml", OPENAPI), "asyncapi": ("events", "asyncapi.yaml", ASYNCAPI)}

Outcome = tuple[str, ...]
Resolve = Callable[[str], tuple[str, Path]]


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """``repo/contracts`` (a catalog of `orders` and `events`), ``sibling/``, ``loose/`` files, an ``empty/`` folder."""
    (tmp_path / "repo" / "contracts").mkdir(parents=True)
    (tmp_path / "repo" / "contracts" / "catalog.yaml").write_text(CATALOG)
    for folder, name, text in FILES.values():
        for where in (Path("repo/contracts") / folder, Path("loose")):
            (tmp_path / where).mkdir(parents=True, exist_ok=True)
            (tmp_path / where / name).write_text(text.format(title=(tmp_path / where / name).as_posix()))
    (tmp_path / "sibling").mkdir()
    (tmp_path / "empty").mkdir()
    return tmp_path


def _by_select(argument: str) -> tuple[str, Path]:
    (target,) = select([argument], find_catalog()).targets  # as api.check/validate/lint do
    return target.name, target.path


def _by_gen(argument: str) -> tuple[str, Path]:
    _, (contract,) = catalog_contracts([argument], find_catalog())  # as `gen` and `package` (and generate()) do
    return contract.id, contract.path


def _by_middleware(argument: str) -> tuple[str, Path]:
    data, name = load_spec(argument)  # ContractValidationMiddleware(app, spec=argument)
    return name, Path(data["info"]["title"])


def _by_fuzz(argument: str) -> tuple[str, Path]:
    spec = load_fuzz_spec(argument)
    return spec.name, spec.path


def _by_messaging(argument: str) -> tuple[str, Path]:
    loaded = load_asyncapi(argument)  # MessageContract.from_spec(argument)
    return loaded.name, loaded.doc.root.path


ENTRY_POINTS: dict[str, dict[str, Resolve]] = {
    "openapi": {"select": _by_select, "gen": _by_gen, "middleware": _by_middleware, "fuzz": _by_fuzz},
    "asyncapi": {"select": _by_select, "gen": _by_gen, "messaging": _by_messaging},
}

NOT_FOUND = (
    "ContractNotFound",
    "contract `{arg}` not found",
    "`{arg}` is neither a contract id of the catalog nor a file",
)
NO_CATALOG = "no catalog found (looked for contracts/catalog.yaml in the working directory and above)."
LOOSE = "{tmp}/loose/{file}"
IN_TREE = "{tmp}/repo/contracts/{folder}/{file}"
# (argument, working directory, expected outcome, what `gen` says instead); `{id}`, `{folder}`, `{file}` are the
# contract of the kind under test, `{tmp}` the test's folder.
CASES = [
    pytest.param("{id}", "repo", ("file", "{id}", IN_TREE), None, id="catalog-id"),
    pytest.param(
        "{id}x", "repo", (*NOT_FOUND, "did you mean `{id}`? known ids: orders, events."), None, id="misspelt-id"
    ),
    pytest.param(IN_TREE, "sibling", ("file", "{id}", IN_TREE), None, id="file-in-a-catalog-from-a-sibling-folder"),
    pytest.param(
        LOOSE,
        "repo",
        ("file", LOOSE, LOOSE),
        ("UsageError", "not a catalog contract", f"`{LOOSE}` is not listed in a catalog"),
        id="file-outside-any-catalog",
    ),
    pytest.param("contracts/{folder}", "repo", ("file", "{id}", IN_TREE), None, id="folder-of-one-contract"),
    pytest.param(
        "{tmp}/repo/contracts/{folder}", "sibling", ("file", "{id}", IN_TREE), None, id="folder-from-a-sibling-folder"
    ),
    pytest.param("contracts/nope.yaml", "repo", (*NOT_FOUND, "known ids: orders, events."), None, id="missing-path"),
    pytest.param("{id}", "empty", (*NOT_FOUND, NO_CATALOG), None, id="no-catalog-at-all"),
]


def _outcome(resolve: Resolve, argument: str) -> Outcome:
    try:
        name, path = resolve(argument)
    except ContractkitError as error:
        return type(error).__name__, error.title, error.detail, *([error.tip] if error.tip else [])
    return "file", name, path.resolve().as_posix()


@pytest.mark.parametrize("kind", ["openapi", "asyncapi"])
@pytest.mark.parametrize(("argument", "cwd", "expected", "gen_expected"), CASES)
def test_every_entry_point_resolves_an_argument_the_same_way(
    tree: Path,
    kind: str,
    argument: str,
    cwd: str,
    expected: Outcome,
    gen_expected: Outcome | None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    folder, file, _ = FILES[kind]
    fill = {"id": folder, "folder": folder, "file": file, "tmp": tree.as_posix()}
    arg = argument.format(**fill)
    wanted = tuple(part.format(arg=arg, **fill) for part in expected)
    monkeypatch.chdir(tree / cwd)
    outcomes = {name: _outcome(resolve, arg) for name, resolve in ENTRY_POINTS[kind].items()}
    if gen_expected is not None:
        assert outcomes.pop("gen")[:3] == tuple(part.format(**fill) for part in gen_expected)
    assert outcomes == dict.fromkeys(outcomes, wanted)
