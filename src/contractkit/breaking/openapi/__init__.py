"""The OpenAPI breaking-change engine: operations paired by method and normalised path, then compared.

Each rule is a function decorated with ``@breaking_rule(id=..., level=..., ...)`` in the module that reports it:
operations and paths in ``operations.py``, ``security.py``, ``parameters.py``, bodies, media types and responses in
``content.py``, schemas in the modules ``schemas.py`` walks them with (``value_types.py``, ``enums.py``,
``constraints.py``, ``properties.py``, ``unions.py``). A module's walker works out what changed once and calls its
rules with it. Levels follow oasdiff's: error = breaking (an existing client fails), warning = possibly breaking,
info = compatible (listed in the changelog). Ids name the change, not its badness: subject, then change. Request
rules judge what clients send (a narrowing breaks); response rules judge what clients read (a widening or a removal
breaks). Schema rules (``schema=True``) apply at any depth (body, property, item, parameter, header).
"""

from contractkit.breaking.context import DiffContext
from contractkit.breaking.openapi.operations import compare_operations
from contractkit.breaking.openapi.security import compare_schemes


def diff_openapi(ctx: DiffContext) -> None:
    """Report every change between ``ctx.base`` and ``ctx.revision`` (both OpenAPI 3.x)."""
    compare_operations(ctx)
    compare_schemes(ctx)


__all__ = ["diff_openapi"]
