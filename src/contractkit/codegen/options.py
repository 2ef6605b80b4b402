"""The code generation options a service cares about, read from the catalog's ``codegen:`` blocks.

```yaml
codegen:                      # catalog-wide
  strict-types: false         # true: StrictStr/StrictInt/...: no "1" -> 1 coercion
  field-names: snake_case     # snake_case fields with `alias=` for the wire name, or as-is
  enums: literal              # Literal["a", "b"] or Enum classes
  extra: ignore               # unknown properties on objects that do not say: forbid | ignore | allow
  package:
    distribution-prefix: contracts     # contractkit package: contracts-b2b-orders-v1
contracts:
  - id: b2b-orders
    codegen: {extra: forbid}           # this contract's own settings, over the catalog's
```
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from contractkit.catalog.model import Catalog, Contract

FieldNames = Literal["snake_case", "as-is"]
Enums = Literal["literal", "enum"]
Extra = Literal["forbid", "ignore", "allow"]
DEFAULT_DISTRIBUTION_PREFIX = "contracts"


@dataclass(frozen=True, slots=True)
class CodegenOptions:
    """How models are generated for one contract.

    Attributes:
        strict_types: strict scalar types (no coercion of ``"1"`` to ``1``).
        field_names: ``snake_case`` (with ``alias=`` for the wire name and ``populate_by_name``) or ``as-is``.
        enums: enums as ``Literal[...]`` or as ``Enum`` classes.
        extra: what a model does with unknown properties when its schema does not say
            (``additionalProperties: false`` always forbids).
    """

    strict_types: bool = False
    field_names: FieldNames = "snake_case"
    enums: Enums = "literal"
    extra: Extra = "ignore"

    @classmethod
    def from_settings(cls, settings: dict[str, object]) -> CodegenOptions:
        """Build options from ``codegen:`` settings (already checked by the catalog schema)."""
        return cls(
            strict_types=bool(settings.get("strict-types", False)),
            field_names="as-is" if settings.get("field-names") == "as-is" else "snake_case",
            enums="enum" if settings.get("enums") == "enum" else "literal",
            extra=_extra(settings.get("extra")),
        )

    def canonical(self) -> str:
        """Return the options as canonical JSON (part of the content hash)."""
        return json.dumps(asdict(self), sort_keys=True)

    def dcg_options(self) -> dict[str, Any]:
        """Return the datamodel-code-generator options these settings map to."""
        from datamodel_code_generator.enums import StrictTypes

        options: dict[str, Any] = {
            "snake_case_field": self.field_names == "snake_case",
            "allow_population_by_field_name": True,
            "enum_field_as_literal": "all" if self.enums == "literal" else None,
        }
        if self.strict_types:
            options["strict_types"] = list(StrictTypes)
        if self.extra != "ignore":
            options["extra_fields"] = self.extra
        return options


def _extra(value: object) -> Extra:
    if value == "forbid":
        return "forbid"
    if value == "allow":
        return "allow"
    return "ignore"


def options_for(catalog: Catalog | None, contract: Contract | None) -> CodegenOptions:
    """Return the options for ``contract`` (the catalog's settings with the contract's on top; None: common)."""
    if catalog is None:
        return CodegenOptions()
    policy = catalog.codegen if contract is None else catalog.codegen.merged(contract.codegen)
    return CodegenOptions.from_settings({k: v for k, v in policy.settings.items() if k != "package"})


def distribution_prefix(catalog: Catalog | None) -> str:
    """Return the catalog's ``codegen.package.distribution-prefix`` (default ``contracts``)."""
    package = catalog.codegen.settings.get("package") if catalog is not None else None
    prefix = package.get("distribution-prefix") if isinstance(package, dict) else None
    return prefix if isinstance(prefix, str) else DEFAULT_DISTRIBUTION_PREFIX
