"""The app behind contractkit's `ContractValidationMiddleware` (defaults: request validation, responses off)."""

from __future__ import annotations

from benchmarks.middleware_apps.common import contract, create_app
from contractkit.middleware import ContractValidationMiddleware

app = ContractValidationMiddleware(create_app(), spec=contract())
