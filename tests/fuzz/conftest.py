from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
READY_DEADLINE = 30.0

Serve = Callable[..., str]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _accepts(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return True
    except OSError:
        return False


@pytest.fixture
def serve() -> Iterator[Serve]:
    """Start `tests/fuzz/_serve.py` with uvicorn on a free loopback port; return its base URL (no path)."""
    processes: list[subprocess.Popen[bytes]] = []

    def start(app: str, defect: str | None = None) -> str:
        port = free_port()
        command = [sys.executable, str(HERE / "_serve.py"), "--port", str(port), "--app", app]
        if defect:
            command += ["--defect", defect]
        process = subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        processes.append(process)
        deadline = time.monotonic() + READY_DEADLINE
        while not _accepts(port):
            if process.poll() is not None:
                output = process.stdout.read().decode(errors="replace") if process.stdout else ""
                pytest.fail(f"the {app} service exited with {process.returncode}:\n{output}")
            if time.monotonic() > deadline:
                pytest.fail(f"the {app} service did not listen on port {port} within {READY_DEADLINE:g} s")
            time.sleep(0.05)  # polling the port, not waiting for an outcome
        return f"http://127.0.0.1:{port}"

    yield start
    for process in processes:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stdout:
            process.stdout.close()
