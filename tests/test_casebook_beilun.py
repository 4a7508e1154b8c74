"""The Beilun record (casebook/beilun.yaml) against the undated workshop report it encodes.

Every expected value below was worked out by hand from data/raw/000_4c6fb82d14592538.txt (Traditional characters
with pinyin glosses) and, for context, data/external/district_population_area.csv.
"""

import pytest

import govcases
from govcases.records.paths import CASEBOOK
from govcases.records.sources import load_manifest, read_raw

LAST_YEAR_END = ("2009-12-31", "2015-12-31")  # 截至去年底, article year 2010 .. 2016
ARTICLE = ("2010-08-11", "2016-12-31")  # the workshop on 8月11日 and the article


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


# ---------------------------------------------------------------------------- new dimensions (issue 12)
def test_article_window_is_narrowed_by_its_own_vocabulary(facts):
    # 被***民间组织管理局誉为: the national bureau's name before it became 社会组织管理局; 社会管理创新 framing
    reasoning = facts.loc["beilun-orgs-registered-and-filed", "period_reasoning"]
    assert "民间组织管理局" in reasoning and "社会管理创新" in reasoning
    assert "民間組織管理局" in facts.loc["beilun-model-name", "quote"]
    # every fact of the article ends by the end of 2016, none later (the old window ran to 2024)
    article = facts[facts["source"] == "beilun-workshop-news"]
    assert article["period_end"].max() == ARTICLE[1]


def test_party_building(facts):
    # 建立聯合黨委...“三位一體”; 形成黨委領導、政府管理、社會監督和社會組織自律相結合的...新格局
    party = facts[facts["indicator"] == "party_building_feature"]
    assert dict(zip(party.index, party["value_text"])) == {
        "beilun-party-joint-committee": "joint_party_committee",
        "beilun-party-leadership-formula": "party_leadership_formula",
    }
    assert "聯(lián)合黨委" in facts.loc["beilun-party-joint-committee", "quote"]
    assert set(zip(party["period_start"], party["period_end"])) == {ARTICLE}


def test_designations_do_not_name_who_designated(facts):
    d = facts[facts["indicator"] == "pilot_designation"]
    assert set(d["value_text"]) == {"model"} and len(d) == 2
    assert "全國(guó)基層管理創(chuàng)新典型" in d.loc["beilun-designation-national-models", "quote"]
    # the lottery-fund note no longer credits the national authority with the accolade
    assert "national authority" not in facts.loc["beilun-instrument-lottery-fund", "note"]


def test_silent_dimensions_stay_missing(facts):
    # the article names no measure separating government and society and none on competition
    assert not facts["indicator"].isin(["separation_feature", "competition_feature"]).any()


def test_sums_and_counts_carry_their_fields(facts):
    assert facts.loc["beilun-orgs-community", "part_of"] == "beilun-orgs-registered-and-filed"
    lottery = facts.loc["beilun-lottery-fund-grants"]
    assert (lottery["payer"], lottery["use"], lottery["instruments"]) == (
        "welfare_lottery_fund",
        "projects",
        "beilun-instrument-lottery-fund",
    )
    assert facts.loc["beilun-directed-donations", "payer"] == "enterprises_and_donors"
    assert facts.loc["beilun-special-fund-annual", "payer"] == "district_budget"
    counts = facts[facts["indicator"] == "purchase_count"]
    assert dict(zip(counts.index, counts["counts"])) == {
        "beilun-purchased-projects": "purchased_projects",
        "beilun-purchased-posts": "purchased_posts",
    }
    # 百人以上 is 100 or more, and the sentence does not claim every such place has one
    english = facts.loc["beilun-orgs-integration-type", "english"]
    assert "100 or more" in english and "wherever" not in english
