"""The same small Starlette app four ways, for `benchmarks.bench_middleware_http` (each is a uvicorn target).

- `benchmarks.middleware_apps.bare:app`: no validation;
- `benchmarks.middleware_apps.noop_app:app`: behind a pure-ASGI middleware that only forwards (the floor);
- `benchmarks.middleware_apps.openapi_core_app:app`: openapi-core's `StarletteOpenAPIMiddleware`;
- `benchmarks.middleware_apps.contractkit_app:app`: contractkit's `ContractValidationMiddleware`.
"""
