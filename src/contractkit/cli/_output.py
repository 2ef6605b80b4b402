"""Writing a report: to standard output, or atomically to a file (a crash never leaves half a report)."""

from __future__ import annotations

import io
import os
import sys
import tempfile
from pathlib import Path

from contractkit.findings import Report
from contractkit.reporters import REPORTERS


def emit(report: Report, fmt: str, output: Path | None, *, color: bool | None) -> None:
    """Render ``report`` as ``fmt`` to ``output`` (atomically) or to standard output."""
    reporter = REPORTERS[fmt]
    if output is None:
        use_color = color if color is not None else (sys.stdout.isatty() and "NO_COLOR" not in os.environ)
        reporter.render(report, sys.stdout, color=use_color)
        return
    buffer = io.StringIO()
    reporter.render(report, buffer, color=False)
    write_atomic(output, buffer.getvalue())


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file in the same folder and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
