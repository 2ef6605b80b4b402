"""The rule of an input that cannot be read at all: the formats a CI system reads show it as a finding."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from contractkit.errors import ContractkitError
from contractkit.findings import Location
from contractkit.validate.rules import Said, validate_rule


@validate_rule(
    "input-unreadable",
    summary="a contract that cannot be parsed (bad YAML/JSON, duplicate key, too big, not a contract) checks nothing; "
    "the command exits 2",
)
def input_unreadable(errors: Iterable[ContractkitError]) -> Iterator[Said]:
    """An input could not be read at all: bad YAML or JSON, a duplicate key, too big, or not a contract.

    Nothing of it was checked, and the command exits 2. The text format prints the error on stderr; the formats a
    CI system reads (GitHub annotations, SARIF, JUnit) show it as a finding of this rule, where the error is.
    """
    for error in errors:
        yield Said(f"{error.title}: {error.detail}", error.location or Location("<input>"), error.tip)
