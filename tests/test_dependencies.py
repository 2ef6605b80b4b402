"""Guards against the dependency trap seen on these machines (openapi-core resolving to 0.14.2)."""

from __future__ import annotations

from importlib import metadata

import pytest


def version_tuple(name: str) -> tuple[int, ...]:
    return tuple(int(part) for part in metadata.version(name).split(".")[:2] if part.isdigit())


@pytest.mark.parametrize(
    ("package", "minimum"),
    [
        pytest.param("openapi-core", (0, 23), id="openapi-core-current-api"),
        pytest.param("openapi-spec-validator", (0, 7), id="openapi-spec-validator"),
        pytest.param("jsonschema", (4, 18), id="jsonschema-referencing"),
        pytest.param("pyyaml", (6, 0), id="pyyaml"),
    ],
)
def test_installed_versions_keep_the_current_apis(package: str, minimum: tuple[int, ...]) -> None:
    assert version_tuple(package) >= minimum, f"{package} {metadata.version(package)} is older than {minimum}"


def test_pyproject_declares_the_openapi_core_lower_bound() -> None:
    requirements = metadata.requires("contractkit") or []
    assert any(req.replace(" ", "").startswith("openapi-core>=0.23") for req in requirements), requirements
