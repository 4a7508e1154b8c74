"""The Zhenhai record (casebook/zhenhai.yaml) against the 2015 district report it encodes.

Every expected value below was worked out by hand from data/raw/002_d09323e79a695f9a.txt.
"""

import math

import pytest

import govcases
from govcases.records.paths import CASEBOOK
from govcases.records.sources import load_manifest, read_raw

PAGE_DATE = "2015-04-21"


@pytest.fixture(scope="module")
def casebook():
    return govcases.load_casebook(CASEBOOK / "zhenhai.yaml")


@pytest.fixture(scope="module")
def facts(casebook):
    return casebook.facts.set_index("id")


@pytest.mark.parametrize(
    ("fact_id", "indicator", "low", "high", "unit", "basis"),
    [
        ("zhenhai-orgs-registered", "orgs_registered", 333, 333, "organizations", "stock"),
        ("zhenhai-social-groups", "orgs_social_groups", 138, 138, "organizations", "stock"),
        ("zhenhai-private-non-enterprise", "orgs_private_non_enterprise", 195, 195, "organizations", "stock"),
        ("zhenhai-orgs-grassroots", "orgs_community_level", 1154, 1154, "organizations", "stock"),
        ("zhenhai-growth-10pct-floor", "growth_rate_yoy", 10, math.inf, "percent", "rate"),
        ("zhenhai-orgs-per-10k", "orgs_per_10k_residents", 6.35, 6.35, "organizations_per_10k", "rate"),
        ("zhenhai-insured-volunteers", "volunteers_count", 30_000, 40_000, "persons", "stock"),
        ("zhenhai-insured-sum", "insured_sum", 19_440_000, 19_440_000, "yuan", "stock"),
        ("zhenhai-support-funds-total", "funding_total_all_instruments", 9_000_000, 10_000_000, "yuan", "cumulative"),
        ("zhenhai-rating-subsidy-first-round", "funding_amount", 126_000, 140_000, "yuan", "one_off"),
        ("zhenhai-venture-philanthropy-amount", "funding_amount", 1_678_000, 1_678_000, "yuan", "cumulative"),
        ("zhenhai-venture-philanthropy-projects", "funding_recipients", 37, 37, "items", "cumulative"),
        ("zhenhai-service-centre-housed", "incubator_count", 24, 24, "organizations", "stock"),
        ("zhenhai-hub-town-centres", "hub_units", 6, 6, "organizations", "stock"),
        ("zhenhai-hub-village-stations", "hub_units", 17, 17, "organizations", "stock"),
        ("zhenhai-hub-network-tiers", "hub_network_tiers", 3, 3, "items", "stock"),
        ("zhenhai-service-centre-events", "service_volume", 60, 70, "times", "cumulative"),
        ("zhenhai-training", "service_volume", 1000, 2000, "person_times", "cumulative"),
        ("zhenhai-registrations-2015q1", "registrations_count", 8, 8, "organizations", "cumulative"),
        ("zhenhai-industry-associations", "orgs_of_named_type", 30, 40, "organizations", "stock"),
        ("zhenhai-population-census-2020", "population_resident", 510_462, 510_462, "persons", "stock"),
    ],
)
def test_key_figures(facts, fact_id, indicator, low, high, unit, basis):
    row = facts.loc[fact_id]
    assert (row["indicator"], row["unit"], row["basis"]) == (indicator, unit, basis)
    assert (row["low"], row["high"]) == pytest.approx((low, high))


def test_breakdown_adds_up_to_the_registered_total(facts):
    # 社会团体138家 + 民办非企业单位195家 = 法人社会组织333家
    parts = facts.loc[["zhenhai-social-groups", "zhenhai-private-non-enterprise"], "value"].sum()
    assert parts == facts.loc["zhenhai-orgs-registered", "value"] == 333


def test_grassroots_count_is_not_a_registered_count(facts):
    # 1154 grassroots organizations are a separate scope from the 333 registered ones and must not be summed
    assert facts.loc["zhenhai-orgs-grassroots", "scope"] == "community_level"
    assert facts.loc["zhenhai-orgs-registered", "scope"] == "registered"
    assert (facts["indicator"] == "orgs_registered").sum() == 1


def test_density_implies_a_population_of_about_half_a_million(facts):
    # 333 organizations at 6.35 per 10,000 people imply some 524,000 people; the report does not say which
    # population it divides by, so only the order of magnitude is checked against the 2020 census (510,462).
    implied = facts.loc["zhenhai-orgs-registered", "value"] / facts.loc["zhenhai-orgs-per-10k", "value"] * 10_000
    assert implied == pytest.approx(524_409, abs=1)
    assert implied == pytest.approx(facts.loc["zhenhai-population-census-2020", "value"], rel=0.05)


def test_one_plus_three_plus_x_model_and_its_components(facts):
    model = facts[facts["indicator"] == "funding_model"]
    assert model.loc["zhenhai-funding-model", "value_text"] == "1+3+X"
    components = model.dropna(subset=["subject"])
    assert sorted(components["subject"].str.split(":").str[0]) == ["component 1", "component 3", "component X"]
    assert set(components["value_text"]) == {
        "福利彩票公益金",
        "区、街道、社区三级财政补助",
        "企业、社会组织等社会多元资金",
    }
    instruments = set(facts.loc[facts["indicator"] == "funding_instrument", "value_text"])
    assert {"lottery_welfare_fund", "tiered_fiscal_subsidy", "social_funds"} <= instruments


def test_funding_instruments(casebook):
    table = casebook.features("funding_instrument")["zhenhai"]
    assert sorted(table[table].index) == sorted(
        [
            "lottery_welfare_fund",
            "tiered_fiscal_subsidy",
            "social_funds",
            "special_fund",
            "fiscal_budget",
            "government_purchase",
            "venture_philanthropy",
            "rating_subsidy",
            "volunteer_insurance",
            "running_cost_subsidy",
        ]
    )


def test_insured_sum_is_cover_not_spending(facts):
    money = facts[facts["unit"] == "yuan"]
    assert money.loc[money["value"] == 19_440_000, "indicator"].tolist() == ["insured_sum"]
    assert not facts.loc[facts["indicator"] == "funding_amount", "subject"].str.startswith("volunteer_insurance").any()


def test_first_rating_round(facts):
    # 首批89家 received subsidies, 14家 failed and lost them: nearly 140,000 yuan over 89 organizations
    assert facts.loc["zhenhai-rating-passed-first-round", "value"] == 89
    assert facts.loc["zhenhai-rating-failed-first-round", "value"] == 14
    per_org = (
        facts.loc["zhenhai-rating-subsidy-first-round", "high"]
        / facts.loc["zhenhai-rating-passed-first-round", "value"]
    )
    assert per_org == pytest.approx(1573, abs=1)


def test_venture_philanthropy_runs_from_2013(facts):
    venture = facts[facts["subject"].fillna("").str.startswith("venture_philanthropy:")]
    assert len(venture) == 4
    assert set(venture["period_start"]) == {"2013-01-01"}
    assert set(facts.loc[venture.index, "value_text"]) == {"167.8万元", "37个", "9大类", "31小类"}


def test_body_printed_twice_is_encoded_once(facts):
    # the page repeats everything after its opening paragraph
    raw = read_raw(load_manifest()["zhenhai-2015-report"])
    assert raw.count("保额共计1944万元") == 2 and raw.count("首批89家") == 2 and raw.count("共333家") == 1
    report = facts[facts["source"] == "zhenhai-2015-report"]
    assert not report.duplicated(["indicator", "subject", "value_text"]).any()


def test_reference_dates(facts):
    report = facts[facts["source"] == "zhenhai-2015-report"]
    assert (report["period_end"] <= PAGE_DATE).all()
    present = report[report["period_text"].isin(["目前", "至今"]) & (report["period_start"] < "2014-11-01")]
    assert len(present) >= 8
    assert set(zip(present["period_start"], present["period_end"])) == {("2014-01-01", PAGE_DATE)}
    q1 = facts.loc["zhenhai-registrations-2015q1"]
    assert (q1["period_start"], q1["period_end"]) == ("2015-01-01", "2015-03-31")
    assert "已有8家" in q1["note"]
    assert facts.loc["zhenhai-federation-2008", "value"] == 2008


# ---------------------------------------------------------------------------- new dimensions (issue 12)
def feature_set(facts, indicator):
    return set(facts.loc[facts["indicator"] == indicator, "value_text"])


def test_party_building(facts):
    # 社会组织党建服务中心 set up with the 区委两新工委; 两新党建 training; Party building in two associations
    assert feature_set(facts, "party_building_feature") == {
        "party_building_service_centre",
        "party_work_committee",
        "party_building_training",
        "party_role_in_organizations",
    }
    assert facts.loc["zhenhai-party-building-service-centre", "quote"].endswith("社会组织党建服务中心")
    assert "两新工委" in facts.loc["zhenhai-party-work-committee", "quote"]


def test_separation_and_competition(facts):
    # 清理规范党政机关干部兼任社会组织职务情况, 打破社会组织双重管理体制壁垒, 试行...适度竞争制度, 面向全市
    assert feature_set(facts, "separation_feature") == {"concurrent_posts_cleared", "dual_management_removed"}
    assert "兼任社会组织职务" in facts.loc["zhenhai-separation-concurrent-posts", "quote"]
    assert feature_set(facts, "competition_feature") == {"moderate_competition", "open_call_beyond_district"}
    assert "面向全市" in facts.loc["zhenhai-competition-citywide-call", "quote"]
    assert facts.loc["zhenhai-separation-concurrent-posts", "period_start"] == "2012-01-01"


def test_designations(facts):
    d = facts[facts["indicator"] == "pilot_designation"]
    assert sorted(d["value_text"]) == ["key_project", "pilot", "pilot"]
    assert d.loc["zhenhai-designation-rating-pilot", "reach"] == "single_street"


def test_running_cost_subsidy_and_what_the_funds_pay_for(facts):
    # 建立镇(街道)、社区两级按比例补助社会组织日常活动经费机制: no sum stated
    assert facts.loc["zhenhai-instrument-running-cost-subsidy", "value_text"] == "running_cost_subsidy"
    total = facts.loc["zhenhai-support-funds-total"]
    # 提供社会组织服务购买、评估奖励、平台补助等经费 ... 累计投入各类扶持资金近千万
    assert (total["payer"], total["use"]) == ("mixed", "purchase_of_services|rewards|platforms")
    assert "评估奖励" in total["quote"] and "近千万" in total["quote"]


def test_sums_carry_payer_reach_use_and_pairings(facts):
    venture = facts.loc["zhenhai-venture-philanthropy-amount"]
    # 面向全市社会组织 ... 引导社会多元资金对接资助37个公益项目,资金合计167.8万元
    assert (venture["payer"], venture["reach"], venture["use"]) == ("enterprises_and_donors", "whole_city", "projects")
    assert venture["instruments"] == "zhenhai-instrument-venture-philanthropy"
    assert venture["recipients"] == "zhenhai-venture-philanthropy-projects"
    rating = facts.loc["zhenhai-rating-subsidy-first-round"]
    # 在招宝山街道: one street; who pays is not stated, so payer stays missing
    assert rating["reach"] == "single_street" and pd_isna(rating["payer"])
    assert rating["recipients"] == "zhenhai-rating-passed-first-round"


def test_counts_nest(facts):
    # (社会团体138家,民办非企业单位195家) split the 333; the 1154 grassroots organizations stand beside it
    assert facts.loc["zhenhai-social-groups", "part_of"] == "zhenhai-orgs-registered"
    assert facts.loc["zhenhai-private-non-enterprise", "part_of"] == "zhenhai-orgs-registered"
    assert facts.loc["zhenhai-orgs-grassroots", "beside"] == "zhenhai-orgs-registered"
    assert pd_isna(facts.loc["zhenhai-orgs-grassroots", "part_of"])
    assert set(facts.loc[facts["indicator"] == "purchase_count", "counts"]) == {"need_categories"}


def test_density_note_says_what_524000_implies(facts):
    # 333 / 6.35 per 10,000 = 524,409 people, above the 2020 census (510,462)
    implied = 333 / 6.35 * 10_000
    assert round(implied) == 524_409
    assert facts.loc["zhenhai-population-census-2020", "value"] < implied
    note = facts.loc["zhenhai-orgs-per-10k", "note"]
    assert "524,000" in note and "510,462" in note


def pd_isna(value):
    import pandas as pd

    return bool(pd.isna(value))
