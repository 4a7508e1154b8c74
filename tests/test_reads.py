"""The declaration of which indicators each analysis reads, and the warning about facts none reads."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pandas as pd
import pytest

import govcases
from govcases.analysis import reads as reads_module
from govcases.analysis.reads import READS, indicators_read, unread_indicators
from govcases.cli import main

ANALYSIS = Path(reads_module.__file__).parent
CODEBOOK = govcases.load_casebook().codebook.table()
IDS = set(CODEBOOK["indicator"])
CATEGORIES = set(CODEBOOK["category"])


def _literals(module: str) -> set[str]:
    tree = ast.parse((ANALYSIS / f"{module}.py").read_text(encoding="utf-8"))
    return {n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)}


ANALYSIS_MODULES = sorted(
    p.stem for p in ANALYSIS.glob("*.py") if p.stem not in {"__init__", "reads"} and _literals(p.stem) & IDS
)


def test_every_module_that_names_an_indicator_is_declared():
    assert set(ANALYSIS_MODULES) <= set(READS)


@pytest.mark.parametrize("module", sorted(READS))
def test_declaration_matches_the_code(module):
    importlib.import_module(f"govcases.analysis.{module}")  # a declared module exists
    named = _literals(module) & IDS
    declared = set(READS[module].get("indicators", ()))
    assert declared - IDS == set(), "declared indicators missing from the codebook"
    assert named - declared == set(), f"{module} names indicators READS does not declare for it"
    assert declared - named == set(), f"READS declares indicators {module} never names"
    for category in READS[module].get("categories", ()):
        assert category in CATEGORIES and category in _literals(module)
    assert set(READS[module]) <= {"indicators", "categories"}


def test_indicators_read_by_id_and_by_category():
    book = pd.DataFrame({"indicator": ["a", "b", "c"], "category": ["x", "y", "z"]})
    decl = {"m1": {"indicators": ("a",)}, "m2": {"categories": ("y",), "indicators": ("a",)}}
    assert indicators_read(book, decl) == {"a": ("m1", "m2"), "b": ("m2",), "c": ()}


def test_unread_indicators_lists_every_used_indicator_when_nothing_is_declared(project):
    cb = govcases.load_casebook(project)
    u = unread_indicators(cb, {})
    assert set(u["indicator"]) == set(cb.facts["indicator"])
    assert u["n_facts"].sum() == len(cb.facts)
    assert unread_indicators(cb).empty  # the three indicators of the test record are all read


def test_validate_warns_about_unread_indicators_and_still_passes(project, capsys, monkeypatch):
    assert main(["validate", str(project)]) == 0
    assert "warning" not in capsys.readouterr().err
    monkeypatch.setattr(reads_module, "READS", {})
    assert main(["validate", str(project)]) == 0
    captured = capsys.readouterr()
    assert captured.out.startswith("ok:")
    warnings = [line for line in captured.err.splitlines() if line.startswith("warning: indicator")]
    assert len(warnings) == 3 and any("'orgs_registered'" in w and "zhenhai" in w for w in warnings)
    assert "Extending the codebook" in captured.err
