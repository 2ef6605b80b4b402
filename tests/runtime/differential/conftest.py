"""Fixtures of the differential suite: both validators compiled once per session (see ``_support.py``)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from ._support import Differential, Req, Spec, expect, explain


@pytest.fixture(scope="session")
def differential() -> Differential:
    return Differential()


@pytest.fixture
def check_case(differential: Differential) -> Callable[[str, Spec, Req, str], None]:
    """Assert that openapi-core and contractkit both reach the table's expected verdict for one request."""

    def check(name: str, spec: Spec, request: Req, expected: str) -> None:
        want = expect(expected)
        ref = differential.reference(name, spec).verdict(request)
        assert ref == want, f"openapi-core disagrees with the table{explain(request, ref, want, 'table')}"
        ck = differential.contractkit(name, spec).verdict(request)
        assert ck == want, f"contractkit disagrees with openapi-core{explain(request, ref, ck)}"

    return check
