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
    assert set(READS[module]) <= {"indicators", "categories", "category_units"}


def test_indicators_read_by_id_and_by_category():
    book = pd.DataFrame(
        {"indicator": ["a", "b", "c", "d"], "category": ["x", "y", "z", "y"], "unit": ["", "u1|u2", "", "u3"]}
    )
    decl = {"m1": {"indicators": ("a",)}, "m2": {"categories": ("y",), "indicators": ("a",)}}
    assert indicators_read(book, decl) == {"a": ("m1", "m2"), "b": ("m2",), "c": (), "d": ("m2",)}
    decl["m2"]["category_units"] = ("u2",)  # a category selection restricted to a unit
    assert indicators_read(book, decl) == {"a": ("m1", "m2"), "b": ("m2",), "c": (), "d": ()}


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


def test_the_worked_example_of_the_codebook_guide_runs(project, capsys):
    """casebook/README.md's new indicator, added as it says, validates and is warned about as it says."""
    import csv
    import hashlib
    import re

    guide = (Path(__file__).resolve().parents[1] / "casebook" / "README.md").read_text(encoding="utf-8")
    section = guide.split("## Extending the codebook", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```yaml\n(.*?)```", section, re.S).group(1)
    assert "id: direct_registration_share" in block
    codebook = project / "codebook.yaml"
    text = codebook.read_text(encoding="utf-8")
    anchor = "indicators:\n"
    codebook.write_text(text.replace(anchor, anchor + block, 1), encoding="utf-8")
    data = project.parent / "data"
    page = "某区社会组织发展报告\n2019年,直接登记的社会组织占当年新登记总数的60%。\n".encode()
    (data / "raw" / "mou.txt").write_bytes(page)
    with open(data / "raw" / "manifest.csv", "a", encoding="utf-8", newline="") as handle:
        header = (data / "raw" / "manifest.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
        row = dict.fromkeys(header, "")
        row.update(
            source_id="mou-2019-report",
            file="raw/mou.txt",
            district="mou",
            title="某区社会组织发展报告",
            kind="district-report",
            sha256=hashlib.sha256(page).hexdigest(),
            page_date_basis="unknown",
        )
        csv.writer(handle, lineterminator="\n").writerow([row[c] for c in header])
    (project / "mou.yaml").write_text(
        """\
district: mou
profile:
  name_zh: 某区
  name_en: Mou District
  city_zh: 某市
  city_en: Mou City
  province_zh: 某省
  province_en: Mou Province
  area_kind: urban_district
  sources: [mou-2019-report]
  summary: A made-up district for the codebook guide's worked example.
facts:
  - id: mou-direct-registration-share
    indicator: direct_registration_share
    subject: direct registrations among the year's new registrations
    value: 60%
    basis: rate
    source: mou-2019-report
    quote: 直接登记的社会组织占当年新登记总数的60%
    english: Organizations registered directly are 60% of the year's new registrations.
    period: {text: 2019年, start: 2019-01-01, end: 2019-12-31, reasoning: The text's own year.}
    confidence: stated
""",
        encoding="utf-8",
    )
    assert main(["validate", str(project)]) == 0
    err = capsys.readouterr().err
    assert "warning: indicator 'direct_registration_share'" in err and "in mou" in err
    decl = {
        **READS,
        "registration": {
            **READS["registration"],
            "indicators": (*READS["registration"]["indicators"], "direct_registration_share"),
        },
    }
    assert "direct_registration_share" not in set(unread_indicators(govcases.load_casebook(project), decl)["indicator"])
