"""The generated models of `order-events` (generated/order_events/v1), importable from the repository root."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from types import ModuleType

GENERATED = Path(__file__).resolve().parents[2] / "generated"


def order_events() -> ModuleType:
    """Return the generated package `order_events.v1` (its `CONTRACT` is the bundled contract)."""
    if str(GENERATED) not in sys.path:
        sys.path.append(str(GENERATED))
    return importlib.import_module("order_events.v1")
