"""Figures on overview: drawn from the tables of :mod:`govcases.analysis.overview`."""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure

from govcases.analysis.overview import coverage_table, period_intervals, period_summary
from govcases.publish.figures._evidence import mark
from govcases.publish.figures._heatmap import heatmap
from govcases.publish.figures._text import category_label, indicator_label, title, tr
from govcases.publish.style import EXTERNAL_GREY, district_colors, label
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
        Chinese title, axes, categories and district names instead of English ones.

    Returns
    -------
    matplotlib.figure.Figure
        One heatmap, each cell labelled with its number of facts (its facts on hover in the SVG),
        with a colour bar.

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
    ax.set_yticks(range(table.shape[0]), [category_label(c, chinese) for c in table.index])
    ax.set_xlabel("")
    ax.set_ylabel(tr("codebook category", "编码类别", chinese))
    title(ax, tr("Facts per category and district", "各类别、各区的事实数", chinese), chinese)
    fig.colorbar(image, ax=ax, label=tr("facts in the record", "记录中的事实数", chinese), shrink=0.8)
    _mark_cells(fig, cb, ax, list(table.index), list(table.columns), "category", chinese)
    return fig


def _mark_cells(fig, cb: Casebook, ax, rows: list, columns: list, key: str, chinese: bool) -> None:
    """Tie each written cell of a heatmap (row ``key`` value, district column) to its facts."""
    facts = cb.facts
    for text in ax.texts:
        j, i = (round(v) for v in text.get_position())
        if 0 <= i < len(rows) and 0 <= j < len(columns):
            ids = facts.loc[(facts[key] == rows[i]) & (facts["district"] == columns[j]), "id"].tolist()
            mark(fig, cb, text, ids, chinese=chinese)


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
        Chinese title, legend and district names instead of English ones.

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
            color = EXTERNAL_GREY if external else colors[d]
            start, end = mdates.date2num(r["period_start"]), mdates.date2num(r["period_end"] + pd.Timedelta(days=1))
            if r["period_start"] == r["period_end"]:
                drawn = ax.plot([start], [y], marker="o", markersize=4, color=color, linestyle="none")
            else:
                drawn = ax.plot([start, end], [y, y], color=color, linewidth=3, solid_capstyle="butt")
            same = (
                (cb.facts["district"] == d)
                & (cb.facts["period_start"] == r["period_start"].date().isoformat())
                & (cb.facts["period_end"] == r["period_end"].date().isoformat())
            )
            mark(fig, cb, drawn, cb.facts.loc[same, "id"].tolist(), chinese=chinese)
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
            ticklabels.append(f"{name}\n" + tr("(no page date recorded)", "（未记录页面日期）", chinese))
        y += 1.0  # a blank lane between districts
    ax.set_yticks(ticks, ticklabels)
    ax.set_ylim(y - 0.5, -1.2)
    ax.xaxis.set_major_locator(mdates.YearLocator(2))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    ax.grid(axis="y", visible=False)
    title(
        ax,
        tr(
            "Reference periods of the facts (numbers: facts sharing the interval)",
            "事实的参考时期（数字：同一时期的事实数）",
            chinese,
        ),
        chinese,
    )
    from matplotlib.lines import Line2D

    handles = [
        Line2D(
            [], [], color="#555555", linewidth=3, label=tr("resolved reference interval", "确定的参考区间", chinese)
        ),
        Line2D(
            [],
            [],
            color=EXTERNAL_GREY,
            linewidth=3,
            label=tr("external table (census, area)", "外部表格（普查、面积）", chinese),
        ),
        Line2D(
            [],
            [],
            color="#555555",
            marker="v",
            markerfacecolor="#555555",
            linestyle="none",
            label=tr("page date of the source", "来源的页面日期", chinese),
        ),
        Line2D(
            [],
            [],
            color="#555555",
            marker="v",
            markerfacecolor="white",
            linestyle="none",
            label=tr("repost date (not a fact date)", "转载日期（非事实日期）", chinese),
        ),
    ]
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(0, -0.06), ncol=2, frameon=False)
    return fig


def fig_coverage(cb: Casebook, *, chinese: bool = False) -> Figure:
    """Coverage matrix: facts per indicator (rows, grouped by category) and district (columns).

    White cells are indicators a source does not state; that is what the source lacks, which is
    not evidence that the district lacks it. Row labels are the codebook's labels of the indicators.

    Parameters
    ----------
    cb : Casebook
        The validated casebook, as :func:`govcases.load_casebook` returns it.
    chinese : bool
        Chinese title, district names, categories and the codebook's Chinese labels of the indicators.

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
    'Community organizations under filing management'
    """
    table = coverage_table(cb)
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
    ax.set_yticks(range(len(table)), [indicator_label(cb, i, chinese) for i in table["indicator"]], fontsize=7)
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
                category_label(cats[start], chinese),
                ha="left",
                va="center",
                fontsize=8,
                fontweight="normal" if chinese else "bold",  # the CJK font has no bold
                color="#333333",
            )
            start = i
    title(
        ax,
        tr(
            "Facts per indicator: a white cell is silence in the source, not absence in the district",
            "各指标的事实数：空白格表示来源未提及，而非该区没有",
            chinese,
        ),
        chinese,
        fontsize=10,
    )
    fig.colorbar(image, ax=ax, label=tr("facts", "事实数", chinese), shrink=0.3, location="bottom", pad=0.01)
    _mark_cells(fig, cb, ax, list(table["indicator"]), list(cb.districts), "indicator", chinese)
    return fig
