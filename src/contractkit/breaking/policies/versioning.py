"""The versioning policy: ``info.version`` must say what the changes did, as semantic versioning means it.

The bump the changes need, from the findings left after the deprecation and stability policies and the ignores
file: a breaking change (``error``, not accepted) needs **major**; any other change **minor**; documents that
differ without a finding (descriptions, examples: every file the contract reaches is compared, ``info.version``
left out) **patch**; identical documents **none**. Versions are read leniently: ``v1.2`` is ``1.2.0``, and a
pre-release is allowed.

Then ``info.version`` of the revision against the base's:

- ``version-decreased`` (error): it went down;
- ``version-not-bumped`` (error): something changed but the version did not;
- ``version-bump-too-small``: ``error`` when a major bump is needed and not given, ``warning`` when a minor one
  is needed and only the patch went up;
- ``version-invalid`` (warning): a version is not semver, so nothing else can be checked.

Relaxations: in ``0.x`` a minor bump is enough for breaking changes (semver: anything may change before 1.0.0);
after a pre-release base (``2.0.0-rc.1``) any later version will do; and a contract that moves to a new major
path (every OpenAPI path, or the first server URL's path, has a ``/v<N>`` segment whose N went up) or channel
version (every AsyncAPI channel address has a ``v<N>`` segment that went up) needs any bump, not a major one.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass

from contractkit.breaking.changelog import BumpAdvice
from contractkit.breaking.registry import ERROR, POLICY, WARNING, AnyChangeRule, breaking_rule, fired, is_note
from contractkit.findings import Finding, Severity
from contractkit.kinds import SpecKind
from contractkit.loaders.document import Cursor, Document
from contractkit.loaders.equivalence import same_content
from contractkit.loaders.types import JsonValue

__all__ = [
    "VERSIONING_RULES",
    "Version",
    "check_versioning",
    "parse_version",
    "required_bump",
    "version_bump_too_small",
    "version_decreased",
    "version_invalid",
    "version_not_bumped",
]

BOTH = (SpecKind.OPENAPI, SpecKind.ASYNCAPI)
#: Bumps, smallest first; ``pre`` is any increase (after a pre-release base, or under a new major path).
_RANKS = {"none": 0, "pre": 1, "patch": 2, "minor": 3, "major": 4}
_VERSION = re.compile(
    r"[vV]?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?",
    re.ASCII,
)
_PATH_MAJOR = re.compile(r"(?:^|/)v(\d+)(?=/|$)", re.ASCII | re.IGNORECASE)
_CHANNEL_MAJOR = re.compile(r"(?:^|[./:_-])v(\d+)(?=$|[./:_-])", re.ASCII | re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Version:
    """A semantic version: ``MAJOR.MINOR.PATCH`` and a pre-release (build metadata is ignored)."""

    major: int
    minor: int
    patch: int
    pre: tuple[str, ...] = ()

    def key(self) -> tuple[int, int, int, int, tuple[tuple[int, int, str], ...]]:
        """Return the semver precedence key (a pre-release sorts before its release)."""
        pre = tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in self.pre)
        return (self.major, self.minor, self.patch, 0 if self.pre else 1, pre)


def parse_version(text: str | None) -> Version | None:
    """Return the version ``text`` means (``v1.2`` is ``1.2.0``), or ``None`` when it is not one."""
    if text is None:
        return None
    match = _VERSION.fullmatch(text.strip())
    if match is None:
        return None
    major, minor, patch, pre = match.groups()
    return Version(int(major), int(minor or 0), int(patch or 0), tuple(pre.split(".")) if pre else ())


def _given(base: Version, revision: Version) -> str:
    """Return the bump from ``base`` to ``revision``: ``decreased``, ``none``, ``pre``, ``patch``, ``minor``..."""
    if revision.key() < base.key():
        return "decreased"
    if revision.key() == base.key():
        return "none"
    if revision.major > base.major:
        return "major"
    if revision.minor > base.minor:
        return "minor"
    return "patch" if revision.patch > base.patch else "pre"


def required_bump(findings: Iterable[Finding], base: Document, revision: Document) -> str:
    """Return ``major``, ``minor``, ``patch`` or ``none``: what the changes of a contract need."""
    changes = [f for f in findings if not is_note(f.rule_id) and f.severity is not Severity.OFF]
    if any(f.severity is Severity.ERROR and f.accepted is None for f in changes):
        return "major"
    if changes:
        return "minor"
    # What the contract says, refs followed, `info.version` left out: a node of a shared file that this contract
    # does not reach does not count, and a contract is the same as its bundle.
    return "none" if same_content(base, revision) else "patch"


def _version_cursor(doc: Document) -> Cursor | None:
    info = doc.cursor().get("info")
    return info.get("version") if info is not None else None


def _text(value: JsonValue) -> str | None:
    return value if isinstance(value, str) else (None if value is None else json.dumps(value))


def _minimum(base: Version, bump: str) -> str | None:
    if bump == "major":
        return f"{base.major + 1}.0.0"
    if bump == "minor":
        return f"{base.major}.{base.minor + 1}.0"
    if bump == "patch":
        return f"{base.major}.{base.minor}.{base.patch + 1}"
    return None


def new_major_home(base: Document, revision: Document) -> str | None:
    """Return the new major path or channel version the revision lives under (``/v2``), or ``None``."""
    after = _majors(revision)
    if not after:
        return None
    before = _majors(base) or {1}  # an unversioned base is version 1
    if min(after) > max(before):
        return f"/v{min(after)}" if revision.spec.kind is SpecKind.OPENAPI else f"v{min(after)}"
    return None


def _majors(doc: Document) -> set[int]:
    """The ``v<N>`` of the first server path, else of every path (or channel address); empty if one has none."""
    if doc.spec.kind is SpecKind.OPENAPI:
        from contractkit.breaking.openapi.operations import base_path

        server = _PATH_MAJOR.search(base_path(doc))
        if server is not None:
            return {int(server.group(1))}
        paths = doc.data.get("paths") if isinstance(doc.data, dict) else None
        names = [p for p in paths if p.startswith("/")] if isinstance(paths, dict) else []
        pattern = _PATH_MAJOR
    else:
        from contractkit.breaking.asyncapi.model import read_model

        names = list(read_model(doc).channels)
        pattern = _CHANNEL_MAJOR
    found = [pattern.search(name) for name in names]
    if not found or any(m is None for m in found):
        return set()
    return {int(m.group(1)) for m in found if m is not None}


def check_versioning(
    base: Document, revision: Document, findings: list[Finding], *, name: str, contract: str | None
) -> tuple[BumpAdvice, list[Finding]]:
    """Return the bump the changes need and the versioning findings (see the module docstring).

    The findings are what :data:`VERSIONING_RULES` say about the :class:`VersionCheck`.

    Args:
        base: the base document.
        revision: the revision document.
        findings: the contract's changes, after the other policies and the ignores file.
        name: how the advice names the contract (its id, or its file).
        contract: the catalog id, for the findings.
    """
    required = required_bump(findings, base, revision)
    base_at, revision_at = _version_cursor(base), _version_cursor(revision)
    base_text = _text(base_at.value) if base_at is not None else None
    revision_text = _text(revision_at.value) if revision_at is not None else None
    old, new = parse_version(base_text), parse_version(revision_text)
    report = _Reporter(revision_at or revision.cursor().get("info") or revision.cursor(), base_at, contract)
    if old is None or new is None:
        advice, given = BumpAdvice(name, required, base_text, revision_text), None
    else:
        needed, note = required, ""
        if needed != "none" and old.pre:
            needed, note = "pre", f"after the pre-release {base_text}, any later version will do"
        elif needed == "major" and old.major == 0:
            needed, note = "minor", "0.x: a minor bump is enough for breaking changes"
        if needed == "major":
            home = new_major_home(base, revision)
            if home is not None:
                needed, note = "pre", f"it lives under the new major version `{home}`"
        given = _given(old, new)
        ok = given != "decreased" and _RANKS[given] >= _RANKS[needed]
        advice = BumpAdvice(name, required, base_text, revision_text, _minimum(old, needed), ok, note)
    check = VersionCheck(advice, old is not None, new is not None, given, report)
    return advice, [finding for _, finding in fired(VERSIONING_RULES, check)]


@dataclass(frozen=True, slots=True)
class VersionCheck:
    """What the versioning rules judge: the bump the changes need, and the one ``info.version`` was given.

    Attributes:
        advice: the bump needed and the versions (``advice.ok`` is ``None`` when a version is not semver).
        old_valid: the base's version is a semantic version.
        new_valid: the revision's version is.
        given: the bump given (``decreased``, ``none``, ``pre``, ``patch``, ``minor``, ``major``), or ``None`` when
            a version is not semver (or absent).
        report: makes a finding at the revision's ``info.version`` (and the base's).
    """

    advice: BumpAdvice
    old_valid: bool
    new_valid: bool
    given: str | None
    report: _Reporter


#: The versioning rules, in the order they are judged (at most one fires: they judge exclusive cases).
VERSIONING_RULES: list[AnyChangeRule] = []


@breaking_rule(
    id="version-decreased",
    level=ERROR,
    direction="versioning",
    summary="a version that goes down tells clients and package managers that this contract is older than the last one",
    fix="give the revision a version above the base's.",
    category=POLICY,
    specs=BOTH,
    group=VERSIONING_RULES,
)
def version_decreased(check: VersionCheck) -> Finding | None:
    """The revision's `info.version` is lower than the base's (semver precedence, pre-releases included).

    Clients, generated SDKs and package managers take the higher version for the newer contract, so they keep
    the old one or downgrade.
    """
    if check.given != "decreased":
        return None
    advice = check.advice
    message = f"`info.version` went down from `{advice.base_version}` to `{advice.revision_version}`"
    return check.report(version_decreased, message)


@breaking_rule(
    id="version-not-bumped",
    level=ERROR,
    direction="versioning",
    summary="two different contracts under one version: clients cannot tell which one they were built against",
    fix="bump `info.version` as the changes need (`contractkit breaking` prints which bump).",
    category=POLICY,
    specs=BOTH,
    group=VERSIONING_RULES,
)
def version_not_bumped(check: VersionCheck) -> Finding | None:
    """The contract changed (a finding, or any difference outside `info.version`) but its version did not.

    Two different contracts then share one version, and neither clients nor published SDKs can tell which one
    they were built against.
    """
    advice = check.advice
    if check.given != "none" or advice.required == "none":
        return None
    wanted = f" (`{advice.minimum}` or later)" if advice.minimum else ""
    message = (
        f"`info.version` is still `{advice.revision_version}` although the contract changed: it needs a "
        f"{advice.required} bump{wanted}"
    )
    return check.report(version_not_bumped, message)


@breaking_rule(
    id="version-bump-too-small",
    level=ERROR,
    direction="versioning",
    summary="a minor or patch release that breaks clients defeats semver: dependency ranges such as `^1.4` pull it in "
    "(an error when a major bump is needed, a warning when a minor one is)",
    fix="bump the part the changes need: major for a breaking change, minor for a new feature.",
    category=POLICY,
    specs=BOTH,
    group=VERSIONING_RULES,
)
def version_bump_too_small(check: VersionCheck) -> Finding | None:
    """The version went up, but by less than the changes need: a minor or patch bump for a breaking change.

    Dependency ranges such as `^1.4` or `~1.4.2` pull the release in automatically, breaking the clients that
    trusted them. It is an error when a major bump is needed, and a warning when a minor one is and only the
    patch went up. In `0.x`, after a pre-release, and under a new major path, the relaxations of the versioning
    policy apply.
    """
    advice, given = check.advice, check.given
    if given is None or given == "decreased" or (given == "none" and advice.required != "none") or advice.ok:
        return None
    message = (
        f"`info.version` went from `{advice.base_version}` to `{advice.revision_version}`, a {given} bump: the "
        f"changes need a {advice.required} bump (`{advice.minimum}` or later)"
    )
    return check.report(version_bump_too_small, message, level=ERROR if advice.required == "major" else WARNING)


@breaking_rule(
    id="version-invalid",
    level=WARNING,
    direction="versioning",
    summary="`info.version` is not a semantic version: the bump the changes need cannot be checked",
    fix="write `info.version` as `MAJOR.MINOR.PATCH`.",
    category=POLICY,
    specs=BOTH,
    group=VERSIONING_RULES,
)
def version_invalid(check: VersionCheck) -> Finding | None:
    """The base's or the revision's `info.version` is not a semantic version (`v1.2` and `1.2` are read as one).

    Nothing can check that the version says what the changes did; unchanged documents need no bump, and are not
    reported.
    """
    advice = check.advice
    base_text, revision_text = advice.base_version, advice.revision_version
    invalid = check.old_valid == (base_text is None) or check.new_valid == (revision_text is None)
    if check.given is not None or not invalid or advice.required == "none":
        return None
    whose, bad = (
        ("`info.version`", revision_text)
        if not check.new_valid and revision_text is not None
        else ("the base's `info.version`", base_text)
    )
    message = (
        f"{whose} `{bad}` is not a semantic version: the {advice.required} bump the changes need cannot be checked"
    )
    return check.report(version_invalid, message)


@dataclass(frozen=True, slots=True)
class _Reporter:
    """Makes versioning findings at the revision's ``info.version`` (and the base's)."""

    at: Cursor
    before: Cursor | None
    contract: str | None

    def __call__(self, rule: AnyChangeRule, message: str, *, level: Severity | None = None) -> Finding:
        return Finding(
            rule.id,
            level or rule.level,
            message,
            self.at.location,
            hint=rule.fix,
            contract=self.contract,
            base_location=self.before.location if self.before is not None else None,
        )
