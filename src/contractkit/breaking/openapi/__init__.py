"""The OpenAPI breaking-change engine: operations paired by method and normalised path, then compared."""

from contractkit.breaking.context import DiffContext
from contractkit.breaking.openapi.operations import compare_operations
from contractkit.breaking.openapi.security import compare_schemes


def diff_openapi(ctx: DiffContext) -> None:
    """Report every change between ``ctx.base`` and ``ctx.revision`` (both OpenAPI 3.x)."""
    compare_operations(ctx)
    compare_schemes(ctx)


__all__ = ["diff_openapi"]
