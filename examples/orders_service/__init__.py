"""A reference implementation of the `b2b-orders` contract (Starlette + SQLite/PostgreSQL); see README.md."""

from __future__ import annotations

from .app import create_app
from .service import OrderService
from .storage import OrderStore, open_database

__all__ = ["OrderService", "OrderStore", "create_app", "open_database"]
