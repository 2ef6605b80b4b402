"""Breaking-change policies for OpenAPI and AsyncAPI: deprecation, stability and versioning.

- :mod:`.deprecation`: a removal is allowed only after the removed node's sunset date (runs in the engine);
- :mod:`.stability`: draft contracts and operations may change freely; a stability level may not go down;
- :mod:`.versioning`: ``info.version`` must carry the bump the changes need;
- :mod:`.config`: which of them apply (the catalog's ``breaking:`` block; all three by default).

``contractkit.breaking.run`` applies them to every comparison: see docs/breaking.md, "Policies".
"""

from __future__ import annotations

from contractkit.breaking.policies.apply import apply_policies
from contractkit.breaking.policies.config import Policies
from contractkit.breaking.policies.deprecation import DeprecationPolicy
from contractkit.breaking.policies.stability import stability_decreased
from contractkit.breaking.policies.versioning import VERSIONING_RULES

#: The ids of the findings the policies add (besides ``removed-before-sunset``, which replaces a removal).
POLICY_RULES = frozenset(rule.id for rule in (stability_decreased, *VERSIONING_RULES))

__all__ = ["POLICY_RULES", "DeprecationPolicy", "Policies", "apply_policies"]
