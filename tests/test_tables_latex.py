"""The appendix tables as LaTeX: rounding by column, escaping, booktabs longtables that fit the page.

The compilation of every table the build writes, with XeLaTeX, is in tests/test_build.py.
"""

from __future__ import annotations

import re

import pandas as pd
import pytest

import govcases
from govcases.publish.appendix import TABLES
from govcases.publish.build import write_table
from govcases.publish.latex import ROUNDING, Rounding, format_cell, latex_table


@pytest.fixture(scope="module")
def cb():
    return govcases.load_casebook()


@pytest.mark.parametrize(
    ("value", "column", "expected"),
    [
        (728762.782401902, "funding-normalized:point", "729,000"),  # 3 significant figures
        (20.9385774506874, "density_point", "20.9"),
        (0.0124999, "density_low", "0.0125"),
        (27.0128731886191, "cagr_mid", "27.0"),  # a kept trailing zero is a significant figure
        (0.372978192511859, "ci_low", "0.373"),  # proportions: 3 decimals
        (1.73579739904175, "years_low", "1.74"),
        (-13.1635865845311, "gap_low", "$-$13.2"),
        (-0.04, "gap_low", "0.0"),  # no negative zero
        (12.5, "value", "12.5"),  # stated figures as stated
        (0.123456789, "value", "0.123456789"),
        (1282.0, "value", "1282"),  # whole numbers whole, whatever the rule
        (612267, "population", "612,267"),
        (2014, "year", "2014"),
        (float("inf"), "high", r"$\infty$"),
        (float("-inf"), "low", r"$-\infty$"),
        (float("nan"), "anything", ""),
        (None, "anything", ""),
        (True, "ok", "yes"),
        (False, "ok", "no"),
    ],
)
def test_numbers_are_written_by_their_column_rule(value, column, expected):
    table, _, name = column.rpartition(":")
    assert format_cell(value, table or "some-table", name) == expected


def test_a_fraction_in_a_column_without_a_rule_is_refused():
    assert "brand_new_ratio" not in ROUNDING
    assert format_cell(3.0, "t", "brand_new_ratio") == "3"  # whole numbers need no rule
    with pytest.raises(ValueError, match=r"table 't', column 'brand_new_ratio'.*ROUNDING"):
        format_cell(0.5, "t", "brand_new_ratio")


def test_every_rule_says_why_and_is_one_of_the_kinds():
    for column, rule in ROUNDING.items():
        assert isinstance(rule, Rounding) and rule.kind in ("stated", "decimals", "significant"), column
        assert len(rule.why) > 20, column


def test_a_table_specific_rule_wins_over_the_column_name():
    # in the funding table, low and high are derived amounts; elsewhere they are stated bounds
    assert format_cell(1234.5678, "funding-normalized", "low") == "1230"
    assert format_cell(1234.5678, "growth-stated", "low") == "1234.5678"


def test_text_is_escaped_and_may_break_after_separators():
    frame = pd.DataFrame({"rate_of % & #": ["x & y", "50% of #1", r"C:\path {x} ~ ^ $5 <a>", "a|b/c_d 2014-09-26"]})
    tex = latex_table(frame, name="t", caption="Rates & 95% intervals_x", label="tab:t")
    assert r"\caption{Rates \& 95\% intervals\_\allowbreak{}x}" in tex
    assert r"\label{tab:t}" in tex
    assert r"rate\_\allowbreak{}of \% \& \#" in tex
    assert r"x \& y" in tex and r"50\% of \#1" in tex
    assert r"C:\textbackslash{}path \{x\} \textasciitilde{} \textasciicircum{} \$5 \textless{}a\textgreater{}" in tex
    assert r"a\textbar\allowbreak{}b/\allowbreak{}c\_\allowbreak{}d \mbox{2014-09-26}" in tex


def _rows(tex: str) -> list[str]:
    """The body rows of every longtable in ``tex`` (from the end of its last foot to its end)."""
    rows = []
    for body in re.findall(r"\\endlastfoot\n(.*?)\\end\{longtable\}", tex, re.S):
        rows += body.splitlines()
    return rows


def _cells(row: str) -> list[str]:
    """The cells of a tabular row, split at the & that are not escaped."""
    return re.split(r"(?<!\\)&", row.removesuffix(r" \\"))


def test_a_table_too_wide_for_landscape_is_split_into_parts_that_repeat_the_key():
    frame = pd.DataFrame({"district": ["a", "b"], "id": ["a-1", "b-1"]} | {f"column_{i}": [i, i] for i in range(40)})
    tex = latex_table(frame, name="t", caption="Wide.", label="tab:wide")
    parts = tex.count(r"\begin{longtable}")
    assert parts > 1 and r"\begin{landscape}" in tex
    assert tex.count(r"\addtocounter{table}{-1}") == parts - 1  # one number for the whole table
    assert tex.count(r"\label{tab:wide}") == 1
    assert f"(continued, part {parts} of {parts})" in tex
    rows = _rows(tex)
    assert len(rows) == 2 * parts
    assert [_cells(r)[:2] for r in rows] == [["a ", " a-1 "], ["b ", " b-1 "]] * parts
    # every column appears once, besides the repeated keys
    headers = re.findall(r"\\toprule\n(.*?) \\\\\n", tex)
    names = [c.strip() for h in headers[::2] for c in _cells(h)]  # each part's first-page header
    assert sorted(set(names)) == sorted(c.replace("_", r"\_\allowbreak{}") for c in frame.columns)


def test_a_narrow_table_stays_portrait():
    tex = latex_table(pd.DataFrame({"district": ["a"], "n": [1]}), name="t")
    assert r"\begin{landscape}" not in tex and tex.count(r"\begin{longtable}") == 1


@pytest.mark.parametrize("item", TABLES, ids=[t.name for t in TABLES])
def test_every_appendix_table_is_well_formed_latex(cb, item, tmp_path):
    csv, tex = write_table(item.make(cb), tmp_path / item.name, caption=item.caption)
    text = tex.read_text(encoding="utf-8")
    assert text.startswith("% Generated by `govcases build`")
    assert text.count(r"\begin{longtable}") == text.count(r"\end{longtable}") >= 1
    for spec in re.findall(r"\\begin\{longtable\}\{(.*)\}\n", text):
        n = spec.count(r"p{\dimexpr")
        assert n >= 1
    for rule in (r"\toprule", r"\midrule", r"\bottomrule"):
        assert rule in text
    n_columns = [spec.count(r"p{\dimexpr") for spec in re.findall(r"\\begin\{longtable\}\{(.*)\}\n", text)]
    rows = _rows(text)
    n_rows = len(pd.read_csv(csv, keep_default_na=False))
    assert len(rows) == n_rows * len(n_columns)  # count in == count out, in every part
    for i, row in enumerate(rows):
        cells = _cells(row)
        assert len(cells) == n_columns[i // max(n_rows, 1)], row
        for cell in cells:  # every special character escaped; $ only around a minus sign or an infinity
            bare = re.sub(r"\$-?(\\infty)?\$", "", cell)
            assert not re.search(r"(?<!\\)[&%#_$^~]", bare), (cell, row)
            # no float printed with more digits than a rule allows (stated figures aside)
            assert not re.search(r"\d\.\d{5,}", bare) or item.name.startswith("growth-stated"), (cell, row)
    plain = re.sub(r"\\[{}]", "", text)  # braces balance once escaped ones are set aside
    assert plain.count("{") == plain.count("}")
