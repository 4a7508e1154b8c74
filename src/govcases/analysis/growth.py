"""Growth and density: the rates the sources state, and the ones their counts imply.

The sources state a few growth rates outright (Beilun's 年均增长30%, Zhenhai's 10%以上增速) and
give a few counts at two points in time (Longhua's 244 at its founding and 近430 about three
years later). This module puts the stated figures in one table and derives what the counts
imply: compound annual growth, doubling times, densities per 10,000 residents against every
population the casebook holds, and the population a stated density implies.

Every derived figure is an :class:`~govcases.records.intervals.Interval`. It carries the qualifier of each
count (近430 is [387, 430]) and the vagueness of each date: the time between two counts runs from
the latest start to the earliest end of their periods at the least, and from the earliest start
to the latest end at the most. Figures printed with decimals (a density of 6.35, a ratio of
1∶4.38) are read as the interval of values that round to them.
"""

from __future__ import annotations

import itertools
import math
import re

import numpy as np
import pandas as pd

from govcases.analysis.denominators import population
from govcases.records.casebook import Casebook
from govcases.records.intervals import (
    DAYS_PER_YEAR,
    NO_RATIO,
    Interval,
    format_interval,
    interval_of,
    monotone,
    period_gap,
    ratio,
)

__all__ = [
    "COUNT_INDICATORS",
    "DAYS_PER_YEAR",
    "GROWTH_INDICATORS",
    "cagr",
    "count_pairs",
    "densities",
    "derived_growth",
    "doubling_time",
    "elapsed_years",
    "growth_scale",
    "implied_populations",
    "multiple_readings",
    "printed_interval",
    "ratio_arithmetic",
    "stated_growth",
    "trajectory_points",
]

#: Length of a year in days when a span of dates is turned into years.

#: Indicators that count organizations in the whole district, each in its own scope. Densities
#: and trajectories use these; counts of one named type (industry associations) are left out.
COUNT_INDICATORS = ("orgs_registered", "orgs_registered_and_filed", "orgs_total_scope_unstated", "orgs_community_level")

#: Indicators of the codebook's growth category whose values are rates, multiples or ratios.
GROWTH_INDICATORS = (
    "growth_rate_annual_avg",
    "growth_rate_yoy",
    "growth_multiple",
    "ratio_district_wide_to_community_groups",
)

_RATIO_INDICATOR = "ratio_district_wide_to_community_groups"
_DENSITY_INDICATOR = "orgs_per_10k_residents"

_FACT_ID = re.compile(r"\b[a-z]+(?:-[a-z0-9]+)+\b")
_HAN = re.compile(r"[\u4e00-\u9fff]+")


# ---------------------------------------------------------------------------- small pieces
def elapsed_years(earlier: tuple[str, str], later: tuple[str, str]) -> Interval:
    """Years between two reference periods, as an interval.

    Parameters
    ----------
    earlier, later : (str, str)
        ``(period_start, period_end)`` of the two facts, ISO dates.

    Returns
    -------
    Interval
        ``low``: from the end of the earlier period to the start of the later one; ``high``: from
        the start of the earlier period to the end of the later one; ``point``: between the
        midpoints. Whole days divided by :data:`DAYS_PER_YEAR`.

    Examples
    --------
    >>> elapsed_years(("2011-12-30", "2012-12-31"), ("2014-09-26", "2014-12-31")).format()
    '2.37 [1.74, 3]'
    """
    gap = period_gap(earlier, later)
    if gap.low <= 0:
        raise ValueError(f"periods {earlier} and {later} overlap or touch; no elapsed time to divide by")
    return gap


def cagr(start: Interval, end: Interval, years: Interval) -> Interval:
    """Compound annual growth rate in percent, ``100 * ((end / start) ** (1 / years) - 1)``.

    The rate rises with ``end`` and falls with ``start``; with ``years`` it falls when the count
    grew and rises when it shrank. Evaluating it at every corner of the three intervals therefore
    gives its exact range even when the ratio could lie on either side of 1.

    Parameters
    ----------
    start, end : Interval
        The count at the start and at the end of the span.
    years : Interval
        Years between the two counts, e.g. from :func:`elapsed_years`.

    Returns
    -------
    Interval
        The rate in percent per year: its lowest and highest value over the three intervals, and
        the point from the three points where all of them have one.

    Examples
    --------
    >>> cagr(Interval.exact(100), Interval.exact(121), Interval.exact(2)).format()
    '10 [10, 10]'
    """
    if start.low <= 0:
        raise ValueError("the starting count must be positive")

    def rate(s, e, t):
        return 100.0 * ((e / s) ** (1.0 / t) - 1.0)

    corners = [
        rate(s, e, t)
        for s, e, t in itertools.product((start.low, start.high), (end.low, end.high), (years.low, years.high))
    ]
    point = None
    if start.point is not None and end.point is not None and years.point is not None:
        point = rate(start.point, end.point, years.point)
    return Interval(min(corners), max(corners), point)


def doubling_time(rate_percent: Interval) -> Interval:
    """Years to double at a constant annual growth rate (percent): ``ln 2 / ln(1 + r / 100)``.

    A rate of zero or less never doubles (``inf``); an unbounded rate doubles at once (0).

    Parameters
    ----------
    rate_percent : Interval
        Annual growth rate in percent, e.g. from :func:`cagr`.

    Returns
    -------
    Interval
        Years to double; ``inf`` where the rate allows no growth.

    Examples
    --------
    >>> doubling_time(Interval.exact(100)).format()
    '1 [1, 1]'
    >>> doubling_time(Interval(10, math.inf, 10)).format()
    '7.27 [0, 7.27]'
    """

    def years(r):
        if r <= 0:
            return math.inf
        return math.log(2) / math.log1p(r / 100.0)

    return monotone(years, rate_percent, increasing=(False,))


def printed_interval(value_text: str, value: float) -> Interval:
    """The values that round to a figure as printed: ``6.35`` stands for [6.345, 6.355].

    Used for densities and ratios, which the sources print rounded; counts are whole numbers
    and keep the interval of their qualifier instead.

    Parameters
    ----------
    value_text : str
        The figure as the source prints it (``6.35个``, ``1∶4.38``); its last decimal sets the width.
    value : float
        The figure as a number.

    Returns
    -------
    Interval
        From half a unit of the last printed digit below ``value`` to half a unit above, with
        ``value`` as its point.

    Examples
    --------
    >>> printed_interval("1∶4.38", 4.38).format(4)
    '4.38 [4.375, 4.385]'
    >>> printed_interval("6.35个", 6.35).format(4)
    '6.35 [6.345, 6.355]'
    """
    numbers = re.findall(r"\d+(?:\.\d+)?", str(value_text))
    match = [n for n in numbers if math.isclose(float(n), float(value))]
    if not match:
        raise ValueError(f"{value!r} is not written in {value_text!r}")
    decimals = len(match[-1].split(".")[1]) if "." in match[-1] else 0
    half = 0.5 * 10.0 ** (-decimals)
    return Interval(float(value) - half, float(value) + half, float(value))


def _period(row) -> tuple[str, str]:
    return str(row["period_start"]), str(row["period_end"])


def _years_apart(count_period: tuple[str, str], other_period: tuple[str, str]) -> tuple[float, float]:
    """How many years the other date lies after the count's period (negative: before), low and high."""
    gap = period_gap(count_period, other_period)
    return gap.low, gap.high


def _timing(gap_low: float, gap_high: float) -> str:
    if gap_low > 0:
        return f"population {gap_low:.1f} to {gap_high:.1f} years after the count"
    if gap_high < 0:
        return f"population {-gap_high:.1f} to {-gap_low:.1f} years before the count"
    return f"dates overlap: population {gap_low:+.1f} to {gap_high:+.1f} years from the count (order unknown)"


def _interval_text(iv: Interval) -> str:
    return format_interval(iv.low, iv.high, exact_as_number=True, digits=6, grouping=True)


def _frame(rows: list[dict], columns: list[str]) -> pd.DataFrame:
    """A table with its columns even when there are no rows (a casebook of one district may have none)."""
    return pd.DataFrame(rows, columns=columns)


def _active(facts: pd.DataFrame) -> pd.DataFrame:
    return facts[facts["confidence"] != "disputed"]


# ---------------------------------------------------------------------------- stated growth
def stated_growth(cb: Casebook) -> pd.DataFrame:
    """Every growth rate, multiple and ratio the sources state, with its interval and subject.

    Parameters
    ----------
    cb : Casebook

    Returns
    -------
    pandas.DataFrame
        One row per fact of :data:`GROWTH_INDICATORS`, sorted by district and id.

        ============== ==============================================================
        column         meaning
        ============== ==============================================================
        district       district slug
        id             fact id
        indicator      growth_rate_annual_avg, growth_rate_yoy, growth_multiple, or
                       ratio_district_wide_to_community_groups
        subject        what grew (our words, from the record)
        value_text     the figure as written
        value          the figure as stated (percent, 倍, or x in 1:x)
        low, high      the interval the qualifier implies (10%以上 is [10, inf])
        unit           codebook unit (percent, multiple, ratio)
        basis          rate (a rate per year) or change (between two dates)
        period_text    the period as the text gives it
        period_start   start of the resolved period (ISO date)
        period_end     end of the resolved period (ISO date)
        confidence     stated, inferred or disputed
        reading        what kind of figure it is, in our words
        doubling_low   years to double at the rate's high end (annual rates only)
        doubling_high  years to double at the rate's low end (annual rates only)
        ============== ==============================================================

    Examples
    --------
    >>> import govcases
    >>> table = stated_growth(govcases.load_casebook())
    >>> row = table.set_index("id").loc["beilun-growth-registered-and-filed"]
    >>> float(row["value"]), round(float(row["doubling_low"]), 2)
    (30.0, 2.64)
    """
    facts = cb.facts[cb.facts["indicator"].isin(GROWTH_INDICATORS)]
    rows = []
    for _, f in facts.sort_values(["district", "id"]).iterrows():
        iv = interval_of(f)
        annual = f["indicator"] in ("growth_rate_annual_avg", "growth_rate_yoy") and f["basis"] == "rate"
        if f["indicator"] == "growth_rate_annual_avg":
            reading = "average annual growth rate; the years averaged over are not stated"
        elif annual:
            reading = "growth in each of several years (a floor per year, not an average)"
        elif f["indicator"] == "growth_rate_yoy":
            reading = "change against the same months a year earlier (not an annual rate)"
        elif f["indicator"] == "growth_multiple":
            reading = "增长了N倍: read as 'by N times' (to N+1 times) or 'to N times'; see multiple_readings"
        else:
            reading = "ratio 1:x of district-wide to community social groups"
        dbl = doubling_time(iv) if annual else None
        rows.append(
            {
                "district": f["district"],
                "id": f["id"],
                "indicator": f["indicator"],
                "subject": f["subject"],
                "value_text": f["value_text"],
                "value": f["value"],
                "low": iv.low,
                "high": iv.high,
                "unit": f["unit"],
                "basis": f["basis"],
                "period_text": f["period_text"],
                "period_start": f["period_start"],
                "period_end": f["period_end"],
                "confidence": f["confidence"],
                "reading": reading,
                "doubling_low": dbl.low if dbl else np.nan,
                "doubling_high": dbl.high if dbl else np.nan,
            }
        )
    return _frame(
        rows,
        [
            "district",
            "id",
            "indicator",
            "subject",
            "value_text",
            "value",
            "low",
            "high",
            "unit",
            "basis",
            "period_text",
            "period_start",
            "period_end",
            "confidence",
            "reading",
            "doubling_low",
            "doubling_high",
        ],
    )


# ---------------------------------------------------------------------------- counts over time
def _stock_counts(cb: Casebook) -> pd.DataFrame:
    facts = _active(cb.facts)
    keep = (facts["category"] == "organizations") & (facts["unit"] == "organizations") & (facts["basis"] == "stock")
    return facts[keep].assign(subject_key=lambda d: d["subject"].fillna(""))


def count_pairs(cb: Casebook) -> pd.DataFrame:
    """Pairs of counts of the same scope in the same district at two separate times.

    Two counts pair when they share district, indicator and subject (so the same scope) and the
    earlier one's period ends before the later one's begins. Disputed facts are left out.

    Parameters
    ----------
    cb : Casebook
        A validated casebook, from :func:`govcases.load_casebook`.

    Returns
    -------
    pandas.DataFrame
        ============= ===============================================
        column        meaning
        ============= ===============================================
        district      district slug
        indicator     the shared indicator (and so scope)
        scope         the codebook scope of that indicator
        subject       the shared subject ('' when the indicator has none)
        start_id      fact id of the earlier count
        end_id        fact id of the later count
        ============= ===============================================

    Examples
    --------
    >>> import govcases
    >>> count_pairs(govcases.load_casebook().select(["longhua"]))[["start_id", "end_id"]].values.tolist()
    [['longhua-orgs-total-at-founding', 'longhua-orgs-total-now']]
    """
    counts = _stock_counts(cb)
    rows = []
    for (district, indicator, subject), group in counts.groupby(["district", "indicator", "subject_key"], sort=True):
        group = group.sort_values(["period_start", "period_end", "id"])
        for (_, a), (_, b) in itertools.combinations(group.iterrows(), 2):
            if a["period_end"] < b["period_start"]:
                rows.append(
                    {
                        "district": district,
                        "indicator": indicator,
                        "scope": a["scope"],
                        "subject": subject,
                        "start_id": a["id"],
                        "end_id": b["id"],
                    }
                )
    return pd.DataFrame(rows, columns=["district", "indicator", "scope", "subject", "start_id", "end_id"])


def derived_growth(cb: Casebook) -> pd.DataFrame:
    """Compound annual growth and doubling time from each pair of :func:`count_pairs`.

    Parameters
    ----------
    cb : Casebook
        A validated casebook, from :func:`govcases.load_casebook`.

    Returns
    -------
    pandas.DataFrame
        One row per pair.

        ================ ==================================================================
        column           meaning
        ================ ==================================================================
        district         district slug
        indicator        indicator (and so scope) of both counts
        start_id, end_id the two facts
        start_text       the earlier count as written
        end_text         the later count as written
        start_low/high   interval of the earlier count
        end_low/high     interval of the later count
        start_period     'start .. end' of the earlier count's period
        end_period       'start .. end' of the later count's period
        years_low        shortest time between them (end of earlier to start of later)
        years_high       longest time (start of earlier to end of later)
        years_mid        time between the periods' midpoints
        multiple_low     later / earlier, low end
        multiple_high    later / earlier, high end
        cagr_low         compound annual growth rate, percent, low end
        cagr_high        high end
        cagr_mid         at the stated figures and the midpoint span (a reference value)
        doubling_low     years to double at cagr_high
        doubling_high    years to double at cagr_low
        derivation       how the interval was formed, in words and numbers
        ================ ==================================================================

    Examples
    --------
    >>> import govcases
    >>> row = derived_growth(govcases.load_casebook().select(["longhua"])).iloc[0]
    >>> round(float(row["cagr_low"]), 1), round(float(row["cagr_high"]), 1)
    (16.6, 38.6)
    """
    facts = cb.facts_by_id
    rows = []
    for _, p in count_pairs(cb).iterrows():
        a, b = facts.loc[p["start_id"]], facts.loc[p["end_id"]]
        start, end = interval_of(a), interval_of(b)
        years = elapsed_years(_period(a), _period(b))
        rate = cagr(start, end, years)
        dbl = doubling_time(rate)
        mult = end / start
        derivation = (
            f"CAGR = (end / start)^(1 / years) - 1 at every corner of: start {a['value_text']} = "
            f"{_interval_text(start)} ({p['start_id']}, {a['period_start']} .. {a['period_end']}); end "
            f"{b['value_text']} = {_interval_text(end)} ({p['end_id']}, {b['period_start']} .. {b['period_end']}); "
            f"years from {a['period_end']} to {b['period_start']} ({years.low:.3f}) up to {a['period_start']} "
            f"to {b['period_end']} ({years.high:.3f}), days / {DAYS_PER_YEAR}. Doubling time = ln 2 / ln(1 + CAGR)."
        )
        rows.append(
            {
                "district": p["district"],
                "indicator": p["indicator"],
                "start_id": p["start_id"],
                "end_id": p["end_id"],
                "start_text": a["value_text"],
                "end_text": b["value_text"],
                "start_low": start.low,
                "start_high": start.high,
                "end_low": end.low,
                "end_high": end.high,
                "start_period": f"{a['period_start']} .. {a['period_end']}",
                "end_period": f"{b['period_start']} .. {b['period_end']}",
                "years_low": years.low,
                "years_high": years.high,
                "years_mid": years.point,
                "multiple_low": mult.low,
                "multiple_high": mult.high,
                "cagr_low": rate.low,
                "cagr_high": rate.high,
                "cagr_mid": rate.point,
                "doubling_low": dbl.low,
                "doubling_high": dbl.high,
                "derivation": derivation,
            }
        )
    return _frame(
        rows,
        [
            "district",
            "indicator",
            "start_id",
            "end_id",
            "start_text",
            "end_text",
            "start_low",
            "start_high",
            "end_low",
            "end_high",
            "start_period",
            "end_period",
            "years_low",
            "years_high",
            "years_mid",
            "multiple_low",
            "multiple_high",
            "cagr_low",
            "cagr_high",
            "cagr_mid",
            "doubling_low",
            "doubling_high",
            "derivation",
        ],
    )


# ---------------------------------------------------------------------------- 增长了N倍 and ratios
def _base_for_multiple(facts: pd.DataFrame, m) -> pd.Series | None:
    """The count a 增长了N倍 grew from.

    That is a stock count of the same district, beginning when the growth began, whose Chinese
    term (in its subject) the multiple's subject repeats.
    """
    candidates = facts[
        (facts["district"] == m["district"])
        & (facts["category"] == "organizations")
        & (facts["basis"] == "stock")
        & (facts["period_start"] == m["period_start"])
    ]
    subject = str(m["subject"] or "")
    for _, c in candidates.sort_values("id").iterrows():
        terms = _HAN.findall(str(c["subject"] or ""))
        if terms and any(t in subject for t in terms):
            return c
    return None


def multiple_readings(cb: Casebook) -> pd.DataFrame:
    """Both readings of each 增长了N倍, applied to the count it grew from.

    增长了N倍 normally means "grew by N times the base", so to N+1 times; some writers mean "to
    N times". Each multiple gets one row per reading.

    Parameters
    ----------
    cb : Casebook
        A validated casebook, from :func:`govcases.load_casebook`.

    Returns
    -------
    pandas.DataFrame
        ============== ==========================================================
        column         meaning
        ============== ==========================================================
        district       district slug
        multiple_id    the growth_multiple fact
        multiple_text  as written (11倍)
        base_id        the count it grew from (NA when none is found)
        base_text      that count as written
        reading        'by N times (to N+1 times the base)' or 'to N times the base'
        factor         N+1 or N
        implied_low    base x factor, low end (derived, not stated)
        implied_high   high end
        period_end     end of the multiple's period (the date of the implied count)
        ============== ==========================================================

    Examples
    --------
    >>> import govcases
    >>> multiple_readings(govcases.load_casebook())[["factor", "implied_low"]].values.tolist()
    [[12.0, 24.0], [11.0, 22.0]]
    """
    facts = _active(cb.facts)
    rows = []
    for _, m in facts[facts["indicator"] == "growth_multiple"].sort_values(["district", "id"]).iterrows():
        base = _base_for_multiple(facts, m)
        n = interval_of(m)
        for reading, factor in (
            ("by N times (to N+1 times the base)", monotone(lambda x: x + 1, n, increasing=(True,))),
            ("to N times the base", n),
        ):
            implied = interval_of(base) * factor if base is not None else None
            rows.append(
                {
                    "district": m["district"],
                    "multiple_id": m["id"],
                    "multiple_text": m["value_text"],
                    "base_id": base["id"] if base is not None else pd.NA,
                    "base_text": base["value_text"] if base is not None else pd.NA,
                    "reading": reading,
                    "factor": factor.point if factor.point is not None else factor.low,
                    "implied_low": implied.low if implied else np.nan,
                    "implied_high": implied.high if implied else np.nan,
                    "period_end": m["period_end"],
                }
            )
    return _frame(
        rows,
        [
            "district",
            "multiple_id",
            "multiple_text",
            "base_id",
            "base_text",
            "reading",
            "factor",
            "implied_low",
            "implied_high",
            "period_end",
        ],
    )


def _whole_numbers(low: float, high: float) -> list[int]:
    if math.isinf(high) or high - low > 1000:
        return []
    return list(range(math.ceil(low - 1e-9), math.floor(high + 1e-9) + 1))


def ratio_arithmetic(cb: Casebook) -> pd.DataFrame:
    """Check 1:x ratios of district-wide to community social groups against the counts.

    For each ratio the number of community groups is district-wide groups x ratio, with the
    ratio read as the values that round to it (1∶4.38 is [4.375, 4.385]). The district-wide count
    is the stated one where its period overlaps the ratio's, and each reading of a 增长了N倍 whose
    period ends within the ratio's period. A reading fits when a whole number of community
    groups lies in the interval.

    Parameters
    ----------
    cb : Casebook
        A validated casebook, from :func:`govcases.load_casebook`.

    Returns
    -------
    pandas.DataFrame
        ==================== ===================================================================
        column               meaning
        ==================== ===================================================================
        district             district slug
        ratio_id             the ratio fact
        ratio_text           as written (1∶36.5)
        ratio_low/high       the values that round to it
        district_wide_from   'stated: <fact id>' or 'derived: <reading> of <multiple id>'
        district_wide        district-wide social groups (stated or derived)
        community_low/high   district_wide x ratio interval (derived, not stated)
        whole_numbers        whole counts inside the interval, as text ('' when none)
        fits                 whether any whole count fits
        community_multiple   later whole count / earlier whole count, where both are unique
        ==================== ===================================================================

    Examples
    --------
    >>> import govcases
    >>> t = ratio_arithmetic(govcases.load_casebook())
    >>> t[["district_wide", "whole_numbers", "fits"]].values.tolist()
    [[2.0, '73', True], [24.0, '105', True], [22.0, '', False]]
    """
    facts = _active(cb.facts)
    readings = multiple_readings(cb)
    district_wide = facts[facts["id"].isin(readings["base_id"].dropna())] if len(readings) else facts.iloc[:0]
    rows = []
    for district, ratios in facts[facts["indicator"] == _RATIO_INDICATOR].groupby("district", sort=True):
        earliest_whole = None
        for i, (_, r) in enumerate(ratios.sort_values(["period_start", "id"]).iterrows()):
            ratio = printed_interval(r["value_text"], float(r["value"]))
            sources = []
            for _, d in district_wide[district_wide["district"] == district].iterrows():
                if d["period_start"] <= r["period_end"] and r["period_start"] <= d["period_end"]:
                    sources.append((f"stated: {d['id']}", interval_of(d)))
            for _, m in readings[readings["district"] == district].iterrows():
                if r["period_start"] <= m["period_end"] <= r["period_end"] and not pd.isna(m["implied_low"]):
                    sources.append(
                        (
                            f"derived: {m['reading']} of {m['multiple_id']}",
                            Interval(m["implied_low"], m["implied_high"], m["implied_low"]),
                        )
                    )
            for label, dw in sources:
                community = dw * ratio
                whole = _whole_numbers(community.low, community.high)
                multiple = np.nan
                if i == 0 and len(whole) == 1:
                    earliest_whole = whole[0]
                elif i > 0 and len(whole) == 1 and earliest_whole:
                    multiple = whole[0] / earliest_whole
                rows.append(
                    {
                        "district": district,
                        "ratio_id": r["id"],
                        "ratio_text": r["value_text"],
                        "ratio_low": ratio.low,
                        "ratio_high": ratio.high,
                        "district_wide_from": label,
                        "district_wide": dw.point if dw.point is not None else dw.low,
                        "community_low": community.low,
                        "community_high": community.high,
                        "whole_numbers": ", ".join(str(w) for w in whole),
                        "fits": bool(whole),
                        "community_multiple": multiple,
                    }
                )
    return _frame(
        rows,
        [
            "district",
            "ratio_id",
            "ratio_text",
            "ratio_low",
            "ratio_high",
            "district_wide_from",
            "district_wide",
            "community_low",
            "community_high",
            "whole_numbers",
            "fits",
            "community_multiple",
        ],
    )


# ---------------------------------------------------------------------------- densities
def _referenced_count(facts: pd.DataFrame, density) -> pd.DataFrame:
    """The count a stated density divides.

    These are the count facts its record names (in the period reasoning or note), else every
    district-wide count of the same district and period.
    """
    text = f"{density['period_reasoning'] or ''} {density['note'] or ''}"
    named = set(_FACT_ID.findall(text))
    counts = facts[(facts["district"] == density["district"]) & facts["indicator"].isin(COUNT_INDICATORS)]
    hit = counts[counts["id"].isin(named)]
    if hit.empty:
        hit = counts[
            (counts["period_start"] == density["period_start"]) & (counts["period_end"] == density["period_end"])
        ]
    return hit.sort_values("id")


def _population_label(p) -> str:
    return f"{p['kind']} {str(p['period_start'])[:4]} ({p['id']})"


def densities(cb: Casebook) -> pd.DataFrame:
    """Organizations per 10,000 residents: stated in the sources, and derived against every population.

    Derived rows divide each district-wide count (:data:`COUNT_INDICATORS`, not disputed) by each
    population level of the same district from :func:`govcases.analysis.denominators.population`, and say
    which population that is, its year and how far its date lies from the count's. Stated rows
    give the source's own density, read as the values that round to it, next to the count it
    divides.

    Parameters
    ----------
    cb : Casebook
        A validated casebook, from :func:`govcases.load_casebook`.

    Returns
    -------
    pandas.DataFrame
        Sorted by district, count, then stated before derived.

        ================= ==================================================================
        column            meaning
        ================= ==================================================================
        district          district slug
        count_id          the count divided (for stated rows: the count the record names)
        count_indicator   its indicator, and so its scope
        count_text        the count as written
        count_period      'start .. end' of the count's period
        density_from      'stated in the source' or 'derived'
        density_id        fact id of a stated density (NA for derived)
        population_id     the population fact (NA for stated: the source does not give it)
        population        which population: kind, year and fact id, or what the source says
        population_text   the population as written
        gap_low/high      years from the count's period to the population's date (derived rows)
        timing            the gap in words
        density_low/high  organizations per 10,000 residents, interval
        density_point     at the stated figures
        how               how the density was obtained
        ================= ==================================================================

    Examples
    --------
    >>> import govcases
    >>> d = densities(govcases.load_casebook())
    >>> row = d[(d["count_id"] == "zhenhai-orgs-registered") & (d["density_from"] == "derived")].iloc[0]
    >>> round(float(row["density_point"]), 2), row["population"]
    (6.52, 'census 2020 (zhenhai-population-census-2020)')
    """
    facts = _active(cb.facts)
    pops = population(cb)
    counts = facts[facts["indicator"].isin(COUNT_INDICATORS) & (facts["basis"] == "stock")]
    rows = []
    for _, c in counts.sort_values(["district", "id"]).iterrows():
        count = interval_of(c)
        for _, p in pops[pops["district"] == c["district"]].iterrows():
            pop = interval_of(p)
            # a population that may be 0人 gives no density (missing, and `how` says why), not a crash
            dens = ratio(count, pop) * 10_000
            gap = _years_apart(_period(c), _period(p))
            rows.append(
                {
                    "district": c["district"],
                    "count_id": c["id"],
                    "count_indicator": c["indicator"],
                    "count_text": c["value_text"],
                    "count_period": f"{c['period_start']} .. {c['period_end']}",
                    "density_from": "derived",
                    "density_id": pd.NA,
                    "population_id": p["id"],
                    "population": _population_label(p),
                    "population_text": p["value_text"],
                    "gap_low": gap[0],
                    "gap_high": gap[1],
                    "timing": _timing(*gap),
                    "density_low": dens.low,
                    "density_high": dens.high,
                    "density_point": dens.point,
                    "how": f"{c['value_text']} = {_interval_text(count)} / {_interval_text(pop)} x 10,000 "
                    f"({c['id']} / {p['id']})"
                    + ("" if dens is not NO_RATIO else "; the population may be zero, so no density is computed"),
                }
            )
    for _, s in facts[facts["indicator"] == _DENSITY_INDICATOR].sort_values(["district", "id"]).iterrows():
        stated = printed_interval(s["value_text"], float(s["value"]))
        for _, c in _referenced_count(facts, s).iterrows():
            rows.append(
                {
                    "district": s["district"],
                    "count_id": c["id"],
                    "count_indicator": c["indicator"],
                    "count_text": c["value_text"],
                    "count_period": f"{c['period_start']} .. {c['period_end']}",
                    "density_from": "stated in the source",
                    "density_id": s["id"],
                    "population_id": pd.NA,
                    "population": f"not given by the source; its subject: {s['subject']}",
                    "population_text": pd.NA,
                    "gap_low": np.nan,
                    "gap_high": np.nan,
                    "timing": "as of the source",
                    "density_low": stated.low,
                    "density_high": stated.high,
                    "density_point": stated.point,
                    "how": f"printed {s['value_text']}, read as the values that round to it ({s['id']})",
                }
            )
    out = _frame(
        rows,
        [
            "district",
            "count_id",
            "count_indicator",
            "count_text",
            "count_period",
            "density_from",
            "density_id",
            "population_id",
            "population",
            "population_text",
            "gap_low",
            "gap_high",
            "timing",
            "density_low",
            "density_high",
            "density_point",
            "how",
        ],
    )
    if out.empty:
        return out
    out["_order"] = (out["density_from"] == "derived").astype(int)
    return out.sort_values(["district", "count_id", "_order", "population"], ignore_index=True).drop(columns="_order")


def implied_populations(cb: Casebook) -> pd.DataFrame:
    """The population a stated density implies (count / density x 10,000), against every population.

    Parameters
    ----------
    cb : Casebook
        A validated casebook, from :func:`govcases.load_casebook`.

    Returns
    -------
    pandas.DataFrame
        One row per stated density, count and population of the district.

        ================== ================================================================
        column             meaning
        ================== ================================================================
        district           district slug
        density_id         the stated density
        density_text       as written
        count_id           the count it divides (named in the density's record)
        count_text         as written
        implied_low/high   count / density x 10,000 with the density read as the values
                           that round to it (derived, stated nowhere)
        implied_point      at the printed figures
        population_id      a population fact of the district
        population         kind, year and id of that population
        population_text    as written
        gap_low/high       years from the density's period to that population's date
        timing             the gap in words
        implied_over_low   implied / population, low end
        implied_over_high  high end
        ================== ================================================================

    Examples
    --------
    >>> import govcases
    >>> t = implied_populations(govcases.load_casebook())
    >>> round(t.set_index("density_id").loc["zhenhai-orgs-per-10k", "implied_point"])
    524409
    """
    facts = _active(cb.facts)
    pops = population(cb)
    rows = []
    for _, s in facts[facts["indicator"] == _DENSITY_INDICATOR].sort_values(["district", "id"]).iterrows():
        dens = printed_interval(s["value_text"], float(s["value"]))
        for _, c in _referenced_count(facts, s).iterrows():
            implied = interval_of(c) / dens * 10_000
            base = {
                "district": s["district"],
                "density_id": s["id"],
                "density_text": s["value_text"],
                "count_id": c["id"],
                "count_text": c["value_text"],
                "implied_low": implied.low,
                "implied_high": implied.high,
                "implied_point": implied.point,
            }
            district_pops = pops[pops["district"] == s["district"]]
            if district_pops.empty:
                rows.append(base)
            for _, p in district_pops.iterrows():
                ratio = implied / interval_of(p)
                gap = _years_apart(_period(s), _period(p))
                rows.append(
                    {
                        **base,
                        "population_id": p["id"],
                        "population": _population_label(p),
                        "population_text": p["value_text"],
                        "gap_low": gap[0],
                        "gap_high": gap[1],
                        "timing": _timing(*gap),
                        "implied_over_low": ratio.low,
                        "implied_over_high": ratio.high,
                    }
                )
    return _frame(
        rows,
        [
            "district",
            "density_id",
            "density_text",
            "count_id",
            "count_text",
            "implied_low",
            "implied_high",
            "implied_point",
            "population_id",
            "population",
            "population_text",
            "gap_low",
            "gap_high",
            "timing",
            "implied_over_low",
            "implied_over_high",
        ],
    )


# ---------------------------------------------------------------------------- figures
def trajectory_points(cb: Casebook) -> pd.DataFrame:
    """District-wide counts (:data:`COUNT_INDICATORS`) with their value and date intervals, for plotting.

    Parameters
    ----------
    cb : Casebook
        A validated casebook, from :func:`govcases.load_casebook`.

    Returns
    -------
    pandas.DataFrame
        Columns: district, id, indicator, subject, value_text, value, low, high, period_start,
        period_end, date_mid (the midpoint of the period, a Timestamp), series (district,
        indicator and subject joined: counts in one series share a scope). Sorted by series and date.

    Examples
    --------
    >>> import govcases
    >>> p = trajectory_points(govcases.load_casebook())
    >>> p.loc[p["id"] == "longhua-orgs-total-now", ["low", "high"]].values.tolist()
    [[387.0, 430.0]]
    """
    facts = _active(cb.facts)
    pts = facts[facts["indicator"].isin(COUNT_INDICATORS) & (facts["basis"] == "stock")].copy()
    start = pd.to_datetime(pts["period_start"])
    end = pd.to_datetime(pts["period_end"])
    pts["date_mid"] = start + (end - start) / 2
    pts["series"] = pts["district"] + " | " + pts["indicator"] + " | " + pts["subject"].fillna("")
    cols = [
        "district",
        "id",
        "indicator",
        "subject",
        "value_text",
        "value",
        "low",
        "high",
        "period_start",
        "period_end",
        "date_mid",
        "series",
    ]
    return pts[cols].sort_values(["series", "period_start", "id"], ignore_index=True)


# ---------------------------------------------------------------------------- one scale

#: What each base is, set against the national yardstick (a year-end count of registered social
#: organizations): the reason a district rate and the national one are shown side by side and never
#: subtracted.
_VERSUS_NATIONAL = {
    "orgs_registered_and_filed": "includes filed community groups, which the national count of registered "
    "organizations leaves out",
    "community": "community organizations, most of them filed rather than registered: outside the national count",
    "orgs_total_scope_unstated": "scope unstated: may include filed groups the national count leaves out",
    "unnamed": "the sentence does not say which count grew",
    "orgs_registered": "the same kind of count as the national one, registered organizations, for one district",
    "orgs_community_level": "community-level organizations only, most of them filed: outside the national count",
    "flow": "a flow of new registrations in some months, not the stock the national count measures",
}


#: What a count of each indicator counts, in words for readers.
_BASE_WORDS = {
    "orgs_registered": "registered organizations",
    "orgs_registered_and_filed": "registered plus filed organizations",
    "orgs_total_scope_unstated": "organizations, scope unstated",
    "orgs_community_level": "community-level organizations",
}


def _national_window(nat: pd.DataFrame, first: int, last: int) -> dict:
    # Year-on-year national growth (annual rate; compounded over gaps) of every yardstick year whose
    # step lies inside the window: a step from year p to year y counts when first <= p and y <= last.
    steps = nat[(nat["previous_year"].notna()) & (nat["year"] <= last)]
    steps = steps[steps["previous_year"].astype(float) >= first]
    if steps.empty:
        return {
            "national_low": math.nan,
            "national_high": math.nan,
            "national_years": "",
            "national_note": f"the yardstick has no two counts inside {first}-{last}",
        }
    covered = [f"{int(p)}-{int(y)}" for p, y in zip(steps["previous_year"], steps["year"])]
    spanned = range(int(steps["previous_year"].min()), int(steps["year"].max()) + 1)
    missing = sorted(set(range(first, last + 1)) - set(spanned))
    note = "annual growth of the national count of registered social organizations, lowest and highest step"
    if missing:
        note += f"; years of the window outside the yardstick steps: {', '.join(map(str, missing))}"
    return {
        "national_low": float(steps["annual_growth_percent"].min()),
        "national_high": float(steps["annual_growth_percent"].max()),
        "national_years": ", ".join(covered),
        "national_note": note,
    }


def growth_scale(cb: Casebook) -> pd.DataFrame:
    """Every stated or derived growth rate on one scale, percent a year, beside national growth of the same years.

    Each rate the evidence allows becomes an annualized interval with its base (what is counted),
    its window (the years it spans) and its averaging (stated average, a floor, a compound rate
    derived from two counts, a change against the same months a year earlier). Beside it: the
    national year-on-year growth of registered social organizations over the same years, from
    :func:`govcases.analysis.yardstick.national_density`, as the range of its yearly steps. Figures
    that cannot go on the scale (a multiple of ambiguous reading, a ratio) are listed with the
    reason. The two columns are never subtracted: no district base is the national one
    (``versus_national`` says why).

    Parameters
    ----------
    cb : Casebook
        A validated casebook, from :func:`govcases.load_casebook`.

    Returns
    -------
    pandas.DataFrame
        One row per growth fact (:func:`stated_growth`) and per derived rate (:func:`derived_growth`):

        ===============  ===========================================================
        district         district slug
        figure           the figure as written (both counts for a derived rate)
        base             what is counted
        window           first and last year of the rate's reference period
        averaging        how the rate averages over time
        on_scale         whether an annual rate can be read from it
        annual_low/high  the annual rate, percent a year (NA when not on the scale)
        national_low/    lowest and highest national yearly growth in the window
        national_high
        national_years   the yardstick steps used
        national_note    what the national figures are, and years they miss
        versus_national  why the two are not the same base
        reason           why a figure is off the scale ('' when on it)
        confidence       of the fact(s)
        fact_ids         the facts, joined by ``|``
        ===============  ===========================================================

    Examples
    --------
    >>> import govcases
    >>> from govcases.analysis.growth import growth_scale
    >>> g = growth_scale(govcases.load_casebook().select(["beilun"]))
    >>> g.loc[g["figure"] == "30%", ["annual_low", "annual_high", "window"]].values.tolist()
    [[30.0, 30.0, '2009-2015']]
    """
    from govcases.analysis.yardstick import national_density

    nat = national_density(cb)
    rows = []
    for _, f in stated_growth(cb).iterrows():
        first, last = int(str(f["period_start"])[:4]), int(str(f["period_end"])[:4])
        row = {
            "district": f["district"],
            "figure": f["value_text"],
            "base": f["subject"],
            "window": f"{first}-{last}",
            "on_scale": True,
            "annual_low": float(f["low"]),
            "annual_high": float(f["high"]),
            "reason": "",
            "confidence": f["confidence"],
            "fact_ids": f["id"],
        }
        if f["indicator"] == "growth_rate_annual_avg":
            row["averaging"] = "stated average a year; arithmetic or compound, and over which years, not stated"
            key = "community" if "community" in str(f["subject"]) else "orgs_registered_and_filed"
        elif f["indicator"] == "growth_rate_yoy" and f["basis"] == "rate":
            row["averaging"] = "a floor reached in each of several years, not an average"
            key = "unnamed"
        elif f["indicator"] == "growth_rate_yoy":
            # Against the same months a year earlier: the window opens a year before the period.
            first = first - 1
            row["window"] = f"{first}-{last}"
            row["averaging"] = "change against the same months a year earlier: one year-on-year step"
            key = "flow"
        elif f["indicator"] == "growth_multiple":
            row.update(
                on_scale=False,
                annual_low=math.nan,
                annual_high=math.nan,
                averaging="a multiple over the whole window",
                reason="增长了N倍 reads either as 'by N times' or 'to N times' (both readings are worked through "
                "separately), and it "
                "counts district-wide groups only, a part of the sector",
            )
            key = "orgs_total_scope_unstated"
        else:
            row.update(
                on_scale=False,
                annual_low=math.nan,
                annual_high=math.nan,
                averaging="a ratio of two counts at one time",
                reason="a ratio of two counts, not a rate of growth",
            )
            key = "orgs_total_scope_unstated"
        if f["confidence"] == "disputed" and row["on_scale"]:
            row["reason"] = "on the scale, but the source's figure is disputed (see the casebook's corrections)"
        row["versus_national"] = _VERSUS_NATIONAL[key]
        off = {"national_low": math.nan, "national_high": math.nan, "national_years": "", "national_note": ""}
        row.update(_national_window(nat, first, last) if row["on_scale"] else off)
        rows.append(row)
    for _, d in derived_growth(cb).iterrows():
        first, last = int(d["start_period"][:4]), int(d["end_period"][-10:][:4])
        row = {
            "district": d["district"],
            "figure": f"{d['start_text']} to {d['end_text']}",
            "base": _BASE_WORDS.get(d["indicator"], d["indicator"].replace("_", " ")),
            "window": f"{first}-{last}",
            "averaging": "compound rate derived from two counts, at every corner of their count and date intervals",
            "on_scale": True,
            "annual_low": float(d["cagr_low"]),
            "annual_high": float(d["cagr_high"]),
            "reason": "",
            "confidence": "derived",
            "fact_ids": f"{d['start_id']}|{d['end_id']}",
            "versus_national": _VERSUS_NATIONAL.get(d["indicator"], "a different count from the national one"),
            **_national_window(nat, first, last),
        }
        rows.append(row)
    cols = [
        "district",
        "figure",
        "base",
        "window",
        "averaging",
        "on_scale",
        "annual_low",
        "annual_high",
        "national_low",
        "national_high",
        "national_years",
        "national_note",
        "versus_national",
        "reason",
        "confidence",
        "fact_ids",
    ]
    out = pd.DataFrame(rows, columns=cols)
    return out.sort_values(["district", "on_scale", "fact_ids"], ascending=[True, False, True], ignore_index=True)
