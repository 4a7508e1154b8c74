r"""Appendix tables as LaTeX a journal takes: rounded numbers, booktabs rules, pages they fit.

Every table is a ``longtable`` (it breaks across pages and repeats its header) with booktabs rules,
set in 8 pt; a table too wide for a portrait page is turned to landscape
(``pdflscape``). Its columns are paragraph columns whose widths are shares of ``\linewidth``,
computed from the cells: each column is at least as wide as its longest unbreakable word, and
long text wraps. The widths are sized for a text width of at least 16 cm (a portrait A4 or
letter page with 2.5 cm margins; landscape 24 cm). The preamble needs ``booktabs``,
``longtable``, ``array`` and ``pdflscape``, and for Chinese text ``xeCJK`` (XeLaTeX) or ``ctex``;
each file's first lines say so. ``tests/test_tables_latex.py`` compiles every table with XeLaTeX
and fails on any overfull box.

Numbers are written as the evidence supports, by one rule per column (:data:`ROUNDING`):

* a whole number is written whole (counts, populations, stated sums, years), with thousands
  separated by commas from 10,000 up;
* a column of figures as the sources state them is written as stated, never rounded;
* a derived figure is rounded to a fixed number of significant figures or decimals, chosen by
  what it is derived from (the reason is kept with each rule).

A non-integer number in a column with no rule is an error naming the table and column: a new
column gets a rule, with its reason, before it is printed. The CSV next to each table keeps full
precision for computation.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

__all__ = [
    "COLUMN_LABELS",
    "EVIDENCE_COLUMNS",
    "ROUNDING",
    "Rounding",
    "format_cell",
    "latex_preamble",
    "latex_table",
    "readable_table",
]


@dataclass(frozen=True)
class Rounding:
    """How the non-integer numbers of a column are written.

    ``kind`` is ``"significant"`` (``digits`` significant figures), ``"decimals"`` (``digits``
    decimal places) or ``"stated"`` (as the source states it, shortest exact form); ``why`` says
    what the figure is derived from, and so why this precision.
    """

    kind: str
    digits: int
    why: str


_STATED = Rounding("stated", 0, "a figure as the source states it (or a bound the qualifier table gives it)")
_SHARE = Rounding(
    "decimals", 3, "a proportion k/n of counts; three decimals tell k/n apart for any n below 1,000 and no more"
)
_YEARS = Rounding(
    "decimals", 1, "years between reference periods that are resolved to months at best (0.1 year ≈ 5 weeks)"
)
_ELAPSED = Rounding("decimals", 2, "years between two dates resolved to the day, as the derivation states them")
_DERIVED = Rounding(
    "significant",
    3,
    "a ratio of stated figures, the least precise of which has two or three significant figures "
    "(720多万, 近430家, 830万): a fourth figure would be noise",
)

#: Rounding per column name; ``"table:column"`` overrides a column name in one table.
ROUNDING: dict[str, Rounding] = {
    # stated figures and the bounds the qualifier table gives them
    "value": _STATED,
    "low": _STATED,
    "high": _STATED,
    "before": _STATED,
    "after": _STATED,
    "start_low": _STATED,
    "start_high": _STATED,
    "end_low": _STATED,
    "end_high": _STATED,
    # amounts per organization or per resident: a stated sum divided by a stated count or population
    "funding-normalized:low": _DERIVED,
    "funding-normalized:high": _DERIVED,
    "funding-normalized:point": _DERIVED,
    "density_low": _DERIVED,
    "density_high": _DERIVED,
    "density_point": _DERIVED,
    "multiple_low": _DERIVED,
    "multiple_high": _DERIVED,
    "cagr_low": _DERIVED,
    "cagr_high": _DERIVED,
    "cagr_mid": _DERIVED,
    "change_percent": _DERIVED,
    "doubling_low": _YEARS,
    "doubling_high": _YEARS,
    "gap_low": _YEARS,
    "gap_high": _YEARS,
    "years_low": _ELAPSED,
    "years_high": _ELAPSED,
    "years_mid": _ELAPSED,
    # proportions of counts
    "rate": _SHARE,
    "ci_low": _SHARE,
    "ci_high": _SHARE,
    "after_share": _SHARE,
    "after_share_high": _SHARE,
    "share_not_stated": _SHARE,
    "consistency": _SHARE,
    "coverage": _SHARE,
    "threshold": _DERIVED,
}


#: A column name that is already words a reader reads: capitalized, with no underscore.
_READABLE = re.compile(r"[A-Z][^_]*")


def _rule(table: str, column: str) -> Rounding:
    rule = ROUNDING.get(f"{table}:{column}") or ROUNDING.get(column)
    if rule is None:
        raise ValueError(
            f"table {table!r}, column {column!r}: a number that is not whole, and no rounding rule for the "
            "column; add one, with its reason, to govcases.publish.latex.ROUNDING"
        )
    return rule


def _whole(value: float) -> str:
    text = f"{int(value):,}" if abs(value) >= 10_000 else str(int(value))
    return text


def format_cell(value, table: str, column: str) -> str:
    r"""A cell as LaTeX source: numbers rounded by the column's rule, text escaped.

    Parameters
    ----------
    value : object
        The cell: a number, a boolean, text, a list (written joined by ``|``), or missing.
    table : str
        The table's name (the file stem, such as ``growth-derived``), for table-specific rules.
    column : str
        The column's name, whose rule in :data:`ROUNDING` rounds a number that is not whole.

    Returns
    -------
    str
        LaTeX source: empty for missing, ``yes``/``no`` for booleans, ``$\infty$`` for an
        unbounded bound, a number with a real minus sign, or escaped text that may break after
        ``|``, ``/`` and ``_``.

    Raises
    ------
    ValueError
        If the number is not whole and the column has no rule.

    Examples
    --------
    >>> format_cell(728762.782401902, "funding-normalized", "point")
    '729,000'
    >>> format_cell(0.372978192511859, "registration-conversion", "ci_low")
    '0.373'
    >>> format_cell(-31.8181818181818, "registration-procedures", "change_percent")
    '$-$31.8'
    >>> format_cell(float("inf"), "growth-stated", "high"), format_cell(True, "t", "ok")
    ('$\\infty$', 'yes')
    """
    import numpy as np
    import pandas as pd

    from govcases.records.intervals import format_number

    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, (bool, np.bool_)):
        return "yes" if value else "no"
    if isinstance(value, (int, np.integer)):
        value = float(value) if abs(int(value)) < 2**53 else value
    if isinstance(value, (float, np.floating)):
        value = float(value)
        if math.isinf(value):
            return r"$\infty$" if value > 0 else r"$-\infty$"
        sign = "$-$" if value < 0 else ""
        magnitude = abs(value)
        if magnitude == int(magnitude):
            return sign + _whole(magnitude)
        rule = _rule(table, column)
        if rule.kind == "stated":
            return sign + format_number(magnitude)
        exact = Decimal(repr(magnitude))
        if rule.kind == "decimals":
            step = Decimal(1).scaleb(-rule.digits)
        else:  # significant figures
            step = Decimal(1).scaleb(exact.adjusted() - rule.digits + 1)
        rounded = exact.quantize(step, rounding=ROUND_HALF_UP)
        if rounded == 0:
            sign = ""
        if rounded == rounded.to_integral_value() and step >= 1:
            return sign + _whole(float(rounded))
        return sign + f"{rounded:f}"
    if isinstance(value, (list, tuple)):
        value = "|".join(str(v) for v in value)
    return _escape(str(value))


_SPECIAL = {
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_\allowbreak{}",
    "{": r"\{",
    "}": r"\}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    "\\": r"\textbackslash{}",
    "|": r"\textbar\allowbreak{}",
    "/": r"/\allowbreak{}",
    "<": r"\textless{}",
    ">": r"\textgreater{}",
}


_DIGITS_HYPHENED = re.compile(r"\d+(?:-\d+)+")


def _escape(text: str) -> str:
    """Text as LaTeX source: every special character escaped, line breaks allowed after | / _.

    Dates and other hyphened digits (``2014-09-26``) are kept on one line.
    """
    escaped = "".join(_SPECIAL.get(c, c) for c in text)
    return _DIGITS_HYPHENED.sub(lambda m: rf"\mbox{{{m.group(0)}}}", escaped)


# ---------------------------------------------------------------------------- layout
#: Text widths (in em of the table's font) the layout fits: 16 cm portrait, 24 cm landscape, at 8 pt.
_PORTRAIT_EM = 16 / 2.54 * 72.27 / 8
_LANDSCAPE_EM = 24 / 2.54 * 72.27 / 8
_PAD_EM = 2 * 3 / 8  # \tabcolsep of 3 pt on each side of a column
_WIDE_CAP_EM = 24  # a long text column is not counted wider than this when choosing the orientation
_BREAK = re.compile(r"(?<=[\s|/_])|(?<=\D-)|(?<=-)(?=\D)")  # not inside 2014-09-26


def _em(text: str) -> float:
    """The width of ``text`` in em of Latin Modern (a generous estimate: a cell must never overflow)."""
    width = 0.0
    for c in text:
        if unicodedata.east_asian_width(c) in "WF":
            width += 1.0
        elif c in "iljtf.,:;'!()[]| ":
            width += 0.32
        elif c in "mwMW@%—":
            width += 0.95
        elif c.isupper() or c in "&#":
            width += 0.78
        else:
            width += 0.56
    return width


def _tokens(text: str) -> list[str]:
    """The pieces between which a line may break: spaces, hyphens, | / _, and every CJK character."""
    out = []
    for piece in _BREAK.split(text):
        run = ""
        for c in piece:
            if unicodedata.east_asian_width(c) in "WF":
                if run:
                    out.append(run)
                out.append(c)
                run = ""
            else:
                run += c
        if run:
            out.append(run)
    return [t.strip() for t in out if t.strip()]


def _measure(texts: list[list[str]]) -> tuple[list[float], list[float]]:
    """Each column's least width (its longest unbreakable word) and natural width (its longest cell), in em.

    ``texts`` holds each column's cells as plain text (header first).
    """
    least = [max(_em(t) for cell in col for t in _tokens(cell) or [""]) * 1.08 + 0.2 for col in texts]
    natural = [max(max(_em(cell) for cell in col) * 1.05 + 0.2, m) for col, m in zip(texts, least, strict=True)]
    return least, natural


def _parts(least: list[float], keys: list[int], page: float) -> list[list[int]]:
    """The columns split into parts that each fit the page, every part starting with the key columns."""
    key_width = sum(least[k] + _PAD_EM for k in keys)
    parts: list[list[int]] = []
    width = page  # forces a first part
    for col in (c for c in range(len(least)) if c not in keys):
        if width + least[col] + _PAD_EM > page:
            parts.append(list(keys))
            width = key_width
        if width + least[col] + _PAD_EM > page:
            raise ValueError(
                f"column {col + 1} is too wide for a landscape page next to the key columns "
                f"({least[col]:.0f} em); shorten its longest word"
            )
        parts[-1].append(col)
        width += least[col] + _PAD_EM
    return parts or [list(keys)]


def _shares(least: list[float], natural: list[float], page: float) -> list[float]:
    r"""Column widths as shares of ``\linewidth``: natural widths when they fit, else squeezed to fit."""
    room = page - _PAD_EM * len(least)
    if sum(natural) <= room:
        widths = natural
    else:  # every column keeps its longest word; the room left is shared by how much more each would take
        spare = room - sum(least)
        extra = [n - m for n, m in zip(natural, least, strict=True)]
        widths = [m + spare * e / sum(extra) for m, e in zip(least, extra, strict=True)]
    # floored to the four decimals written, so that the shares never add up to more than the line
    return [math.floor((w + _PAD_EM) / page * 10_000) / 10_000 for w in widths]


def latex_table(frame, *, name: str, caption: str = "", label: str = "", headers=None) -> str:
    r"""A table as LaTeX booktabs ``longtable`` s that fit the page, written by pandas' Styler.

    A table too wide for a portrait page is set in landscape; one too wide for a landscape page
    is split into parts of consecutive columns, each repeating the first column (and the fact id
    column, when there is one), the later parts captioned as continued under the same number.

    Parameters
    ----------
    frame : pandas.DataFrame
        The table, with a default range index (write a labelled index as columns first).
    name : str
        The table's name (file stem), used to find table-specific rounding rules.
    caption : str
        The caption, escaped for LaTeX; none when empty.
    label : str
        The ``\label``; none when empty.
    headers : dict of str to str, optional
        The header a reader sees for each column (:func:`readable_table`); default the column names.

    Returns
    -------
    str
        The LaTeX source: a comment naming the packages it needs, then each part's ``longtable``
        set in 8 pt inside a group (in a ``landscape`` environment when too wide for
        a portrait page), with booktabs rules and the header repeated on every page.

    Raises
    ------
    ValueError
        If a column holds a number that is not whole and has no rule in :data:`ROUNDING`, or one
        column alone is too wide for a landscape page.
    """
    import pandas as pd

    columns = [str(c) for c in frame.columns]
    cells = {
        column: [format_cell(v, name, column) for v in frame[source]]
        for column, source in zip(columns, frame.columns, strict=True)
    }
    head = {c: str((headers or {}).get(c, c)) for c in columns}
    least, natural = _measure([[head[c]] + [_plain(v) for v in cells[c]] for c in columns])
    capped = sum(min(n, max(m, _WIDE_CAP_EM)) + _PAD_EM for n, m in zip(natural, least, strict=True))
    landscape = capped > _PORTRAIT_EM
    page = _LANDSCAPE_EM if landscape else _PORTRAIT_EM
    keys = [0] + [i for i, c in enumerate(columns) if c == "id" and i > 0]
    numeric = [frame[c].dtype.kind in "iuf" for c in frame.columns]
    lines = [
        "% Generated by `govcases build`; do not edit. Needs \\usepackage{booktabs,longtable,array,pdflscape};",
        "% Chinese text needs xeCJK (XeLaTeX) or ctex. Sized for a text width of at least 16 cm.",
        *([r"\begin{landscape}"] if landscape else []),
    ]
    parts = _parts(least, keys, page)
    for n, part in enumerate(parts):
        shares = _shares([least[i] for i in part], [natural[i] for i in part], page)
        align = "".join(
            (r">{\raggedleft\arraybackslash}" if numeric[i] else r">{\raggedright\arraybackslash}")
            + rf"p{{\dimexpr {share:.4f}\linewidth-2\tabcolsep\relax}}"
            for share, i in zip(shares, part, strict=True)
        )
        part_frame = pd.DataFrame({_escape(head[columns[i]]): cells[columns[i]] for i in part})
        text = caption
        if n and caption:  # the same table number, said to continue
            text = f"{caption} (continued, part {n + 1} of {len(parts)})"
        elif caption and len(parts) > 1:
            text = f"{caption} (part 1 of {len(parts)})"
        table = part_frame.style.hide(axis="index").to_latex(
            environment="longtable",
            hrules=True,  # booktabs: \toprule, \midrule, \bottomrule
            column_format=align,
            caption=_escape(text) if text else None,
            label=(label or None) if n == 0 else None,
        )
        if text:
            # the caption repeats at the head of every page: there, its title only, so that a long note of
            # evidence (a table drawn from hundreds of facts) cannot make the head taller than the page
            short = _escape(text.split(" Evidence:")[0].split(" 依据")[0] + " (continued)")
            table = re.sub(
                r"^\\caption\[\]\{.*\} \\\\$",
                lambda _, head=short: rf"\caption[]{{{head}}} \\",
                table,
                flags=re.M,
            )
        lines += [
            *([r"\addtocounter{table}{-1}"] if n and caption else []),
            r"\begingroup\fontsize{8}{9.5}\selectfont\setlength{\tabcolsep}{3pt}",
            table.rstrip("\n"),
            r"\endgroup",
        ]
    lines += [r"\end{landscape}"] if landscape else []
    return "\n".join(lines) + "\n"


def latex_preamble(cjk_font) -> str:
    r"""A XeLaTeX preamble under which every table compiles: the packages the tables need, and xeCJK.

    Parameters
    ----------
    cjk_font : pathlib.Path
        The file of the font that sets Chinese text (such as Noto Sans SC, which
        ``pylopdf_fonts_zh_cn.sans_path()`` gives).

    Returns
    -------
    str
        The lines from ``\documentclass`` to ``\begin{document}``: an A4 article with 2.5 cm margins
        (the 16 cm text width the tables are sized for), ``booktabs``, ``longtable``, ``array``,
        ``pdflscape`` and ``xeCJK`` with ``cjk_font``; the ratio sign ∶ (U+2236), which Chinese texts
        write in ratios and Latin Modern lacks, is set in the CJK font too.
    """
    return "\n".join(
        [
            r"\documentclass[11pt]{article}",
            r"\usepackage[a4paper,margin=2.5cm]{geometry}",
            r"\usepackage{booktabs,longtable,array,pdflscape}",
            r"\usepackage{xeCJK}",
            rf"\setCJKmainfont{{{cjk_font.name}}}[Path={cjk_font.parent.as_posix()}/]",
            r'\xeCJKDeclareCharClass{CJK}{"2236}',
            r"\begin{document}",
            "",
        ]
    )


def _plain(latex: str) -> str:
    """What a cell's LaTeX source prints, near enough to measure it."""
    text = (
        re.sub(r"\\mbox\{([^}]*)\}", r"\1", latex.replace(r"\allowbreak{}", ""))
        .replace("$-$", "-")
        .replace(r"$\infty$", "∞")
    )
    text = re.sub(r"\\text(backslash|asciitilde|asciicircum|bar|less|greater)(\{\})?", "x", text)
    return re.sub(r"\\([&%$#_{}])", r"\1", text)


# ---------------------------------------------------------------------------- words a reader sees
#: Fact-id and source-id columns: evidence, left out of the LaTeX body because the table's
#: ``\caption`` names every fact and source (:func:`govcases.publish.build.table_caption`); the CSV keeps them.
EVIDENCE_COLUMNS = frozenset(
    {
        "id",
        "fact_ids",
        "contrary_fact_ids",
        "sum_facts",
        "instrument_facts",
        "model_fact",
        "source_id",
        "denominator_id",
        "count_id",
        "density_id",
        "population_id",
        "start_id",
        "end_id",
        "before_id",
        "after_id",
        "incubated_id",
        "registered_id",
        "evidence",
        "contrary",
        "facts",
    }
)

#: Column headers a reader sees in the LaTeX tables; ``"table:column"`` overrides a column name in one
#: table, and ``None`` leaves a column out of that table's LaTeX (it repeats another). A column that
#: is a district id or a typology condition is headed by the district's name or the condition's label.
COLUMN_LABELS: dict[str, str | None] = {
    # Table 1's long form, the funding mix and the policy timeline
    "comparison-evidence:domain": "Domain",
    "comparison-evidence:feature": "Feature",
    "comparison-evidence:status": "State",
    "funding-normalized:payer": "Who pays",
    "funding-normalized:reach": "Reach",
    "funding-payers:key": None,  # the payer's id; its label is the next column
    "funding-payers:label": "Payer",
    "funding-mechanisms:key": None,
    "funding-mechanisms:label": "Mechanism",
    "funding-payers:status": "State",
    "funding-mechanisms:status": "State",
    "sums": "Sums as stated",
    "own_frame": "In the district's own frame",
    "policy-timeline:domain": "Domain",
    "policy-timeline:what": "What",
    "policy-timeline:mark": "Mark",
    "policy-context:area": "Area",
    "policy-context:level": "Level",
    "policy-context:domain": "Domain",
    "policy-context:event": "Event",
    "policy-context:source_url": "Page (address)",
    "district": "District",
    "districts": "Districts",
    "category": "Category",
    "total": "Total",
    "overview-profiles:district": None,  # the English name is the next column
    "name_en": "District",
    "name_zh": "Chinese name",
    "city": "City",
    "province": "Province",
    "area_kind": "Kind of area",
    "source_kind": "Kind of source",
    "page_date": "Page date",
    "page_date_kind": "Page date is",
    "model_name": "Model name",
    "n_facts": "Facts",
    "n_facts_source": "Facts from the source",
    "n_facts_external": "Facts from external tables",
    "stated": "Stated",
    "inferred": "Inferred",
    "disputed": "Disputed",
    "share_not_stated": "Share not stated",
    "indicator": "Indicator",
    "kind": "Kind",
    "instrument": "Instrument",
    "description": "Description",
    "value_text": "As stated",
    "value": "Value",
    "low": "Low",
    "high": "High",
    "qualifier": "Qualifier",
    "basis": "Basis",
    "period_text": "Period as stated",
    "period_start": "Period from",
    "period_end": "Period to",
    "confidence": "Confidence",
    "note": "Note",
    "measure": "Measure",
    "denominator": "Denominator",
    "timing": "Timing",
    "point": "Point",
    "unit": "Unit",
    "issue": "Issue",
    "why": "Why",
    "subject": "Subject",
    "reading": "Reading",
    "doubling_low": "Doubling time, low (years)",
    "doubling_high": "Doubling time, high (years)",
    "start_text": "Start as stated",
    "end_text": "End as stated",
    "start_low": "Start, low",
    "start_high": "Start, high",
    "end_low": "End, low",
    "end_high": "End, high",
    "start_period": "Start period",
    "end_period": "End period",
    "years_low": "Years, low",
    "years_high": "Years, high",
    "years_mid": "Years, middle",
    "multiple_low": "Multiple, low",
    "multiple_high": "Multiple, high",
    "cagr_low": "Annual growth, low (%)",
    "cagr_high": "Annual growth, high (%)",
    "cagr_mid": "Annual growth, middle (%)",
    "derivation": "Derivation",
    "count_indicator": "Count of",
    "count_text": "Count as stated",
    "count_period": "Count period",
    "density_from": "Density is",
    "population": "Population figure",
    "population_text": "Population as stated",
    "gap_low": "Years between, low",
    "gap_high": "Years between, high",
    "density_low": "Per 10,000, low",
    "density_high": "Per 10,000, high",
    "density_point": "Per 10,000, point",
    "how": "How derived",
    "start_stated": "Start stated",
    "categories": "Organization categories",
    "before_text": "Before, as stated",
    "after_text": "After, as stated",
    "before": "Before",
    "after": "After",
    "after_share": "After as share of before",
    "after_share_high": "After as share of before, high",
    "change_percent": "Change (%)",
    "tier": "Tier",
    "incubated": "Incubated",
    "registered": "Registered",
    "rate": "Rate",
    "ci_low": "95% interval, low",
    "ci_high": "95% interval, high",
    "condition": "Condition",
    "coded": "Coded",
    "only_inferred": "Only inferred",
    "meaning": "Meaning",
    "n_cases": "Cases",
    "cases": "Which cases",
    "n_positive": "Positive cases",
    "consistency": "Consistency",
    "row_outcome": "Outcome",
    "not_coded": "Not coded",
    "solution": "Solution",
    "text": "Expression",
    "alternatives": "Alternatives",
    "n_in_solution": "Cases in solution",
    "covered": "Covered",
    "uncovered": "Uncovered",
    "wrong": "Wrongly covered",
    "coverage": "Coverage",
    "scope": "Scope",
    "threshold": "Threshold",
    "n_coded": "Cases coded",
    "parsimonious": "Parsimonious solution",
    "complex": "Complex solution",
    "ambiguous": "Ambiguous",
    "all_minimal": "All minimal solutions",
}

_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*[A-Za-z0-9]")
_SNAKE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")


def _conditions() -> dict[str, str]:
    from govcases.analysis.typology import RULES

    return {r.id: r.label_en for r in RULES}


def _words(cb, *, conditions_first: bool) -> dict[str, str]:
    """Each code name a table cell may hold, with the words a reader reads instead."""
    from govcases.publish.figures._text import CATEGORY_LABELS, english_only
    from govcases.publish.style import label

    codebook = cb.codebook.table()
    words = {c: en for c, (en, _) in CATEGORY_LABELS.items()}
    indicators = {str(r.indicator): english_only(str(r.label_en)) for r in codebook.itertuples()}
    conditions = _conditions()
    words |= (indicators | conditions) if conditions_first else (conditions | indicators)
    words |= {d: label(cb.profiles, d) for d in cb.districts}
    return words


def _id_patterns(evidence: set[str]) -> tuple[re.Pattern, ...]:
    """The three patterns that take fact or source ids out of a text, compiled once per table.

    Hundreds of ids make one long alternation; building and escaping it for every cell took most of
    a table's time.
    """
    ids = "|".join(re.escape(i) for i in sorted(evidence, key=len, reverse=True))
    if not ids:
        return ()
    one = rf"(?<![\w-])(?:{ids})(?![\w-])"
    # a bracket of ids only, "(a / b)", goes whole; an id leading a bracket goes with its comma
    return (
        re.compile(rf"\s*\(\s*{one}(?:\s*[,/|]\s*{one})*\s*\)"),
        re.compile(rf"{one}\s*[,;]\s*"),
        re.compile(one),
    )


def _readable_text(text: str, id_patterns: tuple[re.Pattern, ...], words: dict[str, str]) -> str:
    """Free text without fact or source ids (:func:`_id_patterns`), and with every other code name in words."""
    for pattern in id_patterns:
        text = pattern.sub("", text)
    text = _TOKEN.sub(lambda m: words.get(m.group(0), m.group(0)), text)
    return _SNAKE.sub(lambda m: m.group(0).replace("_", " "), text)


def readable_table(frame, *, name: str, cb):
    """The table as a reader reads it: fact ids left out, code names in words, columns with their labels.

    Parameters
    ----------
    frame : pandas.DataFrame
        An appendix table with a default range index, as :func:`govcases.publish.build.write_table` has it.
    name : str
        The table's name (file stem), for table-specific labels in :data:`COLUMN_LABELS`.
    cb : Casebook
        The casebook the table was made from: its districts' names, its codebook's labels, its fact ids.

    Returns
    -------
    tuple of (pandas.DataFrame, dict of str to str)
        The table without the :data:`EVIDENCE_COLUMNS` (and the columns labelled ``None``), every
        text cell with district ids as the districts' names, indicator, category and condition ids
        as their labels, other snake_case in words and fact or source ids removed; and the header of
        each kept column.

    Raises
    ------
    ValueError
        Naming the table and the column, when a column has no label in :data:`COLUMN_LABELS` and is
        neither a district nor a condition.
    """
    import pandas as pd

    conditions = _conditions()
    words = _words(cb, conditions_first=name.startswith(("qca-", "typology-")))
    id_patterns = _id_patterns(set(cb.facts["id"]) | set(cb.sources["source_id"]))
    headers: dict[str, str] = {}
    for column in map(str, frame.columns):
        key = f"{name}:{column}"
        if key in COLUMN_LABELS or column in COLUMN_LABELS:
            header = COLUMN_LABELS[key] if key in COLUMN_LABELS else COLUMN_LABELS[column]
            if header is not None and column not in EVIDENCE_COLUMNS:
                headers[column] = header
        elif column in EVIDENCE_COLUMNS:
            continue
        elif column in cb.districts:
            headers[column] = words[column]
        elif column in conditions:
            headers[column] = conditions[column]
        elif _READABLE.fullmatch(column):
            headers[column] = column  # already in words (Table 1's "Domain: Feature" columns)
        else:
            raise ValueError(
                f"table {name!r}, column {column!r}: no label a reader can read; add one to "
                "govcases.publish.latex.COLUMN_LABELS (or the column to EVIDENCE_COLUMNS if it holds fact ids)"
            )
    out = pd.DataFrame(index=frame.index)
    for column in headers:
        values = frame[column]
        if values.dtype.kind not in "iufbM":
            values = values.map(
                lambda v: _readable_text(v, id_patterns, words) if isinstance(v, str) else v, na_action="ignore"
            )
        out[column] = values
    return out, headers
