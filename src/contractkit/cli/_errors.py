"""The one place that turns exceptions into text and exit codes.

0 clean; 1 findings at or above ``--fail-on``; 2 usage error or unreadable input; 70 a bug in contractkit
(the traceback goes to a log file whose path is printed); 130 interrupted.
"""

from __future__ import annotations

import datetime as dt
import platform
import sys
import tempfile
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import metadata
from typing import NoReturn, TextIO

import typer
from typer.exceptions import TyperException

from contractkit.errors import ContractkitError

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_INPUT = 2
EXIT_BUG = 70
EXIT_INTERRUPTED = 130


def format_error(error: ContractkitError) -> str:
    """Return the text shown for ``error``: a title, what went wrong, where, and a tip."""
    lines = [f"error: {error.title}", "", f"    {error.detail}"]
    location = error.location
    if location is not None:
        where = str(location)
        if location.pointer:
            where += f" (at {location.pointer})"
        lines.append(f"    in {where}")
    if error.tip:
        lines += ["", f"Tip: {error.tip}"]
    return "\n".join(lines) + "\n"


def print_error(error: ContractkitError, stream: TextIO | None = None) -> None:
    """Write :func:`format_error` of ``error`` to ``stream`` (default: standard error)."""
    (stream or sys.stderr).write(format_error(error))


@contextmanager
def error_boundary() -> Iterator[None]:
    """Map every exception raised inside to a message and an exit code (raised as :class:`typer.Exit`)."""
    try:
        yield
    except (typer.Exit, typer.Abort, TyperException):
        raise
    except ContractkitError as exc:
        print_error(exc)
        raise typer.Exit(EXIT_INPUT) from None
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        raise typer.Exit(EXIT_INTERRUPTED) from None
    except OSError as exc:
        if exc.filename is None:  # not about a path the user gave: a bug, below
            _crash()
        sys.stderr.write(
            f"error: cannot use `{exc.filename}`\n\n    {exc.strerror or exc}\n\n"
            "Tip: check that the folder exists and that you may write there, or choose another "
            "(`--out DIR`, `--output FILE`).\n"
        )
        raise typer.Exit(EXIT_INPUT) from None
    except Exception:
        _crash()


def _crash() -> NoReturn:
    log = _write_crash_log()
    sys.stderr.write(
        "error: contractkit crashed (this is a bug in contractkit, not in your contract)\n\n"
        f"    the traceback and versions are in {log}\n\n"
        "Tip: please report it with that file attached.\n"
    )
    raise typer.Exit(EXIT_BUG) from None


def _write_crash_log() -> str:
    try:
        version = metadata.version("contractkit")
    except metadata.PackageNotFoundError:  # pragma: no cover - running from a source tree
        version = "unknown"
    with tempfile.NamedTemporaryFile("w", prefix="contractkit-crash-", suffix=".log", delete=False) as handle:
        handle.write(f"contractkit {version}, Python {platform.python_version()}, {platform.platform()}\n")
        handle.write(f"{dt.datetime.now(dt.UTC).isoformat()}  argv: {sys.argv}\n\n")
        handle.write(traceback.format_exc())
        return handle.name
