"""The report's front page, and the HTML templates shipping with the package."""

from __future__ import annotations

import tomllib
from pathlib import Path

import nbformat
import pytest
from markupsafe import escape

import govcases
from govcases.publish.appendix import FIGURES, TABLES, report_index

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = ROOT / "src" / "govcases" / "publish" / "templates"


@pytest.fixture(scope="module")
def cb():
    return govcases.load_casebook()


def _notebook(path: Path, title: str) -> Path:
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(f"# {title}\n\nWhat it asks.")])
    nbformat.write(nb, path)
    return path


def test_report_index_lists_notebooks_outputs_and_colophon_in_words(cb, tmp_path):
    nb = _notebook(tmp_path / "01-first.ipynb", "01 · The first question & its <answer>")
    page = report_index(cb, [nb], {"git commit": "abc123", "casebook sha256": "f00d"})
    assert '<a href="01-first.html">01 · The first question &amp; its &lt;answer&gt;</a>' in page
    for name in cb.profiles["name_en"]:  # districts by name, not by slug
        assert escape(name) in page
    for item in FIGURES:
        assert f'<a href="../figures/en/{item.name}.svg">{escape(item.caption)}</a>' in page
    for item in TABLES:
        assert f'<a href="../tables/{item.name}.csv">{escape(item.caption)}</a>' in page
    assert "<tr><th>casebook sha256</th><td>f00d</td></tr>" in page


def test_report_index_escapes_what_it_is_given(cb, tmp_path):
    nb = _notebook(tmp_path / "01-x.ipynb", "<script>alert(1)</script>")
    page = report_index(cb, [nb], {"git commit": '<b onclick="x">'})
    assert "<script" not in page and "<b " not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<td>&lt;b onclick=&#34;x&#34;&gt;</td>" in page


def test_a_notebook_without_a_title_is_an_error_that_names_it(cb, tmp_path):
    path = tmp_path / "01-untitled.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1")]), path)
    with pytest.raises(ValueError, match=r"01-untitled\.ipynb.*heading"):
        report_index(cb, [path], {})


def test_every_template_ships_with_the_package():
    """A template or stylesheet left out of package data would be missing from an installed package."""
    patterns = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]["govcases"]
    package = ROOT / "src" / "govcases"
    files = {p for p in TEMPLATES.rglob("*") if p.is_file()}
    assert files, "no templates found"
    shipped = {p for pattern in patterns for p in package.glob(pattern)}  # globbed as setuptools does
    unshipped = sorted(p.relative_to(package).as_posix() for p in files - shipped)
    assert not unshipped, f"add these to [tool.setuptools.package-data] in pyproject.toml: {unshipped}"
