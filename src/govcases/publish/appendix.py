"""The appendix: which library function makes each figure and table of the build.

Every output in ``build/figures`` and ``build/tables`` is listed here once, with the function
that makes it and its caption; the README's output table is generated from this list and a test
keeps the two in step.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path

__all__ = ["FIGURES", "TABLES", "Output", "outputs_markdown", "report_index", "table1_cells"]


@dataclass(frozen=True)
class Output:
    """One appendix output: file stem, the function that makes it (``module:function``), caption."""

    name: str
    function: str
    caption: str

    @property
    def func(self) -> Callable:
        """The function that makes the output, imported from its module."""
        module, _, name = self.function.partition(":")
        return getattr(import_module(f"govcases.{module}"), name)

    def make(self, cb, **options):
        """The output (a figure or a table) for casebook ``cb`` (figures take ``chinese=``)."""
        return self.func(cb, **options)


FIGURES: list[Output] = [
    Output(
        "overview-facts-by-category",
        "publish.figures.overview:fig_category_heatmap",
        "Facts by codebook category and district.",
    ),
    Output(
        "overview-reference-periods",
        "publish.figures.overview:fig_period_timeline",
        "Resolved reference periods of the facts, with the page dates of the sources.",
    ),
    Output(
        "overview-coverage",
        "publish.figures.overview:fig_coverage",
        "Which indicators each source reports (coverage matrix).",
    ),
    Output(
        "funding-instruments",
        "publish.figures.funding:fig_instrument_matrix",
        "Funding instruments each source names, and whether it gives a sum.",
    ),
    Output(
        "funding-normalized",
        "publish.figures.funding:fig_normalized",
        "Sums per year, per organization and per 10,000 residents, one unit per panel, coloured by funding instrument.",
    ),
    Output(
        "funding-mix",
        "publish.figures.funding_mix:fig_funding_mix",
        "Who pays and by which mechanism, per district: composition, not amounts.",
    ),
    Output(
        "policy-timeline",
        "publish.figures.policy_timeline:fig_policy_timeline",
        "Policies across all domains by district, began in and in place by, with the reforms around them.",
    ),
    Output(
        "growth-trajectories",
        "publish.figures.growth:fig_trajectories",
        "Counts of organizations of one scope over time, log scale, with value and date uncertainty.",
    ),
    Output(
        "growth-rates",
        "publish.figures.growth:fig_growth_rates",
        "Stated and derived growth rates with their intervals.",
    ),
    Output(
        "growth-densities",
        "publish.figures.growth:fig_densities",
        "Organizations per 10,000 residents: stated and derived, marker by counting scope, loosely dated counts pale.",
    ),
    Output(
        "registration-timeline",
        "publish.figures.registration:fig_reform_timeline",
        "The interval in which each registration reform began, against the 2013 national policy.",
    ),
    Output(
        "registration-procedures",
        "publish.figures.registration:fig_procedure_changes",
        "Registration requirements before and after reform (materials, trips, days).",
    ),
    Output(
        "registration-conversion",
        "publish.figures.registration:fig_conversion_rates",
        "Incubation-to-registration conversion rates with Wilson 95% intervals.",
    ),
    Output(
        "typology-conditions",
        "publish.figures.typology:fig_condition_matrix",
        "Governance conditions coded from the casebook by explicit rules.",
    ),
    Output(
        "typology-similarity",
        "publish.figures.typology:fig_similarity",
        "Jaccard similarity of the districts' condition sets.",
    ),
    Output(
        "typology-dendrogram", "publish.figures.typology:fig_dendrogram", "Average-linkage clustering of the districts."
    ),
    Output(
        "qca-outcome-threshold",
        "publish.figures.qca:fig_outcome_threshold",
        "Organization density against the outcome threshold, with intervals; colour is the outcome code.",
    ),
]
TABLES: list[Output] = [
    Output(
        "comparison-models",
        "analysis.comparison:models_table",
        "Table 1: the governance models side by side (present, absent or not reported, by domain).",
    ),
    Output(
        "comparison-evidence",
        "analysis.comparison:evidence_table",
        "Table 1 in long form: every cell's status and the facts that say it.",
    ),
    Output(
        "casebook-facts-by-category",
        "records.casebook:category_table",
        "Number of facts by codebook category and district.",
    ),
    Output(
        "overview-profiles",
        "analysis.overview:profile_table",
        "The districts side by side: location, kind of area, source and model name.",
    ),
    Output("overview-confidence", "analysis.overview:confidence_counts", "Facts by confidence flag and district."),
    Output("funding-amounts", "analysis.funding:amounts", "Every stated sum with its interval, basis and period."),
    Output(
        "funding-normalized", "analysis.funding:normalized", "Normalized amounts with intervals and named denominators."
    ),
    Output(
        "funding-incomparable",
        "analysis.funding:incomparable",
        "Comparisons of funding the sources do not allow, and why.",
    ),
    Output(
        "funding-payers",
        "analysis.funding:payer_mix",
        "Who pays, per district: sums stated, payers named without a sum, and silence.",
    ),
    Output(
        "funding-mechanisms",
        "analysis.funding:mechanism_mix",
        "By which mechanism money reaches organizations, per district, beside the district's own frame.",
    ),
    Output(
        "policy-timeline",
        "analysis.registration:policy_timeline",
        "Every dated policy, instrument and arrangement of the districts, by domain: began in or in place by.",
    ),
    Output(
        "policy-context",
        "analysis.registration:policy_context",
        "National, provincial and city reforms around the districts' own, each with the address of its page.",
    ),
    Output(
        "growth-stated",
        "analysis.growth:stated_growth",
        "Growth rates, multiples and ratios as the sources state them.",
    ),
    Output(
        "growth-derived",
        "analysis.growth:derived_growth",
        "Growth derived from two counts of the same scope, with intervals.",
    ),
    Output(
        "growth-densities",
        "analysis.growth:densities",
        "Organizations per 10,000 residents with the population used and its year.",
    ),
    Output(
        "registration-timeline",
        "analysis.registration:reform_timeline",
        "Registration reforms with their resolved dates.",
    ),
    Output(
        "registration-procedures",
        "analysis.registration:procedure_changes",
        "Procedure changes as before/after ratios.",
    ),
    Output(
        "registration-conversion",
        "analysis.registration:conversion_rates",
        "Incubation-to-registration conversion rates with Wilson intervals.",
    ),
    Output(
        "typology-conditions",
        "analysis.typology:condition_matrix",
        "Condition matrix (1 reported, 0 not reported by the source).",
    ),
    Output("typology-evidence", "analysis.typology:evidence_table", "The facts behind every coded condition."),
    Output(
        "qca-truth-table",
        "analysis.qca:default_truth_table",
        "Crisp-set truth table for the default conditions and outcome.",
    ),
    Output(
        "qca-solution-fit",
        "analysis.qca:default_solution_fit",
        "Consistency and coverage of the parsimonious and complex solutions.",
    ),
    Output(
        "qca-threshold-sensitivity",
        "analysis.qca:threshold_sensitivity",
        "How the outcome coding and solution move with the threshold.",
    ),
]


def outputs_markdown() -> str:
    """A Markdown table from each output file to the function that makes it (for the README).

    Returns
    -------
    str
        A Markdown table with the columns *output in* ``build/`` (the file, its languages and formats
        in braces), *made by* (the function's full dotted name), *what it shows* (the caption) and
        *its evidence* (where the caption naming its facts and sources is written): a header, then
        one row per figure of :data:`FIGURES` and one per table of :data:`TABLES`, in their order.

    Examples
    --------
    >>> rows = outputs_markdown().splitlines()
    >>> len(rows) == 2 + len(FIGURES) + len(TABLES)
    True
    >>> rows[2].split(" | ")[1]
    '`govcases.publish.figures.overview.fig_category_heatmap`'
    """
    lines = [
        "| output in `build/` | made by | what it shows | its evidence (fact ids and sources) |",
        "|---|---|---|---|",
    ]
    for item in FIGURES:
        lines.append(
            f"| `figures/{{en,zh}}/{item.name}.{{pdf,svg,png}}` | `govcases.{item.function.replace(':', '.')}` "
            f"| {item.caption} | `figures/{{en,zh}}/{item.name}.caption.txt`; on hover in the SVG |"
        )
    for item in TABLES:
        lines.append(
            f"| `tables/{item.name}.{{csv,tex}}` | `govcases.{item.function.replace(':', '.')}` | {item.caption} "
            "| the LaTeX `\\caption` |"
        )
    return "\n".join(lines)


def report_index(
    cb, notebooks: list[Path], info: dict[str, str], *, figures: Path | None = None, tables: dict | None = None
) -> str:
    """The report's front page: notebooks, appendix outputs and the colophon, as an HTML page.

    Laid out by ``templates/report/index.html`` and styled by ``templates/report/report.css``.

    Parameters
    ----------
    cb : Casebook
        The casebook the report was built from; its districts' English names and its number of
        facts are shown.
    notebooks : list of pathlib.Path
        The notebooks rendered, in order; each is linked as ``<stem>.html`` and titled by the first
        heading of its first cell.
    info : dict of str to str
        The colophon (:func:`govcases.publish.build.colophon`), shown as a table.
    figures : pathlib.Path, optional
        The build's ``figures`` folder: when given, each English SVG is shown inline (so that its
        marks show their evidence on hover) with its caption of evidence from ``<name>.caption.txt``.
    tables : dict of str to pandas.DataFrame, optional
        Tables already made from ``cb`` (the build's), by name; the others are made here.

    Returns
    -------
    str
        The HTML page, to be written as ``report/index.html`` of the build.

    Raises
    ------
    ValueError
        If a notebook's first cell has no Markdown heading.
    """
    from govcases.publish.templating import render

    names = cb.profiles.set_index("district")["name_en"]
    return render(
        "report/index.html",
        table1=table1_cells(cb),
        districts=[str(names[d]) for d in cb.districts],
        n_facts=len(cb.facts),
        notebooks=[{"href": f"{p.stem}.html", "title": _notebook_title(p)} for p in notebooks],
        figures=[_figure_entry(f, figures) for f in FIGURES],
        tables=[_table_entry(t, cb, (tables or {}).get(t.name)) for t in TABLES],
        colophon=list(info.items()),
    )


def _figure_entry(item: Output, folder: Path | None) -> dict:
    """A figure's link, caption and (when built) its inline SVG and caption of evidence."""
    from markupsafe import Markup

    entry = {"href": f"../figures/en/{item.name}.svg", "file": f"en/{item.name}.svg", "caption": item.caption}
    svg = folder / "en" / f"{item.name}.svg" if folder is not None else None
    if svg is not None and svg.exists():
        text = svg.read_text(encoding="utf-8")
        entry["svg"] = Markup(text[text.index("<svg") :])  # inline, without the XML prologue and doctype
        note = svg.with_suffix(".caption.txt")
        entry["evidence"] = note.read_text(encoding="utf-8").strip() if note.exists() else item.caption
    return entry


def table1_cells(cb) -> dict:
    """Table 1 laid out for the report: domains with their features, and rows of cells with their evidence.

    Parameters
    ----------
    cb : Casebook
        A validated casebook.

    Returns
    -------
    dict
        ``domains``: a list of ``{"label", "features": [labels]}`` in table order; ``rows``: one
        ``{"district", "cells"}`` per district, each cell a dict with ``text`` (the cell of
        :func:`govcases.analysis.comparison.models_table`), ``status`` (``present``, ``absent``,
        ``not reported``), ``title`` (a one-line summary for a tooltip: each fact's English, source
        and period) and ``facts`` (each deciding fact's ``role``, ``quote``, ``english``, ``source``
        and ``period``, for a details element).

    Examples
    --------
    >>> import govcases
    >>> t = table1_cells(govcases.load_casebook())
    >>> len(t["rows"]) == len(govcases.load_casebook().districts)
    True
    """
    from govcases.analysis.comparison import DOMAINS, FEATURES, cell_evidence, models_table

    cells = cell_evidence(cb)
    table = models_table(cb)
    domains = [
        {"label": label, "features": [f.label for f in FEATURES if f.domain == domain]}
        for domain, label in DOMAINS.items()
        if any(f.domain == domain for f in FEATURES)
    ]
    columns = [f"{DOMAINS[f.domain]}: {f.label}" for f in FEATURES]
    order = [f for d in DOMAINS for f in FEATURES if f.domain == d]
    rows = []
    for i, district in enumerate(cb.districts):
        mine = cells[cells["district"] == district]
        row = []
        for f in order:
            cell = mine[mine["feature_id"] == f.id]
            facts = [
                {k: str(r[k]) for k in ("role", "quote", "english", "source", "period")}
                for _, r in cell.iterrows()
                if not _isna(r["fact_id"])
            ]
            status = str(cell["status"].iloc[0])
            title = (
                " / ".join(f"{x['english']} ({x['source']}, {x['period']})" for x in facts)
                if facts
                else "No fact of this district's sources speaks to it."
            )
            row.append(
                {
                    "text": str(table.iloc[i][columns[FEATURES.index(f)]]),
                    "status": status,
                    "title": title,
                    "facts": facts,
                }
            )
        rows.append({"district": str(table.iloc[i]["District"]), "cells": row})
    return {"domains": domains, "rows": rows}


def _isna(value) -> bool:
    """Whether a cell is missing (pandas' NA, None or NaN)."""
    import pandas as pd

    return bool(pd.isna(value))


def _table_entry(item: Output, cb, frame=None) -> dict:
    """A table's link and caption, and the table in a reader's words with each cell's evidence.

    The rows are :func:`govcases.publish.latex.readable_table`'s (numbers rounded as in the LaTeX);
    a cell's ``title`` is the evidence of the facts it comes from (:func:`_cell_facts`): quote,
    English rendering, source and period, shown by the browser on hover.
    """
    import pandas as pd

    from govcases.publish.build import table_caption
    from govcases.publish.figures._evidence import hover_text
    from govcases.publish.latex import EVIDENCE_COLUMNS, _plain, format_cell, readable_table

    frame = item.make(cb) if frame is None else frame
    if not isinstance(frame.index, pd.RangeIndex):
        frame = frame.reset_index()
    readable, headers = readable_table(frame, name=item.name, cb=cb)
    known = set(cb.facts["id"])
    evidence = [c for c in map(str, frame.columns) if c in EVIDENCE_COLUMNS]
    rows = []
    for n in range(len(frame)):
        ids = {c: _ids(frame[c].iloc[n], known) for c in evidence}
        row = []
        for column in headers:
            value = readable[column].iloc[n]
            text = value if isinstance(value, str) else _plain(format_cell(value, item.name, column))
            facts = _cell_facts(column, ids)
            shown = facts if text else []
            row.append({"text": text, "title": hover_text(cb, shown) if shown else "", "facts": " ".join(shown)})
        rows.append(row)
    return {
        "href": f"../tables/{item.name}.csv",
        "file": f"{item.name}.csv",
        "caption": item.caption,
        "evidence": table_caption(frame, item.caption, cb),
        "headers": list(headers.values()),
        "rows": rows,
    }


def _ids(value, known: set[str]) -> list[str]:
    """The fact ids a cell of an evidence column names (one, or several joined by ``|`` or commas)."""
    import re

    if not isinstance(value, str):
        return []
    return [p for p in re.split(r"[\s,;+|]+", value) if p in known]


def _cell_facts(column: str, ids: dict[str, list[str]]) -> list[str]:
    """The facts a cell comes from: its own evidence column's (``start_low`` is ``start_id``'s), else the row's."""
    own = f"{column.split('_')[0]}_id"
    if ids.get(own):
        return ids[own]
    seen: list[str] = []
    for found in ids.values():
        seen += [i for i in found if i not in seen]
    return seen


def _notebook_title(path: Path) -> str:
    """The notebook's title: the first heading of its first cell (every notebook opens with one)."""
    import nbformat

    nb = nbformat.read(path, as_version=4)
    for line in (nb.cells[0].source if nb.cells else "").splitlines():
        if line.startswith("#"):
            return line.lstrip("#").strip()
    raise ValueError(f"{path}: the first cell has no Markdown heading to title the notebook by; add one")
