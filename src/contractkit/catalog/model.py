"""The contract catalog: which contracts exist, who owns them, and the lint policy that applies to them."""

from __future__ import annotations

import difflib
import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from contractkit.errors import ContractNotFound, UsageError
from contractkit.findings import Location, Severity
from contractkit.kinds import SpecKind
from contractkit.loaders.limits import Limits

CATALOG_FILE = "catalog.yaml"


class Lifecycle(enum.Enum):
    """Where a contract is in its life: a draft may change freely; a stable one may not break."""

    DRAFT = "draft"
    STABLE = "stable"
    DEPRECATED = "deprecated"


def _frozen(mapping: Mapping[str, Severity] | None = None) -> Mapping[str, Severity]:
    return MappingProxyType(dict(mapping or {}))


@dataclass(frozen=True, slots=True)
class LintPolicy:
    """Rule severities and rule options.

    Attributes:
        severities: rule id -> severity, overriding each rule's default.
        options: rule options (``problem-schema``, ``pagination-envelope``, ``trace-headers``, ...).
        locations: rule id -> where the policy sets it (to point at a typo).
    """

    severities: Mapping[str, Severity] = field(default_factory=_frozen)
    options: Mapping[str, object] = field(default_factory=lambda: MappingProxyType({}))
    locations: Mapping[str, Location] = field(default_factory=lambda: MappingProxyType({}))

    def merged(self, override: LintPolicy) -> LintPolicy:
        """Return this policy with ``override`` applied on top (a contract's own policy over the catalog's)."""
        return LintPolicy(
            _frozen({**self.severities, **override.severities}),
            MappingProxyType({**self.options, **override.options}),
            MappingProxyType({**self.locations, **override.locations}),
        )


@dataclass(frozen=True, slots=True)
class CodegenPolicy:
    """The ``codegen:`` settings of the catalog or of one contract (only the keys that are set).

    Attributes:
        settings: option name (``strict-types``, ``field-names``, ``enums``, ``extra``, ``package``) -> value.
        location: where the block is in the catalog file.
    """

    settings: Mapping[str, object] = field(default_factory=lambda: MappingProxyType({}))
    location: Location | None = None

    def merged(self, override: CodegenPolicy) -> CodegenPolicy:
        """Return these settings with ``override``'s on top (a contract's own over the catalog's)."""
        settings = MappingProxyType({**self.settings, **override.settings})
        return CodegenPolicy(settings, override.location or self.location)


@dataclass(frozen=True, slots=True)
class BreakingPolicy:
    """The ``breaking:`` settings of the catalog or of one contract: which breaking-change policies apply.

    Each policy is ``None`` when this block does not set it; :meth:`enabled` says whether it applies (all three
    apply unless turned off).

    Attributes:
        deprecation: a removal is allowed only after its deprecation's sunset date.
        versioning: ``info.version`` must be bumped as the changes require.
        stability: ``draft`` contracts and operations may change freely; a stability level may not go down.
        location: where the block is in the catalog file.
    """

    deprecation: bool | None = None
    versioning: bool | None = None
    stability: bool | None = None
    location: Location | None = None

    def merged(self, override: BreakingPolicy) -> BreakingPolicy:
        """Return these settings with those ``override`` sets on top (a contract's own over the catalog's)."""
        return BreakingPolicy(
            self.deprecation if override.deprecation is None else override.deprecation,
            self.versioning if override.versioning is None else override.versioning,
            self.stability if override.stability is None else override.stability,
            override.location or self.location,
        )

    def enabled(self, policy: str) -> bool:
        """Return whether the policy ``deprecation``, ``versioning`` or ``stability`` applies (default: yes)."""
        value: bool | None = getattr(self, policy)
        return value is not False


@dataclass(frozen=True, slots=True)
class FuzzPolicy:
    """The ``fuzz:`` settings of one contract (``contractkit fuzz`` and :mod:`contractkit.fuzz.pytest`).

    Attributes:
        expected_statuses: per operation (``operationId`` or ``METHOD /path``), per data check
            (``positive_data_acceptance``, ``negative_data_rejection``), the statuses that pass the check
            (``"2xx"``, ``"400"``): what the contract's schemas cannot say, such as "a cursor the service never
            issued is refused with 400".
        location: where the block is in the catalog file.
        locations: where each operation's entry is in it.
    """

    expected_statuses: Mapping[str, Mapping[str, tuple[str, ...]]] = field(default_factory=lambda: MappingProxyType({}))
    location: Location | None = None
    locations: Mapping[str, Location] = field(default_factory=lambda: MappingProxyType({}))


@dataclass(frozen=True, slots=True)
class Contract:
    """One contract of the catalog.

    Attributes:
        id: the contract id (``b2b-orders``).
        kind: OpenAPI or AsyncAPI.
        path: the absolute path of its root file.
        owner: the owning team.
        lifecycle: draft, stable or deprecated.
        description: one line about it.
        lint: this contract's own policy (applied over the catalog's).
        location: where the entry is in the catalog file.
        codegen: this contract's own code generation settings (applied over the catalog's).
        breaking: this contract's own breaking-change policies (applied over the catalog's).
        fuzz: how its fuzz suite judges the service (``contractkit fuzz``).
        keep_majors: the older major versions whose generated packages stay in ``generated/`` (frozen at their last
            release) while services migrate; every other older major's package is removed.
    """

    id: str
    kind: SpecKind
    path: Path
    owner: str = ""
    lifecycle: Lifecycle = Lifecycle.STABLE
    description: str = ""
    lint: LintPolicy = field(default_factory=LintPolicy)
    location: Location | None = None
    codegen: CodegenPolicy = field(default_factory=CodegenPolicy)
    breaking: BreakingPolicy = field(default_factory=BreakingPolicy)
    fuzz: FuzzPolicy = field(default_factory=FuzzPolicy)
    keep_majors: frozenset[int] = frozenset()


@dataclass(frozen=True, slots=True)
class Catalog:
    """The catalog file and what it lists.

    Attributes:
        path: the catalog file.
        root: the directory it is in (the contracts root: refs may not leave it).
        contracts: every contract, in catalog order.
        lint: the catalog-wide lint policy.
        limits: the loader limits.
        codegen: the catalog-wide code generation settings.
        breaking: the catalog-wide breaking-change policies.
    """

    path: Path
    root: Path
    contracts: tuple[Contract, ...]
    lint: LintPolicy = field(default_factory=LintPolicy)
    limits: Limits = field(default_factory=Limits)
    codegen: CodegenPolicy = field(default_factory=CodegenPolicy)
    breaking: BreakingPolicy = field(default_factory=BreakingPolicy)

    def get(self, contract_id: str) -> Contract | None:
        """Return the contract with ``contract_id``, or ``None``."""
        return next((c for c in self.contracts if c.id == contract_id), None)

    def by_path(self, path: Path) -> Contract | None:
        """Return the contract whose root file is ``path``, or ``None``."""
        resolved = path.resolve()
        return next((c for c in self.contracts if c.path == resolved), None)

    def policy_for(self, contract: Contract | None) -> LintPolicy:
        """Return the lint policy that applies to ``contract`` (the catalog's, with the contract's on top)."""
        return self.lint if contract is None else self.lint.merged(contract.lint)

    def breaking_for(self, contract: Contract | None) -> BreakingPolicy:
        """Return the breaking-change policies of ``contract`` (the catalog's, with the contract's on top)."""
        return self.breaking if contract is None else self.breaking.merged(contract.breaking)


_NO_CATALOG = "no catalog found (looked for contracts/catalog.yaml in the working directory and above)"


def unknown_contract(argument: str, catalog: Catalog | None) -> ContractNotFound:
    """Return the error for an argument that names no contract: the same words everywhere, with a did-you-mean.

    Args:
        argument: what the user wrote (neither a contract id of ``catalog`` nor an existing file or folder).
        catalog: the catalog it was looked up in (``None``: none was found).
    """
    known = [c.id for c in catalog.contracts] if catalog is not None else []
    guess = difflib.get_close_matches(argument, known, n=1)
    ids = f"known ids: {', '.join(known)}." if catalog is not None else f"{_NO_CATALOG}."
    return ContractNotFound(
        f"`{argument}` is neither a contract id of the catalog nor a file",
        title=f"contract `{argument}` not found",
        tip=(f"did you mean `{guess[0]}`? " if guess else "") + ids,
    )


def no_catalog() -> UsageError:
    """Return the error for a command that needs the catalog when none was found: the same words everywhere."""
    return UsageError(
        _NO_CATALOG,
        title="no catalog found",
        tip="run from the repository that holds contracts/, or pass --catalog PATH (`catalog=` in Python).",
    )
