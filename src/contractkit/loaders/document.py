"""A contract document: its root file, the files it references, and a cursor that walks it through ``$ref``.

Engines never see ``$ref``: :class:`Cursor` follows them on the way down and keeps, for every node, the file
and JSON pointer where it really lives, so a finding points at the source line, not at a bundled copy.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from contractkit.errors import ContractInvalid, ContractkitError, UnresolvedRef
from contractkit.findings import Location
from contractkit.kinds import SpecKind
from contractkit.loaders.files import FileStore
from contractkit.loaders.limits import Limits
from contractkit.loaders.refs import RefResolver
from contractkit.loaders.source import SourceFile
from contractkit.loaders.types import JsonValue
from contractkit.schema_errors import short


@dataclass(frozen=True, slots=True)
class SpecVersion:
    """The kind of a document and the version it declares (``openapi: 3.1.0`` -> OPENAPI, ``3.1.0``)."""

    kind: SpecKind
    version: str

    @property
    def major_minor(self) -> str:
        """Return ``3.1`` for ``3.1.0``."""
        return ".".join(self.version.split(".")[:2])


def detect_spec(file: SourceFile) -> SpecVersion:
    """Return what kind of contract ``file`` is.

    Raises:
        ContractInvalid: it is neither OpenAPI 3.x nor AsyncAPI 2.x/3.x.
    """
    data = file.data
    tip = "a contract starts with `openapi: 3.1.0` (or 3.0.x) or `asyncapi: 3.0.0` (or 2.x) and an `info` object."
    if not isinstance(data, dict):
        raise ContractInvalid(
            f"the document is a {type(data).__name__}, not a mapping",
            title=f"`{file.name}` is not an API contract",
            location=file.location(()),
            tip=tip,
        )
    for key, kind, majors, shown in (
        ("openapi", SpecKind.OPENAPI, ("3.0", "3.1"), "3.0.x, 3.1.x"),
        ("asyncapi", SpecKind.ASYNCAPI, ("2.", "3.0", "3.1"), "2.x, 3.0.x, 3.1.x"),
    ):
        if key in data:
            value = data[key]
            plain = isinstance(value, str | int | float) and not isinstance(value, bool)
            version = str(value) if plain else short(value)
            if not plain or not version.startswith(majors):
                raise ContractInvalid(
                    f"{key} version `{version}` is not supported (supported: {shown})",
                    title=f"unsupported contract `{file.name}`",
                    location=file.location((key,)),
                    tip=tip,
                )
            return SpecVersion(kind, version)
    if "swagger" in data:
        raise ContractInvalid(
            "Swagger 2.0 documents are not supported",
            title=f"unsupported contract `{file.name}`",
            location=file.location(("swagger",)),
            tip="convert it to OpenAPI 3 first (for example with swagger2openapi).",
        )
    raise ContractInvalid(
        "there is no `openapi` or `asyncapi` key at the top of the document",
        title=f"`{file.name}` is not an API contract",
        location=file.location(()),
        tip=tip,
    )


@dataclass(eq=False)
class Document:
    """A loaded contract: the root file plus everything its ``$ref``s reach.

    Attributes:
        root: the root file.
        spec: its kind and version.
        resolver: follows refs within ``root_dir``.
    """

    root: SourceFile
    spec: SpecVersion
    resolver: RefResolver
    _ref_problems: list[UnresolvedRef] | None = field(default=None, repr=False)
    _files: dict[str, SourceFile] = field(default_factory=dict, repr=False)

    @property
    def name(self) -> str:
        """Return the display name of the root file."""
        return self.root.name

    @property
    def data(self) -> JsonValue:
        """Return the root file's raw data (with ``$ref``s unresolved)."""
        return self.root.data

    def cursor(self) -> Cursor:
        """Return a cursor at the root of the document."""
        return Cursor(self, self.root, (), self.root.data)

    def ref_problems(self) -> list[UnresolvedRef]:
        """Check every ``$ref`` reachable from the root, once; return the ones that cannot be followed."""
        if self._ref_problems is None:
            self._ref_problems = self._check_refs()
        return self._ref_problems

    def files(self) -> list[SourceFile]:
        """Return every file the document reaches, the root first."""
        self.ref_problems()
        return list(self._files.values())

    def refs(self) -> Iterator[tuple[SourceFile, tuple[str, ...], str]]:
        """Yield every ``$ref`` in every reachable file as (file, pointer tokens of the ref object, ref)."""
        for file in self.files():
            for at, ref in _iter_refs(file, file.data, ()):
                yield file, at, ref

    def locate(self, path: tuple[str | int, ...], *, follow_last: bool = True) -> Location:
        """Return the source location of the node at ``path`` of the *resolved* document.

        Refs are followed on the way, so a path that runs through a shared file ends there. A path that
        leaves the document stops at the last node that exists. With ``follow_last=False`` a ``$ref`` at the
        end of the path is not followed: the location is the reference itself (where a value is wrong *as a
        reference*, for example a `$ref` where the specification wants a string).
        """
        cursor = self.cursor()
        for index, part in enumerate(path):
            if not follow_last and index == len(path) - 1 and cursor.is_ref(str(part)) is not None:
                return cursor.file.location((*cursor.parts, str(part)))
            child = cursor.get(str(part))
            if child is None:
                break
            cursor = child
        return cursor.location

    def _check_refs(self) -> list[UnresolvedRef]:
        problems: list[UnresolvedRef] = []
        queue = [self.root]
        self._files = {self.root.name: self.root}
        seen: set[tuple[str, object]] = set()
        while queue:
            file = queue.pop()
            for at, ref in _iter_refs(file, file.data, ()):
                try:
                    target = self.resolver.follow(file, (*at, "$ref"), ref)
                except UnresolvedRef as exc:
                    # A broken ref in a shared file is reached by every chain through it: report it once.
                    if (exc.detail, exc.location) not in seen:
                        seen.add((exc.detail, exc.location))
                        problems.append(exc)
                    continue
                if target.file.name not in self._files:
                    self._files[target.file.name] = target.file
                    queue.append(target.file)
                # A chain may pass through files the final target is not in: load those too.
                address = ref.partition("#")[0]
                if address:
                    step = self.resolver.resolve_once(file, (*at, "$ref"), ref).file
                    if step.name not in self._files:
                        self._files[step.name] = step
                        queue.append(step)
        return problems


def _iter_refs(file: SourceFile, value: JsonValue, at: tuple[str, ...]) -> Iterator[tuple[tuple[str, ...], str]]:
    stack: list[tuple[JsonValue, tuple[str, ...]]] = [(value, at)]
    while stack:
        node, parts = stack.pop()
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str):
                yield parts, ref
            stack.extend((child, (*parts, key)) for key, child in node.items() if isinstance(child, dict | list))
        elif isinstance(node, list):
            stack.extend((child, (*parts, str(i))) for i, child in enumerate(node) if isinstance(child, dict | list))


class Cursor:
    """A node of a document, reached through any number of ``$ref``s, that knows where it lives.

    Attributes:
        doc: the document.
        file: the file the node is in.
        parts: its JSON pointer tokens in that file.
        value: the node's value (never a ``{"$ref": ...}`` object, unless that ref cannot be followed).
    """

    __slots__ = ("doc", "file", "parts", "value")

    def __init__(self, doc: Document, file: SourceFile, parts: tuple[str, ...], value: JsonValue) -> None:
        self.doc = doc
        self.file = file
        self.parts = parts
        self.value = value

    @property
    def location(self) -> Location:
        """Return the source location of this node."""
        return self.file.location(self.parts)

    @property
    def key(self) -> str:
        """Return the last token of the pointer (the property name or index)."""
        return self.parts[-1] if self.parts else ""

    @property
    def identity(self) -> tuple[str, tuple[str, ...]]:
        """Return (file name, pointer tokens): equal for every path that reaches the same node."""
        return (self.file.name, self.parts)

    def get(self, key: str) -> Cursor | None:
        """Return the child at ``key`` with refs followed, or ``None`` if it is absent or its ref is broken."""
        value = self.value
        if isinstance(value, dict):
            if key not in value:
                return None
            child = value[key]
        elif isinstance(value, list) and key.isdigit() and int(key) < len(value):
            child = value[int(key)]
        else:
            return None
        return self._child(key, child)

    def items(self) -> Iterator[tuple[str, Cursor]]:
        """Yield (key, child) for a mapping, refs followed; broken refs are skipped (validate reports them)."""
        if isinstance(self.value, dict):
            for key, child in self.value.items():
                cursor = self._child(key, child)
                if cursor is not None:
                    yield key, cursor

    def elements(self) -> Iterator[Cursor]:
        """Yield the children of a list, refs followed; broken refs are skipped (validate reports them)."""
        if isinstance(self.value, list):
            for index, child in enumerate(self.value):
                cursor = self._child(str(index), child)
                if cursor is not None:
                    yield cursor

    def raw(self, key: str) -> JsonValue:
        """Return the raw child value at ``key`` (refs not followed), or ``None``."""
        return self.value.get(key) if isinstance(self.value, dict) else None

    def is_ref(self, key: str) -> str | None:
        """Return the ``$ref`` string of the child at ``key`` if that child is a reference."""
        child = self.raw(key)
        if isinstance(child, dict) and isinstance(child.get("$ref"), str):
            return str(child["$ref"])
        return None

    def _child(self, key: str, child: JsonValue) -> Cursor | None:
        parts = (*self.parts, key)
        if isinstance(child, dict) and isinstance(child.get("$ref"), str):
            try:
                target = self.doc.resolver.follow(self.file, (*parts, "$ref"), str(child["$ref"]))
            except UnresolvedRef:
                return None
            return Cursor(self.doc, target.file, target.parts, target.value)
        return Cursor(self.doc, self.file, parts, child)

    def __repr__(self) -> str:
        return f"Cursor({self.location})"


_DOCUMENTS: dict[tuple[Path, Path, Limits], tuple[SourceFile, Document]] = {}


def load_document(path: Path, *, root_dir: Path | None = None, limits: Limits | None = None) -> Document:
    """Return the contract at ``path``, parsed and checked once per process (as long as its file is unchanged).

    Refs may not leave ``root_dir`` (default: the file's directory).

    Raises:
        ContractNotFound, ContractSyntaxError, ContractInvalid: the root file cannot be used.
    """
    store = FileStore(limits)
    path = path.resolve()
    key = (path, (root_dir or path.parent).resolve(), store.limits)
    root = store.load(path)
    cached = _DOCUMENTS.get(key)
    if cached is not None and cached[0] is root and _unchanged(cached[1], store):
        return cached[1]
    doc = open_document(path, store=store, root_dir=root_dir)
    _DOCUMENTS[key] = (root, doc)
    return doc


def _unchanged(doc: Document, store: FileStore) -> bool:
    """Return whether every local file ``doc`` reached is still the one it parsed (the store caches by mtime)."""
    if doc.ref_problems():
        return False  # a missing file may have appeared since: check a broken document afresh
    for file in [doc.root, *doc.resolver.loaded_files()]:
        try:
            if store.load(file.path) is not file:
                return False
        except ContractkitError:
            return False
    return True


def forget_documents() -> None:
    """Forget the documents :func:`load_document` keeps."""
    _DOCUMENTS.clear()


def open_document(path: Path, *, store: FileStore, root_dir: Path | None = None) -> Document:
    """Load the contract at ``path``; refs may not leave ``root_dir`` (default: the file's directory).

    Raises:
        ContractNotFound, ContractSyntaxError, ContractInvalid: the root file cannot be used.
    """
    path = path.resolve()
    root = store.load(path)
    spec = detect_spec(root)
    base = (root_dir or path.parent).resolve()
    return Document(root, spec, RefResolver(store, base))


class _LocalRefs(RefResolver):
    """Follows only local refs (``#/...``): a document in memory has no files around it."""

    def _file_for(self, file: SourceFile, at: tuple[str, ...], ref: str, address: str) -> SourceFile:
        raise self._error(file, at, ref, "a document in memory has no files to follow", None)


def memory_document(data: dict[str, JsonValue], name: str = "<memory>", *, spec: SpecVersion | None = None) -> Document:
    """Return a document of values already in memory (a loaded dict, a bundle): local refs only.

    A ref to another file or a URL is broken (a :class:`Cursor` skips it). The kind is read from the data
    unless ``spec`` gives it.

    Raises:
        ContractInvalid: no ``spec`` is given and ``data`` is neither OpenAPI 3.x nor AsyncAPI 2.x/3.x.
    """
    root = SourceFile(name, Path(name), "", data)
    return Document(root, spec or detect_spec(root), _LocalRefs(FileStore(), Path("/")))
