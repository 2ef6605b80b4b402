"""The AsyncAPI breaking-change engine: 2.x and 3.x read into one model, channels then operations compared.

Each rule is declared in the module that reports it (``channels.py``, ``operations.py``, ``messages.py``,
``bindings.py``). Direction is who reads the message. A message the application **sends** (3.x ``action:
send``, 2.x ``subscribe``) is read by consumers: like an OpenAPI response, it may not grow what readers do not
expect. A message the application **receives** (3.x ``receive``, 2.x ``publish``) is written by producers: like
a request, it may not stop accepting what producers send. The compatibility table is Confluent Schema
Registry's for JSON Schema (FORWARD for sent messages, BACKWARD for received ones), open and closed content
models included. Payload and header schema rules are the OpenAPI schema rules renamed (``messages.py``).
"""

from __future__ import annotations

from contractkit.breaking.asyncapi.channels import compare_channels
from contractkit.breaking.asyncapi.model import read_model
from contractkit.breaking.asyncapi.operations import compare_operations, compare_unused_messages
from contractkit.breaking.context import DiffContext
from contractkit.loaders.document import Cursor, Document


def diff_asyncapi(ctx: DiffContext) -> None:
    """Report every change between ``ctx.base`` and ``ctx.revision`` (AsyncAPI 2.x or 3.x, in any mix)."""
    old, new = read_model(ctx.base), read_model(ctx.revision)
    renames = compare_channels(ctx, old, new)
    compare_operations(ctx, old, new, renames)
    compare_unused_messages(ctx, old, new, renames)


def operation_cursors(doc: Document) -> dict[str, Cursor]:
    """Return operation label (``SEND order.created``) -> operation object, as findings name operations."""
    return {op.label: op.cursor for op in read_model(doc).operations.values()}


__all__ = ["diff_asyncapi", "operation_cursors"]
