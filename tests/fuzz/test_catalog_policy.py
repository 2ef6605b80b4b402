"""The catalog's ``fuzz:`` block: read from the catalog, checked, and turned into Schemathesis operation settings."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from contractkit.catalog import read_catalog
from contractkit.errors import ConfigError
from contractkit.fuzz.options import DEFAULT_CHECKS
from contractkit.fuzz.runner import _expected_statuses
from contractkit.fuzz.spec import load_fuzz_spec

ROOT = Path(__file__).resolve().parents[2]
ENTRY = """  - id: b2b-orders
    kind: openapi
    path: b2b-orders/openapi.yaml
    owner: team-partner-api
    lifecycle: stable
"""


def _catalog(tmp_path: Path, fuzz: str) -> Path:
    contracts = tmp_path / "contracts"
    shutil.copytree(ROOT / "contracts" / "b2b-orders", contracts / "b2b-orders")
    shutil.copytree(ROOT / "contracts" / "common", contracts / "common")
    catalog = contracts / "catalog.yaml"
    catalog.write_text("version: 1\ncontracts:\n" + ENTRY + fuzz)
    return catalog


@pytest.mark.parametrize(
    ("fuzz", "expected"),
    [
        pytest.param("", {}, id="no-block"),
        pytest.param(
            "    fuzz:\n      operations:\n        listOrders:\n          positive-data-acceptance: [2xx, 400]\n",
            {"listOrders": {"positive_data_acceptance": ("2xx", "400")}},
            id="operation-id",
        ),
        pytest.param(
            "    fuzz:\n      operations:\n        GET /orders/{order_id}:\n"
            "          negative-data-rejection: [400, 422]\n",
            {"GET /orders/{order_id}": {"negative_data_rejection": ("400", "422")}},
            id="method-and-path-integers",
        ),
    ],
)
def test_the_block_is_read(tmp_path: Path, fuzz: str, expected: dict[str, dict[str, tuple[str, ...]]]) -> None:
    (contract,) = read_catalog(_catalog(tmp_path, fuzz)).contracts
    assert {name: dict(checks) for name, checks in contract.fuzz.expected_statuses.items()} == expected


@pytest.mark.parametrize(
    "fuzz",
    [
        pytest.param(
            "    fuzz:\n      operations:\n        listOrders:\n          positive-data-acceptance: [2x]\n",
            id="bad-status",
        ),
        pytest.param(
            "    fuzz:\n      operations:\n        listOrders:\n          not-a-check: [400]\n", id="unknown-check"
        ),
        pytest.param("    fuzz:\n      operations:\n        listOrders: {}\n", id="empty-operation"),
        pytest.param("    fuzz:\n      operation: {}\n", id="misspelt-key"),
    ],
)
def test_a_wrong_block_is_a_catalog_error(tmp_path: Path, fuzz: str) -> None:
    with pytest.raises(ConfigError) as caught:
        read_catalog(_catalog(tmp_path, fuzz))
    assert caught.value.location is not None
    assert caught.value.location.line >= 7  # the fuzz block, not the top of the file


def test_the_statuses_become_schemathesis_settings_of_that_operation_only(tmp_path: Path) -> None:
    catalog = _catalog(
        tmp_path, "    fuzz:\n      operations:\n        listOrders:\n          positive-data-acceptance: [2xx, 400]\n"
    )
    spec = load_fuzz_spec("b2b-orders", catalog=catalog)
    (config,) = _expected_statuses(spec, DEFAULT_CHECKS)
    assert config.checks.positive_data_acceptance.expected_statuses == ["2xx", "400"]
    assert _expected_statuses(spec, ("not_a_server_error",)) == []  # the check is not run: nothing to set


def test_an_operation_the_contract_lacks_is_named_with_the_catalog_location(tmp_path: Path) -> None:
    catalog = _catalog(
        tmp_path, "    fuzz:\n      operations:\n        listOrder:\n          positive-data-acceptance: [400]\n"
    )
    spec = load_fuzz_spec("b2b-orders", catalog=catalog)
    with pytest.raises(ConfigError, match="`listOrder`, which is not an operation") as caught:
        _expected_statuses(spec, DEFAULT_CHECKS)
    assert caught.value.location is not None and caught.value.location.line == 10  # the operation's own line
    assert caught.value.tip is not None and "listOrders" in caught.value.tip


@pytest.mark.parametrize("by", ["id", "path"])
def test_a_contract_named_by_id_or_by_its_file_carries_its_catalog_settings(tmp_path: Path, by: str) -> None:
    catalog = _catalog(
        tmp_path, "    fuzz:\n      operations:\n        listOrders:\n          positive-data-acceptance: [400]\n"
    )
    target = "b2b-orders" if by == "id" else str(catalog.parent / "b2b-orders" / "openapi.yaml")
    spec = load_fuzz_spec(target, catalog=catalog if by == "id" else None)
    assert spec.name == "b2b-orders"
    assert dict(spec.policy.expected_statuses["listOrders"]) == {"positive_data_acceptance": ("400",)}
    assert "Money" in spec.document["components"]["schemas"]  # common/ reached through the catalog's root
