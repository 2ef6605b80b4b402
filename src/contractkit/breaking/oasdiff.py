"""The optional oasdiff engine: run the ``oasdiff`` binary and read its JSON into :class:`Finding` values.

``--engine oasdiff`` hands the comparison to oasdiff (github.com/oasdiff/oasdiff, Go) when its binary is on
``PATH``: :func:`run_oasdiff` runs ``oasdiff breaking BASE REVISION --format json`` in a subprocess and
:func:`mapping_from_json` turns each entry of its output into the same :class:`Finding` the native engine
returns, so every reporter, ``--fail-on`` and the ignores file work unchanged.

What oasdiff prints, and how it is read (the ``Change`` type of its ``formatters/changes.go``)::

    oasdiff JSON            Finding
    id                      rule_id, verbatim (oasdiff's ids, not ours: `api-path-removed-without-deprecation`)
    level 3 / 2 / 1         severity ERROR / WARNING / INFO ("ERR", "WARN", "INFO" and "error", "warning",
                            "info" are read too)
    text                    message, verbatim (oasdiff quotes values with '...', not backticks)
    comment                 hint
    operation + path        operation `METHOD /path`, and the pointer `/paths/~1path/method`
    revisionSource          location (file, line, column), in the releases that give it
    baseSource              base_location
    source (older oasdiff)  location file, when there is no revisionSource
    section                 pointer `/components` or `/security` for changes outside `paths`

Covered: both output shapes (a bare list, and ``{"changes": [...]}``), empty output (no change), the three
levels as numbers or names, changes with and without an operation, sources of both oasdiff generations.
Not covered: oasdiff's own ignore files, ``--severity-levels`` and localisation (pass them with ``args``),
its ``attributes``, ``fingerprint`` and ``disclaimers`` (dropped), and whether it follows multi-file
``$ref``s (that depends on the installed oasdiff version and its flags, such as ``--allow-external-refs``).
``oasdiff breaking`` lists only ERR and WARN changes; ``command="changelog"`` lists INFO ones too.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Literal

from contractkit.errors import InputError, UsageError
from contractkit.findings import Finding, Location, Severity
from contractkit.loaders.files import display_name
from contractkit.loaders.pointer import to_pointer

__all__ = ["DEFAULT_TIMEOUT", "mapping_from_json", "run_oasdiff"]

DEFAULT_TIMEOUT = 120.0
"""Seconds oasdiff may run before it is stopped (a large multi-file pair takes a few seconds)."""

_TITLE = "could not run oasdiff"
_NATIVE_TIP = "install it (https://github.com/oasdiff/oasdiff#installation) or use --engine native."
_INSTALL_TIP = (
    "install oasdiff and put it on PATH (a release binary, Homebrew or Go: "
    "https://github.com/oasdiff/oasdiff#installation), or drop `--engine oasdiff` to use the native engine "
    "(`--engine native`, the default)."
)
_LEVELS: dict[object, Severity] = {
    3: Severity.ERROR,
    2: Severity.WARNING,
    1: Severity.INFO,
    "err": Severity.ERROR,
    "error": Severity.ERROR,
    "warn": Severity.WARNING,
    "warning": Severity.WARNING,
    "info": Severity.INFO,
}
_SECTIONS_OUTSIDE_PATHS = frozenset({"components", "security", "servers", "tags", "info", "webhooks"})


def run_oasdiff(
    base: Path,
    revision: Path,
    *,
    binary: str = "oasdiff",
    command: Literal["breaking", "changelog"] = "breaking",
    args: Sequence[str] = (),
    timeout: float = DEFAULT_TIMEOUT,
    contract: str | None = None,
) -> list[Finding]:
    """Compare two contract files with oasdiff and return its changes as findings.

    Args:
        base: the contract before the change (a file; oasdiff follows its relative refs itself).
        revision: the contract after it.
        binary: the oasdiff executable, a name looked up on ``PATH`` or a path.
        command: ``breaking`` (ERR and WARN changes only) or ``changelog`` (INFO changes too).
        args: more oasdiff flags, passed as given (``--allow-external-refs``, ``--severity-levels FILE``...).
        timeout: seconds before oasdiff is stopped.
        contract: the catalog id, copied into every finding.

    Returns:
        The findings, sorted like the native engine's (breaking first, then by operation, id and message).

    Raises:
        UsageError: ``args`` holds ``--fail-on`` (contractkit applies its own).
        InputError: oasdiff is not installed, could not be started, timed out, failed (its stderr is in the
            detail), or printed something that is not its JSON change list.

    Example:
        >>> run_oasdiff(Path("base.yaml"), Path("revision.yaml"))  # doctest: +SKIP
        [Finding(rule_id='api-path-removed-without-deprecation', severity=<Severity.ERROR: 'error'>, ...)]
    """
    if any(arg.split("=")[0] == "--fail-on" or (arg.startswith("-o") and not arg.startswith("--")) for arg in args):
        raise UsageError(
            "`--fail-on` cannot be passed to oasdiff: its exit code would read as a failure",
            tip="use contractkit's own `--fail-on`; it applies to oasdiff's findings too.",
        )
    executable = require_oasdiff(binary)
    argv = [executable, command, str(base.resolve()), str(revision.resolve()), "--format", "json", *args]
    try:
        done = subprocess.run(argv, capture_output=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        raise InputError(
            f"oasdiff did not finish within {timeout:g} seconds",
            title=_TITLE,
            tip="compare smaller contracts, raise the timeout, or use --engine native.",
        ) from None
    except OSError as exc:
        raise InputError(f"`{executable}` could not be started: {exc.strerror or exc}", title=_TITLE) from exc
    if done.returncode != 0:
        stderr = done.stderr.decode("utf-8", errors="replace").strip()
        raise InputError(
            f"oasdiff exited with code {done.returncode}: {_tail(stderr) or 'it printed no error message'}",
            title=_TITLE,
            tip="run the same oasdiff command by hand to see the whole error: " + " ".join(argv[1:]),
        )
    text = done.stdout.decode("utf-8", errors="replace").strip()
    if not text:  # older releases print nothing at all when there is no change
        return []
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"oasdiff printed something that is not JSON ({exc.msg} at line {exc.lineno}): {_tail(text, 200)}",
            title=_TITLE,
            tip="check that the installed oasdiff supports `breaking --format json` (`oasdiff --version`).",
        ) from None
    return mapping_from_json(
        data, base_file=display_name(base.resolve()), revision_file=display_name(revision.resolve()), contract=contract
    )


def require_oasdiff(binary: str = "oasdiff") -> str:
    """Return the path of the oasdiff executable (a name looked up on ``PATH``, or a path).

    A comparison checks this once before it starts, so a missing binary is one error, not one per contract.

    Raises:
        InputError: there is no such executable.
    """
    executable = shutil.which(binary)
    if executable is None:
        raise InputError(
            f"oasdiff is not installed: `{binary}` is not an executable on PATH", title=_TITLE, tip=_INSTALL_TIP
        )
    return executable


def mapping_from_json(
    data: object,
    *,
    base_file: str = "",
    revision_file: str = "",
    contract: str | None = None,
) -> list[Finding]:
    """Turn the parsed JSON of ``oasdiff breaking|changelog --format json`` into findings.

    Args:
        data: the parsed output: a list of changes, or an object with a ``changes`` list.
        base_file: the name findings use for the base contract (``base_location`` when oasdiff gives none).
        revision_file: the name findings use for the revision (``location`` when oasdiff gives none).
        contract: the catalog id, copied into every finding.

    Returns:
        The findings, sorted like the native engine's (breaking first, then by operation, id and message).

    Raises:
        InputError: the JSON is not oasdiff's change list (an entry without an ``id`` or with an unknown
            ``level``): a gate must fail loudly rather than read an unknown shape as "no change".
    """
    if isinstance(data, Mapping) and "changes" in data:
        data = data["changes"]
    if data is None:
        return []
    if not isinstance(data, list):
        raise _shape_error(f"expected a list of changes, got {_kind(data)}")
    findings = [_finding(entry, index, base_file, revision_file, contract) for index, entry in enumerate(data)]
    return sorted(findings, key=lambda f: (-f.severity.rank, f.operation or "", f.rule_id, f.message))


def _finding(entry: object, index: int, base_file: str, revision_file: str, contract: str | None) -> Finding:
    if not isinstance(entry, Mapping):
        raise _shape_error(f"change #{index + 1} is {_kind(entry)}, not an object")
    rule_id = entry.get("id")
    if not isinstance(rule_id, str) or not rule_id:
        raise _shape_error(f"change #{index + 1} has no `id`")
    severity = _severity(entry.get("level"), index)
    method = _text(entry.get("operation")).upper()
    path = _text(entry.get("path"))
    operation = f"{method} {path}" if method and path else (path or None)
    pointer = _pointer(method, path, _text(entry.get("section")))
    location = _source(entry.get("revisionSource"), pointer)
    base_location = _source(entry.get("baseSource"), pointer)
    if location is None:
        # Older oasdiff names only the file the operation came from: the base one for a removal.
        legacy = _file(_text(entry.get("source")))
        if legacy and base_file and legacy == base_file:
            base_location = base_location or Location(legacy, pointer)
            legacy = ""
        location = Location(legacy or revision_file, pointer)
    message = _text(entry.get("text")) or rule_id
    return Finding(
        rule_id,
        severity,
        message,
        location,
        operation=operation,
        hint=_text(entry.get("comment")) or None,
        contract=contract,
        base_location=base_location,
    )


def _severity(level: object, index: int) -> Severity:
    key = level.strip().lower() if isinstance(level, str) else level
    severity = _LEVELS.get(key) if isinstance(key, (int, str)) and not isinstance(key, bool) else None
    if severity is None:
        raise _shape_error(f"change #{index + 1} has an unknown `level` {json.dumps(level)} (expected 1, 2 or 3)")
    return severity


def _pointer(method: str, path: str, section: str) -> str:
    if path:
        return to_pointer(["paths", path, method.lower()] if method else ["paths", path])
    if section in _SECTIONS_OUTSIDE_PATHS:
        return to_pointer([section])
    return ""


def _source(value: object, pointer: str) -> Location | None:
    """Read oasdiff's ``{"file", "line", "column"}`` source object (``None`` when absent or empty)."""
    if not isinstance(value, Mapping):
        return None
    file = _file(_text(value.get("file")))
    line, column = _number(value.get("line")), _number(value.get("column"))
    if not file and not line:
        return None
    return Location(file, pointer, line, column)


def _file(name: str) -> str:
    """Show an absolute path the way findings show files (relative to the working directory when below it)."""
    return display_name(Path(name)) if name and Path(name).is_absolute() else name


def _number(value: object) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else 0


def _text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


def _kind(value: object) -> str:
    kinds = (
        (bool, "a boolean"),
        (Mapping, "an object"),
        (list, "a list"),
        (str, "a string"),
        ((int, float), "a number"),
    )
    return next((name for kind, name in kinds if isinstance(value, kind)), "null")


def _tail(text: str, limit: int = 2000) -> str:
    return text if len(text) <= limit else "..." + text[-limit:]


def _shape_error(detail: str) -> InputError:
    return InputError(
        f"oasdiff's output is not the change list contractkit reads: {detail}",
        title="could not read oasdiff's output",
        tip="check the installed oasdiff version (`oasdiff --version`), or use --engine native.",
    )
