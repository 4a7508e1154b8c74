"""Figures on qca: drawn from the tables of :mod:`govcases.analysis.qca`."""

from __future__ import annotations

import math

import pandas as pd

from govcases.analysis.qca import (
    THRESHOLD,
    THRESHOLD_GRID,
    _code_text,
    code_outcome,
    sector_density,
)
from govcases.publish.figures._evidence import mark
from govcases.publish.figures._text import title, tr
from govcases.records.casebook import Casebook

#: One colour per outcome code, the same in both panels: 1 large sector, 0 not, ? undecided, - no density.
_CODE_COLORS = {"1": "#0173b2", "0": "#c8c8c8", "?": "#de8f05", "-": "#ffffff"}

__all__ = ["fig_outcome_threshold"]


def fig_outcome_threshold(
    cb: Casebook,
    *,
    thresholds=THRESHOLD_GRID,
    threshold: float = THRESHOLD,
    scope: str = "registered",
    chinese: bool = False,
):
    """Density intervals per district against the thresholds, and the coding at each threshold.

    Left: organizations per 10,000 residents per district as an interval bar (an arrow where it is
    open above), the stated point as a dot, the chosen threshold as a solid line and the grid as
    dotted lines. Right: the code of each district at each threshold of the grid. Colour means
    the outcome code in both panels (the left bars take their code at the chosen threshold); a
    district without a density says why (no count of this scope, or no population), on a white
    ground so that no threshold line runs through the words.

    Parameters
    ----------
    cb : Casebook
        The validated casebook, as :func:`govcases.load_casebook` returns it.
    thresholds : sequence of float
        The grid of thresholds, in organizations per 10,000 residents: dotted lines on the left,
        one column each on the right. Default :data:`govcases.analysis.qca.THRESHOLD_GRID`.
    threshold : float
        The chosen threshold, drawn as a solid line; default :data:`govcases.analysis.qca.THRESHOLD`.
    scope : str
        Scope of the organization count behind the density (``"registered"`` or
        ``"registered_and_filed"``; see :func:`govcases.analysis.qca.sector_density`).
    chinese : bool
        Chinese titles, axes, key and district names instead of English ones.

    Returns
    -------
    matplotlib.figure.Figure
        Two panels, one row per district: the density intervals against the thresholds, and the
        outcome code (1, 0, ? or -) at each threshold of the grid, with a key to the codes below.
        The figure is made through :mod:`matplotlib.pyplot`, so it stays open there until closed.

    Examples
    --------
    >>> import govcases
    >>> from govcases.publish.figures.qca import fig_outcome_threshold
    >>> fig = fig_outcome_threshold(govcases.load_casebook(), thresholds=[2, 5, 10], threshold=5)
    >>> len(fig.axes)
    2
    """
    import matplotlib.pyplot as plt
    from matplotlib.colors import ListedColormap

    from govcases.publish.style import label

    density = sector_density(cb, scope=scope)
    districts = list(density["district"])
    names = [label(cb.profiles, d, chinese=chinese) for d in districts]
    chosen = {r["district"]: _code_text(r) for _, r in code_outcome(density, threshold).iterrows()}
    finite = [
        x
        for x in list(density["density_high"]) + list(density["density_low"]) + list(thresholds)
        if not pd.isna(x) and math.isfinite(x)
    ]
    xmax = max(finite) * 1.15
    fig, (ax, ax2) = plt.subplots(
        1, 2, figsize=(11, 0.5 * len(districts) + 2.4), gridspec_kw={"width_ratios": [1.5, 1]}
    )
    for y, (_, r) in enumerate(density.iterrows()):
        lo, hi = r["density_low"], r["density_high"]
        if pd.isna(lo):
            ax.text(
                xmax * 0.02,
                y,
                _why_missing(r, chinese),
                va="center",
                fontsize=8,
                color="#555555",
                zorder=5,
                bbox={"facecolor": "white", "edgecolor": "none", "pad": 1.5},
            )
            continue
        c = _CODE_COLORS[chosen[r["district"]]]
        drawn = ax.plot([lo, min(hi, xmax)], [y, y], color=c, linewidth=5, solid_capstyle="butt", alpha=0.9)
        if math.isinf(hi):
            ax.annotate("", xy=(xmax, y), xytext=(xmax * 0.93, y), arrowprops={"arrowstyle": "->", "color": c})
        if not pd.isna(r["density_point"]):
            drawn += ax.plot([r["density_point"]], [y], "o", color=c, markeredgecolor="black", markersize=6)
        ids = [i for i in f"{r['count_ids']}|{r['pop_ids']}".split("|") if i]
        mark(fig, cb, drawn, ids, chinese=chinese)
    for t in thresholds:
        ax.axvline(t, color="#999999", linestyle=":", linewidth=0.8)
    ax.axvline(threshold, color="black", linewidth=1.2)
    ax.set_yticks(range(len(districts)), names)
    ax.invert_yaxis()
    ax.set_xlim(0, xmax)
    scope_text = {
        "registered": tr("registered", "登记注册", chinese),
        "registered_and_filed": tr("registered + filed", "登记和备案", chinese),
    }.get(scope, scope.replace("_", " "))
    ax.set_xlabel(
        tr(f"organizations per 10,000 residents ({scope_text})", f"每万人社会组织数（{scope_text}）", chinese)
    )
    title(ax, tr("Density intervals and thresholds", "密度区间与阈值", chinese), chinese)

    codes = {"0": 0, "1": 1, "?": 2, "-": 3}
    grid = []
    for t in thresholds:
        out = code_outcome(density, t)
        grid.append([codes[_code_text(r)] for _, r in out.iterrows()])
    data = pd.DataFrame(grid).T.to_numpy()
    palette = [_CODE_COLORS[k] for k in ("0", "1", "?", "-")]
    ax2.imshow(data, cmap=ListedColormap(palette), vmin=0, vmax=3, aspect="auto")
    inv = {v: k for k, v in codes.items()}
    for i in range(data.shape[0]):
        for j in range(data.shape[1]):
            ax2.text(
                j,
                i,
                inv[data[i, j]],
                ha="center",
                va="center",
                fontsize=8,
                color="white" if data[i, j] == 1 else "black",
            )
    ax2.set_xticks(range(len(thresholds)), [f"{t:g}" for t in thresholds], rotation=90)
    ax2.set_yticks(range(len(districts)), names)
    ax2.grid(False)
    ax2.set_xlabel(tr("threshold", "阈值", chinese))
    title(ax2, tr("Outcome code", "结果编码", chinese), chinese)
    fig.text(
        0.01,
        0.01,
        tr(
            "Colour and code: 1 large sector (blue), 0 not (grey), ? interval straddles the threshold, not coded "
            "(orange), - no density. Dot: stated figures; arrow: no upper bound; solid line: chosen threshold.",
            "颜色与编码：1 规模大（蓝），0 否（灰），? 区间跨越阈值、不编码（橙），- 无密度。"
            "圆点：原文数字；箭头：无上限；实线：所选阈值。",
            chinese,
        ),
        fontsize=7.5,
    )
    fig.tight_layout(rect=(0, 0.04, 1, 1))
    return fig


def _why_missing(r, chinese: bool) -> str:
    """Why a district has no density: no count of the scope, or a count but no population."""
    if pd.isna(r["count_low"]):
        return tr("no count of this scope", "无此口径的数量", chinese)
    if pd.isna(r["pop_low"]):
        return tr("no population", "无人口数", chinese)
    return tr("no density the evidence allows", "证据不足以计算密度", chinese)
