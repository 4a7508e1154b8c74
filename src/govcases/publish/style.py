"""One look for every figure: a light white-grid theme, palette, sizes, and an optional CJK font.

Figures use English labels by default. ``use_style(chinese=True)`` registers Noto Sans SC, which
the ``pylopdf-fonts-zh-cn`` package installs (SIL Open Font License), so Chinese labels draw on a
machine with no CJK font. Settings that make saved files byte-identical across runs (a fixed SVG
hash salt, no creation dates) are applied here as well.

The theme is a handful of matplotlib settings written out here rather than ``seaborn.set_theme``:
importing seaborn imports ``scipy.stats`` (about 1.5 s here), and every notebook kernel and every
figure worker of the build called this function first. Seaborn is imported only by the figures
that draw with it (:func:`govcases.publish.figures.typology.fig_similarity`).
"""

from __future__ import annotations

from functools import cache

import matplotlib

__all__ = ["DISTRICT_ORDER_NOTE", "PALETTE", "SAVE_METADATA", "THEME", "district_colors", "label", "use_style"]

#: Colour-blind safe palette (seaborn "colorblind"), assigned to districts in sorted order.
PALETTE = ["#0173b2", "#de8f05", "#029e73", "#d55e00", "#cc78bc", "#ca9161", "#fbafe4", "#949494", "#ece133", "#56b4e9"]
DISTRICT_ORDER_NOTE = "Districts are always listed in alphabetical order of their slug."

#: The white-grid theme: white axes, a pale grid behind the data, soft frame, dark grey text, no
#: tick marks (the grid does their work), sizes for a figure read at about 7 inches wide.
THEME = {
    "axes.facecolor": "white",
    "axes.edgecolor": "#cccccc",
    "axes.linewidth": 1.0,
    "axes.grid": True,
    "axes.axisbelow": True,
    "axes.labelcolor": "#262626",
    "grid.color": "#dddddd",
    "grid.linewidth": 0.9,
    "text.color": "#262626",
    "xtick.color": "#262626",
    "ytick.color": "#262626",
    "xtick.bottom": False,
    "ytick.left": False,
    "font.size": 11,
    "xtick.labelsize": 10,
    "ytick.labelsize": 10,
    "legend.title_fontsize": 10,
    "lines.linewidth": 1.6,
    "lines.solid_capstyle": "round",
    "patch.edgecolor": "white",
    "patch.force_edgecolor": True,
    "image.cmap": "Blues",
}

#: Metadata passed to ``savefig`` so that PDF and SVG files carry no date or software version.
SAVE_METADATA = {
    "pdf": {"CreationDate": None, "ModDate": None, "Producer": None, "Creator": None},
    "svg": {"Date": None, "Creator": None},
    "png": {"Software": None},
}

_CJK_FAMILY = "Noto Sans SC"


@cache
def _register_cjk_font() -> str:
    from matplotlib import font_manager
    from pylopdf_fonts_zh_cn import sans_path

    font_manager.fontManager.addfont(str(sans_path()))
    return _CJK_FAMILY


def use_style(*, chinese: bool = False) -> None:
    """Apply the project's figure style to matplotlib (seaborn plots follow matplotlib's settings).

    Parameters
    ----------
    chinese : bool
        Also register and select a CJK font so that Chinese labels draw.
    """
    from matplotlib import cycler

    rc = dict(THEME)
    rc.update(
        {
            "axes.prop_cycle": cycler(color=PALETTE),
            "figure.dpi": 100,
            "savefig.dpi": 150,
            "figure.figsize": (7.0, 4.2),
            "axes.titlesize": 12,
            "axes.titleweight": "bold",
            "axes.labelsize": 10,
            "legend.fontsize": 9,
            "svg.hashsalt": "govcases",
            "svg.fonttype": "path",
            # Type 3 glyph outlines: embedding TrueType (42) re-subsets the font with fontTools on every
            # save, which made the PDFs the slowest part of the build; set 42 in rcParams if a journal asks
            "pdf.fonttype": 3,
            "axes.unicode_minus": False,
        }
    )
    if chinese:
        family = _register_cjk_font()
        rc["font.family"] = "sans-serif"
        rc["font.sans-serif"] = [family, "DejaVu Sans"]
    else:
        rc["font.family"] = "sans-serif"
        rc["font.sans-serif"] = ["DejaVu Sans"]
    matplotlib.rcParams.update(rc)


def district_colors(districts) -> dict[str, str]:
    """A stable colour per district: the palette in alphabetical order of the slugs.

    A district's colour depends only on its place among the slugs given, so every figure drawn
    from the same casebook gives a district the same colour. With more districts than colours the
    palette starts again.

    Parameters
    ----------
    districts : iterable of str
        District slugs, in any order (usually ``cb.districts``).

    Returns
    -------
    dict of str to str
        Each slug's colour as a ``#rrggbb`` hex string, keys in alphabetical order.

    Examples
    --------
    >>> district_colors(["zhenhai", "beilun"])
    {'beilun': '#0173b2', 'zhenhai': '#de8f05'}
    """
    return {d: PALETTE[i % len(PALETTE)] for i, d in enumerate(sorted(districts))}


def label(profiles, district: str, *, chinese: bool = False) -> str:
    """Display name of a district from the profiles table (English, or Chinese with ``chinese=True``).

    Parameters
    ----------
    profiles : pandas.DataFrame
        The casebook's profiles table (``cb.profiles``), one row per district, with the columns
        ``district`` (slug), ``name_en`` and ``name_zh``.
    district : str
        The district's slug, such as ``"beilun"``.
    chinese : bool
        Return the Chinese name (``name_zh``) instead of the English one (``name_en``).

    Returns
    -------
    str
        The district's name as a reader knows it.

    Raises
    ------
    KeyError
        If ``district`` is not in ``profiles``.

    Examples
    --------
    >>> import pandas as pd
    >>> profiles = pd.DataFrame({"district": ["beilun"], "name_en": ["Beilun District"], "name_zh": ["北仑区"]})
    >>> label(profiles, "beilun"), label(profiles, "beilun", chinese=True)
    ('Beilun District', '北仑区')
    """
    row = profiles.set_index("district").loc[district]
    return str(row["name_zh"] if chinese else row["name_en"])
