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

This module only gathers the data. The layout and the prose are jinja2 templates, and the styles a
CSS file, in ``govcases/publish/templates/casebook/``, rendered with autoescaping (see
:mod:`govcases.publish.templating`): a record's text is always shown as text, never read as markup.
"""

from __future__ import annotations

import base64
import functools
import io
import math
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


# ---------------------------------------------------------------------------- public API
def render_casebook(cb) -> str:
    """Render a casebook as one self-contained HTML document.

    The layout and the prose are in the templates of ``govcases/publish/templates/casebook/`` and
    the styles in its ``casebook.css``; this function gathers the data they show.

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
    from markupsafe import Markup
    from pylopdf_fonts_zh_cn import sans_path

    from govcases import __version__
    from govcases.publish.templating import render

    font = _font_info(str(sans_path()))
    districts = [_district(cb, slug, n) for n, slug in enumerate(cb.districts, 1)]
    page = render(
        "casebook/page.html",
        font_face=Markup(_FONT_SLOT),
        font_family=FONT_FAMILY,
        districts=districts,
        n_facts=len(cb.facts),
        n_sources=len(cb.sources),
        n_indicators=len(cb.codebook.model.indicators),
        n_categories=len(cb.codebook.model.categories),
        qualifiers=_qualifiers(),
        comparison=_comparison(cb, len(districts) + 1),
        sources=_sources(cb),
        colophon={
            "version": __version__,
            "font_family": font.family,
            "font_version": font.version,
            "notice": " ".join(x for x in (font.copyright, font.trademark) if x),
            "licence": font.licence,
            "licence_url": font.licence_url,
            "licence_text": _licence_text(),
        },
    )
    used = "".join(sorted(set(page) | set(_BASIC_LATIN)))
    # a control character (a line break in the markup) is never drawn, so needs no glyph
    drawn = "".join(c for c in used if c >= " ")
    missing = [c for c in drawn if ord(c) not in font.cmap]
    if missing:
        listed = ", ".join(f"{c!r} (U+{ord(c):04X})" for c in missing)
        raise ValueError(
            f"the embedded font {font.family} cannot draw {listed}; "
            "replace the character in the record (or the template), or embed a font that has it"
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

    Cached in this process and in the cache folder (:func:`govcases.records.cache.cache_folder`,
    ``fonts/``): subsetting takes a second or two of CPU in every process that renders the page (the
    build, ``govcases casebook``, the tests and their subprocesses), and the same font, characters,
    fontTools and options always give the same bytes. The key is the SHA-256 of all of them (the
    options through this module's source); a file is written whole under a temporary name and then
    renamed, so a reader never sees half of one.
    """
    import hashlib
    import os

    from govcases.records.cache import cache_folder

    folder = cache_folder()
    key = hashlib.sha256()
    for part in (
        Path(path).read_bytes(),
        text.encode("utf-8"),
        metadata.version("fonttools").encode(),
        Path(__file__).read_bytes(),
    ):
        key.update(hashlib.sha256(part).digest())
    cached = folder / "fonts" / f"subset-{key.hexdigest()}.woff" if folder is not None else None
    if cached is not None and cached.is_file():
        return cached.read_bytes()
    data = _subset_font_uncached(path, text)
    if cached is not None:
        try:
            cached.parent.mkdir(parents=True, exist_ok=True)
            partial = cached.with_name(f"{cached.name}.{os.getpid()}.partial")
            partial.write_bytes(data)
            partial.replace(cached)
        except OSError:  # a cache that cannot be written costs time, never the page
            pass
    return data


def _subset_font_uncached(path: str, text: str) -> bytes:
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


# ---------------------------------------------------------------------------- the data the templates show
# Plain dicts, lists and strings only: markup and wording are the templates'. The order of every list
# (codebook order, then ids) is fixed here, so that the same casebook always gives the same page.
# Ids stay ids here (a basis, a kind of area); the templates turn them into words.
def _district(cb, slug: str, number: int) -> dict:
    """One district's chapter: its profile, its sources and its facts by codebook category."""
    p = _profile(cb, slug)
    facts = cb.facts[cb.facts["district"] == slug]
    order = _indicator_order(cb)
    sources = []
    for sid in (s for s in str(p["sources"]).split("|") if s):
        src = _source_row(cb, sid)
        # a source the manifests do not list is shown by its id only, without a link to nowhere
        sources.append(
            {"id": sid, "title": None}
            if src is None
            else {"id": sid, "title": str(src["title"]), "kind": str(src["kind"]), "page_date": _text(src["page_date"])}
        )
    categories = []
    for category, description in cb.codebook.model.categories.items():
        in_cat = facts[facts["category"] == category]
        in_cat = in_cat.assign(_order=in_cat["indicator"].map(order)).sort_values(["_order", "id"])
        categories.append(
            {"id": category, "description": description, "facts": [_fact(cb, row) for _, row in in_cat.iterrows()]}
        )
    return {
        "slug": slug,
        "number": number,
        **{
            k: str(p[k])
            for k in ("name_en", "name_zh", "city_en", "city_zh", "province_en", "province_zh", "area_kind", "file")
        },
        "summary": str(p["summary"]),
        "n_facts": len(facts),
        "sources": sources,
        "categories": categories,
    }


def _fact(cb, row) -> dict:
    ind = cb.codebook.indicators[row["indicator"]]
    return {
        "id": str(row["id"]),
        "indicator_en": ind.label_en,
        "indicator_zh": ind.label_zh,
        "english": str(row["english"]),
        "quote": str(row["quote"]),
        "value_text": str(row["value_text"]),
        "value_type": str(row["value_type"]),
        "interval": _interval(row),
        "unit": _unit_label(cb, row["unit"]),
        "qualifier": _text(row["qualifier"]) or "",
        "subject": _text(row["subject"]) or "",
        "basis": _text(row["basis"]) or "",
        "period_text": str(row["period_text"]),
        "period_start": str(row["period_start"]),
        "period_end": str(row["period_end"]),
        "period_reasoning": str(row["period_reasoning"]),
        "source": str(row["source"]),
        "confidence": str(row["confidence"]),
        "note": _text(row["note"]) or "",
    }


def _qualifiers() -> list[dict]:
    """The qualifier table of :mod:`govcases.records.quantity`, each worked example as an interval."""
    from govcases.records.quantity import qualifier_table

    out = []
    for r in qualifier_table():
        shown = r["example_interval"]
        example = {
            "low": r["example_low"],
            "high": r["example_high"],
            "value_type": "quantity",
            "low_closed": shown.startswith("["),
            "high_closed": shown.endswith("]"),
        }
        out.append(
            {
                "qualifier": r["qualifier"],
                "markers": r["markers"],
                "position": r["position"],
                "rule": r["rule"],
                "example": r["example"],
                "interval": _interval(example),
            }
        )
    return out


def _comparison(cb, number: int) -> dict:
    """The comparison chapter's tables, each with one column per district in ``cb.districts``' order."""
    from govcases.publish.figures._evidence import hover_text

    model = cb.codebook.model
    present = set(cb.facts["indicator"])
    order = _indicator_order(cb)

    counts = cb.category_counts().reindex(index=list(model.categories), fill_value=0)
    category_counts = [
        {"category": str(category), "counts": [int(row[d]) for d in cb.districts], "total": int(row.sum())}
        for category, row in counts.iterrows()
    ]

    # indicators that count the same thing wherever they are reported (no subject needed)
    comparable = [ind for ind in model.indicators if ind.subject != "required" and ind.value_type != "category"]
    key_groups = []
    for category in model.categories:
        inds = sorted((i for i in comparable if i.category == category and i.id in present), key=lambda i: order[i.id])
        if inds:
            key_groups.append({"category": category, "indicators": [_key_indicator(cb, ind) for ind in inds]})

    features = []
    for ind in model.indicators:
        if ind.value_type != "category" or ind.id not in present:
            continue
        table = cb.features(ind.id)
        facts = cb.indicator(ind.id)
        rows = [
            {
                "value": str(v),
                "marks": [bool(flags[d]) for d in cb.districts],
                # a mark shows on hover the facts that report it: quote, English, source and period
                "evidence": [
                    hover_text(cb, facts.loc[(facts["district"] == d) & (facts["value_text"] == v), "id"].tolist())
                    if flags[d]
                    else ""
                    for d in cb.districts
                ],
            }
            for v, flags in table.iterrows()
        ]
        features.append({"id": ind.id, "label_en": ind.label_en, "label_zh": ind.label_zh, "rows": rows})

    coverage = cb.coverage()
    coverage_groups = []
    for category in model.categories:
        inds = [ind for ind in model.indicators if ind.category == category]
        if inds:
            rows = [
                {
                    "id": ind.id,
                    "label_en": ind.label_en,
                    "counts": [int(coverage.loc[ind.id, d]) for d in cb.districts],
                    "total": int(coverage.loc[ind.id].sum()),
                }
                for ind in inds
            ]
            coverage_groups.append({"category": category, "indicators": rows})

    return {
        "number": number,
        "category_counts": category_counts,
        "category_totals": [int(counts[d].sum()) for d in cb.districts],
        "grand_total": int(counts.to_numpy().sum()),
        "key_groups": key_groups,
        "features": features,
        "coverage_groups": coverage_groups,
    }


def _key_indicator(cb, ind) -> dict:
    """One row of the key-indicator table: the indicator and each district's facts, oldest first."""
    units = cb.codebook.model.units
    facts = cb.indicator(ind.id)
    cells = []
    for d in cb.districts:
        mine = facts[facts["district"] == d].sort_values(["period_end", "id"])
        cells.append([_key_fact(row, cb) for _, row in mine.iterrows()])
    return {
        "id": ind.id,
        "label_en": ind.label_en,
        "label_zh": ind.label_zh,
        "unit": " / ".join(units[k].label for k in ind.unit_keys if k in units),
        "cells": cells,
    }


def _key_fact(row, cb) -> dict:
    from govcases.publish.figures._evidence import hover_text

    interval = _interval(row)
    # a single value (an exact figure, a ratio) needs no interval beside it here
    if interval is not None and float(row["low"]) == float(row["high"]):
        interval = None
    return {
        "id": str(row["id"]),
        "value_text": str(row["value_text"]),
        "interval": interval,
        "subject": _text(row["subject"]) or "",
        "period_start": str(row["period_start"]),
        "period_end": str(row["period_end"]),
        # shown on hover; a click on the id opens the fact's entry with the same evidence
        "evidence": hover_text(cb, [str(row["id"])]),
    }


def _sources(cb) -> list[dict]:
    from govcases.records.criticism import load_source_criticism

    criticism = load_source_criticism(cb).set_index("source_id")
    return [
        {
            "criticism": _criticism(criticism, str(src["source_id"])),
            "id": str(src["source_id"]),
            "title": str(src["title"]),
            "kind": str(src["kind"]),
            "district": _text(src["district"]),
            "publisher": _text(src["publisher"]),
            "page_date": _text(src["page_date"]),
            "url": _text(src["url"]),
            "file": str(src["file"]),
            "sha256": str(src["sha256"]),
        }
        for _, src in cb.sources.sort_values("source_id").iterrows()
    ]


def _criticism(table, source_id: str) -> dict | None:
    """A source's criticism row as plain texts (None for an external table or an unassessed source)."""
    if source_id not in table.index or not bool(table.loc[source_id, "assessed"]):
        return None
    row = table.loc[source_id]
    return {k: _text(row[k]) for k in table.columns if k not in ("district", "assessed")}


def _profile(cb, slug: str) -> dict:
    row = cb.profiles[cb.profiles["district"] == slug].iloc[0]
    return {k: row[k] for k in cb.profiles.columns}


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
