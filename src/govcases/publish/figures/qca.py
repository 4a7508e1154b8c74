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
from govcases.records.casebook import Casebook

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
    dotted lines. Right: the code of each district at each threshold of the grid.

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
        Label the districts with their Chinese names instead of their English ones.

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

    from govcases.publish.style import district_colors, label

    density = sector_density(cb, scope=scope)
    districts = list(density["district"])
    names = [label(cb.profiles, d, chinese=chinese) for d in districts]
    colors = district_colors(districts)
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
            ax.text(0.2, y, "no count of this scope", va="center", fontsize=8, color="#777777")
            continue
        c = colors[r["district"]]
        ax.plot([lo, min(hi, xmax)], [y, y], color=c, linewidth=5, solid_capstyle="butt", alpha=0.8)
        if math.isinf(hi):
            ax.annotate("", xy=(xmax, y), xytext=(xmax * 0.93, y), arrowprops={"arrowstyle": "->", "color": c})
        if not pd.isna(r["density_point"]):
            ax.plot([r["density_point"]], [y], "o", color="black", markersize=4)
    for t in thresholds:
        ax.axvline(t, color="#999999", linestyle=":", linewidth=0.8)
    ax.axvline(threshold, color="black", linewidth=1.2)
    ax.set_yticks(range(len(districts)), names)
    ax.invert_yaxis()
    ax.set_xlim(0, xmax)
    scope_text = {"registered": "registered", "registered_and_filed": "registered + filed"}.get(scope, scope)
    ax.set_xlabel(f"organizations per 10,000 residents ({scope_text})")
    ax.set_title("Density intervals and thresholds")

    codes = {"0": 0, "1": 1, "?": 2, "-": 3}
    grid = []
    for t in thresholds:
        out = code_outcome(density, t)
        grid.append([codes[_code_text(r)] for _, r in out.iterrows()])
    data = pd.DataFrame(grid).T.to_numpy()
    ax2.imshow(data, cmap=ListedColormap(["#f4f4f4", "#0173b2", "#de8f05", "#ffffff"]), vmin=0, vmax=3, aspect="auto")
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
    ax2.set_xlabel("threshold")
    ax2.set_title("Outcome code")
    fig.text(
        0.01,
        0.01,
        "Code: 1 large sector, 0 not, ? interval straddles the threshold (not coded), "
        "- no count. Dot: stated figures; arrow: no upper bound.",
        fontsize=7.5,
    )
    fig.tight_layout(rect=(0, 0.04, 1, 1))
    return fig
