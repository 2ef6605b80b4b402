"""The golden-case harness every rule engine's case tests share.

A case is a folder ``<rule-id>[--<variant>]`` under the engine's case root (``tests/breaking/cases/``,
``tests/breaking/asyncapi_cases/``, ``tests/lint/cases/``, ``tests/breaking/policies/cases/``) holding the
engine's input (``base.yaml`` + ``revision.yaml``, or ``contract.yaml``; ``.json`` works too, and any other file
beside them is reachable by relative ``$ref``: the case folder is the root of its documents) and
``expected.txt``: every finding of the case, one per line, sorted by position. A :class:`CaseSuite` says which
folder, how to run one case and which rules the folders must cover; an engine's test file is then a few lines:

    SUITE = CaseSuite(Path(__file__).parent / "cases", run=findings_of, rules=openapi_rules, versions=("30", "31"))

    @SUITE.parametrize()
    def test_breaking_case(case: Path, update_goldens: bool) -> None:
        SUITE.check(case, update_goldens)

The conventions it enforces (:meth:`CaseSuite.check`, :meth:`CaseSuite.check_coverage`,
:meth:`CaseSuite.check_names`):

- the folder names a registered rule (or is ``compatible--<what>``, a change that must find nothing);
- ``<rule-id>--silent[-<what>]`` is a near miss: the rule must not fire; any other case must fire it;
- every registered rule has a firing and a ``--silent`` case (in each version of ``versions``), and a name ends
  with the version its documents are written in (``-30``, ``-31``, ``-26``);
- messages start lower-case (or with a backticked identifier), have no final period and leave the operation
  to its own field; a finding points at the revision side (or the nearest node that still exists there) and its
  ``base_location`` at the base side.

Findings render as ``file:line:column level rule-id [operation] message`` (:data:`LINE`; files relative to the
case folder); the lint cases keep their older ``file:line:column rule-id level message`` (:data:`LINT_LINE`),
sorted as text.
A mismatch fails with a unified diff of ``expected.txt``. Regenerate the goldens with ``--update-goldens``
(``pytest tests/breaking/test_cases.py -k <rule-id> --update-goldens``) and review the diff like code; a case in
``known_wrong`` (a known engine bug: its ``expected.txt`` is written by hand with what the engine should report)
is a strict xfail and never regenerated.
"""

from __future__ import annotations

import difflib
import importlib
import pkgutil
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import NamedTuple

import pytest

from contractkit.findings import Finding

COMPATIBLE = "compatible"
LINE = "{file}:{line}:{column} {severity} {rule_id}{operation} {message}{accepted}"
LINT_LINE = "{file}:{line}:{column} {rule_id} {severity} {message}"


class Outcome(NamedTuple):
    """What one case produced: its findings and any lines the golden holds after them (``advice: minor``)."""

    findings: list[Finding]
    tail: tuple[str, ...] = ()


def declared_rules(package: ModuleType, kind: type) -> set[str]:
    """Return the ids of the rules (module constants of type ``kind``) the modules of ``package`` declare."""
    ids: set[str] = set()
    for info in pkgutil.iter_modules(package.__path__):
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        ids |= {value.id for value in vars(module).values() if isinstance(value, kind)}
    return ids


def case_dirs(root: Path) -> list[Path]:
    """Return the case folders under ``root``, sorted by name."""
    return sorted(p for p in root.iterdir() if p.is_dir())


def rule_of(case: Path) -> str:
    """Return the rule id a case folder is named after (``compatible`` for a change that must find nothing)."""
    return case.name.split("--")[0]


def is_silent(case: Path) -> bool:
    """Return whether the case is a near miss, ``<rule-id>--silent[-<what>]``, where its rule must not fire."""
    return case.name.partition("--")[2].startswith("silent")


def side(case: Path, stem: str) -> Path:
    """Return ``<stem>.yaml`` or ``<stem>.json`` of the case."""
    for candidate in (case / f"{stem}.yaml", case / f"{stem}.json"):
        if candidate.exists():
            return candidate
    raise AssertionError(f"{case.name}: no {stem}.yaml or {stem}.json")


def relative(file: str, case: Path) -> str:
    """Return a finding's file relative to the case folder."""
    return Path(file).resolve().relative_to(case.resolve()).as_posix()


def render(outcome: Outcome, case: Path, line: str = LINE, *, by_text: bool = False) -> str:
    """Return the golden text of a case: one line per finding in ``line``'s format, sorted by position.

    ``by_text`` sorts the rendered lines as strings instead (the lint goldens: line 10 before line 9).
    """
    ordered = sorted(outcome.findings, key=lambda f: (relative(f.location.file, case), *f.sort_key()[1:]))
    lines = [
        line.format(
            file=relative(f.location.file, case),
            line=f.location.line,
            column=f.location.column,
            severity=f.severity.value,
            rule_id=f.rule_id,
            operation=f" [{f.operation}]" if f.operation else "",
            message=f.message,
            accepted=f" (accepted: {f.accepted})" if f.accepted else "",
        )
        for f in ordered
    ]
    return "".join(text + "\n" for text in [*(sorted(lines) if by_text else lines), *outcome.tail])


def compare_golden(golden: Path, actual: str, *, update: bool = False) -> None:
    """Fail with a unified diff unless ``golden`` holds ``actual``; with ``update``, write it first."""
    if update:
        golden.write_text(actual, encoding="utf-8")
    name = f"{golden.parent.name}/{golden.name}"
    assert golden.exists(), f"{name}: missing (run pytest --update-goldens and review it)"
    expected = golden.read_text(encoding="utf-8")
    if actual != expected:
        diff = difflib.unified_diff(expected.splitlines(True), actual.splitlines(True), name, "actual")
        pytest.fail(f"{name} differs (--update-goldens rewrites it):\n{''.join(diff)}", pytrace=False)


@dataclass(frozen=True)
class CaseSuite:
    """One engine's case folders, how to run one, and the conventions they keep.

    Attributes:
        root: the folder holding one folder per case.
        run: the engine on one case folder: its findings, or an :class:`Outcome` with lines after them.
        rules: the registered rule ids the folders are named after and must cover; ``None`` when the folders
            are named otherwise (the policy cases: ``<policy>--<what>``).
        versions: the spec versions (``"30"``, ``"31"``) each rule needs a firing and a silent case in; with
            ``version_of``, the version a case is written in, which its name must end with.
        version_of: ``(case, stem) -> version`` of one side (``base`` or ``revision``) of a case.
        same_version: both sides of a case must be written in the same version.
        line: the format of a finding's line in ``expected.txt`` (:data:`LINE` or :data:`LINT_LINE`).
        by_text: sort the lines as strings, not by position (the lint goldens).
        message_style: messages start lower-case or with a backtick, have no final period and never repeat
            the operation (given apart); the lint messages do not keep it yet.
        known_wrong: case -> the engine bug it shows; a strict xfail whose golden is never regenerated.
    """

    root: Path
    run: Callable[[Path], list[Finding] | Outcome]
    rules: Callable[[], Iterable[str]] | None = None
    versions: tuple[str, ...] = ()
    version_of: Callable[[Path, str], str] | None = None
    same_version: bool = False
    line: str = LINE
    by_text: bool = False
    message_style: bool = True
    known_wrong: Mapping[str, str] = field(default_factory=dict)

    @property
    def label(self) -> str:
        """Return the case root as the tests name it: ``breaking/cases``."""
        return self.root.relative_to(Path(__file__).parent).as_posix()

    def cases(self) -> list[Path]:
        """Return the case folders."""
        return case_dirs(self.root)

    def parametrize(self, *, argname: str = "case", xfail: bool = True) -> pytest.MarkDecorator:
        """Parametrize a test over the case folders, one id per folder name; ``known_wrong`` ones xfail."""
        return pytest.mark.parametrize(
            argname,
            [pytest.param(case, id=case.name, marks=self._marks(case) if xfail else []) for case in self.cases()],
        )

    def _marks(self, case: Path) -> list[pytest.MarkDecorator]:
        reason = self.known_wrong.get(case.name)
        return [pytest.mark.xfail(strict=True, reason=reason)] if reason is not None else []

    def outcome(self, case: Path) -> Outcome:
        """Run the engine on one case."""
        result = self.run(case)
        return result if isinstance(result, Outcome) else Outcome(result)

    def check(self, case: Path, update_goldens: bool = False) -> None:
        """Run one case, hold its findings to the conventions and compare them with its ``expected.txt``."""
        rule = rule_of(case)
        if self.rules is not None:
            assert rule == COMPATIBLE or rule in self._rules(), f"case {case.name} names no rule of {self.label}"
        outcome = self.outcome(case)
        for finding in outcome.findings:
            self._check_finding(finding, case)
        if self.rules is not None:
            fired = {f.rule_id for f in outcome.findings}
            if rule == COMPATIBLE:
                assert not fired, f"{case.name}: a compatible change found {sorted(fired)}"
            elif is_silent(case):
                assert rule not in fired, f"{case.name}: the near miss fires {rule}"
            else:
                assert rule in fired, f"{case.name}: the case does not fire {rule}"
        update = update_goldens and case.name not in self.known_wrong
        compare_golden(case / "expected.txt", render(outcome, case, self.line, by_text=self.by_text), update=update)

    def _rules(self) -> set[str]:
        assert self.rules is not None
        return _rule_set(self.rules)

    def _check_finding(self, finding: Finding, case: Path) -> None:
        message = finding.message
        if self.message_style:
            assert message[:1].islower() or message.startswith("`"), message
            assert not message.endswith("."), message
            assert not finding.operation or finding.operation not in message, message
        # The change model: a finding points at the revision side (or the nearest node), its base at the base side.
        assert not relative(finding.location.file, case).startswith("base"), finding
        if finding.base_location is not None:
            assert not relative(finding.base_location.file, case).startswith("revision"), finding

    def check_coverage(self) -> None:
        """Every registered rule has a firing and a silent case (in every version of ``versions``)."""
        have: set[tuple[str, bool, str]] = set()
        for case in self.cases():
            if rule_of(case) != COMPATIBLE and case.name not in self.known_wrong:
                version = self.version_of(case, "base") if self.version_of and self.versions else ""
                have.add((rule_of(case), is_silent(case), version))
        missing = [
            f"{rule} ({'silent' if silent else 'firing'}{f', {version[0]}.{version[1:]}' if version else ''})"
            for rule in sorted(self._rules())
            for silent in (False, True)
            for version in self.versions or ("",)
            if (rule, silent, version) not in have
        ]
        assert not missing, f"rules without a case in {self.label}:\n" + "\n".join(missing)

    def check_names(self) -> None:
        """A case's name ends with the version its documents are written in (``-30``, ``-26``)."""
        assert self.version_of is not None
        version_of = self.version_of
        wrong = []
        for case in self.cases():
            base, revision = version_of(case, "base"), version_of(case, "revision")
            if self.same_version:
                honest = case.name.endswith(f"-{base}") and base == revision
            else:
                honest = case.name.endswith((f"-{base}", f"-{revision}"))
            if not honest:
                wrong.append(case.name)
        assert not wrong, f"case names that do not end with their version: {wrong}"

    def check_known_wrong(self) -> None:
        """Every known engine bug names an existing case."""
        assert set(self.known_wrong) <= {c.name for c in self.cases()}


@cache
def _rule_set(rules: Callable[[], Iterable[str]]) -> set[str]:
    return set(rules())


def golden_rules(root: Path) -> set[str]:
    """Return the rule ids the goldens under ``root`` report (the third field of a :data:`LINE` line)."""
    fired = set()
    for case in case_dirs(root):
        for text in (case / "expected.txt").read_text(encoding="utf-8").splitlines():
            fields = text.split(" ")
            if len(fields) > 2 and re.fullmatch(r".+:\d+:\d+", fields[0]):
                fired.add(fields[2])
    return fired


def all_cases(*roots: Path) -> list[Path]:
    """Return the case folders of several roots, each root's sorted by name."""
    return [case for root in roots if root.is_dir() for case in case_dirs(root)]
