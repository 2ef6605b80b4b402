"""The contract model every engine can read: typed views over a loaded :class:`~contractkit.loaders.Document`.

- :mod:`contractkit.spec.asyncapi`: channels, operations and messages of AsyncAPI 2.x and 3.x (message traits
  applied, AMQP bindings typed), in one model for both versions.
- :mod:`contractkit.spec.schemas`: one schema of a document as a standalone JSON Schema (every ``$ref``, local or
  into another file, moved into ``$defs``), ready to compile.
"""
