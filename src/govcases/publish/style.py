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
from pathlib import Path

import matplotlib

__all__ = [
    "DISTRICT_ORDER_NOTE",
    "DISTRICT_PALETTE",
    "EXTERNAL_GREY",
    "KIND_PALETTE",
    "PALETTE",
    "SAVE_METADATA",
    "THEME",
    "TITLE_STROKE",
    "district_colors",
    "label",
    "title_effects",
    "truetype_cjk_font",
    "use_style",
]

#: Colours for districts: Paul Tol's "muted" scheme (nine colours, colour-blind safe, with its pale
#: grey left out because grey means "external table" or "missing" here) and three of Okabe and Ito's.
#: A district's colour is picked from it by a hash of the district's slug (:func:`district_colors`).
DISTRICT_PALETTE = [
    "#cc6677",
    "#332288",
    "#ddcc77",
    "#117733",
    "#88ccee",
    "#882255",
    "#44aa99",
    "#999933",
    "#aa4499",
    "#e69f00",
    "#0072b2",
    "#d55e00",
]
#: Grey: facts from an external table (census, area), and missing values; never a district's colour.
EXTERNAL_GREY = "#9a9a9a"
#: Colours for kinds of things (a kind of reform, a payer), in figures whose marks are not coloured by
#: district: seaborn's "colorblind" palette without its grey.
KIND_PALETTE = ["#0173b2", "#de8f05", "#029e73", "#d55e00", "#cc78bc", "#ca9161", "#fbafe4", "#ece133", "#56b4e9"]
#: The default colour cycle (the kind palette).
PALETTE = KIND_PALETTE
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
#: Width (points) of the stroke that emboldens Chinese titles (:func:`title_effects`).
TITLE_STROKE = 0.7


#: Version of the conversion in :func:`_otf_to_ttf`: change it when the conversion changes.
_TTF_RECIPE = "otf2ttf cu2qu max_err=1.0 reverse post=2 v1"


@cache
def _register_cjk_font() -> str:
    from matplotlib import font_manager

    font_manager.fontManager.addfont(str(truetype_cjk_font()))
    return _CJK_FAMILY


def truetype_cjk_font() -> Path:
    """Noto Sans SC with TrueType (quadratic) outlines, made once and kept in the cache folder.

    The font the install brings is OpenType with CFF outlines. Matplotlib embeds a font in a PDF
    as TrueType (``pdf.fonttype`` 42) by copying its outlines into a TrueType font program, which a
    CFF font is not: the PDF then declares a TrueType font around CFF data, which PDF checkers
    flag. So the outlines are converted once, by fontTools' documented recipe (its ``otf2ttf``
    snippet: cu2qu with an error of at most one font unit, contours reversed, ``maxp`` 1.0, ``post``
    format 2), about 20 s for its 31,000 glyphs, and the result is kept in the cache folder
    (:func:`govcases.records.cache.cache_folder`, ``fonts/``) under the SHA-256 of the font, the
    fontTools version and the recipe's version; no timestamp is written into it, so the bytes are the same
    on every machine.

    Returns
    -------
    pathlib.Path
        The TrueType file (in a temporary folder when there is no cache folder).
    """
    import hashlib
    import os
    import tempfile
    from importlib import metadata

    from pylopdf_fonts_zh_cn import sans_path

    from govcases.records.cache import cache_folder

    source = Path(sans_path())
    key = hashlib.sha256()
    for part in (source.read_bytes(), metadata.version("fonttools").encode(), _TTF_RECIPE.encode()):
        key.update(hashlib.sha256(part).digest())
    folder = cache_folder() or Path(tempfile.gettempdir()) / "govcases"
    target = folder / "fonts" / f"NotoSansSC-Regular-truetype-{key.hexdigest()[:16]}.ttf"
    if not target.is_file():
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f"{target.name}.{os.getpid()}.partial")
        _otf_to_ttf(source, partial)
        partial.replace(target)  # whole or not at all, for another process reading it
    return target


def _otf_to_ttf(source: Path, target: Path) -> None:
    """The ``otf2ttf`` snippet of fontTools: CFF outlines to TrueType ones."""
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import TTFont, newTable

    font = TTFont(str(source), recalcTimestamp=False)
    order = font.getGlyphOrder()
    glyphs = font.getGlyphSet()
    font["loca"] = newTable("loca")
    font["glyf"] = glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyphs)
        glyphs[name].draw(Cu2QuPen(pen, 1.0, reverse_direction=True))
        glyf.glyphs[name] = pen.glyph()
    del font["CFF "]
    if "VORG" in font:
        del font["VORG"]
    glyf.compile(font)
    hmtx = font["hmtx"]
    for name, glyph in glyf.glyphs.items():
        if hasattr(glyph, "xMin"):
            hmtx[name] = (hmtx[name][0], glyph.xMin)
    font["maxp"] = maxp = newTable("maxp")
    maxp.tableVersion = 0x00010000
    for field in (
        "maxZones",
        "maxTwilightPoints",
        "maxStorage",
        "maxFunctionDefs",
        "maxInstructionDefs",
        "maxStackElements",
        "maxSizeOfInstructions",
    ):
        setattr(maxp, field, 1 if field == "maxZones" else 0)
    maxp.maxComponentElements = max((len(getattr(g, "components", [])) for g in glyf.glyphs.values()), default=0)
    maxp.compile(font)
    post = font["post"]
    post.formatType = 2.0
    post.extraNames = []
    post.mapping = {}
    post.glyphOrder = order
    try:
        post.compile(font)
    except OverflowError:
        post.formatType = 3.0
    font.sfntVersion = "\000\001\000\000"
    font.save(str(target))


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
            # SVG text stays text (searchable, selectable, read by screen readers and checked by the
            # tests for code names); the font is named, and a browser without it falls back to its own
            # sans-serif face. Outlines would be exact but unreadable to any tool.
            "svg.fonttype": "none",
            # TrueType/OpenType (Type 42) subsets in PDFs: publishers' checkers reject Type 3 fonts
            "pdf.fonttype": 42,
            "ps.fonttype": 42,
            "axes.unicode_minus": False,
        }
    )
    if chinese:
        family = _register_cjk_font()
        rc["font.family"] = "sans-serif"
        rc["font.sans-serif"] = [family, "DejaVu Sans"]
        # the CJK font has no bold weight: asking for one only logs a fallback (titles get a stroke instead)
        rc["axes.titleweight"] = "normal"
    else:
        rc["font.family"] = "sans-serif"
        rc["font.sans-serif"] = ["DejaVu Sans"]
    matplotlib.rcParams.update(rc)


def district_colors(districts) -> dict[str, str]:
    """A stable colour per district, from a fixed hash of its slug into :data:`DISTRICT_PALETTE`.

    A district's colour depends on its slug alone (the first eight bytes of the slug's SHA-256,
    modulo the palette's length), so adding, removing or renaming another district never recolours
    it, and no district is ever drawn in :data:`EXTERNAL_GREY`. Two districts can share a colour
    (any palette is finite); the figures therefore always name the districts in text too.

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
    >>> colors = district_colors(["zhenhai", "beilun"])
    >>> colors == {d: c for d, c in district_colors(["beilun", "made-up", "zhenhai"]).items() if d != "made-up"}
    True
    """
    return {d: _district_color(d) for d in sorted(districts)}


@cache
def _district_color(slug: str) -> str:
    import hashlib

    digest = hashlib.sha256(slug.encode("utf-8")).digest()
    return DISTRICT_PALETTE[int.from_bytes(digest[:8], "big") % len(DISTRICT_PALETTE)]


def title_effects(*, chinese: bool) -> list:
    """Path effects that draw a title bold: a thin stroke in the text's colour, for Chinese text.

    The CJK font the install brings (Noto Sans SC from ``pylopdf-fonts-zh-cn``) has a regular weight
    only, and no package of a bold CJK weight is available offline; so Chinese titles are emboldened
    by stroking each glyph's outline (matplotlib's documented :class:`matplotlib.patheffects.withStroke`),
    the same synthetic bold FreeType's ``FT_Outline_Embolden`` and browsers apply. Such a title is
    drawn as outlines in PDF and PNG; in the SVG it stays text with the same stroke
    (:func:`govcases.publish.build.save_figure`). English titles use DejaVu Sans Bold.

    Parameters
    ----------
    chinese : bool
        Whether the title is Chinese.

    Returns
    -------
    list of matplotlib.patheffects.AbstractPathEffect
        Empty for English; a stroke then the normal fill for Chinese.
    """
    if not chinese:
        return []
    from matplotlib import patheffects

    return [patheffects.withStroke(linewidth=TITLE_STROKE, foreground=matplotlib.rcParams["text.color"])]


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
