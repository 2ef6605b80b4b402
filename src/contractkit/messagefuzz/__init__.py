"""Contract tests for live message services: the message twin of :mod:`contractkit.fuzz` (``--amqp-url``).

Needs the ``fuzz`` extra (Schemathesis draws the payloads) and the ``messaging`` extra (aio-pika).
"""

from contractkit.messagefuzz.runner import CHECKS, MessageFuzzOptions, run_message_fuzz, run_message_fuzz_async

__all__ = ["CHECKS", "MessageFuzzOptions", "run_message_fuzz", "run_message_fuzz_async"]
