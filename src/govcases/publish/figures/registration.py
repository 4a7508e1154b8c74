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
from govcases.publish.figures._evidence import mark
from govcases.publish.figures._text import district_name, left_out, note_below, subject_words, title, tr
from govcases.records.casebook import Casebook

__all__ = ["fig_conversion_rates", "fig_procedure_changes", "fig_reform_timeline"]


_KIND_ORDER = ["filing system", "dual track", "direct registration", "procedure change"]
_KIND_ZH = {
    "filing system": "备案制",
    "dual track": "双轨制",
    "direct registration": "直接登记",
    "procedure change": "程序简化",
}
#: The national facts of :func:`national_reforms`, as a reader names them.
_NATIONAL = {
    "state_council_plan_approved": ("State Council reform plan approved", "国务院机构改革和职能转变方案通过"),
    "regulation_revision_deadline": ("deadline to revise the regulations", "修订登记管理条例的期限"),
    "direct_registration_four_kinds": ("direct registration for four kinds", "四类社会组织直接登记"),
    "provinces_with_direct_registration": ("provinces with direct registration", "开展直接登记的省份"),
}
_UNITS = {"items": ("items", "项"), "days": ("days", "天"), "trips": ("trips", "趟")}


def fig_reform_timeline(cb: Casebook, national: pd.DataFrame | None = None, *, chinese: bool = False):
    """Reforms across the districts on one time axis, against the national move of 2013.

    One band per district (from ``cb.districts``; a district without reform facts keeps an empty
    band with a note), one lane per kind of reform. A reform is a point in time known only within
    an interval, so it is drawn as an interval bracket (a thin line with end ticks, no guessed midpoint):
    the reform *began* somewhere in it; it is not a duration. Where the text gives no start
    (``start_stated`` False) only a square at the date by which it is reported in force is drawn,
    with a dotted lead-in. Reforms of one kind and period are drawn once with their number. Vertical
    lines mark the dated national facts of :func:`national_reforms`.

    Parameters
    ----------
    cb : Casebook
        The validated casebook, as :func:`govcases.load_casebook` returns it.
    national : pandas.DataFrame, optional
        The national policy facts to mark, as :func:`govcases.analysis.registration.national_reforms`
        returns them (only rows whose ``unit`` is ``"date"`` are drawn); default that table for ``cb``.
    chinese : bool
        Chinese title, legend, kinds and district names instead of English ones.

    Returns
    -------
    matplotlib.figure.Figure
        One time axis (years) with a band of lanes per district, one lane per kind of reform
        (filing system, dual track, direct registration, procedure change), and a legend below.
    """
    import matplotlib.dates as mdates
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

    from govcases.publish.style import KIND_PALETTE, label

    national = national_reforms(cb) if national is None else national
    t = reform_timeline(cb)
    colors = {k: KIND_PALETTE[i] for i, k in enumerate(_KIND_ORDER)}
    lane = {k: i for i, k in enumerate(_KIND_ORDER)}
    band = len(_KIND_ORDER) + 1
    districts = cb.districts
    fig = Figure(figsize=(10.0, 0.2 * band * len(districts) + 2.2), layout="constrained")
    ax = fig.subplots()
    groups = t.groupby(["district", "kind", "period_start", "period_end", "start_stated"], sort=True)
    for (district, kind, start, end, stated), g in groups:
        y = districts.index(district) * band + lane[kind]
        x0 = mdates.date2num(pd.Timestamp(start))
        x1 = mdates.date2num(pd.Timestamp(end) + pd.Timedelta(days=1))
        c = colors[kind]
        if stated:  # began somewhere in [x0, x1]: a bracket around a dot, not a bar of some length
            # no dot at the midpoint: that would be a guessed date
            drawn = ax.plot([x0, x1], [y, y], color=c, lw=1.6, marker="|", ms=10, mew=1.6)
        else:  # only "in force by" the end is known
            drawn = ax.plot([x0, x1], [y, y], color=c, lw=1.0, ls=":")
            drawn += ax.plot([x1], [y], marker="s", ms=6, color=c, ls="none")
        mark(fig, cb, drawn, list(g["id"]), chinese=chinese)
        if len(g) > 1:
            ax.text(x1 + 30, y, f"×{len(g)}", va="center", fontsize=8)
    x_text = mdates.date2num(pd.Timestamp(t["period_start"].min()) if len(t) else pd.Timestamp("2013-01-01"))
    for i, d in enumerate(districts):
        if d not in set(t["district"]):
            ax.text(
                x_text,
                i * band + (len(_KIND_ORDER) - 1) / 2,
                tr("no registration reform reported in the source", "来源未提及登记改革", chinese),
                va="center",
                fontsize=8.5,
                color="0.4",
                style="italic",
            )
    handles = [Line2D([], [], color=colors[k], lw=3, label=_KIND_ZH.get(k, k) if chinese else k) for k in _KIND_ORDER]
    handles.append(
        Line2D(
            [],
            [],
            color="0.4",
            lw=1.4,
            marker="|",
            ms=9,
            label=tr("the reform began within this interval", "改革始于此区间内", chinese),
        )
    )
    handles.append(
        Line2D(
            [],
            [],
            color="0.4",
            lw=1.0,
            ls=":",
            marker="s",
            label=tr("start not stated: in force by this date", "起始日期未说明：此日期前已实施", chinese),
        )
    )
    for _, n in national[national["unit"] == "date"].sort_values("date").iterrows():
        style = "-" if n["what"] == "state_council_plan_approved" else "--"
        ax.axvline(mdates.date2num(n["date"]), color="0.2", ls=style, lw=1.1)
        en, zh = _NATIONAL.get(n["what"], (str(n["what"]).replace("_", " "), str(n["what"]).replace("_", " ")))
        handles.append(
            Line2D(
                [],
                [],
                color="0.2",
                ls=style,
                label=tr(f"national: {en}, {n['value']}", f"全国：{zh}，{n['value']}", chinese),
            )
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
    title(
        ax,
        tr(
            "Registration reforms by district, against the national plan of 2013",
            "各区登记管理改革与2013年全国方案",
            chinese,
        ),
        chinese,
    )
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.08), ncol=3, frameon=False, fontsize=8.5)
    return fig


def fig_procedure_changes(cb: Casebook, *, chinese: bool = False):
    """What is left of each registration requirement after the reform, as a share of before.

    One bar per requirement (documents, trips, approval days), labelled with the figures as the
    source gives them and their unit; the facts are in the SVG's hover texts and the caption.

    Parameters
    ----------
    cb : Casebook
        The validated casebook, as :func:`govcases.load_casebook` returns it.
    chinese : bool
        Chinese title, axes and labels instead of English ones.

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
    facts = cb.facts_by_id
    for y, (_, r) in enumerate(p.iterrows()):
        bars = ax.barh(y, 100 * r["after_share"], color=colors[r["district"]], alpha=0.8)
        mark(fig, cb, list(bars.patches), [r["before_id"], r["after_id"]], chinese=chinese)
        unit = _UNITS.get(r["unit"], (str(r["unit"]), str(r["unit"])))
        ax.text(
            100 * r["after_share"] + 1.5,
            y,
            f"{r['before']:g} → {r['after']:g} {tr(*unit, chinese)} ({r['change_percent']:+.0f}%)",
            va="center",
            fontsize=8.5,
        )
    labels = [
        district_name(cb, r["district"], chinese)
        + ": "
        + (subject_words(cb, facts.loc[r["after_id"]], True) if chinese else str(r["subject"]))
        for _, r in p.iterrows()
    ]
    ax.set_yticks(range(len(p)), [textwrap.fill(t, 20 if chinese else 34) for t in labels], fontsize=8.5)
    ax.invert_yaxis()
    ax.set_xlim(0, 130)
    ax.axvline(100, color="0.4", lw=1, ls=":")
    ax.set_xlabel(tr("after the reform, percent of the requirement before", "改革后占改革前要求的百分比", chinese))
    title(ax, tr("Registration requirements after the reform", "改革后的登记要求", chinese), chinese)
    note_below(
        fig, left_out(cb, p["district"], chinese, "no requirement stated before and after", "无改革前后的要求数字")
    )
    return fig


def fig_conversion_rates(cb: Casebook, *, chinese: bool = False):
    """Conversion rates from incubation to registration with their Wilson 95% intervals.

    Parameters
    ----------
    cb : Casebook
        The validated casebook, as :func:`govcases.load_casebook` returns it.
    chinese : bool
        Chinese title, axes and labels instead of English ones.

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
        drawn = ax.errorbar(
            [100 * row["rate"]],
            [y],
            xerr=[[100 * (row["rate"] - row["ci_low"])], [100 * (row["ci_high"] - row["rate"])]],
            fmt="o",
            color=c,
            capsize=4,
        )
        mark(fig, cb, drawn, [row["incubated_id"], row["registered_id"]], chinese=chinese)
        ax.text(100 * row["ci_high"] + 1.5, y, f"{row['registered']}/{row['incubated']}", va="center", fontsize=9)
    facts = cb.facts_by_id
    labels = [
        district_name(cb, row["district"], chinese)
        + ": "
        + (subject_words(cb, facts.loc[row["incubated_id"]], True) if chinese else str(row["tier"]))
        for _, row in r.iterrows()
    ]
    ax.set_yticks(range(len(r)), [textwrap.fill(t, 20 if chinese else 34) for t in labels], fontsize=8.5)
    ax.set_ylim(len(r) - 0.5, -0.5)
    ax.set_xlim(0, 100)
    ax.set_xlabel(
        tr(
            "registered, percent of incubated\n(bar: Wilson 95% interval; the counts are not a sample)",
            "已登记占孵化数的百分比\n（横线：Wilson 95%区间；这些数量并非样本）",
            chinese,
        )
    )
    title(ax, tr("From incubation to registration", "从孵化到登记", chinese), chinese)
    note_below(fig, left_out(cb, r["district"], chinese, "no incubated and registered counts", "无孵化与登记数量"))
    return fig
