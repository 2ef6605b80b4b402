"""The contract's fuzz suite as pytest tests over an in-process ASGI or WSGI app (no network, no server).

One import and one line in a service's own test suite::

    from contractkit.fuzz.pytest import contract_suite

    test_contract = contract_suite("b2b-orders", app="orders_app", headers={"Authorization": "Bearer test"})

``app`` is the application itself, or the name of a pytest fixture that returns it (so every test gets a
fresh app, with its own database). pytest collects one test per operation of the contract (its id is
``METHOD /path``), plus one for the stateful sequences through the contract's OpenAPI links when it has any;
each runs the same Schemathesis checks as ``contractkit fuzz`` and fails with the same summary (failing
check, curl line).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from contractkit.fuzz.operations import select_operations
from contractkit.fuzz.options import PHASES, FuzzOptions

STATEFUL_ID = "stateful: links"
"""The test id of the stateful sequences' test."""

_DEFAULTS = {"max_examples": 25, "time_budget": 60.0, "seed": 0}


def contract_suite(
    contract: str | Path,
    *,
    app: object,
    headers: dict[str, str] | None = None,
    catalog: Path | None = None,
    **options: Any,
) -> Callable[..., None]:
    """Return a pytest test function that fuzzes ``app`` with ``contract``, one test per operation.

    Args:
        contract: a catalog contract id, or the path of an OpenAPI file.
        app: the ASGI or WSGI application, or the name of a pytest fixture that returns it.
        headers: sent with every request (credentials).
        catalog: the catalog file; default: ``contracts/catalog.yaml`` found from the working directory.
        **options: any other :class:`~contractkit.fuzz.options.FuzzOptions` field (``checks``, ``mode``,
            ``max_examples``, ``seed``, ``time_budget``, ``include``, ``exclude``, ``phases``). Defaults here
            are smaller than the command line's, for a test suite: 25 examples, a 60 s budget per test, seed 0.

    Returns:
        A function to assign to a ``test_...`` name at module level.

    Raises:
        UsageError, InputError: the contract or an option is wrong (at collection, so the whole module errors).
    """
    from contractkit.fuzz.spec import load_fuzz_spec

    spec = load_fuzz_spec(contract, catalog=catalog)
    settings = FuzzOptions(**{**_DEFAULTS, **options, "headers": dict(headers or {})})
    labels = select_operations(spec.document, settings.include, settings.exclude)
    params = list(labels) if set(settings.phases) - {"stateful"} else []
    if "stateful" in settings.phases and _has_links(spec.document):
        params.append(STATEFUL_ID)

    @pytest.mark.parametrize("operation", params)
    def test_contract(operation: str, request: pytest.FixtureRequest) -> None:
        from contractkit.fuzz.report import render_text
        from contractkit.fuzz.runner import run_fuzz

        target = request.getfixturevalue(app) if isinstance(app, str) else app
        if operation == STATEFUL_ID:
            run_options = _replace(settings, phases=("stateful",))
        else:
            unit_phases = tuple(phase for phase in settings.phases if phase != "stateful")
            run_options = _replace(settings, phases=unit_phases, include=(operation,), exclude=())
        result = run_fuzz(spec, None, run_options, app=target)
        if not result.ok:
            pytest.fail(render_text(result), pytrace=False)

    test_contract.__doc__ = f"Fuzz every operation of `{spec.name}` in-process (contractkit.fuzz.pytest)."
    return test_contract


def _replace(options: FuzzOptions, **changes: Any) -> FuzzOptions:
    from dataclasses import replace

    return replace(options, **changes)


def _has_links(document: dict[str, Any]) -> bool:
    def walk(node: object) -> bool:
        if isinstance(node, dict):
            return any(key == "links" and value for key, value in node.items()) or any(
                walk(value) for value in node.values()
            )
        if isinstance(node, list):
            return any(walk(item) for item in node)
        return False

    return walk(document.get("paths")) or walk(document.get("components", {}).get("links"))


__all__ = ["PHASES", "STATEFUL_ID", "contract_suite"]
