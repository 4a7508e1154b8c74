"""Figures on funding: drawn from the tables of :mod:`govcases.analysis.funding`."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter

from govcases.analysis.funding import instrument_use, normalized
from govcases.publish.figures._evidence import mark
from govcases.publish.figures._text import left_out, title, tr
from govcases.publish.style import district_colors, label
from govcases.records.casebook import Casebook

__all__ = ["fig_instrument_matrix", "fig_normalized"]

#: The codebook's funding instruments in Chinese (the codebook names them by id only).
_INSTRUMENT_ZH = {
    "lottery_welfare_fund": "福利彩票公益金",
    "government_purchase": "政府购买服务",
    "venture_philanthropy": "公益创投",
    "special_fund": "专项资金",
    "fiscal_budget": "财政预算",
    "startup_grant": "开办经费",
    "rating_subsidy": "评估等级补贴",
    "directed_donation_tax_incentive": "定向捐赠税收优惠",
    "volunteer_insurance": "志愿者保险",
    "tiered_fiscal_subsidy": "分级财政补贴",
    "social_funds": "社会资金",
    "project_grant": "项目资助",
    "reward_in_lieu_of_subsidy": "以奖代补",
    "mixed": "多种工具合计",
    "unstated": "未说明",
}


def _instrument_words(instrument: str, chinese: bool) -> str:
    """A funding instrument as words (an instrument not in the table loses its underscores)."""
    return _INSTRUMENT_ZH.get(instrument, instrument.replace("_", " ")) if chinese else instrument.replace("_", " ")


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
        Chinese title, instruments and district names instead of English ones.

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
            patch = ax.add_patch(_cell(j, i, colors[r["district"]]))
            # the table joins several ids with " | "
            ids = [i for c in ("instrument_ids", "own_sum_ids", "shared_sum_ids") for i in str(r[c]).split(" | ") if i]
            marks = [patch]
            text = (
                tr("sum", "金额", chinese)
                if r["own_sum_ids"]
                else (tr("shared", "合计", chinese) if r["shared_sum_ids"] else "")
            )
            if text:
                marks.append(
                    ax.text(
                        j,
                        i,
                        text,
                        ha="center",
                        va="center",
                        fontsize=8,
                        color="white",
                        fontweight="normal" if chinese else "bold",
                    )  # the CJK font has no bold
                )
            mark(fig, cb, marks, ids, chinese=chinese)
    ax.set_xlim(-0.5, len(cb.districts) - 0.5)
    ax.set_ylim(len(cats) - 0.5, -0.5)
    ax.set_xticks(
        range(len(cb.districts)),
        [label(cb.profiles, d, chinese=chinese) for d in cb.districts],
        rotation=20,
        ha="right",
    )
    ax.set_yticks(range(len(cats)), [_instrument_words(c, chinese) for c in cats], fontsize=8)
    ax.set_xticks(np.arange(len(cb.districts) + 1) - 0.5, minor=True)
    ax.set_yticks(np.arange(len(cats) + 1) - 0.5, minor=True)
    ax.grid(False)
    ax.grid(which="minor", color="#dddddd", linewidth=0.6)
    ax.tick_params(which="minor", length=0)
    title(
        ax,
        tr(
            "Funding instruments the sources name\n(sum: a sum of its own; shared: one sum for several)",
            "来源提到的资金工具\n（金额：单独的金额；合计：多种工具共用一个金额）",
            chinese,
        ),
        chinese,
        fontsize=10,
    )
    return fig


def _cell(x: float, y: float, color: str):
    from matplotlib.patches import Rectangle

    return Rectangle((x - 0.45, y - 0.42), 0.9, 0.84, facecolor=color, edgecolor="none", alpha=0.85)


#: Units of the panels of :func:`fig_normalized`: one unit per panel, never two on one axis.
_PANELS = [
    ("per year", "yuan per year", "元/年"),
    ("per organization per year", "yuan per organization per year", "元/每家组织/年"),
    ("per recipient", "yuan per recipient (project or organization), as stated", "元/每个受助对象"),
    ("per organization as stated", "yuan per organization, as the source states it", "元/每家组织（原文所述）"),
    ("per 10,000 people per year", "yuan per 10,000 residents per year", "元/每万人/年"),
]


def fig_normalized(cb: Casebook, *, chinese: bool = False) -> Figure:
    """Normalized sums with their interval bars: one panel per unit, log scales, coloured by instrument.

    Each row is one sum over one denominator, labelled with the district, the funding instrument,
    the years of the sum's period and what it is divided by, in words. A bar runs from the low to
    the high end of the interval; a dot marks the figure from the stated numbers where there is
    one. Colour is the funding instrument (who pays and how: a budget line, a purchase, social
    money), not the district. A budget (money planned) is drawn hatched beside money provided.
    Rows whose denominator's date does not match the sum's period (MISMATCH in the tables) are
    drawn dashed with hollow dots, and each label gives the sum's years so that their uncertainty shows.

    Parameters
    ----------
    cb : Casebook
        The validated casebook, as :func:`govcases.load_casebook` returns it.
    chinese : bool
        Chinese titles, axes, legends and district names instead of English ones.

    Returns
    -------
    matplotlib.figure.Figure
        One panel per measure of :func:`govcases.analysis.funding.normalized` that has a row, in
        yuan on log axes, each titled at its left with its unit; a note names the measures with no row.

    Examples
    --------
    >>> import govcases
    >>> from govcases.publish.figures.funding import fig_normalized
    >>> [ax.get_title(loc="left") for ax in fig_normalized(govcases.load_casebook()).axes][:2]
    ['yuan per year', 'yuan per organization per year']
    """
    from matplotlib.lines import Line2D

    from govcases.publish.figures._text import suptitle
    from govcases.publish.style import KIND_PALETTE

    table = normalized(cb)
    facts = cb.facts_by_id
    panels = [p for p in _PANELS if table["measure"].eq(p[0]).any()]
    empty = [p for p in _PANELS if not table["measure"].eq(p[0]).any()]
    instruments = sorted({_instrument(facts, i) for i in table["id"]})
    colors = {k: KIND_PALETTE[i % len(KIND_PALETTE)] for i, k in enumerate(instruments)}
    sizes = [int(table["measure"].eq(m).sum()) for m, _, _ in panels] or [1]
    fig = Figure(figsize=(9.0, 0.4 * sum(sizes) + 0.5 * len(sizes) + 2.6), layout="constrained")
    axes = fig.subplots(max(1, len(panels)), 1, gridspec_kw={"height_ratios": sizes}, squeeze=False)[:, 0]
    for ax, (measure, unit_en, unit_zh) in zip(axes, panels):
        rows = table[table["measure"] == measure].reset_index(drop=True)
        title(ax, tr(unit_en, unit_zh, chinese), chinese, fontsize=10, loc="left")
        labels = []
        for y, r in rows.iterrows():
            kind = _instrument(facts, r["id"])
            color = colors[kind]
            mismatch = str(r["timing"]).startswith("MISMATCH")
            budget = facts.loc[r["id"], "basis"] == "budget"
            high = r["high"] if np.isfinite(r["high"]) else r["low"] * 10
            ids = [r["id"]] + ([] if pd.isna(r["denominator_id"]) else [r["denominator_id"]])
            (bar,) = ax.plot(
                [r["low"], high],
                [y, y],
                color=color,
                linewidth=3 if not budget else 5,
                alpha=0.85 if not budget else 0.4,
                linestyle=(0, (2, 1)) if mismatch else "-",
                solid_capstyle="butt",
            )
            marks = [bar]
            if r["low"] == r["high"]:
                marks += ax.plot([r["low"]], [y], marker="|", markersize=10, color=color)
            if not pd.isna(r["point"]):
                marks += ax.plot(
                    [r["point"]],
                    [y],
                    marker="o",
                    markersize=5,
                    linestyle="none",
                    markerfacecolor="white" if mismatch else color,
                    markeredgecolor=color,
                )
            mark(fig, cb, marks, ids, chinese=chinese)
            labels.append(_row_label(cb, facts, r, chinese))
        ax.set_yticks(range(len(rows)), labels, fontsize=7)
        ax.set_ylim(len(rows) - 0.5, -0.5)
        ax.set_xscale("log")
        ax.xaxis.set_major_locator(LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
        ax.xaxis.set_major_formatter(FuncFormatter(_yuan))
        ax.xaxis.set_minor_formatter(NullFormatter())
        ax.tick_params(axis="x", labelsize=8)
    handles = [Line2D([], [], color=colors[k], lw=3, label=_instrument_words(k, chinese)) for k in instruments]
    handles.append(
        Line2D([], [], color="0.3", lw=3, ls=(0, (2, 1)), label=tr("dates do not match", "日期不相符", chinese))
    )
    legend_title = tr("colour: funding instrument", "颜色：资金工具", chinese)
    notes = []
    if empty:
        notes.append(
            tr("No sum allows: ", "无可换算的金额：", chinese)
            + "; ".join(tr(u_en, u_zh, chinese) for _, u_en, u_zh in empty)
        )
    gone = left_out(cb, table["district"], chinese, "no sum the evidence allows to normalize", "没有可换算的金额")
    if gone:
        notes.append(gone)
    budgets = cb.facts[(cb.facts["indicator"] == "funding_amount") & (cb.facts["basis"] == "budget")]
    if len(budgets):
        notes.append(
            tr(
                f"Left out: {len(budgets)} budget(s), money planned rather than provided "
                "(see the table of comparisons the sources do not allow).",
                f"未画出：{len(budgets)} 项预算（计划而非实际投入的资金）。",
                chinese,
            )
        )
    # the notes head the legend, so that they take their own room below the panels
    fig.legend(
        handles=handles,
        loc="outside lower center",
        ncol=3,
        frameon=False,
        fontsize=8,
        title="\n".join([*notes, legend_title]),
        title_fontsize=8,
    )
    suptitle(
        fig,
        tr(
            "Sums of money normalized where the evidence allows (bars: intervals)",
            "可换算的资金金额（横条：区间）",
            chinese,
        ),
        chinese,
        fontsize=10,
    )
    return fig


def _instrument(facts: pd.DataFrame, fact_id: str) -> str:
    """The funding instrument a sum is for: the prefix of its subject (``government_purchase: ...``)."""
    subject = facts.loc[fact_id, "subject"]
    return "unstated" if pd.isna(subject) or ":" not in str(subject) else str(subject).split(":", 1)[0].strip()


def _yuan(x: float, _pos=None) -> str:
    """Short tick labels: thousands as k, millions as M."""
    if x >= 1e6:
        return f"{x / 1e6:g}M"
    if x >= 1e3:
        return f"{x / 1e3:g}k"
    return f"{x:g}"


def _row_label(cb: Casebook, facts: pd.DataFrame, r, chinese: bool) -> str:
    from govcases.publish.figures._text import district_name, subject_words, year_span

    f = facts.loc[r["id"]]
    name = district_name(cb, r["district"], chinese)
    what = f"{_instrument_words(_instrument(facts, r['id']), chinese)}, {year_span(f['period_start'], f['period_end'])}"
    if pd.isna(r["denominator_id"]):
        return f"{name}: {what}"
    d = facts.loc[r["denominator_id"]]
    import textwrap

    by = f"÷ {subject_words(cb, d, chinese)} ({year_span(d['period_start'], d['period_end'])})"
    return f"{name}: {what}\n" + textwrap.shorten(by, 40 if chinese else 70, placeholder=" …")
