"""The one loader: YAML/JSON parsing with positions, safe ``$ref`` resolution, and a per-process cache."""

from contractkit.loaders.document import Cursor, Document, SpecVersion, detect_spec, load_document, open_document
from contractkit.loaders.files import FileStore, clear_cache, display_name
from contractkit.loaders.limits import Limits
from contractkit.loaders.source import SourceFile, parse_source
from contractkit.loaders.types import JsonObject, JsonValue

__all__ = [
    "Cursor",
    "Document",
    "FileStore",
    "JsonObject",
    "JsonValue",
    "Limits",
    "SourceFile",
    "SpecVersion",
    "clear_cache",
    "detect_spec",
    "display_name",
    "load_document",
    "open_document",
    "parse_source",
]
