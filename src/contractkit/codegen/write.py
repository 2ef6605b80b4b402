"""Writing a whole generated package at once, and reading back what is on disk.

A package is written into a fresh folder next to its target and then swapped in with two renames, so a crash
leaves either the old package or the new one (plus a hidden leftover the next run removes), never a mix.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from pathlib import Path

_SKIP = {"__pycache__"}


def read_package(folder: Path) -> dict[str, bytes] | None:
    """Return the files of the package at ``folder`` (relative name -> bytes), or None when it does not exist."""
    if not folder.is_dir():
        return None
    files: dict[str, bytes] = {}
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if any(part in _SKIP for part in relative.parts) or not path.is_file():
            continue
        files[relative.as_posix()] = path.read_bytes()
    return files


def write_package(folder: Path, files: dict[str, bytes]) -> None:
    """Replace the package at ``folder`` by ``files`` (relative name -> bytes), atomically per package."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    _remove_leftovers(folder)
    staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}.new-", dir=folder.parent))
    try:
        for name, data in sorted(files.items()):
            path = staging / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            os.chmod(path, 0o644)
        os.chmod(staging, 0o755)
        if folder.exists():
            old = folder.parent / f".{folder.name}.old-{uuid.uuid4().hex[:8]}"
            os.rename(folder, old)
            try:
                os.rename(staging, folder)
            except BaseException:
                os.rename(old, folder)
                raise
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.rename(staging, folder)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def remove_package(folder: Path) -> None:
    """Remove the package at ``folder`` (renamed away first, so it disappears at once)."""
    if not folder.exists():
        return
    old = folder.parent / f".{folder.name}.old-{uuid.uuid4().hex[:8]}"
    os.rename(folder, old)
    shutil.rmtree(old, ignore_errors=True)


def _remove_leftovers(folder: Path) -> None:
    """Remove the staging and old folders a crashed run left next to ``folder``."""
    if not folder.parent.is_dir():
        return
    for stray in folder.parent.glob(f".{folder.name}.*"):
        if stray.is_dir() and (".new-" in stray.name or ".old-" in stray.name):
            shutil.rmtree(stray, ignore_errors=True)
