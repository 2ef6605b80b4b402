"""Running the house rules over a document under a lint policy."""

from __future__ import annotations

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
    unknown = sorted(set(policy.severities) - _known_ids())
    if unknown:
        raise ConfigError(
            f"unknown rule id(s) in the lint policy: {', '.join(f'`{r}`' for r in unknown)}",
            tip="`contractkit rules` lists every rule id.",
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
