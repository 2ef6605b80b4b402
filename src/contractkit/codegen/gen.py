"""``contractkit gen``: Pydantic v2 models for every contract of the catalog, and the drift check.

Layout of the output folder (``generated/`` next to ``contracts/``)::

    contracts_common/             the models of contracts/common/*.yaml, one module per file, generated once
    <contract_id>/v<major>/       one package per contract and major version of ``info.version``
        models.py  __init__.py  contract.json  py.typed

Every file starts with a "do not edit" header naming the contract and two hashes: ``inputs-sha256`` (the
contract's files, the options, the generator versions) and ``content-sha256`` (the rest of the file). ``--check``
compares both with what the inputs would produce *without* running datamodel-code-generator when they agree, so
an unchanged catalog is checked in well under a second; only a stale package is regenerated (in memory) to
show the diff.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from contractkit.catalog.model import Catalog, Contract
from contractkit.codegen.asyncapi import collect_asyncapi
from contractkit.codegen.naming import pascal, snake
from contractkit.codegen.openapi import collect_openapi
from contractkit.codegen.options import CodegenOptions, options_for
from contractkit.codegen.render import (
    COMMON_PACKAGE,
    assemble,
    dcg_version,
    defined_names,
    format_sources,
    ruff_version,
    run_dcg,
)
from contractkit.codegen.schemas import SchemaSet
from contractkit.codegen.write import read_package, remove_package, write_package
from contractkit.errors import ContractkitError
from contractkit.kinds import SpecKind
from contractkit.loaders.document import Document, SpecVersion, load_document
from contractkit.loaders.files import FileStore
from contractkit.loaders.refs import RefResolver
from contractkit.loaders.types import JsonValue
from contractkit.spec.flatten import bundle_document
from contractkit.targets import catalog_contracts

GENERATOR_VERSION = "4"
COMMON_DIR = "common"
_HASH_LINE = re.compile(rb'^(?:# |\s*")(inputs|content)-sha256(?:": "|: )([0-9a-f]{64})', re.MULTILINE)
_JSON_HEADER_KEY = "x-contractkit-generated"

Status = Literal["unchanged", "written", "stale", "removed", "kept"]


@dataclass(frozen=True, slots=True)
class PackageResult:
    """What ``gen`` did with one package.

    Attributes:
        path: the package folder relative to the output folder (``b2b_orders/v1``, ``contracts_common``).
        contract_id: the contract, or None for the shared models.
        status: ``unchanged``; ``written`` (generated); ``stale`` (check mode: out of date); ``removed``.
        names: the class and alias names it defines (empty when it was not regenerated).
        numbered: names contractkit had to number to make them unique (there should be none).
        unplanned: names datamodel-code-generator made up itself.
    """

    path: str
    contract_id: str | None
    status: Status
    names: tuple[str, ...] = ()
    numbered: tuple[str, ...] = ()
    unplanned: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class GenResult:
    """The outcome of :func:`generate`.

    Attributes:
        out_dir: the output folder.
        packages: one result per package, in catalog order (shared models first).
        diff: in check mode, a unified diff of what generation would change (empty when current).
    """

    out_dir: Path
    packages: tuple[PackageResult, ...]
    diff: str = ""

    @property
    def stale(self) -> bool:
        """Return whether a package was out of date (check mode) or had to be (re)written."""
        return any(p.status not in ("unchanged", "kept") for p in self.packages)


@dataclass(slots=True)
class _Plan:
    """One package to produce: where, from what, and its inputs hash."""

    path: str
    contract: Contract | None
    inputs: str
    header: list[str]
    files: dict[str, bytes] = field(default_factory=dict)
    result: PackageResult | None = None


def default_out_dir(catalog: Catalog) -> Path:
    """Return ``generated/`` next to the catalog's ``contracts/`` folder."""
    return catalog.root.parent / "generated"


def package_path(contract: Contract, version: str) -> str:
    """Return the package folder of ``contract`` at ``version``: ``b2b_orders/v1``."""
    return f"{snake(contract.id)}/v{major_of(version)}"


def major_of(version: str) -> str:
    """Return the major version of ``info.version`` (``1.2.0`` -> ``1``; ``0`` when it has no leading number)."""
    match = re.match(r"\s*v?(\d+)", version)
    return str(int(match.group(1))) if match else "0"


def generate(
    catalog: Catalog,
    ids: Iterable[str] = (),
    *,
    check: bool = False,
    out_dir: Path | None = None,
    force: bool = False,
) -> GenResult:
    """Generate (or, with ``check``, compare) the model packages of the catalog's contracts.

    Args:
        catalog: the catalog.
        ids: contract ids, files or folders (:func:`~contractkit.targets.catalog_contracts`: a file names its own
            catalog); none means every contract (and then packages of contracts that are gone are removed).
        check: write nothing; report stale packages and a diff instead.
        out_dir: the output folder (default: ``generated/`` next to ``contracts/``).
        force: regenerate even the packages whose hashes say they are current (to compare the bytes).

    Raises:
        ContractNotFound: an argument names nothing.
        UsageError: an argument is a file no catalog lists, or contracts of two catalogs are named.
        InputError: a contract cannot be loaded, or datamodel-code-generator cannot handle one of its schemas
            (nothing is written for that contract; packages already replaced stay consistent).
    """
    arguments = list(ids)
    catalog, contracts = catalog_contracts(arguments, catalog)
    out = (out_dir or default_out_dir(catalog)).resolve()
    whole = not arguments
    plans = [_plan_common(catalog)] if (catalog.root / COMMON_DIR).is_dir() else []
    plans += [_plan_contract(catalog, contract) for contract in contracts]
    results: list[PackageResult] = []
    diffs: list[str] = []
    for plan in plans:
        existing = read_package(out / plan.path)
        if existing is not None and not force and _current(existing, plan.inputs):
            results.append(PackageResult(plan.path, plan.contract.id if plan.contract else None, "unchanged"))
            continue
        _render(catalog, plan)
        assert plan.result is not None
        if existing == plan.files:
            results.append(PackageResult(plan.path, plan.result.contract_id, "unchanged", *_names(plan.result)))
            continue
        if check:
            diffs.append(_diff(plan.path, existing or {}, plan.files))
            results.append(plan.result)
        else:
            write_package(out / plan.path, plan.files)
            results.append(PackageResult(plan.path, plan.result.contract_id, "written", *_names(plan.result)))
    for path, owner, fate in _older_packages(out, plans, contracts, whole):
        if fate == "kept":
            if check and not _intact(read_package(out / path) or {}):
                diffs.append(f"--- {path}: an older major kept by keep-majors was edited by hand; restore it\n")
                results.append(PackageResult(path, owner, "stale"))
            else:
                results.append(PackageResult(path, owner, "kept"))
            continue
        if check:
            diffs.append(_diff(path, read_package(out / path) or {}, {}))
        else:
            remove_package(out / path)
        results.append(PackageResult(path, owner, "stale" if check else "removed"))
    return GenResult(out, tuple(results), "".join(diffs))


def _older_packages(
    out: Path, plans: list[_Plan], contracts: list[Contract], whole: bool
) -> list[tuple[str, str | None, str]]:
    """Return the packages on disk that no plan produces, each with its contract and its fate.

    The one rule for which majors are generated, the same for ``gen``, ``gen CONTRACT``, ``gen --check`` and
    ``contractkit ci``: a contract's current major (from ``info.version``) is generated; an older major whose
    number the contract's ``keep-majors`` lists is ``kept`` as it is (frozen at its last release, for services
    still migrating); any other package of a selected contract, or of no contract at all (with the whole catalog
    selected), is ``removed``.
    """
    selected = {snake(contract.id): contract for contract in contracts}
    found: list[tuple[str, str | None, str]] = []
    for path in _orphans(out, {plan.path for plan in plans}):
        name, _, major = path.partition("/v")
        contract = selected.get(name)
        if contract is not None:
            kept = major.isdigit() and int(major) in contract.keep_majors
            found.append((path, contract.id, "kept" if kept else "removed"))
        elif whole:
            found.append((path, None, "removed"))
    return found


def _intact(existing: dict[str, bytes]) -> bool:
    """Return whether every file of a package still has the content its header hashed (nobody edited it)."""
    for data in existing.values():
        hashes = dict(_HASH_LINE.findall(data[:4096]))
        if b"content" in hashes and not _hashed_content_intact(data, hashes):
            return False
    return bool(existing)


def _names(result: PackageResult) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    return result.names, result.numbered, result.unplanned


# -- planning: inputs and their hash (cheap: no dcg) ---------------------------------------------------------


def _relative(catalog: Catalog, path: Path) -> str:
    try:
        return path.relative_to(catalog.root.parent).as_posix()
    except ValueError:
        return path.as_posix()


def _inputs_hash(catalog: Catalog, files: list[Path], options: CodegenOptions, identity: str) -> str:
    digest = hashlib.sha256()
    for part in (
        f"contractkit-gen {GENERATOR_VERSION}",
        f"datamodel-code-generator {dcg_version()}",
        f"ruff {ruff_version()}",
        "bundler bundle",  # the contract.json of every package is bundled (kept as it was, so hashes stay)
        options.canonical(),
        identity,
    ):
        digest.update(part.encode() + b"\0")
    for path in sorted(files, key=lambda p: _relative(catalog, p)):
        digest.update(_relative(catalog, path).encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def _common_files(catalog: Catalog) -> list[Path]:
    """Return the shared files that hold schemas (a file of shared OpenAPI responses has no models to generate)."""
    folder = catalog.root / COMMON_DIR
    found = sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml", ".json") and p.is_file())
    return [path for path in found if not _only_responses(path)]


_SCHEMA_KEYWORDS = frozenset({"type", "properties", "$ref", "allOf", "anyOf", "oneOf", "enum", "items", "const"})


def _only_responses(path: Path) -> bool:
    """Return whether every entry of a shared file is an OpenAPI Response Object (``description`` + ``content``)."""
    import yaml

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return False  # the loader reports it when a contract reaches the file
    return (
        isinstance(data, dict)
        and bool(data)
        and all(
            isinstance(entry, dict)
            and "description" in entry
            and ("content" in entry or "headers" in entry)
            and not _SCHEMA_KEYWORDS & entry.keys()
            for entry in data.values()
        )
    )


def _plan_common(catalog: Catalog) -> _Plan:
    files = _common_files(catalog)
    options = options_for(catalog, None)
    inputs = _inputs_hash(catalog, files, options, COMMON_PACKAGE)
    folder = _relative(catalog, catalog.root / COMMON_DIR)
    header = [
        f"# Code generated by contractkit gen from the shared schemas in `{folder}/`. DO NOT EDIT.",
        "# Regenerate with `contractkit gen`; `contractkit gen --check` fails when this file is out of date.",
    ]
    return _Plan(COMMON_PACKAGE, None, inputs, header)


def _load(catalog: Catalog, contract: Contract) -> Document:
    doc = load_document(contract.path, root_dir=catalog.root, limits=catalog.limits)
    problems = doc.ref_problems()
    if problems:
        raise problems[0]
    return doc


def _version(doc: Document) -> str:
    info = doc.data.get("info") if isinstance(doc.data, dict) else None
    version = info.get("version") if isinstance(info, dict) else None
    return str(version) if version is not None else "0"


def _plan_contract(catalog: Catalog, contract: Contract) -> _Plan:
    doc = _load(catalog, contract)
    options = options_for(catalog, contract)
    files = [file.path for file in doc.files() if file.path is not None]
    inputs = _inputs_hash(catalog, files, options, f"{contract.id} {contract.kind.value}")
    header = [
        f"# Code generated by contractkit gen from the contract `{contract.id}` ({_relative(catalog, contract.path)})."
        " DO NOT EDIT.",
        f"# Regenerate with `contractkit gen {contract.id}`; `contractkit gen --check` fails when this file is out of"
        " date.",
    ]
    return _Plan(package_path(contract, _version(doc)), contract, inputs, header)


def _current(existing: dict[str, bytes], inputs: str) -> bool:
    """Return whether every file on disk carries ``inputs`` and an intact content hash (no dcg needed)."""
    expected = {"__init__.py", "py.typed"}
    if not expected <= existing.keys():
        return False
    for data in existing.values():
        hashes = dict(_HASH_LINE.findall(data[:4096]))
        if hashes.get(b"inputs", b"").decode() != inputs or not _hashed_content_intact(data, hashes):
            return False
    return True


def _hashed_content_intact(data: bytes, hashes: dict[bytes, bytes]) -> bool:
    body = data.split(b"\n", 4)
    return len(body) >= 5 and hashlib.sha256(body[4]).hexdigest() == hashes.get(b"content", b"").decode()


# -- rendering ---------------------------------------------------------------------------------------------


def plan_schemas(catalog: Catalog, contract: Contract) -> SchemaSet:
    """Return the named schemas contractkit generates for ``contract`` (also: the examples found beside them)."""
    doc = _load(catalog, contract)
    options = options_for(catalog, contract)
    schemas = SchemaSet(doc, catalog.root / COMMON_DIR, enums_as_enum=options.enums == "enum")
    (collect_openapi if doc.spec.kind is SpecKind.OPENAPI else collect_asyncapi)(schemas)
    return schemas


def _common_schemas(catalog: Catalog, path: Path, options: CodegenOptions) -> SchemaSet:
    store = FileStore(catalog.limits)
    doc = Document(store.load(path), SpecVersion(SpecKind.OPENAPI, "3.1.0"), RefResolver(store, catalog.root))
    schemas = SchemaSet(doc, catalog.root / COMMON_DIR, module=path.resolve(), enums_as_enum=options.enums == "enum")
    for key, cursor in doc.cursor().items():
        schemas.names.claim(cursor.identity, pascal(key))
    for key, cursor in doc.cursor().items():
        schemas.add(cursor, pascal(key))
    return schemas


def _render(catalog: Catalog, plan: _Plan) -> None:
    if plan.contract is None:
        _render_common(catalog, plan)
    else:
        _render_contract(catalog, plan, plan.contract)


def _render_common(catalog: Catalog, plan: _Plan) -> None:
    options = options_for(catalog, None)
    sources: dict[str, str] = {}
    exports: dict[str, list[str]] = {}
    names: list[str] = []
    numbered: list[str] = []
    unplanned: list[str] = []
    for path in _common_files(catalog):
        module = snake(path.stem)
        schemas = _common_schemas(catalog, path, options)
        raw = run_dcg(schemas, options, _relative(catalog, path))
        body, exported = assemble(raw, schemas, module=module)
        sources[f"{module}.py"] = (
            f'"""Models of `{_relative(catalog, path)}`."""\n\nfrom __future__ import annotations\n\n'
            + _strip_future(body)
        )
        own = [n for n in exported if schemas.common.get(n, module) == module]
        exports[module] = own
        names += own
        numbered += schemas.names.numbered
        unplanned += [n for n in defined_names(raw) if n not in schemas.defs and n != "Model"]
    lines = [f"from {COMMON_PACKAGE}.{module} import {', '.join(names_)}" for module, names_ in sorted(exports.items())]
    all_names = sorted(n for names_ in exports.values() for n in names_)
    init = (
        '"""The shared models of contracts/common: imported by every contract package that uses them."""\n\n'
        + "\n".join(lines)
        + "\n\n__all__ = [\n"
        + "".join(f'    "{n}",\n' for n in all_names)
        + "]\n"
    )
    sources["__init__.py"] = init
    plan.files = _finish(plan, sources, {})
    plan.result = PackageResult(plan.path, None, "stale", tuple(sorted(names)), tuple(numbered), tuple(unplanned))


def _strip_future(body: str) -> str:
    return body.replace("from __future__ import annotations\n", "", 1)


def _render_contract(catalog: Catalog, plan: _Plan, contract: Contract) -> None:
    options = options_for(catalog, contract)
    schemas = plan_schemas(catalog, contract)
    doc = schemas.doc
    where = f"{contract.id} ({_relative(catalog, contract.path)})"
    raw = run_dcg(schemas, options, where)
    body, exports = assemble(raw, schemas, module=None)
    version = _version(doc)
    models = (
        f'"""Models of the contract `{contract.id}` {version} (`{_relative(catalog, contract.path)}`)."""\n\n'
        "from __future__ import annotations\n\n" + _strip_future(body)
    )
    init = (
        f'"""Pydantic models of the contract `{contract.id}` {version}.\n\n'
        "`CONTRACT` is the contract bundled into one JSON document (package data): hand it to the validation\n"
        'middleware or to a fuzz run. `CONTRACT_ID` and `CONTRACT_VERSION` say which contract this is.\n"""\n\n'
        "from __future__ import annotations\n\n"
        "from pathlib import Path\n\n"
        f"from .models import {', '.join(exports)}\n\n"
        'CONTRACT: Path = Path(__file__).with_name("contract.json")\n'
        f"CONTRACT_ID = {json.dumps(contract.id)}\n"
        f"CONTRACT_VERSION = {json.dumps(version)}\n\n"
        "__all__ = [\n"
        + "".join(f'    "{n}",\n' for n in sorted([*exports, "CONTRACT", "CONTRACT_ID", "CONTRACT_VERSION"]))
        + "]\n"
    )
    bundle = bundle_document(doc)
    plan.files = _finish(plan, {"models.py": models, "__init__.py": init}, {"contract.json": bundle})
    unplanned = tuple(n for n in defined_names(raw) if n not in schemas.defs and n != "Model")
    plan.result = PackageResult(
        plan.path, contract.id, "stale", tuple(sorted(exports)), tuple(schemas.names.numbered), unplanned
    )


def _finish(plan: _Plan, sources: dict[str, str], documents: dict[str, JsonValue]) -> dict[str, bytes]:
    """Format the sources, add the headers (with hashes), and serialize the JSON documents."""
    formatted = format_sources(sources)
    files: dict[str, bytes] = {}
    for name, text in formatted.items():
        files[name] = _with_header(plan, text.encode())
    files["py.typed"] = _with_header(plan, b"# PEP 561 marker: the models are typed.\n")
    for name, value in documents.items():
        files[name] = _json_with_header(plan, value)
    return dict(sorted(files.items()))


def _with_header(plan: _Plan, body: bytes) -> bytes:
    lines = [
        *plan.header,
        f"# inputs-sha256: {plan.inputs}",
        f"# content-sha256: {hashlib.sha256(body).hexdigest()}",
    ]
    assert len(lines) == 4  # _current reads the body after the fourth line
    return ("\n".join(lines) + "\n").encode() + body


def _json_with_header(plan: _Plan, value: JsonValue) -> bytes:
    """Serialize a JSON document whose first four lines are the header (JSON has no comments: a key holds it)."""
    text = json.dumps(value, indent=2, ensure_ascii=False, sort_keys=False) + "\n"
    rest = text[1:].lstrip("\n") if text.startswith("{") else text
    body = ("  " + rest.lstrip(" ")) if rest.strip() != "}" else "}\n"
    body_bytes = body.encode()
    notice = " ".join(line.lstrip("# ") for line in plan.header)
    head = [
        "{",
        f'  "{_JSON_HEADER_KEY}": {{"notice": {json.dumps(notice)},',
        f'    "inputs-sha256": "{plan.inputs}",',
        f'    "content-sha256": "{hashlib.sha256(body_bytes).hexdigest()}"}}' + ("," if body != "}\n" else ""),
    ]
    return ("\n".join(head) + "\n").encode() + body_bytes


def _diff(path: str, old: dict[str, bytes], new: dict[str, bytes]) -> str:
    chunks: list[str] = []
    for name in sorted(old.keys() | new.keys()):
        before = old.get(name, b"").decode("utf-8", "replace").splitlines(keepends=True)
        after = new.get(name, b"").decode("utf-8", "replace").splitlines(keepends=True)
        if before == after:
            continue
        chunks.extend(
            difflib.unified_diff(
                before,
                after,
                fromfile=f"a/{path}/{name}" if name in old else "/dev/null",
                tofile=f"b/{path}/{name}" if name in new else "/dev/null",
            )
        )
    return "".join(line if line.endswith("\n") else line + "\n" for line in chunks)


def _orphans(out: Path, wanted: set[str]) -> list[str]:
    """Return generated contract packages (``x/vN`` with a contractkit header) that no contract produces now."""
    if not out.is_dir():
        return []
    found: list[str] = []
    for init in sorted(out.glob("*/v*/__init__.py")):
        relative = init.parent.relative_to(out).as_posix()
        if relative not in wanted and b"Code generated by contractkit gen" in init.read_bytes()[:400]:
            found.append(relative)
    return found


def check_current(catalog: Catalog, out_dir: Path | None = None) -> list[str]:
    """Return the packages that are missing or stale, without running datamodel-code-generator (for ``package``)."""
    out = (out_dir or default_out_dir(catalog)).resolve()
    stale: list[str] = []
    plans = [_plan_common(catalog)] if (catalog.root / COMMON_DIR).is_dir() else []
    plans += [_plan_contract(catalog, contract) for contract in catalog.contracts]
    for plan in plans:
        existing = read_package(out / plan.path)
        if existing is None or not _current(existing, plan.inputs):
            stale.append(plan.path)
    return stale


__all__ = [
    "ContractkitError",
    "GenResult",
    "PackageResult",
    "check_current",
    "default_out_dir",
    "generate",
    "major_of",
    "package_path",
    "plan_schemas",
]
