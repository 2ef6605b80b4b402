"""Running the house rules over a document under a lint policy."""

from __future__ import annotations

import difflib

from contractkit.catalog.model import LintPolicy
from contractkit.errors import ConfigError
from contractkit.findings import Finding, Severity
from contractkit.lint import rules as _rules  # noqa: F401 - importing registers every rule
from contractkit.lint.context import LintContext
from contractkit.lint.registry import LINT_RULES
from contractkit.loaders.document import Document


def lint_document(doc: Document, policy: LintPolicy | None = None, *, contract: str | None = None) -> list[Finding]:
    """Return every house-rule violation in ``doc``, with severities from ``policy``.

    Rules set to ``off`` do not run. Rules that do not apply to the document's kind are skipped.

    Raises:
        ConfigError: the policy names a rule that does not exist.
    """
    policy = policy or LintPolicy()
    known = _known_ids()
    unknown = sorted(set(policy.severities) - known)
    if unknown:
        guesses = [difflib.get_close_matches(rule_id, known, n=1) for rule_id in unknown]
        suggestions = [f"`{u}` -> `{g[0]}`" for u, g in zip(unknown, guesses, strict=True) if g]
        raise ConfigError(
            f"unknown rule id(s) in the lint policy: {', '.join(f'`{r}`' for r in unknown)}",
            title="invalid lint policy",
            location=policy.locations.get(unknown[0]),
            tip=(f"did you mean {', '.join(suggestions)}? " if suggestions else "")
            + "`contractkit rules` lists every rule id.",
        )
    findings: list[Finding] = []
    for rule_id, lint_rule in sorted(LINT_RULES.items()):
        if doc.spec.kind not in lint_rule.rule.specs:
            continue
        severity = policy.severities.get(rule_id, lint_rule.rule.severity)
        if severity is Severity.OFF:
            continue
        ctx = LintContext(doc, rule_id, severity, policy.options, contract)
        lint_rule.check(ctx)
        findings.extend(ctx.findings)
    return findings


def _known_ids() -> set[str]:
    from contractkit.rules.registry import RULES

    return set(RULES)
