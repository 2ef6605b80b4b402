"""The catalog's codegen options, catalog-wide and per contract, and a typed consumer checked by mypy."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from mypy import api as mypy_api
from pydantic import ValidationError

from contractkit.catalog import load_catalog
from contractkit.codegen.gen import generate

REPO = Path(__file__).resolve().parents[2]
CATALOG = """\
version: 1
codegen:
  extra: ignore
contracts:
  - {id: plain, kind: openapi, path: plain.yaml, owner: t, lifecycle: draft}
  - id: tuned
    kind: openapi
    path: tuned.yaml
    owner: t
    lifecycle: draft
    codegen: {strict-types: true, field-names: as-is, enums: enum, extra: forbid}
"""
CONTRACT = """\
openapi: 3.1.0
info: {title: t, version: 2.3.0}
paths: {}
components:
  schemas:
    Widget:
      type: object
      required: [widgetId, colour]
      properties:
        widgetId: {type: integer}
        colour: {type: string, enum: [red, green]}
        Content-Type: {type: string}
"""


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, ModuleType]]:
    root = tmp_path_factory.mktemp("options")
    (root / "contracts").mkdir()
    (root / "contracts" / "catalog.yaml").write_text(CATALOG)
    for name in ("plain", "tuned"):
        (root / "contracts" / f"{name}.yaml").write_text(CONTRACT)
    catalog = load_catalog(root / "contracts" / "catalog.yaml")
    assert catalog is not None
    generate(catalog)
    sys.path.insert(0, str(root / "generated"))
    try:
        yield {name: importlib.import_module(f"{name}.v2.models") for name in ("plain", "tuned")}
    finally:
        sys.path.remove(str(root / "generated"))
        for name in [n for n in sys.modules if n.split(".")[0] in ("plain", "tuned")]:
            del sys.modules[name]


@pytest.mark.parametrize(
    ("package", "data", "accepted"),
    [
        pytest.param("plain", {"widgetId": "1", "colour": "red"}, True, id="lax-coerces-numeric-string"),
        pytest.param("tuned", {"widgetId": "1", "colour": "red"}, False, id="strict-types"),
        pytest.param("plain", {"widgetId": 1, "colour": "red", "x": 1}, True, id="extra-ignore"),
        pytest.param("tuned", {"widgetId": 1, "colour": "red", "x": 1}, False, id="extra-forbid-override"),
        pytest.param("plain", {"widgetId": 1, "colour": "blue"}, False, id="literal-enum"),
        pytest.param("tuned", {"widgetId": 1, "colour": "blue"}, False, id="enum-class"),
    ],
)
def test_options_change_what_models_accept(
    generated: dict[str, ModuleType], package: str, data: dict[str, object], accepted: bool
) -> None:
    widget = generated[package].Widget
    try:
        widget.model_validate(data)
        ok = True
    except ValidationError:
        ok = False
    assert ok is accepted


def test_field_names_and_enums(generated: dict[str, ModuleType]) -> None:
    plain = generated["plain"].Widget.model_validate({"widgetId": 1, "colour": "red", "Content-Type": "a/b"})
    assert (plain.widget_id, plain.content_type) == (1, "a/b")  # snake_case with aliases
    assert plain.model_dump(by_alias=True, exclude_none=True) == {"widgetId": 1, "colour": "red", "Content-Type": "a/b"}
    assert generated["plain"].Widget(widget_id=2, colour="green").widget_id == 2  # populate_by_name
    tuned = generated["tuned"].Widget.model_validate({"widgetId": 1, "colour": "red"})
    assert tuned.widgetId == 1  # as-is
    assert type(tuned.colour).__name__ == "WidgetColour"  # enums as Enum, named after their owner


CONSUMER = """\
from __future__ import annotations

from b2b_orders.v1 import CONTRACT, CONTRACT_VERSION, CreateOrderRequest, Order, OrderCreate, OrderItemCreate, Tolerance
from contracts_common import Address, Money
from order_events.v1 import OrderCreatedHeaders, OrderCreatedPayload


def total(order: Order) -> str:
    return order.quote.total.amount if order.quote is not None else "0"


def order_of(event: OrderCreatedPayload) -> str:
    return str(event.order_id)


item = OrderItemCreate(
    part_name="bracket", material="pla", process="fdm", quantity=3, tolerance=Tolerance(standard="iso_2768_m")
)
address = Address(recipient_name="a", line1="b", city="c", postal_code="1", country_code="DE")
create: CreateOrderRequest = OrderCreate(
    customer_reference="PO-1", currency="EUR", shipping_address=address, items=[item]
)
headers = OrderCreatedHeaders.model_validate({"traceparent": "00-x", "message-id": "m"})
money = Money(amount="1.00", currency="EUR")
print(CONTRACT.name, CONTRACT_VERSION, create.items[0].quantity + 1, money.currency.upper(), headers.message_id)
"""


@pytest.mark.slow
def test_mypy_accepts_a_consumer_of_the_generated_models(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    consumer = tmp_path / "consumer.py"
    consumer.write_text(CONSUMER)
    broken = tmp_path / "broken.py"  # proves mypy really sees the models' types
    broken.write_text("from b2b_orders.v1 import Money\n\nMoney(amount=1, currency='EUR')\n")
    monkeypatch.setenv("MYPYPATH", str(REPO / "generated"))
    args = ["--strict", "--no-incremental", "--cache-dir=/dev/null", "--python-executable", sys.executable]
    out, err, status = mypy_api.run([*args, str(consumer), str(broken)])
    errors = [line for line in out.splitlines() if ": error:" in line]
    assert status == 1, out + err
    assert len(errors) == 1 and errors[0].startswith(str(broken)), out
    assert 'Argument "amount" to "Money" has incompatible type "int"' in errors[0]
