"""A 2.6 document upgraded to 3.0 with the same meaning diffs clean, in both directions.

The engine reads both versions into one model (breaking/asyncapi/model.py): a 2.6 ``subscribe`` is a 3.0
``send``, a ``publish`` a ``receive``, ``message.oneOf`` a list of operation messages, the channel name the
address. So a faithful upgrade (or a downgrade) must find nothing at all, not even an ``info`` change.

- the company's ``contracts/order-events/asyncapi.yaml`` (3.0) against its hand-written 2.6 twin
  ``tests/data/asyncapi_upgrade/order-events-2.6.yaml`` (both refer to ``contracts/common/``);
- small pairs, one idiom each: ``oneOf`` messages keyed by ``messageId``, message traits, request/reply
  (2.6: two channels; 3.0: one operation with a ``reply``), channel parameters, ``schemaFormat``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from contractkit.breaking import diff_documents
from contractkit.findings import Finding
from contractkit.loaders import FileStore, open_document

ROOT = Path(__file__).parents[2]
ORDER_EVENTS_30 = ROOT / "contracts" / "order-events" / "asyncapi.yaml"
ORDER_EVENTS_26 = ROOT / "tests" / "data" / "asyncapi_upgrade" / "order-events-2.6.yaml"

INFO = "info: {title: upgrade, version: 1.0.0}\n"

ONEOF_26 = """
asyncapi: 2.6.0
channels:
  order-service.production-jobs:
    bindings:
      amqp:
        is: queue
        queue: {name: order-service.production-jobs, durable: true}
        x-queue-type: quorum
    publish:
      operationId: consumeJobEvents
      bindings: {amqp: {ack: true}}
      message:
        oneOf:
          - messageId: jobStarted
            name: production.job.started
            payload: {$ref: '#/components/schemas/JobStarted'}
          - $ref: '#/components/messages/JobCompleted'
components:
  messages:
    JobCompleted:
      name: production.job.completed
      payload:
        type: object
        required: [job_id, produced_quantity]
        properties:
          job_id: {type: string}
          produced_quantity: {type: integer, minimum: 0}
  schemas:
    JobStarted:
      type: object
      required: [job_id]
      properties:
        job_id: {type: string}
        machine: {type: string}
"""
ONEOF_30 = """
asyncapi: 3.0.0
channels:
  jobs:
    address: order-service.production-jobs
    bindings:
      amqp:
        is: queue
        queue: {name: order-service.production-jobs, durable: true}
        x-queue-type: quorum
    messages:
      started:
        name: production.job.started
        payload: {$ref: '#/components/schemas/JobStarted'}
      completed: {$ref: '#/components/messages/JobCompleted'}
operations:
  consumeJobEvents:
    action: receive
    channel: {$ref: '#/channels/jobs'}
    bindings: {amqp: {ack: true}}
    messages:
      - $ref: '#/channels/jobs/messages/started'
      - $ref: '#/channels/jobs/messages/completed'
components:
  messages:
    JobCompleted:
      name: production.job.completed
      payload:
        type: object
        required: [job_id, produced_quantity]
        properties:
          job_id: {type: string}
          produced_quantity: {type: integer, minimum: 0}
  schemas:
    JobStarted:
      type: object
      required: [job_id]
      properties:
        job_id: {type: string}
        machine: {type: string}
"""

TRAITS_26 = """
asyncapi: 2.6.0
channels:
  order.created:
    bindings: {amqp: {is: routingKey, exchange: {name: orders.events, type: topic, durable: true}}}
    subscribe:
      operationId: publishOrderCreated
      message: {$ref: '#/components/messages/OrderCreated'}
components:
  messages:
    OrderCreated:
      name: order.created
      payload: {type: object, properties: {order_id: {type: string}}}
      traits: [{$ref: '#/components/messageTraits/Traced'}]
  messageTraits:
    Traced:
      contentType: application/json
      headers:
        type: object
        required: [traceparent]
        properties: {traceparent: {type: string}}
      bindings: {amqp: {messageType: order.created}}
"""
TRAITS_30 = """
asyncapi: 3.0.0
channels:
  orderCreated:
    address: order.created
    bindings: {amqp: {is: routingKey, exchange: {name: orders.events, type: topic, durable: true}}}
    messages:
      orderCreated: {$ref: '#/components/messages/OrderCreated'}
operations:
  publishOrderCreated:
    action: send
    channel: {$ref: '#/channels/orderCreated'}
components:
  messages:
    OrderCreated:
      name: order.created
      contentType: application/json
      headers:
        type: object
        required: [traceparent]
        properties: {traceparent: {type: string}}
      payload: {type: object, properties: {order_id: {type: string}}}
      bindings: {amqp: {messageType: order.created}}
"""

# RPC over RabbitMQ: the pricing service reads quote requests from its queue and answers on the requester's
# reply-to queue. 2.6 says it with two channels; 3.0 with one operation and its reply.
REPLY_26 = """
asyncapi: 2.6.0
channels:
  pricing.quote-requests:
    bindings: {amqp: {is: queue, queue: {name: pricing.quote-requests, durable: true}}}
    publish:
      operationId: answerQuoteRequest
      message: {$ref: '#/components/messages/QuoteRequested'}
  pricing.quote-replies:
    bindings: {amqp: {is: queue, queue: {name: pricing.quote-replies, exclusive: true}}}
    subscribe:
      operationId: sendQuote
      message: {$ref: '#/components/messages/QuoteCalculated'}
components:
  messages:
    QuoteRequested:
      name: pricing.quote_requested
      payload: {type: object, required: [order_id], properties: {order_id: {type: string}}}
    QuoteCalculated:
      name: pricing.quote_calculated
      payload: {type: object, required: [total], properties: {total: {type: number}}}
"""
REPLY_30 = """
asyncapi: 3.0.0
channels:
  quoteRequests:
    address: pricing.quote-requests
    bindings: {amqp: {is: queue, queue: {name: pricing.quote-requests, durable: true}}}
    messages:
      quoteRequested: {$ref: '#/components/messages/QuoteRequested'}
  quoteReplies:
    address: pricing.quote-replies
    bindings: {amqp: {is: queue, queue: {name: pricing.quote-replies, exclusive: true}}}
    messages:
      quoteCalculated: {$ref: '#/components/messages/QuoteCalculated'}
operations:
  answerQuoteRequest:
    action: receive
    channel: {$ref: '#/channels/quoteRequests'}
    reply:
      channel: {$ref: '#/channels/quoteReplies'}
components:
  messages:
    QuoteRequested:
      name: pricing.quote_requested
      payload: {type: object, required: [order_id], properties: {order_id: {type: string}}}
    QuoteCalculated:
      name: pricing.quote_calculated
      payload: {type: object, required: [total], properties: {total: {type: number}}}
"""

PARAMETERS_26 = """
asyncapi: 2.6.0
channels:
  order.created.{region}:
    parameters:
      region:
        description: The sales region.
        schema: {type: string, enum: [eu, us]}
    bindings: {amqp: {is: routingKey, exchange: {name: orders.events, type: topic, durable: true}}}
    subscribe:
      operationId: publishOrderCreated
      message:
        name: order.created
        payload: {type: object, properties: {order_id: {type: string}}}
"""
PARAMETERS_30 = """
asyncapi: 3.0.0
channels:
  orderCreated:
    address: order.created.{region}
    parameters:
      region:
        description: The sales region.
        enum: [eu, us]
    bindings: {amqp: {is: routingKey, exchange: {name: orders.events, type: topic, durable: true}}}
    messages:
      orderCreated:
        name: order.created
        payload: {type: object, properties: {order_id: {type: string}}}
operations:
  publishOrderCreated:
    action: send
    channel: {$ref: '#/channels/orderCreated'}
    messages: [{$ref: '#/channels/orderCreated/messages/orderCreated'}]
"""

SCHEMA_FORMAT_26 = """
asyncapi: 2.6.0
channels:
  order.created:
    subscribe:
      operationId: publishOrderCreated
      message:
        name: order.created
        schemaFormat: application/vnd.aai.asyncapi+yaml;version=2.6.0
        payload: {type: object, properties: {order_id: {type: string}}}
"""
SCHEMA_FORMAT_30 = """
asyncapi: 3.0.0
channels:
  orderCreated:
    address: order.created
    messages:
      orderCreated:
        name: order.created
        payload:
          schemaFormat: application/vnd.aai.asyncapi+yaml;version=3.0.0
          schema: {type: object, properties: {order_id: {type: string}}}
operations:
  publishOrderCreated:
    action: send
    channel: {$ref: '#/channels/orderCreated'}
"""

PAIRS = [
    pytest.param(ONEOF_26, ONEOF_30, id="oneof-messages"),
    pytest.param(TRAITS_26, TRAITS_30, id="message-traits"),
    pytest.param(REPLY_26, REPLY_30, id="request-reply"),
    pytest.param(PARAMETERS_26, PARAMETERS_30, id="channel-parameters"),
    pytest.param(SCHEMA_FORMAT_26, SCHEMA_FORMAT_30, id="schema-format"),
]


def _diff(base: Path, revision: Path, root: Path) -> list[Finding]:
    store = FileStore()
    return diff_documents(
        open_document(base, store=store, root_dir=root), open_document(revision, store=store, root_dir=root)
    )


def _shown(findings: list[Finding]) -> list[str]:
    return [f"{f.rule_id}: {f.message}" for f in findings]


@pytest.mark.parametrize("upgrade", [True, False], ids=["2.6-to-3.0", "3.0-to-2.6"])
def test_order_events_upgraded_to_30_diffs_clean(upgrade: bool) -> None:
    base, revision = (ORDER_EVENTS_26, ORDER_EVENTS_30) if upgrade else (ORDER_EVENTS_30, ORDER_EVENTS_26)
    assert _shown(_diff(base, revision, ROOT)) == []


@pytest.mark.parametrize("upgrade", [True, False], ids=["2.6-to-3.0", "3.0-to-2.6"])
@pytest.mark.parametrize(("v26", "v30"), PAIRS)
def test_small_pair_upgraded_to_30_diffs_clean(v26: str, v30: str, upgrade: bool, tmp_path: Path) -> None:
    old, new = tmp_path / "v26.yaml", tmp_path / "v30.yaml"
    for path, text in ((old, v26), (new, v30)):
        version, rest = text.lstrip().split("\n", 1)
        path.write_text(f"{version}\n{INFO}{rest}")
    base, revision = (old, new) if upgrade else (new, old)
    assert _shown(_diff(base, revision, tmp_path)) == []


@pytest.mark.parametrize(("v26", "v30"), [p for p in PAIRS if not p.marks])
def test_small_pair_is_not_trivially_clean(v26: str, v30: str, tmp_path: Path) -> None:
    """The pairs are evidence only if a real change to them is found: drop the 3.0 side's operations."""
    old, new = tmp_path / "v26.yaml", tmp_path / "v30.yaml"
    old.write_text(v26.replace("asyncapi: 2.6.0\n", f"asyncapi: 2.6.0\n{INFO}"))
    new.write_text(v30.replace("asyncapi: 3.0.0\n", f"asyncapi: 3.0.0\n{INFO}").split("operations:")[0])
    assert "async-operation-removed" in {f.rule_id for f in _diff(old, new, tmp_path)}
