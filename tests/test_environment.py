"""The pip lock and the conda environment must pin the same versions of our direct dependencies."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]


def _name(req: str) -> str:
    return re.split(r"[<>=!~;\[ ]", req, maxsplit=1)[0].strip().lower().replace("_", "-")


def direct_dependencies() -> set[str]:
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    reqs = list(meta["dependencies"])
    for extra in meta.get("optional-dependencies", {}).values():
        reqs += extra
    return {_name(r) for r in reqs}


def lock_pins() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        m = re.match(r"^([A-Za-z0-9_.\-]+)==([^ \\;]+)", line)
        if m:
            pins[m.group(1).lower().replace("_", "-")] = m.group(2)
    return pins


#: conda-forge packages whose name differs from the PyPI distribution they stand for: the same code,
#: without optional extras (matplotlib's Qt backend, nbconvert's pandoc) that nothing here needs.
CONDA_TO_PYPI = {"matplotlib-base": "matplotlib", "nbconvert-core": "nbconvert", "python-build": "build"}


def env_pins() -> dict[str, str]:
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    pins = {}
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            for req in dep.get("pip", []):
                if req.startswith("-e"):
                    continue
                name, _, version = req.partition("==")
                pins[name.lower()] = version
        else:
            name, _, version = dep.partition("=")
            name = name.lower()
            pins[CONDA_TO_PYPI.get(name, name)] = version
    return pins


def test_every_direct_dependency_is_locked():
    missing = direct_dependencies() - set(lock_pins())
    assert not missing, f"not in requirements.lock: {sorted(missing)}; run `make lock`"


@pytest.mark.parametrize("name", sorted(direct_dependencies()))
def test_environment_pins_the_locked_version(name):
    env, lock = env_pins(), lock_pins()
    assert name in env, f"{name} is a dependency but missing from environment.yml"
    assert env[name] == lock[name], f"{name}: environment.yml has {env[name]}, requirements.lock has {lock[name]}"


def test_environment_installs_the_package_itself():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert "-e ." in pip


def test_environment_names_its_conda_packages_one_way():
    """A package listed under both its PyPI and its conda-forge name would be installed twice."""
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    names = [d.partition("=")[0].lower() for d in env["dependencies"] if isinstance(d, str)]
    assert len(names) == len({CONDA_TO_PYPI.get(n, n) for n in names})
    assert not set(CONDA_TO_PYPI.values()) & set(names)


def test_environment_file_is_the_one_binder_reads():
    """environment.yml sits at the repository root, with no binder/ folder to shadow it.

    repo2docker reads a binder/ or .binder/ folder instead of the root when one exists, and pip's
    `-e .` resolves against the folder holding environment.yml, which must be the repository root.
    """
    assert (ROOT / "environment.yml").is_file()
    assert not (ROOT / "binder").exists() and not (ROOT / ".binder").exists()


def test_build_requirements_are_the_build_systems():
    """build-requirements.in puts the build backend into the lock; it must ask for what pyproject.toml builds with."""
    from packaging.requirements import Requirement

    declared = tomllib.loads((ROOT / "pyproject.toml").read_text())["build-system"]["requires"]
    listed = [
        line.split("#", 1)[0].strip()
        for line in (ROOT / "build-requirements.in").read_text().splitlines()
        if line.split("#", 1)[0].strip()
    ]

    def as_set(reqs):
        return {(_name(r), str(Requirement(r).specifier)) for r in reqs}

    assert as_set(listed) == as_set(declared), "make build-requirements.in say what [build-system] requires says"
    pins = lock_pins()
    for req in map(Requirement, declared):
        assert req.specifier.contains(pins[_name(req.name)]), f"the lock's {req.name} does not satisfy {req}"
