"""govcases.analysis.overview: what the casebook holds per district and what each source lacks.

Expected values were worked out by hand from casebook/*.yaml and data/raw/manifest.csv (counting
``- id:`` entries, ``source: ext-population-area`` lines and ``confidence:`` flags with grep, and
reading dates off the records); the arithmetic is written next to each.
"""

import math

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

import govcases
from govcases.analysis import overview
from govcases.publish import figures

DISTRICTS = ["beilun", "longhua", "lvyuan", "minhang", "zhenhai"]


@pytest.fixture(scope="module")
def cb(five):
    # results across the casebook are pinned to the five original districts (tests/conftest.py)
    return five


@pytest.fixture(scope="module")
def profile(cb):
    return overview.profile_table(cb).set_index("district")


# ---------------------------------------------------------------------------------- profile
@pytest.mark.parametrize(
    ("district", "n_facts", "n_external"),
    # grep -c '^  - id:' and grep -c 'source: ext-population-area' in each record
    [("beilun", 30, 3), ("longhua", 71, 5), ("lvyuan", 59, 3), ("minhang", 39, 4), ("zhenhai", 85, 4)],
)
def test_fact_counts(profile, district, n_facts, n_external):
    row = profile.loc[district]
    assert (row["n_facts"], row["n_facts_external"]) == (n_facts, n_external)
    assert row["n_facts_source"] == n_facts - n_external  # every fact cites one of the two sources


def test_model_names_only_where_a_model_name_fact_exists(profile):
    assert profile.loc["beilun", "model_name"] == "社會組織工作北侖模式"  # the page is Traditional
    assert profile.loc["lvyuan", "model_name"] == "6化社区治理模式"
    assert profile.loc["zhenhai", "model_name"] == "三成"
    assert profile.loc["zhenhai", "model_fact"] == "zhenhai-model-name"
    assert pd.isna(profile.loc["longhua", "model_name"]) and pd.isna(profile.loc["minhang", "model_name"])


def test_page_dates_and_reposts(profile):
    # manifest: longhua and minhang publishers say "reposted by ..."; beilun has no page date
    assert profile["page_date_kind"].to_dict() == {
        "beilun": "not recorded",
        "longhua": "repost date",
        "lvyuan": "page date",
        "minhang": "repost date",
        "zhenhai": "page date",
    }
    assert profile.loc["minhang", "page_date"] == "2023-04-20"
    assert profile.loc["minhang", "source_kind"] == "journal-article"
    assert pd.isna(profile.loc["beilun", "page_date"])


def test_profile_rows_follow_the_casebook(profile, cb):
    assert list(profile.index) == cb.districts == DISTRICTS
    assert profile.loc["longhua", ["city", "province", "area_kind"]].tolist() == [
        "Shenzhen",
        "Guangdong",
        "new_district",
    ]
    zh = overview.profile_table(cb, chinese=True).set_index("district")
    assert zh.loc["longhua", "city"] == "深圳市"


# ---------------------------------------------------------------------------------- periods
def test_distinct_interval_counts_and_span(cb):
    t = overview.period_intervals(cb)
    beilun = t[(t["district"] == "beilun") & (t["period_start"] == pd.Timestamp("2009-12-31"))].iloc[0]
    # the five 截至去年底 facts: community-org-types, growth-community, growth-registered-and-filed,
    # orgs-community, orgs-registered-and-filed
    assert beilun["n_facts"] == 5 and beilun["n_external"] == 0
    # 2009-12-31 .. 2015-12-31: 6 * 365 + 1 leap day (2012) = 2191 days, + 1 inclusive = 2192
    assert beilun["span_years"] == pytest.approx(2192 / 365.25)
    zhenhai = t[
        (t["district"] == "zhenhai")
        & (t["period_start"] == pd.Timestamp("2014-01-01"))
        & (t["period_end"] == pd.Timestamp("2015-04-21"))
    ].iloc[0]
    assert zhenhai["n_facts"] == 36  # grep: 36 facts with start 2014-01-01 followed by end 2015-04-21
    assert t["n_facts"].sum() == len(cb.facts)  # every fact falls in exactly one interval


def test_period_summary_repost_gap(cb):
    t = overview.period_summary(cb).set_index("district")
    # longhua: latest narrative fact is the 2015 budget (ends 2015-12-31); repost 2021-02-10.
    # 2015-12-31 -> 2020-12-31 = 5 * 365 + 2 leap days = 1827; -> 2021-02-10 = +41: 1868 days
    assert t.loc["longhua", "latest_end_source"] == "2015-12-31"
    assert t.loc["longhua", "page_after_facts_years"] == pytest.approx(1868 / 365.25)
    assert t.loc["zhenhai", "page_after_facts_years"] == 0  # the report's facts end on its own date
    assert math.isnan(t.loc["beilun", "page_after_facts_years"])
    assert t.loc["beilun", "earliest_start"] == "2006-01-01"  # the 2006 filing system
    assert t.loc["zhenhai", "n_point"] == 3  # model name on 2015-04-21 and two census counts on 2020-11-01


# ---------------------------------------------------------------------------------- coverage
def test_coverage_of_funding_instruments_and_unused_indicator(cb):
    t = overview.coverage_table(cb).set_index("indicator")
    # funding_instrument facts: beilun 4, longhua 4, lvyuan 3, minhang 2, zhenhai 10
    assert t.loc["funding_instrument", DISTRICTS].tolist() == [4, 4, 3, 2, 10]
    assert t.loc["funding_instrument", "n_districts"] == 5
    assert t.loc["funding_amount", DISTRICTS].tolist() == [4, 3, 1, 0, 2]
    assert "orgs_foundations" not in t.index  # no record has a foundations count
    assert (t["n_districts"] >= 1).all()  # only indicators some record uses
    assert t.loc["orgs_registered", "category"] == "organizations"


def test_source_gaps(cb):
    g = overview.source_gaps(cb)
    zhenhai = g[g["district"] == "zhenhai"].set_index("indicator")["reported_by"].to_dict()
    # reported by two others each: registered+filed (beilun, lvyuan), administrative units (lvyuan,
    # minhang); Minhang's park area is a site area (incubator_site_area), so floor area is Longhua's alone
    assert zhenhai == {"orgs_registered_and_filed": 2, "admin_units": 2}
    minhang = g[g["district"] == "minhang"].set_index("indicator")["reported_by"]
    assert minhang["funding_amount"] == 4  # every other source states a sum; Minhang's names none
    assert minhang["orgs_registered"] == 2  # lvyuan and zhenhai
    assert "orgs_registered" not in set(overview.source_gaps(cb, min_reporting=3)["indicator"])


# ---------------------------------------------------------------------------------- confidence, qualifiers
def test_confidence_counts(cb):
    t = overview.confidence_counts(cb)
    # grep -c 'confidence: inferred' / 'confidence: disputed' per record
    assert t["inferred"].to_dict() == {"beilun": 1, "longhua": 3, "lvyuan": 4, "minhang": 1, "zhenhai": 2}
    assert t["disputed"].to_dict() == {"beilun": 0, "longhua": 3, "lvyuan": 0, "minhang": 1, "zhenhai": 2}
    assert t.loc["zhenhai", "stated"] == 85 - 2 - 2
    assert t.loc["beilun", "share_not_stated"] == pytest.approx(1 / 30)
    flagged = overview.flagged_facts(cb)
    assert len(flagged) == 17  # 1+3+4+1+2 inferred + 0+3+0+1+2 disputed
    assert flagged[flagged["district"] == "zhenhai"]["confidence"].tolist() == [
        "disputed",
        "disputed",
        "inferred",
        "inferred",
    ]


def test_qualifier_counts(cb):
    t = overview.qualifier_counts(cb)
    # 近 values: longhua 近430家, 近9000人次; lvyuan 近万人; zhenhai 近千万, 近14万元, 近万人, 近500人次
    assert t.loc["nearly"].tolist() == [0, 2, 1, 0, 4]
    assert t.loc["range", "longhua"] == 1  # 1万-3万
    assert t.loc["about"].tolist() == [0, 1, 0, 1, 0]  # 约830万元, 约1900平方米
    assert list(t.index)[:3] == ["exact", "more_than", "nearly"]


# ---------------------------------------------------------------------------------- figures
def test_category_heatmap_shows_the_counts(cb):
    fig = figures.overview.fig_category_heatmap(cb)
    assert isinstance(fig, Figure)
    image = fig.axes[0].images[0].get_array()
    counts = cb.category_counts()
    assert image[list(counts.index).index("funding"), DISTRICTS.index("zhenhai")] == 21
    assert np.ma.is_masked(image[list(counts.index).index("organizations"), DISTRICTS.index("minhang")])


def test_timeline_has_a_band_per_district_and_marks_reposts(cb):
    fig = figures.overview.fig_period_timeline(cb)
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert len(labels) == 5
    assert labels[0] == "Beilun District\n(no page date recorded)"
    hollow = [line for line in ax.lines if line.get_marker() == "v" and line.get_markerfacecolor() == "white"]
    assert len(hollow) == 2  # longhua and minhang reposts


def test_coverage_figure_rows(cb):
    fig = figures.overview.fig_coverage(cb)
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    book = cb.codebook.table().set_index("indicator")
    indicators = overview.coverage_table(cb)["indicator"].tolist()
    assert len(labels) == len(indicators)
    # the codebook's English labels, without the Chinese terms some of them give in brackets
    assert labels[indicators.index("funding_instrument")] == book.loc["funding_instrument", "label_en"].split(" (")[0]
    assert not [t for t in labels if "_" in t]


def test_a_casebook_of_one_district(project):
    # districts come from the casebook, never from a list in the code
    small = govcases.load_casebook(project)
    t = overview.profile_table(small)
    assert t["district"].tolist() == ["zhenhai"] and t["n_facts"].tolist() == [3]
    assert list(overview.confidence_counts(small).index) == ["zhenhai"]
    assert overview.source_gaps(small).empty
    assert isinstance(figures.overview.fig_period_timeline(small), Figure)
