"""Figures on overview: drawn from the tables of :mod:`govcases.analysis.overview`."""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure

from govcases.analysis.overview import coverage_table, period_intervals, period_summary
from govcases.publish.figures._heatmap import heatmap
from govcases.publish.style import district_colors, label
from govcases.records.casebook import Casebook

__all__ = ["fig_category_heatmap", "fig_coverage", "fig_period_timeline"]


# ---------------------------------------------------------------------------------- categories
def fig_category_heatmap(cb: Casebook, *, chinese: bool = False) -> Figure:
    """Heatmap of facts per codebook category (rows) and district (columns).

    The counts are :meth:`Casebook.category_counts`. A zero is a category the source says nothing about.

    Parameters
    ----------
    cb : Casebook
        The validated casebook, as :func:`govcases.load_casebook` returns it.
    chinese : bool
        Label the districts with their Chinese names instead of their English ones.

    Returns
    -------
    matplotlib.figure.Figure
        One heatmap, each cell labelled with its number of facts, with a colour bar.

    Examples
    --------
    >>> import govcases
    >>> from govcases.publish.figures.overview import fig_category_heatmap
    >>> fig_category_heatmap(govcases.load_casebook()).axes[0].get_title()
    'Facts per category and district'
    """
    table = cb.category_counts()
    fig = Figure(figsize=(7.0, 4.6), layout="constrained")
    ax = fig.add_subplot()
    image = heatmap(ax, table.to_numpy(dtype=float))
    ax.set_xticks(
        range(table.shape[1]), [label(cb.profiles, d, chinese=chinese) for d in table.columns], rotation=20, ha="right"
    )
    ax.set_yticks(range(table.shape[0]), list(table.index))
    ax.set_xlabel("")
    ax.set_ylabel("codebook category")
    ax.set_title("Facts per category and district")
    fig.colorbar(image, ax=ax, label="facts in the record", shrink=0.8)
    return fig


def fig_period_timeline(cb: Casebook, *, chinese: bool = False) -> Figure:
    """Reference periods on a timeline: one band per district, one segment per distinct interval.

    Each segment is the resolved period_start to period_end of the facts that share it, labelled
    with how many facts do (see :func:`period_intervals`); intervals of a single day are dots.
    Facts from external tables (census, area) are drawn in grey. The narrative source's page date
    is marked with a triangle: filled for a page date, hollow for a repost date, which is when a
    copy went online and not when anything in it happened.

    Parameters
    ----------
    cb : Casebook
        The validated casebook, as :func:`govcases.load_casebook` returns it.
    chinese : bool
        Label the districts with their Chinese names instead of their English ones.

    Returns
    -------
    matplotlib.figure.Figure
        One timeline axis: a lane per district (alphabetical by slug), years on the x axis, and a
        legend for the marks below it.

    Examples
    --------
    >>> import govcases
    >>> from govcases.publish.figures.overview import fig_period_timeline
    >>> ax = fig_period_timeline(govcases.load_casebook()).axes[0]
    >>> ax.get_yticklabels()[0].get_text().endswith("(no page date recorded)")
    True
    """
    import matplotlib.dates as mdates

    table = period_intervals(cb)
    summary = period_summary(cb).set_index("district")
    colors = district_colors(cb.districts)
    fig = Figure(figsize=(9.0, 0.2 * len(table) + 0.5 * len(cb.districts) + 1.6), layout="constrained")
    ax = fig.add_subplot()
    y, ticks, ticklabels = 0.0, [], []
    for d in cb.districts:
        rows = table[table["district"] == d].sort_values(["period_start", "period_end"])
        top = y
        for _, r in rows.iterrows():
            external = r["n_external"] == r["n_facts"]
            color = "#9a9a9a" if external else colors[d]
            start, end = mdates.date2num(r["period_start"]), mdates.date2num(r["period_end"] + pd.Timedelta(days=1))
            if r["period_start"] == r["period_end"]:
                ax.plot([start], [y], marker="o", markersize=4, color=color, linestyle="none")
            else:
                ax.plot([start, end], [y, y], color=color, linewidth=3, solid_capstyle="butt")
            ax.text(end, y, f" {int(r['n_facts'])}", va="center", ha="left", fontsize=7, color="#444444")
            y += 1
        ticks.append((top + y - 1) / 2)
        kind = summary.loc[d, "page_date_kind"]
        page = summary.loc[d, "page_date"]
        name = label(cb.profiles, d, chinese=chinese)
        ax.axhspan(top - 0.5, y - 0.5, color=colors[d], alpha=0.06, linewidth=0)
        if kind in ("page date", "repost date") and not pd.isna(page):
            x = mdates.date2num(pd.Timestamp(page))
            face = colors[d] if kind == "page date" else "white"
            ax.plot([x, x], [top - 0.5, y - 0.5], color=colors[d], linewidth=0.8, linestyle=":")
            ax.plot(
                [x],
                [top - 0.6],
                marker="v",
                markersize=9,
                markerfacecolor=face,
                markeredgecolor=colors[d],
                linestyle="none",
            )
            ticklabels.append(name)
        else:
            ticklabels.append(f"{name}\n(no page date recorded)")
        y += 1.0  # a blank lane between districts
    ax.set_yticks(ticks, ticklabels)
    ax.set_ylim(y - 0.5, -1.2)
    ax.xaxis.set_major_locator(mdates.YearLocator(2))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    ax.grid(axis="y", visible=False)
    ax.set_title("Reference periods of the facts (numbers: facts sharing the interval)")
    from matplotlib.lines import Line2D

    handles = [
        Line2D([], [], color="#555555", linewidth=3, label="resolved reference interval"),
        Line2D([], [], color="#9a9a9a", linewidth=3, label="external table (census, area)"),
        Line2D(
            [],
            [],
            color="#555555",
            marker="v",
            markerfacecolor="#555555",
            linestyle="none",
            label="page date of the source",
        ),
        Line2D(
            [],
            [],
            color="#555555",
            marker="v",
            markerfacecolor="white",
            linestyle="none",
            label="repost date (not a fact date)",
        ),
    ]
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(0, -0.06), ncol=2, frameon=False)
    return fig


def fig_coverage(cb: Casebook, *, chinese: bool = False) -> Figure:
    """Coverage matrix: facts per indicator (rows, grouped by category) and district (columns).

    White cells are indicators a source does not state; that is what the source lacks, which is
    not evidence that the district lacks it. Row labels are indicator ids (Chinese codebook labels
    with ``chinese=True``).

    Parameters
    ----------
    cb : Casebook
        The validated casebook, as :func:`govcases.load_casebook` returns it.
    chinese : bool
        Label the districts with their Chinese names and the indicators with the codebook's
        Chinese labels.

    Returns
    -------
    matplotlib.figure.Figure
        One heatmap of the number of facts per indicator and district, with the category names
        on the right and a colour bar below.

    Examples
    --------
    >>> import govcases
    >>> from govcases.publish.figures.overview import fig_coverage
    >>> fig_coverage(govcases.load_casebook()).axes[0].get_yticklabels()[0].get_text()
    'orgs_community_filed'
    """
    table = coverage_table(cb)
    book = cb.codebook.table().set_index("indicator")
    values = table[cb.districts].to_numpy(dtype=float)
    fig = Figure(figsize=(7.5, 0.2 * len(table) + 1.8), layout="constrained")
    ax = fig.add_subplot()
    image = heatmap(ax, values, fontsize=7)
    ax.xaxis.tick_top()
    ax.set_xticks(
        range(len(cb.districts)),
        [label(cb.profiles, d, chinese=chinese) for d in cb.districts],
        rotation=30,
        ha="left",
        rotation_mode="anchor",
    )
    plt_labels = [book.loc[i, "label_zh"] if chinese else i for i in table["indicator"]]
    ax.set_yticks(range(len(table)), plt_labels, fontsize=7)
    # separators and labels for the categories, on the right
    cats = table["category"].tolist()
    start = 0
    for i in range(1, len(cats) + 1):
        if i == len(cats) or cats[i] != cats[start]:
            if i < len(cats):
                ax.axhline(i - 0.5, color="#555555", linewidth=1.0)
            ax.text(
                len(cb.districts) - 0.4,
                (start + i - 1) / 2,
                cats[start],
                ha="left",
                va="center",
                fontsize=8,
                fontweight="bold",
                color="#333333",
            )
            start = i
    ax.set_title("Facts per indicator: a white cell is silence in the source, not absence in the district", fontsize=10)
    fig.colorbar(image, ax=ax, label="facts", shrink=0.3, location="bottom", pad=0.01)
    return fig
