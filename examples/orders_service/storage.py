"""Storage: one small `Database` interface (SQLite, PostgreSQL) and `OrderStore`, which holds all the SQL.

The SQL is written once, with `?` placeholders, in the subset SQLite and PostgreSQL share; `PostgresDatabase`
rewrites the placeholders for psycopg. An order is stored as its contract JSON document (`doc`) next to the
columns that lists filter and sort on; keyset pagination walks the `(partner_id, created_at, order_id)` index.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import unquote, urlsplit

SCHEMA = (
    """CREATE TABLE IF NOT EXISTS orders (
        order_id TEXT PRIMARY KEY,
        partner_id TEXT NOT NULL,
        order_number TEXT NOT NULL UNIQUE,
        status TEXT NOT NULL,
        customer_reference TEXT NOT NULL,
        created_at TEXT NOT NULL,
        doc TEXT NOT NULL
    )""",
    "CREATE INDEX IF NOT EXISTS orders_by_partner_created ON orders (partner_id, created_at, order_id)",
    """CREATE TABLE IF NOT EXISTS status_events (
        event_id TEXT PRIMARY KEY,
        order_id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        doc TEXT NOT NULL,
        UNIQUE (order_id, seq)
    )""",
    """CREATE TABLE IF NOT EXISTS model_files (
        file_id TEXT PRIMARY KEY,
        order_id TEXT NOT NULL,
        item_id TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        doc TEXT NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS idempotency_keys (
        partner_id TEXT NOT NULL,
        idempotency_key TEXT NOT NULL,
        request_hash TEXT NOT NULL,
        order_id TEXT NOT NULL,
        response TEXT NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (partner_id, idempotency_key)
    )""",
    "CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL)",
    "INSERT INTO counters (name, value) VALUES ('order_number', 0) ON CONFLICT (name) DO NOTHING",
)


class Cursor(Protocol):
    """The part of a DB-API cursor the store uses (sqlite3 and psycopg both have it)."""

    @property
    def rowcount(self) -> int:
        """Rows changed by the last statement."""

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        """Run one statement."""

    def fetchone(self) -> Any:
        """Return the next row or None."""

    def fetchall(self) -> list[Any]:
        """Return the remaining rows."""


class Database(Protocol):
    """A connection source that runs a block of statements in one transaction."""

    def transaction(self) -> Any:
        """Return a context manager yielding a `Cursor`; commits on success, rolls back on an exception."""

    def close(self) -> None:
        """Release every connection."""


class SqliteDatabase:
    """SQLite through the standard library: one connection, one writer at a time (as SQLite itself)."""

    def __init__(self, path: str) -> None:
        """Open (and create) the database file, or a private in-memory database for `:memory:`."""
        self.path = path
        self._conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._lock = threading.Lock()
        if path != ":memory:":
            self._conn.execute("PRAGMA journal_mode=WAL")
            self._conn.execute("PRAGMA synchronous=NORMAL")

    @contextmanager
    def transaction(self) -> Iterator[Cursor]:
        """Run the block in `BEGIN IMMEDIATE` ... `COMMIT` under the connection's lock."""
        with self._lock:
            cur = self._conn.cursor()
            cur.execute("BEGIN IMMEDIATE")
            try:
                yield cur
            except BaseException:
                self._conn.rollback()
                raise
            else:
                self._conn.commit()
            finally:
                cur.close()

    def close(self) -> None:
        """Close the connection."""
        self._conn.close()


class _PgCursor:
    """A psycopg cursor that takes the store's `?` placeholders."""

    def __init__(self, cur: Any) -> None:
        self._cur = cur

    @property
    def rowcount(self) -> int:
        return int(self._cur.rowcount)

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        return self._cur.execute(sql.replace("?", "%s"), tuple(params))

    def fetchone(self) -> Any:
        return self._cur.fetchone()

    def fetchall(self) -> list[Any]:
        return list(self._cur.fetchall())


class PostgresDatabase:
    """PostgreSQL through psycopg 3, with a small pool of connections (one per concurrent request)."""

    def __init__(self, url: str, *, max_idle: int = 8) -> None:
        """Check that psycopg is importable and the server answers."""
        try:
            import psycopg
        except ImportError as exc:
            raise RuntimeError("a postgresql:// database URL needs psycopg 3: pip install 'psycopg[binary]'") from exc
        self._psycopg = psycopg
        self.url = url
        self._idle: list[Any] = []
        self._max_idle = max_idle
        self._lock = threading.Lock()
        self._put(self._connect())

    def _connect(self) -> Any:
        return self._psycopg.connect(self.url, autocommit=False)

    def _get(self) -> Any:
        with self._lock:
            if self._idle:
                return self._idle.pop()
        return self._connect()

    def _put(self, conn: Any) -> None:
        with self._lock:
            if len(self._idle) < self._max_idle and not conn.closed:
                self._idle.append(conn)
                return
        conn.close()

    @contextmanager
    def transaction(self) -> Iterator[Cursor]:
        """Run the block in one transaction on a pooled connection."""
        conn = self._get()
        try:
            with conn.cursor() as cur:
                try:
                    yield _PgCursor(cur)
                except BaseException:
                    conn.rollback()
                    raise
                else:
                    conn.commit()
        finally:
            self._put(conn)

    def close(self) -> None:
        """Close every idle connection."""
        with self._lock:
            idle, self._idle = self._idle, []
        for conn in idle:
            conn.close()


def open_database(url: str | None) -> Database:
    """Open the database a URL names and create the schema (`CREATE TABLE IF NOT EXISTS`).

    Args:
        url: `None` or `sqlite:///:memory:` (a private in-memory database), `sqlite:///relative.db`,
            `sqlite:////absolute/path.db`, a plain file path, or `postgresql://user@host:port/db`.

    Returns:
        The database, schema in place.
    """
    url = url or "sqlite:///:memory:"
    parts = urlsplit(url)
    db: Database
    if parts.scheme in ("postgresql", "postgres"):
        db = PostgresDatabase(url)
    elif parts.scheme == "sqlite":
        db = SqliteDatabase(unquote(parts.path[1:]) or ":memory:")
    elif parts.scheme == "":
        db = SqliteDatabase(url)
    else:
        raise ValueError(f"unsupported database URL scheme {parts.scheme!r}: use sqlite:/// or postgresql://")
    with db.transaction() as cur:
        for statement in SCHEMA:
            cur.execute(statement)
    return db


@dataclass(frozen=True, slots=True)
class OrderFilter:
    """The filters and sort of a list (the cursor is bound to them)."""

    statuses: tuple[str, ...] = ()
    created_after: str | None = None
    created_before: str | None = None
    customer_reference: str | None = None
    ascending: bool = False


@dataclass(frozen=True, slots=True)
class StoredKey:
    """An Idempotency-Key already used by the partner."""

    request_hash: str
    order_id: str
    response: str


class OrderStore:
    """Every statement the service runs. Methods take the transaction's cursor, so a caller composes them."""

    def __init__(self, db: Database) -> None:
        """Wrap an open database."""
        self.db = db

    # -- idempotency ---------------------------------------------------------------------------------------
    @staticmethod
    def claim_key(
        cur: Cursor, partner: str, key: str, request_hash: str, order_id: str, response: str, now: str
    ) -> bool:
        """Record the key with its response; False when the partner already used it (nothing written)."""
        cur.execute(
            "INSERT INTO idempotency_keys (partner_id, idempotency_key, request_hash, order_id, response, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (partner_id, idempotency_key) DO NOTHING",
            (partner, key, request_hash, order_id, response, now),
        )
        return cur.rowcount == 1

    @staticmethod
    def find_key(cur: Cursor, partner: str, key: str) -> StoredKey | None:
        """Return what the key was used for, if it was."""
        cur.execute(
            "SELECT request_hash, order_id, response FROM idempotency_keys"
            " WHERE partner_id = ? AND idempotency_key = ?",
            (partner, key),
        )
        row = cur.fetchone()
        return StoredKey(row[0], row[1], row[2]) if row else None

    # -- orders --------------------------------------------------------------------------------------------
    @staticmethod
    def next_order_number(cur: Cursor) -> int:
        """Return the next value of the order-number counter."""
        cur.execute("UPDATE counters SET value = value + 1 WHERE name = 'order_number'")
        cur.execute("SELECT value FROM counters WHERE name = 'order_number'")
        return int(cur.fetchone()[0])

    @staticmethod
    def insert_order(cur: Cursor, partner: str, order: dict[str, Any], doc: str) -> None:
        """Insert a new order (its document and the columns lists use)."""
        cur.execute(
            "INSERT INTO orders (order_id, partner_id, order_number, status, customer_reference, created_at, doc)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                order["order_id"],
                partner,
                order["order_number"],
                order["status"],
                order["customer_reference"],
                order["created_at"],
                doc,
            ),
        )

    @staticmethod
    def update_order(cur: Cursor, order: dict[str, Any], doc: str) -> None:
        """Store the new document and status of an order."""
        cur.execute(
            "UPDATE orders SET status = ?, doc = ? WHERE order_id = ?", (order["status"], doc, order["order_id"])
        )

    @staticmethod
    def get_order(cur: Cursor, partner: str | None, order_id: str, *, for_update: bool = False) -> str | None:
        """Return an order's document (`partner=None`: any partner's, for operators), or None."""
        sql = "SELECT doc FROM orders WHERE order_id = ?"
        params: list[Any] = [order_id]
        if partner is not None:
            sql += " AND partner_id = ?"
            params.append(partner)
        if for_update and isinstance(cur, _PgCursor):
            sql += " FOR UPDATE"
        cur.execute(sql, params)
        row = cur.fetchone()
        return str(row[0]) if row else None

    @staticmethod
    def list_orders(
        cur: Cursor, partner: str, where: OrderFilter, after: tuple[str, str] | None, limit: int
    ) -> list[str]:
        """Return up to `limit` order documents after the keyset position `after` (created_at, order_id)."""
        clauses = ["partner_id = ?"]
        params: list[Any] = [partner]
        if where.statuses:
            clauses.append(f"status IN ({', '.join('?' for _ in where.statuses)})")
            params.extend(where.statuses)
        if where.created_after is not None:
            clauses.append("created_at >= ?")
            params.append(where.created_after)
        if where.created_before is not None:
            clauses.append("created_at < ?")
            params.append(where.created_before)
        if where.customer_reference is not None:
            clauses.append("customer_reference = ?")
            params.append(where.customer_reference)
        op, direction = (">", "ASC") if where.ascending else ("<", "DESC")
        if after is not None:
            clauses.append(f"(created_at {op} ? OR (created_at = ? AND order_id {op} ?))")
            params.extend((after[0], after[0], after[1]))
        sql = (
            f"SELECT doc FROM orders WHERE {' AND '.join(clauses)}"
            f" ORDER BY created_at {direction}, order_id {direction} LIMIT ?"
        )
        cur.execute(sql, [*params, limit])
        return [str(row[0]) for row in cur.fetchall()]

    # -- status timeline -------------------------------------------------------------------------------------
    @staticmethod
    def add_status_event(cur: Cursor, order_id: str, event: dict[str, Any], doc: str) -> None:
        """Append an entry to an order's status timeline."""
        cur.execute("SELECT COALESCE(MAX(seq), 0) FROM status_events WHERE order_id = ?", (order_id,))
        seq = int(cur.fetchone()[0]) + 1
        cur.execute(
            "INSERT INTO status_events (event_id, order_id, seq, doc) VALUES (?, ?, ?, ?)",
            (event["event_id"], order_id, seq, doc),
        )

    @staticmethod
    def status_events(cur: Cursor, order_id: str) -> list[str]:
        """Return an order's timeline entries, oldest first."""
        cur.execute("SELECT doc FROM status_events WHERE order_id = ? ORDER BY seq", (order_id,))
        return [str(row[0]) for row in cur.fetchall()]

    # -- model files ---------------------------------------------------------------------------------------
    @staticmethod
    def put_model_file(
        cur: Cursor, order_id: str, item_id: str, expires_at: str, file: dict[str, Any], doc: str
    ) -> None:
        """Insert or replace a model file."""
        cur.execute(
            "INSERT INTO model_files (file_id, order_id, item_id, expires_at, doc) VALUES (?, ?, ?, ?, ?)"
            " ON CONFLICT (file_id) DO UPDATE SET doc = excluded.doc",
            (file["file_id"], order_id, item_id, expires_at, doc),
        )

    @staticmethod
    def get_model_file(cur: Cursor, order_id: str, file_id: str) -> tuple[str, str, str] | None:
        """Return (item_id, expires_at, document) of an order's model file, or None."""
        cur.execute(
            "SELECT item_id, expires_at, doc FROM model_files WHERE order_id = ? AND file_id = ?", (order_id, file_id)
        )
        row = cur.fetchone()
        return (str(row[0]), str(row[1]), str(row[2])) if row else None
