"""The shared figure style, and Chinese labels drawn with the font the install brings."""

from __future__ import annotations

import io
import warnings

import matplotlib
import pytest
from matplotlib.figure import Figure

import govcases
from govcases.publish import figures
from govcases.publish.style import district_colors, use_style


def _missing_glyph_warnings(fig) -> list[str]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig.savefig(io.BytesIO(), format="png")
    return [str(w.message) for w in caught if "missing from font" in str(w.message)]


@pytest.fixture
def restore_rc():
    with matplotlib.rc_context():
        yield


def test_chinese_labels_draw_with_the_installed_cjk_font(restore_rc):
    use_style(chinese=True)
    cb = govcases.load_casebook()
    fig = figures.overview.fig_category_heatmap(cb, chinese=True)
    labels = " ".join(t.get_text() for ax in fig.axes for t in ax.get_xticklabels() + ax.get_yticklabels())
    assert any("\u4e00" <= c <= "\u9fff" for c in labels), "the Chinese variant should carry Chinese labels"
    assert _missing_glyph_warnings(fig) == []
    from matplotlib import font_manager

    path = font_manager.findfont(font_manager.FontProperties(family=matplotlib.rcParams["font.sans-serif"][0]))
    # Noto Sans SC converted to TrueType outlines, which a PDF embeds as a TrueType (Type 42) font
    assert "NotoSansSC-Regular-truetype-" in path and path.endswith(".ttf")
    from fontTools.ttLib import TTFont

    font = TTFont(path, lazy=True)
    assert "glyf" in font and "CFF " not in font


def test_without_the_cjk_font_chinese_would_be_missing(restore_rc):
    # the negative control: the default style has no CJK glyphs, which is why the option exists
    use_style(chinese=False)
    fig = Figure()
    fig.subplots().set_title("北仑区")
    assert _missing_glyph_warnings(fig)


def test_district_colours_are_stable_and_distinct():
    a = district_colors(["zhenhai", "beilun", "longhua"])
    assert a == district_colors(["beilun", "longhua", "zhenhai"])
    assert len(set(a.values())) == 3
