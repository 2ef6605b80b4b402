"""The contract model every engine can read: typed views over a loaded :class:`~contractkit.loaders.Document`.

- :mod:`contractkit.spec.walk`: the operations of an OpenAPI document (paths, then 3.1 webhooks, callbacks;
  effective parameters) and the messages of an AsyncAPI 2.x/3.x document (traits applied), in document order: the
  one walk of lint, breaking, codegen, the runtime's router and the fuzzer.
- :mod:`contractkit.spec.traits`: AsyncAPI message and operation traits applied, one merge as the specification
  states it, JSON Merge Patch (deep; 2.x: a trait on top of the object; 3.x: the object on top of its traits), for
  lint's walk, the AsyncAPI view and so the breaking model, codegen and the message runtime; a field one layer
  says kept at the place it is written.
- :mod:`contractkit.spec.servers`: the base paths of an OpenAPI document, by the one rule the middleware routes by,
  the fuzzer sends to and the breaking engine keys operations by.
- :mod:`contractkit.spec.markers`: what a contract says about its own lifecycle (deprecated, ``x-sunset``, the
  ``Sunset`` header, stability), read the same way by lint and breaking.
- :mod:`contractkit.spec.asyncapi`: channels, operations and messages of AsyncAPI 2.x and 3.x (message traits
  applied, AMQP bindings typed, channel parameters, 3.x replies), in one model for both versions: the one walk of
  ``channels`` and ``operations``, read by the messaging runtime, the message fuzzer, the breaking model and codegen.
- :mod:`contractkit.spec.schemas`: one schema of a document as a standalone JSON Schema (every ``$ref``, local or
  into another file, moved into ``$defs``), ready to compile.
- :mod:`contractkit.spec.flatten`: the one ``$ref`` flattener, one walk over the refs that leave the root file, in two
  modes: every external target copied in place (``inline_external``: validate, the runtime, lint's example check,
  codegen) or hoisted into ``components`` under a name, what no section holds copied in place (``bundle_document``:
  ``bundle``, ``package``, the fuzzer); with ``_shapes`` (what kind of object lives at each place) and ``_names``
  (the names hoisted components take).
- :mod:`contractkit.spec.normalise`: the one schema normaliser, an OpenAPI 3.0/3.1 or AsyncAPI Schema Object ->
  JSON Schema 2020-12 (the middleware's and the message runtime's validators, lint's example check).

The kinds of contract (:class:`~contractkit.kinds.SpecKind`) are one layer lower, in :mod:`contractkit.kinds`,
so that the loaders can tell them apart.
"""
