"""The committed generated/ tree: current, laid out as agreed, and accepting every example of the contracts."""

from __future__ import annotations

import importlib
import json
import re
from pathlib import Path

import pytest
from pydantic import TypeAdapter

from contractkit.catalog import load_catalog
from contractkit.codegen.gen import generate, package_path, plan_schemas

REPO = Path(__file__).resolve().parents[2]
CATALOG = load_catalog(REPO / "contracts" / "catalog.yaml")
assert CATALOG is not None
CONTRACT_IDS = [c.id for c in CATALOG.contracts]


def test_generated_tree_is_current_by_hash() -> None:
    assert CATALOG is not None
    result = generate(CATALOG, check=True)
    assert not result.stale, result.diff[:2000]
    assert {p.status for p in result.packages} == {"unchanged"}


@pytest.mark.slow
def test_generated_tree_is_what_the_generator_makes_now() -> None:
    # --check trusts the header hashes; this regenerates every package to catch a generator change that
    # forgot to bump GENERATOR_VERSION.
    assert CATALOG is not None
    result = generate(CATALOG, check=True, force=True)
    assert result.diff == ""
    assert all(p.numbered == () and p.unplanned == () for p in result.packages)


@pytest.mark.parametrize("contract_id", CONTRACT_IDS)
def test_examples_validate_with_generated_models(contract_id: str, generated_on_path: Path) -> None:
    assert CATALOG is not None
    contract = CATALOG.get(contract_id)
    assert contract is not None
    schemas = plan_schemas(CATALOG, contract)
    module = importlib.import_module(package_path(contract, "1").replace("/", "."))
    assert schemas.examples, "every contract of the catalog carries examples"
    failures = []
    for example in schemas.examples:
        adapter = TypeAdapter(getattr(module, example.model))  # classes and type aliases alike
        try:
            adapter.validate_python(example.value)
        except Exception as exc:  # collect them all: one report per contract
            failures.append(f"{example.model} at {example.where}: {exc}")
    assert failures == []


@pytest.mark.parametrize("contract_id", CONTRACT_IDS)
def test_package_layout(contract_id: str, generated_on_path: Path) -> None:
    assert CATALOG is not None
    contract = CATALOG.get(contract_id)
    assert contract is not None
    folder = generated_on_path / package_path(contract, "1")
    assert sorted(p.name for p in folder.iterdir() if p.name != "__pycache__") == [
        "__init__.py",
        "contract.json",
        "models.py",
        "py.typed",
    ]
    assert not (folder.parent / "__init__.py").exists()  # a namespace package: v1 and v2 wheels coexist
    for name in ("__init__.py", "models.py", "py.typed"):
        head = (folder / name).read_text().splitlines()[:4]
        assert "DO NOT EDIT" in head[0] and f"`{contract_id}`" in head[0]
        assert re.fullmatch(r"# inputs-sha256: [0-9a-f]{64}", head[2])
        assert re.fullmatch(r"# content-sha256: [0-9a-f]{64}", head[3])
    package = importlib.import_module(package_path(contract, "1").replace("/", "."))
    bundled = json.loads(package.CONTRACT.read_text())
    assert contract_id == package.CONTRACT_ID
    assert bundled["info"]["version"] == package.CONTRACT_VERSION
    assert "DO NOT EDIT" in bundled["x-contractkit-generated"]["notice"]
    assert sorted(package.__all__) == package.__all__
    assert all(hasattr(package, name) for name in package.__all__)


@pytest.mark.parametrize(
    ("contract_id", "names"),
    [
        pytest.param(
            "b2b-orders",
            ["CreateOrderRequest", "CreateOrderResponse", "ListOrdersResponse", "StatusTimelineEntryActor", "Money"],
            id="openapi",
        ),
        pytest.param(
            "order-events",
            ["OrderCreatedPayload", "OrderCreatedHeaders", "ProductionJobFailedPayload", "MessageHeaders"],
            id="asyncapi-3.0",
        ),
        pytest.param(
            "partner-notifications",
            ["DeliveryAttemptedPayload", "DeliveryAttemptedHeaders"],
            id="asyncapi-2.6",
        ),
    ],
)
def test_readable_names_are_exported(contract_id: str, names: list[str], generated_on_path: Path) -> None:
    assert CATALOG is not None
    contract = CATALOG.get(contract_id)
    assert contract is not None
    package = importlib.import_module(package_path(contract, "1").replace("/", "."))
    assert set(names) <= set(package.__all__)
    assert not [n for n in package.__all__ if re.search(r"(Model|Type)\d+$", n)]


def test_common_models_are_shared_not_copied(generated_on_path: Path) -> None:
    models = (generated_on_path / "b2b_orders" / "v1" / "models.py").read_text()
    assert "from contracts_common.money import CurrencyCode, Money" in models
    assert "class Money(" not in models
    common = importlib.import_module("contracts_common")
    b2b = importlib.import_module("b2b_orders.v1")
    assert b2b.Money is common.Money
