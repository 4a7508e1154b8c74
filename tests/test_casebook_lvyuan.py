"""Lüyuan District (source lvyuan-2020-report): values worked out by hand from the source.

The page is dated 2020-03-28, but the report cites the 19th Party Congress report (2017-10-18) and
dates its figures 截止2017年末, so undated figures are resolved to 2017-10-18 .. 2020-03-28, 今年 to
2017 .. 2020 and 去年10月 to October 2016 .. October 2019; see ``lvyuan-orgs-total``,
``lvyuan-funding-government-purchase`` and ``lvyuan-hub-incubator`` in ``casebook/lvyuan.yaml``.
Each test restates a figure or a piece of the source's own arithmetic, so that a wrong edit to the
record fails here.
"""

from __future__ import annotations

import pytest
from conftest import district_facts, features, period

WRITTEN = ("2017-10-18", "2020-03-28")  # undated present, resolved once in the record
END_2017 = ("2017-12-31", "2017-12-31")  # 截止2017年末
THIS_YEAR = ("2017-01-01", "2020-12-31")  # 今年
LAST_OCTOBER = ("2016-10-01", "2019-10-31")  # 去年10月


@pytest.fixture(scope="module")
def facts():
    return district_facts("lvyuan")


@pytest.fixture(scope="module")
def fact(facts):
    by_id = facts.set_index("id")
    return lambda fact_id: by_id.loc[fact_id]


# ---------------------------------------------------------------------------- organizations
def test_registered_is_private_non_enterprise_plus_social_groups(fact):
    registered = fact("lvyuan-orgs-registered")
    pne = fact("lvyuan-orgs-private-non-enterprise")
    groups = fact("lvyuan-orgs-social-groups")
    assert (registered["value"], pne["value"], groups["value"]) == (157.0, 118.0, 39.0)
    assert pne["value"] + groups["value"] == registered["value"]
    assert {registered["qualifier"], pne["qualifier"], groups["qualifier"]} == {"exact"}
    assert registered["indicator"] == "orgs_registered"
    assert registered["confidence"] == "stated"


def test_total_is_registered_plus_community_and_its_scope_is_our_reading(fact):
    total = fact("lvyuan-orgs-total")
    registered = fact("lvyuan-orgs-registered")
    community = fact("lvyuan-orgs-community")
    assert (total["value"], total["qualifier"]) == (287.0, "exact")
    assert (community["low"], community["high"], community["qualifier"]) == (130.0, 140.0, "more_than")
    assert bool(community["low_closed"]) and not bool(community["high_closed"])
    # 157 + [130, 140) = [287, 297) brackets 287, at its lower end: here 130余 means about 130.
    assert registered["value"] + community["low"] <= total["value"] < registered["value"] + community["high"]
    assert registered["value"] + community["low"] == total["value"]
    # Registered plus filed is our reading of the scope, not the text's words.
    assert total["indicator"] == "orgs_registered_and_filed"
    assert total["confidence"] == "inferred"
    assert total["note"]
    assert community["indicator"] == "orgs_community_level"
    # The three counts share one undated reference interval.
    assert period(total) == period(registered) == period(community) == WRITTEN


def test_filed_community_organizations_contain_the_130_odd(fact):
    filed = fact("lvyuan-orgs-community-filed")
    community = fact("lvyuan-orgs-community")
    assert (filed["value_text"], filed["low"], filed["high"]) == ("百余个", 100.0, 200.0)
    assert filed["indicator"] == "orgs_community_filed"
    # 百余 is [100, 200) and 130余 is [130, 140): the two statements agree.
    assert filed["low"] <= community["low"] and community["high"] <= filed["high"]


def test_named_types_and_fields(fact):
    expected = {
        "lvyuan-micro-organizations": (100.0, 200.0),
        "lvyuan-grassroots-studios": (50.0, 60.0),
        "lvyuan-public-welfare-orgs-and-teams": (117.0, 117.0),
        "lvyuan-community-orgs-fields": (8.0, 8.0),
        "lvyuan-community-orgs-categories": (10.0, 20.0),
        "lvyuan-orgs-matched-kinds": (4.0, 4.0),
        "lvyuan-matched-project-categories": (50.0, 60.0),
    }
    for fact_id, bounds in expected.items():
        assert (fact(fact_id)["low"], fact(fact_id)["high"]) == bounds, fact_id
    assert fact("lvyuan-micro-organizations")["unit"] == "organizations"
    assert fact("lvyuan-orgs-matched-kinds")["measure_word"] == "大类"


def test_matched_organizations_and_projects_at_end_of_2017(fact):
    matched = fact("lvyuan-orgs-matched")
    projects = fact("lvyuan-projects-signed")
    assert (matched["value"], matched["indicator"]) == (286.0, "orgs_engaged")
    assert (projects["low"], projects["high"], projects["unit"]) == (1120.0, 1130.0, "items")
    assert period(matched) == period(projects) == END_2017
    # Matched organizations are not the district's own count, though close to it: kept apart.
    assert matched["indicator"] != fact("lvyuan-orgs-total")["indicator"]
    assert projects["low"] > matched["value"]  # several projects per matched organization


def test_brought_in_organizations_are_a_stock_not_incubator_residents(fact):
    # 依托...联合会...基地,引进30余家社会组织入驻: brought in (引进) through street bodies; 目前 makes it a stock
    housed = fact("lvyuan-housed-orgs")
    assert housed["indicator"] == "orgs_engaged"
    assert housed["subject"].startswith("brought_in:")
    assert (housed["low"], housed["high"], housed["basis"]) == (30.0, 40.0, "stock")
    assert housed["reach"] == "several_streets"
    assert period(housed) == WRITTEN


# ---------------------------------------------------------------------------- activities and volunteers
def test_public_welfare_campaign(fact):
    events = fact("lvyuan-public-welfare-events")
    forces = fact("lvyuan-public-welfare-events-outside-forces")
    people = fact("lvyuan-public-welfare-events-participants")
    assert (events["value"], events["unit"]) == (14.0, "times")
    assert (forces["value"], forces["unit"]) == (486.0, "organizations")
    assert forces["subject"].startswith("attracted:")
    assert (people["low"], people["high"], people["unit"]) == (2100.0, 2200.0, "person_times")
    # More outside forces than events, and more person-times than outside forces.
    assert events["value"] < forces["value"] < people["low"]


def test_volunteers_and_services(fact):
    volunteers = fact("lvyuan-volunteers")
    assert (volunteers["qualifier"], volunteers["low"], volunteers["high"]) == ("nearly", 9000.0, 10000.0)
    assert not bool(volunteers["high_closed"])
    services = fact("lvyuan-volunteer-services")
    assert (services["low"], services["high"]) == (10_000.0, 20_000.0)
    studios = fact("lvyuan-grassroots-studios-served")
    assert (studios["low"], studios["high"], studios["unit"]) == (30_000.0, 40_000.0, "person_times")


# ---------------------------------------------------------------------------- funding
def test_funding_instruments_and_this_years_sum(facts, fact):
    assert features(facts, "funding_instrument") == {"government_purchase", "project_grant", "venture_philanthropy"}
    amount = fact("lvyuan-funding-amount-this-year")
    assert (amount["low"], amount["high"], amount["unit"], amount["basis"]) == (2e6, 3e6, "yuan", "annual")
    assert period(amount) == THIS_YEAR
    assert amount["subject"].split(":")[0] == "mixed"  # one sum for several instruments
    assert "three instruments" in amount["note"]
    # The recommendations (以奖代补 etc.) are not practices and are not encoded.
    assert "reward_in_lieu_of_subsidy" not in features(facts, "funding_instrument")


# ---------------------------------------------------------------------------- hubs, evaluation, transfer
def test_hubs_and_their_dates(facts, fact):
    assert features(facts, "hub_feature") == {
        "incubator",
        "support_organization",
        "federation",
        "multi_tier_network",
        "service_centre_per_street",  # 镇街社会组织服务中心
        "community_station",  # 社区协同治理服务站
    }
    support = fact("lvyuan-hub-support-organization")
    assert period(support) == LAST_OCTOBER
    # the takeover is read into a sentence without its verb: inferred; 吉林省 is part of the name
    assert support["confidence"] == "inferred"
    assert "not a provincial government body" in support["note"]
    assert fact("lvyuan-hub-multi-tier")["confidence"] == "inferred"


def test_evaluation_and_supervision(facts):
    assert features(facts, "supervision_feature") == {
        "third_party_evaluation",
        "project_evaluation",
        "rating_system",
        "rating_linked_privileges",
    }


def test_community_work_access_list(facts, fact):
    assert {"community_work_access_list", "project_contracting"} == features(facts, "transfer_instrument")
    items = {
        fid: fact(fid)["value"]
        for fid in (
            "lvyuan-community-work-committee-duties",
            "lvyuan-community-work-assist-major",
            "lvyuan-community-work-assist-minor",
            "lvyuan-community-work-certificates",
        )
    }
    assert list(items.values()) == [20.0, 16.0, 130.0, 15.0]
    assert fact("lvyuan-community-work-assist-major")["measure_word"] == "大项"
    assert fact("lvyuan-community-work-assist-minor")["measure_word"] == "小项"


# ---------------------------------------------------------------------------- grids and context
def test_one_grid_head_per_grid(fact):
    grids = fact("lvyuan-grids")
    heads = fact("lvyuan-grid-heads")
    posts = fact("lvyuan-grid-public-welfare-posts")
    assert (grids["value"], heads["value"], posts["value"]) == (312.0, 312.0, 211.0)
    assert grids["value"] == heads["value"]
    assert (heads["unit"], posts["unit"]) == ("persons", "persons")
    assert posts["value"] < grids["value"]  # fewer public-welfare post holders than grids


def test_administrative_units(fact):
    units = {
        "lvyuan-towns": 3.0,
        "lvyuan-streets": 7.0,
        "lvyuan-provincial-development-zones": 3.0,
        "lvyuan-municipal-development-zones": 1.0,
        "lvyuan-urban-communities": 58.0,
    }
    for fact_id, value in units.items():
        assert fact(fact_id)["value"] == value, fact_id
        assert fact(fact_id)["unit"] == "admin_units", fact_id
    assert fact("lvyuan-model-name")["value_text"] == "6化社区治理模式"


def test_census_rows_are_kept_apart_from_the_report(facts, fact):
    census = fact("lvyuan-population-census-2020")
    change = fact("lvyuan-population-change-2010-2020")
    assert (census["value"], census["source"]) == (714919.0, "ext-population-area")
    assert period(census) == ("2020-11-01", "2020-11-01")
    assert (change["value"], change["basis"]) == (113127.0, "change")
    # The report itself states no population.
    population = facts[facts["indicator"] == "population_resident"]
    assert set(population["source"]) == {"ext-population-area"}
    assert (fact("lvyuan-land-area")["value"], fact("lvyuan-land-area")["unit"]) == (216.0, "square_km")


# ---------------------------------------------------------------------------- dates
def test_no_fact_is_dated_after_the_page_except_this_years_budget(facts):
    this_year = facts["period_text"] == "今年"
    assert (facts.loc[~this_year & (facts["source"] == "lvyuan-2020-report"), "period_end"] <= WRITTEN[1]).all()
    assert set(facts.loc[this_year, "period_start"]) == {THIS_YEAR[0]}
    assert set(facts.loc[this_year, "period_end"]) == {THIS_YEAR[1]}
    assert (facts.loc[facts["source"] == "lvyuan-2020-report", "period_start"] >= LAST_OCTOBER[0]).all()


# ---------------------------------------------------------------------------- new dimensions (issue 12)
def test_outside_organizations_on_equal_terms(facts, fact):
    # 统一引进打破区域界限。允许域外社会组织参与社区服务竞争...享有同等机会和待遇
    assert features(facts, "competition_feature") == {"outside_organizations_equal_terms"}
    assert "同等机会和待遇" in fact("lvyuan-competition-outside-equal-terms")["quote"]


def test_separation_and_party_building(facts, fact):
    # 推进政社分离,厘清界限 (the work access list); 推动居站分离 (the co-governance stations); 党群协作联盟
    assert features(facts, "separation_feature") == {
        "government_community_boundary",
        "residents_committee_station_separation",
    }
    assert features(facts, "party_building_feature") == {"party_mass_alliance"}
    assert "居站分离" in fact("lvyuan-separation-stations")["quote"]


def test_counts_nest(fact):
    # 287家,其中登记类157家,包括...118家、...39家;社区社会组织130余家
    assert fact("lvyuan-orgs-registered")["part_of"] == "lvyuan-orgs-total"
    assert fact("lvyuan-orgs-social-groups")["part_of"] == "lvyuan-orgs-registered"
    community = fact("lvyuan-orgs-community")
    assert (community["part_of"], community["beside"]) == ("lvyuan-orgs-total", "lvyuan-orgs-registered")
    # 1120余 projects signed at fairs are matched projects, not purchases like Beilun's 59
    assert fact("lvyuan-projects-signed")["counts"] == "matched_projects"


def test_policy_in_place_by_and_sum_fields(fact):
    assert fact("lvyuan-community-work-access-policy")["period_reading"] == "in_place_by"
    amount = fact("lvyuan-funding-amount-this-year")
    assert amount["instruments"].split("|") == [
        "lvyuan-funding-government-purchase",
        "lvyuan-funding-project-grant",
        "lvyuan-funding-venture-philanthropy",
    ]
    assert amount["use"] == "projects"
