"""The one way the appendix draws a heatmap: coloured cells with their values written in.

Drawn with matplotlib's ``imshow`` rather than ``seaborn.heatmap``: importing seaborn (which
imports ``scipy.stats``) cost about 0.7 s in every process that draws a figure, and the
overview's heatmaps need cells left blank where a count is zero, which seaborn does only
through a separate mask.
"""

from __future__ import annotations

import numpy as np

__all__ = ["heatmap"]


def heatmap(
    ax,
    values: np.ndarray,
    *,
    cmap: str = "Blues",
    vmax: float | None = None,
    fmt: str = "{:.0f}",
    blank_zeros: bool = True,
    fontsize: float = 9,
    line_color: str = "#dddddd",
    line_width: float = 0.6,
    square: bool = False,
):
    """Draw a matrix on ``ax``, row ``i`` and column ``j`` at (``j``, ``i``), and return the image.

    Parameters
    ----------
    values : numpy.ndarray
        The matrix; the colour scale runs from 0 to ``vmax``.
    vmax : float, optional
        Top of the colour scale; default the largest value, and at least 1.
    fmt : str
        How each value is written in its cell (``"{:.2f}"`` for a similarity).
    blank_zeros : bool
        Leave zero cells white and unwritten, so that silence in a source stands out from a count.
    line_color, line_width
        The lines between cells.
    square : bool
        Square cells.

    Returns
    -------
    matplotlib.image.AxesImage
        For a colour bar: ``fig.colorbar(image, ax=ax)``.
    """
    if vmax is None:
        vmax = max(1.0, float(np.nanmax(values))) if values.size else 1.0
    shown = np.ma.masked_where(values == 0, values) if blank_zeros else values
    image = ax.imshow(shown, cmap=cmap, aspect="equal" if square else "auto", vmin=0, vmax=vmax)
    ax.set_facecolor("white")
    ax.grid(False)
    ax.set_xticks(np.arange(values.shape[1] + 1) - 0.5, minor=True)
    ax.set_yticks(np.arange(values.shape[0] + 1) - 0.5, minor=True)
    ax.grid(which="minor", color=line_color, linewidth=line_width)
    ax.tick_params(which="minor", length=0)
    for (i, j), v in np.ndenumerate(values):
        if np.isnan(v) or (blank_zeros and v == 0):
            continue
        # dark text on light cells, white on dark ones
        color = "white" if v > 0.6 * vmax else "#222222"
        ax.text(j, i, fmt.format(v), ha="center", va="center", fontsize=fontsize, color=color)
    return image
