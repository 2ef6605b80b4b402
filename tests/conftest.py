from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from contractkit.loaders import clear_cache


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-goldens", action="store_true", help="rewrite expected.txt / golden files from the output"
    )


# Directories whose tests start real servers, brokers, git repositories or pre-commit: `ci/test --fast` skips them.
E2E_DIRECTORIES = frozenset({"ci_templates", "examples", "fuzz", "messaging", "workflow"})
# Parameters that put a test behind a real server.
E2E_PARAMETERS = frozenset({"uvicorn", "werkzeug"})


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    """Under ``-m "not e2e"``, do not even import the e2e folders (their imports cost seconds per worker)."""
    if config.getoption("markexpr") != "not e2e":
        return None
    parts = (
        collection_path.relative_to(Path(__file__).parent).parts
        if collection_path.is_relative_to(Path(__file__).parent)
        else ()
    )
    return True if parts and parts[0] in E2E_DIRECTORIES else None


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    tests_root = Path(__file__).parent
    for item in items:
        parts = item.path.relative_to(tests_root).parts
        callspec = getattr(item, "callspec", None)
        behind_server = callspec is not None and E2E_PARAMETERS & {str(v) for v in callspec.params.values()}
        if (parts and parts[0] in E2E_DIRECTORIES) or behind_server:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture
def update_goldens(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-goldens"))


@pytest.fixture(autouse=True)
def _fresh_loader_cache() -> Iterator[None]:
    # Tests write files in tmp_path with equal mtimes: never let one test see another's parse.
    clear_cache()
    yield
    clear_cache()
