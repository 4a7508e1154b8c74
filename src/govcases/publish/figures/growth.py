"""Figures on growth: drawn from the tables of :mod:`govcases.analysis.growth`."""

from __future__ import annotations

import math
import re

import pandas as pd

from govcases.analysis.growth import (
    COUNT_INDICATORS,
    densities,
    derived_growth,
    stated_growth,
    trajectory_points,
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


_SCOPE_LABELS = {
    "orgs_registered": "registered",
    "orgs_registered_and_filed": "registered + filed",
    "orgs_total_scope_unstated": "scope not stated",
    "orgs_community_level": "community level",
}


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
        Name the districts in the legend and in the note on missing counts in Chinese instead
        of English.

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
            ax.errorbar(
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
    ax.set_yscale("log")
    ax.yaxis.set_major_locator(LogLocator(subs=(1.0, 2.0, 5.0)))
    ax.yaxis.set_major_formatter(ScalarFormatter())
    ax.yaxis.set_minor_formatter(NullFormatter())
    ax.xaxis_date()
    ax.xaxis.set_major_locator(mdates.YearLocator(2))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    ax.set_ylabel("organizations (log scale)")
    ax.set_xlabel("reference period (bar: its uncertainty; marker at its midpoint)")
    ax.set_title("Counts of social organizations at their dates")
    present = [d for d in cb.districts if d in set(pts["district"])]
    handles = [
        Line2D([], [], color=colors[d], marker="o", ls="", label=label(cb.profiles, d, chinese=chinese))
        for d in present
    ]
    handles += [
        Line2D([], [], color="0.3", marker=_SCOPE_MARKERS[i], ls="", label=_SCOPE_LABELS[i])
        for i in COUNT_INDICATORS
        if i in set(pts["indicator"])
    ]
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    missing = [label(cb.profiles, d, chinese=chinese) for d in cb.districts if d not in set(pts["district"])]
    if missing:
        ax.text(
            1.02,
            0.0,
            "No district-wide count\nin the source:\n" + "\n".join(missing),
            transform=ax.transAxes,
            fontsize=8.5,
            va="bottom",
            color="0.35",
        )
    return fig


def fig_growth_rates(cb: Casebook):
    """Annual growth rates (stated and derived) and their doubling times, as intervals.

    Left: percent per year; right: years to double. Stated average or floor rates are labelled
    by fact id; derived rates by the two counts they come from. Changes that are not annual
    rates (year-on-year changes over part of a year, 增长了N倍) are left out. A rate open above
    (10%以上) is drawn as a bar running off the axis.

    Parameters
    ----------
    cb : Casebook
        The validated casebook, as :func:`govcases.load_casebook` returns it.

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
    rows = [
        (f"{r['id']} (stated)", r["district"], r["low"], r["high"], r["value"], r["doubling_low"], r["doubling_high"])
        for _, r in stated.iterrows()
    ]
    rows += [
        (
            f"{r['start_id']} to {r['end_id'].split('-', 1)[1]} (derived)",
            r["district"],
            r["cagr_low"],
            r["cagr_high"],
            r["cagr_mid"],
            r["doubling_low"],
            r["doubling_high"],
        )
        for _, r in derived.iterrows()
    ]
    colors = district_colors(cb.districts)
    fig = Figure(figsize=(10.0, 0.6 * max(len(rows), 3) + 1.4), layout="constrained")
    ax1, ax2 = fig.subplots(1, 2, sharey=True)
    finite_hi = [r[3] for r in rows if math.isfinite(r[3])] or [1.0]
    x_max = max(finite_hi) * 1.25
    for y, (name, district, lo, hi, point, d_lo, d_hi) in enumerate(rows):
        c = colors[district]
        ax1.plot([lo, min(hi, x_max)], [y, y], color=c, lw=6, alpha=0.45, solid_capstyle="butt")
        if not math.isfinite(hi):
            ax1.annotate("", xy=(x_max, y), xytext=(x_max * 0.93, y), arrowprops={"arrowstyle": "->", "color": c})
        marker = "o" if "(stated)" in name else "D"
        ax1.plot([point], [y], marker=marker, color=c, mfc="white" if "(derived)" in name else c)
        ax2.plot([d_lo, d_hi], [y, y], color=c, lw=6, alpha=0.45, solid_capstyle="butt")
        if d_lo == d_hi:  # a point figure: no bar to see, so mark it
            ax2.plot([d_lo], [y], marker=marker, color=c)
    ax1.set_yticks(range(len(rows)), [r[0] for r in rows])
    ax1.set_xlim(0, x_max)
    ax1.set_xlabel("growth, percent per year")
    ax2.set_xlabel("years to double")
    ax2.set_xlim(left=0)
    ax1.invert_yaxis()
    ax1.set_title("Growth rate")
    ax2.set_title("Doubling time")
    return fig


def fig_densities(cb: Casebook):
    """Organizations per 10,000 residents: stated densities next to derived ones, as intervals.

    One row per count and denominator (log scale). Filled diamonds: the source's own density;
    circles: a count divided by a population, the label naming which population and year and the
    label's bracket the years from the count to that population. Colour is the district.

    Parameters
    ----------
    cb : Casebook
        The validated casebook, as :func:`govcases.load_casebook` returns it.

    Returns
    -------
    matplotlib.figure.Figure
        One axis with a row per density of :func:`govcases.analysis.growth.densities`: its
        interval as a bar and its point as a marker, organizations per 10,000 residents on a log scale.
    """
    from matplotlib.figure import Figure
    from matplotlib.ticker import LogLocator, NullFormatter, ScalarFormatter

    from govcases.publish.style import district_colors

    d = densities(cb)
    colors = district_colors(cb.districts)
    fig = Figure(figsize=(8.5, 0.34 * max(len(d), 4) + 1.2), layout="constrained")
    ax = fig.subplots()
    labels = []
    for y, (_, r) in enumerate(d.iterrows()):
        c = colors[r["district"]]
        ax.plot([r["density_low"], r["density_high"]], [y, y], color=c, lw=5, alpha=0.45, solid_capstyle="butt")
        stated = r["density_from"] != "derived"
        ax.plot([r["density_point"]], [y], marker="D" if stated else "o", color=c, ms=6)
        if stated:
            labels.append(f"{r['count_id']}: stated in the source")
        else:
            pop = re.sub(r" \([^)]*\)", "", r["population"])  # 'census 2020', 'managed population 2014'
            labels.append(f"{r['count_id']} / {pop} [{r['gap_low']:+.1f}, {r['gap_high']:+.1f} y]")
    ax.set_yticks(range(len(d)), labels, fontsize=8)
    ax.invert_yaxis()
    ax.set_xscale("log")
    ax.xaxis.set_major_locator(LogLocator(subs=(1.0, 2.0, 5.0)))
    ax.xaxis.set_major_formatter(ScalarFormatter())
    ax.xaxis.set_minor_formatter(NullFormatter())
    ax.margins(x=0.08)
    ax.set_xlabel(
        "organizations per 10,000 residents (log scale)\ndiamond: stated in the source; "
        "circle: count / population\n[years from the count to the population's date]"
    )
    ax.set_title("Organizations per 10,000 residents")
    return fig
