"""Runtime enforcement of an OpenAPI contract: the request validator and the ASGI/WSGI middleware.

``contractkit.runtime`` imports neither the command line (typer) nor schemathesis, datamodel-code-generator,
openapi-spec-validator or openapi-core: a service installs ``contractkit[runtime]`` and nothing more.
"""

from contractkit.runtime._core import RequestError, RequestValidator, ValidationResult
from contractkit.runtime._engine import ENGINE
from contractkit.runtime.asgi import ContractValidationMiddleware
from contractkit.runtime.problem import ErrorRenderer, ErrorResponse, render_problem
from contractkit.runtime.wsgi import ENVIRON_KEY, WSGIContractValidationMiddleware

__all__ = [
    "ENGINE",
    "ENVIRON_KEY",
    "ContractValidationMiddleware",
    "ErrorRenderer",
    "ErrorResponse",
    "RequestError",
    "RequestValidator",
    "ValidationResult",
    "WSGIContractValidationMiddleware",
    "render_problem",
]
