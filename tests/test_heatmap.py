"""The one heatmap helper of the appendix figures, and the figures drawn with it."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
from matplotlib.figure import Figure

import govcases
from govcases.publish.figures import _heatmap, overview, typology


@pytest.fixture(scope="module")
def cb():
    return govcases.load_casebook()


def _texts(ax) -> list[str]:
    return [t.get_text() for t in ax.texts]


def test_zeros_stay_blank_for_counts_and_are_written_for_values():
    values = np.array([[0.0, 2.0], [1.0, 0.0]])
    ax = Figure().subplots()
    image = _heatmap.heatmap(ax, values)
    assert _texts(ax) == ["2", "1"]  # a zero count is silence in the source: white, unwritten
    assert image.get_array().mask.tolist() == [[True, False], [False, True]]
    assert image.get_clim() == (0, 2.0)
    ax = Figure().subplots()
    _heatmap.heatmap(ax, values / 2, vmax=1, fmt="{:.2f}", blank_zeros=False)
    assert _texts(ax) == ["0.00", "1.00", "0.50", "0.00"]
    assert [t.get_color() for t in ax.texts] == ["#222222", "white", "#222222", "#222222"]


def test_every_heatmap_figure_is_drawn_by_the_helper(cb, monkeypatch):
    drawn = []

    def spy(ax, values, **kwargs):
        drawn.append(values.shape)
        return real(ax, values, **kwargs)

    real = _heatmap.heatmap
    monkeypatch.setattr(_heatmap, "heatmap", spy)
    monkeypatch.setattr(overview, "heatmap", spy)
    overview.fig_category_heatmap(cb)
    overview.fig_coverage(cb)
    typology.fig_similarity(cb)
    n = len(cb.districts)
    assert drawn[0][1] == n and drawn[1][1] == n and drawn[2] == (n, n)


def test_drawing_the_heatmaps_does_not_import_seaborn():
    # seaborn imports scipy.stats: about 0.7 s in every process that draws a figure
    code = (
        "import sys, govcases\n"
        "from govcases.publish.figures import overview, typology\n"
        "cb = govcases.load_casebook()\n"
        "overview.fig_category_heatmap(cb); overview.fig_coverage(cb); typology.fig_similarity(cb)\n"
        "print('seaborn' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
