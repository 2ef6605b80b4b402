"""Structural validation: each invalid snippet gives exactly the expected findings, located in the file the
problem is in (a shared file reached by ``$ref`` included); each valid counterpart gives none.

A case is a set of files (``contract.yaml`` is the root) and the expected findings as
``(rule id, file, line, column, words of the message)``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from contractkit.findings import Finding
from contractkit.loaders import FileStore, open_document
from contractkit.validate import validate_document

OAS30 = """\
openapi: 3.0.3
info:
  title: t
  version: "1"
paths:
  /items:
    get:
      responses:
        "200":
          description: ok
"""
OAS31 = OAS30.replace("3.0.3", "3.1.0")

OAS30_SHARED = """\
openapi: 3.0.3
info:
  title: t
  version: "1"
paths:
  /items:
    get:
      parameters:
        - $ref: "./shared/params.yaml#/Limit"
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                $ref: "./shared/schemas.yaml#/Count"
"""
SCHEMAS = "Count:\n  type: integer\n  default: 3\n"
PARAMS = "Limit:\n  name: limit\n  in: query\n  schema:\n    type: integer\n    default: 10\n"

A26 = """\
asyncapi: 2.6.0
info:
  title: t
  version: "1"
channels:
  user/signedup:
    subscribe:
      message:
        payload:
          type: string
"""
A30 = """\
asyncapi: 3.0.0
info:
  title: t
  version: "1"
channels:
  userSignedup:
    address: user/signedup
    messages:
      UserSignedUp:
        payload:
          type: string
operations:
  onUserSignUp:
    action: receive
    channel:
      $ref: "#/channels/userSignedup"
"""
A26_SHARED = A26.replace(
    "        payload:\n          type: string\n", '        $ref: "./shared/messages.yaml#/UserSignedUp"\n'
)
A30_SHARED = A30.replace(
    "      UserSignedUp:\n        payload:\n          type: string\n",
    '      UserSignedUp:\n        $ref: "./shared/messages.yaml#/UserSignedUp"\n',
)
MESSAGES = """\
UserSignedUp:
  contentType: application/json
  payload:
    type: object
    properties:
      age:
        type: integer
        minimum: 18
"""

Expected = tuple[str, str, int, int, str]


def case(files: dict[str, str] | str, *expected: Expected, id: str) -> object:
    if isinstance(files, str):
        files = {"contract.yaml": files}
    return pytest.param(files, list(expected), id=id)


OAS = "openapi-structure"
ASYNC = "asyncapi-structure"

INVALID = [
    # OpenAPI 3.0
    case(
        "openapi: 3.0.3\npaths: {}\n", (OAS, "contract.yaml", 1, 1, "missing required `info`"), id="oas30-missing-info"
    ),
    case(
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\n",
        (OAS, "contract.yaml", 1, 1, "missing required `paths`"),
        id="oas30-missing-paths",
    ),
    case(
        OAS30.replace("title: t", "title: [t]"),
        (OAS, "contract.yaml", 3, 3, 'expected `string`, got array ["t"]'),
        id="oas30-wrong-type",
    ),
    case(
        OAS30.replace("    get:\n", "    get:\n      colour: red\n"),
        (OAS, "contract.yaml", 8, 7, "unknown key `colour`: the specification defines no such key here"),
        id="oas30-unknown-field",
    ),
    case(
        # A misspelt key is one error at its own line, not "not allowed" and "missing `responses`" at the parent.
        OAS30.replace("      responses:", "      reponses:"),
        (OAS, "contract.yaml", 8, 7, "unknown key `reponses`: did you mean `responses`?"),
        id="oas30-misspelt-key",
    ),
    case(
        # One error, in the 3.0 dialect (the semantic pass once repeated it with `null` among the types).
        OAS30 + "components:\n  schemas:\n    A: {type: intger}\n",
        (
            OAS,
            "contract.yaml",
            13,
            9,
            'is not one of ["array", "boolean", "integer", "number", "object", "string"]: did you mean `integer`?',
        ),
        id="oas30-type-misspelt",
    ),
    case(
        OAS30 + "components:\n  schemas:\n    N:\n      type: integer\n      default: abc\n",
        (OAS, "contract.yaml", 13, 5, 'expected `integer`, got string "abc"'),
        id="oas30-bad-default",
    ),
    case(
        OAS30.replace("/items:", "/items/{id}:"),
        (OAS, "contract.yaml", 7, 5, "path parameter 'id' for 'get' operation in '/items/{id}' was not resolved"),
        id="oas30-undeclared-path-parameter",
    ),
    case(
        # Inside a `oneOf: [Reference, Response]`: the message must say what is wrong with the response, not
        # that it is not a Reference.
        OAS30.replace("description: ok", "description: 5"),
        (OAS, "contract.yaml", 10, 11, "expected `string`, got integer 5"),
        id="oas30-wrong-type-in-a-response",
    ),
    case(
        {
            "contract.yaml": OAS30_SHARED,
            "shared/schemas.yaml": SCHEMAS.replace("default: 3", "default: abc"),
            "shared/params.yaml": PARAMS,
        },
        (OAS, "shared/schemas.yaml", 1, 1, 'expected `integer`, got string "abc"'),
        id="oas30-bad-default-in-a-shared-schema",
    ),
    case(
        {
            "contract.yaml": OAS30_SHARED,
            "shared/schemas.yaml": SCHEMAS,
            "shared/params.yaml": PARAMS.replace("default: 10", "default: ten"),
        },
        (OAS, "shared/params.yaml", 4, 3, 'expected `integer`, got string "ten"'),
        id="oas30-bad-default-in-a-shared-parameter",
    ),
    case(
        # A `$ref` where OpenAPI wants a string: the problem is the `$ref` (line 7), not the string it points to
        # (line 4, which is fine).
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\nx-intro: hi\n"
        "tags:\n  - name: a\n    description:\n      $ref: '#/x-intro'\n",
        (OAS, "contract.yaml", 7, 5, 'expected `string`, got object {"$ref": "#/x-intro"}'),
        id="oas30-local-ref-where-a-string-is-expected",
    ),
    # OpenAPI 3.1
    case(
        "openapi: 3.1.0\npaths: {}\n", (OAS, "contract.yaml", 1, 1, "missing required `info`"), id="oas31-missing-info"
    ),
    case(
        OAS31.replace("description: ok", "description: 5"),
        (OAS, "contract.yaml", 10, 11, "expected `string`, got integer 5"),
        id="oas31-wrong-type",
    ),
    case(
        OAS31.replace("info:\n", "info:\n  colour: red\n"),
        (OAS, "contract.yaml", 3, 3, "unknown key `colour`: the specification defines no such key here"),
        id="oas31-unknown-field",
    ),
    case(
        OAS31.replace("      responses:", "      reponses:"),
        (OAS, "contract.yaml", 8, 7, "unknown key `reponses`: did you mean `responses`?"),
        id="oas31-misspelt-key",
    ),
    case(
        {
            "contract.yaml": OAS30_SHARED.replace("3.0.3", "3.1.0"),
            "shared/schemas.yaml": SCHEMAS.replace("default: 3", "default: abc"),
            "shared/params.yaml": PARAMS,
        },
        (OAS, "shared/schemas.yaml", 1, 1, 'expected `integer`, got string "abc"'),
        id="oas31-bad-default-in-a-shared-schema",
    ),
    # AsyncAPI 2.6
    case(
        "asyncapi: 2.6.0\nchannels: {}\n",
        (ASYNC, "contract.yaml", 1, 1, "missing required `info`"),
        id="a26-missing-info",
    ),
    case(
        "asyncapi: 2.6.0\ninfo: {title: t, version: '1'}\n",
        (ASYNC, "contract.yaml", 1, 1, "missing required `channels`"),
        id="a26-missing-channels",
    ),
    case(
        A26.replace("title: t", "title: 3"),
        (ASYNC, "contract.yaml", 3, 3, "expected `string`, got integer 3"),
        id="a26-wrong-type",
    ),
    case(
        A26.replace("    subscribe:", "    colour: red\n    subscribe:"),
        (ASYNC, "contract.yaml", 7, 5, "unknown key `colour`: the specification defines no such key here"),
        id="a26-unknown-field",
    ),
    case(
        {"contract.yaml": A26_SHARED, "shared/messages.yaml": MESSAGES.replace("minimum: 18", "minimum: lots")},
        (ASYNC, "shared/messages.yaml", 8, 9, 'got string "lots"'),
        id="a26-bad-schema-in-a-shared-message",
    ),
    # AsyncAPI 3.0
    case(
        "asyncapi: 3.0.0\nchannels: {}\n",
        (ASYNC, "contract.yaml", 1, 1, "missing required `info`"),
        id="a30-missing-info",
    ),
    case(
        A30.replace("title: t", "title: 5"),
        (ASYNC, "contract.yaml", 3, 3, "expected `string`, got integer 5"),
        id="a30-wrong-type",
    ),
    case(
        # Channels are `oneOf: [Reference, Channel]`: "missing required `$ref`" would send the user the wrong way.
        A30.replace("    address: user/signedup", "    address: user/signedup\n    colour: red"),
        (ASYNC, "contract.yaml", 8, 5, "unknown key `colour`: the specification defines no such key here"),
        id="a30-unknown-field",
    ),
    case(
        A30.replace("action: receive", "action: listen"),
        (ASYNC, "contract.yaml", 14, 5, '"listen" is not one of'),
        id="a30-bad-enum-value",
    ),
    case(
        {"contract.yaml": A30_SHARED, "shared/messages.yaml": MESSAGES.replace("minimum: 18", "minimum: lots")},
        (ASYNC, "shared/messages.yaml", 8, 9, 'got string "lots"'),
        id="a30-bad-schema-in-a-shared-message",
    ),
]

VALID = [
    case(OAS30, id="oas30"),
    case(OAS30.replace("    get:\n", "    get:\n      x-colour: red\n"), id="oas30-extension"),
    case(
        {"contract.yaml": OAS30_SHARED, "shared/schemas.yaml": SCHEMAS, "shared/params.yaml": PARAMS},
        id="oas30-shared-files",
    ),
    case(OAS31, id="oas31"),
    case("openapi: 3.1.0\ninfo: {title: t, version: '1'}\nwebhooks: {}\n", id="oas31-webhooks-without-paths"),
    case(
        {
            "contract.yaml": OAS30_SHARED.replace("3.0.3", "3.1.0"),
            "shared/schemas.yaml": SCHEMAS,
            "shared/params.yaml": PARAMS,
        },
        id="oas31-shared-files",
    ),
    case(A26, id="a26"),
    case({"contract.yaml": A26_SHARED, "shared/messages.yaml": MESSAGES}, id="a26-shared-message"),
    case(A26.replace("2.6.0", "2.4.0"), id="a24-checked-as-2.6"),
    case(A30, id="a30"),
    case({"contract.yaml": A30_SHARED, "shared/messages.yaml": MESSAGES}, id="a30-shared-message"),
]


def validate(tmp_path: Path, files: dict[str, str]) -> list[Finding]:
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    doc = open_document(tmp_path / "contract.yaml", store=FileStore(), root_dir=tmp_path)
    return validate_document(doc)


@pytest.mark.parametrize(("files", "expected"), INVALID)
def test_invalid_contracts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, files: dict[str, str], expected: list[Expected]
) -> None:
    monkeypatch.chdir(tmp_path)
    findings = validate(tmp_path, files)
    got = [(f.rule_id, f.location.file, f.location.line, f.location.column, f.message) for f in findings]
    assert [g[:4] for g in got] == [e[:4] for e in expected], got
    for (*_, message), (*_, words) in zip(got, expected, strict=True):
        assert words in message


@pytest.mark.parametrize(("files", "expected"), VALID)
def test_valid_contracts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, files: dict[str, str], expected: list[Expected]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert validate(tmp_path, files) == []
