"""govcases.analysis.funding: funding instruments, stated sums and the normalizations the evidence allows.

Every expected value was worked out by hand from the records (casebook/*.yaml) and the qualifier
rules (多/余: up to one unit more in the last stated place; 近: 90% of the figure up to it; 约: ±5%);
the arithmetic is written next to each.
"""

import pandas as pd
import pytest
from matplotlib.figure import Figure

import govcases
from govcases.analysis import funding
from govcases.publish import figures


@pytest.fixture(scope="module")
def cb(five):
    # results across the casebook are pinned to the five original districts (tests/conftest.py)
    return five


@pytest.fixture(scope="module")
def yearly(cb):
    return funding.per_year(cb).set_index("id")


@pytest.fixture(scope="module")
def per_org(cb):
    return funding.per_organization(cb)


@pytest.fixture(scope="module")
def per_res(cb):
    return funding.per_10k_residents(cb)


# ---------------------------------------------------------------------------------- instruments
def test_instruments_named_per_district(cb):
    use = funding.instrument_use(cb)
    named = use[use["named"]].groupby("district")["instrument"].apply(set).to_dict()
    assert named["minhang"] == {"government_purchase", "special_fund"}
    assert named["lvyuan"] == {"government_purchase", "project_grant", "venture_philanthropy"}
    assert len(named["zhenhai"]) == 10 and len(named["beilun"]) == 4 and len(named["longhua"]) == 4


def test_instrument_matrix_marks(cb):
    m = funding.instrument_matrix(cb)
    # Lüyuan's 200余万元 is one sum for purchase, grants and venture philanthropy (same sentence)
    assert m.loc["project_grant", "lvyuan"] == "named + shared sum"
    assert m.loc["startup_grant", "longhua"] == "named + sum"  # 1万-3万 per social group
    assert m.loc["volunteer_insurance", "zhenhai"] == "named"  # the sum insured is cover, not a sum spent
    assert m.loc["special_fund", "minhang"] == "named"
    assert m.loc["special_fund", "longhua"] == ""
    assert m["n_districts"].to_dict()["government_purchase"] == 5
    assert m["n_districts"].to_dict()["reward_in_lieu_of_subsidy"] == 0


# ---------------------------------------------------------------------------------- amounts
def test_amounts_table(cb):
    a = funding.amounts(cb).set_index("id")
    # funding_amount: beilun 4, longhua 3, lvyuan 1, zhenhai 2; plus zhenhai's total and its sum insured
    assert len(a) == 12
    assert a.loc["zhenhai-insured-sum", "kind"] == "sum insured (cover, not spending)"
    assert a.loc["lvyuan-funding-amount-this-year", "kind"] == "sum for several instruments"
    assert a.loc["zhenhai-support-funds-total", "instrument"] == "all_instruments"
    assert a.loc["beilun-purchase-annual-funds", "instrument"] == "government_purchase"
    # 140多万元: last stated place is 10万, so [1,400,000, 1,500,000)
    assert (a.loc["beilun-purchase-annual-funds", "low"], a.loc["beilun-purchase-annual-funds", "high"]) == (
        1_400_000,
        1_500_000,
    )
    assert a.loc["longhua-fiscal-budget-2015", "basis"] == "budget"


# ---------------------------------------------------------------------------------- per year
def test_annual_sums_stand_as_they_are(yearly):
    r = yearly.loc["longhua-fiscal-funding-2014"]
    # 约830万元: 8,300,000 × 0.95 = 7,885,000 and × 1.05 = 8,715,000
    assert (r["per_year_low"], r["per_year_high"], r["per_year_point"]) == pytest.approx(
        (7_885_000, 8_715_000, 8_300_000)
    )
    assert yearly.loc["beilun-special-fund-annual", "per_year_low"] == 1_000_000


def test_cumulative_sum_with_a_dated_start_becomes_an_interval_per_year(yearly):
    r = yearly.loc["zhenhai-venture-philanthropy-amount"]
    # 2013年起 to 2015-04-21. Longest: 2013-01-01 .. 2015-04-21 = 365 + 365 + 110 days, + 1 inclusive = 841.
    # Shortest: from 2013-12-31: 365 + 111 days, + 1 = 477. Years 477/365.25 = 1.30595 .. 841/365.25 = 2.30253.
    assert (r["years_low"], r["years_high"]) == pytest.approx((477 / 365.25, 841 / 365.25))
    # 1,678,000 × 365.25 = 612,889,500; / 841 = 728,762.78; / 477 = 1,284,883.65
    assert (r["per_year_low"], r["per_year_high"]) == pytest.approx((728_762.78, 1_284_883.65), abs=0.01)
    assert pd.isna(r["per_year_point"])  # the number of years is itself an interval
    assert r["averaged_over"] == "2013-01-01..2015-04-21"


@pytest.mark.parametrize(
    ("fact_id", "reason"),
    [
        ("beilun-directed-donations", "does not date the start"),  # 近几年
        ("beilun-lottery-fund-grants", "does not date the start"),  # not stated
        ("zhenhai-support-funds-total", "does not date the start"),  # 至今
        ("longhua-fiscal-budget-2015", "budget"),
        ("longhua-startup-grant-amount", "per organization"),
        ("zhenhai-rating-subsidy-first-round", "one-off"),
    ],
)
def test_sums_that_cannot_be_put_per_year(yearly, fact_id, reason):
    r = yearly.loc[fact_id]
    assert not r["normalized"] and pd.isna(r["per_year_low"])
    assert reason in r["method"]


def test_sum_insured_is_never_normalized(cb, yearly):
    assert "zhenhai-insured-sum" not in yearly.index
    assert "zhenhai-insured-sum" not in set(funding.normalized(cb)["id"])


# ---------------------------------------------------------------------------------- per organization
def _row(table, fact_id, denominator_id):
    rows = table[(table["id"] == fact_id) & (table["denominator_id"] == denominator_id)]
    assert len(rows) == 1
    return rows.iloc[0]


def test_per_organization_with_an_approximate_count(per_org):
    r = _row(per_org, "longhua-fiscal-funding-2014", "longhua-orgs-total-now")
    # 近430家 is [387, 430): 7,885,000 / 430 = 18,337.21; 8,715,000 / 387 = 22,519.38
    assert (r["low"], r["high"]) == pytest.approx((18_337.21, 22_519.38), abs=0.01)
    assert r["denominator_scope"] == "unstated" and r["timing"] == "same year"


def test_per_organization_flags_a_count_from_other_years(per_org):
    r = _row(per_org, "longhua-fiscal-funding-2014", "longhua-orgs-total-at-founding")
    # sum 2014-01-01..2014-12-31, count 2011-12-30..2012-12-31:
    # least 2012-12-31 -> 2014-01-01 = 366 days; most 2011-12-30 -> 2014-12-31 = 1097 days
    assert (r["years_apart_min"], r["years_apart_max"]) == pytest.approx((366 / 365.25, 1097 / 365.25))
    assert r["timing"].startswith("MISMATCH")


def test_per_organization_names_every_scope(per_org):
    lvyuan = per_org[per_org["id"] == "lvyuan-funding-amount-this-year"].set_index("denominator_id")
    # 200余万元 = [2,000,000, 3,000,000); over 287 registered plus filed: 6,968.64 .. 10,452.96
    assert (lvyuan.loc["lvyuan-orgs-total", "low"], lvyuan.loc["lvyuan-orgs-total", "high"]) == pytest.approx(
        (6_968.64, 10_452.96), abs=0.01
    )
    assert set(lvyuan["denominator_scope"]) == {"registered", "registered_and_filed", "community_level"}
    assert "minhang" not in set(per_org["district"])  # no sum, no figure
    assert not per_org["denominator_id"].isin(["zhenhai-population-census-2020-mirror"]).any()


def test_per_recipient_from_the_same_sentence(per_org):
    r = _row(per_org, "zhenhai-rating-subsidy-first-round", "zhenhai-rating-passed-first-round")
    # 近14万元 = [126,000, 140,000) over 89 organizations: 1,415.73 .. 1,573.03
    assert (r["low"], r["high"]) == pytest.approx((1_415.73, 1_573.03), abs=0.01)
    assert r["measure"] == "per recipient"
    # the 14 that failed were not paid and are not a denominator
    assert "zhenhai-rating-failed-first-round" not in set(per_org["denominator_id"].dropna())
    v = _row(per_org, "zhenhai-venture-philanthropy-amount", "zhenhai-venture-philanthropy-projects")
    assert v["low"] == v["high"] == pytest.approx(1_678_000 / 37)  # 45,351.35 per funded project
    assert v["unit"] == "yuan per funded project, cumulative 2013-2015"


def test_stated_per_organization_sum(per_org):
    r = per_org[per_org["measure"] == "per organization as stated"].iloc[0]
    assert (r["id"], r["low"], r["high"]) == ("longhua-startup-grant-amount", 10_000, 30_000)
    assert pd.isna(r["point"])  # a range states no single figure


# ---------------------------------------------------------------------------------- per 10,000 people
def test_per_10k_with_the_managed_population(per_res):
    r = per_res[per_res["population_id"] == "longhua-population-managed"].iloc[0]
    # 280多万 = [2,800,000, 2,900,000) = [280, 290) × 10,000: 7,885,000 / 290 = 27,189.66; 8,715,000 / 280 = 31,125
    assert (r["low"], r["high"]) == pytest.approx((27_189.66, 31_125.0), abs=0.01)
    assert r["population_kind"] == "managed population (stated in the source)"
    assert r["timing"] == "same year"


def test_per_10k_with_a_later_census_is_labelled_a_mismatch(per_res):
    r = per_res[per_res["population_id"] == "longhua-population-census-2020"].iloc[0]
    # 7,885,000 / 252.8872 = 31,179.91; 8,715,000 / 252.8872 = 34,462.01
    assert (r["low"], r["high"]) == pytest.approx((31_179.91, 34_462.01), abs=0.01)
    # 2014-12-31 -> 2019-12-31 = 1826 days; -> 2020-11-01 = +306: 2132 days = 5.84 years
    assert r["years_apart_min"] == pytest.approx(2132 / 365.25)
    assert r["timing"].startswith("MISMATCH")


def test_per_10k_census_inside_a_wide_period(per_res):
    r = per_res[per_res["id"] == "lvyuan-funding-amount-this-year"].iloc[0]
    # [2,000,000, 3,000,000) / 71.4919: 27,975.20 .. 41,962.80
    assert (r["low"], r["high"]) == pytest.approx((27_975.20, 41_962.80), abs=0.01)
    assert r["years_apart_min"] == 0 and r["timing"].startswith("periods overlap")
    assert not per_res["population_id"].str.contains("mirror").any()  # disputed copy left out


# ---------------------------------------------------------------------------------- model, comparisons
def test_one_plus_three_plus_x_is_derived_from_its_facts(cb):
    m = funding.model_components(cb)
    assert m["model"].unique().tolist() == ["1+3+X"]
    assert m["component"].tolist() == ["1", "3", "X"]
    assert m["instrument"].tolist() == ["lottery_welfare_fund", "tiered_fiscal_subsidy", "social_funds"]
    assert m["value_text"].tolist() == ["福利彩票公益金", "区、街道、社区三级财政补助", "企业、社会组织等社会多元资金"]
    assert m["in_model_name"].all()


def test_incomparable_comparisons(cb):
    t = funding.incomparable(cb).set_index("issue")
    assert t.loc["cover is not spending", "facts"] == "zhenhai-insured-sum"
    assert t.loc["budget beside outturn", "facts"] == "longhua-fiscal-budget-2015"
    assert t.loc["instruments without any sum", "districts"] == "minhang"
    assert t.loc["cumulative without a dated start", "facts"] == (
        "beilun-directed-donations, beilun-lottery-fund-grants, zhenhai-support-funds-total"
    )
    # 2014 and 2017..2020 do not overlap
    assert (
        "longhua-fiscal-funding-2014 vs lvyuan-funding-amount-this-year"
        in t.loc["yearly figures from different periods", "facts"]
    )
    assert t.loc["total beside its possible parts", "facts"].startswith("zhenhai-rating-subsidy-first-round")


# ---------------------------------------------------------------------------------- figures
def test_instrument_figure_has_one_cell_per_named_instrument(cb):
    fig = figures.funding.fig_instrument_matrix(cb)
    assert isinstance(fig, Figure)
    assert len(fig.axes[0].patches) == 4 + 4 + 3 + 2 + 10  # instruments named per district


def test_normalized_figure_panels(cb):
    fig = figures.funding.fig_normalized(cb)
    rows = [len(ax.get_yticklabels()) for ax in fig.axes]
    # one panel per measure (unit) that has a row, never two units on one axis
    counts = funding.normalized(cb)["measure"].value_counts()
    assert sorted(rows) == sorted(counts.tolist())
    assert len({ax.get_title(loc="left") for ax in fig.axes}) == len(fig.axes)


def test_a_casebook_of_one_district(project):
    small = govcases.load_casebook(project)
    t = funding.per_year(small)
    assert t["id"].tolist() == ["zhenhai-funding-cumulative"] and not t["normalized"].any()
    assert funding.per_organization(small).empty
    assert "cumulative without a dated start" in set(funding.incomparable(small)["issue"])


# ---------------------------------------------------------------------------------- funding mix (issue 13)
def test_city_wide_venture_philanthropy_is_not_divided_by_the_district(cb, per_org, per_res):
    # 167.8万元 reaches organizations of the whole city (reach: whole_city): no district denominator,
    # only the 37 projects it funded, named in its recipients field
    vp = per_org[per_org["id"] == "zhenhai-venture-philanthropy-amount"]
    assert vp["measure"].tolist() == ["per recipient"]
    assert "zhenhai-venture-philanthropy-amount" not in set(per_res["id"])
    t = funding.incomparable(cb).set_index("issue")
    assert t.loc["reach beyond the district", "facts"] == "zhenhai-venture-philanthropy-amount"
    n = funding.normalized(cb)
    row = n[(n["id"] == "zhenhai-venture-philanthropy-amount") & (n["measure"] == "per year")].iloc[0]
    assert (row["payer"], row["reach"]) == ("enterprises and donors", "whole city")


def test_payer_mix_by_hand(cb):
    t = funding.payer_mix(cb).set_index(["district", "key"])
    # Beilun: 140多万元 and 100万元 from the district, 239万 from the lottery fund, 720多万 directed donations
    assert t.loc[("beilun", "district_budget"), "sums"] == "140多万元 (annual); 100万元 (annual)"
    assert t.loc[("beilun", "welfare_lottery_fund"), "status"] == "sum stated"
    assert t.loc[("beilun", "enterprises_and_donors"), "sums"] == "720多万 (cumulative)"
    # Zhenhai: the lottery fund is component 1 of 1+3+X, named without a sum
    assert t.loc[("zhenhai", "welfare_lottery_fund"), ["status", "own_frame"]].tolist() == [
        "named, no sum",
        "1+3+X: 1",
    ]
    assert t.loc[("zhenhai", "mixed"), "sums"] == "近千万 (cumulative)"
    # Minhang names instruments but no sum and no payer: silence everywhere, never "none"
    assert set(t.loc["minhang", "status"]) == {"not reported"}
    # Longhua's 1万-3万 start-up grant states no payer: kept, under "payer not stated"
    assert t.loc[("longhua", "unstated"), "sum_facts"] == "longhua-startup-grant-amount"


def test_mechanism_mix_by_hand(cb):
    t = funding.mechanism_mix(cb).set_index(["district", "key"])
    # Lüyuan's 200余万元 pays for purchase, project grants and venture philanthropy together: shared, not split
    for key in ("purchase", "project_grants", "venture_philanthropy"):
        assert t.loc[("lvyuan", key), "sums"] == "200余万元 (annual, shared)"
    assert t.loc[("zhenhai", "rating_subsidies"), "sums"] == "近14万元 (one_off, reaching single street)"
    assert t.loc[("zhenhai", "fund_or_budget_line"), "own_frame"] == "1+3+X: 1; 1+3+X: 3; 1+3+X: X"
    assert t.loc[("minhang", "purchase"), "status"] == "named, no sum"
    assert t.loc[("beilun", "venture_philanthropy"), "status"] == "not reported"


def test_every_instrument_category_has_one_mechanism(cb):
    cats = cb.codebook.indicators["funding_instrument"].categories
    members = [i for _, ins in funding.MECHANISMS.values() for i in ins]
    assert sorted(members) == sorted(cats)


def test_payers_are_the_codebook_categories(cb):
    assert list(funding.PAYERS) == list(cb.codebook.fields["payer"].categories)


@pytest.mark.parametrize("which", ["five", "all"])
def test_mix_properties_of_any_casebook(which, cb):
    """Count in == count out, silence kept apart, nothing normalized beyond its reach."""
    book = cb if which == "five" else govcases.load_casebook()
    f = book.facts
    money = f[f["indicator"].isin(["funding_amount", "funding_total_all_instruments"])]
    payers = funding.payer_mix(book)
    # every sum of money is under exactly one payer row
    listed = [i for cell in payers["sum_facts"] for i in str(cell).split("|") if i]
    assert sorted(listed) == sorted(money["id"])
    # every district has every payer and every mechanism, each with one of the statuses
    assert len(payers[payers["key"] != "unstated"]) == len(book.districts) * len(funding.PAYERS)
    mechs = funding.mechanism_mix(book)
    assert len(mechs) == len(book.districts) * len(funding.MECHANISMS)
    assert set(mechs["status"]) <= {"sum stated", "named, no sum", "planned", "not reported"}
    assert (mechs.loc[mechs["status"] == "not reported", "sums"] == "").all()
    # no sum divided by a district's organizations or residents when it reaches another area
    reach = f.set_index("id")["reach"]
    n = funding.normalized(book)
    district_based = n[n["measure"].isin(["per organization per year", "per 10,000 people per year"])]
    for fid in district_based["id"]:
        assert pd.isna(reach[fid]) or reach[fid] == "district", fid
    # payer and reach are always marked on the normalized rows
    assert n["payer"].notna().all() and n["reach"].notna().all()


def test_funding_mix_figure_marks_what_is_reported(cb):
    fig = figures.funding_mix.fig_funding_mix(cb)
    marked = sum(len(line.get_xdata()) for ax in fig.axes for line in ax.lines)
    # payers: Beilun 3, Longhua 2, Lüyuan 1, Zhenhai 4 (incl. payer not stated) = 10;
    # mechanisms: Beilun 3, Longhua 4, Lüyuan 3, Minhang 2, Zhenhai 6 (purchase, venture philanthropy,
    # rating, running costs, fund lines, insurance) = 18
    assert marked == 10 + 18
    texts = [t.get_text() for ax in fig.axes for t in ax.get_yticklabels()]
    assert not any("_" in t for t in texts)  # no code names
