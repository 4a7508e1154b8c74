"""Population and area denominators, each with its kind, year and source kept visible.

Densities and per-resident figures depend on which population is divided by: a figure stated in
the case article (Minhang's 253.22万 at the end of 2013), a "managed population" (Longhua's 280多万,
which counts people the resident figure leaves out), or a census count from an external table,
often years away from the fact. This module lists them side by side; it never picks one silently.
"""

from __future__ import annotations

import pandas as pd

from govcases.records.casebook import Casebook

__all__ = ["area", "population"]

_COLUMNS = [
    "district",
    "id",
    "kind",
    "subject",
    "value_text",
    "value",
    "low",
    "high",
    "period_start",
    "period_end",
    "source",
    "confidence",
]


def _kind(row, external: set[str]) -> str:
    if row["indicator"] == "population_managed":
        return "managed population (stated in the source)"
    subject = str(row["subject"] or "").lower()
    if row["source"] in external:
        if "year-end" in subject or "estimate" in subject:  # before census: it may say "not a census"
            return "year-end estimate"
        if "census" in subject:
            return "census"
        return "external"
    return "stated in the source"


def population(cb: Casebook, *, include_disputed: bool = False) -> pd.DataFrame:
    """Every population level in the casebook, one row per fact, with its kind.

    Parameters
    ----------
    cb : Casebook
        A validated casebook, from :func:`govcases.load_casebook`.
    include_disputed : bool, default False
        Also keep facts whose confidence is ``disputed``.

    Returns
    -------
    pandas.DataFrame
        One row per population level (basis ``stock``; changes between two dates are left out),
        sorted by district, period start and id:

        ============  ==============================================================
        column        meaning
        ============  ==============================================================
        district      district slug
        id            fact id
        kind          ``census``, ``year-end estimate``, ``external``, ``stated in the
                      source`` or ``managed population (stated in the source)``
        subject       what the figure counts (our words)
        value_text    as written (253.22万)
        value         the figure (persons)
        low, high     the interval its qualifier allows (persons)
        period_start  start of the reference period (ISO date)
        period_end    end of it
        source        source id
        confidence    stated, inferred or disputed
        ============  ==============================================================

    Examples
    --------
    >>> import govcases
    >>> from govcases.analysis.denominators import population
    >>> pop = population(govcases.load_casebook())
    >>> row = pop.set_index("id").loc["minhang-population-2013"]
    >>> row["kind"], float(row["value"])
    ('stated in the source', 2532200.0)
    """
    facts = cb.facts
    rows = facts[facts["indicator"].isin(["population_resident", "population_managed"]) & (facts["basis"] == "stock")]
    if not include_disputed:
        rows = rows[rows["confidence"] != "disputed"]
    external = set(cb.sources.loc[cb.sources["kind"] == "external-table", "source_id"])
    out = rows.assign(kind=[_kind(r, external) for _, r in rows.iterrows()])
    return out[_COLUMNS].sort_values(["district", "period_start", "id"], ignore_index=True)


def area(cb: Casebook, *, include_disputed: bool = False) -> pd.DataFrame:
    """Every land-area fact, one row per fact, with whether it is stated in the source or external.

    Parameters
    ----------
    cb : Casebook
        A validated casebook, from :func:`govcases.load_casebook`.
    include_disputed : bool, default False
        Also keep facts whose confidence is ``disputed``.

    Returns
    -------
    pandas.DataFrame
        One row per ``land_area`` fact, sorted by district and id, with the columns of
        :func:`population`; ``kind`` is ``external`` (from an external table) or ``stated in the
        source``. value, low and high are in the fact's unit, which this table leaves out: see
        the ``unit`` column of ``cb.facts`` (square kilometres for every land area so far).

    Examples
    --------
    >>> import govcases
    >>> a = area(govcases.load_casebook())
    >>> set(a["kind"]) <= {"external", "stated in the source"}
    True
    """
    facts = cb.facts
    rows = facts[facts["indicator"] == "land_area"]
    if not include_disputed:
        rows = rows[rows["confidence"] != "disputed"]
    external = set(cb.sources.loc[cb.sources["kind"] == "external-table", "source_id"])
    kinds = ["external" if s in external else "stated in the source" for s in rows["source"]]
    out = rows.assign(kind=kinds)
    return out[_COLUMNS].sort_values(["district", "id"], ignore_index=True)
