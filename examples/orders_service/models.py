"""The generated Pydantic models of the b2b-orders contract, importable from a checkout.

Services install the contract wheel (`contractkit package`); in this repository the models live in `generated/`,
which is put on `sys.path` when `b2b_orders` is not importable yet (the way tests/codegen imports them).
"""

from __future__ import annotations

import sys
from pathlib import Path

GENERATED = Path(__file__).resolve().parents[2] / "generated"

try:  # pragma: no cover - depends on how the service is installed
    import b2b_orders.v1 as contract_package
except ImportError:  # a checkout: use the committed generated/ tree
    sys.path.append(str(GENERATED))
    import b2b_orders.v1 as contract_package

from b2b_orders.v1 import (  # noqa: E402
    Cancellation,
    CancelOrderRequest,
    ModelFile,
    ModelUpload,
    ModelUploadCreate,
    Money,
    Order,
    OrderCreate,
    OrderItem,
    OrderPage,
    OrderStatusTimeline,
    PageInfo,
    Problem,
    ProblemError,
    Quote,
    Shipment,
    StatusTimelineEntry,
    StatusTimelineEntryActor,
    Tolerance,
)

__all__ = [
    "CancelOrderRequest",
    "Cancellation",
    "ModelFile",
    "ModelUpload",
    "ModelUploadCreate",
    "Money",
    "Order",
    "OrderCreate",
    "OrderItem",
    "OrderPage",
    "OrderStatusTimeline",
    "PageInfo",
    "Problem",
    "ProblemError",
    "Quote",
    "Shipment",
    "StatusTimelineEntry",
    "StatusTimelineEntryActor",
    "Tolerance",
    "contract_package",
]
