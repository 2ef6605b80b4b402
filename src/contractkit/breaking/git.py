"""Reading contracts as they were at a git revision: one ``ls-tree`` and one ``cat-file --batch`` per revision.

:class:`GitFileStore` is a :class:`~contractkit.loaders.files.FileStore` whose bytes come from a commit
instead of the work tree, so a document opened with it follows its relative ``$ref``s into the files *as they
were at that revision* (a ``../common/money.yaml`` changed since is read at the revision too). Paths stay work
tree paths (the resolver, the root check and the caches work unchanged); file names shown in findings are
``<ref>:<path from the repository root>``, which ``git show`` accepts as they are.

Git is a boundary: every failure becomes a :class:`GitError` with the line git printed, never a traceback::

    with GitRepo.discover(Path("contracts")) as repo:
        store = GitFileStore(repo, "origin/main")
        doc = open_document(Path("contracts/b2b-orders/openapi.yaml"), store=store, root_dir=Path("contracts"))
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import subprocess
from pathlib import Path, PurePosixPath
from types import TracebackType
from typing import IO

from contractkit.errors import ContractkitError, ContractNotFound, ToolFailed, UsageError
from contractkit.findings import Location
from contractkit.loaders.files import FileStore
from contractkit.loaders.limits import Limits
from contractkit.loaders.source import SourceFile

__all__ = ["GitError", "GitFileStore", "GitRepo"]

_SHALLOW_TIP = (
    "check the name (`git log --oneline -5`, `git branch -a`); in CI, fetch the history the ref needs "
    "(actions/checkout with `fetch-depth: 0`, or `git fetch origin main`)."
)


class GitError(ToolFailed):
    """Git could not give what was asked: not a repository, an unknown revision, git missing or failing."""

    default_title = "git failed"


class GitRepo:
    """A git work tree, read at revisions through one long-running ``git cat-file --batch`` process.

    Use it as a context manager (or call :meth:`close`) so the ``cat-file`` process is ended.

    Attributes:
        top: the absolute, resolved top folder of the work tree.
    """

    def __init__(self, top: Path) -> None:
        self.top = top
        self._batch: subprocess.Popen[bytes] | None = None

    @classmethod
    def discover(cls, start: Path) -> GitRepo:
        """Return the repository whose work tree holds ``start`` (a folder or a file).

        Raises:
            GitError: ``start`` is not inside a git work tree, or git is not installed.
        """
        folder = start.resolve()
        while not folder.is_dir() and folder != folder.parent:
            folder = folder.parent
        done = _git(folder, "rev-parse", "--show-toplevel", check=False)
        if done.returncode != 0:
            raise GitError(
                f"`{_shown(folder)}` is not inside a git repository ({_last_line(done.stderr)})",
                title="cannot read the base version from git",
                tip="run from a clone of the repository, or compare two files: `contractkit breaking BASE REVISION`.",
            )
        return cls(Path(os.fsdecode(done.stdout.strip())).resolve())

    def resolve(self, ref: str) -> str:
        """Return the commit id that ``ref`` (a branch, tag, ``HEAD~1``, a commit id...) names.

        Raises:
            UsageError: ``ref`` is empty or starts with ``-`` (it would be read as an option).
            GitError: no commit has that name here.
        """
        if not ref.strip() or ref.startswith("-"):
            raise UsageError(f"`{ref}` is not a git revision", tip="name a branch, a tag or a commit: `HEAD~1`.")
        done = _git(self.top, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}", check=False)
        if done.returncode != 0:
            where = _shown(self.top)
            raise GitError(
                f"unknown git revision `{ref}`" + (f" in the repository `{where}`" if where != "." else ""),
                title="cannot read the base version from git",
                tip=_SHALLOW_TIP,
            )
        return done.stdout.decode("ascii").strip()

    def tree(self, commit: str, under: str = "") -> dict[str, tuple[str, int]]:
        """Return every blob of ``commit`` below the folder ``under`` (a path from the top; ``""``: all).

        Returns:
            ``{path from the top (posix): (blob id, size in bytes)}``; symlinks and submodules are left out.
        """
        spec = ["--", under] if under else []
        out = _git(self.top, "ls-tree", "-r", "-l", "-z", "--full-tree", commit, *spec).stdout
        files: dict[str, tuple[str, int]] = {}
        for record in out.split(b"\0"):
            if not record:
                continue
            meta, _, name = record.partition(b"\t")
            mode, kind, blob, size = meta.split()
            if kind == b"blob" and mode != b"120000":
                files[os.fsdecode(name)] = (blob.decode("ascii"), int(size))
        return files

    def read_blob(self, blob: str) -> bytes:
        """Return the content of the blob ``blob``, through the one ``cat-file --batch`` process.

        Raises:
            GitError: git cannot give the object.
        """
        process = self._batch
        if process is None:
            process = self._batch = _popen(self.top, "cat-file", "--batch")
        stdin, stdout = _pipes(process)
        try:
            stdin.write(blob.encode("ascii") + b"\n")
            stdin.flush()
            header = stdout.readline().split()
            if len(header) != 3:
                raise GitError(f"git cannot read the object `{blob}`: {b' '.join(header).decode(errors='replace')}")
            size = int(header[2])
            data = stdout.read(size)
            stdout.read(1)  # the newline after the content
        except (OSError, ValueError) as exc:
            self.close()
            raise GitError(f"`git cat-file` failed while reading `{blob}`: {exc}") from None
        if len(data) != size:
            self.close()
            raise GitError(f"`git cat-file` stopped while reading `{blob}`")
        return data

    def relative(self, path: Path) -> str | None:
        """Return ``path`` (absolute) as a posix path from the top, or ``None`` when it is outside the work tree."""
        try:
            return PurePosixPath(path.resolve().relative_to(self.top)).as_posix()
        except ValueError:
            return None

    def close(self) -> None:
        """End the ``cat-file`` process, if one was started."""
        process, self._batch = self._batch, None
        if process is not None:
            if process.stdin is not None:
                process.stdin.close()
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:  # pragma: no cover - git ends at end of input
                process.kill()
                process.wait()
            if process.stdout is not None:
                process.stdout.close()

    def __enter__(self) -> GitRepo:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.close()


class GitFileStore(FileStore):
    """A file store that reads work tree paths as they were at a git revision.

    Args:
        repo: the repository (its ``cat-file`` process is shared by every store over it).
        ref: the revision as the user wrote it (it names the files: ``HEAD~1:contracts/mes/openapi.yaml``).
        limits: the loader limits (a blob over ``max_bytes`` is refused before it is read).
        under: a folder (absolute) to list: files outside it read as missing. Default: the whole work tree.

    Raises:
        UsageError, GitError: ``ref`` names no commit.
    """

    def __init__(self, repo: GitRepo, ref: str, limits: Limits | None = None, *, under: Path | None = None) -> None:
        super().__init__(limits)
        self.repo = repo
        self.ref = ref
        self.commit = repo.resolve(ref)
        self._under = (repo.relative(under) or "") if under is not None else ""
        if self._under == ".":
            self._under = ""
        self._files: dict[str, tuple[str, int]] | None = None
        self._twins: dict[Path, SourceFile | None] = {}

    @property
    def files(self) -> dict[str, tuple[str, int]]:
        """Return ``{path from the top: (blob id, size)}`` of the revision (listed once, on first use)."""
        if self._files is None:
            self._files = self.repo.tree(self.commit, self._under)
        return self._files

    def load(self, path: Path) -> SourceFile:
        """Return the parsed file at ``path`` as it was at the revision.

        A file unchanged since (the same blob id as the work tree's bytes: most files of a pull request) is
        parsed once for both sides: the work tree's parse is shared, under the ``<ref>:<path>`` name.

        Raises:
            ContractNotFound: there was no such file at the revision.
            ContractSyntaxError: it is too big or cannot be parsed.
            GitError: git failed.
        """
        if path not in self._twins:
            self._twins[path] = self._work_tree_twin(path)
        twin = self._twins[path]
        return twin if twin is not None else super().load(path)

    def name_of(self, path: Path) -> str:
        """Return ``<ref>:<path from the top>`` (or ``<ref>:<path>`` for a path outside the work tree)."""
        return f"{self.ref}:{self.repo.relative(path) or path.as_posix()}"

    def exists(self, path: Path) -> bool:
        """Return whether ``path`` was a file at the revision."""
        relative = self.repo.relative(path)
        return relative is not None and relative in self.files

    def cache_key(self, path: Path) -> tuple[Path, int, int, Limits] | None:
        """Key by the blob id: a file unchanged between two revisions is still parsed once per name."""
        entry = self._entry(path)
        if entry is None:
            return None
        return (Path(self.name_of(path)), int(entry[0], 16), entry[1], self.limits)

    def read_bytes(self, path: Path) -> bytes:
        """Return the content of ``path`` at the revision.

        Raises:
            ContractNotFound: there was no such file at the revision.
            ContractSyntaxError: the blob is over the size limit.
            GitError: git failed.
        """
        name = self.name_of(path)
        entry = self._entry(path)
        if entry is None:
            raise ContractNotFound(
                f"`{name.partition(':')[2]}` does not exist at `{self.ref}`",
                title=f"could not load `{name}`",
                location=Location(name),
                tip=f"`git log --oneline {self.ref} -- <path>` shows when it was added; "
                "compare against a later revision, or two files.",
            )
        self.check_size(entry[1], name)
        return self.repo.read_blob(entry[0])

    def _work_tree_twin(self, path: Path) -> SourceFile | None:
        entry = self._entry(path)
        if entry is None:
            return None
        blob, size = entry
        try:
            if path.stat().st_size != size:
                return None
            data = path.read_bytes()
        except OSError:
            return None
        digest = hashlib.sha1 if len(blob) == 40 else hashlib.sha256  # git object ids, not a security use
        if digest(b"blob %d\0" % len(data) + data).hexdigest() != blob:
            return None
        try:
            source = FileStore(self.limits).load(path)
        except ContractkitError:
            return None  # read it from git, so the error names the revision
        return dataclasses.replace(source, name=self.name_of(path))

    def _entry(self, path: Path) -> tuple[str, int] | None:
        relative = self.repo.relative(path)
        return self.files.get(relative) if relative is not None else None


def _env() -> dict[str, str]:
    # No pager, no prompt, no translation (so the messages we quote are the ones users search for).
    return {**os.environ, "GIT_PAGER": "cat", "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"}


def _git(cwd: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[bytes]:
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, env=_env(), check=False)
    except FileNotFoundError:
        raise _no_git() from None
    except OSError as exc:
        raise GitError(f"git could not be started: {exc.strerror or exc}") from None
    if check and done.returncode != 0:
        raise GitError(f"`git {' '.join(args[:2])}` failed: {_last_line(done.stderr)}")
    return done


def _popen(cwd: Path, *args: str) -> subprocess.Popen[bytes]:
    try:
        pipe = subprocess.PIPE
        return subprocess.Popen(["git", *args], cwd=cwd, stdin=pipe, stdout=pipe, stderr=subprocess.DEVNULL, env=_env())
    except FileNotFoundError:
        raise _no_git() from None
    except OSError as exc:
        raise GitError(f"git could not be started: {exc.strerror or exc}") from None


def _pipes(process: subprocess.Popen[bytes]) -> tuple[IO[bytes], IO[bytes]]:
    if process.stdin is None or process.stdout is None:  # pragma: no cover - both are PIPE
        raise GitError("`git cat-file` has no pipes")
    return process.stdin, process.stdout


def _no_git() -> GitError:
    return GitError(
        "git is not installed (no `git` on PATH)",
        title="cannot read the base version from git",
        tip="install git, or compare two files: `contractkit breaking BASE REVISION`.",
    )


def _last_line(stderr: bytes) -> str:
    lines = [line.strip() for line in stderr.decode("utf-8", errors="replace").splitlines() if line.strip()]
    return lines[-1] if lines else "no message"


def _shown(path: Path) -> str:
    try:
        return path.relative_to(Path.cwd()).as_posix() or "."
    except ValueError:
        return path.as_posix()
