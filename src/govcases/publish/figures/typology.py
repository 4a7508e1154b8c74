"""Figures on typology: drawn from the tables of :mod:`govcases.analysis.typology`."""

from __future__ import annotations

import math

from govcases.analysis.typology import (
    RULES,
    condition_matrix,
    evidence_table,
    linkage_matrix,
    similarity,
)
from govcases.publish.figures._evidence import mark
from govcases.publish.figures._text import title, tr
from govcases.records.casebook import Casebook

__all__ = ["fig_condition_matrix", "fig_dendrogram", "fig_similarity"]


_NOT_REPORTED = "0 = the source does not report it (not: the district lacks it)"
_NOT_REPORTED_ZH = "0 = 来源未提及（不等于该区没有）"


def _ids(ev, district: str, condition: str) -> list[str]:
    """The facts behind one coded condition (``evidence`` holds them joined by ``|``)."""
    text = ev.loc[(district, condition), "evidence"]
    return [i for i in str(text).split("|") if i] if isinstance(text, str) else []


def _names(cb: Casebook, districts, chinese: bool) -> list[str]:
    from govcases.publish.style import label

    return [label(cb.profiles, d, chinese=chinese) for d in districts]


def fig_condition_matrix(cb: Casebook, *, rules=RULES, chinese: bool = False):
    """Heatmap of the condition matrix: conditions (rows, grouped by domain) by districts.

    A filled cell means a fact supports the condition (``1*`` when every supporting fact is only
    inferred); an empty cell means the source does not report it, not that the district lacks it.

    Parameters
    ----------
    cb : Casebook
        The validated casebook, as :func:`govcases.load_casebook` returns it.
    rules : sequence of ConditionRule
        The coding rules, one per condition, in the order drawn; default
        :data:`govcases.analysis.typology.RULES`.
    chinese : bool
        Label the districts with their Chinese names and the conditions with the rules' Chinese
        labels, instead of the English ones.

    Returns
    -------
    matplotlib.figure.Figure
        One grid of :func:`govcases.analysis.typology.condition_matrix`: a row per rule, a column
        per district, with a key below. Made through :mod:`matplotlib.pyplot`, so it stays open
        there until closed.

    Examples
    --------
    >>> import govcases
    >>> from govcases.publish.figures.typology import fig_condition_matrix
    >>> fig = fig_condition_matrix(govcases.load_casebook())
    >>> len(fig.axes[0].get_yticklabels()) == len(govcases.analysis.typology.RULES)
    True
    """
    import matplotlib.pyplot as plt
    from matplotlib.colors import ListedColormap

    matrix = condition_matrix(cb, rules)
    ev = evidence_table(cb, rules).set_index(["district", "condition"])
    data = matrix.T.to_numpy()
    fig, ax = plt.subplots(figsize=(1.3 * len(matrix.index) + 3.2, 0.32 * len(rules) + 1.6))
    ax.imshow(data, cmap=ListedColormap(["#f4f4f4", "#0173b2"]), vmin=0, vmax=1, aspect="auto")
    for i, rule in enumerate(rules):
        for j, d in enumerate(matrix.index):
            if data[i, j]:
                text = "1*" if ev.loc[(d, rule.id), "only_inferred"] else "1"
                cell = ax.text(j, i, text, ha="center", va="center", color="white", fontsize=8)
                mark(fig, cb, cell, _ids(ev, d, rule.id), chinese=chinese)
    ax.set_xticks(range(len(matrix.index)), _names(cb, matrix.index, chinese))
    ax.set_yticks(range(len(rules)), [r.label_zh if chinese else r.label_en for r in rules])
    ax.tick_params(axis="x", labelrotation=30)
    ax.grid(False)
    # Thin lines between domains so that the groups read as blocks.
    for i in range(1, len(rules)):
        if rules[i].domain != rules[i - 1].domain:
            ax.axhline(i - 0.5, color="white", linewidth=3)
    title(ax, tr("Governance conditions reported by each source", "各来源报告的治理条件", chinese), chinese)
    fig.text(
        0.01,
        0.01,
        tr(
            "Blue: a fact supports it (1* only inferred facts). Empty: " + _NOT_REPORTED + ".",
            "蓝色：有事实支持（1* 仅有推断的事实）。空白：" + _NOT_REPORTED_ZH + "。",
            chinese,
        ),
        fontsize=7.5,
    )
    fig.tight_layout(rect=(0, 0.03, 1, 1))
    return fig


def fig_similarity(cb: Casebook, *, rules=RULES, metric: str = "jaccard", chinese: bool = False):
    """Heatmap of pairwise similarity of the districts' condition sets (Jaccard by default).

    Parameters
    ----------
    cb : Casebook
        The validated casebook, as :func:`govcases.load_casebook` returns it.
    rules : sequence of ConditionRule
        The coding rules, one per condition, in the order drawn; default
        :data:`govcases.analysis.typology.RULES`.
    metric : str
        ``"jaccard"`` (conditions both report, over conditions either reports) or
        ``"simple_matching"`` (conditions on which both agree, over all); see
        :func:`govcases.analysis.typology.similarity`.
    chinese : bool
        Label the districts with their Chinese names instead of their English ones.

    Returns
    -------
    matplotlib.figure.Figure
        A square district-by-district heatmap of similarities from 0 to 1, every cell labelled
        with two decimals, with a colour bar. Made through :mod:`matplotlib.pyplot`, so it stays
        open there until closed.

    Examples
    --------
    >>> import govcases
    >>> from govcases.publish.figures.typology import fig_similarity
    >>> fig = fig_similarity(govcases.load_casebook())
    >>> fig.axes[0].get_title()
    'Jaccard similarity of reported conditions'
    """
    import matplotlib.pyplot as plt

    from govcases.publish.figures._heatmap import heatmap

    sim = similarity(condition_matrix(cb, rules), metric=metric)
    ev = evidence_table(cb, rules)
    names = _names(cb, sim.index, chinese)
    fig, ax = plt.subplots(figsize=(5.6, 4.6))
    # a similarity of 0 is a value (no condition shared), so every cell is written
    image = heatmap(
        ax,
        sim.to_numpy(dtype=float),
        vmax=1,
        fmt="{:.2f}",
        blank_zeros=False,
        fontsize=8,
        line_color="white",
        line_width=1.5,
        square=True,
    )
    ax.set_xticks(range(len(names)), names, rotation=30, ha="right")
    ax.set_yticks(range(len(names)), names)
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    fig.colorbar(image, ax=ax, shrink=0.8)
    en = {"jaccard": "Jaccard", "simple_matching": "Simple-matching"}[metric]
    zh = {"jaccard": "Jaccard", "simple_matching": "简单匹配"}[metric]
    title(ax, tr(f"{en} similarity of reported conditions", f"所报告条件的{zh}相似度", chinese), chinese)
    # a cell compares two districts' coded conditions: its evidence is both districts' supporting facts
    for text in ax.texts:
        j, i = (round(v) for v in text.get_position())
        pair = {sim.index[i], sim.columns[j]}
        mark(fig, cb, text, _evidence_of(ev, pair), chinese=chinese)
    fig.tight_layout()
    return fig


def fig_dendrogram(cb: Casebook, *, rules=RULES, method: str = "average", chinese: bool = False):
    """Dendrogram of average-linkage clustering of Jaccard distances between districts.

    Parameters
    ----------
    cb : Casebook
        The validated casebook, as :func:`govcases.load_casebook` returns it.
    rules : sequence of ConditionRule
        The coding rules, one per condition, in the order drawn; default
        :data:`govcases.analysis.typology.RULES`.
    method : str
        Linkage method passed to :func:`govcases.analysis.typology.linkage_matrix` (a method of
        :func:`scipy.cluster.hierarchy.linkage`); it names the title.
    chinese : bool
        Label the districts with their Chinese names instead of their English ones.

    Returns
    -------
    matplotlib.figure.Figure
        One dendrogram with the district names as leaves, each in the district's colour, and the
        Jaccard distance (0 to at least 1) on the y axis. Made through :mod:`matplotlib.pyplot`,
        so it stays open there until closed.

    Examples
    --------
    >>> import govcases
    >>> from govcases.publish.figures.typology import fig_dendrogram
    >>> fig = fig_dendrogram(govcases.load_casebook())
    >>> fig.axes[0].get_ylabel()
    'Jaccard distance (1 - similarity)'
    """
    import matplotlib.pyplot as plt
    from scipy.cluster.hierarchy import dendrogram

    from govcases.publish.style import district_colors

    matrix = condition_matrix(cb, rules)
    z = linkage_matrix(matrix, method=method)
    fig, ax = plt.subplots(figsize=(6.4, 4.4))
    names = _names(cb, matrix.index, chinese)
    dendrogram(z, labels=names, ax=ax, link_color_func=lambda _: "#555555", leaf_rotation=30)
    for tick in ax.get_xticklabels():
        tick.set_horizontalalignment("right")
    colors = district_colors(matrix.index)
    by_name = dict(zip(names, matrix.index))
    ev = evidence_table(cb, rules)
    for tick in ax.get_xticklabels():
        tick.set_color(colors[by_name[tick.get_text()]])
        mark(fig, cb, tick, _evidence_of(ev, {by_name[tick.get_text()]}), chinese=chinese)
    ax.set_ylabel(tr("Jaccard distance (1 - similarity)", "Jaccard距离（1 - 相似度）", chinese))
    ax.set_ylim(0, max(1.0, math.ceil(float(z[:, 2].max()) * 10) / 10))
    ax.grid(axis="x", visible=False)
    zh = {"average": "平均", "complete": "完全", "single": "单", "ward": "Ward"}.get(method, method)
    title(
        ax,
        tr(f"{method.capitalize()}-linkage clustering of reported conditions", f"所报告条件的{zh}连接聚类", chinese),
        chinese,
    )
    fig.tight_layout()
    return fig


def _evidence_of(ev, districts: set) -> list[str]:
    """Every fact behind a coded condition of the given districts."""
    rows = ev[ev["district"].isin(districts)]
    return [i for text in rows["evidence"] if isinstance(text, str) for i in text.split("|") if i]
