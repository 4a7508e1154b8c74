"""Tests for govcases.analysis.growth, with expected values worked out by hand from the source facts.

The Longhua figures come from longhua-orgs-total-at-founding (244家, 2011-12-30 .. 2012-12-31) and
longhua-orgs-total-now (近430家 = [387, 430], 2014-09-26 .. 2014-12-31); the Zhenhai figures from
zhenhai-orgs-registered (333家, 2014-01-01 .. 2015-04-21), zhenhai-orgs-per-10k (6.35个) and
zhenhai-population-census-2020 (510462, 2020-11-01). Every number below was computed on paper or
with a pocket calculator from those facts; none is produced by calling the function under test.
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

import govcases
from govcases.analysis import growth
from govcases.publish import figures
from govcases.records.intervals import Interval

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def cb(five):
    # results across the casebook are pinned to the five original districts (tests/conftest.py)
    return five


# ---------------------------------------------------------------------------- elapsed time and CAGR
def test_elapsed_years_runs_from_nearest_to_farthest_ends():
    # Shortest: 2012-12-31 -> 2014-09-26 = 365 (to 2013-12-31) + 269 (Jan 31 + Feb 28 + Mar 31 + Apr 30
    # + May 31 + Jun 30 + Jul 31 + Aug 31 = 243, + 26) = 634 days.
    # Longest: 2011-12-30 -> 2014-12-31 = 366 (2012 is a leap year, to 2012-12-30) + 365 + 365 + 1 = 1097 days.
    years = growth.elapsed_years(("2011-12-30", "2012-12-31"), ("2014-09-26", "2014-12-31"))
    assert years.low == pytest.approx(634 / 365.25)  # 1.7358
    assert years.high == pytest.approx(1097 / 365.25)  # 3.0034
    # Midpoints: 2012-06-30 12:00 (183.5 days after 2011-12-30) and 2014-11-13 (48 days after 2014-09-26):
    # 730 days (2012-06-30 -> 2014-06-30) + 136 (to 2014-11-13) - 0.5 = 865.5 days.
    assert years.point == pytest.approx(865.5 / 365.25)


def test_elapsed_years_refuses_overlapping_periods():
    with pytest.raises(ValueError, match="overlap"):
        growth.elapsed_years(("2014-01-01", "2015-04-21"), ("2014-09-26", "2014-12-31"))


def test_cagr_on_exact_figures():
    # 100 -> 121 in 2 years: 1.21 ** 0.5 = 1.1, so 10% a year.
    rate = growth.cagr(Interval.exact(100), Interval.exact(121), Interval.exact(2))
    assert (rate.low, rate.high, rate.point) == pytest.approx((10.0, 10.0, 10.0))


def test_cagr_of_a_shrinking_count_is_lowest_over_the_shortest_time():
    # 100 -> 81: over 1 year -19%, over 2 years 0.81 ** 0.5 - 1 = 0.9 - 1 = -10%.
    rate = growth.cagr(Interval.exact(100), Interval.exact(81), Interval(1, 2, None))
    assert (rate.low, rate.high) == pytest.approx((-19.0, -10.0))


def test_longhua_compound_growth_interval(cb):
    table = growth.derived_growth(cb)
    assert len(table) == 1
    row = table.iloc[0]
    assert (row["start_id"], row["end_id"]) == ("longhua-orgs-total-at-founding", "longhua-orgs-total-now")
    assert (row["start_low"], row["start_high"], row["end_low"], row["end_high"]) == (244, 244, 387, 430)
    # Low: the least growth (387 / 244 = 1.586066) over the longest time (3.003422 years):
    #   ln 1.586066 = 0.461256; / 3.003422 = 0.153577; e^0.153577 = 1.165998 -> 16.60%.
    # High: the most growth (430 / 244 = 1.762295) over the shortest time (1.735797 years):
    #   ln 1.762295 = 0.566617; / 1.735797 = 0.326430; e^0.326430 = 1.386012 -> 38.60%.
    assert row["cagr_low"] == pytest.approx(16.59975, abs=1e-4)
    assert row["cagr_high"] == pytest.approx(38.60117, abs=1e-4)
    assert (row["multiple_low"], row["multiple_high"]) == pytest.approx((387 / 244, 430 / 244))
    # Doubling: ln 2 / ln 1.386012 = 0.693147 / 0.326430 = 2.1234 years;
    # ln 2 / ln 1.165998 = 0.693147 / 0.153577 = 4.5134.
    assert row["doubling_low"] == pytest.approx(2.12342, abs=1e-4)
    assert row["doubling_high"] == pytest.approx(4.51335, abs=1e-4)
    # The derivation names both facts and both periods.
    for text in ("longhua-orgs-total-at-founding", "longhua-orgs-total-now", "2011-12-30", "2014-12-31", "[387, 430]"):
        assert text in row["derivation"]


def test_count_pairs_never_mix_scopes(cb):
    pairs = growth.count_pairs(cb)
    assert pairs[["start_id", "end_id"]].values.tolist() == [
        ["longhua-orgs-total-at-founding", "longhua-orgs-total-now"]
    ]
    # Zhenhai's 333 registered and 1154 grassroots share a period and differ in scope: never a pair.
    assert not pairs["start_id"].str.startswith("zhenhai").any()


# ---------------------------------------------------------------------------- doubling times and stated rates
@pytest.mark.parametrize(
    ("rate", "expected"),
    [
        (Interval.exact(30), (2.641927, 2.641927)),  # ln 2 / ln 1.3 = 0.693147 / 0.262364
        (Interval.exact(38), (2.152073, 2.152073)),  # ln 2 / ln 1.38 = 0.693147 / 0.322083
        (Interval(10, math.inf, 10), (0.0, 7.272541)),  # ln 2 / ln 1.1 = 0.693147 / 0.095310; inf doubles at once
        (Interval(0, 100, None), (1.0, math.inf)),  # 100% a year doubles in 1 year; 0% never
    ],
)
def test_doubling_time(rate, expected):
    years = growth.doubling_time(rate)
    assert (years.low, years.high) == pytest.approx(expected, rel=1e-6)


def test_stated_growth_table(cb):
    table = growth.stated_growth(cb).set_index("id")
    assert set(table["indicator"]) == set(growth.GROWTH_INDICATORS)
    # Zhenhai's 10%以上 is open above, and its doubling time runs from 0 to ln 2 / ln 1.1 = 7.27 years.
    z = table.loc["zhenhai-growth-10pct-floor"]
    assert (z["low"], z["high"]) == (10.0, math.inf)
    assert z["doubling_high"] == pytest.approx(7.272541, rel=1e-6)
    # Part-year changes (152%, 363%) are not annual rates: no doubling time.
    assert math.isnan(table.loc["longhua-direct-registrations-yoy", "doubling_low"])
    assert table.loc["beilun-growth-community", "doubling_low"] == pytest.approx(2.152073, rel=1e-6)


# ---------------------------------------------------------------------------- 增长了11倍 and the ratios
def test_both_readings_of_the_multiple(cb):
    table = growth.multiple_readings(cb)
    assert table["base_id"].tolist() == ["longhua-district-wide-groups-at-founding"] * 2
    # 2 district-wide groups at founding: 'by 11 times' gives 2 x 12 = 24, 'to 11 times' 2 x 11 = 22.
    assert table[["factor", "implied_low", "implied_high"]].values.tolist() == [[12, 24, 24], [11, 22, 22]]


def test_ratio_arithmetic_favours_by_n_times(cb):
    table = growth.ratio_arithmetic(cb)
    assert len(table) == 3
    founding, by_n, to_n = (table.iloc[i] for i in range(3))
    # 1∶36.5 printed to one decimal: [36.45, 36.55] x 2 = [72.9, 73.1] -> 73 community groups.
    assert (founding["community_low"], founding["community_high"]) == pytest.approx((72.9, 73.1))
    assert founding["whole_numbers"] == "73"
    # 1∶4.38 printed to two decimals: [4.375, 4.385]; x 24 = [105.0, 105.24] -> 105; x 22 = [96.25, 96.47] -> none.
    assert (by_n["district_wide"], by_n["community_low"], by_n["community_high"]) == pytest.approx((24, 105.0, 105.24))
    assert (by_n["whole_numbers"], bool(by_n["fits"])) == ("105", True)
    assert (to_n["district_wide"], to_n["community_low"], to_n["community_high"]) == pytest.approx((22, 96.25, 96.47))
    assert (to_n["whole_numbers"], bool(to_n["fits"])) == ("", False)
    # Community groups 73 -> 105: x 1.4384.
    assert by_n["community_multiple"] == pytest.approx(105 / 73)


@pytest.mark.parametrize(
    ("text", "value", "bounds"),
    [
        ("1∶36.5", 36.5, (36.45, 36.55)),
        ("1∶4.38", 4.38, (4.375, 4.385)),
        ("6.35个", 6.35, (6.345, 6.355)),
        ("1.73家", 1.73, (1.725, 1.735)),
        ("12", 12.0, (11.5, 12.5)),
    ],
)
def test_printed_interval(text, value, bounds):
    iv = growth.printed_interval(text, value)
    assert (iv.low, iv.high) == pytest.approx(bounds)


# ---------------------------------------------------------------------------- densities
def test_zhenhai_stated_and_derived_density(cb):
    d = growth.densities(cb)
    z = d[d["count_id"] == "zhenhai-orgs-registered"]
    stated = z[z["density_from"] == "stated in the source"].iloc[0]
    assert stated["density_id"] == "zhenhai-orgs-per-10k"
    assert (stated["density_low"], stated["density_high"]) == pytest.approx((6.345, 6.355))
    derived = z[z["density_from"] == "derived"]
    # Only the official census (510462); the disputed mirror figure (531830) is not a denominator.
    assert derived["population_id"].tolist() == ["zhenhai-population-census-2020"]
    row = derived.iloc[0]
    assert row["density_point"] == pytest.approx(333 / 510462 * 10_000)  # 6.5235
    assert row["population"] == "census 2020 (zhenhai-population-census-2020)"
    # 2015-04-21 -> 2020-11-01 = 2021 days; 2014-01-01 -> 2020-11-01 = 2496 days.
    assert (row["gap_low"], row["gap_high"]) == pytest.approx((2021 / 365.25, 2496 / 365.25))
    assert row["timing"] == "population 5.5 to 6.8 years after the count"


def test_longhua_densities_name_their_population(cb):
    d = growth.densities(cb)
    now = d[(d["count_id"] == "longhua-orgs-total-now") & (d["population_id"] == "longhua-population-managed")].iloc[0]
    # 近430 = [387, 430] over 280多万 = [2.8, 2.9] million: 387 / 290 = 1.3345, 430 / 280 = 1.5357 per 10,000.
    assert (now["density_low"], now["density_high"]) == pytest.approx((387 / 290, 430 / 280))
    assert now["population"].startswith("managed population (stated in the source) 2014")
    census = d[
        (d["count_id"] == "longhua-orgs-total-at-founding") & (d["population_id"] == "longhua-population-census-2020")
    ].iloc[0]
    assert census["density_point"] == pytest.approx(244 / 252.8872)  # 0.9649
    assert census["gap_low"] > 7  # a 2020 census against a count of 2011-2012: labelled as such
    assert "after the count" in census["timing"]
    assert d.loc[d["density_from"] == "derived", "population_id"].notna().all()


def test_implied_population(cb):
    t = growth.implied_populations(cb)
    z = t[t["density_id"] == "zhenhai-orgs-per-10k"].iloc[0]
    assert z["count_id"] == "zhenhai-orgs-registered"
    # 333 / 6.355 x 10,000 = 523,996.9; 333 / 6.345 x 10,000 = 524,822.7; 333 / 6.35 x 10,000 = 524,409.4.
    assert (z["implied_low"], z["implied_high"], z["implied_point"]) == pytest.approx((523996.85, 524822.70, 524409.45))
    # Against the 2020 census (510,462): 1.0265 to 1.0281 times it.
    assert (z["implied_over_low"], z["implied_over_high"]) == pytest.approx((523996.85 / 510462, 524822.70 / 510462))
    lh = t[
        (t["density_id"] == "longhua-orgs-per-10k-at-founding") & (t["population_id"] == "longhua-population-managed")
    ].iloc[0]
    # 244 / 1.735 x 10,000 = 1,406,340.1; 244 / 1.725 x 10,000 = 1,414,492.8; against 2.8-2.9 million: 0.485 to 0.505.
    assert (lh["implied_low"], lh["implied_high"]) == pytest.approx((1406340.06, 1414492.75))
    assert (lh["implied_over_low"], lh["implied_over_high"]) == pytest.approx((1406340.06 / 2.9e6, 1414492.75 / 2.8e6))


def test_one_record_casebook_flows_through():
    # Districts come from the casebook, so a casebook of one record gives that district alone.
    one = govcases.load_casebook(ROOT / "casebook" / "zhenhai.yaml")
    d = growth.densities(one)
    assert set(d["district"]) == {"zhenhai"}
    assert growth.derived_growth(one).empty
    fig = figures.growth.fig_trajectories(one)
    assert fig.axes


def test_a_district_without_growth_facts_gives_empty_tables_with_columns():
    # Lüyuan's report states no growth rate and no density: tables are empty, not broken.
    one = govcases.load_casebook(ROOT / "casebook" / "lvyuan.yaml")
    assert growth.stated_growth(one).empty and "doubling_low" in growth.stated_growth(one).columns
    assert growth.implied_populations(one).empty and "implied_low" in growth.implied_populations(one).columns
    assert growth.ratio_arithmetic(one).empty
    assert len(figures.growth.fig_growth_rates(one).axes) == 2


# ---------------------------------------------------------------------------- figures
def test_figures_return_figures_with_their_rows(cb):
    fig = figures.growth.fig_trajectories(cb)
    ax = fig.axes[0]
    assert ax.get_yscale() == "log"
    assert len(ax.containers) == len(growth.trajectory_points(cb))  # one error bar per count
    fig = figures.growth.fig_growth_rates(cb)
    assert len(fig.axes) == 2
    # Beilun's two average rates, Zhenhai's floor and Longhua's derived rate.
    assert len(fig.axes[0].get_yticks()) == 4
    fig = figures.growth.fig_densities(cb)
    assert len(fig.axes[0].get_yticks()) == len(growth.densities(cb))


def test_trajectory_points_keep_intervals(cb):
    p = growth.trajectory_points(cb).set_index("id")
    assert p.loc["longhua-orgs-total-now", "date_mid"] == pd.Timestamp("2014-11-13")
    assert (p.loc["longhua-orgs-total-now", "low"], p.loc["longhua-orgs-total-now", "high"]) == (387, 430)
