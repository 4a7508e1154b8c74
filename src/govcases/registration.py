"""Registration reforms: what the districts changed, when, and what they report it did.

Three kinds of evidence sit in the casebook's registration and incubation facts: reforms with a
date (a filing system, a dual track of registration and filing, direct registration, easier
procedures), counts before and after a procedure change (documents, trips, days), and reported
effects (registrations since a reform and their year-on-year change; organizations an incubator
took in and how many of them went on to register). The national move of 2013 to direct
registration is not a district fact; it comes from ``data/external/national_policy.csv`` and is
read by :func:`national_reforms`.
"""

from __future__ import annotations

import itertools
import math
import re
import textwrap

import numpy as np
import pandas as pd

from .casebook import Casebook
from .intervals import Interval
from .paths import DATA

__all__ = [
    "NATIONAL_POLICY",
    "REFORM_KINDS",
    "compare_conversion",
    "conversion_rates",
    "fig_conversion_rates",
    "fig_procedure_changes",
    "fig_reform_timeline",
    "implied_base",
    "national_reforms",
    "procedure_changes",
    "reform_timeline",
    "reported_effects",
]

#: The external table of national policy facts (see data/external/README.md).
NATIONAL_POLICY = DATA / "external" / "national_policy.csv"

#: Indicators that record a reform, and the short name each gets in tables and figures.
REFORM_KINDS = {
    "filing_system": "filing system",
    "dual_track_registration": "dual track",
    "direct_registration": "direct registration",
    "registration_procedure_change": "procedure change",
    "registration_procedure_after": "procedure change",
}

_INCUBATOR_STAGES = ("incubated", "registered")


def national_reforms(path=None) -> pd.DataFrame:
    """The national policy facts of ``data/external/national_policy.csv``, with their citations.

    Parameters
    ----------
    path : path-like, optional
        Another copy of the table; default :data:`NATIONAL_POLICY`.

    Returns
    -------
    pandas.DataFrame
        One row per fact, in file order.

        ============ ==================================================================
        column       meaning
        ============ ==================================================================
        what         a short id of the fact (state_council_plan_approved, ...)
        value        the value as text (a date, or a number)
        unit         'date', or what the number counts
        year         the year it refers to
        date         the value as a Timestamp where unit is 'date', else NaT
        source_title title of the page read, or why it is not known
        source_url   address of the page read
        note         the Chinese text of the page, quoted, and caveats
        ============ ==================================================================

    Examples
    --------
    >>> nat = national_reforms()
    >>> nat.set_index("what").loc["state_council_plan_approved", "value"]
    '2013-03-14'
    """
    table = pd.read_csv(path or NATIONAL_POLICY, dtype=str, keep_default_na=False, encoding="utf-8")
    table["year"] = table["year"].astype(int)
    table["date"] = pd.to_datetime(table["value"].where(table["unit"] == "date"), errors="raise")
    cols = ["what", "value", "unit", "year", "date", "source_title", "source_url", "note"]
    return table[cols]


# ---------------------------------------------------------------------------- timeline
def reform_timeline(cb: Casebook) -> pd.DataFrame:
    """Every reform fact with its resolved period, sorted by district and start.

    Returns
    -------
    pandas.DataFrame
        ============= ====================================================================
        column        meaning
        ============= ====================================================================
        district      district slug
        id            fact id
        indicator     one of the keys of :data:`REFORM_KINDS`
        kind          filing system, dual track, direct registration, procedure change
        subject       what the reform concerns (our words)
        value_text    as written (true, abolished, 15项, ...)
        period_text   the date as the text gives it
        period_start  start of the resolved period (ISO date)
        period_end    end of the resolved period
        start_stated  False where the text gives no date ('not stated'): the period is then
                      when the reform is reported in force, and it may have begun earlier
        categories    for direct registration, the eligible categories the source lists
        confidence    stated, inferred or disputed
        ============= ====================================================================

    Examples
    --------
    >>> import govcases
    >>> t = reform_timeline(govcases.load_casebook())
    >>> t.loc[t["id"] == "beilun-filing-system", ["kind", "period_start"]].values.tolist()
    [['filing system', '2006-01-01']]
    """
    facts = cb.facts
    rows = facts[facts["indicator"].isin(REFORM_KINDS)].copy()
    cats = facts[facts["indicator"] == "direct_registration_category"]
    by_district = cats.groupby("district")["value_text"].apply(lambda s: ", ".join(sorted(s)))
    rows["kind"] = rows["indicator"].map(REFORM_KINDS)
    rows["start_stated"] = rows["period_text"] != "not stated"
    rows["categories"] = [by_district.get(d, "") if i == "direct_registration" else ""
                          for d, i in zip(rows["district"], rows["indicator"])]
    cols = ["district", "id", "indicator", "kind", "subject", "value_text", "period_text", "period_start",
            "period_end", "start_stated", "categories", "confidence"]
    return rows[cols].sort_values(["district", "period_start", "kind", "id"], ignore_index=True)


_KIND_ORDER = ["filing system", "dual track", "direct registration", "procedure change"]


def fig_reform_timeline(cb: Casebook, national: pd.DataFrame | None = None, *, chinese: bool = False):
    """Reforms across the districts on one time axis, against the national move of 2013.

    One band per district (from ``cb.districts``; a district without reform facts keeps an empty
    band), one lane per kind of reform. A bar covers the period in which the reform began; where
    the text gives no date (``start_stated`` False) the bar is hatched and covers only when it is
    reported in force. Reforms of one kind and period are drawn once with their number. Vertical
    lines mark the dated national facts of :func:`national_reforms`.

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib.dates as mdates
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    from .style import PALETTE, label

    national = national_reforms() if national is None else national
    t = reform_timeline(cb)
    colors = {k: PALETTE[i] for i, k in enumerate(_KIND_ORDER)}
    lane = {k: i for i, k in enumerate(_KIND_ORDER)}
    band = len(_KIND_ORDER) + 1
    districts = cb.districts
    fig = Figure(figsize=(10.0, 0.2 * band * len(districts) + 2.2), layout="constrained")
    ax = fig.subplots()
    groups = t.groupby(["district", "kind", "period_start", "period_end", "start_stated"], sort=True)
    for (district, kind, start, end, stated), g in groups:
        y = districts.index(district) * band + lane[kind]
        x0 = mdates.date2num(pd.Timestamp(start))
        width = max(mdates.date2num(pd.Timestamp(end) + pd.Timedelta(days=1)) - x0, 20)  # keep a month visible
        ax.broken_barh([(x0, width)], (y - 0.4, 0.8), facecolor=colors[kind], alpha=0.8 if stated else 0.35,
                       hatch=None if stated else "///", edgecolor=colors[kind])
        if len(g) > 1:
            ax.text(x0 + width + 20, y, f"x{len(g)}", va="center", fontsize=8)
    x_text = mdates.date2num(pd.Timestamp(t["period_start"].min()) if len(t) else pd.Timestamp("2013-01-01"))
    for i, d in enumerate(districts):
        if d not in set(t["district"]):
            ax.text(x_text, i * band + (len(_KIND_ORDER) - 1) / 2, "no registration reform reported in the source",
                    va="center", fontsize=8.5, color="0.4", style="italic")
    handles = [Patch(facecolor=colors[k], label=k) for k in _KIND_ORDER]
    handles.append(Patch(facecolor="white", edgecolor="0.4", hatch="///", label="date not stated: in force by then"))
    for _, n in national[national["unit"] == "date"].sort_values("date").iterrows():
        style = "-" if n["what"] == "state_council_plan_approved" else "--"
        ax.axvline(mdates.date2num(n["date"]), color="0.2", ls=style, lw=1.1)
        handles.append(Line2D([], [], color="0.2", ls=style, label=f"national: {n['what'].replace('_', ' ')}, {n['value']}"))
    ax.set_yticks([i * band + (len(_KIND_ORDER) - 1) / 2 for i in range(len(districts))],
                  [label(cb.profiles, d, chinese=chinese) for d in districts])
    for i in range(1, len(districts)):
        ax.axhline(i * band - 1, color="0.85", lw=0.8)
    ax.set_ylim(len(districts) * band - 1, -1)
    ax.grid(axis="y", visible=False)
    ax.xaxis_date()
    ax.xaxis.set_major_locator(mdates.YearLocator(1))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    ax.set_title("Registration reforms by district, against the national plan of 2013")
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.08), ncol=3, frameon=False, fontsize=8.5)
    return fig


# ---------------------------------------------------------------------------- procedures
def procedure_changes(cb: Casebook) -> pd.DataFrame:
    """Requirements before and after a reform, paired by district and subject.

    Returns
    -------
    pandas.DataFrame
        ============== ===============================================================
        column         meaning
        ============== ===============================================================
        district       district slug
        subject        what is counted (documents, trips, days)
        unit           items, trips or days
        before_text    as written before (22项)
        after_text     as written after (15项)
        before         the figure before
        after          the figure after
        after_share    after / before (interval low end; exact figures here)
        after_share_high  high end
        change_percent (after - before) / before x 100
        before_id      fact id
        after_id       fact id
        ============== ===============================================================

    Examples
    --------
    >>> import govcases
    >>> p = procedure_changes(govcases.load_casebook())
    >>> p[["before", "after"]].values.tolist()
    [[22.0, 15.0], [60.0, 10.0], [7.0, 3.0]]
    """
    facts = cb.facts
    before = facts[facts["indicator"] == "registration_procedure_before"]
    after = facts[facts["indicator"] == "registration_procedure_after"]
    pairs = before.merge(after, on=["district", "subject"], suffixes=("_b", "_a"))
    rows = []
    for _, p in pairs.sort_values(["district", "subject"]).iterrows():
        b = Interval(float(p["low_b"]), float(p["high_b"]), float(p["value_b"]))
        a = Interval(float(p["low_a"]), float(p["high_a"]), float(p["value_a"]))
        share = a / b
        rows.append({
            "district": p["district"], "subject": p["subject"], "unit": p["unit_a"],
            "before_text": p["value_text_b"], "after_text": p["value_text_a"], "before": b.point, "after": a.point,
            "after_share": share.low, "after_share_high": share.high,
            "change_percent": 100.0 * (share.point - 1.0), "before_id": p["id_b"], "after_id": p["id_a"],
        })
    return pd.DataFrame(rows, columns=[
        "district", "subject", "unit", "before_text", "after_text", "before", "after", "after_share",
        "after_share_high", "change_percent", "before_id", "after_id",
    ])


def fig_procedure_changes(cb: Casebook):
    """What is left of each registration requirement after the reform, as a share of before.

    One bar per requirement (documents, trips, approval days), labelled with the figures as the
    source gives them and their fact ids.

    Returns
    -------
    matplotlib.figure.Figure
    """
    from matplotlib.figure import Figure

    from .style import district_colors

    p = procedure_changes(cb)
    colors = district_colors(cb.districts)
    fig = Figure(figsize=(8.5, 0.7 * max(len(p), 3) + 1.2), layout="constrained")
    ax = fig.subplots()
    for y, (_, r) in enumerate(p.iterrows()):
        ax.barh(y, 100 * r["after_share"], color=colors[r["district"]], alpha=0.8)
        ax.text(100 * r["after_share"] + 1.5, y, f"{r['before']:g} → {r['after']:g} {r['unit']} ({r['change_percent']:+.0f}%)",
                va="center", fontsize=8.5)
    ax.set_yticks(range(len(p)), [textwrap.fill(f"{r['district']}: {r['subject']}", 34) for _, r in p.iterrows()],
                  fontsize=8.5)
    ax.invert_yaxis()
    ax.set_xlim(0, 130)
    ax.axvline(100, color="0.4", lw=1, ls=":")
    ax.set_xlabel("after the reform, percent of the requirement before")
    ax.set_title("Registration requirements after the reform")
    return fig


# ---------------------------------------------------------------------------- reported effects
def implied_base(count: float, percent_text: str, percent: float) -> dict:
    """What a count and its year-on-year growth imply about last year's count.

    A printed whole percentage stands for the values that round to it (152% is [151.5, 152.5]),
    so last year's count lies in ``count / (1 + [151.5, 152.5] / 100)``. If no whole number lies
    there, the two figures cannot both be exact counts and an exact change between them.

    Returns
    -------
    dict
        ``base_low``, ``base_high``, ``whole_bases`` (text, '' when none), ``fits`` and
        ``nearest`` (the whole bases either side, with the percentage each would give).

    Examples
    --------
    >>> r = implied_base(16, "152%", 152)
    >>> round(r["base_low"], 3), round(r["base_high"], 3), r["fits"]
    (6.337, 6.362, False)
    >>> r["nearest"]
    '6 -> +166.7%, 7 -> +128.6%'
    """
    digits = re.findall(r"\d+(?:\.(\d+))?", percent_text)
    decimals = len(digits[0]) if digits and digits[0] else 0
    half = 0.5 * 10.0 ** (-decimals)
    low, high = count / (1 + (percent + half) / 100), count / (1 + (percent - half) / 100)
    whole = list(range(math.ceil(low - 1e-9), math.floor(high + 1e-9) + 1))
    point = count / (1 + percent / 100)
    near = sorted({math.floor(point), math.ceil(point)} - {0})
    nearest = ", ".join(f"{b} -> {100 * (count / b - 1):+.1f}%" for b in near)
    return {"base_low": low, "base_high": high, "whole_bases": ", ".join(map(str, whole)),
            "fits": bool(whole), "nearest": nearest}


def _plain(subject) -> str:
    """A subject without its parenthesized Chinese gloss, for matching counts with their rates."""
    return re.sub(r"\s+", " ", re.sub(r"\([^)]*\)", "", str(subject or ""))).strip()


def reported_effects(cb: Casebook) -> pd.DataFrame:
    """Registrations and name pre-approvals the sources report, with their year-on-year change.

    A count (``registrations_count``) is matched with a growth_rate_yoy fact of the same district
    and period whose subject is the count's subject without its Chinese gloss. For each match
    the base a year earlier is worked out by :func:`implied_base`.

    Returns
    -------
    pandas.DataFrame
        ============== ==============================================================
        column         meaning
        ============== ==============================================================
        district       district slug
        count_id       the count
        subject        what was counted
        count_text     as written (16家)
        count          the figure
        period_start   start of the period counted
        period_end     end of the period counted
        yoy_id         the matching year-on-year change (NA if none)
        yoy_text       as written (152%)
        base_low/high  last year's count implied by count and change (derived)
        whole_bases    whole numbers in that interval ('' when none)
        fits           whether any whole base fits
        nearest        nearest whole bases and the change each would give
        ============== ==============================================================

    Examples
    --------
    >>> import govcases
    >>> e = reported_effects(govcases.load_casebook())
    >>> e.loc[e["yoy_text"].notna(), ["count_text", "yoy_text", "fits"]].values.tolist()
    [['48家', '363%', False], ['16家', '152%', False]]
    """
    facts = cb.facts
    counts = facts[facts["indicator"] == "registrations_count"]
    yoy = facts[facts["indicator"] == "growth_rate_yoy"]
    rows = []
    for _, c in counts.sort_values(["district", "id"]).iterrows():
        match = yoy[(yoy["district"] == c["district"]) & (yoy["period_start"] == c["period_start"])
                    & (yoy["period_end"] == c["period_end"]) & (yoy["subject"].map(_plain) == _plain(c["subject"]))]
        row = {"district": c["district"], "count_id": c["id"], "subject": c["subject"], "count_text": c["value_text"],
               "count": float(c["value"]), "period_start": c["period_start"], "period_end": c["period_end"],
               "yoy_id": pd.NA, "yoy_text": pd.NA, "base_low": np.nan, "base_high": np.nan,
               "whole_bases": pd.NA, "fits": pd.NA, "nearest": pd.NA}
        if len(match) == 1:
            y = match.iloc[0]
            row.update({"yoy_id": y["id"], "yoy_text": y["value_text"],
                        **implied_base(float(c["value"]), str(y["value_text"]), float(y["value"]))})
        rows.append(row)
    return pd.DataFrame(rows, columns=[
        "district", "count_id", "subject", "count_text", "count", "period_start", "period_end", "yoy_id",
        "yoy_text", "base_low", "base_high", "whole_bases", "fits", "nearest",
    ])


# ---------------------------------------------------------------------------- incubation
def conversion_rates(cb: Casebook, *, alpha: float = 0.05) -> pd.DataFrame:
    """Share of incubated organizations that registered, per incubator tier, with Wilson intervals.

    ``incubator_count`` facts whose subject starts with ``incubated:`` and ``registered:`` are
    paired by district and the tier named after the colon. The interval is statsmodels'
    ``proportion_confint(method='wilson')``; it treats the count as a sample, which these
    cumulative counts are not (see the notebook), so read it as a yardstick of how much a share
    of this size moves with a few organizations more or less.

    Returns
    -------
    pandas.DataFrame
        ============== ==============================================================
        column         meaning
        ============== ==============================================================
        district       district slug
        tier           the incubator tier, as the subject names it
        incubated      organizations incubated (cumulative)
        registered     of them, registered
        rate           registered / incubated
        ci_low         Wilson interval, low end (level 1 - alpha)
        ci_high        high end
        incubated_id   fact id
        registered_id  fact id
        period_start   earliest start of the two facts' periods
        period_end     latest end
        ============== ==============================================================

    Examples
    --------
    >>> import govcases
    >>> r = conversion_rates(govcases.load_casebook())
    >>> r[["incubated", "registered"]].values.tolist()
    [[200, 88], [104, 36]]
    """
    from statsmodels.stats.proportion import proportion_confint

    facts = cb.facts
    inc = facts[facts["indicator"] == "incubator_count"].copy()
    split = inc["subject"].str.split(":", n=1)
    inc["stage"] = split.str[0].str.strip()
    inc["tier"] = split.str[1].str.strip()
    rows = []
    for (district, tier), g in inc.groupby(["district", "tier"], sort=True):
        stages = g.set_index("stage")
        if not all(s in stages.index for s in _INCUBATOR_STAGES):
            continue
        n_row, k_row = stages.loc["incubated"], stages.loc["registered"]
        for r in (n_row, k_row):
            if r["low"] != r["high"]:
                # A share of an approximate count (30余) is not a binomial count; refuse it openly.
                raise ValueError(f"{r['id']}: count {r['value_text']} is approximate; no conversion rate computed")
        n, k = int(n_row["value"]), int(k_row["value"])
        lo, hi = proportion_confint(k, n, alpha=alpha, method="wilson")
        rows.append({
            "district": district, "tier": tier, "incubated": n, "registered": k, "rate": k / n,
            "ci_low": float(lo), "ci_high": float(hi), "incubated_id": n_row["id"], "registered_id": k_row["id"],
            "period_start": min(n_row["period_start"], k_row["period_start"]),
            "period_end": max(n_row["period_end"], k_row["period_end"]),
        })
    out = pd.DataFrame(rows, columns=[
        "district", "tier", "incubated", "registered", "rate", "ci_low", "ci_high", "incubated_id",
        "registered_id", "period_start", "period_end",
    ])
    return out.sort_values(["district", "rate"], ascending=[True, False], ignore_index=True) if len(out) else out


def compare_conversion(cb: Casebook) -> pd.DataFrame:
    """Two-proportion z-tests between every pair of conversion rates.

    Uses statsmodels ``proportions_ztest`` (pooled variance, two-sided). With cumulative counts
    from one article this is a description of how far apart two shares are in units of binomial
    noise, not evidence about incubators in general.

    Returns
    -------
    pandas.DataFrame
        Columns: district_a, tier_a, rate_a, district_b, tier_b, rate_b, difference (a - b),
        z, p_value. Empty when fewer than two rates exist.

    Examples
    --------
    >>> import govcases
    >>> c = compare_conversion(govcases.load_casebook())
    >>> round(float(c["z"].iloc[0]), 3), round(float(c["p_value"].iloc[0]), 3)
    (1.58, 0.114)
    """
    from statsmodels.stats.proportion import proportions_ztest

    rates = conversion_rates(cb)
    rows = []
    for (_, a), (_, b) in itertools.combinations(rates.iterrows(), 2):
        z, p = proportions_ztest(np.array([a["registered"], b["registered"]]), np.array([a["incubated"], b["incubated"]]))
        rows.append({"district_a": a["district"], "tier_a": a["tier"], "rate_a": a["rate"],
                     "district_b": b["district"], "tier_b": b["tier"], "rate_b": b["rate"],
                     "difference": a["rate"] - b["rate"], "z": float(z), "p_value": float(p)})
    return pd.DataFrame(rows, columns=["district_a", "tier_a", "rate_a", "district_b", "tier_b", "rate_b",
                                       "difference", "z", "p_value"])


def fig_conversion_rates(cb: Casebook):
    """Conversion rates from incubation to registration with their Wilson 95% intervals.

    Returns
    -------
    matplotlib.figure.Figure
    """
    from matplotlib.figure import Figure

    from .style import district_colors

    r = conversion_rates(cb)
    colors = district_colors(cb.districts)
    fig = Figure(figsize=(8.5, 0.8 * max(len(r), 2) + 1.4), layout="constrained")
    ax = fig.subplots()
    for y, (_, row) in enumerate(r.iterrows()):
        c = colors[row["district"]]
        ax.errorbar([100 * row["rate"]], [y], xerr=[[100 * (row["rate"] - row["ci_low"])], [100 * (row["ci_high"] - row["rate"])]],
                    fmt="o", color=c, capsize=4)
        ax.text(100 * row["ci_high"] + 1.5, y, f"{row['registered']}/{row['incubated']}", va="center", fontsize=9)
    ax.set_yticks(range(len(r)), [textwrap.fill(f"{row['district']}: {row['tier']}", 34) for _, row in r.iterrows()],
                  fontsize=8.5)
    ax.set_ylim(len(r) - 0.5, -0.5)
    ax.set_xlim(0, 100)
    ax.set_xlabel("registered, percent of incubated\n(bar: Wilson 95% interval; the counts are not a sample)")
    ax.set_title("From incubation to registration")
    return fig
