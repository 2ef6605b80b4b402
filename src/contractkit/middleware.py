"""The public import path of the runtime middleware.

Example:
    >>> from contractkit.middleware import ContractValidationMiddleware  # doctest: +SKIP
    >>> app = ContractValidationMiddleware(app, spec="contracts/b2b-orders/openapi.yaml")  # doctest: +SKIP
"""

from contractkit.runtime.asgi import ContractValidationMiddleware
from contractkit.runtime.problem import ErrorRenderer, ErrorResponse, render_problem
from contractkit.runtime.wsgi import ENVIRON_KEY, WSGIContractValidationMiddleware

__all__ = [
    "ENVIRON_KEY",
    "ContractValidationMiddleware",
    "ErrorRenderer",
    "ErrorResponse",
    "WSGIContractValidationMiddleware",
    "render_problem",
]
