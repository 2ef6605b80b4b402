"""The business rules of the b2b-orders API, independent of HTTP.

`OrderService` takes validated input (the middleware has checked it against the contract), applies the rules the
contract describes (idempotent creation, cancellation by status, uploads only while `received` or `quoted`) and
returns the contract's models. A refusal is an :class:`ApiProblem`. Operators' actions that the partner API does
not expose (quoting, production progress, the model check) are methods too (`advance`, `finish_model_check`), for
tests and for the internal side of the business.
"""

from __future__ import annotations

import base64
import hashlib
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any, Protocol

from pydantic import ValidationError

from .models import (
    CancelOrderRequest,
    ModelFile,
    ModelUpload,
    ModelUploadCreate,
    Order,
    OrderCreate,
    OrderPage,
    OrderStatusTimeline,
    PageInfo,
    StatusTimelineEntry,
)
from .problems import ApiProblem, not_found
from .storage import Cursor, OrderFilter, OrderStore

Clock = Callable[[], datetime]
UPLOAD_HOST = "https://uploads.orders-service.example.com"
UPLOAD_TTL = timedelta(minutes=15)
CANCELLABLE_BEFORE = frozenset({"shipped", "delivered"})
UPLOAD_STATUSES = frozenset({"received", "quoted"})
PARTNER_RESERVED_REASONS = frozenset({"quote_expired", "cannot_be_manufactured"})
_MIME = {"STL": "model/stl", "STEP": "model/step", "OBJ": "model/obj", "3MF": "model/3mf"}
_dumps = json.JSONEncoder(separators=(",", ":")).encode  # ASCII: lone surrogates survive the database
_canonical = json.JSONEncoder(separators=(",", ":"), sort_keys=True).encode


def stamp(moment: datetime) -> str:
    """Return an instant as fixed-width RFC 3339 UTC text (`2025-03-14T09:30:00.000000Z`): sorts as it orders."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_instant(text: str) -> datetime:
    """Parse an RFC 3339 date-time the contract accepted (lower-case `t`/`z`, leap second `:60` included)."""
    text = text.upper().replace("Z", "+00:00")
    if text[17:19] == "60":
        text = text[:17] + "59" + text[19:]
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        moment = datetime.fromisoformat(text[:10]).replace(tzinfo=UTC)
    try:
        return moment.astimezone(UTC)
    except OverflowError:
        return datetime.min.replace(tzinfo=UTC) if moment.year < 2 else datetime.max.replace(tzinfo=UTC)


def dump(model: Any) -> dict[str, Any]:
    """Serialize a contract model as the contract wants it: fields never set are left out, nulls kept."""
    data: dict[str, Any] = model.model_dump(mode="json", by_alias=True, exclude_unset=True)
    return data


class ObjectStore(Protocol):
    """Where partners upload model files (S3-compatible in production)."""

    def head(self, file_id: str, announced_size: int, announced_sha256: str) -> tuple[int, str] | None:
        """Return (size, sha256) of the uploaded object, or None when nothing was uploaded."""


class TrustingObjectStore:
    """The reference service has no object storage: every announced upload counts as done, as announced."""

    def head(self, file_id: str, announced_size: int, announced_sha256: str) -> tuple[int, str] | None:
        """Return the announced size and digest."""
        return announced_size, announced_sha256


@dataclass(frozen=True, slots=True)
class Created:
    """The answer to `createOrder`: the order document and whether it is a replay of an earlier request."""

    order: dict[str, Any]
    replayed: bool


class OrderService:
    """The b2b-orders use cases over an :class:`OrderStore`."""

    def __init__(self, store: OrderStore, *, clock: Clock | None = None, objects: ObjectStore | None = None) -> None:
        """Use `store`; `clock` (UTC now by default) and `objects` are seams for tests."""
        self.store = store
        self.clock = clock or (lambda: datetime.now(UTC))
        self.objects = objects or TrustingObjectStore()

    # -- orders ------------------------------------------------------------------------------------------------
    def create_order(self, partner: str, key: str, body: dict[str, Any]) -> Created:
        """Create an order, or replay the response of an earlier request with the same Idempotency-Key."""
        request_hash = hashlib.sha256(_canonical(_integral(body)).encode()).hexdigest()
        with self.store.db.transaction() as cur:
            known = self.store.find_key(cur, partner, key)
            if known is None:
                order = self._new_order(cur, partner, _parse(OrderCreate, body))
                response = _dumps(order)
                if self.store.claim_key(
                    cur, partner, key, request_hash, order["order_id"], response, order["created_at"]
                ):
                    return Created(order, replayed=False)
                raise _key_in_use()  # a concurrent request with the same key won the race (PostgreSQL)
        if known.request_hash != request_hash:
            raise ApiProblem(
                409,
                "idempotency-key-reused",
                "The Idempotency-Key was already used for another request.",
                "Send a new Idempotency-Key for a new order.",
            )
        return Created(json.loads(known.response), replayed=True)

    def _new_order(self, cur: Cursor, partner: str, create: OrderCreate) -> dict[str, Any]:
        now = self.clock()
        number = self.store.next_order_number(cur) % 1_000_000
        sent = create.model_dump(mode="json", by_alias=True, exclude_unset=True)
        order_id = str(uuid.uuid4())
        items = []
        for line, item in enumerate(sent["items"], start=1):
            items.append(
                {
                    "item_id": str(uuid.uuid4()),
                    "line_number": line,
                    "part_name": item["part_name"],
                    "material": item["material"],
                    "process": item["process"],
                    "quantity": item["quantity"],
                    "tolerance": item.get("tolerance", {"standard": "iso_2768_m"}),
                    "finish": item.get("finish", "as_printed"),
                    "notes": item.get("notes"),
                    "dimensions": None,
                    "model_file": None,
                    "unit_price": None,
                    "line_total": None,
                }
            )
        order = dump(
            Order.model_validate(
                {
                    "order_id": order_id,
                    "order_number": f"ORD-{now.year:04d}-{number:06d}",
                    "status": "received",
                    "customer_reference": sent["customer_reference"],
                    "currency": sent["currency"],
                    "requested_delivery_date": sent.get("requested_delivery_date"),
                    "shipping_address": sent["shipping_address"],
                    "items": items,
                    "quote": None,
                    "shipment": None,
                    "cancellation": None,
                    "notes": sent.get("notes"),
                    "metadata": sent.get("metadata", {}),
                    "created_at": stamp(now),
                    "updated_at": stamp(now),
                }
            )
        )
        order["created_at"] = order["updated_at"] = stamp(now)  # fixed width: the list index sorts on it
        self.store.insert_order(cur, partner, order, _dumps(order))
        self._record(cur, order["order_id"], "received", now, ("partner", "Partner API client"), None)
        return order

    def get_order(self, partner: str | None, order_id: str) -> dict[str, Any]:
        """Return one order of the partner."""
        with self.store.db.transaction() as cur:
            return self._load(cur, partner, order_id)

    def list_orders(self, partner: str, where: OrderFilter, limit: int, cursor: str | None) -> dict[str, Any]:
        """Return one page of the partner's orders (keyset pagination on `created_at`, `order_id`)."""
        after = _read_cursor(cursor) if cursor is not None else None
        with self.store.db.transaction() as cur:
            docs = self.store.list_orders(cur, partner, where, after, limit + 1)
        orders = [json.loads(doc) for doc in docs[:limit]]
        page: dict[str, Any] = {"limit": limit, "has_more": len(docs) > limit}
        if page["has_more"]:
            last = orders[-1]
            page["next_cursor"] = _write_cursor(last["created_at"], last["order_id"])
        return dump(OrderPage.model_validate({"items": orders, "page": dump(PageInfo.model_validate(page))}))

    def cancel_order(self, partner: str, order_id: str, body: dict[str, Any]) -> dict[str, Any]:
        """Cancel an order that has not been shipped (idempotent for an order already cancelled)."""
        request = _parse(CancelOrderRequest, body)
        if request.reason in PARTNER_RESERVED_REASONS:
            raise ApiProblem(
                403,
                "cancellation-reason-reserved",
                "You are not allowed to do this.",
                f"The reason `{request.reason}` is reserved for the manufacturer; partners use another reason.",
                [("body#/reason", "is reserved for the manufacturer")],
            )
        with self.store.db.transaction() as cur:
            order = self._load(cur, partner, order_id, for_update=True)
            if order["status"] == "cancelled":
                return order
            if order["status"] in CANCELLABLE_BEFORE:
                raise ApiProblem(
                    409,
                    "order-not-cancellable",
                    "The order can no longer be cancelled.",
                    f"Order {order['order_number']} is already {order['status']}.",
                )
            now = self.clock()
            order["cancellation"] = {
                "reason": request.reason,
                "comment": request.comment,
                "cancelled_by": "partner",
                "cancelled_at": stamp(now),
            }
            self._set_status(cur, order, "cancelled", now, ("partner", "Partner API client"), request.comment)
            return order

    def timeline(self, partner: str, order_id: str) -> dict[str, Any]:
        """Return every status the order went through, oldest first."""
        with self.store.db.transaction() as cur:
            order = self._load(cur, partner, order_id)
            entries = [json.loads(doc) for doc in self.store.status_events(cur, order_id)]
        return dump(
            OrderStatusTimeline.model_validate(
                {
                    "order_id": order["order_id"],
                    "order_number": order["order_number"],
                    "current_status": order["status"],
                    "entries": entries,
                }
            )
        )

    # -- model uploads -----------------------------------------------------------------------------------------
    def create_upload(self, partner: str, order_id: str, body: dict[str, Any]) -> dict[str, Any]:
        """Reserve a model file for an item and return where to upload it."""
        request = _parse(ModelUploadCreate, body)
        with self.store.db.transaction() as cur:
            order = self._load(cur, partner, order_id, for_update=True)
            item = next((i for i in order["items"] if i["item_id"] == str(request.item_id)), None)
            if item is None:  # 409, not 404: the order exists; it has no such item (nor will it: items are fixed)
                raise ApiProblem(
                    409,
                    "item-not-in-order",
                    "The item is not part of the order.",
                    f"Order {order['order_number']} has no item {request.item_id}.",
                    [("body#/item_id", "is not an item of this order")],
                )
            if order["status"] not in UPLOAD_STATUSES:
                raise ApiProblem(
                    409,
                    "order-not-changeable",
                    "The order can no longer be changed.",
                    f"Models can be uploaded while an order is received or quoted; {order['order_number']} is "
                    f"{order['status']}.",
                )
            now = self.clock()
            file_id = str(uuid.uuid4())
            expires = now + UPLOAD_TTL
            model_file = dump(
                ModelFile.model_validate(
                    {
                        "file_id": file_id,
                        "file_name": request.file_name,
                        "format": request.format,
                        "status": "pending_upload",
                        "size_bytes": request.size_bytes,
                        "sha256": request.sha256,
                        "rejection_reason": None,
                        "uploaded_at": None,
                    }
                )
            )
            item["model_file"], item["dimensions"] = model_file, None
            order["updated_at"] = stamp(now)
            self.store.put_model_file(cur, order_id, item["item_id"], stamp(expires), model_file, _dumps(model_file))
            self.store.update_order(cur, order, _dumps(order))
        checksum = base64.b64encode(bytes.fromhex(request.sha256)).decode()
        return dump(
            ModelUpload.model_validate(
                {
                    "file_id": file_id,
                    "item_id": item["item_id"],
                    "upload_method": "PUT",
                    "upload_url": f"{UPLOAD_HOST}/models/{file_id}?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Expires="
                    f"{int(UPLOAD_TTL.total_seconds())}&X-Amz-Signature={hashlib.sha256(file_id.encode()).hexdigest()}",
                    "upload_headers": {"Content-Type": _MIME[request.format], "x-amz-checksum-sha256": checksum},
                    "expires_at": stamp(expires),
                }
            )
        )

    def confirm_upload(self, partner: str, order_id: str, file_id: str) -> dict[str, Any]:
        """Confirm an upload: check the object against what was announced and start the model check."""
        with self.store.db.transaction() as cur:
            order = self._load(cur, partner, order_id, for_update=True)
            found = self.store.get_model_file(cur, order_id, file_id)
            if found is None:
                raise not_found("Model file", f"{file_id} of order {order_id}")
            item_id, expires_at, doc = found
            model_file = json.loads(doc)
            if model_file["status"] != "pending_upload":
                return dict(model_file)  # confirming twice returns the file unchanged
            item = next(i for i in order["items"] if i["item_id"] == item_id)
            if (item["model_file"] or {}).get("file_id") != file_id:
                raise ApiProblem(
                    409,
                    "upload-replaced",
                    "The upload was replaced.",
                    "A newer upload was requested for this item; confirm that one.",
                )
            now = self.clock()
            if stamp(now) >= expires_at:
                raise ApiProblem(
                    409,
                    "upload-expired",
                    "The upload URL has expired.",
                    f"The upload URL expired at {expires_at}; request a new one.",
                )
            seen = self.objects.head(file_id, model_file["size_bytes"], model_file["sha256"])
            if seen != (model_file["size_bytes"], model_file["sha256"]):
                detail = "No file was uploaded." if seen is None else "The uploaded file is not the one announced."
                raise ApiProblem(
                    422, "upload-not-valid", "The upload is not valid.", detail, [("path.file_id", detail)]
                )
            model_file.update(status="processing", uploaded_at=stamp(now))
            model_file = dump(ModelFile.model_validate(model_file))
            item["model_file"] = model_file
            order["updated_at"] = stamp(now)
            self.store.put_model_file(cur, order_id, item_id, expires_at, model_file, _dumps(model_file))
            self.store.update_order(cur, order, _dumps(order))
            return dict(model_file)

    # -- the manufacturer's side (not in the partner API) ------------------------------------------------------
    def advance(self, order_id: str, status: str, *, note: str | None = None) -> dict[str, Any]:
        """Move an order to `status` as the manufacturer would (quote, production, shipping), with what it implies."""
        with self.store.db.transaction() as cur:
            order = self._load(cur, None, order_id, for_update=True)
            now = self.clock()
            if status == "quoted":
                order["quote"] = _quote(order, now)
            if status == "shipped":
                order["shipment"] = {
                    "carrier": "DHL Express",
                    "tracking_number": str(order["order_number"][-6:]),
                    "shipped_at": stamp(now),
                    "estimated_delivery_date": None,
                    "delivered_at": None,
                }
            if status == "cancelled":
                order["cancellation"] = {
                    "reason": "cannot_be_manufactured",
                    "comment": note,
                    "cancelled_by": "manufacturer",
                    "cancelled_at": stamp(now),
                }
            if status == "delivered" and order["shipment"]:
                order["shipment"]["delivered_at"] = stamp(now)
            actor = ("operator", "Production planning") if status != "quoted" else ("system", "Quoting engine")
            self._set_status(cur, order, status, now, actor, note)
            return order

    # -- helpers -----------------------------------------------------------------------------------------------
    def _load(self, cur: Cursor, partner: str | None, order_id: str, *, for_update: bool = False) -> dict[str, Any]:
        doc = self.store.get_order(cur, partner, order_id, for_update=for_update)
        if doc is None:
            raise not_found("Order", order_id)
        order: dict[str, Any] = json.loads(doc)
        return order

    def _set_status(
        self, cur: Cursor, order: dict[str, Any], status: str, now: datetime, actor: tuple[str, str], note: str | None
    ) -> None:
        order["status"], order["updated_at"] = status, stamp(now)
        dump(Order.model_validate(order))  # the document must stay a valid Order
        self.store.update_order(cur, order, _dumps(order))
        self._record(cur, order["order_id"], status, now, actor, note)

    def _record(
        self, cur: Cursor, order_id: str, status: str, now: datetime, actor: tuple[str, str], note: str | None
    ) -> None:
        entry = dump(
            StatusTimelineEntry.model_validate(
                {
                    "status": status,
                    "entered_at": stamp(now),
                    "actor": {"type": actor[0], "display_name": actor[1]},
                    "note": note,
                    "event_id": str(uuid.uuid4()),
                }
            )
        )
        entry["entered_at"] = stamp(now)
        self.store.add_status_event(cur, order_id, entry, _dumps(entry))


def _integral(value: Any) -> Any:
    """Return a JSON value with integral floats as ints, for the idempotency hash: `5.0` and `5` are one number."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**63:
        return int(value)
    if isinstance(value, dict):
        return {k: _integral(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_integral(v) for v in value]
    return value


def _parse(model: Any, body: dict[str, Any]) -> Any:
    """Parse a validated body into its model; what only the model refuses becomes a 422."""
    try:
        return model.model_validate(body)  # the generated models take `5.0` for an integer, as the contract does
    except ValidationError as exc:
        errors = [("body#/" + "/".join(str(p) for p in e["loc"]), e["msg"]) for e in exc.errors()[:100]]
        raise ApiProblem(
            422,
            "validation-error",
            "Your request is not valid.",
            f"{len(errors)} fields of the request body are not valid.",
            errors,
        ) from exc


def _key_in_use() -> ApiProblem:
    return ApiProblem(
        409,
        "idempotency-key-in-use",
        "The Idempotency-Key is in use.",
        "The first request with this Idempotency-Key is still running; retry later.",
    )


def _write_cursor(created_at: str, order_id: str) -> str:
    raw = _dumps({"k": [created_at, order_id]}).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _read_cursor(cursor: str) -> tuple[str, str]:
    """Return the keyset position (created_at, order_id) a cursor carries (`{"k": [created_at, id]}`, base64url)."""
    try:
        data = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        created_at, order_id = data["k"]
        if not (isinstance(created_at, str) and isinstance(order_id, str)):
            raise TypeError(type(created_at))
        return stamp(parse_instant(created_at)), order_id
    except (ValueError, KeyError, TypeError, IndexError) as exc:
        raise _bad_cursor("is not a cursor this API issued") from exc


def _bad_cursor(why: str) -> ApiProblem:
    return ApiProblem(
        400,
        "bad-request",
        "The request is malformed.",
        f"The cursor {why}.",
        [("query.cursor", f"{why}; pass page.next_cursor unchanged, with the same filters")],
    )


def _quote(order: dict[str, Any], now: datetime) -> dict[str, Any]:
    currency = order["currency"]
    subtotal = Decimal(0)
    for item in order["items"]:
        unit = Decimal("12.40")
        total = unit * item["quantity"]
        subtotal += total
        item["unit_price"] = {"amount": f"{unit:.2f}", "currency": currency}
        item["line_total"] = {"amount": f"{total:.2f}", "currency": currency}
    shipping = Decimal("18.00")
    tax = ((subtotal + shipping) * Decimal("0.19")).quantize(Decimal("0.01"))

    def money(amount: Decimal) -> dict[str, str]:
        return {"amount": f"{amount:.2f}", "currency": currency}

    return {
        "quote_id": str(uuid.uuid4()),
        "subtotal": money(subtotal),
        "shipping": money(shipping),
        "tax": money(tax),
        "total": money(subtotal + shipping + tax),
        "lead_time_days": 12,
        "valid_until": stamp(now + timedelta(days=14)),
    }
