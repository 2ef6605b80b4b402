"""Reading contract files from disk, once per process, within the loader's limits."""

from __future__ import annotations

from pathlib import Path

from contractkit._gc import gc_paused
from contractkit.errors import ContractNotFound, ContractSyntaxError, InputError
from contractkit.findings import Location
from contractkit.loaders.limits import Limits
from contractkit.loaders.source import SourceFile, parse_source

_MIB = 1024 * 1024

# Parsed files, shared by every document of the process: (path, mtime, size, limits) -> file.
_CACHE: dict[tuple[Path, int, int, Limits], SourceFile] = {}


def display_name(path: Path) -> str:
    """Return ``path`` relative to the working directory when it is below it (as findings show it)."""
    try:
        return path.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return path.as_posix()


class FileStore:
    """Reads and parses files for the documents of one command, with a process-wide cache.

    Subclasses change where bytes come from (a git revision, for example) by overriding :meth:`read_bytes`
    and :meth:`cache_key`.
    """

    def __init__(self, limits: Limits | None = None) -> None:
        self.limits = limits or Limits()

    def load(self, path: Path) -> SourceFile:
        """Return the parsed file at ``path`` (absolute).

        Raises:
            ContractNotFound: there is no such file.
            ContractSyntaxError: it is too big, not UTF-8, or cannot be parsed.
        """
        key = self.cache_key(path)
        cached = _CACHE.get(key) if key is not None else None
        if cached is not None:
            return cached
        name = self.name_of(path)
        data = self.read_bytes(path)
        text = _decode(data, name)
        with gc_paused():
            source = parse_source(text, name=name, path=path, limits=self.limits)
        if key is not None:
            _CACHE[key] = source
        return source

    def name_of(self, path: Path) -> str:
        """Return the name findings use for ``path``."""
        return display_name(path)

    def exists(self, path: Path) -> bool:
        """Return whether ``path`` is a file this store can read."""
        return path.is_file()

    def cache_key(self, path: Path) -> tuple[Path, int, int, Limits] | None:
        """Return the cache key of ``path``, or ``None`` to not cache it."""
        try:
            stat = path.stat()
        except OSError:
            return None
        return (path, stat.st_mtime_ns, stat.st_size, self.limits)

    def read_bytes(self, path: Path) -> bytes:
        """Return the content of ``path``, refusing files over the size limit before reading them."""
        name = self.name_of(path)
        try:
            size = path.stat().st_size
            if path.is_dir():
                raise InputError(
                    "this is a directory, not a contract file",
                    title=f"could not load `{name}`",
                    tip="name a file, or a contract id from the catalog.",
                )
            self.check_size(size, name)
            with path.open("rb") as handle:
                # Read one byte more than allowed: a file that grew since stat() is still refused.
                data = handle.read(self.limits.max_bytes + 1)
        except FileNotFoundError:
            raise ContractNotFound(
                "no such file",
                title=f"could not load `{name}`",
                location=Location(name),
                tip="check the path; `contractkit validate` with no argument checks every contract in the catalog.",
            ) from None
        except PermissionError:
            raise InputError("permission denied", title=f"could not load `{name}`", location=Location(name)) from None
        self.check_size(len(data), name)
        return data

    def check_size(self, size: int, name: str) -> None:
        """Refuse a document bigger than the limit.

        Raises:
            ContractSyntaxError: ``size`` is over ``limits.max_bytes``.
        """
        if size > self.limits.max_bytes:
            raise ContractSyntaxError(
                f"the document is {_size(size)}, over the limit of {_size(self.limits.max_bytes)}",
                title=f"could not load `{name}`",
                location=Location(name),
                tip="split it into files joined by relative `$ref`s, or raise the limit with `--max-bytes`.",
            )


def _size(count: int) -> str:
    return f"{count / _MIB:.1f} MiB" if count >= _MIB // 10 else f"{count:,} bytes"


def _decode(data: bytes, name: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise ContractSyntaxError(
            f"the file is not valid UTF-8 (byte 0x{data[exc.start]:02x})",
            title=f"could not load `{name}`",
            location=Location(name, "", line, column),
            tip="save the file as UTF-8.",
        ) from None


def clear_cache() -> None:
    """Forget every parsed file and document (tests use it; a long-running process may too)."""
    from contractkit.loaders.document import forget_documents

    _CACHE.clear()
    forget_documents()


__all__ = ["FileStore", "clear_cache", "display_name"]
