"""A RabbitMQ node of the test session's own, and a clean broker for each test that uses it.

A test that needs the broker fails (it is not skipped) when no node can be started: `.ci/run` installs
`rabbitmq-server`, so a missing one is a broken CI machine, not a reason to test less.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest

from contractkit.messaging.testing import LocalBroker

from ._support import clean_broker


@pytest.fixture(scope="session")
def rabbit() -> Iterator[LocalBroker]:
    try:
        broker = LocalBroker.start()
    except Exception as exc:
        pytest.fail(f"could not start a RabbitMQ node for the tests: {exc}", pytrace=False)
    try:
        yield broker
    finally:
        broker.stop()


@pytest.fixture
def amqp_url(rabbit: LocalBroker) -> str:
    """The node's URL, with every exchange and queue that the contracts or earlier tests declared deleted."""
    asyncio.run(clean_broker(rabbit.url))
    return rabbit.url
