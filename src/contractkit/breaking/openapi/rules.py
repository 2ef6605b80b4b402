"""Every OpenAPI breaking-change rule, in one place: id, level, direction, rationale and fix.

Levels follow oasdiff's: error = breaking (an existing client fails), warning = possibly breaking,
info = compatible (listed in the changelog). Ids name the change, not its badness: subject, then change.
Request rules judge what clients send (a narrowing breaks); response rules judge what clients read (a
widening or a removal breaks). Schema rules apply at any depth (body, property, item, parameter, header).
"""

from __future__ import annotations

from contractkit.breaking.registry import CHANGE, ERROR, INFO, WARNING, ChangeRule, change_rule

DEPRECATE = "deprecate it first (`deprecated: true` with an `x-sunset` date) and remove it in a new major version."
NEW_VERSION = "ship the change in a new major version (a new path prefix), or keep accepting the old form."

# --- paths and operations -------------------------------------------------------------------------------
API_PATH_REMOVED = change_rule(
    "api-path-removed",
    ERROR,
    "operation",
    "clients calling a removed path get 404",
    DEPRECATE,
    removes="path",
    category=CHANGE,
)
API_OPERATION_REMOVED = change_rule(
    "api-operation-removed",
    ERROR,
    "operation",
    "clients calling a removed operation get 404 or 405",
    DEPRECATE,
    removes="operation",
    category=CHANGE,
)
API_BASE_PATH_CHANGED = change_rule(
    "api-base-path-changed",
    WARNING,
    "operation",
    "the path of the first `servers` URL changed: clients that call the old full URLs get 404, unless the old "
    "base path is still served",
    "keep serving the old base path (an alias or a redirect) until clients have moved.",
    category=CHANGE,
)
API_PATH_ADDED = change_rule(
    "api-path-added", INFO, "operation", "a new path breaks no existing client", category=CHANGE
)
API_OPERATION_ADDED = change_rule(
    "api-operation-added", INFO, "operation", "a new operation breaks no existing client", category=CHANGE
)
API_OPERATION_ID_CHANGED = change_rule(
    "api-operation-id-changed",
    WARNING,
    "operation",
    "generated SDKs name methods after the `operationId`: renaming it breaks their callers (not the wire)",
    "keep the old `operationId`; rename only in a new major version.",
    category=CHANGE,
)
API_OPERATION_DEPRECATED = change_rule(
    "api-operation-deprecated", INFO, "operation", "a deprecation warns clients before a removal", category=CHANGE
)
API_SECURITY_ADDED = change_rule(
    "request-security-requirement-added",
    ERROR,
    "request",
    "clients that called the operation without those credentials are now rejected with 401/403",
    "add the new requirement as an alternative (a second entry of `security`) until clients have migrated.",
    category=CHANGE,
)
API_SECURITY_SCOPE_ADDED = change_rule(
    "request-security-scope-added",
    ERROR,
    "request",
    "tokens issued with the old scopes are now refused",
    "accept the old scopes as an alternative until clients have new tokens.",
    category=CHANGE,
)
API_SECURITY_SCHEME_CHANGED = change_rule(
    "request-security-scheme-changed",
    ERROR,
    "request",
    "clients send their credentials the old way (scheme type, HTTP scheme, header or query name): they are refused",
    "add the new scheme as an alternative requirement next to the old one until clients have migrated.",
    category=CHANGE,
)
API_SECURITY_RELAXED = change_rule(
    "request-security-requirement-removed",
    INFO,
    "request",
    "accepting more credentials breaks no client",
    category=CHANGE,
)

# --- parameters -----------------------------------------------------------------------------------------
PARAM_REQUIRED_ADDED = change_rule(
    "request-required-parameter-added",
    ERROR,
    "request",
    "clients that do not send the new parameter are rejected",
    "make it optional with a server-side default.",
    category=CHANGE,
)
PARAM_OPTIONAL_ADDED = change_rule(
    "request-optional-parameter-added", INFO, "request", "an optional parameter breaks no client", category=CHANGE
)
PARAM_BECAME_REQUIRED = change_rule(
    "request-parameter-became-required",
    ERROR,
    "request",
    "clients that omitted the parameter are now rejected",
    "keep it optional with a server-side default.",
    category=CHANGE,
)
PARAM_BECAME_OPTIONAL = change_rule(
    "request-parameter-became-optional",
    INFO,
    "request",
    "accepting a missing parameter breaks no client",
    category=CHANGE,
)
PARAM_REMOVED = change_rule(
    "request-parameter-removed",
    WARNING,
    "request",
    "clients still send it: a strict server rejects them, a lenient one silently ignores what they meant",
    DEPRECATE,
    removes="parameter",
    category=CHANGE,
)
PARAM_STYLE_CHANGED = change_rule(
    "request-parameter-style-changed",
    ERROR,
    "request",
    "the same value is now serialised differently (`style`/`explode`): old clients send what the server misreads",
    NEW_VERSION,
    category=CHANGE,
)

# --- bodies and media types ------------------------------------------------------------------------------
BODY_BECAME_REQUIRED = change_rule(
    "request-body-became-required",
    ERROR,
    "request",
    "clients that sent no body are now rejected",
    "keep the body optional.",
    category=CHANGE,
)
BODY_ADDED_REQUIRED = change_rule(
    "request-body-added-required",
    ERROR,
    "request",
    "clients that sent no body are now rejected",
    "make the new body optional.",
    category=CHANGE,
)
BODY_REMOVED = change_rule(
    "request-body-removed",
    WARNING,
    "request",
    "clients still send a body the server no longer reads",
    DEPRECATE,
    category=CHANGE,
)
REQUEST_MEDIA_TYPE_REMOVED = change_rule(
    "request-body-media-type-removed",
    ERROR,
    "request",
    "clients sending that content type get 415",
    "keep accepting the media type.",
    category=CHANGE,
)
REQUEST_MEDIA_TYPE_ADDED = change_rule(
    "request-body-media-type-added", INFO, "request", "accepting another content type breaks no client", category=CHANGE
)
REQUEST_SCHEMA_ADDED = change_rule(
    "request-body-media-type-schema-added",
    ERROR,
    "request",
    "a media type without a schema accepted any body: one with a schema rejects the bodies that do not match it",
    "publish the schema in a new major version, or make it accept every body clients send today.",
    category=CHANGE,
)
REQUEST_SCHEMA_REMOVED = change_rule(
    "request-body-media-type-schema-removed",
    INFO,
    "request",
    "a media type without a schema accepts any body: everything clients send is still accepted",
    category=CHANGE,
)
RESPONSE_SCHEMA_ADDED = change_rule(
    "response-media-type-schema-added",
    INFO,
    "response",
    "a schema on a response says what clients already receive: nothing they read changes",
    category=CHANGE,
)
RESPONSE_SCHEMA_REMOVED = change_rule(
    "response-media-type-schema-removed",
    WARNING,
    "response",
    "without a schema the response may carry anything: clients and generated models lose the shape they rely on",
    "keep the schema, or describe the new shape in it.",
    category=CHANGE,
)
RESPONSE_MEDIA_TYPE_REMOVED = change_rule(
    "response-media-type-removed",
    ERROR,
    "response",
    "clients that accept only that content type can no longer be served",
    "keep producing the media type.",
    category=CHANGE,
)
ERROR_MEDIA_TYPE_REMOVED = change_rule(
    "response-error-media-type-removed",
    WARNING,
    "response",
    "clients that parse error bodies of that content type may not understand the new one",
    "keep producing the media type for errors, or move all errors to `application/problem+json` in a new version.",
    category=CHANGE,
)
RESPONSE_MEDIA_TYPE_ADDED = change_rule(
    "response-media-type-added", INFO, "response", "clients choose the content type with `Accept`", category=CHANGE
)

# --- responses ------------------------------------------------------------------------------------------
SUCCESS_STATUS_REMOVED = change_rule(
    "response-success-status-removed",
    ERROR,
    "response",
    "clients that handle that success status now see a status they do not expect",
    "keep returning the status, or add the new one next to it in a new major version.",
    category=CHANGE,
)
STATUS_REMOVED = change_rule(
    "response-status-removed",
    WARNING,
    "response",
    "an error status that is no longer documented may still be handled by clients: usually harmless",
    category=CHANGE,
)
SUCCESS_STATUS_ADDED = change_rule(
    "response-success-status-added",
    WARNING,
    "response",
    "clients that check for the old success status may not handle the new one",
    "document it, and keep returning the old status to existing clients.",
    category=CHANGE,
)
STATUS_ADDED = change_rule(
    "response-status-added", INFO, "response", "a newly documented error status", category=CHANGE
)
HEADER_REMOVED = change_rule(
    "response-required-header-removed",
    ERROR,
    "response",
    "clients that read the header no longer get it",
    "keep sending the header.",
    removes="header",
    category=CHANGE,
)
HEADER_BECAME_OPTIONAL = change_rule(
    "response-header-became-optional",
    ERROR,
    "response",
    "clients that rely on the header may no longer get it",
    "keep the header required.",
    category=CHANGE,
)
OPTIONAL_HEADER_REMOVED = change_rule(
    "response-optional-header-removed",
    WARNING,
    "response",
    "clients may read the optional header",
    DEPRECATE,
    removes="header",
    category=CHANGE,
)

# --- schemas: request side (what clients send) -----------------------------------------------------------
REQ_TYPE_CHANGED = change_rule(
    "request-type-changed",
    ERROR,
    "request",
    "values of the old type, which clients send, are now rejected",
    NEW_VERSION,
    category=CHANGE,
)
REQ_TYPE_WIDENED = change_rule(
    "request-type-widened", INFO, "request", "accepting more types breaks no client", category=CHANGE
)
PARAM_BECAME_STRING = change_rule(
    "request-parameter-became-string",
    WARNING,
    "request",
    "a parameter travels as text, so every old value is still a string on the wire; but typed clients and "
    "generated models change their signature (an `int` argument becomes a `str`)",
    "keep the type; accept the new values in a new parameter, or in a new major version.",
    category=CHANGE,
)
REQ_NULLABLE_REMOVED = change_rule(
    "request-nullable-removed",
    ERROR,
    "request",
    "clients sending `null` are now rejected",
    "keep accepting `null`.",
    category=CHANGE,
)
REQ_BECAME_NULLABLE = change_rule(
    "request-became-nullable", INFO, "request", "accepting `null` breaks no client", category=CHANGE
)
REQ_ENUM_VALUE_REMOVED = change_rule(
    "request-enum-value-removed",
    ERROR,
    "request",
    "clients sending the removed value are rejected",
    "keep accepting the value; deprecate it in its description.",
    category=CHANGE,
)
REQ_ENUM_VALUE_ADDED = change_rule(
    "request-enum-value-added", INFO, "request", "accepting a new value breaks no client", category=CHANGE
)
REQ_ENUM_ADDED = change_rule(
    "request-enum-added",
    ERROR,
    "request",
    "a free value became a closed list: clients sending other values are rejected",
    NEW_VERSION,
    category=CHANGE,
)
REQ_PROPERTY_REQUIRED_ADDED = change_rule(
    "request-required-property-added",
    ERROR,
    "request",
    "clients that do not send the new property are rejected",
    "make it optional, with a server-side default.",
    category=CHANGE,
)
REQ_PROPERTY_ADDED = change_rule(
    "request-property-added", INFO, "request", "an optional property breaks no client", category=CHANGE
)
REQ_PROPERTY_BECAME_REQUIRED = change_rule(
    "request-property-became-required",
    ERROR,
    "request",
    "clients that omitted the property are now rejected",
    "keep it optional, with a server-side default.",
    category=CHANGE,
)
REQ_PROPERTY_BECAME_OPTIONAL = change_rule(
    "request-property-became-optional",
    INFO,
    "request",
    "accepting a missing property breaks no client",
    category=CHANGE,
)
REQ_PROPERTY_REMOVED = change_rule(
    "request-property-removed",
    WARNING,
    "request",
    "clients still send it: rejected if the schema is closed, silently ignored otherwise",
    DEPRECATE,
    removes="property",
    category=CHANGE,
)
REQ_BOUND_NARROWED = change_rule(
    "request-bound-narrowed",
    ERROR,
    "request",
    "values inside the old bounds (`maximum`, `minimum`, `maxLength`, `minLength`, `maxItems`, `minItems`, "
    "exclusive bounds) are now rejected",
    "keep the old bounds; validate the new limit only in a new major version.",
    category=CHANGE,
)
REQ_BOUND_WIDENED = change_rule(
    "request-bound-widened", INFO, "request", "accepting more values breaks no client", category=CHANGE
)
REQ_PATTERN_ADDED = change_rule(
    "request-pattern-added",
    ERROR,
    "request",
    "values that do not match the new `pattern` are now rejected",
    NEW_VERSION,
    category=CHANGE,
)
REQ_PATTERN_CHANGED = change_rule(
    "request-pattern-changed",
    ERROR,
    "request",
    "values matching the old `pattern` may now be rejected",
    NEW_VERSION,
    category=CHANGE,
)
REQ_PATTERN_REMOVED = change_rule(
    "request-pattern-removed", INFO, "request", "accepting more values breaks no client", category=CHANGE
)
REQ_FORMAT_CHANGED = change_rule(
    "request-format-changed",
    WARNING,
    "request",
    "values of the old `format` may now be rejected",
    NEW_VERSION,
    category=CHANGE,
)
REQ_VARIANT_REMOVED = change_rule(
    "request-variant-removed",
    ERROR,
    "request",
    "clients sending the shape of a removed `oneOf`/`anyOf` variant are rejected",
    "keep accepting the variant.",
    category=CHANGE,
)
REQ_VARIANT_ADDED = change_rule(
    "request-variant-added", INFO, "request", "accepting another shape breaks no client", category=CHANGE
)
REQ_ADDITIONAL_FORBIDDEN = change_rule(
    "request-additional-properties-forbidden",
    WARNING,
    "request",
    "clients sending properties the schema does not list are now rejected",
    "keep the schema open.",
    category=CHANGE,
)
REQ_DISCRIMINATOR_CHANGED = change_rule(
    "request-discriminator-changed",
    ERROR,
    "request",
    "the property or mapping that selects the `oneOf` variant changed: old payloads select nothing",
    NEW_VERSION,
    category=CHANGE,
)

# --- schemas: response side (what clients read) ----------------------------------------------------------
RESP_TYPE_CHANGED = change_rule(
    "response-type-changed",
    ERROR,
    "response",
    "clients parsing the old type fail on the new one",
    "add a new property with the new type; keep the old one.",
    category=CHANGE,
)
RESP_TYPE_NARROWED = change_rule(
    "response-type-narrowed", INFO, "response", "sending fewer types breaks no client", category=CHANGE
)
RESP_BECAME_NULLABLE = change_rule(
    "response-became-nullable",
    ERROR,
    "response",
    "clients that do not expect `null` crash on it",
    "omit the property instead of sending `null`, or add a new one.",
    category=CHANGE,
)
RESP_NULLABLE_REMOVED = change_rule(
    "response-nullable-removed", INFO, "response", "no longer sending `null` is safe", category=CHANGE
)
RESP_ENUM_VALUE_ADDED = change_rule(
    "response-enum-value-added",
    WARNING,
    "response",
    "clients with an exhaustive switch or a generated enum may fail on the new value; APIs grow enums in minor "
    "releases, so the contract should say whether its enum is open (`x-extensible-enum: true`) or closed "
    "(`x-extensible-enum: false`)",
    "mark the enum `x-extensible-enum: true` (clients must then handle unknown values) before adding values.",
    category=CHANGE,
)
RESP_CLOSED_ENUM_VALUE_ADDED = change_rule(
    "response-closed-enum-value-added",
    ERROR,
    "response",
    "the enum is declared closed (`x-extensible-enum: false`): clients rely on knowing every value, and fail on "
    "the new one",
    "add the value in a new major version, or open the enum (`x-extensible-enum: true`) in one release and add "
    "values in a later one.",
    category=CHANGE,
)
RESP_EXTENSIBLE_ENUM_VALUE_ADDED = change_rule(
    "response-extensible-enum-value-added",
    INFO,
    "response",
    "the enum is marked `x-extensible-enum`: clients promised to handle unknown values",
    category=CHANGE,
)
RESP_ENUM_VALUE_REMOVED = change_rule(
    "response-enum-value-removed", INFO, "response", "sending fewer values is safe", category=CHANGE
)
RESP_PROPERTY_REMOVED = change_rule(
    "response-required-property-removed",
    ERROR,
    "response",
    "clients that read the property no longer get it",
    DEPRECATE,
    removes="property",
    category=CHANGE,
)
RESP_OPTIONAL_PROPERTY_REMOVED = change_rule(
    "response-optional-property-removed",
    WARNING,
    "response",
    "clients may read the optional property",
    DEPRECATE,
    removes="property",
    category=CHANGE,
)
RESP_PROPERTY_BECAME_OPTIONAL = change_rule(
    "response-property-became-optional",
    ERROR,
    "response",
    "clients that rely on the property may no longer get it",
    "keep it required.",
    category=CHANGE,
)
RESP_PROPERTY_BECAME_REQUIRED = change_rule(
    "response-property-became-required", INFO, "response", "always sending a property is safe", category=CHANGE
)
RESP_PROPERTY_ADDED = change_rule(
    "response-property-added",
    INFO,
    "response",
    "clients ignore properties they do not know (tolerant reader)",
    category=CHANGE,
)
RESP_BOUND_WIDENED = change_rule(
    "response-bound-widened",
    WARNING,
    "response",
    "clients that validate or size buffers by the old bounds may fail on larger or longer values",
    "keep the old bounds, or document the change for clients.",
    category=CHANGE,
)
RESP_BOUND_NARROWED = change_rule(
    "response-bound-narrowed", INFO, "response", "sending fewer values is safe", category=CHANGE
)
RESP_PATTERN_CHANGED = change_rule(
    "response-pattern-changed",
    WARNING,
    "response",
    "clients that validate against the old `pattern` may reject new values",
    category=CHANGE,
)
RESP_FORMAT_CHANGED = change_rule(
    "response-format-changed",
    WARNING,
    "response",
    "clients parsing the old `format` may fail on new values",
    category=CHANGE,
)
RESP_VARIANT_ADDED = change_rule(
    "response-variant-added",
    WARNING,
    "response",
    "clients that handle each `oneOf`/`anyOf` variant may not handle the new one",
    "tell clients to ignore unknown variants (a discriminator with a default branch) before adding one.",
    category=CHANGE,
)
RESP_VARIANT_REMOVED = change_rule(
    "response-variant-removed", INFO, "response", "sending fewer shapes is safe", category=CHANGE
)
RESP_DISCRIMINATOR_CHANGED = change_rule(
    "response-discriminator-changed",
    ERROR,
    "response",
    "clients select the variant by the discriminator: a changed property or mapping selects nothing",
    NEW_VERSION,
    category=CHANGE,
)

# --- schemas: open and closed content models (`additionalProperties: false`) ------------------------------
REQ_CLOSED_PROPERTY_REMOVED = change_rule(
    "request-closed-property-removed",
    ERROR,
    "request",
    "the schema is closed (`additionalProperties: false`): clients that still send the removed property are "
    "now rejected",
    "keep the property (deprecated) until clients stop sending it, or open the schema.",
    removes="property",
    category=CHANGE,
)
RESP_CLOSED_PROPERTY_ADDED = change_rule(
    "response-closed-property-added",
    ERROR,
    "response",
    "the schema was closed (`additionalProperties: false`): clients that validate against it reject the new property",
    "open the schema (drop `additionalProperties: false`) in one version, add the property in a later one.",
    category=CHANGE,
)
RESP_ADDITIONAL_ALLOWED = change_rule(
    "response-additional-properties-allowed",
    WARNING,
    "response",
    "the schema was closed (`additionalProperties: false`) and is now open: clients that validate against the "
    "old schema reject the unlisted properties they may now get",
    "tell clients to ignore unknown properties before opening the schema.",
    category=CHANGE,
)

#: The schema rules (any depth of a body, parameter or header): other spec kinds report them under their own
#: names (AsyncAPI: ``received-message-*`` and ``sent-message-*``, see breaking/asyncapi/rules.py).
SCHEMA_RULES = tuple(
    rule
    for name, rule in sorted(globals().items())
    if name.startswith(("REQ_", "RESP_")) and isinstance(rule, ChangeRule)
)
