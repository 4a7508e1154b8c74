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
            pins[name.lower()] = version
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
