"""Figures on registration: drawn from the tables of :mod:`govcases.analysis.registration`."""

from __future__ import annotations

import textwrap

import pandas as pd

from govcases.analysis.registration import (
    conversion_rates,
    national_reforms,
    procedure_changes,
    reform_timeline,
)
from govcases.records.casebook import Casebook

__all__ = ["fig_conversion_rates", "fig_procedure_changes", "fig_reform_timeline"]


_KIND_ORDER = ["filing system", "dual track", "direct registration", "procedure change"]


def fig_reform_timeline(cb: Casebook, national: pd.DataFrame | None = None, *, chinese: bool = False):
    """Reforms across the districts on one time axis, against the national move of 2013.

    One band per district (from ``cb.districts``; a district without reform facts keeps an empty
    band), one lane per kind of reform. A bar covers the period in which the reform began; where
    the text gives no date (``start_stated`` False) the bar is hatched and covers only when it is
    reported in force. Reforms of one kind and period are drawn once with their number. Vertical
    lines mark the dated national facts of :func:`national_reforms`.

    Parameters
    ----------
    cb : Casebook
        The validated casebook, as :func:`govcases.load_casebook` returns it.
    national : pandas.DataFrame, optional
        The national policy facts to mark, as :func:`govcases.analysis.registration.national_reforms`
        returns them (only rows whose ``unit`` is ``"date"`` are drawn); default that table for ``cb``.
    chinese : bool
        Label the districts with their Chinese names instead of their English ones.

    Returns
    -------
    matplotlib.figure.Figure
        One time axis (years) with a band of lanes per district, one lane per kind of reform
        (filing system, dual track, direct registration, procedure change), and a legend below.
    """
    import matplotlib.dates as mdates
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    from govcases.publish.style import PALETTE, label

    national = national_reforms(cb) if national is None else national
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
        ax.broken_barh(
            [(x0, width)],
            (y - 0.4, 0.8),
            facecolor=colors[kind],
            alpha=0.8 if stated else 0.35,
            hatch=None if stated else "///",
            edgecolor=colors[kind],
        )
        if len(g) > 1:
            ax.text(x0 + width + 20, y, f"x{len(g)}", va="center", fontsize=8)
    x_text = mdates.date2num(pd.Timestamp(t["period_start"].min()) if len(t) else pd.Timestamp("2013-01-01"))
    for i, d in enumerate(districts):
        if d not in set(t["district"]):
            ax.text(
                x_text,
                i * band + (len(_KIND_ORDER) - 1) / 2,
                "no registration reform reported in the source",
                va="center",
                fontsize=8.5,
                color="0.4",
                style="italic",
            )
    handles = [Patch(facecolor=colors[k], label=k) for k in _KIND_ORDER]
    handles.append(Patch(facecolor="white", edgecolor="0.4", hatch="///", label="date not stated: in force by then"))
    for _, n in national[national["unit"] == "date"].sort_values("date").iterrows():
        style = "-" if n["what"] == "state_council_plan_approved" else "--"
        ax.axvline(mdates.date2num(n["date"]), color="0.2", ls=style, lw=1.1)
        handles.append(
            Line2D([], [], color="0.2", ls=style, label=f"national: {n['what'].replace('_', ' ')}, {n['value']}")
        )
    ax.set_yticks(
        [i * band + (len(_KIND_ORDER) - 1) / 2 for i in range(len(districts))],
        [label(cb.profiles, d, chinese=chinese) for d in districts],
    )
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


def fig_procedure_changes(cb: Casebook):
    """What is left of each registration requirement after the reform, as a share of before.

    One bar per requirement (documents, trips, approval days), labelled with the figures as the
    source gives them and their fact ids.

    Parameters
    ----------
    cb : Casebook
        The validated casebook, as :func:`govcases.load_casebook` returns it.

    Returns
    -------
    matplotlib.figure.Figure
        One horizontal bar chart from :func:`govcases.analysis.registration.procedure_changes`:
        the requirement after the reform as a percent of before (a dotted line marks 100%), one
        bar per requirement coloured by district, labelled ``before → after unit (change %)``.
    """
    from matplotlib.figure import Figure

    from govcases.publish.style import district_colors

    p = procedure_changes(cb)
    colors = district_colors(cb.districts)
    fig = Figure(figsize=(8.5, 0.7 * max(len(p), 3) + 1.2), layout="constrained")
    ax = fig.subplots()
    for y, (_, r) in enumerate(p.iterrows()):
        ax.barh(y, 100 * r["after_share"], color=colors[r["district"]], alpha=0.8)
        ax.text(
            100 * r["after_share"] + 1.5,
            y,
            f"{r['before']:g} → {r['after']:g} {r['unit']} ({r['change_percent']:+.0f}%)",
            va="center",
            fontsize=8.5,
        )
    ax.set_yticks(
        range(len(p)), [textwrap.fill(f"{r['district']}: {r['subject']}", 34) for _, r in p.iterrows()], fontsize=8.5
    )
    ax.invert_yaxis()
    ax.set_xlim(0, 130)
    ax.axvline(100, color="0.4", lw=1, ls=":")
    ax.set_xlabel("after the reform, percent of the requirement before")
    ax.set_title("Registration requirements after the reform")
    return fig


def fig_conversion_rates(cb: Casebook):
    """Conversion rates from incubation to registration with their Wilson 95% intervals.

    Parameters
    ----------
    cb : Casebook
        The validated casebook, as :func:`govcases.load_casebook` returns it.

    Returns
    -------
    matplotlib.figure.Figure
        One axis from :func:`govcases.analysis.registration.conversion_rates`: per district and
        tier, the percent of incubated organizations that registered as a dot with its Wilson
        interval, labelled with the counts (registered/incubated). The counts are whole
        populations, not samples; the axis label says so.
    """
    from matplotlib.figure import Figure

    from govcases.publish.style import district_colors

    r = conversion_rates(cb)
    colors = district_colors(cb.districts)
    fig = Figure(figsize=(8.5, 0.8 * max(len(r), 2) + 1.4), layout="constrained")
    ax = fig.subplots()
    for y, (_, row) in enumerate(r.iterrows()):
        c = colors[row["district"]]
        ax.errorbar(
            [100 * row["rate"]],
            [y],
            xerr=[[100 * (row["rate"] - row["ci_low"])], [100 * (row["ci_high"] - row["rate"])]],
            fmt="o",
            color=c,
            capsize=4,
        )
        ax.text(100 * row["ci_high"] + 1.5, y, f"{row['registered']}/{row['incubated']}", va="center", fontsize=9)
    ax.set_yticks(
        range(len(r)), [textwrap.fill(f"{row['district']}: {row['tier']}", 34) for _, row in r.iterrows()], fontsize=8.5
    )
    ax.set_ylim(len(r) - 0.5, -0.5)
    ax.set_xlim(0, 100)
    ax.set_xlabel("registered, percent of incubated\n(bar: Wilson 95% interval; the counts are not a sample)")
    ax.set_title("From incubation to registration")
    return fig
