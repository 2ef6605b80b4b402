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

__all__ = ["DEFAULT_BRANCH", "blame_line", "changed_files", "default_refs", "resolve_base", "target_branches"]

#: The branch a pull request is compared with when nothing names one (then ``master``).
DEFAULT_BRANCH = "main"

#: Environment variables naming the target: contractkit's own, then the CI systems' pull-request target branch.
_TARGET_BRANCH_VARIABLES = ("CONTRACTKIT_BASE_REF", "GITHUB_BASE_REF", "CI_MERGE_REQUEST_TARGET_BRANCH_NAME")

_FETCH_TIP = (
    "in CI, fetch the history the merge base needs (actions/checkout with `fetch-depth: 0`; GitLab "
    "`GIT_DEPTH: 0`), or name the base with `--base-ref REF`."
)


def target_branches(repo: GitRepo | None = None, environ: Mapping[str, str] | None = None) -> list[str]:
    """Return the names of the branch a change targets, most specific first (the one rule, docs/gate.md).

    ``CONTRACTKIT_BASE_REF`` (set by a team or a hook), the CI's pull-request target (``GITHUB_BASE_REF`` on
    GitHub, ``CI_MERGE_REQUEST_TARGET_BRANCH_NAME`` on GitLab), the remote's default branch (``origin/HEAD``, set
    by ``git clone``), then ``main`` and ``master``.
    """
    env = os.environ if environ is None else environ
    names = [env[name] for name in _TARGET_BRANCH_VARIABLES if env.get(name)]
    if repo is not None:
        head = _git(repo.top, "symbolic-ref", "--quiet", "--short", "refs/remotes/origin/HEAD")
        if head.returncode == 0:
            names.append(head.stdout.decode("utf-8", "replace").strip().removeprefix("origin/"))
    names += [DEFAULT_BRANCH, "master"]
    return list(dict.fromkeys(name for name in names if name))


def default_refs(environ: Mapping[str, str] | None = None, repo: GitRepo | None = None) -> list[str]:
    """Return the refs tried, in order, when ``--base-ref`` is not given: each target branch, local then remote."""
    refs: list[str] = []
    for branch in target_branches(repo, environ):
        for ref in (branch, f"origin/{branch}"):
            if ref not in refs and not (ref.startswith("origin/origin/")):
                refs.append(ref)
    return refs


def resolve_base(repo: GitRepo, ref: str | None, environ: Mapping[str, str] | None = None) -> Base:
    """Return the base of the comparison: the merge base of ``ref`` and ``HEAD``.

    That is ``ref`` itself when it is an ancestor of ``HEAD`` (``HEAD~1``, a ``main`` the branch is up to date
    with), and the fork point when ``main`` moved on since the branch was made, so changes merged to ``main``
    meanwhile are not taken for changes of the pull request.

    Without ``ref`` the target branch is found by :func:`target_branches`; when it exists both locally and as
    ``origin/<branch>``, the one whose merge base with ``HEAD`` is further along is used: a local ``main`` that a
    merge moved ahead of the remote, or a remote that moved ahead of a stale local ``main``. ``contractkit ci``,
    ``contractkit breaking --against-target`` and the pre-commit hook all resolve the base here.

    Raises:
        GitError: ``ref`` is unknown (or, without ``ref``, no target branch exists), ``HEAD`` has no commit, or
            the two have no common history (a shallow clone).
        UsageError: ``ref`` is empty or looks like an option.
    """
    if ref is None:
        ref = _target_ref(repo, environ)
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


def target_base(start: Path | None = None) -> Base:
    """Return the base of a change made in the repository around ``start`` (default: the working directory).

    :func:`resolve_base` without a ref, for callers that hold no repository: ``contractkit breaking
    --against-target`` and library users.
    """
    with GitRepo.discover(start or Path.cwd()) as repo:
        return resolve_base(repo, None)


def _target_ref(repo: GitRepo, environ: Mapping[str, str] | None) -> str:
    """Return the ref of the target branch to compare with (local or remote: the one further along)."""
    if not _exists(repo, "HEAD"):
        raise GitError("`HEAD` has no commit yet", title="cannot find the base of the pull request", tip=_FETCH_TIP)
    tried: list[str] = []
    for branch in target_branches(repo, environ):
        forms = [branch] if branch.startswith("origin/") else [branch, f"origin/{branch}"]
        tried += forms
        found = [form for form in forms if _exists(repo, form)]
        if not found:
            continue
        if len(found) == 1:
            return found[0]
        local, remote = (_merge_base(repo, form) for form in found)
        if local is None or (remote is not None and local != remote and _is_ancestor(repo, local, remote)):
            return found[1]
        return found[0]
    raise GitError(
        f"no base to compare with: none of {', '.join(f'`{r}`' for r in tried)} exists here",
        title="cannot find the base of the pull request",
        tip=(
            "set CONTRACTKIT_BASE_REF=<the branch pull requests target>, pass --base-ref REF, or run `git remote "
            "set-head origin --auto`; in CI, fetch the target branch with its history (actions/checkout with "
            "`fetch-depth: 0`; GitLab `GIT_DEPTH: 0`)."
        ),
    )


def _merge_base(repo: GitRepo, ref: str) -> str | None:
    done = _git(repo.top, "merge-base", ref, "HEAD")
    return done.stdout.decode("ascii").strip() if done.returncode == 0 else None


def _is_ancestor(repo: GitRepo, older: str, newer: str) -> bool:
    return _git(repo.top, "merge-base", "--is-ancestor", older, newer).returncode == 0


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
