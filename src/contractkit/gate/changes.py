"""What changed since the base: the base revision (a merge base), the changed files, and who approved a line.

Git is a boundary here as in :mod:`contractkit.breaking.git`: every failure is a :class:`GitError` with the line
git printed and a tip, never a traceback::

    with GitRepo.discover(Path("contracts")) as repo:
        base = resolve_base(repo, None)            # the merge base of HEAD with main (or origin/main)
        files = changed_files(repo, base.commit)   # ["contracts/common/money.yaml", ...]
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Mapping
from pathlib import Path

from contractkit.breaking.git import GitError, GitRepo
from contractkit.gate.model import Base

__all__ = ["DEFAULT_BRANCH", "blame_line", "changed_files", "default_refs", "resolve_base"]

#: The branch a pull request is compared with when neither ``--base-ref`` nor the CI names one.
DEFAULT_BRANCH = "main"

#: Environment variables in which CI systems name a pull request's target branch.
_TARGET_BRANCH_VARIABLES = ("GITHUB_BASE_REF", "CI_MERGE_REQUEST_TARGET_BRANCH_NAME")

_FETCH_TIP = (
    "in CI, fetch the history the merge base needs (actions/checkout with `fetch-depth: 0`; GitLab "
    "`GIT_DEPTH: 0`), or name the base with `--base-ref REF`."
)


def default_refs(environ: Mapping[str, str] | None = None) -> list[str]:
    """Return the refs tried, in order, when ``--base-ref`` is not given.

    The pull request's target branch when the CI names it (``GITHUB_BASE_REF`` on GitHub,
    ``CI_MERGE_REQUEST_TARGET_BRANCH_NAME`` on GitLab), then ``main``; each as a local branch, then as
    ``origin/<branch>`` (a CI checkout often has only the remote one).
    """
    env = os.environ if environ is None else environ
    branches = [env[name] for name in _TARGET_BRANCH_VARIABLES if env.get(name)] + [DEFAULT_BRANCH]
    refs: list[str] = []
    for branch in branches:
        for ref in (branch, f"origin/{branch}"):
            if ref not in refs:
                refs.append(ref)
    return refs


def resolve_base(repo: GitRepo, ref: str | None, environ: Mapping[str, str] | None = None) -> Base:
    """Return the base of the comparison: the merge base of ``ref`` and ``HEAD``.

    That is ``ref`` itself when it is an ancestor of ``HEAD`` (``HEAD~1``, a ``main`` the branch is up to date
    with), and the fork point when ``main`` moved on since the branch was made, so changes merged to ``main``
    meanwhile are not taken for changes of the pull request.

    Raises:
        GitError: ``ref`` is unknown (or, without ``ref``, no default branch exists), ``HEAD`` has no commit, or
            the two have no common history (a shallow clone).
        UsageError: ``ref`` is empty or looks like an option.
    """
    if ref is None:
        candidates = default_refs(environ)
        found = next((r for r in candidates if _exists(repo, r)), None)
        if found is None:
            raise GitError(
                f"no base to compare with: none of {', '.join(f'`{r}`' for r in candidates)} exists here",
                title="cannot find the base of the pull request",
                tip="name it with `--base-ref REF` (a branch, tag or commit); " + _FETCH_TIP,
            )
        ref = found
    target = repo.resolve(ref)
    if not _exists(repo, "HEAD"):
        raise GitError("`HEAD` has no commit yet", title="cannot find the base of the pull request", tip=_FETCH_TIP)
    done = _git(repo.top, "merge-base", target, "HEAD")
    if done.returncode != 0:
        raise GitError(
            f"`{ref}` and `HEAD` have no common history" + _stderr(done),
            title="cannot find the base of the pull request",
            tip="a shallow clone lacks the fork point: " + _FETCH_TIP,
        )
    commit = done.stdout.decode("ascii").strip()
    return Base(ref, commit, ref if commit == target else _short(repo, commit))


def changed_files(repo: GitRepo, commit: str) -> list[str]:
    """Return the files that differ between ``commit`` and the work tree (staged or not, and untracked ones).

    Renames are a deletion and an addition, so both paths are listed. Paths are from the repository's top.

    Raises:
        GitError: git failed.
    """
    diff = _git(repo.top, "diff", "--name-only", "-z", "--no-renames", "--no-ext-diff", commit, "--")
    if diff.returncode != 0:
        raise GitError(f"`git diff {commit[:10]}` failed" + _stderr(diff), title="cannot list the changed files")
    untracked = _git(repo.top, "ls-files", "-z", "--others", "--exclude-standard")
    if untracked.returncode != 0:
        raise GitError("`git ls-files` failed" + _stderr(untracked), title="cannot list the changed files")
    names = {os.fsdecode(n) for n in (diff.stdout + b"\0" + untracked.stdout).split(b"\0") if n}
    return sorted(names)


def blame_line(repo: GitRepo, path: Path, line: int) -> str:
    """Return who last changed line ``line`` of ``path`` and in which commit (``Ana Silva in 1a2b3c4``).

    Best effort, for the "approved by" of an accepted change: ``not committed yet`` for a line of the work tree
    only, ``""`` when git cannot say (the file is outside the repository, the line does not exist).
    """
    if line < 1:
        return ""
    done = _git(repo.top, "blame", "--porcelain", "-L", f"{line},{line}", "--", str(path))
    if done.returncode != 0:
        return ""
    lines = done.stdout.decode("utf-8", errors="replace").splitlines()
    if not lines:
        return ""
    commit = lines[0].split(" ", 1)[0]
    author = next((text[len("author ") :] for text in lines if text.startswith("author ")), "")
    if set(commit) == {"0"}:
        return "not committed yet"
    return f"{author} in {commit[:7]}" if author else commit[:7]


def _exists(repo: GitRepo, ref: str) -> bool:
    return _git(repo.top, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}").returncode == 0


def _short(repo: GitRepo, commit: str) -> str:
    done = _git(repo.top, "rev-parse", "--short=10", commit)
    return done.stdout.decode("ascii").strip() if done.returncode == 0 else commit


def _git(cwd: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"}
    try:
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True, env=env, check=False)
    except OSError as exc:
        raise GitError(
            f"git could not be started: {exc.strerror or exc}",
            title="cannot read the base version from git",
            tip="install git and make sure it is on PATH.",
        ) from None


def _stderr(done: subprocess.CompletedProcess[bytes]) -> str:
    lines = done.stderr.decode("utf-8", errors="replace").strip().splitlines()
    return f" ({lines[-1]})" if lines else ""
