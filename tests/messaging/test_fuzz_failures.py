"""The message fuzzer against a consumer that swallows what it cannot read: every invalid message it ate is a
failure, and the `reproduce with:` command, run as printed, sends the same messages and fails the same way.

A module of its own: the reference services of test_examples.py also consume `order-service.production-jobs`,
and a second consumer would share the messages with them at random.
"""

from __future__ import annotations

import asyncio
import re
import shlex
import threading
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from contractkit.cli.app import app as cli
from contractkit.messagefuzz import MessageFuzzOptions, run_message_fuzz
from contractkit.messaging.errors import masked_url
from contractkit.messaging.testing import LocalBroker

from ._support import ORDER_EVENTS, ROOT, clean_broker


class CarelessConsumer:
    """A consumer of `order-service.production-jobs` that acknowledges everything unvalidated, in its own thread."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.error: BaseException | None = None
        self._ready = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        try:
            asyncio.run(self._serve())
        except BaseException as exc:  # shown by __enter__
            self.error = exc
            self._ready.set()

    async def _serve(self) -> None:
        import aio_pika

        from contractkit.messaging.aiopika import declare

        await declare(ORDER_EVENTS, self.url)
        connection = await aio_pika.connect(self.url)
        channel = await connection.channel()
        queue = await channel.get_queue("order-service.production-jobs", ensure=False)

        async def swallow(message: Any) -> None:
            await message.ack()  # acknowledged, never looked at: an invalid message is silently lost

        await queue.consume(swallow)
        self._ready.set()
        while not self._stop.is_set():
            await asyncio.sleep(0.05)
        await connection.close()

    def __enter__(self) -> CarelessConsumer:
        self._thread.start()
        assert self._ready.wait(30), "the careless consumer did not start"
        if self.error is not None:
            raise self.error
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(30)


def _failed_messages(output: str) -> list[str]:
    return sorted(re.findall(r"message ([0-9a-f-]{36}) \(", output))


def test_the_printed_command_repeats_the_failing_messages(
    rabbit: LocalBroker, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Run from another folder with --catalog: the printed command names it, and every option that changes what is
    sent or judged (another -n or --mode sends other messages, with other ids). One run waits ~10 s for the dead
    letters that never come, so one case holds every option."""
    options = ["-n", "2", "--settle", "0.3", "--mode", "negative"]
    asyncio.run(clean_broker(rabbit.url))
    monkeypatch.chdir(tmp_path)
    catalog = str(ROOT / "contracts" / "catalog.yaml")
    first_args = ["fuzz", "order-events", "--catalog", catalog, "--amqp-url", rabbit.url, "--seed", "5", *options]
    with CarelessConsumer(rabbit.url):
        first = CliRunner().invoke(cli, [*first_args, "--include", "consumeProductionJobEvents"])
        assert first.exit_code == 1, first.stdout + first.stderr
        commands = set(re.findall(r"reproduce with:\n   (.*)\n", first.stdout))
        assert len(commands) == 1, first.stdout
        command = commands.pop()
        assert " ".join(options) in command and f"--catalog {catalog}" in command, command
        words = shlex.split(command)
        assert words[:2] == ["contractkit", "fuzz"]
        again = CliRunner().invoke(cli, words[1:])
    assert again.exit_code == 1, again.stdout + again.stderr
    assert _failed_messages(first.stdout)
    assert _failed_messages(again.stdout) == _failed_messages(first.stdout)
    assert again.stdout.count("invalid-dead-lettered failed") == first.stdout.count("invalid-dead-lettered failed")


def test_the_fuzzer_finds_a_service_that_drops_invalid_messages(rabbit: LocalBroker) -> None:
    """A consumer that acknowledges everything unvalidated: the fuzzer reports every invalid message it ate."""
    asyncio.run(clean_broker(rabbit.url))
    options = MessageFuzzOptions(max_examples=3, seed=5, include=("consumeProductionJobEvents",), settle=0.5)
    with CarelessConsumer(rabbit.url):
        result = run_message_fuzz(ORDER_EVENTS, rabbit.url, options)
    assert not result.ok
    assert {f.check for f in result.failures} == {"invalid-dead-lettered"}
    assert len(result.failures) == 3 * 3  # each of its 3 messages: 2 invalid ones drawn, 1 broken JSON
    assert {f.curl for f in result.failures} == {
        f"contractkit fuzz {ORDER_EVENTS} --amqp-url {masked_url(rabbit.url)} --seed 5 -n 3 --settle 0.5 "
        "--include consumeProductionJobEvents"
    }
