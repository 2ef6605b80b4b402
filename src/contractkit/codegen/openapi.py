"""What to generate from an OpenAPI contract: its component schemas and the schemas its operations name inline.

Component schemas keep their key. An operation's inline request body is ``<Operation>Request``, its first 2xx
response ``<Operation>Response`` and any other inline response ``<Operation><Status phrase>Response``
(``ListOrdersNotFoundResponse``); a body that is a ``$ref`` gets the operation name as an alias
(``CreateOrderRequest = OrderCreate``). Inline parameter schemas that become classes are ``<Operation><Param>``.
``<Operation>`` is the ``operationId`` in PascalCase, or the method and path (``GetOrdersByOrderId``).
"""

from __future__ import annotations

from contractkit.codegen.naming import pascal, status_phrase, words
from contractkit.codegen.schemas import Example, SchemaSet
from contractkit.loaders.document import Cursor
from contractkit.spec.walk import Operation, operations


def collect_openapi(schemas: SchemaSet) -> None:
    """Add every schema of the OpenAPI document of ``schemas`` that needs a class, with its name."""
    root = schemas.doc.cursor()
    components = root.get("components")
    component_schemas = components.get("schemas") if components is not None else None
    if component_schemas is not None:
        # Components claim their own names first: an operation-derived name never takes a component's.
        keys = list(component_schemas.items())
        for key, cursor in keys:
            schemas.names.claim(cursor.identity, pascal(key))
        for key, cursor in keys:
            schemas.add(cursor, pascal(key))
    for operation in operations(schemas.doc):
        _operation(schemas, operation, _operation_name(operation))
    if components is not None:
        _components(schemas, components)


def _operation_name(operation: Operation) -> str:
    operation_id = operation.cursor.raw("operationId")
    if isinstance(operation_id, str) and words(operation_id):
        return pascal(operation_id)
    method = operation.method
    if operation.webhook:
        return pascal(operation.path) + ("" if method == "post" else pascal(method)) + "Webhook"
    parts = [method]
    for segment in operation.path.strip("/").split("/"):
        parts.append(f"By {segment[1:-1]}" if segment.startswith("{") and segment.endswith("}") else segment)
    return pascal(" ".join(parts))


def _operation(schemas: SchemaSet, found: Operation, name: str) -> None:
    for parameter in found.parameters():
        _parameter(schemas, parameter, name)
    operation = found.cursor
    body = operation.get("requestBody")
    if body is not None:
        _content(schemas, body, f"{name}Request", alias=True)
    responses = operation.get("responses")
    if responses is None:
        return
    codes = [code for code, _ in responses.items()]
    success = next((code for code in sorted(codes) if code.startswith("2")), None)
    for code, response in responses.items():
        base = f"{name}Response" if code == success else f"{name}{status_phrase(code)}Response"
        _content(schemas, response, base, alias=code == success)


def _parameter(schemas: SchemaSet, parameter: Cursor, operation: str) -> None:
    """Name a parameter's inline schema when it becomes a class (an object, or an enum generated as ``Enum``)."""
    schema = parameter.get("schema")
    if schema is None or schemas.named(schema) is not None or not schemas.needs_class(schema.value):
        return
    if parameter.parts[:2] == ("components", "parameters"):
        key = pascal(parameter.parts[2])
        schemas.add(schema, key, f"{key}Param")
        return
    param = parameter.raw("name")
    label = pascal(param) if isinstance(param, str) else "Param"
    schemas.add(schema, f"{operation}{label}", f"{operation}{label}Param")


def _content(schemas: SchemaSet, holder: Cursor, base: str, *, alias: bool) -> None:
    """Name the schema of each media type of a request body or response (the first media type gets ``base``).

    A schema that already has a name (a component) keeps it; with ``alias``, ``base`` becomes a second name.
    """
    content = holder.get("content")
    if content is None:
        return
    owner = _owner(holder, base)
    for media_type, media in content.items():
        schema = media.get("schema")
        if schema is None:
            continue
        subtype = pascal(media_type.split("/")[-1].split(";")[0])
        name = schemas.add(schema, owner, owner + subtype)
        if alias:
            schemas.alias(base, name)
        _media_examples(schemas, media, name)


def _owner(holder: Cursor, base: str) -> str:
    """Return the name for a schema held by a shared component (``components/responses/NotFound``) or ``base``."""
    parts = holder.parts
    if len(parts) == 3 and parts[0] == "components" and parts[1] in ("responses", "requestBodies"):
        suffix = "Response" if parts[1] == "responses" else "Request"
        key = pascal(parts[2])
        return key if key.endswith(suffix) else key + suffix
    return base


def _media_examples(schemas: SchemaSet, media: Cursor, name: str) -> None:
    where = str(media.location)
    if "example" in (media.value if isinstance(media.value, dict) else {}):
        example = media.get("example")
        if example is not None:
            schemas.examples.append(Example(name, example.value, where))
    examples = media.get("examples")
    if examples is not None:
        for _, example in examples.items():
            value = example.get("value")
            if value is not None:
                schemas.examples.append(Example(name, value.value, str(example.location)))


def _components(schemas: SchemaSet, components: Cursor) -> None:
    """Name the inline schemas of shared parameters, request bodies and responses nothing referenced."""
    parameters = components.get("parameters")
    if parameters is not None:
        for _, parameter in parameters.items():
            _parameter(schemas, parameter, "")
    for section, suffix in (("requestBodies", "Request"), ("responses", "Response")):
        holders = components.get(section)
        if holders is None:
            continue
        for key, holder in holders.items():
            _content(
                schemas, holder, pascal(key) if pascal(key).endswith(suffix) else pascal(key) + suffix, alias=False
            )
