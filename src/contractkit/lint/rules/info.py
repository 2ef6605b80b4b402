"""House rules for the `info` object of OpenAPI and AsyncAPI contracts."""

from __future__ import annotations

import re

from contractkit.findings import Severity
from contractkit.kinds import SpecKind
from contractkit.lint.context import LintContext
from contractkit.lint.registry import lint_rule
from contractkit.schema_errors import short

# The regular expression that https://semver.org/spec/v2.0.0.html recommends, ASCII digits only.
_IDENTIFIER = r"(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)"
_SEMVER = re.compile(
    r"(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
    rf"(?:-{_IDENTIFIER}(?:\.{_IDENTIFIER})*)?"
    r"(?:\+[0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*)?",
    re.ASCII,
)
# `v1`, `1.2`, `V1.2.3`: a version that is semver once the `v` is dropped and the missing parts are zeros.
_ALMOST = re.compile(r"[vV]?(\d+)(?:\.(\d+))?(?:\.(\d+))?", re.ASCII)


def _suggest(version: str) -> str | None:
    """Return the semver spelling of a near-miss such as ``v1.2`` (``1.2.0``), or ``None``."""
    match = _ALMOST.fullmatch(version.strip())
    if match is None:
        return None
    return ".".join(str(int(part or "0")) for part in match.groups())


@lint_rule(
    "info-version-not-semver",
    severity=Severity.ERROR,
    summary="`info.version` is the contract's version: semver lets tools tell a breaking release from a fix",
    specs=(SpecKind.OPENAPI, SpecKind.ASYNCAPI),
)
def info_version_not_semver(ctx: LintContext) -> None:
    """The contract's version tells consumers whether a new release can break them; semver says it in the number.

    `info.version` must be a semantic version 2.0.0: `MAJOR.MINOR.PATCH`, optionally followed by a
    `-prerelease` and a `+build` (`1.4.0`, `2.0.0-rc.1`, `1.0.0+20240501`). Dates, `v1` or `1.0` cannot be
    compared or bumped by tools, and a breaking-change check cannot say which part to bump.

    Fix: write the version as `MAJOR.MINOR.PATCH`, such as `1.0.0` for `v1` (and quote it in YAML).
    """
    info = ctx.doc.cursor().get("info")
    version = info.get("version") if info is not None else None
    if version is None or version.value is None:
        return
    if not isinstance(version.value, str):
        # `version: 1.10` is the YAML number 1.1: what the author wrote is lost, so do not guess.
        value = version.value
        what = "the number" if isinstance(value, int | float) and not isinstance(value, bool) else "the value"
        ctx.report(
            version,
            f"`info.version` is {what} `{short(value)}`, not a semantic version string",
            hint='quote a `MAJOR.MINOR.PATCH` version, such as `version: "1.0.0"`',
        )
        return
    if _SEMVER.fullmatch(version.value):
        return
    guess = _suggest(version.value)
    ctx.report(
        version,
        f"`info.version` `{version.value}` is not a semantic version (`MAJOR.MINOR.PATCH`)",
        hint=f"write it as `{guess}`" if guess else "write it as `MAJOR.MINOR.PATCH`, such as `1.0.0`",
    )
