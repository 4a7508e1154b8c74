"""Figures on growth: drawn from the tables of :mod:`govcases.analysis.growth`."""

from __future__ import annotations

import math

import pandas as pd

from govcases.analysis.growth import (
    COUNT_INDICATORS,
    densities,
    derived_growth,
    stated_growth,
    trajectory_points,
)
from govcases.publish.figures._evidence import mark
from govcases.publish.figures._text import (
    district_name,
    indicator_label,
    left_out,
    note_below,
    subject_words,
    title,
    tr,
    wrap,
    year_span,
)
from govcases.records.casebook import Casebook

__all__ = ["fig_densities", "fig_growth_rates", "fig_trajectories"]


def _hull(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Convex hull (monotone chain), counter-clockwise.

    Every straight path between two boxes lies inside the hull of their corners, so it is the band
    of all constant-rate paths.
    """
    pts = sorted(set(points))
    if len(pts) <= 2:
        return pts

    def cross(o, a, b):
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    lower, upper = [], []
    for p in pts:
        while len(lower) >= 2 and cross(lower[-2], lower[-1], p) <= 0:
            lower.pop()
        lower.append(p)
    for p in reversed(pts):
        while len(upper) >= 2 and cross(upper[-2], upper[-1], p) <= 0:
            upper.pop()
        upper.append(p)
    return lower[:-1] + upper[:-1]


_SCOPE_MARKERS = {
    "orgs_registered": "o",
    "orgs_registered_and_filed": "s",
    "orgs_total_scope_unstated": "D",
    "orgs_community_level": "^",
}


def _scope_label(cb: Casebook, indicator: str, chinese: bool) -> str:
    """A counting scope in words: the codebook's label of the count's indicator."""
    return indicator_label(cb, indicator, chinese)


def _missing_note(cb: Casebook, districts, chinese: bool, *, needs_population: bool) -> str:
    """Why each district left out of a figure is missing: no count of these scopes, or no population."""
    facts = cb.facts
    lines = []
    for d in districts:
        mine = facts[facts["district"] == d]
        has_count = mine["indicator"].isin(COUNT_INDICATORS).any()
        has_population = mine["indicator"].str.startswith("population").any()
        if not has_count:
            why = tr("no count of these scopes", "无上述口径的数量", chinese)
        elif needs_population and not has_population:
            why = tr("no population", "无人口数", chinese)
        else:
            why = tr("no count and population the evidence allows to divide", "数量与人口无法相除", chinese)
        lines.append(f"{district_name(cb, d, chinese)}: {why}")
    return "\n".join(lines)


def fig_trajectories(cb: Casebook, *, chinese: bool = False):
    """Counts of organizations at their dates, on a log scale, with their uncertainty.

    Each count is a marker at the midpoint of its period with a vertical bar over its interval
    (近430: 387 to 430) and a horizontal bar over its period. Counts of one district and one
    scope at two times are joined by a shaded band: the hull of the two boxes in (date, log
    count), which holds every constant-growth path between them. Marker shape is the scope, colour
    the district. Districts come from ``cb.districts``.

    Parameters
    ----------
    cb : Casebook
        The validated casebook, as :func:`govcases.load_casebook` returns it.
    chinese : bool
        Chinese title, axes, legend, scopes and district names instead of English ones.

    Returns
    -------
    matplotlib.figure.Figure
        One axis: reference date (x) against number of organizations (y, log scale), drawn from
        :func:`govcases.analysis.growth.trajectory_points`, with a legend of districts and scopes
        and a note naming the districts whose source gives no district-wide count.
    """
    import matplotlib.dates as mdates
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.ticker import LogLocator, NullFormatter, ScalarFormatter

    from govcases.publish.style import district_colors, label

    pts = trajectory_points(cb)
    # a count that may be 0 has no place on a log scale: it is left out and named below, never a crash
    zeros = list(dict.fromkeys(pts.loc[pts["low"] <= 0, "district"]))
    pts = pts[pts["low"] > 0]
    colors = district_colors(cb.districts)
    fig = Figure(figsize=(8.0, 4.8), layout="constrained")
    ax = fig.subplots()
    for _series, group in pts.groupby("series", sort=True):
        district, indicator = group["district"].iloc[0], group["indicator"].iloc[0]
        color = colors[district]
        if len(group) >= 2:
            corners = []
            for _, r in group.iterrows():
                for x in (
                    mdates.date2num(pd.Timestamp(r["period_start"])),
                    mdates.date2num(pd.Timestamp(r["period_end"])),
                ):
                    for y in (float(r["low"]), float(r["high"])):
                        corners.append((x, math.log10(y)))
            hull = _hull(corners)
            ax.fill([h[0] for h in hull], [10 ** h[1] for h in hull], color=color, alpha=0.18, lw=0)
        for _, r in group.iterrows():
            x = mdates.date2num(r["date_mid"])
            x0, x1 = mdates.date2num(pd.Timestamp(r["period_start"])), mdates.date2num(pd.Timestamp(r["period_end"]))
            y = float(r["value"]) if not pd.isna(r["value"]) else (float(r["low"]) + float(r["high"])) / 2
            lo, hi = float(r["low"]), float(r["high"])
            drawn = ax.errorbar(
                [x],
                [y],
                xerr=[[x - x0], [x1 - x]],
                yerr=[[y - lo], [hi - y]],
                fmt=_SCOPE_MARKERS[indicator],
                color=color,
                ms=6,
                capsize=3,
                lw=1.2,
            )
            mark(fig, cb, drawn, [r["id"]], chinese=chinese)
    ax.set_yscale("log")
    ax.yaxis.set_major_locator(LogLocator(subs=(1.0, 2.0, 5.0)))
    ax.yaxis.set_major_formatter(ScalarFormatter())
    ax.yaxis.set_minor_formatter(NullFormatter())
    ax.xaxis_date()
    ax.xaxis.set_major_locator(mdates.YearLocator(2))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    ax.set_ylabel(tr("organizations (log scale)", "社会组织数（对数刻度）", chinese))
    ax.set_xlabel(
        tr(
            "reference period (bar: its uncertainty; marker at its midpoint)",
            "参考时期（横线：其不确定范围；标记在中点）",
            chinese,
        )
    )
    title(ax, tr("Counts of social organizations at their dates", "各时点的社会组织数", chinese), chinese)
    present = [d for d in cb.districts if d in set(pts["district"])]
    handles = [
        Line2D([], [], color=colors[d], marker="o", ls="", label=label(cb.profiles, d, chinese=chinese))
        for d in present
    ]
    handles += [
        Line2D([], [], color="0.3", marker=_SCOPE_MARKERS[i], ls="", label=_scope_label(cb, i, chinese))
        for i in COUNT_INDICATORS
        if i in set(pts["indicator"])
    ]
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    missing = [d for d in cb.districts if d not in set(pts["district"]) and d not in zeros]
    notes = [_missing_note(cb, missing, chinese, needs_population=False)] if missing else []
    notes += [
        f"{district_name(cb, d, chinese)}: "
        + tr("a count of 0 (no place on a log scale)", "数量为0(对数轴无法表示)", chinese)
        for d in zeros
    ]
    if notes:
        ax.text(
            1.02,
            0.0,
            tr("Left out:\n", "未画出：\n", chinese) + "\n".join(notes),
            transform=ax.transAxes,
            fontsize=8.5,
            va="bottom",
            color="0.35",
        )
    return fig


def fig_growth_rates(cb: Casebook, *, chinese: bool = False):
    """Annual growth rates (stated and derived) and their doubling times, as intervals.

    Left: percent per year; right: years to double. Stated average or floor rates are labelled
    by what they count and their years; derived rates by the scope and years of the two counts they
    come from. Changes that are not annual
    rates (year-on-year changes over part of a year, 增长了N倍) are left out. A rate open above
    (10%以上) is drawn as a bar running off the axis.

    Parameters
    ----------
    cb : Casebook
        The validated casebook, as :func:`govcases.load_casebook` returns it.
    chinese : bool
        Chinese titles, axes and row labels instead of English ones.

    Returns
    -------
    matplotlib.figure.Figure
        Two panels sharing their rows (one per rate, coloured by district): the growth rate in
        percent per year as a bar over its interval with a marker at the stated or middle value
        (filled for stated rates, hollow for derived ones), and the doubling time in years as a
        bar over its interval (a marker where it is a single figure).
    """
    from matplotlib.figure import Figure

    from govcases.publish.style import district_colors

    stated = stated_growth(cb)
    stated = stated[stated["doubling_low"].notna()]
    derived = derived_growth(cb)
    facts = cb.facts_by_id
    said, made = tr("stated", "原文所述", chinese), tr("derived", "推算", chinese)
    rows = [
        (
            f"{district_name(cb, r['district'], chinese)}: "
            f"{subject_words(cb, facts.loc[r['id']], chinese)}, "
            f"{year_span(r['period_start'], r['period_end'])} ({said})",
            r["district"],
            r["low"],
            r["high"],
            r["value"],
            r["doubling_low"],
            r["doubling_high"],
            True,
            [r["id"]],
        )
        for _, r in stated.iterrows()
    ]
    rows += [
        (
            f"{district_name(cb, r['district'], chinese)}: {_scope_label(cb, r['indicator'], chinese)}, "
            f"{_years(facts, r['start_id'])} → {_years(facts, r['end_id'])} ({made})",
            r["district"],
            r["cagr_low"],
            r["cagr_high"],
            r["cagr_mid"],
            r["doubling_low"],
            r["doubling_high"],
            False,
            [r["start_id"], r["end_id"]],
        )
        for _, r in derived.iterrows()
    ]
    colors = district_colors(cb.districts)
    fig = Figure(figsize=(10.0, 0.8 * max(len(rows), 3) + 1.6), layout="constrained")
    ax1, ax2 = fig.subplots(1, 2, sharey=True)
    finite_hi = [r[3] for r in rows if math.isfinite(r[3])] or [1.0]
    x_max = max(finite_hi) * 1.25
    for y, (_name, district, lo, hi, point, d_lo, d_hi, is_stated, ids) in enumerate(rows):
        c = colors[district]
        drawn = ax1.plot([lo, min(hi, x_max)], [y, y], color=c, lw=6, alpha=0.45, solid_capstyle="butt")
        if not math.isfinite(hi):
            ax1.annotate("", xy=(x_max, y), xytext=(x_max * 0.93, y), arrowprops={"arrowstyle": "->", "color": c})
        marker = "o" if is_stated else "D"
        drawn += ax1.plot([point], [y], marker=marker, color=c, mfc=c if is_stated else "white")
        drawn += ax2.plot([d_lo, d_hi], [y, y], color=c, lw=6, alpha=0.45, solid_capstyle="butt")
        if d_lo == d_hi:  # a point figure: no bar to see, so mark it
            drawn += ax2.plot([d_lo], [y], marker=marker, color=c)
        mark(fig, cb, drawn, ids, chinese=chinese)
    ax1.set_yticks(range(len(rows)), [wrap(r[0], chinese) for r in rows], fontsize=8)
    ax1.set_xlim(0, x_max)
    ax1.set_xlabel(tr("growth, percent per year", "年增长率（%）", chinese))
    ax2.set_xlabel(tr("years to double", "翻番所需年数", chinese))
    ax2.set_xlim(left=0)
    ax1.invert_yaxis()
    title(ax1, tr("Growth rate", "增长率", chinese), chinese)
    title(ax2, tr("Doubling time", "翻番时间", chinese), chinese)
    present = [r[1] for r in rows]
    note_below(fig, left_out(cb, present, chinese, "no annual growth rate stated or derivable", "无可用的年增长率"))
    return fig


def _years(facts: pd.DataFrame, fact_id: str) -> str:
    return year_span(facts.loc[fact_id, "period_start"], facts.loc[fact_id, "period_end"])


def fig_densities(cb: Casebook, *, chinese: bool = False):
    """Organizations per 10,000 residents: stated densities next to derived ones, as intervals.

    One row per count and denominator (log scale), labelled with the district, the counting scope
    in words, the years of the count and the population divided by. Marker shape is the counting
    scope (the codebook's indicator of the count), so that densities of different scopes are never
    read as one series; a filled marker is the source's own density, a hollow one a count divided
    by a population. A count whose date is known only within more than a year (an undated or
    loosely dated count) is drawn as a pale, dashed bar: its density is imprecise in time as well.
    Districts with no density are named below with the reason (no count of these scopes, or no
    population). Colour is the district.

    Parameters
    ----------
    cb : Casebook
        The validated casebook, as :func:`govcases.load_casebook` returns it.
    chinese : bool
        Chinese title, axes, legend and row labels instead of English ones.

    Returns
    -------
    matplotlib.figure.Figure
        One axis with a row per density of :func:`govcases.analysis.growth.densities`: its
        interval as a bar and its point as a marker, organizations per 10,000 residents on a log scale.
    """
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.ticker import LogLocator, NullFormatter, ScalarFormatter

    from govcases.publish.style import district_colors

    d = densities(cb)
    facts = cb.facts_by_id
    colors = district_colors(cb.districts)
    missing = [x for x in cb.districts if x not in set(d["district"])]
    fig = Figure(figsize=(9.0, 0.5 * max(len(d), 4) + 2.0 + 0.15 * len(missing)), layout="constrained")
    ax = fig.subplots()
    labels = []
    for y, (_, r) in enumerate(d.iterrows()):
        c = colors[r["district"]]
        count = facts.loc[r["count_id"]]
        vague = (pd.Timestamp(count["period_end"]) - pd.Timestamp(count["period_start"])).days > 366
        stated = r["density_from"] != "derived"
        drawn = ax.plot(
            [r["density_low"], r["density_high"]],
            [y, y],
            color=c,
            lw=5,
            alpha=0.25 if vague else 0.5,
            ls=(0, (1.5, 1)) if vague else "-",
            solid_capstyle="butt",
        )
        drawn += ax.plot(
            [r["density_point"]],
            [y],
            marker=_SCOPE_MARKERS.get(r["count_indicator"], "o"),
            color=c,
            mfc=c if stated else "white",
            ms=6,
            alpha=0.45 if vague else 1.0,
        )
        ids = [r["count_id"]] + [x for x in (r["density_id"], r["population_id"]) if isinstance(x, str)]
        mark(fig, cb, drawn, ids, chinese=chinese)
        head = (
            f"{district_name(cb, r['district'], chinese)}: "
            f"{_scope_label(cb, r['count_indicator'], chinese)}, {_years(facts, r['count_id'])}"
        )
        if stated:
            labels.append(f"{head}\n" + tr("stated in the source", "原文所述", chinese))
        else:
            pop = facts.loc[r["population_id"]]
            labels.append(f"{head}\n÷ {subject_words(cb, pop, chinese)} ({_years(facts, r['population_id'])})")
    ax.set_yticks(
        range(len(d)), ["\n".join(wrap(line, chinese) for line in t.split("\n")) for t in labels], fontsize=7.5
    )
    ax.invert_yaxis()
    ax.set_xscale("log")
    ax.xaxis.set_major_locator(LogLocator(subs=(1.0, 2.0, 5.0)))
    ax.xaxis.set_major_formatter(ScalarFormatter())
    ax.xaxis.set_minor_formatter(NullFormatter())
    ax.margins(x=0.08)
    ax.set_xlabel(tr("organizations per 10,000 residents (log scale)", "每万人社会组织数（对数刻度）", chinese))
    title(ax, tr("Organizations per 10,000 residents", "每万人社会组织数", chinese), chinese)
    handles = [
        Line2D([], [], color="0.3", marker=_SCOPE_MARKERS[i], ls="", label=_scope_label(cb, i, chinese))
        for i in COUNT_INDICATORS
        if i in set(d["count_indicator"])
    ]
    handles += [
        Line2D(
            [], [], color="0.3", marker="o", ls="", label=tr("filled: stated in the source", "实心：原文所述", chinese)
        ),
        Line2D(
            [],
            [],
            color="0.3",
            marker="o",
            mfc="white",
            ls="",
            label=tr("hollow: count ÷ population", "空心：数量÷人口", chinese),
        ),
        Line2D(
            [],
            [],
            color="0.3",
            lw=5,
            alpha=0.3,
            ls=(0, (1.5, 1)),
            label=tr("count dated only within more than a year", "数量的日期只能确定在一年以上的范围内", chinese),
        ),
    ]
    fig.legend(handles=handles, loc="outside lower center", ncol=2, frameon=False, fontsize=8)
    if missing:
        fig.text(
            0.01,
            0.0,
            tr("Left out: ", "未画出：", chinese)
            + _missing_note(cb, missing, chinese, needs_population=True).replace("\n", "; "),
            fontsize=7.5,
            color="0.35",
        )
    return fig
