"""What the AsyncAPI rules of several modules share: their spec kind and the fix of a removal."""

from __future__ import annotations

from contractkit.kinds import SpecKind

ASYNC = (SpecKind.ASYNCAPI,)
DEPRECATE = "deprecate it first (`x-deprecated: true` with an `x-sunset` date) and remove it in a new major version."
