"""The appendix: which library function makes each figure and table of the build.

Every output in ``build/figures`` and ``build/tables`` is listed here once, with the function
that makes it and its caption; the README's output table is generated from this list and a test
keeps the two in step.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path
from typing import Callable

__all__ = ["FIGURES", "TABLES", "Output", "outputs_markdown", "report_index"]


@dataclass(frozen=True)
class Output:
    """One appendix output: file stem, the function that makes it (``module:function``), caption."""

    name: str
    function: str
    caption: str

    @property
    def func(self) -> Callable:
        module, _, name = self.function.partition(":")
        return getattr(import_module(f"govcases.{module}"), name)

    def make(self, cb):
        return self.func(cb)


FIGURES: list[Output] = []
TABLES: list[Output] = [
    Output("casebook-facts-by-category", "casebook:category_table", "Number of facts by codebook category and district."),
]


def outputs_markdown() -> str:
    """A Markdown table from each output file to the function that makes it (for the README)."""
    lines = ["| output in `build/` | made by | what it shows |", "|---|---|---|"]
    for item in FIGURES:
        lines.append(f"| `figures/{item.name}.{{pdf,svg,png}}` | `govcases.{item.function.replace(':', '.')}` | {item.caption} |")
    for item in TABLES:
        lines.append(f"| `tables/{item.name}.{{csv,tex}}` | `govcases.{item.function.replace(':', '.')}` | {item.caption} |")
    return "\n".join(lines)


def report_index(cb, notebooks: list[Path], info: dict[str, str]) -> str:
    """The report's front page: notebooks, appendix outputs and the colophon, in plain HTML."""
    e = html.escape
    nb_items = "".join(f'<li><a href="{e(p.stem)}.html">{e(p.stem)}</a></li>' for p in notebooks)
    fig_items = "".join(
        f'<li><a href="../figures/{e(f.name)}.svg">{e(f.name)}</a>: {e(f.caption)}</li>' for f in FIGURES
    )
    tab_items = "".join(
        f'<li><a href="../tables/{e(t.name)}.csv">{e(t.name)}</a>: {e(t.caption)}</li>' for t in TABLES
    )
    rows = "".join(f"<tr><th>{e(k)}</th><td>{e(v)}</td></tr>" for k, v in info.items())
    districts = ", ".join(e(d) for d in cb.districts)
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>govcases report</title>"
        "<style>body{font-family:sans-serif;max-width:60em;margin:2em auto;line-height:1.5}"
        "th{text-align:left;padding-right:1em}</style></head><body>"
        "<h1>govcases: comparative report</h1>"
        f"<p>{len(cb.districts)} districts ({districts}), {len(cb.facts)} sourced facts.</p>"
        f"<h2>Notebooks</h2><ol>{nb_items}</ol>"
        f"<h2>Appendix figures</h2><ul>{fig_items}</ul>"
        f"<h2>Appendix tables</h2><ul>{tab_items}</ul>"
        f"<h2>Colophon</h2><table>{rows}</table>"
        "</body></html>\n"
    )
