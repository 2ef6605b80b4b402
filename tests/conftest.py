from __future__ import annotations

from collections.abc import Iterator

import pytest

from contractkit.loaders import clear_cache


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-goldens", action="store_true", help="rewrite expected.txt / golden files from the output"
    )


@pytest.fixture
def update_goldens(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-goldens"))


@pytest.fixture(autouse=True)
def _fresh_loader_cache() -> Iterator[None]:
    # Tests write files in tmp_path with equal mtimes: never let one test see another's parse.
    clear_cache()
    yield
    clear_cache()
