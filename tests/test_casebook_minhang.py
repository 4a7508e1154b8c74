"""Minhang District (source minhang-2015-ji): values worked out by hand from the source.

A journal article in 《消费导刊》2015年第3期 with figures 截至2013年底; its undated practices are
resolved to 2014-01-01 .. 2015-03-31 (see ``minhang-land-area`` in ``casebook/minhang.yaml``). The
article's lessons for Beibei are recommendations, not facts about Minhang, and are not encoded.
Each test restates a figure or a feature of the source, so that a wrong edit to the record fails here.
"""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import ROOT, district_facts, features, period

import govcases

WRITTEN = ("2014-01-01", "2015-03-31")  # the article's writing interval, resolved once in the record
END_2013 = ("2013-12-31", "2013-12-31")


@pytest.fixture(scope="module")
def facts():
    return district_facts("minhang")


@pytest.fixture(scope="module")
def fact(facts):
    by_id = facts.set_index("id")
    return lambda fact_id: by_id.loc[fact_id]


# ---------------------------------------------------------------------------- context
def test_population_and_gdp_at_end_of_2013(fact):
    population = fact("minhang-population-2013")
    gdp = fact("minhang-gdp-2013")
    assert (population["value"], population["unit"]) == (2_532_200.0, "persons")
    assert period(population) == END_2013
    assert (gdp["value"], gdp["unit"], gdp["basis"]) == (172_211_000_000.0, "yuan", "annual")
    assert period(gdp) == ("2013-01-01", "2013-12-31")
    # GDP per resident about 68,000 yuan (derived here only to check the scale of both figures).
    assert 67_000 < gdp["value"] / population["value"] < 69_000


def test_area_and_administrative_units(fact):
    area = fact("minhang-land-area")
    assert (area["value"], area["unit"], area["source"]) == (371.68, "square_km", "minhang-2015-ji")
    assert period(area) == WRITTEN
    units = {"minhang-towns": 9.0, "minhang-streets": 3.0, "minhang-industrial-zone": 1.0}
    for fact_id, value in units.items():
        assert (fact(fact_id)["value"], fact(fact_id)["unit"]) == (value, "admin_units"), fact_id


def test_census_and_estimates_are_separate_facts(facts, fact):
    census = fact("minhang-population-census-2020")
    estimate = fact("minhang-population-yearend-2019")
    stated = fact("minhang-population-2013")
    assert census["value"] == 2_653_489.0
    assert period(census) == ("2020-11-01", "2020-11-01")
    assert "census" in census["subject"]
    assert estimate["value"] == 2_549_300.0
    assert "not a census" in estimate["subject"] and "not a census" in estimate["note"]
    assert {census["source"], estimate["source"]} == {"ext-population-area"}
    assert stated["source"] == "minhang-2015-ji"
    # Three different rows, three different subjects: nothing merges them by accident.
    population = facts[facts["indicator"] == "population_resident"]
    assert population["subject"].nunique() == len(population) == 3


def test_external_area_rows_agree_with_the_article_or_are_disputed(fact):
    article = fact("minhang-land-area")["value"]
    chosen = fact("minhang-land-area-external")
    other = fact("minhang-land-area-external-alt")
    assert chosen["value"] == article and chosen["confidence"] == "stated"
    assert other["value"] == 372.56 and other["confidence"] == "disputed"
    assert 0 < other["value"] - article < 1


# ---------------------------------------------------------------------------- registration and policy
def test_direct_registration_pilot_for_four_categories(facts, fact):
    assert fact("minhang-direct-registration")["value"] == 1.0
    categories = features(facts, "direct_registration_category")
    assert categories == {"industry_commerce", "community_service", "social_welfare", "public_welfare_charity"}
    assert len(categories) == 4  # 4类社会组织
    assert "4类" in fact("minhang-direct-registration-industry-commerce")["quote"]


def test_policy_documents_keep_the_ocr_typo(facts, fact):
    titles = features(facts, "policy_document")
    assert len(titles) == 3
    first = fact("minhang-policy-public-welfare-orgs")
    assert "阂行区" in first["value_text"] and "阂行区" in first["quote"]
    assert "OCR" in first["note"]


def test_coordinating_bodies(facts):
    assert features(facts, "coordination_body") == {
        "社会建设工作领导小组",
        "联席会议制度",
        "区社会建设办公室",
        "社会建设顾问团",
    }


# ---------------------------------------------------------------------------- purchase, funding, hubs
def test_catalogues_roster_and_planned_platform(facts, fact):
    assert features(facts, "transfer_instrument") == {
        "transfer_catalogue",
        "purchase_catalogue",
        "qualified_roster",
        "purchase_platform",
        "project_contracting",
    }
    platform = fact("minhang-purchase-platform-planned")
    assert period(platform) == ("2014-01-01", "2014-12-31")
    assert platform["subject"].startswith("planned")
    assert "将建立" in platform["quote"]
    # a plan is marked so: the presence matrix of what is in place leaves it out
    assert platform["status"] == "planned"
    in_place = govcases.load_casebook(ROOT / "casebook" / "minhang.yaml").features("transfer_instrument")["minhang"]
    assert not in_place["purchase_platform"] and in_place["purchase_catalogue"]


def test_funding_instruments_without_amounts(facts):
    assert features(facts, "funding_instrument") == {"special_fund", "government_purchase"}
    # The article names a special fund but gives no sum: nothing is guessed.
    assert facts[facts["indicator"] == "funding_amount"].empty


def test_incubation_park_and_service_centres(facts, fact):
    area = fact("minhang-incubation-park-area")
    # 占地面积 is site area, not floor area
    assert area["indicator"] == "incubator_site_area"
    assert (area["qualifier"], area["value"], area["unit"]) == ("about", 1900.0, "square_metres")
    assert area["low"] < 1900.0 < area["high"]
    assert features(facts, "hub_feature") == {
        "incubator",
        "support_organization",
        "hub_organizations",
        "service_centre_per_street",
    }
    assert features(facts, "supervision_feature") == {"project_evaluation"}
    # 各镇街 is not a count: no number of centres is recorded.
    assert facts[facts["indicator"] == "hub_units"].empty


# ---------------------------------------------------------------------------- what is not encoded
def test_beibei_recommendations_are_not_facts_about_minhang(facts):
    for text in ("北碚", "尝政府扶持", "行政审批服务处", "定向委托", "预算管理"):
        assert not facts["quote"].str.contains(text).any(), text
    # Every fact from the article is dated no later than its issue.
    article = facts[facts["source"] == "minhang-2015-ji"]
    assert (article["period_end"] <= WRITTEN[1]).all()


# ---------------------------------------------------------------------------- new dimensions (issue 12)
def test_policies_and_pilot_are_in_place_by_the_writing_not_begun_then(facts, fact):
    # 先后制定出台 and 开展直接登记试点 give no dates: in place by the article, start not stated
    for fact_id in [
        "minhang-policy-public-welfare-orgs",
        "minhang-policy-separation-of-groups",
        "minhang-policy-purchase",
        "minhang-direct-registration",
    ]:
        assert fact(fact_id)["period_reading"] == "in_place_by"
        assert period(fact(fact_id)) == WRITTEN
    assert fact("minhang-designation-direct-registration-pilot")["value_text"] == "pilot"


def test_separation_and_competition(facts, fact):
    # 《关于闵行区社会团体与党政机关逐步分离的实施意见》; 通过招投标引进专业社会组织; 吸引区内外社会组织 (planned)
    assert features(facts, "separation_feature") == {"groups_separated_from_organs"}
    assert features(facts, "competition_feature") == {"competitive_tendering", "open_call_beyond_district"}
    assert fact("minhang-competition-open-call-planned")["status"] == "planned"
    assert pd.isna(fact("minhang-competition-tendering")["status"])
    assert not facts["indicator"].isin(["party_building_feature"]).any()


def test_three_kinds_of_deputies(fact):
    # 两代表一委员: deputies to the Party congress and the people's congress, and political consultative members
    english = fact("minhang-advisory-group")["english"]
    assert "Party congress" in english and "people's congress" in english
