"""Serve a test app with uvicorn: `python tests/fuzz/_serve.py --port P --app tiny|orders [--defect NAME]`.

Run as a script by the fuzz tests' `serve` fixture (a real server in a subprocess, on a loopback port).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parents[1])]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--app", choices=("tiny", "orders"), required=True)
    parser.add_argument("--defect", default=None)
    args = parser.parse_args()

    import uvicorn

    if args.app == "tiny":
        from _tiny_app import create_app

        app = create_app(args.defect)
    else:
        from _defects import orders_app

        app = orders_app(args.defect)
    uvicorn.run(app, host="127.0.0.1", port=args.port, log_level="warning", lifespan="on")


if __name__ == "__main__":
    main()
