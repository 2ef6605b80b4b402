"""The rules that structural validation and the catalog check report (registered for ``contractkit rules``)."""

from __future__ import annotations

from contractkit.findings import Severity
from contractkit.kinds import SpecKind
from contractkit.rules.registry import Rule, RuleKind, register

REF_UNRESOLVED = register(
    Rule(
        "ref-unresolved",
        RuleKind.VALIDATE,
        Severity.ERROR,
        "every `$ref` must lead somewhere: missing files or pointers, remote refs, refs leaving the contracts root "
        "and circular chains are refused",
    )
)
OPENAPI_STRUCTURE = register(
    Rule(
        "openapi-structure",
        RuleKind.VALIDATE,
        Severity.ERROR,
        "the document must follow the OpenAPI 3.0/3.1 specification (openapi-spec-validator)",
        specs=(SpecKind.OPENAPI,),
    )
)
ASYNCAPI_STRUCTURE = register(
    Rule(
        "asyncapi-structure",
        RuleKind.VALIDATE,
        Severity.ERROR,
        "the document must follow the AsyncAPI 2.6/3.0 specification (the official JSON Schemas)",
        specs=(SpecKind.ASYNCAPI,),
    )
)
CONTRACT_NOT_IN_CATALOG = register(
    Rule(
        "contract-not-in-catalog",
        RuleKind.VALIDATE,
        Severity.ERROR,
        "a contract on disk that the catalog does not list escapes every check and has no owner",
    )
)
CATALOG_KIND_MISMATCH = register(
    Rule(
        "catalog-kind-mismatch",
        RuleKind.VALIDATE,
        Severity.ERROR,
        "the catalog must say what a contract is: `kind: openapi` for OpenAPI, `kind: asyncapi` for AsyncAPI",
    )
)
INPUT_UNREADABLE = register(
    Rule(
        "input-unreadable",
        RuleKind.VALIDATE,
        Severity.ERROR,
        "a contract that cannot be parsed (bad YAML/JSON, duplicate key, too big, not a contract) checks nothing; "
        "the command exits 2",
    )
)
