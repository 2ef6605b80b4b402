"""contractkit package: wheels built from generated/, installed for real into a fresh virtual environment."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
import venv
import zipfile
from collections.abc import Iterator
from importlib import metadata
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from contractkit.catalog.model import Catalog
from contractkit.catalog.reader import read_catalog
from contractkit.cli.app import app
from contractkit.codegen.package import build_packages, plan_wheel
from contractkit.errors import ContractInvalid, ContractkitError, ContractNotFound, ToolFailed, UsageError

pytestmark = pytest.mark.e2e  # real git repositories, subprocesses or new venvs: `ci/test --fast` leaves it out

REPO = Path(__file__).resolve().parents[2]
CONTRACTS = REPO / "contracts"

# -- a small catalog and a hand-made generated tree (the layout `contractkit gen` writes) ---------------------

CONTRACT = """\
openapi: 3.1.0
info: {title: Demo, version: 1.2.0}
paths: {}
components:
  schemas:
    Order:
      type: object
      required: [total]
      properties:
        total: {$ref: '../common/money.yaml#/Money'}
"""
GENERATED = {
    "contracts_common/__init__.py": """\
        from contracts_common.money import Money

        __all__ = ["Money"]
        """,
    "contracts_common/money.py": """\
        from pydantic import BaseModel


        class Money(BaseModel):
            amount: str
            currency: str
        """,
    "contracts_common/py.typed": "",
    "demo_api/v1/__init__.py": """\
        from pathlib import Path

        from .models import Money, Order

        CONTRACT: Path = Path(__file__).with_name("contract.json")
        CONTRACT_ID = "demo-api"
        CONTRACT_VERSION = "1.2.0"
        __all__ = ["CONTRACT", "CONTRACT_ID", "CONTRACT_VERSION", "Money", "Order"]
        """,
    "demo_api/v1/models.py": """\
        from pydantic import BaseModel

        from contracts_common.money import Money


        class Order(BaseModel):
            total: Money
        """,
    "demo_api/v1/contract.json": '{"openapi": "3.1.0"}\n',
    "demo_api/v1/py.typed": "",
}


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))


def demo_catalog(root: Path, *, version: str = "1.2.0", codegen: str = "") -> Catalog:
    entry = "  - {id: demo-api, kind: openapi, path: demo/openapi.yaml, owner: team, lifecycle: stable}\n"
    write(
        root,
        {
            "contracts/catalog.yaml": f"version: 1\ncontracts:\n{entry}{codegen}",
            "contracts/demo/openapi.yaml": CONTRACT.replace("1.2.0", version),
            "contracts/common/money.yaml": "Money: {type: object}\n",
        },
    )
    return read_catalog(root / "contracts" / "catalog.yaml")


@pytest.fixture
def demo(tmp_path: Path) -> Catalog:
    write(tmp_path / "generated", GENERATED)
    return demo_catalog(tmp_path)


def wheel_files(wheel: Path) -> dict[str, str]:
    with zipfile.ZipFile(wheel) as archive:
        return {name: archive.read(name).decode() for name in archive.namelist()}


def test_a_wheel_vendors_the_shared_models_with_relative_imports(demo: Catalog, tmp_path: Path) -> None:
    (wheel,) = build_packages(demo, ["demo-api"], tmp_path / "dist", check=False)
    assert wheel.name == "contracts_demo_api_v1-1.2.0-py3-none-any.whl"
    files = wheel_files(wheel)
    assert sorted(name for name in files if not name.startswith("contracts_demo_api_v1-1.2.0.dist-info/")) == [
        "demo_api/v1/__init__.py",
        "demo_api/v1/_common/__init__.py",
        "demo_api/v1/_common/money.py",
        "demo_api/v1/_common/py.typed",
        "demo_api/v1/contract.json",
        "demo_api/v1/models.py",
        "demo_api/v1/py.typed",
    ]
    assert "from ._common.money import Money" in files["demo_api/v1/models.py"]
    assert "from .money import Money" in files["demo_api/v1/_common/__init__.py"]
    assert not any("contracts_common" in text for text in files.values())
    meta = files["contracts_demo_api_v1-1.2.0.dist-info/METADATA"]
    assert "Name: contracts-demo-api-v1\n" in meta and "Version: 1.2.0\n" in meta
    assert [line for line in meta.splitlines() if line.startswith("Requires-Dist")] == ["Requires-Dist: pydantic>=2"]


def test_wheels_are_reproducible(demo: Catalog, tmp_path: Path) -> None:
    first = build_packages(demo, [], tmp_path / "a", check=False)
    second = build_packages(demo, [], tmp_path / "b", check=False)
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]


@pytest.mark.parametrize(
    ("codegen", "prefix", "expected"),
    [
        pytest.param("", None, "contracts-demo-api-v1", id="default"),
        pytest.param("codegen:\n  package: {distribution-prefix: acme}\n", None, "acme-demo-api-v1", id="catalog"),
        pytest.param("codegen:\n  package: {distribution-prefix: acme}\n", "x-y", "x-y-demo-api-v1", id="argument"),
    ],
)
def test_distribution_name(tmp_path: Path, codegen: str, prefix: str | None, expected: str) -> None:
    catalog = demo_catalog(tmp_path, codegen=codegen)
    plan = plan_wheel(catalog, catalog.contracts[0], tmp_path / "generated", prefix=prefix)
    assert (plan.distribution, plan.version, plan.package) == (expected, "1.2.0", "demo_api.v1")


@pytest.mark.parametrize(
    ("version", "major"),
    [pytest.param("2.0.0rc1", "2", id="pre-release"), pytest.param("10.1", "10", id="two-parts")],
)
def test_the_major_names_the_package(tmp_path: Path, version: str, major: str) -> None:
    catalog = demo_catalog(tmp_path, version=version)
    plan = plan_wheel(catalog, catalog.contracts[0], tmp_path / "generated")
    assert plan.package == f"demo_api.v{major}" and plan.distribution.endswith(f"-v{major}")


def _break_import(root: Path) -> None:
    (root / "generated/demo_api/v1/models.py").write_text("import contracts_common.money\n")


@pytest.mark.parametrize(
    ("ids", "kwargs", "change", "error", "message"),
    [
        pytest.param(["demo-apj"], {}, None, ContractNotFound, "did you mean `demo-api`?", id="unknown-id"),
        pytest.param([], {"prefix": "Acme_"}, None, UsageError, "not a distribution name prefix", id="bad-prefix"),
        pytest.param([], {"check": True}, None, UsageError, "run `contractkit gen", id="stale"),
        pytest.param(
            [],
            {},
            lambda root: shutil.rmtree(root / "generated/demo_api"),
            UsageError,
            "were not generated",
            id="missing",
        ),
        pytest.param(
            [],
            {},
            lambda root: shutil.rmtree(root / "generated/contracts_common"),
            UsageError,
            "shared models were not generated",
            id="missing-common",
        ),
        pytest.param(
            [],
            {},
            lambda root: demo_catalog(root, version="latest"),
            ContractInvalid,
            "PEP 440",
            id="bad-version",
        ),
        pytest.param([], {}, _break_import, ToolFailed, "import contracts_common.money", id="unrewritable-import"),
    ],
)
def test_errors(
    demo: Catalog,
    tmp_path: Path,
    ids: list[str],
    kwargs: dict[str, Any],
    change: Any,
    error: type[ContractkitError],
    message: str,
) -> None:
    if change is not None:
        change(tmp_path)
    options: dict[str, Any] = {"check": False, **kwargs}
    with pytest.raises(error) as caught:
        build_packages(demo, ids, tmp_path / "dist", **options)
    assert message in str(caught.value) + (caught.value.tip or "")
    assert not list((tmp_path / "dist").glob("*.whl"))


def test_cli_package_refuses_stale_models(demo: Catalog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["package", "--out", "dist"])
    assert result.exit_code == 2
    assert "run `contractkit gen" in result.stderr and "Traceback" not in result.stderr


# -- for real: the catalog's wheels installed with pip into a fresh virtual environment -------------------------


def _requirements(name: str, seen: set[str]) -> None:
    """Collect ``name`` and what it requires (without extras) into ``seen``."""
    dist = metadata.distribution(name)
    key = dist.metadata["Name"].lower().replace("_", "-")
    if key in seen:
        return
    seen.add(key)
    for requirement in dist.requires or []:
        if "extra ==" in requirement:
            continue
        _requirements(requirement.split(";")[0].split("[")[0].split("<")[0].split(">")[0].split("=")[0].strip(), seen)


def _pydantic_only(folder: Path) -> Path:
    """Return a folder holding pydantic and its dependencies only (links into this environment), pip-visible."""
    folder.mkdir()
    names: set[str] = set()
    _requirements("pydantic", names)
    for name in sorted(names):
        dist = metadata.distribution(name)
        tops = {Path(str(file)).parts[0] for file in dist.files or [] if not str(file).startswith("..")}
        for top in sorted(tops):
            source = Path(str(dist.locate_file(top)))
            if source.exists() and not (folder / top).exists() and top != "__pycache__":
                (folder / top).symlink_to(source)
    return folder


@pytest.fixture(scope="module")
def fresh_venv(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A new virtual environment that sees pydantic (and nothing else of this one) without the network."""
    root = tmp_path_factory.mktemp("venv")
    env = root / "env"
    venv.EnvBuilder(with_pip=False).create(env)
    python = env / "bin" / "python"
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    Path(site, "pydantic-only.pth").write_text(f"{_pydantic_only(root / 'pydantic-only')}\n")
    yield python


def pip_install(python: Path, wheels: Path, *names: str) -> None:
    command = [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-index", "--find-links"]
    done = subprocess.run(
        [*command, str(wheels), "--disable-pip-version-check", *names],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PIP_NO_INPUT": "1"},
    )
    assert done.returncode == 0, done.stdout + done.stderr


CONSUMER = """\
import importlib, json, sys
import pydantic

result = {}
for package in sys.argv[1:]:
    module = importlib.import_module(package)
    contract = json.loads(module.CONTRACT.read_text())
    valid = rejected = 0
    schemas = contract.get("components", {}).get("schemas", {})
    for name, schema in sorted(schemas.items()):
        model = getattr(module, name, None)
        if not (isinstance(model, type) and issubclass(model, pydantic.BaseModel)):
            continue
        if "example" in schema:
            model.model_validate(schema["example"])
            valid += 1
        if schema.get("required"):
            try:
                model.model_validate({})
            except pydantic.ValidationError:
                rejected += 1
    result[package] = {
        "id": module.CONTRACT_ID,
        "version": module.CONTRACT_VERSION,
        "info_version": contract["info"]["version"],
        "file": str(module.__file__),
        "contract_in_package": module.CONTRACT.parent == __import__("pathlib").Path(module.__file__).parent,
        "valid": valid,
        "rejected": rejected,
    }
print(json.dumps(result))
"""


def consume(python: Path, cwd: Path, *packages: str) -> dict[str, Any]:
    done = subprocess.run(
        [str(python), "-c", CONSUMER, *packages],
        capture_output=True,
        text=True,
        check=False,
        cwd=cwd,
        env={key: value for key, value in os.environ.items() if key != "PYTHONPATH"},
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, Any] = json.loads(done.stdout)
    return result


@pytest.fixture(scope="module")
def catalog_wheels(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheels")
    build_packages(read_catalog(CONTRACTS / "catalog.yaml"), [], out)  # check=True: generated/ must be current
    return out


@pytest.mark.slow
def test_every_contract_installs_and_validates_its_examples(
    catalog_wheels: Path, fresh_venv: Path, tmp_path: Path
) -> None:
    catalog = read_catalog(CONTRACTS / "catalog.yaml")
    names = [f"contracts-{c.id}-v1" for c in catalog.contracts]
    assert len(list(catalog_wheels.glob("*.whl"))) == len(names)
    pip_install(fresh_venv, catalog_wheels, *names)
    packages = [f"{c.id.replace('-', '_')}.v1" for c in catalog.contracts]
    result = consume(fresh_venv, tmp_path, *packages)
    for contract, package in zip(catalog.contracts, packages, strict=True):
        seen = result[package]
        assert seen["id"] == contract.id
        assert seen["version"] == seen["info_version"] == _info_version(contract.path)
        assert seen["contract_in_package"] and "site-packages" in seen["file"]
    assert result["b2b_orders.v1"]["valid"] > 0
    assert all(seen["rejected"] > 0 for seen in result.values())


@pytest.mark.slow
def test_two_majors_install_side_by_side(catalog_wheels: Path, fresh_venv: Path, tmp_path: Path) -> None:
    from contractkit.codegen.gen import generate

    shutil.copytree(CONTRACTS, tmp_path / "contracts")
    shutil.copytree(REPO / "generated", tmp_path / "generated", ignore=shutil.ignore_patterns("__pycache__"))
    spec = tmp_path / "contracts" / "b2b-orders" / "openapi.yaml"
    v1 = _info_version(spec)
    spec.write_text(spec.read_text().replace(f"version: {v1}", "version: 2.0.0", 1))
    catalog = read_catalog(tmp_path / "contracts" / "catalog.yaml")
    generate(catalog, ["b2b-orders"])
    (wheel,) = build_packages(catalog, ["b2b-orders"], catalog_wheels)
    assert wheel.name == "contracts_b2b_orders_v2-2.0.0-py3-none-any.whl"
    pip_install(fresh_venv, catalog_wheels, "contracts-b2b-orders-v1", "contracts-b2b-orders-v2")
    result = consume(fresh_venv, tmp_path, "b2b_orders.v1", "b2b_orders.v2")
    assert (result["b2b_orders.v1"]["version"], result["b2b_orders.v2"]["version"]) == (v1, "2.0.0")
    assert result["b2b_orders.v2"]["valid"] == result["b2b_orders.v1"]["valid"] > 0


def _info_version(contract: Path) -> str:
    """The contract's own ``info.version`` (the tests follow the contract as it is bumped)."""
    return str(yaml.safe_load(contract.read_text())["info"]["version"])
