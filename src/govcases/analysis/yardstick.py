"""The national yardstick: social organizations per 10,000 residents, and their growth, year by year.

A district's density (organizations per 10,000 residents) or growth means little alone. This module
sets beside them the national figures of the yardstick table (:mod:`govcases.records.yardstick`):
the count of all social organizations at the end of each year for which a cited page gives one, the
national population of the same year, the density derived from the two, and the growth since the
previous year with a count. Every derived figure says how it was derived; a year without a
population keeps its count and growth and has no density, never an interpolated one.
"""

from __future__ import annotations

import math

import pandas as pd

from govcases.records.yardstick import load_yardstick

__all__ = ["COUNT_BASES", "national_density"]

#: Bases of an organization count that measure the stock at the end of a year (a platform's
#: snapshot at another moment does not).
COUNT_BASES = ("year_end_statistics", "year_end_quarterly")

# When a year has both, the year-end estimate is taken: it refers to the same day as the
# year-end count of organizations, while the census refers to 1 November.
_POPULATION_ORDER = {"year_end_estimate": 0, "census": 1}

_COLUMNS = [
    "year",
    "organizations",
    "organizations_basis",
    "organizations_url",
    "population",
    "population_basis",
    "population_date",
    "population_url",
    "per_10k",
    "previous_year",
    "growth_percent",
    "annual_growth_percent",
    "note",
]


def national_density(cb=None, *, table: pd.DataFrame | None = None, area: str = "China 全国") -> pd.DataFrame:
    """National organizations per 10,000 residents and their growth, one row per year with a count.

    Parameters
    ----------
    cb : Casebook, optional
        The casebook whose project holds the yardstick table (see
        :func:`govcases.records.yardstick.load_yardstick`); default: the default casebook's.
    table : pandas.DataFrame, optional
        An already loaded yardstick table to use instead.
    area : str, default "China 全国"
        The area of the table to derive for (a province or city works the same way, where the
        table has its year-end counts and populations).

    Returns
    -------
    pandas.DataFrame
        One row per year with a primary count of all social organizations of ``area`` at the end
        of the year (bases :data:`COUNT_BASES`), sorted by year:

        ======================  ============================================================
        column                  meaning
        ======================  ============================================================
        year                    calendar year of the count (its end)
        organizations           social organizations of all types at the end of the year
        organizations_basis     year_end_statistics or year_end_quarterly
        organizations_url       the page the count was read from
        population              national population of the same year (persons), or NaN
        population_basis        year_end_estimate (preferred) or census, or empty
        population_date         the day the population refers to (ISO), or empty
        population_url          the page it was read from, or empty
        per_10k                 derived: organizations / population x 10,000, or NaN
        previous_year           the previous year with a count, or NA
        growth_percent          derived: (organizations / previous count - 1) x 100
        annual_growth_percent   derived: ((organizations / previous count) ^ (1 / years) - 1)
                                x 100, the same as growth_percent over one year
        note                    what is missing or mixed, in words
        ======================  ============================================================

    Notes
    -----
    The counts are printed rounded (44.6万 is a count rounded to a thousand), so a density is
    good to about three significant figures; it is not rounded here. A count and a census
    population of the same year refer to different days (31 December and 1 November); the note
    says so.

    Examples
    --------
    >>> d = national_density().set_index("year")
    >>> round(float(d.loc[2011, "per_10k"]), 2), round(float(d.loc[2011, "growth_percent"]), 2)
    (3.43, 3.59)
    """
    t = load_yardstick(cb) if table is None else table
    national = t[(t["area"] == area) & t["primary"]]
    counts = national[
        (national["what"] == "organizations") & (national["type"] == "all") & national["basis"].isin(COUNT_BASES)
    ].sort_values("year")
    doubled = counts["year"][counts["year"].duplicated()]
    if len(doubled):
        raise ValueError(
            f"yardstick table: more than one primary count of all organizations in {area} for "
            f"{', '.join(map(str, sorted(set(doubled))))}; mark one of them primary=no"
        )
    pops = national[(national["what"] == "population") & (national["type"] == "resident")]
    pops = pops.assign(_order=pops["basis"].map(_POPULATION_ORDER)).sort_values(["year", "_order"])
    pop_by_year = pops.groupby("year").head(1).set_index("year")
    rows = []
    previous = None
    for _, c in counts.iterrows():
        year = int(c["year"])
        notes = []
        row = {
            "year": year,
            "organizations": c["value"],
            "organizations_basis": c["basis"],
            "organizations_url": c["source_url"],
            "population": math.nan,
            "population_basis": "",
            "population_date": "",
            "population_url": "",
            "per_10k": math.nan,
            "previous_year": pd.NA,
            "growth_percent": math.nan,
            "annual_growth_percent": math.nan,
        }
        if c["basis"] == "year_end_quarterly":
            notes.append("count from the fourth-quarter statistics, not the annual bulletin")
        if year in pop_by_year.index:
            p = pop_by_year.loc[year]
            row.update(
                population=p["value"],
                population_basis=p["basis"],
                population_date=p["period_end"],
                population_url=p["source_url"],
                per_10k=c["value"] / p["value"] * 10_000,
            )
            if p["period_end"] != c["period_end"]:
                notes.append(f"population of {p['period_end']} ({p['basis']}), count of {c['period_end']}")
        else:
            notes.append("no population for this year: no density")
        if previous is not None:
            years = year - previous[0]
            ratio = c["value"] / previous[1]
            row.update(
                previous_year=previous[0],
                growth_percent=(ratio - 1) * 100,
                annual_growth_percent=(ratio ** (1 / years) - 1) * 100,
            )
            if years > 1:
                notes.append(f"growth over {years} years, annual rate compounded")
            if previous[2] != c["basis"]:
                notes.append(f"growth from a count of another basis ({previous[2]})")
        else:
            notes.append("first year with a count: no growth")
        row["note"] = "; ".join(notes)
        rows.append(row)
        previous = (year, c["value"], c["basis"])
    out = pd.DataFrame(rows, columns=_COLUMNS)
    out["previous_year"] = out["previous_year"].astype("Int64")
    return out
