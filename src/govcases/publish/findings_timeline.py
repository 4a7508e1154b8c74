"""The comparative conclusion of the registration notebook's policy timeline, written from its tables.

Every count, name and date in the sentences comes from
:func:`govcases.analysis.registration.policy_timeline` and
:func:`~govcases.analysis.registration.policy_context` of the casebook given.
"""

from __future__ import annotations

import pandas as pd

from govcases.analysis.registration import policy_context, policy_timeline
from govcases.publish.prose import count_words, names, share
from govcases.records.casebook import Casebook

__all__ = ["placed_against", "timeline_conclusion"]


def placed_against(cb: Casebook, date: str) -> pd.DataFrame:
    """Each district's "began" marks placed before, after or across a date (the 2013 plan, say).

    Parameters
    ----------
    cb : Casebook
        A validated casebook, from :func:`govcases.load_casebook`.
    date : str
        ISO date to place the marks against.

    Returns
    -------
    pandas.DataFrame
        One row per district: ``before`` (began marks whose window ends before ``date``), ``after``
        (windows that start after it), ``cannot tell`` (windows that contain it), ``in place by``
        (marks that say only when something existed). Every mark of :func:`policy_timeline` is in one column.

    Examples
    --------
    >>> import govcases
    >>> t = placed_against(govcases.load_casebook().select(["beilun"]), "2013-03-14")
    >>> int(t.loc["beilun", "before"])
    1
    """
    t = policy_timeline(cb)
    rows = []
    for d in cb.districts:
        m = t[t["district"] == d]
        began = m[m["mark"] == "began"]
        rows.append(
            {
                "district": d,
                "before": int((began["period_end"] < date).sum()),
                "after": int((began["period_start"] > date).sum()),
                "cannot tell": int(((began["period_start"] <= date) & (began["period_end"] >= date)).sum()),
                "in place by": int((m["mark"] == "in place by").sum()),
            }
        )
    return pd.DataFrame(rows).set_index("district")


def timeline_conclusion(cb: Casebook, *, plan_date: str) -> str:
    """What differs, what is shared and what the evidence cannot settle about timing, as Markdown.

    Parameters
    ----------
    cb : Casebook
        A validated casebook, from :func:`govcases.load_casebook`.
    plan_date : str
        ISO date of the national plan the districts are placed against (read it from
        :func:`govcases.analysis.registration.national_reforms`, not typed).

    Returns
    -------
    str
        Three paragraphs of Markdown.

    Examples
    --------
    >>> import govcases
    >>> text = timeline_conclusion(govcases.load_casebook().select(["beilun"]), plan_date="2013-03-14")
    >>> "Beilun District" in text
    True
    """
    n = len(cb.districts)
    t = policy_timeline(cb)
    placed = placed_against(cb, plan_date)
    ctx = policy_context(cb)
    year = plan_date[:4]
    earlier = [d for d in cb.districts if placed.at[d, "before"] > 0]
    later = [d for d in cb.districts if placed.at[d, "after"] > 0]
    across = [d for d in cb.districts if placed.at[d, "cannot tell"] > 0]
    undated = [d for d in cb.districts if placed.loc[d, ["before", "after", "cannot tell"]].sum() == 0]
    parts = []
    if earlier:
        parts.append(f"{names(cb, earlier)} dated a start before the national plan of {year}")
    if later:
        parts.append(f"{names(cb, later)} after it")
    if across:
        parts.append(f"{names(cb, across)} in a window that contains it, so before or after cannot be told")
    differs = "**What differs.** " + ("; ".join(parts) + "." if parts else "No source dates the start of anything.")
    if undated:
        verb, its = ("dates", "its") if len(undated) == 1 else ("date", "their")
        differs += (
            f" {names(cb, undated)} {verb} no start at all: each of {its} marks says only what was in place by then."
        )
    local = ctx.dropna(subset=["district"])
    with_context = [d for d in cb.districts if (local["district"] == d).any()]
    before_plan = [d for d in with_context if (local[local["district"] == d]["period_end"] < plan_date).any()]
    if with_context:
        differs += (
            f" Around them, the provinces and cities differ too: of the districts with a cited provincial or city "
            f"reform, {names(cb, before_plan) if before_plan else 'none'} "
            f"{'has' if len(before_plan) == 1 else 'have'} one that took effect or was announced before the plan."
        )
    domains = t.groupby("domain")["district"].nunique().sort_values(ascending=False)
    common = [dom for dom, k in domains.items() if k == n]
    shared = "**What is shared.** " + (
        f"Every district has marks in {', '.join(common)}"
        if common
        else f"No domain has marks in every district; the most widely reported is {domains.index[0]} "
        f"({share(int(domains.iloc[0]), n, 'districts')})"
        if len(domains)
        else "Nothing"
    )
    in_place = int((t["mark"] == "in place by").sum())
    shared += (
        f", and most marks ({in_place} of {len(t)}) say only what was in place by the source's date, not when it began."
    )
    missing = [d for d in cb.districts if d not in with_context]
    cannot = (
        "**What the evidence cannot settle.** Whether the districts led or followed: an in-place-by mark may have "
        "begun long before its date, a began window often spans the plan itself, and the sources are each "
        f"district's own account ({count_words(n)} documents, one per district)."
    )
    if missing:
        cannot += (
            f" For {names(cb, missing)} no provincial or city reform was found on the pages read; "
            "that is silence of our search, not evidence that none took place."
        )
    return "\n\n".join([differs, shared, cannot])
