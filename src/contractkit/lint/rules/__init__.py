"""The house rules, one module per contract area; every module here is imported, so a new file is a new area."""

from __future__ import annotations

import importlib
import pkgutil


def _discover() -> None:
    for module in pkgutil.iter_modules(__path__):
        if not module.name.startswith("_"):
            importlib.import_module(f"{__name__}.{module.name}")


_discover()
