"""Growth on one scale (govcases.analysis.growth.growth_scale): hand-worked on the five, properties for any casebook."""

import math

import pytest

import govcases
from govcases.analysis import growth


@pytest.fixture(scope="module")
def scale(five):
    return growth.growth_scale(five).set_index("fact_ids")


def test_beilun_thirty_percent_by_hand(scale):
    r = scale.loc["beilun-growth-registered-and-filed"]
    # 年均增长30%: stated average, 30 to 30, over the article's 2009-2015 window.
    assert (r["annual_low"], r["annual_high"], r["window"]) == (30.0, 30.0, "2009-2015")
    assert "not stated" in r["averaging"]
    # National steps inside 2009-2015: 2010-2011 446,000 -> 462,000 = 3.587%; 2012-2015 499,000 -> 658,000
    # over 3 years = (658/499)^(1/3) - 1 = 9.658%; 2011-2012 462,000 -> 499,000 = 8.009% lies between.
    assert r["national_low"] == pytest.approx((462 / 446 - 1) * 100)
    assert r["national_high"] == pytest.approx(((658 / 499) ** (1 / 3) - 1) * 100)
    assert "2009" in r["national_note"]  # the yardstick begins in 2010


def test_zhenhai_floor_by_hand(scale):
    r = scale.loc["zhenhai-growth-10pct-floor"]
    # 10%以上 in each of several years: a floor, [10, inf).
    assert r["annual_low"] == 10 and math.isinf(r["annual_high"]) and "floor" in r["averaging"]


def test_longhua_counts_by_hand(scale):
    r = scale.loc["longhua-orgs-total-at-founding|longhua-orgs-total-now"]
    # 244 -> 近430 = [387, 430]; years between the periods run from 2012-12-31..2014-09-26 (634 days)
    # to 2011-12-30..2014-12-31 (1097 days), over 365.25.
    slow = ((387 / 244) ** (365.25 / 1097) - 1) * 100
    fast = ((430 / 244) ** (365.25 / 634) - 1) * 100
    assert r["annual_low"] == pytest.approx(slow) and r["annual_high"] == pytest.approx(fast)
    # The only national step inside 2011-2014 is 2011-2012: 462,000 -> 499,000.
    assert r["national_years"] == "2011-2012"
    assert r["national_low"] == pytest.approx((499 / 462 - 1) * 100)


def test_longhua_year_on_year_and_off_scale(scale):
    r = scale.loc["longhua-direct-registrations-yoy"]
    # 152% against the same months of 2013: one step, a flow, disputed; the yardstick has no 2013 or 2014 count.
    assert r["window"] == "2013-2014" and r["annual_low"] == 152 and "disputed" in r["reason"]
    assert math.isnan(r["national_low"]) and "no two counts" in r["national_note"]
    assert not scale.loc["longhua-district-wide-groups-growth", "on_scale"]


@pytest.mark.parametrize("select", [None, ["longhua"], ["zhenhai", "minhang"]])
def test_properties_any_casebook(select):
    cb = govcases.load_casebook()
    cb = cb.select(select) if select else cb
    g = growth.growth_scale(cb)
    # Count in == count out: one row per stated growth fact and per derived rate.
    assert len(g) == len(growth.stated_growth(cb)) + len(growth.derived_growth(cb))
    on = g[g["on_scale"]]
    assert (on["annual_low"] <= on["annual_high"]).all() and on["annual_low"].notna().all()
    # Off the scale always says why, and carries no rate.
    off = g[~g["on_scale"]]
    assert (off["reason"] != "").all() and off["annual_low"].isna().all()
    # Every rate names its base, window and averaging, and why it is not the national base.
    assert (g[["base", "window", "averaging", "versus_national"]] != "").all().all()
    # No code names in what a reader sees.
    for col in ("base", "averaging", "versus_national", "reason", "national_note"):
        assert not g[col].str.contains("_").any(), col
    assert (on["national_low"].isna() | (on["national_low"] <= on["national_high"])).all()
