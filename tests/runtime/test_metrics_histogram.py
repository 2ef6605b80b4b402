"""The validation-time histogram: every observation in the right bucket, the count and the sum exact."""

from __future__ import annotations

import pytest
from prometheus_client import CollectorRegistry

from contractkit.runtime.observability import Observer


@pytest.mark.parametrize(
    ("observed", "le", "expected"),
    [
        pytest.param([3e-6], "5e-06", 1.0, id="below-the-first-bound"),
        pytest.param([5e-6], "5e-06", 1.0, id="on-a-bound-is-le"),
        pytest.param([6e-6, 1e-5], "5e-06", 0.0, id="above-the-first-bound"),
        pytest.param([6e-6, 1e-5, 0.5], "1e-05", 2.0, id="cumulative"),
        pytest.param([0.5], "+Inf", 1.0, id="past-the-last-bound"),
        pytest.param([1e-5] * 515, "1e-05", 515.0, id="many"),
    ],
)
def test_buckets_count_every_observation(observed: list[float], le: str, expected: float) -> None:
    registry = CollectorRegistry()
    observer = Observer("shop", registry)
    for seconds in observed:
        observer.timed(seconds)
    labels = {"contract": "shop"}
    assert registry.get_sample_value("contractkit_validation_seconds_bucket", {**labels, "le": le}) == expected
    assert registry.get_sample_value("contractkit_validation_seconds_count", labels) == len(observed)
    assert registry.get_sample_value("contractkit_validation_seconds_sum", labels) == pytest.approx(sum(observed))


def test_two_contracts_share_the_registry() -> None:
    registry = CollectorRegistry()
    Observer("a", registry).timed(1e-5)
    Observer("b", registry).timed(1e-5)
    Observer("b", registry).timed(1e-5)
    counts = [registry.get_sample_value("contractkit_validation_seconds_count", {"contract": c}) for c in "ab"]
    assert counts == [1.0, 2.0]
