"""``contractkit package``: one installable wheel per contract and major version, from the generated models.

A wheel holds the generated package ``<id_>/v<major>/`` (``b2b_orders/v1/``: ``models.py``, ``__init__.py``,
``contract.json``, ``py.typed``) inside the namespace package ``<id_>`` (no ``<id_>/__init__.py``, so ``v1`` and
``v2`` install side by side), and the shared models of ``contracts_common`` vendored as ``<id_>/v<major>/_common/``
with their imports made relative. Its distribution is named ``<prefix>-<contract id>-v<major>``
(``contracts-b2b-orders-v1``; the prefix comes from the catalog's ``codegen: package: distribution-prefix``), its
version is the contract's ``info.version``, and it depends on pydantic only (``pydantic[email]`` when a model uses
``EmailStr``, for ``format: email``).

The wheel is built offline by setuptools through ``python -m build --wheel --no-isolation``, from a project
written into a temporary folder, with ``SOURCE_DATE_EPOCH`` fixed so the same inputs give the same bytes.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from contractkit.catalog.model import Catalog, Contract
from contractkit.errors import ContractInvalid, ToolFailed, UsageError
from contractkit.loaders.document import load_document
from contractkit.targets import catalog_contracts

DEFAULT_PREFIX = "contracts"
COMMON_PACKAGE = "contracts_common"
VENDORED_COMMON = "_common"
PYDANTIC_REQUIREMENT = "pydantic>=2"
PYDANTIC_EMAIL_REQUIREMENT = "pydantic[email]>=2"  # a model with `EmailStr` (format: email) needs email-validator
_SOURCE_DATE_EPOCH = "315532800"  # 1980-01-01, the earliest date a zip file can hold
_COMMON_IMPORT = re.compile(rf"^(\s*)from {COMMON_PACKAGE}\.(\w+) import ", re.MULTILINE)
_OTHER_COMMON_IMPORT = re.compile(rf"^\s*(?:from|import) {COMMON_PACKAGE}\b.*$", re.MULTILINE)
_PREFIX = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
_PEP440 = re.compile(
    r"^([1-9][0-9]*!)?(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))*((a|b|rc)(0|[1-9][0-9]*))?(\.post(0|[1-9][0-9]*))?"
    r"(\.dev(0|[1-9][0-9]*))?$"
)


@dataclass(frozen=True, slots=True)
class WheelPlan:
    """What one wheel is built from.

    Attributes:
        contract: the catalog entry.
        distribution: the distribution name (``contracts-b2b-orders-v1``).
        version: the contract's ``info.version``.
        package: the import path of the generated package (``b2b_orders.v1``).
        source: the generated package folder (``generated/b2b_orders/v1``).
    """

    contract: Contract
    distribution: str
    version: str
    package: str
    source: Path


def build_packages(
    catalog: Catalog,
    ids: Iterable[str] = (),
    out_dir: Path | None = None,
    *,
    generated_dir: Path | None = None,
    prefix: str | None = None,
    check: bool = True,
) -> list[Path]:
    """Build one wheel per contract (and major version) from the generated models, into ``out_dir``.

    Args:
        catalog: the catalog.
        ids: contract ids, files or folders (:func:`~contractkit.targets.catalog_contracts`); none means every
            contract of the catalog.
        out_dir: where the wheels go (default: ``dist/`` next to ``contracts/``); created when missing.
        generated_dir: the output folder of ``contractkit gen`` (default: ``generated/`` next to ``contracts/``).
        prefix: the distribution name prefix (default: the catalog's ``codegen: package: distribution-prefix``,
            else ``contracts``).
        check: refuse generated packages that are missing or out of date with their contracts.

    Returns:
        The wheels built, in catalog order.

    Raises:
        ContractNotFound: an argument names nothing.
        UsageError: an argument is a file no catalog lists, or a generated package is missing or stale.
        ContractInvalid: a contract's ``info.version`` is not a version a package index accepts.
        ToolFailed: the wheel could not be built.
    """
    if prefix is not None and not _PREFIX.match(prefix):
        raise UsageError(
            f"`{prefix}` is not a distribution name prefix",
            title="cannot package",
            tip="use lower-case words joined by hyphens, such as `acme-contracts`.",
        )
    catalog, contracts = catalog_contracts(list(ids), catalog)
    generated = (generated_dir or catalog.root.parent / "generated").resolve()
    out = (out_dir or catalog.root.parent / "dist").resolve()
    plans = [plan_wheel(catalog, contract, generated, prefix=prefix) for contract in contracts]
    if check:
        _refuse_stale(catalog, generated, plans)
    for plan in plans:
        if not (plan.source / "__init__.py").is_file():
            raise UsageError(
                f"`{_shown(plan.source)}` does not exist: the models of `{plan.contract.id}` were not generated",
                title=f"cannot package `{plan.contract.id}`",
                tip=f"run `contractkit gen {plan.contract.id}` first.",
            )
    _require_backend()
    out.mkdir(parents=True, exist_ok=True)
    # Each build is a setuptools subprocess that mostly waits on imports: run a few at once.
    with ThreadPoolExecutor(max_workers=min(4, len(plans) or 1)) as pool:
        return list(pool.map(lambda plan: _build(plan, generated, out), plans))


def plan_wheel(catalog: Catalog, contract: Contract, generated: Path, *, prefix: str | None = None) -> WheelPlan:
    """Return what the wheel of ``contract`` is built from (its name, version and generated package).

    Raises:
        ContractInvalid: the contract's ``info.version`` is missing or not PEP 440.
    """
    doc = load_document(contract.path, root_dir=catalog.root, limits=catalog.limits)
    info = doc.data.get("info") if isinstance(doc.data, dict) else None
    version = str(info.get("version", "")) if isinstance(info, dict) else ""
    if not _PEP440.match(version):
        raise ContractInvalid(
            f"`info.version` is `{version}`, which is not a version a package index accepts (PEP 440)",
            title=f"cannot package `{contract.id}`",
            location=doc.root.location(("info", "version")),
            tip="use a release number such as `1.4.0` (or `2.0.0rc1`).",
        )
    major = str(int(version.split("!")[-1].split(".")[0].partition("a")[0].partition("b")[0].partition("rc")[0]))
    name = contract.id.replace("-", "_")
    return WheelPlan(
        contract,
        f"{prefix or distribution_prefix(catalog)}-{contract.id}-v{major}",
        version,
        f"{name}.v{major}",
        generated / name / f"v{major}",
    )


def distribution_prefix(catalog: Catalog) -> str:
    """Return the catalog's ``codegen: package: distribution-prefix``, or ``contracts``."""
    package = catalog.codegen.settings.get("package")
    prefix = package.get("distribution-prefix") if isinstance(package, dict) else None
    return prefix if isinstance(prefix, str) and prefix else DEFAULT_PREFIX


def _refuse_stale(catalog: Catalog, generated: Path, plans: list[WheelPlan]) -> None:
    from contractkit.codegen.gen import check_current

    stale = set(check_current(catalog, generated))
    wanted = {plan.source.relative_to(generated).as_posix(): plan.contract.id for plan in plans}
    bad = sorted(path for path in stale if path in wanted or path == COMMON_PACKAGE)
    if bad:
        ids = sorted({wanted[path] for path in bad if path in wanted})
        raise UsageError(
            f"the generated models are missing or out of date with the contracts: {', '.join(f'`{p}`' for p in bad)}",
            title="cannot package stale models",
            location=None,
            tip=f"run `contractkit gen{''.join(' ' + i for i in ids) if COMMON_PACKAGE not in bad else ''}` "
            "and commit `generated/`, then package again.",
        )


def _require_backend() -> None:
    """Check that setuptools can build a wheel here without the network (``--no-isolation``)."""
    missing = [name for name in ("build", "setuptools") if importlib.util.find_spec(name) is None]
    if not missing:
        release = tuple(int(part) for part in re.findall(r"\d+", metadata.version("setuptools"))[:2])
        if release < (70, 1) and importlib.util.find_spec("wheel") is None:  # older setuptools needs `wheel`
            missing.append("wheel")
    if missing:
        raise ToolFailed(
            f"building wheels needs {', '.join(missing)} installed beside contractkit",
            title="cannot build wheels",
            tip="install the codegen extra: `pip install 'contractkit[codegen]'` (or `pip install build "
            "'setuptools>=70.1'`).",
        )


def _build(plan: WheelPlan, generated: Path, out: Path) -> Path:
    with tempfile.TemporaryDirectory(prefix="contractkit-package-") as tmp:
        project = Path(tmp) / "project"
        _stage(plan, generated, project)
        dist = Path(tmp) / "dist"
        env = {**os.environ, "SOURCE_DATE_EPOCH": _SOURCE_DATE_EPOCH, "PIP_NO_INDEX": "1"}
        # --no-isolation: no network, the backend is the one installed here; -x: _require_backend checked it.
        command = [
            sys.executable,
            "-m",
            "build",
            "--wheel",
            "--no-isolation",
            "-x",
            "--outdir",
            str(dist),
            str(project),
        ]
        done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
        wheels = sorted(dist.glob("*.whl"))
        if done.returncode != 0 or len(wheels) != 1:
            tail = "\n".join((done.stderr or done.stdout).strip().splitlines()[-12:])
            raise ToolFailed(
                f"`python -m build` could not build `{plan.distribution}` (exit {done.returncode}):\n{tail}",
                title=f"cannot package `{plan.contract.id}`",
                tip="run the same build by hand to see everything: `python -m build --wheel --no-isolation DIR`.",
            )
        target = out / wheels[0].name
        shutil.copyfile(wheels[0], target.with_name(f".{target.name}.tmp"))
        os.replace(target.with_name(f".{target.name}.tmp"), target)
        return target


def _stage(plan: WheelPlan, generated: Path, project: Path) -> None:
    """Write the project to build: ``pyproject.toml`` and the package, with contracts_common vendored."""
    package_dir = project / Path(*plan.package.split("."))
    package_dir.mkdir(parents=True)
    uses_common = False
    for path in sorted(plan.source.iterdir()):
        if not path.is_file():
            continue
        if path.suffix == ".py":
            text = path.read_text(encoding="utf-8")
            rewritten = _COMMON_IMPORT.sub(rf"\1from .{VENDORED_COMMON}.\2 import ", text)
            uses_common |= rewritten != text
            _refuse_leftover(rewritten, path)
            (package_dir / path.name).write_text(rewritten, encoding="utf-8")
        else:
            shutil.copyfile(path, package_dir / path.name)
    packages = [plan.package]
    if uses_common:
        _vendor_common(generated / COMMON_PACKAGE, package_dir / VENDORED_COMMON)
        packages.append(f"{plan.package}.{VENDORED_COMMON}")
    emails = any(_EMAIL_TYPES.search(p.read_text(encoding="utf-8")) for p in package_dir.rglob("*.py"))
    (project / "pyproject.toml").write_text(_pyproject(plan, packages, emails=emails), encoding="utf-8")


#: pydantic's email types import `email-validator`, which only its `email` extra installs (`format: email`).
_EMAIL_TYPES = re.compile(r"\b(EmailStr|NameEmail)\b")


def _vendor_common(source: Path, target: Path) -> None:
    if not (source / "__init__.py").is_file():
        raise UsageError(
            f"`{_shown(source)}` does not exist: the shared models were not generated",
            title="cannot package the shared models",
            tip="run `contractkit gen` first.",
        )
    target.mkdir()
    for path in sorted(source.iterdir()):
        if path.suffix == ".py":
            text = _COMMON_IMPORT.sub(r"\1from .\2 import ", path.read_text(encoding="utf-8"))
            _refuse_leftover(text, path)
            (target / path.name).write_text(text, encoding="utf-8")
        elif path.name == "py.typed":
            shutil.copyfile(path, target / path.name)


def _refuse_leftover(text: str, path: Path) -> None:
    """Refuse an import of contracts_common in a form the wheel cannot rewrite (it would fail once installed)."""
    match = _OTHER_COMMON_IMPORT.search(text)
    if match:
        raise ToolFailed(
            f"`{_shown(path)}` imports the shared models as `{match.group(0).strip()}`; only "
            f"`from {COMMON_PACKAGE}.<module> import ...` can be vendored into a wheel",
            title="cannot package the generated models",
            tip="regenerate with `contractkit gen`; if it persists, this is a bug in contractkit gen.",
        )


def _pyproject(plan: WheelPlan, packages: list[str], *, emails: bool = False) -> str:
    data = {package: ["py.typed", "*.json"] for package in packages}
    package_data = "\n".join(f'"{name}" = [{", ".join(f"{p!r}" for p in files)}]' for name, files in data.items())
    return (
        "[build-system]\n"
        'requires = ["setuptools>=61"]\n'
        'build-backend = "setuptools.build_meta"\n\n'
        "[project]\n"
        f'name = "{plan.distribution}"\n'
        f'version = "{plan.version}"\n'
        f'description = "Pydantic models and the bundled contract of `{plan.contract.id}` {plan.version} '
        '(generated by contractkit)"\n'
        'requires-python = ">=3.11"\n'
        f'dependencies = ["{PYDANTIC_EMAIL_REQUIREMENT if emails else PYDANTIC_REQUIREMENT}"]\n\n'
        "[tool.setuptools]\n"
        f"packages = [{', '.join(f'{p!r}' for p in packages)}]\n"
        "include-package-data = false\n\n"
        "[tool.setuptools.package-data]\n"
        f"{package_data}\n"
    )


def _shown(path: Path) -> str:
    try:
        return path.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return path.as_posix()
