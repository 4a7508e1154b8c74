"""The Beilun record (casebook/beilun.yaml) against the undated workshop report it encodes.

Every expected value below was worked out by hand from data/raw/000_4c6fb82d14592538.txt (Traditional characters
with pinyin glosses) and, for context, data/external/district_population_area.csv.
"""

import pytest

import govcases
from govcases.records.paths import CASEBOOK
from govcases.records.sources import load_manifest, read_raw

LAST_YEAR_END = ("2009-12-31", "2023-12-31")  # 截至去年底, article year 2010 .. 2024
ARTICLE = ("2010-08-11", "2024-12-31")  # the workshop on 8月11日 and the article


@pytest.fixture(scope="module")
def casebook():
    return govcases.load_casebook(CASEBOOK / "beilun.yaml")


@pytest.fixture(scope="module")
def facts(casebook):
    return casebook.facts.set_index("id")


@pytest.mark.parametrize(
    ("fact_id", "indicator", "low", "high", "unit", "basis"),
    [
        ("beilun-orgs-registered-and-filed", "orgs_registered_and_filed", 1655, 1655, "organizations", "stock"),
        ("beilun-growth-registered-and-filed", "growth_rate_annual_avg", 30, 30, "percent", "rate"),
        ("beilun-orgs-community", "orgs_community_level", 1282, 1282, "organizations", "stock"),
        ("beilun-growth-community", "growth_rate_annual_avg", 38, 38, "percent", "rate"),
        ("beilun-community-org-types", "orgs_type_count", 5, 5, "items", "stock"),
        ("beilun-orgs-land-lost-farmers", "orgs_of_named_type", 229, 229, "organizations", "stock"),
        ("beilun-orgs-integration-type", "orgs_of_named_type", 182, 182, "organizations", "stock"),
        ("beilun-directed-donations", "funding_amount", 7_200_000, 7_300_000, "yuan", "cumulative"),
        ("beilun-lottery-fund-grants", "funding_amount", 2_390_000, 2_390_000, "yuan", "cumulative"),
        ("beilun-purchase-annual-funds", "funding_amount", 1_400_000, 1_500_000, "yuan", "annual"),
        ("beilun-special-fund-annual", "funding_amount", 1_000_000, 1_000_000, "yuan", "annual"),
        ("beilun-purchased-projects", "purchase_count", 59, 59, "items", "cumulative"),
        ("beilun-purchased-posts", "purchase_count", 200, 300, "items", "cumulative"),
        ("beilun-population-census-2020", "population_resident", 829_448, 829_448, "persons", "stock"),
        ("beilun-population-census-2010", "population_resident", 612_267, 612_267, "persons", "stock"),
    ],
)
def test_key_figures(facts, fact_id, indicator, low, high, unit, basis):
    row = facts.loc[fact_id]
    assert (row["indicator"], row["unit"], row["basis"]) == (indicator, unit, basis)
    assert (row["low"], row["high"]) == pytest.approx((low, high))


def test_1655_counts_registered_plus_filed(facts):
    # 登记备案数: registered and filed together, never a count of registered organizations
    assert facts.loc["beilun-orgs-registered-and-filed", "scope"] == "registered_and_filed"
    assert not facts["indicator"].isin(["orgs_registered", "orgs_total_scope_unstated"]).any()


def test_community_organizations_are_part_of_the_total(facts):
    # 其中城乡社区社会组织1282家: a part of the 1655, growing faster (38% against 30% a year)
    assert facts.loc["beilun-orgs-community", "value"] < facts.loc["beilun-orgs-registered-and-filed", "value"]
    assert facts.loc["beilun-growth-community", "value"] > facts.loc["beilun-growth-registered-and-filed", "value"]


def test_reference_dates(facts):
    last_year = facts[facts["period_text"] == "截至去年底"]
    assert len(last_year) == 5
    assert set(zip(last_year["period_start"], last_year["period_end"])) == {LAST_YEAR_END}
    present = facts[facts["period_text"] == "目前"]
    assert set(zip(present["period_start"], present["period_end"])) == {ARTICLE}
    # 去年底 is the year-end before the article: each bound one year earlier than the article's years
    assert int(LAST_YEAR_END[0][:4]) == int(ARTICLE[0][:4]) - 1
    assert int(LAST_YEAR_END[1][:4]) == int(ARTICLE[1][:4]) - 1
    assert facts.loc["beilun-filing-system", "period_start"] == "2006-01-01"
    assert facts.loc["beilun-special-fund-annual", "period_start"] == "2010-01-01"


def test_funding_instruments(casebook):
    table = casebook.features("funding_instrument")["beilun"]
    assert sorted(table[table].index) == sorted(
        ["directed_donation_tax_incentive", "lottery_welfare_fund", "government_purchase", "special_fund"]
    )


def test_first_claims(facts):
    claims = facts[facts["indicator"] == "first_or_pioneer_claim"]
    assert sorted(claims["value_text"]) == ["country", "province", "province"]


def test_quotes_are_copied_as_the_page_prints_them(facts):
    # Traditional characters and pinyin glosses kept, e.g. 全區(qū); the checker converts both for matching
    raw = read_raw(load_manifest()["beilun-workshop-news"])
    article = facts[facts["source"] == "beilun-workshop-news"]
    assert all(quote in raw for quote in article["quote"])
    assert "全區(qū)社會(huì)組織登記備案數(shù)達(dá)1655家" in facts.loc["beilun-orgs-registered-and-filed", "quote"]


def test_census_change_matches_the_bulletin(facts):
    # The 2020 bulletin: 与2010年...612267人相比,十年共增加217181人
    change = facts.loc["beilun-population-census-2020", "value"] - facts.loc["beilun-population-census-2010", "value"]
    assert change == 217_181
