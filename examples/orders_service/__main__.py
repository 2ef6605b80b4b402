"""Serve the b2b-orders reference service: `python -m examples.orders_service --port 8080` from the repo root."""

from __future__ import annotations

import argparse
import os
from collections.abc import Sequence

import uvicorn

from .app import create_app


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the command line and serve until interrupted; returns the exit code."""
    parser = argparse.ArgumentParser(prog="python -m examples.orders_service", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8080, help="port to bind (default 8080)")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("ORDERS_DATABASE_URL"),
        help="sqlite:///orders.db, sqlite:///:memory: (default) or postgresql://user@host/db (env ORDERS_DATABASE_URL)",
    )
    parser.add_argument("--rate-limit", type=int, default=None, help="requests per minute and partner (default 6000)")
    parser.add_argument(
        "--response-validation", choices=("off", "report", "enforce"), default="off", help="check responses too"
    )
    parser.add_argument("--log-level", default="info", help="uvicorn log level (default info)")
    args = parser.parse_args(argv)
    app = create_app(args.database_url, rate_limit=args.rate_limit, response_validation=args.response_validation)
    uvicorn.run(app, host=args.host, port=args.port, log_level=args.log_level, lifespan="on")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
