"""A throwaway RabbitMQ node on 127.0.0.1 for contract tests and benchmarks (Debian's ``rabbitmq-server``).

Each node has its own name, ports (AMQP, distribution, and its own ``epmd``), data, log and feature-flag files in
a temporary folder owned by the ``rabbitmq`` user (the server scripts drop to it), no plugins, and
``guest``/``guest`` allowed from the loopback. It answers within a few seconds::

    with LocalBroker.start() as broker:
        url = broker.url          # amqp://guest:guest@127.0.0.1:<port>/
        broker.restart()          # stop and start the node; durable queues and persistent messages survive

Run as root (the scripts switch to ``rabbitmq`` themselves) or as a user with password-less ``sudo``.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from pathlib import Path
from types import TracebackType
from typing import Self

from contractkit.messaging.errors import BrokerUnreachable

_SERVER = "/usr/sbin/rabbitmq-server"
_CTL = "/usr/sbin/rabbitmqctl"
_START_TIMEOUT = 60.0


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class LocalBroker:
    """One RabbitMQ node of its own (see the module docstring)."""

    def __init__(self, base: Path, name: str, port: int, dist_port: int, epmd_port: int) -> None:
        """Describe a node (use :meth:`start`)."""
        self.base = base
        self.node = f"{name}@localhost"
        self.port = port
        self.dist_port = dist_port
        self.epmd_port = epmd_port
        self._process: subprocess.Popen[bytes] | None = None
        self._watchdog: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        """Return the AMQP URL of the node."""
        return f"amqp://guest:guest@127.0.0.1:{self.port}/"

    @classmethod
    def start(cls) -> LocalBroker:
        """Start a new node and wait until it answers.

        Raises:
            BrokerUnreachable: ``rabbitmq-server`` is not installed, or the node did not come up (its log's tail
                is in the message).
        """
        if not Path(_SERVER).exists():
            raise BrokerUnreachable(
                f"{_SERVER} is not installed",
                tip="install it: `apt-get install -y --no-install-recommends rabbitmq-server` (.ci/run does).",
            )
        base = Path(tempfile.mkdtemp(prefix="contractkit-rabbit-"))
        name = f"ck{uuid.uuid4().hex[:10]}"
        broker = cls(base, name, _free_port(), _free_port(), _free_port())
        broker._prepare()
        broker._launch()
        broker._watch()
        return broker

    def __enter__(self) -> Self:
        """Return the started node."""
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        """Stop the node and remove its files."""
        self.stop()

    def _prepare(self) -> None:
        (self.base / "enabled_plugins").write_text("[].\n")
        (self.base / "rabbitmq.conf").write_text(
            f"listeners.tcp.1 = 127.0.0.1:{self.port}\nloopback_users = none\n"
            "log.console = false\nlog.file.level = warning\n"
            # the DLQ tool and the benchmarks hold many unacknowledged messages; a disk alarm must not stall tests
            "disk_free_limit.absolute = 50MB\n"
        )
        for path in (self.base, *self.base.iterdir()):
            shutil.chown(path, "rabbitmq", "rabbitmq")
        self.base.chmod(0o755)

    def _env(self) -> dict[str, str]:
        return {
            **os.environ,
            "RABBITMQ_NODENAME": self.node,
            "RABBITMQ_NODE_IP_ADDRESS": "127.0.0.1",
            "RABBITMQ_NODE_PORT": str(self.port),
            "RABBITMQ_DIST_PORT": str(self.dist_port),
            "ERL_EPMD_PORT": str(self.epmd_port),
            "ERL_EPMD_ADDRESS": "127.0.0.1",
            "RABBITMQ_MNESIA_BASE": str(self.base / "mnesia"),
            "RABBITMQ_LOG_BASE": str(self.base / "log"),
            "RABBITMQ_FEATURE_FLAGS_FILE": str(self.base / "feature_flags"),
            "RABBITMQ_ENABLED_PLUGINS_FILE": str(self.base / "enabled_plugins"),
            "RABBITMQ_CONFIG_FILE": str(self.base / "rabbitmq"),
            "RABBITMQ_PID_FILE": str(self.base / "node.pid"),
        }

    def _command(self, *args: str) -> list[str]:
        if os.geteuid() == 0:
            return list(args)
        return ["sudo", "-n", "-E", *args]

    def _launch(self) -> None:
        log = (self.base / "server.out").open("ab")
        self._process = subprocess.Popen(
            self._command(_SERVER), env=self._env(), stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        log.close()
        deadline = time.monotonic() + _START_TIMEOUT
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                break
            if self.ctl("await_startup", "--timeout", "5", check=False).returncode == 0 and self._accepts():
                return
            time.sleep(0.3)
        tail = self._log_tail()
        self.stop()
        raise BrokerUnreachable(
            f"RabbitMQ node {self.node} did not start within {_START_TIMEOUT:.0f} s:\n{tail}",
            tip="run `rabbitmq-server` by hand to see why (ports, permissions of the data folder).",
        )

    def _watch(self) -> None:
        """Start a watchdog that stops the node if this process dies without stopping it (a killed test run)."""
        ctl = " ".join(self._command(_CTL, "-n", self.node, "stop"))
        script = (
            f"while kill -0 {os.getpid()} 2>/dev/null; do sleep 1; done; {ctl} >/dev/null 2>&1; "
            "for i in 1 2 3 4 5 6 7 8 9 10; do epmd -kill >/dev/null 2>&1 && break; sleep 1; done; "
            f"rm -rf '{self.base}'"
        )
        self._watchdog = subprocess.Popen(
            ["sh", "-c", script], env=self._env(), start_new_session=True, stdout=subprocess.DEVNULL
        )

    def _accepts(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                return True
        except OSError:
            return False

    def ctl(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        """Run ``rabbitmqctl -n NODE ARGS`` against this node."""
        return subprocess.run(
            self._command(_CTL, "-n", self.node, *args),
            env=self._env(),
            capture_output=True,
            text=True,
            check=check,
            timeout=60,
        )

    def restart(self) -> None:
        """Stop the node (every connection drops) and start it again with the same data."""
        self._stop_node()
        self._launch()

    def _stop_node(self) -> None:
        if self._process is None:
            return
        self.ctl("stop", check=False)
        try:
            self._process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self._process.pid, 9)
            self._process.wait(timeout=10)
        self._process = None

    def stop(self) -> None:
        """Stop the node and the ``epmd`` it started on its own port, and remove its files."""
        if self._watchdog is not None:
            self._watchdog.kill()
            self._watchdog.wait(timeout=10)
            self._watchdog = None
        self._stop_node()
        epmd = shutil.which("epmd") or next(iter(sorted(Path("/usr/lib/erlang").glob("erts-*/bin/epmd"))), None)
        for _ in range(10 if epmd is not None else 0):  # it refuses while the stopped node is still registered
            done = subprocess.run([str(epmd), "-kill"], env=self._env(), capture_output=True, check=False, timeout=30)
            if done.returncode == 0:
                break
            time.sleep(0.5)
        shutil.rmtree(self.base, ignore_errors=True)

    def _log_tail(self) -> str:
        texts = []
        for path in [self.base / "server.out", *sorted((self.base / "log").glob("*.log"))]:
            try:
                texts.append(path.read_text(errors="replace")[-2000:])
            except OSError:
                continue
        return "\n".join(texts)
