"""Which breaking-change policies apply to a contract: the catalog's ``breaking:`` block, the contract's on top.

.. code-block:: yaml

    breaking:                       # catalog-wide (each policy is on unless turned off)
      policies: {deprecation: true, versioning: true, stability: true}
    contracts:
      - id: partner-notifications
        breaking:
          policies: {versioning: false}   # this contract's own setting wins
"""

from __future__ import annotations

from dataclasses import dataclass

from contractkit.catalog.model import Catalog, Contract, Lifecycle

__all__ = ["Policies"]


@dataclass(frozen=True, slots=True)
class Policies:
    """The policies that apply to one comparison.

    Attributes:
        deprecation: judge removals by their deprecation and sunset date.
        versioning: check ``info.version`` against the bump the changes need.
        stability: let draft parts change freely; report a stability level that goes down.
        draft: the catalog says ``lifecycle: draft`` for the contract.
    """

    deprecation: bool = True
    versioning: bool = True
    stability: bool = True
    draft: bool = False

    @classmethod
    def of(cls, catalog: Catalog | None, contract: Contract | None) -> Policies:
        """Return the policies of ``contract`` under ``catalog`` (all on without a catalog)."""
        draft = contract is not None and contract.lifecycle is Lifecycle.DRAFT
        if catalog is None:
            return cls(draft=draft)
        settings = catalog.breaking_for(contract)
        return cls(
            settings.enabled("deprecation"), settings.enabled("versioning"), settings.enabled("stability"), draft
        )
