"""The national and provincial yardstick: counts of social organizations and populations, each row cited.

``data/external/social_organizations_yardstick.csv`` holds what the districts are measured against:
social organizations nationwide by year and type (from the Ministry of Civil Affairs' statistics as
reprinted or reported), the national population for the same years (censuses and the National Bureau
of Statistics' year-end estimates), and the few provincial counts a page gives. Every row names the
page it was read from; ``data/external/README.md`` says what each column holds.

This module reads and validates the table: every problem in every row is reported at once, with
file, line and column, and nothing is coerced (a figure is read by :func:`parse_quantity`, so
``超过6.6万`` stays the open interval it is). Derived figures (densities, growth) are made by
:mod:`govcases.analysis.yardstick`, never stored here.
"""

from __future__ import annotations

import pandas as pd

from govcases.records.cited_tables import read_rows, table_path
from govcases.records.errors import CasebookError, Problem
from govcases.records.models import parse_iso_date
from govcases.records.quantity import QuantityError, parse_quantity

__all__ = [
    "BASES",
    "KEY",
    "LEVELS",
    "TYPES",
    "YARDSTICK_COLUMNS",
    "YARDSTICK_FILE",
    "load_yardstick",
]

#: The table, relative to a project's data folder.
YARDSTICK_FILE = "external/social_organizations_yardstick.csv"

#: The columns the table must have, in this order, and what each holds.
YARDSTICK_COLUMNS: dict[str, str] = {
    "area": "Area, English and Chinese name (China 全国, Zhejiang 浙江省)",
    "level": "country, province or city",
    "what": "organizations, population, or organizations_per_10k (a density a page states)",
    "type": (
        "For organizations: all, social_groups, private_non_enterprise_units, foundations; for population: resident"
    ),
    "basis": "What kind of figure it is (see BASES)",
    "value_text": "The figure as the page prints it (44.6万, 1339724852人, 超过6.6万)",
    "period_start": "First day the figure refers to (ISO date)",
    "period_end": "Last day it refers to (ISO date; the same day for a count at a moment)",
    "primary": "yes or no: whether this is the row analyses use when several rows give the same figure",
    "source_title": "Title of the page read, or why it is not known",
    "source_url": "Address of the page read",
    "source_kind": "What kind of page it is (reprint of the bulletin, news report, content-farm repost, ...)",
    "note": "Our words: scope, caveats, how the row relates to others; never the page's text",
}

#: The columns that name a row: one figure of one page.
KEY = ["area", "what", "type", "period_start", "period_end", "source_url"]

#: Allowed levels of an area.
LEVELS: frozenset[str] = frozenset({"country", "province", "city"})

#: Allowed types, per ``what``.
TYPES: dict[str, frozenset[str]] = {
    "organizations": frozenset({"all", "social_groups", "private_non_enterprise_units", "foundations"}),
    "population": frozenset({"resident"}),
    "organizations_per_10k": frozenset({"all"}),
}

#: Allowed bases, per ``what``, and what each means.
BASES: dict[str, dict[str, str]] = {
    "organizations": {
        "year_end_statistics": "the ministry's annual statistics (bulletin) for the end of a year",
        "year_end_quarterly": "the ministry's quarterly statistics for the fourth quarter (not the bulletin)",
        "platform_snapshot": "records on the national information platform at a moment (not the statistics)",
        "stated_year": "a count a page gives for a year, without saying at which day",
    },
    "population": {
        "census": "a national census count at its reference moment",
        "year_end_estimate": "the National Bureau of Statistics' estimate for the end of a year",
    },
    "organizations_per_10k": {
        "stated": "a density the page states, with whatever population basis it used; never derived here",
    },
}

# Measure words a figure of each kind may carry ('' = none printed).
_MEASURE_WORDS = {
    "organizations": {"", "个", "家"},
    "population": {"", "人"},
    "organizations_per_10k": {"", "个", "家"},
}


def load_yardstick(cb=None, *, path=None) -> pd.DataFrame:
    """Read and validate the yardstick table, every row with its citation.

    Parameters
    ----------
    cb : Casebook, optional
        The casebook whose project holds the table (:data:`YARDSTICK_FILE` in the ``data`` folder
        beside ``cb.root``). Default: the casebook :func:`govcases.load_casebook` reads by default.
    path : path-like, optional
        A table to read instead, wherever it is.

    Returns
    -------
    pandas.DataFrame
        One row per row of the file, in file order (count in equals count out): the columns of
        :data:`YARDSTICK_COLUMNS`, with ``primary`` as a bool, then

        ============  =================================================================
        column        meaning
        ============  =================================================================
        value         the figure (organizations or persons)
        low, high     the interval its qualifier allows (``超过6.6万`` -> [66000, inf))
        qualifier     the qualifier's name (exact, over, nearly, ...)
        year          the calendar year of ``period_end``
        line          the line of the file the row was read from
        ============  =================================================================

    Raises
    ------
    FileNotFoundError
        If the project has no such table (and no ``path`` is given).
    CasebookError
        Listing every problem: a missing or extra column, an empty cell that must be filled, an
        unknown level, type or basis, two rows with the same :data:`KEY`, a figure the parser
        refuses or with a wrong measure word, a bad date or a period that ends before it starts,
        an address that is not http(s), or two primary rows for the same area, figure, type and
        period.

    Examples
    --------
    >>> t = load_yardstick()
    >>> row = t[(t["area"] == "China 全国") & (t["what"] == "organizations") & (t["year"] == 2012)
    ...         & (t["type"] == "all")].iloc[0]
    >>> row["value_text"], float(row["value"])
    ('49.9万', 499000.0)
    """
    path = table_path(path, cb, YARDSTICK_FILE, "yardstick")
    expected = list(YARDSTICK_COLUMNS)
    read, problems = read_rows(path, expected)
    rows: list[dict] = []
    seen: dict[tuple, int] = {}
    cited: dict[tuple, int] = {}
    for line, row in read:
        row_problems = _check_row(row, str(path), line)
        problems.extend(row_problems)
        if row_problems:
            continue
        same = tuple(row[c] for c in KEY)
        if same in cited:
            problems.append(
                Problem(
                    str(path),
                    line,
                    "",
                    f"the same area, figure, type, period and page as line {cited[same]}",
                    "keep one row per figure a page gives",
                )
            )
        cited[same] = line
        if row["primary"]:
            key = (row["area"], row["what"], row["type"], row["period_start"], row["period_end"])
            if key in seen:
                problems.append(
                    Problem(
                        str(path),
                        line,
                        "primary",
                        f"a second primary row for {row['area']}, {row['what']} ({row['type']}), "
                        f"{row['period_start']}..{row['period_end']} (the first is on line {seen[key]})",
                        "mark one of them primary=no and say in its note why the other is preferred",
                    )
                )
            seen[key] = line
        row["line"] = line
        rows.append(row)
    if problems:
        raise CasebookError(problems)
    columns = [*expected, "value", "low", "high", "qualifier", "year", "line"]
    table = pd.DataFrame(rows, columns=columns)
    table["primary"] = table["primary"].astype(bool)
    table["year"] = table["year"].astype(int)
    table["line"] = table["line"].astype(int)
    for col in ("value", "low", "high"):
        table[col] = table[col].astype(float)
    return table


def _check_row(row: dict, file: str, line: int) -> list[Problem]:
    """Validate one row in place (adding the parsed figure); return its problems."""
    out: list[Problem] = []

    def bad(column: str, message: str, hint: str) -> None:
        out.append(Problem(file, line, column, message, hint))

    for column in YARDSTICK_COLUMNS:
        if row[column] != row[column].strip():
            bad(column, f"{row[column]!r} has spaces at its ends", "remove them")
        elif not row[column]:
            bad(column, "empty", f"fill it: {YARDSTICK_COLUMNS[column]}")
    if out:
        return out
    if row["level"] not in LEVELS:
        bad("level", f"unknown level {row['level']!r}", f"use one of {', '.join(sorted(LEVELS))}")
    what = row["what"]
    if what not in TYPES:
        bad("what", f"unknown figure {what!r}", f"use one of {', '.join(sorted(TYPES))}")
        return out
    if row["type"] not in TYPES[what]:
        bad("type", f"unknown type {row['type']!r} for {what}", f"use one of {', '.join(sorted(TYPES[what]))}")
    if row["basis"] not in BASES[what]:
        bad("basis", f"unknown basis {row['basis']!r} for {what}", f"use one of {', '.join(sorted(BASES[what]))}")
    if row["primary"] not in ("yes", "no"):
        bad("primary", f"{row['primary']!r} is neither yes nor no", "write yes or no")
    else:
        row["primary"] = row["primary"] == "yes"
    if not row["source_url"].startswith(("http://", "https://")):
        bad("source_url", f"{row['source_url']!r} is not an http(s) address", "give the full address of the page read")
    dates = {}
    for column in ("period_start", "period_end"):
        try:
            dates[column] = parse_iso_date(row[column])
        except ValueError as err:
            bad(column, str(err), "write the date as YYYY-MM-DD")
    if len(dates) == 2 and dates["period_end"] < dates["period_start"]:
        bad("period_end", f"{row['period_end']} is before period_start {row['period_start']}", "swap or fix them")
    if len(dates) == 2:
        row["year"] = dates["period_end"].year
    try:
        q = parse_quantity(row["value_text"])
    except QuantityError as err:
        bad("value_text", f"cannot read {row['value_text']!r}: {err}", "write the figure as the page prints it")
    else:
        if q.unit not in _MEASURE_WORDS[what]:
            bad(
                "value_text",
                f"measure word {q.unit!r} does not count {what}",
                f"use one of {', '.join(repr(w) for w in sorted(_MEASURE_WORDS[what]))}",
            )
        row.update(value=q.value, low=q.low, high=q.high, qualifier=q.qualifier)
    return out
