"""Following ``$ref``: local pointers, relative files, and (only when allowed) remote documents.

Every refusal is an :class:`~contractkit.errors.UnresolvedRef` that names the file, line and the ref.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urljoin, urlsplit

from contractkit.errors import ContractkitError, UnresolvedRef
from contractkit.loaders.pointer import check_escapes, parse_pointer, to_pointer
from contractkit.loaders.source import SourceFile, parse_source
from contractkit.loaders.types import JsonValue

if TYPE_CHECKING:
    from contractkit.loaders.files import FileStore

MAX_CHAIN = 64


@dataclass(frozen=True, slots=True)
class Target:
    """Where a ``$ref`` leads: the file, the pointer tokens in it, and the value there."""

    file: SourceFile
    parts: tuple[str, ...]
    value: JsonValue


class RefResolver:
    """Resolves ``$ref`` strings for one document, within a root directory that refs may not leave."""

    def __init__(self, store: FileStore, root_dir: Path) -> None:
        self.store = store
        self.root_dir = root_dir
        self._remote: dict[str, SourceFile] = {}
        # (referring file, address) -> file: resolving a path and stat-ing it is the cost of a cross-file ref.
        self._files: dict[tuple[str, str], SourceFile] = {}

    def loaded_files(self) -> list[SourceFile]:
        """Return every local file this resolver has loaded (also those whose pointer was then missing)."""
        return [file for file in self._files.values() if not self.is_remote(file)]

    def is_remote(self, file: SourceFile) -> bool:
        """Return whether ``file`` was fetched from a URL."""
        return file.name in self._remote

    def follow(self, file: SourceFile, at: tuple[str, ...], ref: str) -> Target:
        """Resolve ``ref`` found in ``file`` at ``at``, following chains of refs to a non-ref value.

        Raises:
            UnresolvedRef: missing file or pointer, a remote or escaping ref, or a circular chain.
        """
        seen: list[tuple[str, tuple[str, ...]]] = []
        target = self.resolve_once(file, at, ref)
        while isinstance(target.value, dict) and isinstance(target.value.get("$ref"), str):
            key = (target.file.name, target.parts)
            if key in seen or len(seen) >= MAX_CHAIN:
                chain = " -> ".join(f"{name}#{to_pointer(parts)}" for name, parts in [*seen, key])
                raise self._error(
                    file,
                    at,
                    ref,
                    f"circular `$ref` chain: {chain}",
                    "break the cycle: a `$ref` must end at a real object.",
                )
            seen.append(key)
            next_ref = target.value["$ref"]
            assert isinstance(next_ref, str)  # checked by the loop condition
            target = self.resolve_once(target.file, (*target.parts, "$ref"), next_ref)
        return target

    def resolve_once(self, file: SourceFile, at: tuple[str, ...], ref: str) -> Target:
        """Resolve ``ref`` one step (without following a ref found at the target)."""
        address, _, fragment = ref.partition("#")
        if not address:
            target_file = file
        else:
            key = (file.name, address)
            cached = self._files.get(key)
            if cached is None:
                cached = self._files[key] = self._file_for(file, at, ref, address)
            target_file = cached
        try:
            check_escapes(fragment)
            parts = parse_pointer(fragment)
        except ValueError as exc:
            raise self._error(
                file, at, ref, str(exc), "write the fragment as a JSON pointer: `#/components/schemas/Name`."
            ) from None
        value: JsonValue = target_file.data
        for index, part in enumerate(parts):
            if isinstance(value, dict) and part in value:
                value = value[part]
            elif isinstance(value, list) and part.isdigit() and int(part) < len(value):
                value = value[int(part)]
            else:
                missing = to_pointer(parts[: index + 1])
                raise self._error(
                    file,
                    at,
                    ref,
                    f"`{target_file.name}` has nothing at `{missing}`",
                    "check the spelling of the name; the pointer is case-sensitive.",
                )
        return Target(target_file, parts, value)

    def _file_for(self, file: SourceFile, at: tuple[str, ...], ref: str, address: str) -> SourceFile:
        if self.is_remote(file):  # a relative ref inside a remote document is relative to its URL
            address = urljoin(file.name, address)
        scheme = urlsplit(address).scheme.lower()
        if scheme in ("http", "https"):
            return self._remote_file(file, at, ref, address)
        if scheme == "file":
            path = Path(unquote(urlsplit(address).path))
        elif scheme and len(scheme) > 1:  # "c:" is a Windows drive, not a scheme
            raise self._error(file, at, ref, f"unsupported reference scheme `{scheme}:`", "use a relative file path.")
        else:
            path = Path(unquote(address))
        base = file.path.parent
        resolved = (base / path).resolve() if not path.is_absolute() else path.resolve()
        if not resolved.is_relative_to(self.root_dir):
            raise self._error(
                file,
                at,
                ref,
                f"the reference leaves the contracts root `{self.root_dir}`",
                "keep shared files under the contracts root (for example `contracts/common/`), or, for files "
                "outside a catalog, widen the root with `--root DIR`.",
            )
        try:
            return self.store.load(resolved)
        except UnresolvedRef:
            raise
        except ContractkitError as exc:
            raise self._error(file, at, ref, f"cannot load `{self.store.name_of(resolved)}`: {exc}", exc.tip) from None

    def _remote_file(self, file: SourceFile, at: tuple[str, ...], ref: str, url: str) -> SourceFile:
        if not self.store.limits.allow_remote:
            raise self._error(
                file,
                at,
                ref,
                "remote references are refused",
                "copy the document under the contracts root and refer to it by a relative path, "
                "or pass `--allow-remote-refs` if this run may use the network.",
            )
        cached = self._remote.get(url)
        if cached is not None:
            return cached
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                data = response.read(self.store.limits.max_bytes + 1)
        except urllib.error.HTTPError as exc:
            exc.close()  # an HTTPError holds the response's socket
            raise self._error(file, at, ref, f"cannot fetch `{url}`: {exc}", None) from None
        except (urllib.error.URLError, OSError) as exc:
            raise self._error(file, at, ref, f"cannot fetch `{url}`: {exc}", None) from None
        try:
            self.store.check_size(len(data), url)
            text = data.decode("utf-8-sig")
            name = urlsplit(url).path
            source = parse_source(text, name=url, path=Path(name or "/remote"), limits=self.store.limits)
        except UnicodeDecodeError:
            raise self._error(file, at, ref, f"`{url}` is not UTF-8 text", None) from None
        except ContractkitError as exc:
            raise self._error(file, at, ref, f"cannot load `{url}`: {exc}", exc.tip) from None
        self._remote[url] = source
        return source

    @staticmethod
    def _error(file: SourceFile, at: tuple[str, ...], ref: str, why: str, tip: str | None) -> UnresolvedRef:
        return UnresolvedRef(
            f"cannot follow `$ref: {ref}`: {why}",
            title=f"unresolved $ref in `{file.name}`",
            location=file.location(at),
            tip=tip,
        )
