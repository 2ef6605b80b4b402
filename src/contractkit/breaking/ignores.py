"""The ignores file: breaking changes a team has knowingly approved, each with a reason and an expiry date.

``contracts/breaking-ignores.yaml`` (or ``--ignores PATH``)::

    ignores:
      - rule: request-parameter-removed          # required: the change's rule id
        contract: b2b-orders                     # optional scopes, at least one of them:
        operation: GET /orders                   #   the operation (`{id}` and `{order_id}` are the same)
        location: b2b-orders/openapi.yaml#/paths/~1orders/get   # a file (path suffix), `#pointer` optional
        pointer: /paths/~1orders/get/parameters  #   a JSON pointer: that node or anything below it
        reason: nobody sends `limit`; see PLAT-123   # required
        expires: 2025-06-30                      # required: the last day the entry applies

A change that an entry matches stays in the report, marked *accepted* with the reason, and never fails a run.
An entry past its expiry date stops applying, and the run says so with an ``ignore-expired`` warning at the
entry's line. Every key is checked: a typo is an error (with its line), never a silently unused entry.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from contractkit.breaking.registry import NOTE, WARNING, AnyChangeRule, breaking_rule, fired
from contractkit.errors import ConfigError, ContractkitError
from contractkit.findings import Finding, Location
from contractkit.kinds import SpecKind
from contractkit.loaders.files import FileStore
from contractkit.loaders.pointer import parse_pointer, to_pointer
from contractkit.loaders.source import SourceFile

__all__ = ["IGNORES_FILE", "IGNORE_RULES", "Ignore", "apply_ignores", "ignore_expired", "read_ignores"]

#: The default ignores file, next to the catalog.
IGNORES_FILE = "breaking-ignores.yaml"

_KEYS = ("rule", "contract", "operation", "location", "pointer", "reason", "expires")
_SCOPES = ("contract", "operation", "location", "pointer")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TEMPLATE = re.compile(r"\{[^}/]*\}")
_NOWHERE = Location("")
_TIP = "see docs/breaking.md for the ignores file format."


@dataclass(frozen=True, slots=True)
class Ignore:
    """One entry of the ignores file.

    Attributes:
        rule: the rule id it accepts.
        reason: why the change is approved (shown with every change it accepts).
        expires: the last day it applies.
        contract: only changes of this contract.
        operation: only changes of this operation (``GET /orders/{id}``).
        file: only changes in a file whose path ends with this one.
        pointer: only changes at this JSON pointer or below it (either version's pointer).
        location: where the entry is in the ignores file.
    """

    rule: str
    reason: str
    expires: dt.date
    contract: str | None = None
    operation: str | None = None
    file: str | None = None
    pointer: str | None = None
    location: Location = _NOWHERE

    def matches(self, finding: Finding) -> bool:
        """Return whether this entry accepts ``finding`` (its expiry date is not looked at)."""
        if finding.rule_id != self.rule:
            return False
        if self.contract is not None and finding.contract != self.contract:
            return False
        if self.operation is not None and _operation_key(finding.operation or "") != _operation_key(self.operation):
            return False
        places = [loc for loc in (finding.location, finding.base_location) if loc is not None]
        if self.file is not None and not any(_same_file(loc.file, self.file) for loc in places):
            return False
        return self.pointer is None or any(_below(loc.pointer, self.pointer) for loc in places)

    def expired(self, today: dt.date) -> bool:
        """Return whether ``today`` is after the expiry date (the entry applies on the date itself)."""
        return today > self.expires


def read_ignores(path: Path, *, store: FileStore | None = None) -> list[Ignore]:
    """Read and check the ignores file at ``path``.

    Raises:
        ConfigError: it cannot be read or parsed, or an entry is malformed (with the entry's line).
    """
    try:
        source = (store or FileStore()).load(path.resolve())
    except ContractkitError as exc:
        raise ConfigError(
            exc.detail,
            title=f"could not read the ignores file `{exc.location.file if exc.location else path}`",
            location=exc.location,
            tip=exc.tip,
        ) from None
    data = source.data
    if not isinstance(data, dict) or "ignores" not in data:
        raise _error(source, (), "the file must be a mapping with an `ignores:` list")
    unknown = [key for key in data if key not in ("ignores", "version")]
    if unknown:
        raise _error(source, (unknown[0],), f"unknown key `{unknown[0]}` (expected `ignores`)")
    entries = data["ignores"]
    if entries is None:
        return []
    if not isinstance(entries, list):
        raise _error(source, ("ignores",), "`ignores` must be a list of entries")
    return [_entry(source, index, entry) for index, entry in enumerate(entries)]


def apply_ignores(findings: Iterable[Finding], ignores: Sequence[Ignore], *, today: dt.date) -> list[Finding]:
    """Mark the findings that a live entry accepts, and add an ``ignore-expired`` warning per expired entry.

    Args:
        findings: the changes found.
        ignores: the entries of the ignores file.
        today: the date expiry is judged against (injected, so a run can be reproduced).

    Returns:
        Every finding (accepted ones with ``accepted`` set to the entry's reason), then the expiry warnings.
    """
    live = [entry for entry in ignores if not entry.expired(today)]
    result: list[Finding] = []
    for finding in findings:
        entry = next((e for e in live if finding.accepted is None and e.matches(finding)), None)
        result.append(dataclasses.replace(finding, accepted=entry.reason) if entry is not None else finding)
    for entry in ignores:
        result += [note for _, note in fired(IGNORE_RULES, entry, result, today)]
    return result


#: The rule about the ignores file itself, called with an entry, the findings so far and the day of the run.
IGNORE_RULES: list[AnyChangeRule] = []


@breaking_rule(
    id="ignore-expired",
    level=WARNING,
    direction="ignores",
    summary="an approval of a breaking change has a deadline: once it passes, the change fails the gate again",
    fix="remove the entry if the change is no longer needed, or set a later `expires` if it is still approved.",
    category=NOTE,
    specs=(SpecKind.OPENAPI, SpecKind.ASYNCAPI),
    group=IGNORE_RULES,
)
def ignore_expired(entry: Ignore, findings: list[Finding], today: dt.date) -> Finding | None:
    """An entry of the ignores file is past its `expires` date, so it no longer accepts the change it names.

    The run says so at the entry's line, and how many changes it accepted that fail again: a note about the run,
    not a change of the API (it fails nothing by itself).
    """
    if not entry.expired(today):
        return None
    covered = sum(1 for f in findings if f.accepted is None and entry.matches(f))
    again = {0: "", 1: "; the change it accepted fails again"}.get(
        covered, f"; the {covered} changes it accepted fail again"
    )
    return Finding(
        ignore_expired.id,
        ignore_expired.level,
        f"the ignore entry for `{entry.rule}` expired on {entry.expires.isoformat()}{again}",
        entry.location,
        hint=ignore_expired.fix,
        contract=entry.contract,
    )


def _entry(source: SourceFile, index: int, raw: object) -> Ignore:
    at = ("ignores", str(index))
    if not isinstance(raw, dict):
        raise _error(source, at, f"entry {index + 1} must be a mapping with `rule`, `reason` and `expires`")
    for key in raw:
        if key not in _KEYS:
            raise _error(source, (*at, key), f"unknown key `{key}` in entry {index + 1} (expected one of: {_keys()})")
    for key in ("rule", "reason", "expires"):
        if key not in raw:
            raise _error(source, at, f"entry {index + 1} has no `{key}`")
    values: dict[str, str] = {}
    for key, value in raw.items():
        if not isinstance(value, str) or not value.strip():
            raise _error(source, (*at, key), f"`{key}` of entry {index + 1} must be a non-empty string")
        values[key] = value.strip()
    if not any(key in values for key in _SCOPES):
        raise _error(
            source,
            at,
            f"entry {index + 1} accepts `{values['rule']}` everywhere: give a `contract`, `operation`, `location` "
            "or `pointer`",
        )
    file, hash_sign, location_pointer = values.get("location", "").partition("#")
    pointers = [
        (key, _pointer(source, (*at, key), text, index))
        for key, text in (("location", location_pointer if hash_sign else None), ("pointer", values.get("pointer")))
        if text is not None
    ]
    if len({pointer for _, pointer in pointers}) > 1:
        raise _error(source, (*at, "pointer"), f"entry {index + 1} gives two different pointers")
    return Ignore(
        rule=values["rule"],
        reason=values["reason"],
        expires=_date(source, (*at, "expires"), values["expires"], index),
        contract=values.get("contract"),
        operation=values.get("operation"),
        file=file or None,
        pointer=pointers[0][1] if pointers else None,
        location=source.location(at),
    )


def _pointer(source: SourceFile, at: tuple[str, ...], text: str, index: int) -> str:
    try:
        return to_pointer(parse_pointer(text))
    except ValueError as exc:
        raise _error(source, at, f"`{at[-1]}` of entry {index + 1}: {exc}") from None


def _date(source: SourceFile, at: tuple[str, ...], text: str, index: int) -> dt.date:
    try:
        if not _DATE.match(text):
            raise ValueError(text)
        return dt.date.fromisoformat(text)
    except ValueError:
        raise _error(source, at, f"`expires` of entry {index + 1} is `{text}`, not a date (YYYY-MM-DD)") from None


def _error(source: SourceFile, at: tuple[str, ...], detail: str) -> ConfigError:
    return ConfigError(detail, title=f"invalid ignores file `{source.name}`", location=source.location(at), tip=_TIP)


def _keys() -> str:
    return ", ".join(_KEYS)


def _operation_key(operation: str) -> str:
    """``get  /orders/{order_id}/`` and ``GET /orders/{id}`` are the same operation."""
    method, _, path = operation.strip().partition(" ")
    path = _TEMPLATE.sub("{}", path.strip())
    if len(path) > 1:
        path = path.rstrip("/")
    return f"{method.upper()} {path}"


def _same_file(name: str, wanted: str) -> bool:
    """Return whether ``name`` is ``wanted`` or ends with ``/wanted``; a ``<ref>:`` prefix (from git) is ignored."""
    wanted = wanted.replace("\\", "/").removeprefix("./")
    candidates = {name, name.partition(":")[2]} if ":" in name else {name}
    for candidate in candidates:
        candidate = candidate.replace("\\", "/").removeprefix("./")
        if candidate == wanted or candidate.endswith("/" + wanted):
            return True
    return False


def _below(pointer: str, ancestor: str) -> bool:
    """Return whether ``pointer`` is ``ancestor`` or a node below it (on token boundaries)."""
    return pointer == ancestor or pointer.startswith(ancestor.rstrip("/") + "/")
