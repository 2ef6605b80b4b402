"""The contract catalog: the list of contracts, their owners and lifecycles, and the lint policy."""

from contractkit.catalog.model import CATALOG_FILE, Catalog, Contract, Lifecycle, LintPolicy
from contractkit.catalog.reader import CATALOG_SCHEMA, find_catalog, load_catalog, read_catalog

__all__ = [
    "CATALOG_FILE",
    "CATALOG_SCHEMA",
    "Catalog",
    "Contract",
    "Lifecycle",
    "LintPolicy",
    "find_catalog",
    "load_catalog",
    "read_catalog",
]
