"""One policy timeline across all domains, with the national, provincial and city reforms as context.

Drawn from :func:`govcases.analysis.registration.policy_timeline` and
:func:`~govcases.analysis.registration.policy_context`. A module of its own beside
:mod:`govcases.publish.figures.registration`, whose timeline shows registration reforms only.
"""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from govcases.analysis.registration import TIMELINE_DOMAINS, policy_context, policy_timeline
from govcases.publish.figures._evidence import mark as tie
from govcases.publish.figures._text import suptitle, tr
from govcases.publish.style import PALETTE, label
from govcases.records.casebook import Casebook

__all__ = ["fig_policy_timeline"]

_CONTEXT_GREY = "#7f7f7f"


def fig_policy_timeline(cb: Casebook, *, chinese: bool = False) -> Figure:
    """Each district's dated policies by domain on one time axis, with the reforms around them.

    One panel per district, one lane per domain (registration, funding, incubation and hubs,
    purchase and transfer, evaluation and supervision, Party building, policy documents), and a
    top lane for the reforms of the district's province and city. A colour is a domain. Two marks:

    * **began in** (filled circle at the earliest day, a solid line across the window the text allows);
    * **in place by** (hollow left-pointing triangle at the last day the text allows, a dotted line
      back over the reported period): the thing existed by then and may have begun at any time
      before.

    Grey diamonds (began) and hollow diamonds (announced or in place by) in the context lane are
    provincial and city reforms; vertical grey lines are national ones. Each mark stands for one fact
    (district lanes) or one cited row (context).

    Parameters
    ----------
    cb : Casebook
        The validated casebook, as :func:`govcases.load_casebook` returns it.
    chinese : bool
        Label the districts with their Chinese names instead of their English ones.

    Returns
    -------
    matplotlib.figure.Figure
        One panel per district, sharing the time axis.

    Examples
    --------
    >>> import govcases
    >>> from govcases.analysis.registration import policy_timeline
    >>> cb = govcases.load_casebook()
    >>> fig = fig_policy_timeline(cb)
    >>> len(fig.axes) == len(cb.districts)
    True
    """
    import matplotlib.dates as mdates

    t = policy_timeline(cb)
    ctx = policy_context(cb)
    lanes = ["reforms around the district", *TIMELINE_DOMAINS.values()]
    colors = {d: PALETTE[i % len(PALETTE)] for i, d in enumerate(TIMELINE_DOMAINS.values())}
    fig = Figure(figsize=(9.5, 2.1 * len(cb.districts) + 1.2), layout="constrained")
    axes = fig.subplots(len(cb.districts), 1, sharex=True, squeeze=False)[:, 0]
    national = ctx[ctx["district"].isna()]
    for ax, d in zip(axes, cb.districts):
        rows = t[t["district"] == d]
        # marks of one lane at the same dates are spread a little so each fact stays visible
        seen: dict[tuple, int] = {}
        for _, r in rows.iterrows():
            y = lanes.index(r["domain"])
            start, end = pd.Timestamp(r["period_start"]), pd.Timestamp(r["period_end"])
            key = (y, r["mark"], start, end)
            y_off = y - 0.3 + 0.15 * (seen.get(key, 0) % 5)
            seen[key] = seen.get(key, 0) + 1
            color = colors[r["domain"]]
            if r["mark"] == "began":
                drawn = ax.plot([start, end], [y_off, y_off], color=color, linewidth=1.2)
                drawn += ax.plot([start], [y_off], marker="o", color=color, markersize=5, linestyle="none")
            else:
                drawn = ax.plot([start, end], [y_off, y_off], color=color, linewidth=0.8, linestyle=":")
                drawn += ax.plot(
                    [end],
                    [y_off],
                    marker="<",
                    markerfacecolor="white",
                    markeredgecolor=color,
                    markersize=6,
                    linestyle="none",
                )
            tie(fig, cb, drawn, [r["id"]], chinese=chinese)  # the fact's quote, English and period on hover
        local = ctx[ctx["district"] == d]
        for k, (_, r) in enumerate(local.iterrows()):
            start, end = pd.Timestamp(r["period_start"]), pd.Timestamp(r["period_end"])
            y = -0.25 + 0.15 * (k % 4)
            ax.plot([start, end], [y, y], color=_CONTEXT_GREY, linewidth=1.0)
            ax.plot(
                [start if r["reading"] != "in place by" else end],
                [y],
                marker="D",
                markersize=5,
                markeredgecolor=_CONTEXT_GREY,
                markerfacecolor=_CONTEXT_GREY if r["reading"] == "began" else "white",
                linestyle="none",
            )
        for _, r in national.iterrows():
            ax.axvline(pd.Timestamp(r["period_start"]), color=_CONTEXT_GREY, linewidth=0.8, linestyle="--")
        ax.set_yticks(range(len(lanes)), lanes, fontsize=6.5)
        ax.set_ylim(len(lanes) - 0.4, -0.6)
        ax.set_title(label(cb.profiles, d, chinese=chinese), fontsize=9, loc="left")
        ax.grid(axis="y", color="#eeeeee", linewidth=0.5)
    axes[-1].xaxis.set_major_locator(mdates.YearLocator(2))
    axes[-1].xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    handles = [
        Line2D(
            [], [], color="#444444", marker="o", linewidth=1.2, markersize=5, label="began in (window the text allows)"
        ),
        Line2D(
            [],
            [],
            color="#444444",
            marker="<",
            markerfacecolor="white",
            linestyle=":",
            markersize=6,
            label="in place by (may have begun earlier)",
        ),
        Line2D(
            [],
            [],
            color=_CONTEXT_GREY,
            marker="D",
            linestyle="none",
            markersize=5,
            label="provincial or city reform began",
        ),
        Line2D(
            [],
            [],
            color=_CONTEXT_GREY,
            marker="D",
            markerfacecolor="white",
            linestyle="none",
            markersize=5,
            label="announced, or in place by",
        ),
        Line2D(
            [], [], color=_CONTEXT_GREY, linestyle="--", linewidth=0.8, label="national reform (2013 plan and after)"
        ),
    ]
    fig.legend(handles=handles, loc="outside lower center", ncols=3, fontsize=7, frameon=False)
    suptitle(
        fig,
        tr(
            "Policies by domain, and the reforms around them; context pages cited in data/external",
            "各领域的政策及其周边改革;背景资料的网页出处见 data/external",
            chinese,
        ),
        chinese,
        fontsize=9,
    )
    return fig
