"""The casebook as one self-contained HTML document, for seminars.

Seminars read cases, not YAML. :func:`render_casebook` turns a validated :class:`~govcases.Casebook`
into a single HTML file: a title page that says what the casebook is and how approximate Chinese
figures become intervals, a chapter per district (its profile, then every fact grouped by codebook
category, our English rendering beside the verbatim Chinese quote), a comparison chapter, and the
list of sources.

The file works offline and needs no CJK font on the reader's machine: a subset of Noto Sans SC
(SIL Open Font License 1.1), cut down to exactly the characters the document uses, is embedded as
a base64 ``@font-face``, and the font's own copyright and licence notice, read from its name table,
is printed in the footer. Nothing is loaded from elsewhere: no links to other sites, no scripts.

The output is deterministic: every list is sorted or follows the codebook's order, the font is
subset with fixed options and keeps its original timestamp, and the document carries no date.
"""

from __future__ import annotations

import base64
import functools
import html
import io
import math
import re
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import pandas as pd

__all__ = ["FONT_FAMILY", "render_casebook", "write_casebook"]

#: The CSS family name of the embedded font. It differs from the font's own name ("Noto Sans SC")
#: so that the document can never silently pick up a copy installed on the reader's machine.
FONT_FAMILY = "Casebook Noto Sans SC"

# Everything a reader may type or the styles may show, whether or not the text happens to use it:
# printable ASCII and the no-break space.
_BASIC_LATIN = "".join(chr(c) for c in range(0x20, 0x7F)) + "\u00a0"

# Marks where the @font-face rule goes; the font is subset after the rest of the page is written,
# because the subset depends on every character of it.
_FONT_SLOT = "/*@font-face*/"

_CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]")

# Nicer titles for codebook categories whose id reads awkwardly; any other category (a new one
# included) is titled from its id.
_CATEGORY_TITLES = {
    "incubation_hubs": "Incubators and hub organizations",
    "evaluation_supervision": "Evaluation and supervision",
    "purchase_transfer": "Purchase of services and transfer of functions",
}

_CONFIDENCE = {
    "stated": "the text says it in so many words",
    "inferred": "we read it from the text (for example which scope a total has)",
    "disputed": "sources disagree or the text contradicts itself",
}

_SMALL_NUMBERS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")

e = functools.partial(html.escape, quote=True)


# ---------------------------------------------------------------------------- public API
def render_casebook(cb) -> str:
    """Render a casebook as one self-contained HTML document.

    Parameters
    ----------
    cb : Casebook
        A validated casebook, as returned by :func:`govcases.load_casebook`. Districts, categories
        and indicators are all read from it (and its codebook), so a new district gets its chapter
        and its column in the comparison without any change here.

    Returns
    -------
    str
        The HTML document. The same casebook gives the same string on every run.

    Raises
    ------
    ValueError
        If the document uses a character the embedded font cannot draw (the character and its
        code point are named), since a reader without a CJK font would see an empty box.

    Examples
    --------
    >>> import govcases
    >>> from govcases.publish.casebook_html import render_casebook
    >>> page = render_casebook(govcases.load_casebook())
    >>> page.startswith("<!DOCTYPE html>")
    True
    >>> "镇海区" in page and "zhenhai-orgs-registered" in page
    True
    """
    from pylopdf_fonts_zh_cn import sans_path

    font = _font_info(str(sans_path()))
    parts = [
        _title_page(cb),
        *(_district_chapter(cb, slug, n) for n, slug in enumerate(cb.districts, 1)),
        _comparison_chapter(cb, len(cb.districts) + 1),
        _sources_chapter(cb),
        _footer(font),
    ]
    page = _page(_title(cb), "\n".join(parts))
    used = "".join(sorted(set(page) | set(_BASIC_LATIN)))
    # a control character (a line break in the markup) is never drawn, so needs no glyph
    drawn = "".join(c for c in used if c >= " ")
    missing = [c for c in drawn if ord(c) not in font.cmap]
    if missing:
        listed = ", ".join(f"{c!r} (U+{ord(c):04X})" for c in missing)
        raise ValueError(
            f"the embedded font {font.family} cannot draw {listed}; "
            "replace the character in the record, or embed a font that has it"
        )
    data = _subset_font(font.path, drawn)
    return page.replace(_FONT_SLOT, _font_face(data), 1)


def write_casebook(cb, path: Path | str) -> Path:
    """Write :func:`render_casebook` to ``path`` (UTF-8, Unix line ends); return the path.

    Parameters
    ----------
    cb : Casebook
        A validated casebook.
    path : path-like
        The HTML file to write; missing parent folders are made.

    Returns
    -------
    pathlib.Path
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_casebook(cb), encoding="utf-8", newline="\n")
    return path


# ---------------------------------------------------------------------------- the font
@dataclass(frozen=True)
class _Font:
    path: str
    family: str
    version: str
    copyright: str
    trademark: str
    licence: str
    licence_url: str
    cmap: frozenset[int]


@functools.lru_cache(maxsize=4)
def _font_info(path: str) -> _Font:
    """Names, licence and character coverage of the source font, from its own tables."""
    from fontTools.ttLib import TTFont

    with TTFont(path, lazy=True) as font:
        name = font["name"]

        def get(name_id: int) -> str:
            return name.getDebugName(name_id) or ""

        return _Font(
            path=path,
            family=get(1),
            # "Version 2.004;hotconv 1.0.118;..." -> "Version 2.004": the rest is tool versions
            version=get(5).split(";")[0],
            copyright=get(0),
            trademark=get(7),
            licence=get(13),
            licence_url=get(14),
            cmap=frozenset(font.getBestCmap()),
        )


@functools.lru_cache(maxsize=1)
def _licence_text() -> str:
    """The full licence text the font package ships, or '' when it ships none."""
    try:
        dist = metadata.distribution("pylopdf-fonts-zh-cn")
    except metadata.PackageNotFoundError:
        return ""
    for file in sorted(dist.files or [], key=str):
        if Path(str(file)).name.upper().startswith(("LICENSE", "LICENCE", "OFL")):
            text = file.read_text(encoding="utf-8")
            if text and "Open Font License" in text:
                return text.strip()
    return ""


@functools.lru_cache(maxsize=8)
def _subset_font(path: str, text: str) -> bytes:
    """The font cut down to the glyphs ``text`` needs, as WOFF, with fixed options.

    Cached: subsetting takes a second or two, and the same characters give the same bytes.
    """
    from fontTools import subset

    options = subset.Options()
    # Every option that could vary is set here, so that the bytes depend only on the text.
    options.flavor = "woff"  # zlib is always available; WOFF2 would need brotli
    options.desubroutinize = True  # CFF without subroutines compresses better after subsetting
    options.recalc_timestamp = False  # keep the font's own date: no build time in the output
    options.recalc_bounds = False
    # keep the copyright (0), names (1-6), trademark (7), maker (8-12) and licence (13, 14):
    # the licence asks that they travel with every copy of the font
    options.name_IDs = list(range(15))
    options.name_languages = [0x0409]
    options.name_legacy = False
    options.notdef_outline = True
    options.glyph_names = False
    options.hinting = True
    options.legacy_kern = False
    options.layout_features = ["ccmp", "kern", "liga", "locl", "mark", "mkmk", "palt"]
    with subset.load_font(path, options, lazy=True) as font:
        subsetter = subset.Subsetter(options)
        subsetter.populate(text=text)
        subsetter.subset(font)
        out = io.BytesIO()
        subset.save_font(font, out, options)
    return out.getvalue()


def _font_face(data: bytes) -> str:
    encoded = base64.b64encode(data).decode("ascii")
    # weight 400 only: headings then use synthetic bold of the same font rather than a fallback
    return (
        f'@font-face{{font-family:"{FONT_FAMILY}";font-style:normal;font-weight:400;font-display:block;'
        f'src:url(data:font/woff;base64,{encoded}) format("woff")}}'
    )


# ---------------------------------------------------------------------------- small formatters
def _text(value) -> str | None:
    """A cell as text, or None when it is missing or empty."""
    if value is None or value is pd.NA:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    text = str(value)
    return text if text.strip() else None


def _zh(text: str, tag: str = "span", cls: str = "") -> str:
    """Escaped text, marked as Chinese when it contains CJK characters (for line breaking)."""
    attrs = f' class="{cls}"' if cls else ""
    if _CJK.search(text):
        attrs += ' lang="zh-Hans"'
    return f"<{tag}{attrs}>{e(text)}</{tag}>"


def _interval(row) -> str | None:
    """``[387, 430)``-style interval of a fact, or None when it has none."""
    from govcases.records.intervals import format_interval

    low, high = row["low"], row["high"]
    if pd.isna(low) or pd.isna(high):
        return None
    grouping = row["value_type"] == "quantity"
    return format_interval(
        low, high, bool(row["low_closed"]), bool(row["high_closed"]), digits=6, grouping=grouping, infinity="\u221e"
    )


def _dates(row) -> str:
    """The resolved reference period, each date kept on one line."""
    return (
        f'<span class="date">{e(str(row["period_start"]))}</span> \u2013 '
        f'<span class="date">{e(str(row["period_end"]))}</span>'
    )


def _breakable(ident: str) -> str:
    """An escaped id that may wrap after its underscores (so table columns can stay narrow)."""
    return e(ident).replace("_", "_<wbr>")


def _words(ident: str) -> str:
    """An id as words: ``venture_philanthropy`` -> ``venture philanthropy``."""
    return ident.replace("_", " ").replace("-", " ")


def _category_title(category: str) -> str:
    return _CATEGORY_TITLES.get(category) or _words(category).capitalize()


def _count_words(n: int) -> str:
    return _SMALL_NUMBERS[n] if 0 <= n < len(_SMALL_NUMBERS) else str(n)


def _title(cb) -> str:
    n = len(cb.districts)
    return f"Governing the social-organization sector in {_count_words(n)} Chinese district{'s' if n != 1 else ''}"


def _profile(cb, slug: str) -> dict:
    row = cb.profiles[cb.profiles["district"] == slug].iloc[0]
    return {k: row[k] for k in cb.profiles.columns}


def _district_header(cb, slug: str) -> str:
    p = _profile(cb, slug)
    return (
        f'<th scope="col" class="district-col"><a href="#district-{e(slug)}">{e(str(p["name_en"]))}</a>'
        f"<br>{_zh(str(p['name_zh']))}</th>"
    )


def _source_row(cb, source_id: str) -> dict | None:
    rows = cb.sources[cb.sources["source_id"] == source_id]
    return None if rows.empty else {k: rows.iloc[0][k] for k in cb.sources.columns}


def _indicator_order(cb) -> dict[str, int]:
    return {ind.id: i for i, ind in enumerate(cb.codebook.model.indicators)}


def _unit_label(cb, unit) -> str:
    unit = _text(unit)
    if unit is None:
        return ""
    spec = cb.codebook.model.units.get(unit)
    return spec.label if spec is not None else unit


def _table(head: str, rows: list[str], *, cls: str = "") -> str:
    # the wrapper scrolls sideways on a narrow screen instead of pushing the page wider
    return (
        f'<div class="table-wrap"><table class="{e(cls)}"><thead>{head}</thead>'
        f"<tbody>{''.join(rows)}</tbody></table></div>"
    )


# ---------------------------------------------------------------------------- title page
def _title_page(cb) -> str:
    n_districts = len(cb.districts)
    n_indicators = len(cb.codebook.model.indicators)
    n_categories = len(cb.codebook.model.categories)
    toc = [
        f'<li><a href="#district-{e(slug)}">{e(str(_profile(cb, slug)["name_en"]))} '
        f"{_zh(str(_profile(cb, slug)['name_zh']))}</a></li>"
        for slug in cb.districts
    ]
    toc += ['<li><a href="#comparison">Comparing the districts</a></li>', '<li><a href="#sources">Sources</a></li>']
    confidence = "".join(f"<dt>{e(k)}</dt><dd>{e(v)}</dd>" for k, v in _CONFIDENCE.items())
    return f"""<header class="title-page" id="top">
<p class="kicker">govcases casebook</p>
<h1>{e(_title(cb))}</h1>
<p class="subtitle">How district governments grow and govern social organizations ({_zh("社会组织")}):
{n_districts} district{"s" if n_districts != 1 else ""}, {len(cb.facts)} sourced facts, {len(cb.sources)} sources.</p>
<nav class="toc" aria-label="Contents"><h2>Contents</h2><ol>{"".join(toc)}</ol></nav>
</header>
<section class="intro" id="introduction">
<h2>About this casebook</h2>
<p>Each chapter takes one district and sets out what a published source says about how its government
registers, funds, houses, evaluates and works with social organizations: social groups, private non-enterprise
units, foundations and the many smaller community organizations that are only filed with a street office.
Every statement is a coded fact. It carries its evidence: the Chinese passage it comes from, quoted verbatim
and checked against the source text by the govcases library, our own English rendering of that passage, the
reference period the text gives and the dates we resolve it to, and how sure we are.</p>
<p>Facts are coded against a codebook of {n_indicators} indicators in {n_categories} categories. Indicators that
look alike may count different things (registered organizations only, registered plus filed ones, a total whose
scope the source does not state), and they are kept apart on purpose: compare facts only within one indicator.
The last chapter sets the districts side by side.</p>
<p>This document is generated from the records in <span class="path">casebook/</span> by
<span class="path">govcases casebook</span>. To correct it, correct the record and rebuild.</p>
<h3>Reading a fact</h3>
<p>Our English rendering stands on the left, the Chinese quote it renders on the right (below it on a narrow page).
Under them: the value as the source writes it, the interval it means, what is counted and on what basis, the
reference period, the source and our confidence:</p>
<dl class="legend">{confidence}</dl>
<h3>How approximate figures become intervals</h3>
<p>Chinese sources often write figures with a qualifier: 近 (nearly), 多 or 余 (more than), 约 (about), 以上 (or more).
We keep what such an expression means as an interval rather than guessing a point. A square bracket includes its
end, a round one excludes it, and &#8734; means no upper bound. The 90% and 5% bands are our conventions, not
rules of Chinese.</p>
{_qualifier_table()}
</section>"""


def _qualifier_table() -> str:
    from govcases.records.quantity import qualifier_table

    head = (
        '<tr><th scope="col">qualifier</th><th scope="col">written</th><th scope="col">where</th>'
        '<th scope="col">interval</th><th scope="col">example</th><th scope="col">means</th></tr>'
    )
    rows = []
    for r in qualifier_table():
        shown = r["example_interval"]
        row = {
            "low": r["example_low"],
            "high": r["example_high"],
            "value_type": "quantity",
            "low_closed": shown.startswith("["),
            "high_closed": shown.endswith("]"),
        }
        rows.append(
            f"<tr><td>{e(_words(r['qualifier']))}</td><td>{_zh(r['markers'] or 'none')}</td>"
            f"<td>{e(_words(r['position']))}</td><td>{e(r['rule'])}</td>"
            f'<td>{_zh(r["example"])}</td><td class="num">{e(_interval(row))}</td></tr>'
        )
    return _table(head, rows, cls="qualifiers")


# ---------------------------------------------------------------------------- district chapters
def _district_chapter(cb, slug: str, number: int) -> str:
    p = _profile(cb, slug)
    facts = cb.facts[cb.facts["district"] == slug]
    order = _indicator_order(cb)
    sources = [s for s in str(p["sources"]).split("|") if s]
    source_items = []
    for sid in sources:
        src = _source_row(cb, sid)
        if src is None:
            source_items.append(f'<li><span class="id">{e(sid)}</span></li>')
            continue
        bits = [f'<a class="id" href="#source-{e(sid)}">{e(sid)}</a>: ', _zh(str(src["title"]), cls="title-zh")]
        details = [f"type: {_words(str(src['kind']))}", f"page date: {_text(src['page_date']) or 'not given'}"]
        source_items.append(f'<li>{"".join(bits)} <span class="muted">({e("; ".join(details))})</span></li>')
    profile = f"""<dl class="profile">
<div><dt>Chinese name</dt><dd>{_zh(str(p["name_zh"]))}</dd></div>
<div><dt>English name</dt><dd>{e(str(p["name_en"]))}</dd></div>
<div><dt>City</dt><dd>{e(str(p["city_en"]))} {_zh(str(p["city_zh"]))}</dd></div>
<div><dt>Province</dt><dd>{e(str(p["province_en"]))} {_zh(str(p["province_zh"]))}</dd></div>
<div><dt>Kind of area</dt><dd>{e(_words(str(p["area_kind"])))}</dd></div>
<div><dt>Facts</dt><dd>{len(facts)} (record <span class="path">{e(str(p["file"]))}</span>)</dd></div>
<div class="wide"><dt>Sources</dt><dd><ul class="sources">{"".join(source_items)}</ul></dd></div>
</dl>"""
    sections, nav = [], []
    for category, description in cb.codebook.model.categories.items():
        in_cat = facts[facts["category"] == category]
        in_cat = in_cat.assign(_order=in_cat["indicator"].map(order)).sort_values(["_order", "id"])
        anchor = f"district-{slug}-{category}"
        nav.append(
            f'<li><a href="#{e(anchor)}">{e(_category_title(category))}</a> '
            f'<span class="muted">{len(in_cat)}</span></li>'
        )
        body = (
            "".join(_fact(cb, row) for _, row in in_cat.iterrows())
            if len(in_cat)
            else '<p class="empty">The source reports nothing we coded under this category '
            "(which does not mean the district has nothing of the kind).</p>"
        )
        sections.append(
            f'<section class="category" id="{e(anchor)}"><h3>{e(_category_title(category))}</h3>'
            f'<p class="catdesc">{e(description)}</p>{body}</section>'
        )
    return f"""<section class="chapter district" id="district-{e(slug)}">
<h2><span class="chapno">Chapter {number}</span> <span class="name-en">{e(str(p["name_en"]))}</span>
<span class="name-zh" lang="zh-Hans">{e(str(p["name_zh"]))}</span></h2>
{profile}
<h3 class="summary-head">Summary</h3>
<p class="summary">{e(str(p["summary"]))}</p>
<nav class="cats" aria-label="Categories of {e(str(p["name_en"]))}"><ul>{"".join(nav)}</ul></nav>
{"".join(sections)}
</section>"""


def _fact(cb, row) -> str:
    ind = cb.codebook.indicators[row["indicator"]]
    meta = [("Value as written", _zh(str(row["value_text"]), cls="value"))]
    interval = _interval(row)
    if interval is not None:
        unit = _unit_label(cb, row["unit"])
        qualifier = _text(row["qualifier"])
        extra = "; ".join(x for x in (unit, _words(qualifier) if qualifier else "") if x)
        meta.append(
            (
                "Interval",
                f'<span class="interval">{e(interval)}</span>'
                + (f' <span class="muted">{e(extra)}</span>' if extra else ""),
            )
        )
    else:
        meta.append(("Interval", f'<span class="muted">none (a {e(str(row["value_type"]))}, not a quantity)</span>'))
    if _text(row["subject"]):
        meta.append(("Counts", e(str(row["subject"]))))
    if _text(row["basis"]):
        meta.append(("Basis", e(_words(str(row["basis"])))))
    period = f'{_zh(str(row["period_text"]))} <span class="muted">resolved to</span> {_dates(row)}'
    meta.append(("Reference period", period))
    meta.append(("Source", f'<a class="id" href="#source-{e(str(row["source"]))}">{e(str(row["source"]))}</a>'))
    meta.append(
        ("Confidence", f'<span class="conf conf-{e(str(row["confidence"]))}">{e(str(row["confidence"]))}</span>')
    )
    cells = "".join(f"<div><dt>{e(k)}</dt><dd>{v}</dd></div>" for k, v in meta)
    wide = [("How the period was resolved", e(str(row["period_reasoning"])))]
    if _text(row["note"]):
        wide.append(("Note", e(str(row["note"]))))
    cells += "".join(f'<div class="wide"><dt>{e(k)}</dt><dd>{v}</dd></div>' for k, v in wide)
    fid = str(row["id"])
    return f"""<article class="fact" id="fact-{e(fid)}">
<header><span class="labels"><span class="indicator">{e(ind.label_en)}</span> {_zh(ind.label_zh, cls="indicator-zh")}</span>
<span class="id fid">{e(fid)}</span></header>
<div class="pair"><p class="english" lang="en">{e(str(row["english"]))}</p>
<blockquote class="quote" lang="zh-Hans">{e(str(row["quote"]))}</blockquote></div>
<dl class="meta">{cells}</dl>
</article>
"""


# ---------------------------------------------------------------------------- comparison
def _comparison_chapter(cb, number: int) -> str:
    districts = cb.districts
    heads = "".join(_district_header(cb, d) for d in districts)
    return f"""<section class="chapter comparison" id="comparison">
<h2><span class="chapno">Chapter {number}</span> Comparing the districts</h2>
<div class="caveat"><p><strong>Absence in a source is not absence in the district.</strong> Each district is
described by the source or sources we coded, written at different times, for different readers and at different
lengths. An empty cell below means only that the source does not report the item. It is not evidence that the
district lacks it. With {_count_words(len(districts))} cases, these tables describe; they do not test.</p></div>
<h3 id="comparison-categories">Facts by category</h3>
<p>How many facts each district's record holds in each codebook category. The counts follow the sources' length
and emphasis as much as the districts' policies.</p>
{_category_counts(cb, heads)}
<h3 id="comparison-key">Key comparable indicators, side by side</h3>
<p>Every indicator that counts the same thing wherever it is reported (one whose facts need no subject to say
what exactly is counted), with each district's facts: the value as written, the interval it means and the
reference period. Organizations appear by scope: registered organizations, registered plus filed ones and
totals of unstated scope are different counts and are not set against each other as if they were one.</p>
{_key_indicators(cb, heads)}
<h3 id="comparison-features">Instruments and features each source reports</h3>
<p>For each indicator that lists kinds of thing (funding instruments, transfer instruments, hub and supervision
features, categories eligible for direct registration): &#9679; where the district's source reports it,
&#8211; where it does not mention it.</p>
{_features(cb, heads)}
<h3 id="comparison-coverage">Coverage of indicators</h3>
<p>Number of facts for every indicator in the codebook and every district; &#8211; where the source reports
nothing for the indicator.</p>
{_coverage(cb, heads)}
</section>"""


def _count_cell(n: int) -> str:
    return f'<td class="num">{n}</td>' if n else '<td class="num zero">\u2013</td>'


def _category_counts(cb, heads: str) -> str:
    table = cb.category_counts().reindex(index=list(cb.codebook.model.categories), fill_value=0)
    head = f'<tr><th scope="col">category</th>{heads}<th scope="col">total</th></tr>'
    rows = []
    for category, counts in table.iterrows():
        cells = "".join(_count_cell(int(counts[d])) for d in cb.districts)
        rows.append(
            f'<tr><th scope="row">{e(_category_title(str(category)))}</th>{cells}'
            f'<td class="num total">{int(counts.sum())}</td></tr>'
        )
    totals = "".join(f'<td class="num total">{int(table[d].sum())}</td>' for d in cb.districts)
    rows.append(
        f'<tr class="total"><th scope="row">total</th>{totals}'
        f'<td class="num total">{int(table.to_numpy().sum())}</td></tr>'
    )
    return _table(head, rows, cls="counts")


def _key_indicators(cb, heads: str) -> str:
    order = _indicator_order(cb)
    comparable = [
        ind for ind in cb.codebook.model.indicators if ind.subject != "required" and ind.value_type != "category"
    ]
    present = set(cb.facts["indicator"])
    n_cols = len(cb.districts) + 1
    head = f'<tr><th scope="col">indicator</th>{heads}</tr>'
    rows = []
    for category in cb.codebook.model.categories:
        inds = [ind for ind in comparable if ind.category == category and ind.id in present]
        if not inds:
            continue
        rows.append(
            f'<tr class="group"><th colspan="{n_cols}" scope="rowgroup">{e(_category_title(category))}</th></tr>'
        )
        for ind in sorted(inds, key=lambda i: order[i.id]):
            facts = cb.indicator(ind.id)
            cells = []
            for d in cb.districts:
                mine = facts[facts["district"] == d].sort_values(["period_end", "id"])
                cells.append(
                    "<td>"
                    + ("".join(_key_fact(cb, r) for _, r in mine.iterrows()) or '<span class="zero">\u2013</span>')
                    + "</td>"
                )
            unit = " / ".join(cb.codebook.model.units[k].label for k in ind.unit_keys if k in cb.codebook.model.units)
            label = (
                f"{e(ind.label_en)}<br>{_zh(ind.label_zh, cls='indicator-zh')}"
                f'<br><span class="id">{_breakable(ind.id)}</span>'
                + (f' <span class="muted">({e(unit)})</span>' if unit else "")
            )
            rows.append(f'<tr><th scope="row">{label}</th>{"".join(cells)}</tr>')
    return _table(head, rows, cls="key")


def _key_fact(cb, row) -> str:
    interval = _interval(row)
    bits = [_zh(str(row["value_text"]), cls="value")]
    # a single value (an exact figure, a ratio) needs no interval beside it here
    if interval is not None and float(row["low"]) != float(row["high"]):
        bits.append(f'<span class="interval">{e(interval)}</span>')
    if _text(row["subject"]):
        bits.append(f'<span class="muted">{e(str(row["subject"]))}</span>')
    bits.append(f'<span class="muted">{_dates(row)}</span>')
    bits.append(f'<a class="id" href="#fact-{e(str(row["id"]))}">{e(str(row["id"]))}</a>')
    return f'<div class="keyfact">{"<br>".join(bits)}</div>'


def _features(cb, heads: str) -> str:
    out = []
    present = set(cb.facts["indicator"])
    for ind in cb.codebook.model.indicators:
        if ind.value_type != "category" or ind.id not in present:
            continue
        table = cb.features(ind.id)
        head = f'<tr><th scope="col">{e(ind.label_en)}</th>{heads}</tr>'
        rows = []
        for value, flags in table.iterrows():
            cells = "".join(
                '<td class="mark yes">\u25cf</td>' if bool(flags[d]) else '<td class="mark zero">\u2013</td>'
                for d in cb.districts
            )
            rows.append(f'<tr><th scope="row">{e(_words(str(value)))}</th>{cells}</tr>')
        out.append(
            f"<h4>{e(ind.label_en)} {_zh(ind.label_zh, cls='indicator-zh')} "
            f'<span class="id">{e(ind.id)}</span></h4>' + _table(head, rows, cls="features")
        )
    return "\n".join(out)


def _coverage(cb, heads: str) -> str:
    table = cb.coverage()
    n_cols = len(cb.districts) + 2
    head = f'<tr><th scope="col">indicator</th>{heads}<th scope="col">total</th></tr>'
    rows = []
    for category in cb.codebook.model.categories:
        inds = [ind for ind in cb.codebook.model.indicators if ind.category == category]
        if not inds:
            continue
        rows.append(
            f'<tr class="group"><th colspan="{n_cols}" scope="rowgroup">{e(_category_title(category))}</th></tr>'
        )
        for ind in inds:
            counts = table.loc[ind.id]
            cells = "".join(_count_cell(int(counts[d])) for d in cb.districts)
            rows.append(
                f'<tr><th scope="row">{e(ind.label_en)} <span class="id">{_breakable(ind.id)}</span></th>{cells}'
                f'<td class="num total">{int(counts.sum())}</td></tr>'
            )
    return _table(head, rows, cls="coverage")


# ---------------------------------------------------------------------------- sources and footer
def _sources_chapter(cb) -> str:
    items = []
    for _, src in cb.sources.sort_values("source_id").iterrows():
        sid = str(src["source_id"])
        fields = [
            ("Title", _zh(str(src["title"]))),
            ("Type", e(_words(str(src["kind"])))),
            ("District", e(_text(src["district"]) or "all (an external table)")),
            ("Publisher", _zh(_text(src["publisher"]) or "not given")),
            ("Page date", e(_text(src["page_date"]) or "not given")),
            # an address as text, not a link: the document must not send readers' browsers anywhere
            ("Address", f'<span class="url">{e(_text(src["url"]) or "not given")}</span>'),
            ("File", f'<span class="path">data/{e(str(src["file"]))}</span>'),
            ("SHA-256", f'<span class="sha">{e(str(src["sha256"]))}</span>'),
        ]
        cells = "".join(f"<div><dt>{k}</dt><dd>{v}</dd></div>" for k, v in fields)
        items.append(f'<li id="source-{e(sid)}"><h3 class="id">{e(sid)}</h3><dl class="source">{cells}</dl></li>')
    return f"""<section class="chapter sources-chapter" id="sources">
<h2>Sources</h2>
<p>Every source a record cites, as listed in the data manifests. The raw files are kept byte for byte; the
SHA-256 checksum identifies the exact copy the quotes were checked against.</p>
<ul class="source-list">{"".join(items)}</ul>
</section>"""


def _footer(font: _Font) -> str:
    from govcases import __version__

    notice = " ".join(x for x in (font.copyright, font.trademark) if x)
    licence = _licence_text()
    full = (
        f'<details><summary>Full text of the licence</summary><pre class="licence">{e(licence)}</pre></details>'
        if licence
        else ""
    )
    return f"""<footer class="colophon">
<p>Generated by govcases {e(__version__)} (<span class="path">govcases casebook</span>) from the records in
<span class="path">casebook/</span>; do not edit by hand. English renderings and summaries are ours; Chinese
quotes are copied verbatim from the sources.</p>
<p>Text is set in a subset of {e(font.family)} ({e(font.version)}), embedded in this file so that Chinese
displays without any font installed. The subset keeps only the characters this document uses.
Font notice: {e(notice)} {e(font.licence)} Licence: <span class="url">{e(font.licence_url)}</span>.</p>
{full}
</footer>"""


# ---------------------------------------------------------------------------- the page
_CSS = """
*,*::before,*::after{box-sizing:border-box}
html{font-family:"%(family)s",sans-serif;font-size:16px;line-height:1.55;color:#1b1b1b;background:#fff;
 -webkit-text-size-adjust:100%%;text-size-adjust:100%%}
body{max-width:64rem;margin:0 auto;padding:1.5rem 1.25rem 3rem;overflow-wrap:break-word}
h1,h2,h3,h4{line-height:1.25;font-weight:700;break-after:avoid;page-break-after:avoid}
h1{font-size:2rem;margin:.25rem 0 .75rem}
h2{font-size:1.5rem;margin:2.5rem 0 1rem;padding-top:.5rem;border-top:3px solid #7a2e1f}
h3{font-size:1.15rem;margin:1.75rem 0 .5rem}
h4{font-size:1rem;margin:1.25rem 0 .5rem}
p{margin:.5rem 0}
a{color:#7a2e1f}
:lang(zh-Hans){line-break:strict}
.kicker{text-transform:uppercase;letter-spacing:.08em;color:#7a2e1f;font-size:.85rem;margin:0}
.subtitle{font-size:1.1rem;color:#444}
.muted{color:#5a5a5a}
.empty{color:#5a5a5a;font-style:italic}
.id,.path,.url,.sha{font-size:.85em;color:#4a4a4a}
.chapno{display:block;font-size:.8rem;letter-spacing:.06em;text-transform:uppercase;color:#7a2e1f}
.name-zh{margin-left:.35rem}
.toc ol{columns:2 16rem;padding-left:1.5rem}
dl{margin:.5rem 0}
dt{font-weight:700;font-size:.8rem;color:#5a5a5a}
dd{margin:0}
.legend{display:grid;grid-template-columns:max-content 1fr;gap:.15rem 1rem}
.legend dt{font-size:.9rem;color:#1b1b1b}
.profile,.meta,.source{display:grid;grid-template-columns:repeat(auto-fill,minmax(min(100%%,13rem),1fr));gap:.4rem 1.25rem}
.profile .wide,.meta .wide{grid-column:1/-1}
.sources{margin:0;padding-left:1.1rem}
.summary{max-width:48rem}
.cats ul{display:flex;flex-wrap:wrap;gap:.25rem 1rem;list-style:none;padding:0;font-size:.9rem}
.catdesc{color:#5a5a5a;font-size:.9rem;margin-top:0}
.fact{border:1px solid #d8d2c8;border-left:4px solid #7a2e1f;border-radius:2px;padding:.75rem 1rem;margin:1rem 0;
 break-inside:avoid;page-break-inside:avoid}
.fact header{font-weight:700;margin-bottom:.5rem;display:flex;flex-wrap:wrap;justify-content:space-between;
 align-items:baseline;gap:0 1rem}
.indicator-zh{font-weight:400;color:#5a5a5a;margin-left:.35rem}
.pair{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%%,20rem),1fr));gap:.5rem 1.5rem;margin:.25rem 0 .75rem}
.english{margin:0}
.quote{margin:0;padding:.4rem .75rem;background:#f6f2ea;border-left:2px solid #c9b99a}
.meta{font-size:.9rem;border-top:1px solid #e6e0d6;padding-top:.5rem}
.date{white-space:nowrap}
.conf-inferred{color:#8a5a00}
.conf-disputed{color:#a00000;font-weight:700}
.caveat{border:1px solid #7a2e1f;background:#f6f2ea;padding:.5rem 1rem;margin:1rem 0}
.table-wrap{max-width:100%%;overflow-x:auto;margin:.75rem 0}
table{border-collapse:collapse;width:100%%;font-size:.85rem}
th,td{border-bottom:1px solid #e0dad0;padding:.3rem .5rem;text-align:left;vertical-align:top}
thead th{border-bottom:2px solid #7a2e1f;vertical-align:bottom}
th[scope=row]{font-weight:400}
tr.group th{font-weight:700;background:#f6f2ea}
tr.total th,tr.total td{border-top:2px solid #7a2e1f;font-weight:700}
td.num,td.mark{text-align:right;font-variant-numeric:tabular-nums}
td.mark{text-align:center}
.zero{color:#9a9a9a}
.yes{color:#7a2e1f}
.keyfact{padding:.15rem 0 .35rem}
table.key th[scope=row]{min-width:11rem}
table.features,table.counts,table.coverage{min-width:36rem}
table.key{min-width:48rem}
table.features{table-layout:fixed}
table.features thead th:first-child{width:34%%}
table.counts thead th.district-col,table.coverage thead th.district-col{text-align:right}
table.features thead th.district-col{text-align:center}
.keyfact+.keyfact{border-top:1px dotted #cfc7b8}
.source-list{list-style:none;padding:0}
.source-list li{margin:1rem 0;break-inside:avoid;page-break-inside:avoid}
.source-list h3{margin:0 0 .25rem;font-size:1rem}
.colophon{margin-top:3rem;padding-top:1rem;border-top:1px solid #d8d2c8;font-size:.85rem;color:#444}
.licence{white-space:pre-wrap;font-family:inherit;font-size:.8rem}
@page{size:A4;margin:16mm 15mm}
@media print{
 html{font-size:10pt}
 body{max-width:none;padding:0}
 a{color:inherit;text-decoration:none}
 .chapter{break-before:page;page-break-before:always}
 .title-page{break-after:page;page-break-after:always}
 .table-wrap{overflow:visible}
 thead{display:table-header-group}
 tr{break-inside:avoid;page-break-inside:avoid}
 .toc ol{columns:1}
 details>summary{list-style:none}
}
"""


def _page(title: str, body: str) -> str:
    css = _CSS % {"family": FONT_FAMILY}
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="generator" content="govcases casebook">\n'
        f"<title>{e(title)}</title>\n"
        f"<style>\n{_FONT_SLOT}\n{css}</style>\n</head>\n<body>\n{body}\n</body>\n</html>\n"
    )
