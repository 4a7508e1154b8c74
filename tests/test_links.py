"""The optional fields of a fact (payer, reach, use, pairings, nesting, counts, readings) are checked.

Each case edits a small valid record and expects one problem naming the field; the pairings name
facts of the same record only, of a kind that fits. Silence stays missing: a fact without the
fields loads with empty cells, never a default.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import VALID_RECORD

import govcases
from govcases import CasebookError

# Two more facts on top of the valid record: a part of the registered total and an instrument.
EXTRA = """\
  - id: zhenhai-social-groups
    indicator: orgs_social_groups
    value: 138家
    basis: stock
    source: zhenhai-2015-report
    quote: 全区登记注册的法人社会组织共333家(社会团体138家,民办非企业单位195家)
    english: 138 social groups.
    period: {text: 目前, start: 2014-01-01, end: 2015-04-21, reasoning: Test record.}
    confidence: stated
    part_of: zhenhai-orgs-registered
  - id: zhenhai-instrument-venture
    indicator: funding_instrument
    value: venture_philanthropy
    source: zhenhai-2015-report
    quote: 2013年起,探索开展公益创投工作
    english: Venture philanthropy from 2013.
    period: {text: 2013年起, start: 2013-01-01, end: 2015-04-21, reasoning: Test record.}
    confidence: stated
  - id: zhenhai-venture-amount
    indicator: funding_amount
    subject: 'venture_philanthropy: projects'
    value: 167.8万元
    basis: cumulative
    source: zhenhai-2015-report
    quote: 引导社会多元资金对接资助37个公益项目,资金合计167.8万元
    english: 1.678 million yuan for 37 projects.
    period: {text: 2013年起, start: 2013-01-01, end: 2015-04-21, reasoning: Test record.}
    confidence: stated
    instruments: [zhenhai-instrument-venture]
    recipients: [zhenhai-venture-projects]
    payer: enterprises_and_donors
    reach: whole_city
    use: [projects]
  - id: zhenhai-venture-projects
    indicator: funding_recipients
    subject: 'venture_philanthropy: projects funded'
    value: 37个
    basis: cumulative
    source: zhenhai-2015-report
    quote: 引导社会多元资金对接资助37个公益项目,资金合计167.8万元
    english: 37 projects.
    period: {text: 2013年起, start: 2013-01-01, end: 2015-04-21, reasoning: Test record.}
    confidence: stated
"""

RECORD = VALID_RECORD + EXTRA


def write(casebook: Path, text: str) -> None:
    (casebook / "zhenhai.yaml").write_text(text, encoding="utf-8")


def problems_of(casebook: Path) -> list[govcases.Problem]:
    with pytest.raises(CasebookError) as info:
        govcases.load_casebook(casebook, cache=False)
    return info.value.problems


def test_fields_load_and_silence_stays_missing(project):
    write(project, RECORD)
    facts = govcases.load_casebook(project, cache=False).facts.set_index("id")
    amount = facts.loc["zhenhai-venture-amount"]
    assert (amount["payer"], amount["reach"], amount["use"]) == ("enterprises_and_donors", "whole_city", "projects")
    assert amount["instruments"] == "zhenhai-instrument-venture"
    assert amount["recipients"] == "zhenhai-venture-projects"
    assert facts.loc["zhenhai-social-groups", "part_of"] == "zhenhai-orgs-registered"
    # the total says nothing of who pays: the cell is empty, not a default category
    total = facts.loc["zhenhai-funding-cumulative"]
    assert pd_isna(total["payer"]) and pd_isna(total["use"]) and pd_isna(total["reach"])
    assert facts.loc["zhenhai-orgs-registered", "period_reading"] == "as_of"


def pd_isna(value) -> bool:
    import pandas as pd

    return bool(pd.isna(value))


# (what to replace in RECORD, by what, the field named, words in the message)
BAD = {
    "pairing names a fact that is not in the record": (
        "instruments: [zhenhai-instrument-venture]",
        "instruments: [beilun-instrument-special-fund]",
        "instruments",
        "not a fact of this record",
    ),
    "pairing names a fact of the wrong kind": (
        "recipients: [zhenhai-venture-projects]",
        "recipients: [zhenhai-orgs-registered]",
        "recipients",
        "a fact of 'orgs_registered'",
    ),
    "pairing names the fact itself": (
        "recipients: [zhenhai-venture-projects]",
        "recipients: [zhenhai-venture-amount]",
        "recipients",
        "the fact itself",
    ),
    "sum whose subject names an instrument names none": (
        "    instruments: [zhenhai-instrument-venture]\n",
        "",
        "instruments",
        "names the instrument 'venture_philanthropy' but no fact of it",
    ),
    "instrument fact of another instrument": (
        "subject: 'venture_philanthropy: projects'",
        "subject: 'special_fund: projects'",
        "instruments",
        "the sum's subject names 'special_fund'",
    ),
    "mixed sum with one instrument": (
        "subject: 'venture_philanthropy: projects'",
        "subject: 'mixed: projects'",
        "instruments",
        "at least two different instruments",
    ),
    "recipients of another instrument": (
        "subject: 'venture_philanthropy: projects funded'",
        "subject: 'special_fund: projects funded'",
        "recipients",
        "counts recipients of 'special_fund'",
    ),
    "payer not a category": ("payer: enterprises_and_donors", "payer: the people", "payer", "'the people' is not"),
    "field on an indicator that does not take it": (
        "    part_of: zhenhai-orgs-registered\n",
        "    part_of: zhenhai-orgs-registered\n    payer: district_budget\n",
        "payer",
        "takes no payer",
    ),
    "empty list": ("use: [projects]", "use: []", "use", "empty list"),
    "reading on a state": (
        "period: {text: 2013年起, start: 2013-01-01, end: 2015-04-21, reasoning: Test record.}\n"
        "    confidence: stated\n  - id: zhenhai-venture-amount",
        "period: {text: 2013年起, start: 2013-01-01, end: 2015-04-21, reasoning: Test record., reading: in_place_by}\n"
        "    confidence: stated\n  - id: zhenhai-venture-amount",
        "period.reading",
        "in_place_by is for start or issue dates",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_field_is_rejected_with_location(project, case):
    old, new, field, words = BAD[case]
    assert RECORD.count(old) == 1, case
    write(project, RECORD.replace(old, new))
    problems = problems_of(project)
    hits = [p for p in problems if p.field.endswith(field) and words in p.message]
    assert hits, [str(p) for p in problems]
    assert all(p.file.endswith("zhenhai.yaml") and p.line for p in hits)


def test_part_larger_than_its_total_is_rejected(project):
    # both figures occur in their quote; the part (333) is made larger than the total (195)
    text = RECORD.replace("value: 138家", "value: 333家").replace(
        "value: 333家\n    basis: stock\n    source", "value: 195家\n    basis: stock\n    source", 1
    )
    problems = problems_of_text(project, text)
    assert any(p.field.endswith("part_of") and "larger than its total" in p.message for p in problems), problems


def problems_of_text(project: Path, text: str) -> list[govcases.Problem]:
    write(project, text)
    return problems_of(project)


def test_count_without_what_it_counts_is_rejected(project):
    count = """\
  - id: zhenhai-need-categories
    indicator: purchase_count
    subject: categories of needs
    value: 9大类
    basis: cumulative
    source: zhenhai-2015-report
    quote: 面向全市社会组织定向发包9大类31小类社会需求
    english: Nine categories of needs.
    period: {text: 2013年起, start: 2013-01-01, end: 2015-04-21, reasoning: Test record.}
    confidence: stated
"""
    write(project, RECORD + count)
    assert any(p.field.endswith("counts") and "says what it counts" in p.message for p in problems_of(project))
    write(project, RECORD + count + "    counts: need_categories\n")
    assert govcases.load_casebook(project, cache=False).facts.set_index("id").loc[
        "zhenhai-need-categories", "counts"
    ] == ("need_categories")


def test_in_place_by_reading_is_kept(project):
    fact = """\
  - id: zhenhai-filing
    indicator: filing_system
    value: true
    source: zhenhai-2015-report
    quote: 建立社会组织登记、备案双轨制
    english: A filing system.
    period: {text: not stated, start: 2014-01-01, end: 2015-04-21, reasoning: Test record., reading: in_place_by}
    confidence: stated
"""
    write(project, RECORD + fact)
    row = govcases.load_casebook(project, cache=False).facts.set_index("id").loc["zhenhai-filing"]
    assert row["period_reading"] == "in_place_by"


def test_real_casebook_pairings_fit():
    """Properties of any casebook: every pairing names a fact of the same district, of a kind that fits."""
    cb = govcases.load_casebook()
    f = cb.facts.set_index("id")
    fields = cb.codebook.fields
    for name in ("instruments", "recipients", "part_of", "beside"):
        for fid, cell in f[name].dropna().items():
            for target in str(cell).split("|"):
                assert f.loc[target, "district"] == f.loc[fid, "district"], (fid, target)
                assert f.loc[target, "indicator"] in fields[name].targets, (fid, target)
    parts = f[f["part_of"].notna()]
    for fid, row in parts.iterrows():
        assert row["low"] <= f.loc[row["part_of"], "high"], fid
