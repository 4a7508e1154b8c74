"""What the casebook holds, district by district, and what each source leaves out.

The tables here describe the records, not the districts: a fact that is missing means that the
district's source does not state it, never that the district lacks it. Each district is described
by one narrative source (a news report, a district report, a journal article) plus a shared table of
external census and area figures, so the records differ in what they cover because the sources do.

Figures are built on :class:`matplotlib.figure.Figure` directly (not through pyplot), so that a
notebook shows each one once and a build can save them; call :func:`govcases.publish.style.use_style`
first for the project's look.
"""

from __future__ import annotations

import math

import pandas as pd

from govcases.records.casebook import Casebook
from govcases.records.criticism import load_source_criticism
from govcases.records.intervals import DAYS_PER_YEAR
from govcases.records.quantity import QUALIFIERS

__all__ = [
    "CONFIDENCE_LEVELS",
    "confidence_counts",
    "coverage_table",
    "flagged_facts",
    "period_intervals",
    "period_summary",
    "profile_table",
    "qualifier_counts",
    "source_criticism_table",
    "source_gaps",
]

#: Confidence flags in the order tables list them (casebook/README.md).
CONFIDENCE_LEVELS = ("stated", "inferred", "disputed")

_EXTERNAL = "external-table"


# ---------------------------------------------------------------------------------- sources
def _narrative_sources(cb: Casebook) -> pd.DataFrame:
    """One row per district: its first listed source (the narrative one) with kind and page date."""
    first = cb.profiles[["district", "sources"]].assign(source_id=lambda t: t["sources"].str.split("|").str[0])
    meta = cb.sources[["source_id", "kind", "publisher", "page_date"]]
    out = first.merge(meta, on="source_id", how="left")
    # the manifest leaves unknown fields empty; an empty page date is a missing one
    for col in ("publisher", "page_date"):
        out[col] = out[col].mask(out[col].fillna("").str.strip() == "")
    return out.set_index("district").reindex(cb.districts)


def _page_date_kind(publisher, page_date) -> str:
    # The manifest records a repost in its publisher field ("reposted by ..."); such a page date
    # says when a copy went online, which can be years after the text was written.
    if page_date is None or pd.isna(page_date) or not str(page_date):
        return "not recorded"
    if publisher is not None and not pd.isna(publisher) and "repost" in str(publisher).lower():
        return "repost date"
    return "page date"


def _external_ids(cb: Casebook) -> set[str]:
    return set(cb.sources.loc[cb.sources["kind"] == _EXTERNAL, "source_id"])


# ---------------------------------------------------------------------------------- profile
def profile_table(cb: Casebook, *, chinese: bool = False) -> pd.DataFrame:
    """The districts side by side: names, place, kind of area, source, model name and fact counts.

    Parameters
    ----------
    cb : Casebook
    chinese : bool
        Give city and province in Chinese instead of English.

    Returns
    -------
    pandas.DataFrame
        One row per district (sorted by slug):

        ==================  =====================================================================
        district            district slug
        name_en, name_zh    district name in English and Chinese
        city, province      city and province (English, or Chinese with ``chinese=True``)
        area_kind           urban_district, new_district, suburban_district or county
        source_id           the narrative source (first source listed in the profile)
        source_kind         its kind in the manifest (news-report, district-report, ...)
        page_date           the page date the manifest records for it (NA when none)
        page_date_kind      ``page date``, ``repost date`` (a copy's date, not when the text was
                            written) or ``not recorded``
        model_name          the named model of the district as written (``model_name`` facts,
                            joined by `` | ``); NA when the source names none
        model_fact          id of that fact (or facts)
        n_facts             facts in the record
        n_facts_source      of these, facts quoted from the narrative source
        n_facts_external    of these, facts from external tables (census, area)
        ==================  =====================================================================

    Examples
    --------
    >>> import govcases
    >>> from govcases.analysis.overview import profile_table
    >>> t = profile_table(govcases.load_casebook()).set_index("district")
    >>> counts = ("n_facts", "n_facts_source", "n_facts_external")
    >>> t.loc["zhenhai", "model_name"], [int(t.loc["zhenhai", c]) for c in counts]
    ('三成', [85, 81, 4])
    >>> t.loc["longhua", "page_date_kind"]
    'repost date'
    """
    prof = cb.profiles.set_index("district").reindex(cb.districts)
    src = _narrative_sources(cb)
    facts = cb.facts
    external = _external_ids(cb)
    models = facts[facts["indicator"] == "model_name"].sort_values("id")
    model_name = models.groupby("district")["value_text"].agg(" | ".join)
    model_fact = models.groupby("district")["id"].agg(" | ".join)
    n_all = facts.groupby("district").size()
    n_ext = facts[facts["source"].isin(external)].groupby("district").size()
    n_src = facts[facts["source"] == facts["district"].map(src["source_id"])].groupby("district").size()
    suffix = "zh" if chinese else "en"
    out = pd.DataFrame(
        {
            "district": cb.districts,
            "name_en": prof["name_en"].to_numpy(),
            "name_zh": prof["name_zh"].to_numpy(),
            "city": prof[f"city_{suffix}"].to_numpy(),
            "province": prof[f"province_{suffix}"].to_numpy(),
            "area_kind": prof["area_kind"].to_numpy(),
            "source_id": src["source_id"].to_numpy(),
            "source_kind": src["kind"].to_numpy(),
            "page_date": src["page_date"].to_numpy(),
            "page_date_kind": [_page_date_kind(p, d) for p, d in zip(src["publisher"], src["page_date"])],
        }
    )
    idx = pd.Index(cb.districts)
    out["model_name"] = pd.array(model_name.reindex(idx).to_numpy(), dtype="string")
    out["model_fact"] = pd.array(model_fact.reindex(idx).to_numpy(), dtype="string")
    for col, counts in (("n_facts", n_all), ("n_facts_source", n_src), ("n_facts_external", n_ext)):
        out[col] = counts.reindex(idx, fill_value=0).astype("Int64").to_numpy()
    for col in (
        "name_en",
        "name_zh",
        "city",
        "province",
        "area_kind",
        "source_id",
        "source_kind",
        "page_date",
        "page_date_kind",
    ):
        out[col] = out[col].astype("string")
    return out


# ---------------------------------------------------------------------------------- periods
def _years(days) -> float:
    return days / DAYS_PER_YEAR


def period_intervals(cb: Casebook) -> pd.DataFrame:
    """Distinct reference intervals of the facts, per district, with how many facts share each.

    Many facts of a record share one resolved interval (every 目前 figure of a report has the same
    one), so the distinct intervals are what a timeline can show.

    Parameters
    ----------
    cb : Casebook
        A validated casebook, from :func:`govcases.load_casebook`.

    Returns
    -------
    pandas.DataFrame
        One row per district and distinct (period_start, period_end), sorted by district, start, end:

        ============  =========================================================================
        district      district slug
        period_start  start of the resolved interval (Timestamp, inclusive)
        period_end    end of the resolved interval (Timestamp, inclusive)
        span_years    length in years: (end - start + 1 day) / 365.25
        n_facts       facts with this interval
        n_external    of these, facts from an external table (census, area)
        first_id      the first of these fact ids (alphabetical), to look one up
        ============  =========================================================================

    Examples
    --------
    >>> import govcases
    >>> from govcases.analysis.overview import period_intervals
    >>> t = period_intervals(govcases.load_casebook())
    >>> row = t[(t["district"] == "beilun") & (t["period_start"] == "2009-12-31")].iloc[0]
    >>> int(row["n_facts"]), str(row["period_end"].date())
    (5, '2015-12-31')
    """
    facts = cb.facts.assign(
        period_start=pd.to_datetime(cb.facts["period_start"]),
        period_end=pd.to_datetime(cb.facts["period_end"]),
        external=cb.facts["source"].isin(_external_ids(cb)),
    )
    keys = ["district", "period_start", "period_end"]
    out = (
        facts.sort_values("id")
        .groupby(keys, sort=True)
        .agg(n_facts=("id", "size"), n_external=("external", "sum"), first_id=("id", "first"))
        .reset_index()
    )
    out["span_years"] = _years((out["period_end"] - out["period_start"]).dt.days + 1)
    out["n_facts"] = out["n_facts"].astype("Int64")
    out["n_external"] = out["n_external"].astype("Int64")
    out["first_id"] = out["first_id"].astype("string")
    return out[["district", "period_start", "period_end", "span_years", "n_facts", "n_external", "first_id"]]


def period_summary(cb: Casebook) -> pd.DataFrame:
    """How precisely each record dates its facts, and how its source's page date relates to them.

    Parameters
    ----------
    cb : Casebook
        A validated casebook, from :func:`govcases.load_casebook`.

    Returns
    -------
    pandas.DataFrame
        One row per district:

        ========================  ==============================================================
        district                  district slug
        n_facts                   facts in the record
        n_point                   facts dated to a single day (start = end)
        span_years_min            shortest reference interval, in years
        span_years_median         median reference interval over the facts, in years
        span_years_max            longest reference interval, in years
        earliest_start            earliest period_start of any fact (ISO)
        latest_end                latest period_end of any fact (ISO)
        latest_end_source         latest period_end of the facts quoted from the narrative source
        page_date                 page date of the narrative source (ISO, NA when not recorded)
        page_date_kind            ``page date``, ``repost date`` or ``not recorded``
        page_after_facts_years    years from latest_end_source to the page date; large values
                                  mean a later copy, and that the page date is no fact date
        ========================  ==============================================================

    Examples
    --------
    >>> import govcases
    >>> from govcases.analysis.overview import period_summary
    >>> t = period_summary(govcases.load_casebook()).set_index("district")
    >>> t.loc["longhua", ["latest_end_source", "page_date"]].tolist()
    ['2015-12-31', '2021-02-10']
    """
    facts = cb.facts
    src = _narrative_sources(cb)
    span = _years((pd.to_datetime(facts["period_end"]) - pd.to_datetime(facts["period_start"])).dt.days + 1)
    facts = facts.assign(span=span.to_numpy(), point=(facts["period_start"] == facts["period_end"]).to_numpy())
    rows = []
    for d in cb.districts:
        f = facts[facts["district"] == d]
        own = f[f["source"] == src.loc[d, "source_id"]]
        latest_own = own["period_end"].max() if len(own) else None
        page = src.loc[d, "page_date"]
        page = None if page is None or pd.isna(page) or not str(page) else str(page)
        gap = (
            _years((pd.Timestamp(page) - pd.Timestamp(latest_own)).days)
            if page is not None and latest_own is not None
            else math.nan
        )
        rows.append(
            {
                "district": d,
                "n_facts": len(f),
                "n_point": int(f["point"].sum()),
                "span_years_min": float(f["span"].min()),
                "span_years_median": float(f["span"].median()),
                "span_years_max": float(f["span"].max()),
                "earliest_start": f["period_start"].min(),
                "latest_end": f["period_end"].max(),
                "latest_end_source": latest_own,
                "page_date": page,
                "page_date_kind": _page_date_kind(src.loc[d, "publisher"], page),
                "page_after_facts_years": gap,
            }
        )
    out = pd.DataFrame(rows)
    for col in ("district", "earliest_start", "latest_end", "latest_end_source", "page_date", "page_date_kind"):
        out[col] = out[col].astype("string")
    for col in ("n_facts", "n_point"):
        out[col] = out[col].astype("Int64")
    return out


# ---------------------------------------------------------------------------------- coverage
def coverage_table(cb: Casebook) -> pd.DataFrame:
    """Facts per indicator and district, for every indicator some record uses.

    Parameters
    ----------
    cb : Casebook
        A validated casebook, from :func:`govcases.load_casebook`.

    Returns
    -------
    pandas.DataFrame
        One row per indicator with at least one fact, sorted by category then indicator; columns
        ``indicator``, ``category``, ``label_en``, then one column per district (number of facts,
        0 where the district's source does not state it), then ``n_districts`` (districts whose
        record has at least one fact). A 0 is silence in a source, not absence in a district.

    Examples
    --------
    >>> import govcases
    >>> from govcases.analysis.overview import coverage_table
    >>> t = coverage_table(govcases.load_casebook()).set_index("indicator")
    >>> t.loc["orgs_registered", ["lvyuan", "minhang", "zhenhai"]].tolist()
    [1, 0, 1]
    """
    counts = cb.coverage()
    counts = counts[counts.sum(axis=1) > 0]
    book = cb.codebook.table().set_index("indicator")
    out = counts.reset_index()
    out.columns.name = None
    out.insert(1, "category", book.loc[out["indicator"], "category"].to_numpy())
    out.insert(2, "label_en", book.loc[out["indicator"], "label_en"].to_numpy())
    out["n_districts"] = (counts > 0).sum(axis=1).to_numpy()
    order = list(cb.codebook.model.categories)
    out["_cat"] = out["category"].map({c: i for i, c in enumerate(order)})
    out = out.sort_values(["_cat", "indicator"], ignore_index=True).drop(columns="_cat")
    for col in ("indicator", "category", "label_en"):
        out[col] = out[col].astype("string")
    return out


def source_gaps(cb: Casebook, *, min_reporting: int = 2) -> pd.DataFrame:
    """Indicators a district's record lacks although other districts' sources state them.

    Parameters
    ----------
    cb : Casebook
    min_reporting : int
        List an indicator for a district only when at least this many other districts report it.

    Returns
    -------
    pandas.DataFrame
        One row per district and missing indicator, sorted by district, category order, indicator:

        ==============  ================================================================
        district        district whose record has no fact for the indicator
        indicator       the indicator
        category        its codebook category
        label_en        its English label
        reported_by     how many other districts' records state it
        ==============  ================================================================

    Examples
    --------
    >>> import govcases
    >>> from govcases.analysis.overview import source_gaps
    >>> g = source_gaps(govcases.load_casebook())
    >>> g[g["district"] == "minhang"]["indicator"].head(3).tolist()
    ['orgs_community_level', 'orgs_of_named_type', 'orgs_private_non_enterprise']
    """
    table = coverage_table(cb)
    rows = []
    for d in cb.districts:
        absent = table[table[d] == 0]
        for _, r in absent.iterrows():
            if r["n_districts"] >= min_reporting:
                rows.append(
                    {
                        "district": d,
                        "indicator": r["indicator"],
                        "category": r["category"],
                        "label_en": r["label_en"],
                        "reported_by": int(r["n_districts"]),
                    }
                )
    out = pd.DataFrame(rows, columns=["district", "indicator", "category", "label_en", "reported_by"])
    for col in ("district", "indicator", "category", "label_en"):
        out[col] = out[col].astype("string")
    out["reported_by"] = out["reported_by"].astype("Int64")
    return out.reset_index(drop=True)


# ---------------------------------------------------------------------------------- confidence
def confidence_counts(cb: Casebook) -> pd.DataFrame:
    """Facts per district by confidence flag (stated, inferred, disputed).

    Parameters
    ----------
    cb : Casebook
        A validated casebook, from :func:`govcases.load_casebook`.

    Returns
    -------
    pandas.DataFrame
        Index ``district``; columns ``stated``, ``inferred``, ``disputed`` (fact counts),
        ``n_facts`` and ``share_not_stated`` (inferred plus disputed over all, 0 to 1).

    Examples
    --------
    >>> import govcases
    >>> from govcases.analysis.overview import confidence_counts
    >>> confidence_counts(govcases.load_casebook()).loc["zhenhai", ["inferred", "disputed"]].tolist()
    [2, 2]
    """
    table = pd.crosstab(cb.facts["district"], cb.facts["confidence"])
    table = table.reindex(index=cb.districts, columns=list(CONFIDENCE_LEVELS), fill_value=0)
    table.columns.name = None
    table["n_facts"] = table.sum(axis=1)
    table["share_not_stated"] = (table["inferred"] + table["disputed"]) / table["n_facts"]
    return table


def flagged_facts(cb: Casebook) -> pd.DataFrame:
    """Every fact flagged inferred or disputed, with the note that says why.

    Parameters
    ----------
    cb : Casebook
        A validated casebook, from :func:`govcases.load_casebook`.

    Returns
    -------
    pandas.DataFrame
        Columns district, id, indicator, confidence, value_text, source, note; sorted by district,
        confidence (disputed first) and id.

    Examples
    --------
    >>> import govcases
    >>> from govcases.analysis.overview import flagged_facts
    >>> flagged_facts(govcases.load_casebook()).iloc[0]["id"]
    'beilun-lottery-fund-grants'
    """
    f = cb.facts[cb.facts["confidence"] != "stated"]
    f = f.assign(_order=f["confidence"].map({"disputed": 0, "inferred": 1}))
    f = f.sort_values(["district", "_order", "id"], ignore_index=True)
    return f[["district", "id", "indicator", "confidence", "value_text", "source", "note"]]


# ---------------------------------------------------------------------------------- qualifiers
def qualifier_counts(cb: Casebook) -> pd.DataFrame:
    """Quantity facts per qualifier and district: how many figures are exact and how many are intervals.

    Rows follow the order of :data:`govcases.records.quantity.QUALIFIERS`; columns are the districts.

    Parameters
    ----------
    cb : Casebook
        A validated casebook, from :func:`govcases.load_casebook`.

    Returns
    -------
    pandas.DataFrame
        Index ``qualifier`` (every qualifier, also those no fact uses); one int column per district
        of ``cb.districts`` (columns named ``district``): the number of the district's quantity
        facts with that qualifier (facts).

    Examples
    --------
    >>> import govcases
    >>> from govcases.analysis.overview import qualifier_counts
    >>> qualifier_counts(govcases.load_casebook()).loc["nearly", ["longhua", "zhenhai"]].tolist()
    [2, 4]
    """
    q = cb.facts[cb.facts["qualifier"].notna() & (cb.facts["value_type"] == "quantity")]
    table = pd.crosstab(q["qualifier"], q["district"])
    table = table.reindex(index=list(QUALIFIERS), columns=cb.districts, fill_value=0)
    table.index.name, table.columns.name = "qualifier", "district"
    return table


# ---------------------------------------------------------------------------------- source criticism
def source_criticism_table(cb: Casebook) -> pd.DataFrame:
    """How far to trust each narrative source, for readers: one row per district's source.

    The data are :func:`govcases.load_source_criticism`'s; this table names districts in English
    and writes the genre, the way we hold the text and the incentive in words.

    Parameters
    ----------
    cb : Casebook
        A validated casebook, from :func:`govcases.load_casebook`.

    Returns
    -------
    pandas.DataFrame
        Index: the district's English name. Columns: ``Genre``, ``Held as``, ``Author``,
        ``Incentive to present success``, ``Why``, ``What it cannot tell us``; a source without an
        entry says "not assessed".

    Examples
    --------
    >>> import govcases
    >>> t = source_criticism_table(govcases.load_casebook())
    >>> t.loc["Minhang District", "Genre"]
    'journal article outsider'
    """
    t = load_source_criticism(cb)
    names = cb.profiles.set_index("district")["name_en"]

    def words(value) -> str:
        return "not assessed" if pd.isna(value) else str(value).replace("_", " ")

    out = pd.DataFrame(
        {
            "Genre": [words(v) for v in t["genre"]],
            "Held as": [words(v) for v in t["carrier"]],
            "Author": [words(v) if pd.isna(v) else str(v) for v in t["author"]],
            "Incentive to present success": [words(v) for v in t["incentive"]],
            "Why": [words(v) if pd.isna(v) else str(v) for v in t["incentive_reason"]],
            "What it cannot tell us": [words(v) if pd.isna(v) else str(v) for v in t["cannot_tell"]],
        },
        index=pd.Index([names.get(d, d) for d in t["district"]], name="district"),
    )
    return out.sort_index()
