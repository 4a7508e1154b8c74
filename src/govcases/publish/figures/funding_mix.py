"""The funding mix as composition: who pays and by which mechanism, per district, never ranked.

Drawn from :func:`govcases.analysis.funding.payer_mix` and :func:`~govcases.analysis.funding.mechanism_mix`.
A separate module from :mod:`govcases.publish.figures.funding` because it holds one figure of a
different kind (a composition grid, not amounts on an axis).
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from govcases.analysis.funding import mechanism_mix, payer_mix
from govcases.publish.figures._evidence import mark as tie
from govcases.publish.figures._text import suptitle, title, tr
from govcases.publish.style import district_colors, label
from govcases.records.casebook import Casebook

__all__ = ["fig_funding_mix"]

# One mark per status, the same in both panels; the legend says what each means.
_MARKS = {
    "sum stated": {"marker": "s", "filled": True},
    "named, no sum": {"marker": "s", "filled": False},
    "planned": {"marker": "^", "filled": False},
}
_WORDS = {
    "sum stated": "a sum is stated",
    "named, no sum": "named by the source, no sum",
    "planned": "announced for later only",
}


def fig_funding_mix(cb: Casebook, *, chinese: bool = False) -> Figure:
    """Who pays and by which mechanism, per district: a grid of marks, no amounts and no ranking.

    Left, the payers of the codebook's ``payer`` field (district budget, street and community budgets,
    welfare-lottery fund, higher levels of government, enterprises and donors, several in one sum);
    right, the mechanisms (purchase, venture philanthropy, project grants, rewards, subsidies by
    rating, and what fits none). A filled square: a sum of this payer or mechanism is stated; a
    hollow one: named without a sum; a triangle: only announced. A blank cell is the source's
    silence, not absence. A district's own frame (Zhenhai's 1+3+X) is written beside its marks.

    Parameters
    ----------
    cb : Casebook
        The validated casebook, as :func:`govcases.load_casebook` returns it.
    chinese : bool
        Label the districts with their Chinese names instead of their English ones.

    Returns
    -------
    matplotlib.figure.Figure
        Two panels sharing the districts as columns.

    Examples
    --------
    >>> import govcases
    >>> from govcases.analysis.funding import mechanism_mix, payer_mix
    >>> cb = govcases.load_casebook()
    >>> fig = fig_funding_mix(cb)
    >>> marked = sum(len(line.get_xdata()) for ax in fig.axes for line in ax.lines)
    >>> marked == int((payer_mix(cb)["status"] != "not reported").sum()
    ...               + (mechanism_mix(cb)["status"] != "not reported").sum())
    True
    """
    payers, mechs = payer_mix(cb), mechanism_mix(cb)
    colors = district_colors(cb.districts)
    n_rows = max(payers["key"].nunique(), mechs["key"].nunique())
    fig = Figure(figsize=(9.5, 0.34 * n_rows + 2.2), layout="constrained")
    axes = fig.subplots(1, 2, sharex=True)
    for ax, table, heading in (
        (axes[0], payers, tr("Who pays", "出资方", chinese)),
        (axes[1], mechs, tr("How the money reaches organizations", "资金到达社会组织的方式", chinese)),
    ):
        rows = list(dict.fromkeys(table["label"]))
        for _, r in table.iterrows():
            if r["status"] == "not reported":
                continue
            x, y = cb.districts.index(r["district"]), rows.index(r["label"])
            mark = _MARKS[r["status"]]
            color = colors[r["district"]]
            (line,) = ax.plot(
                [x],
                [y],
                linestyle="none",
                marker=mark["marker"],
                markersize=11,
                markeredgewidth=1.6,
                markeredgecolor=color,
                markerfacecolor=color if mark["filled"] else "white",
            )
            # each mark shows, on hover, the sums and instrument facts it stands for
            facts = [f for col in ("sum_facts", "instrument_facts") for f in str(r[col] or "").split("|") if f]
            tie(fig, cb, line, facts, chinese=chinese)
            if r["own_frame"]:
                frames = sorted({part.split(": ")[1] for part in str(r["own_frame"]).split("; ")})
                model = str(r["own_frame"]).split(": ")[0]
                ax.annotate(
                    f"{model}: {', '.join(frames)}",
                    (x, y),
                    xytext=(9, -3),
                    textcoords="offset points",
                    fontsize=7,
                    color="#333333",
                )
        ax.set_ylim(len(rows) - 0.5, -0.5)
        ax.set_yticks(range(len(rows)), rows, fontsize=8)
        ax.set_xlim(-0.5, len(cb.districts) - 0.5)
        ax.set_xticks(
            range(len(cb.districts)),
            [label(cb.profiles, d, chinese=chinese) for d in cb.districts],
            rotation=20,
            ha="right",
        )
        ax.set_xticks(np.arange(len(cb.districts) + 1) - 0.5, minor=True)
        ax.set_yticks(np.arange(len(rows) + 1) - 0.5, minor=True)
        ax.grid(False)
        ax.grid(which="minor", color="#dddddd", linewidth=0.6)
        ax.tick_params(which="minor", length=0)
        title(ax, heading, chinese, fontsize=10)
    handles = [
        Line2D(
            [],
            [],
            linestyle="none",
            marker=m["marker"],
            markersize=9,
            markeredgecolor="#555555",
            markerfacecolor="#555555" if m["filled"] else "white",
            label=_WORDS[s],
        )
        for s, m in _MARKS.items()
    ]
    fig.legend(handles=handles, loc="outside lower center", ncols=3, fontsize=8, frameon=False)
    suptitle(
        fig,
        tr(
            "The funding mix as the sources describe it: composition, not amounts; a blank cell is silence",
            "各文献所述的资金构成:只看构成,不比金额;空格表示未提及",
            chinese,
        ),
        chinese,
        fontsize=10,
    )
    return fig
