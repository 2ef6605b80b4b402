"""Writing a report: to standard output, or atomically to a file (a crash never leaves half a report)."""

from __future__ import annotations

import io
import os
import sys
import tempfile
from pathlib import Path

from contractkit.errors import UsageError
from contractkit.findings import Report
from contractkit.outputs import Renderer


def emit(report: Report, reporter: Renderer[Report], output: Path | None, *, color: bool | None) -> None:
    """Render ``report`` with ``reporter`` to ``output`` (atomically) or to standard output."""
    if output is None:
        use_color = color if color is not None else (sys.stdout.isatty() and "NO_COLOR" not in os.environ)
        try:
            reporter.render(report, sys.stdout, color=use_color)
            sys.stdout.flush()
        except BrokenPipeError:
            # The reader went away (`| head`): not a bug. Stop writing; the exit code still tells the verdict.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return
    buffer = io.StringIO()
    reporter.render(report, buffer, color=False)
    write_atomic(output, buffer.getvalue())


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file in the same folder and a rename.

    Raises:
        UsageError: ``path`` is a folder.
    """
    if path.is_dir():
        raise UsageError(f"`{path}` is a folder", title="cannot write the report", tip="give --output a file name.")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; a report is read by CI uploaders running as others
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
