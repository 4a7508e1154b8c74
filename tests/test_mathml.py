"""Formulas of the notebooks as MathML, and notebook pages that load nothing from the network."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from govcases.publish.build import _render_notebook
from govcases.publish.mathml import COMMANDS, markdown_with_mathml, tex_to_mathml

ROOT = Path(__file__).resolve().parents[1]


def _body(tex: str) -> str:
    return tex_to_mathml(tex).removeprefix("<math><semantics>").split("<annotation")[0]


@pytest.mark.parametrize(
    ("tex", "body"),
    [
        ("r", "<mi>r</mi>"),
        ("N_0", "<msub><mi>N</mi><mn>0</mn></msub>"),
        ("r_{low}", "<msub><mi>r</mi><mrow><mi>l</mi><mi>o</mi><mi>w</mi></mrow></msub>"),
        ("x^{1/t}", "<msup><mi>x</mi><mrow><mn>1</mn><mo>/</mo><mi>t</mi></mrow></msup>"),
        ("a_1^2", "<msubsup><mi>a</mi><mn>1</mn><mn>2</mn></msubsup>"),
        ("a - 1.5", "<mrow><mi>a</mi><mo>\u2212</mo><mn>1.5</mn></mrow>"),  # a real minus sign
        (
            r"t \in [634, 1097]",
            "<mrow><mi>t</mi><mo>∈</mo><mo>[</mo><mn>634</mn><mo>,</mo><mn>1097</mn><mo>]</mo></mrow>",
        ),
        (r"\frac{a}{b}", "<mfrac><mi>a</mi><mi>b</mi></mfrac>"),
        (r"\sqrt{2}", "<msqrt><mn>2</mn></msqrt>"),
        (r"\text{per year}", "<mtext>per year</mtext>"),
        ("a < b", "<mrow><mi>a</mi><mo>&lt;</mo><mi>b</mi></mrow>"),
    ],
)
def test_tex_becomes_mathml(tex, body):
    assert _body(tex) == body


def test_the_tex_source_is_kept_as_an_annotation():
    assert tex_to_mathml("a < b").endswith(
        '<annotation encoding="application/x-tex">a &lt; b</annotation></semantics></math>'
    )
    assert tex_to_mathml("x", display=True).startswith('<math display="block">')


@pytest.mark.parametrize(
    ("tex", "problem"),
    [
        (r"\unknowncommand{x}", r"\\unknowncommand is not read"),
        ("{a", "never closed"),
        ("a}", "no { before it"),
        ("a_", "nothing after _"),
        (r"\frac a b", "in braces"),
    ],
)
def test_tex_it_cannot_read_is_an_error_naming_the_formula(tex, problem):
    assert "unknowncommand" not in COMMANDS
    with pytest.raises(ValueError, match=re.escape(f"formula ${tex}$") + ".*" + problem):
        tex_to_mathml(tex)


def test_markdown_keeps_code_and_escaped_dollars_and_leaves_nothing_for_markdown_to_read():
    text = "Cost `$5 and $6` and \\$7; the rate $r_{low} * 2$ and\n```\n$x$\n```\n$$a_1$$"
    out = markdown_with_mathml(text)
    assert out.startswith("Cost `$5 and $6` and \\$7; the rate <math>")
    assert "\n```\n$x$\n```\n" in out
    assert out.count("<math") == 2 and '<math display="block">' in out
    formulas = re.findall(r"<math.*?</math>", out)
    assert formulas and not any(re.search(r"[*_\\$`]", f) for f in formulas)


def _notebook(tmp_path, *cells, metadata=None) -> Path:
    nb = nbformat.v4.new_notebook(cells=list(cells), metadata=metadata or {})
    path = tmp_path / "01-test.ipynb"
    nbformat.write(nb, path)
    return path


def test_a_rendered_notebook_loads_nothing_from_the_network(tmp_path):
    path = _notebook(
        tmp_path,
        nbformat.v4.new_markdown_cell("# A test\n\nWith $N_1 / N_0$ and `code`."),
        nbformat.v4.new_code_cell("1 + 1", outputs=[nbformat.v4.new_output("execute_result", {"text/plain": "2"})]),
    )
    html = Path(_render_notebook((str(path), str(tmp_path / "out"), False))).read_text(encoding="utf-8")
    assert "<math><semantics><mrow><msub><mi>N</mi><mn>1</mn></msub>" in html
    assert not re.search(r"<script[^>]*\bsrc=", html)
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", html)
    assert not re.search(r"@import\s+url\(\s*['\"]?(?:https?:)?//", html)
    for cdn in ("mathjax", "require.js", "require.min.js", "mermaid"):
        assert cdn not in html.lower(), cdn


def test_the_committed_notebooks_render_with_their_formulas(tmp_path):
    path = ROOT / "notebooks" / "03-growth.ipynb"
    nb = nbformat.read(path, as_version=4)
    formulas = sum(markdown_with_mathml(c.source).count("<math") for c in nb.cells if c.cell_type == "markdown")
    html = Path(_render_notebook((str(path), str(tmp_path), False))).read_text(encoding="utf-8")
    assert html.count("<math") == formulas > 0


@pytest.mark.parametrize(
    ("cells", "metadata", "problem"),
    [
        ([nbformat.v4.new_markdown_cell("# T\n\n```mermaid\ngraph TD; A-->B\n```")], None, "cell 1: mermaid"),
        ([nbformat.v4.new_markdown_cell("# T\n\n$\\unknowncommand$")], None, r"cell 1: formula"),
        ([nbformat.v4.new_markdown_cell("# T")], {"widgets": {"state": {}}}, "widget state"),
    ],
)
def test_what_would_need_the_network_is_refused_with_the_notebook_named(tmp_path, cells, metadata, problem):
    path = _notebook(tmp_path, *cells, metadata=metadata)
    with pytest.raises(ValueError, match=re.escape(str(path)) + ".*" + problem):
        _render_notebook((str(path), str(tmp_path / "out"), False))
