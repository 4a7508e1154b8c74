"""Figures on funding: drawn from the tables of :mod:`govcases.analysis.funding`."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter

from govcases.analysis.funding import instrument_use, normalized
from govcases.publish.style import district_colors, label
from govcases.records.casebook import Casebook

__all__ = ["fig_instrument_matrix", "fig_normalized"]


def fig_instrument_matrix(cb: Casebook, *, chinese: bool = False) -> Figure:
    """Funding instruments by district, marking which the sources name and which they put a sum on.

    A cell is filled where the source names the instrument, labelled ``sum`` where it also gives
    a sum for it alone and ``shared`` where one sum covers it with other instruments. Empty cells
    are silence in the source, not absence in the district.

    Parameters
    ----------
    cb : Casebook
        The validated casebook, as :func:`govcases.load_casebook` returns it.
    chinese : bool
        Label the districts with their Chinese names instead of their English ones.

    Returns
    -------
    matplotlib.figure.Figure
        One matrix: the codebook's funding instruments (rows) by district (columns), cells in
        the district's colour.

    Examples
    --------
    >>> import govcases
    >>> from govcases.analysis.funding import instrument_use
    >>> from govcases.publish.figures.funding import fig_instrument_matrix
    >>> cb = govcases.load_casebook()
    >>> n_cells = len(fig_instrument_matrix(cb).axes[0].patches)  # one per named (instrument, district) pair
    >>> n_cells == int(instrument_use(cb)["named"].sum()) > 0
    True
    """
    use = instrument_use(cb)
    cats = list(cb.codebook.indicators["funding_instrument"].categories or [])
    colors = district_colors(cb.districts)
    fig = Figure(figsize=(7.0, 0.36 * len(cats) + 1.6), layout="constrained")
    ax = fig.add_subplot()
    for _, r in use.iterrows():
        i, j = cats.index(r["instrument"]), cb.districts.index(r["district"])
        if r["named"]:
            ax.add_patch(_cell(j, i, colors[r["district"]]))
            text = "sum" if r["own_sum_ids"] else ("shared" if r["shared_sum_ids"] else "")
            if text:
                ax.text(j, i, text, ha="center", va="center", fontsize=8, color="white", fontweight="bold")
    ax.set_xlim(-0.5, len(cb.districts) - 0.5)
    ax.set_ylim(len(cats) - 0.5, -0.5)
    ax.set_xticks(
        range(len(cb.districts)),
        [label(cb.profiles, d, chinese=chinese) for d in cb.districts],
        rotation=20,
        ha="right",
    )
    ax.set_yticks(range(len(cats)), cats, fontsize=8)
    ax.set_xticks(np.arange(len(cb.districts) + 1) - 0.5, minor=True)
    ax.set_yticks(np.arange(len(cats) + 1) - 0.5, minor=True)
    ax.grid(False)
    ax.grid(which="minor", color="#dddddd", linewidth=0.6)
    ax.tick_params(which="minor", length=0)
    ax.set_title(
        "Funding instruments the sources name\n(sum: a sum of its own; shared: one sum for several)", fontsize=10
    )
    return fig


def _cell(x: float, y: float, color: str):
    from matplotlib.patches import Rectangle

    return Rectangle((x - 0.45, y - 0.42), 0.9, 0.84, facecolor=color, edgecolor="none", alpha=0.85)


def fig_normalized(cb: Casebook, *, chinese: bool = False) -> Figure:
    """Normalized sums with their interval bars, in three panels on log scales.

    The panels are per year, per organization (per year, per recipient, as stated) and per
    10,000 people per year.

    Each row is one sum over one denominator (labelled ``sum id ÷ denominator id``). A bar runs from
    the low to the high end of the interval; a dot marks the figure from the stated numbers where
    there is one. Rows whose denominator's date does not match the sum's period (MISMATCH in the
    tables) are drawn dashed with hollow dots.

    Parameters
    ----------
    cb : Casebook
        The validated casebook, as :func:`govcases.load_casebook` returns it.
    chinese : bool
        Label the districts with their Chinese names instead of their English ones.

    Returns
    -------
    matplotlib.figure.Figure
        Three stacked panels of :func:`govcases.analysis.funding.normalized`, in yuan on log
        axes, each titled at its left; a panel with no row says so in words.

    Examples
    --------
    >>> import govcases
    >>> from govcases.publish.figures.funding import fig_normalized
    >>> [ax.get_title(loc="left") for ax in fig_normalized(govcases.load_casebook()).axes]
    ['per year', 'per organization', 'per 10,000 people']
    """
    table = normalized(cb)
    panels = [
        ("per year", ["per year"], "yuan per year"),
        (
            "per organization",
            ["per organization per year", "per recipient", "per organization as stated"],
            "yuan per organization (per year, per recipient, or as stated)",
        ),
        ("per 10,000 people", ["per 10,000 people per year"], "yuan per 10,000 people per year"),
    ]
    sizes = [max(1, int(table["measure"].isin(m).sum())) for _, m, _ in panels]
    colors = district_colors(cb.districts)
    fig = Figure(figsize=(9.0, 0.28 * sum(sizes) + 2.4), layout="constrained")
    axes = fig.subplots(len(panels), 1, gridspec_kw={"height_ratios": sizes})
    for ax, (title, measures, xlabel) in zip(axes, panels):
        rows = table[table["measure"].isin(measures)].reset_index(drop=True)
        ax.set_title(title, fontsize=10, loc="left")
        if rows.empty:
            ax.text(
                0.5,
                0.5,
                "no sum the evidence allows to normalize",
                ha="center",
                va="center",
                transform=ax.transAxes,
                fontsize=8,
            )
            ax.set_xticks([])
            ax.set_yticks([])
            continue
        for y, r in rows.iterrows():
            color = colors[r["district"]]
            mismatch = str(r["timing"]).startswith("MISMATCH")
            high = r["high"] if np.isfinite(r["high"]) else r["low"] * 10
            ax.plot(
                [r["low"], high],
                [y, y],
                color=color,
                linewidth=3,
                alpha=0.85,
                linestyle=(0, (2, 1)) if mismatch else "-",
                solid_capstyle="butt",
            )
            if r["low"] == r["high"]:
                ax.plot([r["low"]], [y], marker="|", markersize=10, color=color)
            if not pd.isna(r["point"]):
                ax.plot(
                    [r["point"]],
                    [y],
                    marker="o",
                    markersize=5,
                    linestyle="none",
                    markerfacecolor="white" if mismatch else color,
                    markeredgecolor=color,
                )
        labels = [_row_label(cb, r, chinese) for _, r in rows.iterrows()]
        ax.set_yticks(range(len(rows)), labels, fontsize=7)
        ax.set_ylim(len(rows) - 0.5, -0.5)
        ax.set_xscale("log")
        ax.xaxis.set_major_locator(LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
        ax.xaxis.set_major_formatter(FuncFormatter(_yuan))
        ax.xaxis.set_minor_formatter(NullFormatter())
        ax.set_xlabel(xlabel, fontsize=8)
        ax.tick_params(axis="x", labelsize=8)
    fig.suptitle(
        "Sums of money normalized where the evidence allows (bars: intervals; dashed: dates do not match)", fontsize=10
    )
    return fig


def _yuan(x: float, _pos=None) -> str:
    """Short tick labels: thousands as k, millions as M."""
    if x >= 1e6:
        return f"{x / 1e6:g}M"
    if x >= 1e3:
        return f"{x / 1e3:g}k"
    return f"{x:g}"


def _row_label(cb: Casebook, r, chinese: bool) -> str:
    name = label(cb.profiles, r["district"], chinese=chinese).split(" ")[0]
    fact = str(r["id"]).removeprefix(f"{r['district']}-")
    if pd.isna(r["denominator_id"]):
        return f"{name}: {fact}"
    return f"{name}: {fact} ÷ {str(r['denominator_id']).removeprefix(str(r['district']) + '-')}"
