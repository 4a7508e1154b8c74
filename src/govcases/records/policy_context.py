"""The policy context of the districts' reforms: national, provincial and city reforms, each row cited.

``data/external/policy_context.csv`` holds the reforms that preceded or followed the 2013 national
plan in the districts' provinces and cities (Guangdong's direct registration from 2012, Zhejiang's
from September 2013, ...), and national steps after 2013. The 2013 plan itself and its deadlines are
in ``national_policy.csv`` (:func:`govcases.analysis.registration.national_reforms`). Every row names
the page it was read from and says in its own words (never the page's) what the page gives;
``data/external/README.md`` describes the columns.

This module reads and validates the table: every problem of every row is reported at once, with
file, line and column; nothing is coerced or dropped.
"""

from __future__ import annotations

import pandas as pd

from govcases.records.cited_tables import read_rows, table_path
from govcases.records.errors import CasebookError, Problem
from govcases.records.models import parse_iso_date

__all__ = ["DOMAINS", "LEVELS", "POLICY_CONTEXT_COLUMNS", "POLICY_CONTEXT_FILE", "READINGS", "load_policy_context"]

#: The table, relative to a project's data folder.
POLICY_CONTEXT_FILE = "external/policy_context.csv"

#: The columns the table must have, in this order, and what each holds.
POLICY_CONTEXT_COLUMNS: dict[str, str] = {
    "area": "Area, English and Chinese name (Guangdong 广东省, China 全国)",
    "level": "country, province or city",
    "domain": "The policy domain (see DOMAINS)",
    "event": "What happened, in our words",
    "reading": "How the date is meant (see READINGS)",
    "period_start": "First day the date may be (ISO date)",
    "period_end": "Last day the date may be (the same day when the page gives the day)",
    "source_title": "Title of the page read, or why it is not known",
    "source_url": "Address of the page read",
    "source_kind": "What kind of page it is (news report, reposted notice, research abstract, ...)",
    "note": "Our words: what the page gives, caveats, other pages that agree or disagree; never the page's text",
}

#: Allowed levels of an area.
LEVELS: frozenset[str] = frozenset({"country", "province", "city"})

#: The policy domains of the timeline, with the words a reader sees.
DOMAINS: dict[str, str] = {
    "registration": "registration",
    "funding": "funding",
    "incubation_hubs": "incubation and hubs",
    "purchase_transfer": "purchase and transfer",
    "evaluation": "evaluation and supervision",
    "party_building": "Party building",
}

#: How a row's date is meant.
READINGS: dict[str, str] = {
    "began": "the reform took effect, or the document was issued, on or within the dates",
    "announced": "the reform was announced on these dates, to take effect later",
    "in_place_by": "the reform existed by these dates; when it began is not given",
}


def load_policy_context(cb=None, *, path=None) -> pd.DataFrame:
    """Read and validate the policy-context table, every row with its citation.

    Parameters
    ----------
    cb : Casebook, optional
        The casebook whose project holds the table (:data:`POLICY_CONTEXT_FILE` in the ``data``
        folder beside ``cb.root``). Default: the casebook :func:`govcases.load_casebook` reads by default.
    path : path-like, optional
        A table to read instead, wherever it is.

    Returns
    -------
    pandas.DataFrame
        One row per row of the file, in file order (count in equals count out): the columns of
        :data:`POLICY_CONTEXT_COLUMNS`, then ``line`` (the line of the file the row was read from).

    Raises
    ------
    FileNotFoundError
        If the project has no such table (and no ``path`` is given).
    CasebookError
        Listing every problem: a wrong header, an empty cell, an unknown level, domain or reading,
        a bad date or a period that ends before it starts, an address that is not http(s), or two
        rows for the same area, domain, event and page.

    Examples
    --------
    >>> t = load_policy_context()
    >>> row = t[(t["area"] == "Zhejiang 浙江省") & (t["reading"] == "began")].iloc[0]
    >>> row["period_start"], row["domain"]
    ('2013-09-18', 'registration')
    """
    path = table_path(path, cb, POLICY_CONTEXT_FILE, "policy-context")
    expected = list(POLICY_CONTEXT_COLUMNS)
    read, problems = read_rows(path, expected)
    rows: list[dict] = []
    seen: dict[tuple, int] = {}
    for line, row in read:
        row_problems = _check_row(row, str(path), line)
        problems.extend(row_problems)
        if row_problems:
            continue
        key = (row["area"], row["domain"], row["event"], row["source_url"])
        if key in seen:
            problems.append(
                Problem(str(path), line, "", f"the same area, domain, event and page as line {seen[key]}", "keep one")
            )
        seen[key] = line
        row["line"] = line
        rows.append(row)
    if problems:
        raise CasebookError(problems)
    table = pd.DataFrame(rows, columns=[*expected, "line"])
    table["line"] = table["line"].astype(int)
    return table


def _check_row(row: dict, file: str, line: int) -> list[Problem]:
    """Validate one row; return its problems."""
    out: list[Problem] = []

    def bad(column: str, message: str, hint: str) -> None:
        out.append(Problem(file, line, column, message, hint))

    for column in POLICY_CONTEXT_COLUMNS:
        if row[column] != row[column].strip():
            bad(column, f"{row[column]!r} has spaces at its ends", "remove them")
        elif not row[column]:
            bad(column, "empty", f"fill it: {POLICY_CONTEXT_COLUMNS[column]}")
    if out:
        return out
    for column, allowed in (("level", LEVELS), ("domain", DOMAINS), ("reading", READINGS)):
        if row[column] not in allowed:
            bad(column, f"unknown {column} {row[column]!r}", f"use one of {', '.join(sorted(allowed))}")
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
    return out
