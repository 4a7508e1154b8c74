"""The package's layers: records below analysis below publishing below the command line.

The contract lives in pyproject.toml ([tool.importlinter]); import-linter checks it on the real
package, and a copy of the package with one upward import shows that the check can fail.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src"
LINT = Path(sys.executable).with_name("lint-imports")


def _lint(src: Path, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(src)}
    return subprocess.run(
        [str(LINT), "--config", str(ROOT / "pyproject.toml"), "--no-cache"],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
    )


def test_the_layers_hold():
    run = _lint(SRC, ROOT)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "1 kept, 0 broken" in run.stdout


@pytest.mark.parametrize(
    ("module", "upward"),
    [
        ("records/casebook.py", "from govcases.analysis import funding"),
        ("analysis/growth.py", "from govcases.publish import style"),
        ("records/quantity.py", "import govcases.cli"),
    ],
)
def test_an_upward_import_breaks_the_contract(tmp_path, module, upward):
    shutil.copytree(SRC / "govcases", tmp_path / "govcases", ignore=shutil.ignore_patterns("__pycache__"))
    path = tmp_path / "govcases" / module
    path.write_text(path.read_text() + f"\n{upward}  # a back-edge\n")
    run = _lint(tmp_path, tmp_path)
    assert run.returncode != 0
    assert "BROKEN" in run.stdout


def test_no_lower_layer_reads_the_notebooks_folder():
    """The library serves the notebooks; only the publishing layer, which executes them, opens that folder."""
    offenders = [
        p.relative_to(SRC).as_posix()
        for layer in ("records", "analysis")
        for p in (SRC / "govcases" / layer).rglob("*.py")
        if re.search(r"[\"']notebooks[\"']", p.read_text())
    ]
    assert not offenders, f"records and analysis must not read notebooks/: {offenders}"


@pytest.mark.parametrize(
    ("old", "name", "new"),
    [
        ("govcases.funding", "amounts", "govcases.analysis.funding"),
        ("govcases.funding", "fig_normalized", "govcases.publish.figures.funding"),
        ("govcases.quantity", "parse_quantity", "govcases.records.quantity"),
        ("govcases.style", "use_style", "govcases.publish.style"),
    ],
)
def test_old_import_paths_work_and_name_the_new_one(old, name, new):
    import importlib

    module = importlib.import_module(old)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        obj = getattr(module, name)
    assert obj is getattr(importlib.import_module(new), name)
    assert any(f"{new}.{name}" in str(w.message) and w.category is DeprecationWarning for w in caught)


def test_an_old_path_without_the_name_says_where_to_look():
    import govcases.growth

    with pytest.raises(AttributeError, match=r"govcases.analysis.growth and govcases.publish.figures.growth"):
        govcases.growth.no_such_function  # noqa: B018


def test_from_govcases_import_an_old_module_name():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        from govcases import registration
        from govcases.analysis.registration import conversion_rates

        assert registration.conversion_rates is conversion_rates
