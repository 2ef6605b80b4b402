"""The fuzz run's own errors: the service cannot be reached, Schemathesis is missing or failed."""

from __future__ import annotations

from contractkit.errors import InputError, ToolFailed


class ServiceUnreachable(InputError):
    """The service under test does not accept connections at the base URL."""

    default_title = "cannot reach the service"


def schemathesis_missing() -> ToolFailed:
    """Return the error raised when the ``fuzz`` extra (Schemathesis) is not installed."""
    return ToolFailed(
        "Schemathesis is not installed, and `contractkit fuzz` drives it",
        title="cannot fuzz",
        tip="install contractkit[fuzz] (`pip install 'contractkit[fuzz]'`).",
    )
