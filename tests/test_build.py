"""The build: every appendix output is made, and two builds in a row give identical bytes."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from govcases.appendix import FIGURES, TABLES, outputs_markdown
from govcases.build import build
from govcases.notebooks import notebook_paths

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory):
    runs = []
    for name in ("first", "second"):
        out = tmp_path_factory.mktemp(name)
        log = io.StringIO()
        files = build(out / "build", processed=out / "processed", stream=log)
        runs.append((out, files, log.getvalue()))
    return runs


def test_every_output_is_built(two_builds):
    out, files, _ = two_builds[0]
    names = {p.relative_to(out).as_posix() for p in files}
    for item in FIGURES:
        assert {f"build/figures/{item.name}.{ext}" for ext in ("pdf", "svg", "png")} <= names, item.name
    for item in TABLES:
        assert {f"build/tables/{item.name}.{ext}" for ext in ("csv", "tex")} <= names, item.name
    for nb in notebook_paths():
        assert f"build/report/{nb.stem}.html" in names
    assert {"build/report/index.html", "build/casebook.html", "build/COLOPHON.txt", "processed/facts.csv"} <= names


def test_two_builds_are_byte_identical(two_builds):
    (a, files_a, _), (b, files_b, _) = two_builds
    rel_a = sorted(p.relative_to(a) for p in files_a)
    assert rel_a == sorted(p.relative_to(b) for p in files_b)
    different = [str(r) for r in rel_a if (a / r).read_bytes() != (b / r).read_bytes()]
    assert not different, f"differ between two builds: {different}"


def test_outputs_carry_no_dates(two_builds):
    out, files, _ = two_builds[0]
    for path in files:
        if path.suffix in (".svg", ".tex", ".csv", ".txt"):
            text = path.read_text(encoding="utf-8")
            assert not re.search(r"\b20\d\d-\d\d-\d\dT\d\d:\d\d", text), path  # no timestamps
        if path.suffix == ".pdf":
            assert b"/CreationDate" not in path.read_bytes(), path


def test_colophon_records_versions_commit_and_casebook(two_builds):
    out, _, _ = two_builds[0]
    text = (out / "build" / "COLOPHON.txt").read_text(encoding="utf-8")
    for key in ("python", "git commit", "casebook sha256", "pandas", "matplotlib", "govcases"):
        assert re.search(rf"^{re.escape(key)}\s+\S", text, re.MULTILINE), key
    report = (out / "build" / "report" / "index.html").read_text(encoding="utf-8")
    assert "casebook sha256" in report


def test_tables_have_latex_booktabs(two_builds):
    out, _, _ = two_builds[0]
    tex = (out / "build" / "tables" / f"{TABLES[0].name}.tex").read_text(encoding="utf-8")
    assert "\\toprule" in tex and "\\midrule" in tex and "\\bottomrule" in tex


def test_build_prints_each_step_with_its_time(two_builds):
    _, _, log = two_builds[0]
    steps = re.findall(r"^==> (.+)$", log, re.MULTILINE)
    timed = re.findall(r"^    (.+): \d+\.\d s$", log, re.MULTILINE)
    assert len(steps) >= 6 and steps == timed
    assert re.search(r"^build finished in \d+\.\d s$", log, re.MULTILINE)


def test_readme_lists_every_output_with_its_function():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert outputs_markdown() in readme, "README's output table is out of date: paste govcases.appendix.outputs_markdown()"
