"""Breaking-change detection: the change model, the rule table per spec kind, and the engines."""

from contractkit.breaking.engine import diff_documents

__all__ = ["diff_documents"]
