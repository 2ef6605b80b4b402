"""The app behind contractkit's `ContractValidationMiddleware` (defaults: request validation, responses off)."""

from __future__ import annotations

from contractkit.middleware import ContractValidationMiddleware

from benchmarks.middleware_apps.common import contract, create_app

app = ContractValidationMiddleware(create_app(), spec=contract())
