"""The kinds of contract: at the bottom of the house, so that the loaders, the rules and every engine share them."""

from __future__ import annotations

import enum


class SpecKind(enum.Enum):
    """The kind of contract a rule or a document belongs to."""

    OPENAPI = "openapi"
    ASYNCAPI = "asyncapi"
