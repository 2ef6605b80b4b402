"""The loader's safety limits, with defaults that fit every real contract we know (and no bomb)."""

from __future__ import annotations

from dataclasses import dataclass, replace

DEFAULT_MAX_BYTES = 16 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Limits:
    """Bounds on what the loader accepts.

    Attributes:
        max_bytes: documents larger than this are refused before they are read (default 16 MiB; the
            largest real spec we know, Box's, is 1.8 MB).
        max_nodes: the most nodes a YAML document may expand to once its aliases are followed.
        max_alias_nodes: the most nodes YAML aliases may add to those written (no real contract we know uses
            anchors at all; 100,000 nodes is more than the whole of Twilio's 1.5 MB API).
        max_depth: the deepest nesting accepted.
        allow_remote: whether ``http(s)://`` references may be fetched (never by default: a CI gate has no
            business reaching the network).
    """

    max_bytes: int = DEFAULT_MAX_BYTES
    max_nodes: int = 5_000_000
    max_alias_nodes: int = 100_000
    max_depth: int = 256
    allow_remote: bool = False

    def overridden(self, *, max_bytes: int | None = None, allow_remote: bool = False) -> Limits:
        """Return these limits with command-line overrides applied (a flag can allow remote refs, not forbid)."""
        return replace(self, max_bytes=max_bytes or self.max_bytes, allow_remote=allow_remote or self.allow_remote)
