"""The exceptions contractkit raises when it cannot do its job.

A finding (a breaking change, a lint violation) is a value, not an exception; these mean the input could
not be read or the command was used wrongly. The command line maps them to exit code 2::

    ContractkitError            base; catch this when embedding contractkit
    ├── UsageError              bad flag, argument or configuration value
    │   └── ConfigError         the catalog or its policy is wrong
    └── InputError              could not read or understand an input
        ├── ContractNotFound    a path, contract id or file reference that does not exist
        ├── ContractSyntaxError YAML/JSON that cannot be parsed (bad syntax, duplicate key, alias bomb, too big)
        ├── ContractInvalid     a document that is not OpenAPI or AsyncAPI at all
        ├── UnresolvedRef       a `$ref` that cannot or may not be followed
        └── ToolFailed          an external tool (git, oasdiff, ...) failed or is missing
"""

from __future__ import annotations

from contractkit.findings import Location


class ContractkitError(Exception):
    """Base of every error contractkit raises on purpose.

    Attributes:
        title: one line saying what could not be done (``could not load contract `x.yaml```).
        detail: one sentence saying what went wrong.
        location: where, when known.
        tip: what to do about it.
    """

    default_title = "contractkit could not do its job"

    def __init__(
        self,
        detail: str,
        *,
        title: str | None = None,
        location: Location | None = None,
        tip: str | None = None,
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        self.title = title or self.default_title
        self.location = location
        self.tip = tip

    def __str__(self) -> str:
        where = f" ({self.location})" if self.location else ""
        return f"{self.detail}{where}"


class UsageError(ContractkitError):
    """A flag, argument or configuration value is wrong."""

    default_title = "invalid usage"


class ConfigError(UsageError):
    """The catalog file or its lint policy is wrong."""

    default_title = "invalid catalog"


class InputError(ContractkitError):
    """An input could not be read or understood."""

    default_title = "could not read input"


class ContractNotFound(InputError):
    """A path, contract id or referenced file does not exist."""

    default_title = "contract not found"


class ContractSyntaxError(InputError):
    """A document cannot be parsed: bad YAML/JSON, a duplicate key, an alias bomb, or it is too big."""

    default_title = "could not parse contract"


class ContractInvalid(InputError):
    """A document is neither OpenAPI nor AsyncAPI."""

    default_title = "not an API contract"


class UnresolvedRef(InputError):
    """A ``$ref`` that cannot be followed (missing target, circular) or may not be (remote, escapes the root)."""

    default_title = "unresolved $ref"


class ToolFailed(InputError):
    """An external tool contractkit drives (git, oasdiff, ...) is missing or failed."""

    default_title = "an external tool failed"
