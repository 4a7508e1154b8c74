"""House rules kept by the tree itself: ruff's lint and format, and numpydoc docstrings on the public API.

The rule set and its reasons live in pyproject.toml ([tool.ruff]); the docstring rule here asks
for what ruff's pydocstyle checks cannot: the numpydoc sections a reader of a public function
needs (Parameters when it takes any, Returns when it returns anything).
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

import govcases

ROOT = Path(__file__).resolve().parents[1]
RUFF = Path(sys.executable).with_name("ruff")
CHECKED = ["src", "tests", "benchmarks"]


def test_ruff_lint_passes():
    run = subprocess.run([str(RUFF), "check", "--no-cache", *CHECKED], cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr


def test_ruff_format_is_applied():
    run = subprocess.run(
        [str(RUFF), "format", "--check", "--no-cache", *CHECKED], cwd=ROOT, capture_output=True, text=True
    )
    assert run.returncode == 0, "run `.venv/bin/ruff format src tests benchmarks`:\n" + run.stdout + run.stderr


def _public_functions():
    names = [
        m.name
        for m in pkgutil.walk_packages(govcases.__path__, "govcases.")
        if not any(part.startswith("_") for part in m.name.split("."))
    ]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        for name in sorted(names):
            module = importlib.import_module(name)
            for attr in getattr(module, "__all__", []):
                obj = getattr(module, attr)
                if inspect.isfunction(obj) and obj.__module__ == name:
                    yield f"{name}.{attr}", obj


PUBLIC = dict(_public_functions())


def test_the_public_api_is_found():
    assert "govcases.records.casebook.load_casebook" in PUBLIC
    assert any(name.startswith("govcases.publish.figures.") for name in PUBLIC)


def _sections(doc: str) -> dict[str, list[str]]:
    """A numpydoc docstring's sections: title -> its lines (underlined titles start a section)."""
    lines = doc.splitlines()
    sections: dict[str, list[str]] = {}
    current = None
    for i, line in enumerate(lines):
        under = lines[i + 1].strip() if i + 1 < len(lines) else ""
        if line.strip() and under and set(under) == {"-"} and len(under) == len(line.strip()):
            current = sections.setdefault(line.strip(), [])
        elif current is not None and not (line.strip() and set(line.strip()) == {"-"}):
            current.append(line)
    return sections


def _described(section: list[str]) -> set[str]:
    """Parameter names a Parameters section describes: unindented terms before ' : ' (``a, b : int`` names two)."""
    names = set()
    for line in section:
        if line and not line[0].isspace():
            for term in line.split(" : ")[0].split(","):
                names.add(term.strip().lstrip("*"))
    return names


@pytest.mark.parametrize("name", sorted(PUBLIC))
def test_public_function_has_a_numpydoc_docstring(name):
    func = PUBLIC[name]
    doc = inspect.getdoc(func) or ""
    assert doc, f"{name} has no docstring"
    sections = _sections(doc)
    signature = inspect.signature(func)
    params = [p.name for p in signature.parameters.values() if p.name not in ("self", "cls")]
    if params:
        assert "Parameters" in sections, f"{name}: numpydoc 'Parameters' section missing"
        missing = set(params) - _described(sections["Parameters"])
        assert not missing, f"{name}: parameters not described: {sorted(missing)}"
    if signature.return_annotation not in (None, "None"):
        assert sections.keys() & {"Returns", "Yields"}, f"{name}: numpydoc 'Returns' section missing"
