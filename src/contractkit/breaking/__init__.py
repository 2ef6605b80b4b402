"""Breaking-change detection: the change model, the rule table per spec kind, and the engines.

:func:`diff_documents` (the engine) is imported on first use: the change model (:mod:`.changelog`), which every
reporter reads, does not pull the engines in (``contractkit check`` renders with it and compares nothing).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from contractkit.breaking.engine import diff_documents

__all__ = ["diff_documents"]


def __getattr__(name: str) -> Any:
    if name == "diff_documents":
        from contractkit.breaking.engine import diff_documents

        return diff_documents
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
