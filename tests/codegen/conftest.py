from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
GENERATED = REPO / "generated"
_GENERATED_ROOTS = ("contracts_common", "b2b_orders", "mes", "model_files", "order_events", "partner_notifications")


@pytest.fixture(scope="module")
def generated_on_path() -> Iterator[Path]:
    """Make the committed generated/ importable for one module, then forget its modules again."""
    sys.path.insert(0, str(GENERATED))
    try:
        yield GENERATED
    finally:
        sys.path.remove(str(GENERATED))
        for name in list(sys.modules):
            if name.split(".")[0] in _GENERATED_ROOTS:
                del sys.modules[name]


@pytest.fixture
def repo_copy(tmp_path: Path) -> Path:
    """A copy of contracts/ and generated/ (the drift tests change them)."""
    shutil.copytree(REPO / "contracts", tmp_path / "contracts")
    shutil.copytree(GENERATED, tmp_path / "generated", ignore=shutil.ignore_patterns("__pycache__"))
    return tmp_path
