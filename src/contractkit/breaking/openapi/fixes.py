"""The fixes several OpenAPI rules share (each rule is declared in the module that reports it)."""

DEPRECATE = "deprecate it first (`deprecated: true` with an `x-sunset` date) and remove it in a new major version."
NEW_VERSION = "ship the change in a new major version (a new path prefix), or keep accepting the old form."
