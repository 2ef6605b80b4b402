from __future__ import annotations

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "slow: a large real contract (seconds to validate); runs by default, `-m 'not slow'` skips it"
    )
