"""The built wheel installs anywhere: it carries its casebook and data and works from any folder.

The wheel is built from a copy of the project (so the build writes nothing into the repository),
installed into a fresh virtual environment outside the repository and used from a third folder with
nothing on PYTHONPATH. Building and installing need no network: the dependencies are the project
environment's own, made visible through a ``.pth`` file that lists a folder of links to them, leaving
out the editable install of govcases itself, so that nothing of the repository leaks in.
"""

from __future__ import annotations

import json
import os
import pickle
import shutil
import subprocess
import sys
import sysconfig
import tomllib
import zipfile
from pathlib import Path

import pandas as pd
import pytest

import govcases

ROOT = Path(__file__).resolve().parents[1]
VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]

pytestmark = pytest.mark.slow

# What the project needs to build a wheel; everything else in the repository stays out of it.
_BUILD_INPUTS = ("pyproject.toml", "README.md", "LICENSE", "LICENSES", "src", "casebook", "data")
_JUNK = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info", ".*")

# Run in the installed environment: what the package found, as JSON on stdout, and its facts table.
_PROBE = """
import json, pickle, sys
import importlib.metadata
import govcases
from govcases.records import paths
cb = govcases.load_casebook()
with open(sys.argv[1], "wb") as f:
    pickle.dump(cb.facts, f)
print(json.dumps({
    "file": govcases.__file__,
    "version": govcases.__version__,
    "metadata_version": importlib.metadata.version("govcases"),
    "casebook": str(cb.root),
    "project": str(paths.bundled_project()),
    "districts": cb.districts,
    "finders": [type(f).__module__ + "." + type(f).__name__ for f in sys.meta_path],
    "path": sys.path,
}))
"""


def _files(folder: Path) -> set[str]:
    return {
        p.relative_to(folder).as_posix()
        for p in folder.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and not p.name.startswith(".")
    }


def _tree(folder: Path) -> dict[str, bytes]:
    return {name: (folder / name).read_bytes() for name in sorted(_files(folder))}


def _run(args, *, cwd, env, check=True) -> subprocess.CompletedProcess:
    run = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True)
    if check:
        assert run.returncode == 0, f"{' '.join(map(str, args))} failed:\n{run.stdout}\n{run.stderr}"
    return run


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """The wheel, built from a copy of the project's build inputs."""
    tmp = tmp_path_factory.mktemp("wheel")
    source = tmp / "govcases-src"
    source.mkdir()
    for name in _BUILD_INPUTS:
        item = ROOT / name
        if item.is_dir():
            shutil.copytree(item, source / name, ignore=_JUNK)
        else:
            shutil.copy2(item, source / name)
    dist = tmp / "dist"
    _run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", dist, source],
        cwd=tmp,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
    )
    (built,) = dist.glob("govcases-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory):
    """A fresh environment with only the wheel installed; its paths and an environment to run it in."""
    tmp = tmp_path_factory.mktemp("installed")
    venv = tmp / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", venv], cwd=tmp, env=os.environ)
    bin_dir = venv / ("Scripts" if os.name == "nt" else "bin")
    python = bin_dir / ("python.exe" if os.name == "nt" else "python")
    site = Path(
        _run(
            [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], cwd=tmp, env=os.environ
        ).stdout.strip()
    )
    # The dependencies: links to everything in the project environment but govcases' own editable install
    deps = tmp / "deps"
    deps.mkdir()
    for entry in Path(sysconfig.get_paths()["purelib"]).iterdir():
        if entry.name.startswith(("__editable__", "govcases")) or entry.suffix == ".pth":
            continue
        (deps / entry.name).symlink_to(entry)
    (site / "project-dependencies.pth").write_text(f"{deps}\n", encoding="utf-8")
    _run(
        [sys.executable, "-m", "pip", "--python", python, "install", "--quiet", "--no-deps", "--no-index", wheel],
        cwd=tmp,
        env=os.environ,
    )
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "GOVCASES_CASEBOOK", "VIRTUAL_ENV")}
    env.update(PATH=f"{bin_dir}{os.pathsep}{env.get('PATH', '')}", PYTHONNOUSERSITE="1")
    work = tmp / "elsewhere"
    work.mkdir()
    package = site / "govcases"
    return {
        "python": python,
        "govcases": bin_dir / "govcases",
        "site": site,
        "package": package,
        "env": env,
        "cwd": work,
        "before": _tree(package),
        "tmp": tmp,
    }


# ---------------------------------------------------------------------------- the wheel
def test_the_wheel_holds_every_module_the_casebook_and_the_data(wheel):
    with zipfile.ZipFile(wheel) as z:
        names = {n for n in z.namelist() if not n.endswith("/")}
    in_wheel = {n.removeprefix("govcases/") for n in names if n.startswith("govcases/")}
    code = {
        f
        for f in _files(ROOT / "src" / "govcases")
        if f.endswith(".py") or f == "py.typed" or f.startswith(("analysis/keys/", "publish/templates/"))
    }
    expected = (
        code
        | {f"_data/casebook/{f}" for f in _files(ROOT / "casebook")}
        | {f"_data/data/{f}" for f in _files(ROOT / "data")}
    )
    assert sorted(expected - in_wheel) == [], "missing from the wheel: list them in pyproject.toml [tool.setuptools]"
    assert sorted(in_wheel - expected) == [], "in the wheel but not in the repository"
    assert "govcases/py.typed" in names and any(n.startswith("govcases/analysis/keys/") for n in names)


# ---------------------------------------------------------------------------- the installed package
@pytest.fixture(scope="module")
def probe(installed):
    out = installed["tmp"] / "facts.pickle"
    run = _run([installed["python"], "-c", _PROBE, out], cwd=installed["cwd"], env=installed["env"])
    with out.open("rb") as f:
        facts = pickle.load(f)
    return json.loads(run.stdout), facts


def test_the_installed_package_is_the_wheel_not_the_repository(installed, probe):
    info, _ = probe
    package = installed["package"].resolve()
    assert Path(info["file"]).resolve() == package / "__init__.py"
    assert Path(info["project"]) == package / "_data"
    assert Path(info["casebook"]) == package / "_data" / "casebook"
    assert not any("editable" in f.lower() for f in info["finders"]), info["finders"]
    assert not any(p and Path(p).resolve().is_relative_to(ROOT) for p in info["path"]), info["path"]


def test_the_installed_casebook_has_the_repositorys_facts(probe):
    info, facts = probe
    repo = govcases.load_casebook(ROOT / "casebook")
    assert info["districts"] == repo.districts
    pd.testing.assert_frame_equal(facts, repo.facts)


def test_the_version_comes_from_the_package_metadata(installed, probe):
    info, _ = probe
    assert info["version"] == info["metadata_version"] == VERSION
    run = _run([installed["govcases"], "--version"], cwd=installed["cwd"], env=installed["env"])
    assert run.stdout.strip() == f"govcases {VERSION}"


def test_validate_runs_from_any_folder(installed):
    run = _run([installed["govcases"], "validate"], cwd=installed["cwd"], env=installed["env"])
    n = len(govcases.load_casebook(ROOT / "casebook").districts)
    assert run.stdout.startswith(f"ok: {n} district(s), ")


def test_a_users_casebook_is_chosen_by_the_environment_variable(installed, tmp_path):
    shutil.copytree(ROOT / "casebook", tmp_path / "casebook")
    shutil.copytree(ROOT / "data" / "raw", tmp_path / "data" / "raw")
    shutil.copytree(ROOT / "data" / "external", tmp_path / "data" / "external")
    (tmp_path / "casebook" / "beilun.yaml").unlink()
    env = {**installed["env"], "GOVCASES_CASEBOOK": str(tmp_path / "casebook")}
    code = "import govcases; cb = govcases.load_casebook(); print(cb.root); print(' '.join(cb.districts))"
    run = _run([installed["python"], "-c", code], cwd=installed["cwd"], env=env)
    root, districts = run.stdout.splitlines()
    assert Path(root) == (tmp_path / "casebook").resolve()
    assert "beilun" not in districts.split() and districts.split()


def test_export_of_the_installed_casebook_needs_a_folder(installed):
    refused = _run([installed["govcases"], "export"], cwd=installed["cwd"], env=installed["env"], check=False)
    assert refused.returncode == 2
    assert "--out" in refused.stderr and "never written to" in refused.stderr
    # the tables the package carries are current, and an export to a named folder reproduces them
    _run([installed["govcases"], "export", "--check"], cwd=installed["cwd"], env=installed["env"])
    _run([installed["govcases"], "export", "--out", "tables"], cwd=installed["cwd"], env=installed["env"])
    assert _tree(installed["cwd"] / "tables") == _tree(ROOT / "data" / "processed")
    inside = installed["package"] / "_data" / "data" / "processed"
    refused = _run(
        [installed["govcases"], "export", "--out", inside], cwd=installed["cwd"], env=installed["env"], check=False
    )
    assert refused.returncode == 2 and "inside the installed govcases package" in refused.stderr


def test_build_of_the_installed_casebook_writes_to_the_current_folder(installed):
    run = _run(
        [installed["govcases"], "build", "--no-figures", "--jobs", "1"], cwd=installed["cwd"], env=installed["env"]
    )
    out = installed["cwd"] / "build"
    assert (out / "casebook.html").is_file() and (out / "COLOPHON.txt").is_file()
    assert _tree(out / "processed") == _tree(ROOT / "data" / "processed")
    assert "no notebooks in" in run.stdout  # said, not silently left out
    colophon = (out / "COLOPHON.txt").read_text(encoding="utf-8")
    assert "an installed package, not a git checkout" in colophon


def test_no_installed_file_points_back_into_the_repository(installed, wheel):
    sources = (str(ROOT), str(wheel.parent.parent / "govcases-src"))
    scanned = [p for p in installed["site"].rglob("*") if p.is_file() and "__pycache__" not in p.parts]
    scanned += [p for p in installed["govcases"].parent.iterdir() if p.is_file()]
    assert any(p.is_relative_to(installed["package"]) for p in scanned)
    hits = [str(p) for p in scanned for s in sources if s.encode() in p.read_bytes()]
    assert hits == []


def test_nothing_is_written_inside_the_installed_package(installed):
    # the snapshot was taken right after installing; the tests above also exported and built from the package
    _run([installed["govcases"], "validate"], cwd=installed["cwd"], env=installed["env"])
    _run([installed["govcases"], "export", "--check"], cwd=installed["cwd"], env=installed["env"])
    assert _tree(installed["package"]) == installed["before"]
