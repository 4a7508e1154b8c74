"""Longhua New District (source longhua-2014-feature): values worked out by hand from the source.

The feature was written between 2014-09-26 and 2014-12-31 (今年 = 2014); see the reasoning of
``longhua-orgs-total-now`` in ``casebook/longhua.yaml``. Each test below restates a figure or a
piece of the source's own arithmetic, so that a wrong edit to the record fails here.
"""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import pandas as pd
import pytest

import govcases

RECORD = Path(__file__).resolve().parents[1] / "casebook" / "longhua.yaml"
ARTICLE = ("2014-09-26", "2014-12-31")  # the article's own date, resolved once in the record


@pytest.fixture(scope="module")
def facts():
    frame = govcases.load_casebook(RECORD).facts
    return frame[frame["district"] == "longhua"]


@pytest.fixture(scope="module")
def fact(facts):
    by_id = facts.set_index("id")

    def get(fact_id: str):
        return by_id.loc[fact_id]

    return get


def features(facts, indicator: str) -> set[str]:
    return set(facts.loc[facts["indicator"] == indicator, "value_text"])


# ---------------------------------------------------------------------------- organizations and growth
def test_totals_now_and_at_founding(fact):
    now = fact("longhua-orgs-total-now")
    assert now["indicator"] == "orgs_total_scope_unstated"
    assert now["value_text"] == "近430家"
    assert (now["qualifier"], now["low"], now["high"], now["high_closed"]) == ("nearly", 387.0, 430.0, False)
    assert (now["period_start"], now["period_end"]) == ARTICLE

    founding = fact("longhua-orgs-total-at-founding")
    assert founding["indicator"] == now["indicator"]  # same scope, so the two are comparable
    assert (founding["value"], founding["qualifier"]) == (244.0, "exact")
    assert founding["period_start"] == "2011-12-30"
    assert founding["low"] < now["low"]


def test_density_at_founding_implies_fewer_residents_than_managed_population(fact):
    density = fact("longhua-orgs-per-10k-at-founding")
    assert density["value"] == pytest.approx(1.73)
    assert density["unit"] == "organizations_per_10k"
    # 244 organizations at 1.73 per 10,000 residents: about 1.41 million residents (derived, not stated),
    # which fits the text's 人口倒挂 against a managed population of more than 2.8 million.
    implied = fact("longhua-orgs-total-at-founding")["value"] / density["value"] * 10_000
    assert 1.40e6 < implied < 1.42e6
    managed = fact("longhua-population-managed")
    assert (managed["low"], managed["high"], managed["qualifier"]) == (2.8e6, 2.9e6, "more_than")
    assert implied < managed["low"]


def test_district_wide_groups_growth_and_ratios_agree(fact):
    base = fact("longhua-district-wide-groups-at-founding")["value"]
    assert base == 2.0
    multiple = fact("longhua-district-wide-groups-growth")
    assert (multiple["value"], multiple["unit"]) == (11.0, "multiple")
    before = fact("longhua-ratio-district-wide-to-community-groups-at-founding")
    after = fact("longhua-ratio-district-wide-to-community-groups-now")
    assert (before["value"], after["value"]) == (36.5, 4.38)
    assert before["period_end"] < after["period_start"]

    # 2 district-wide groups at 1:36.5 means 73 community groups: a whole number.
    assert base * before["value"] == 73.0
    # 增长了11倍 read as "to 12 times": 24 groups, and 105 community groups give 1:4.38 (105/24 = 4.375).
    now = base * (multiple["value"] + 1)
    assert now == 24.0
    assert any(round(n / now, 2) == after["value"] for n in range(1, 500))
    # The other reading (to 11 times, 22 groups) fits no whole number of community groups.
    assert not any(round(n / (base * multiple["value"]), 2) == after["value"] for n in range(1, 500))


def test_year_on_year_rates_fit_no_whole_number_base(fact):
    # Recorded as stated; the note says that 16 and 48 cannot be exact 152% and 363% rises.
    for count_id, rate_id in [
        ("longhua-direct-registrations-accepted", "longhua-direct-registrations-yoy"),
        ("longhua-direct-name-preapprovals", "longhua-direct-name-preapprovals-yoy"),
    ]:
        count, rate = fact(count_id)["value"], fact(rate_id)["value"]
        assert fact(rate_id)["unit"] == "percent"
        assert not any(round((count / b - 1) * 100) == rate for b in range(1, int(count)))
        assert "not a whole number" in fact(rate_id)["note"]
        # a text that contradicts itself is coded disputed, so analyses of stated growth leave it out
        assert fact(rate_id)["confidence"] == "disputed"
    assert fact("longhua-direct-registrations-accepted")["value"] == 16.0
    assert fact("longhua-direct-name-preapprovals")["value"] == 48.0


def test_type_counts(fact):
    assert fact("longhua-industry-associations")["value"] == 12.0
    assert fact("longhua-intermediary-hub-orgs-at-founding")["value"] == 1.0
    assert fact("longhua-public-welfare-orgs")["value"] == 55.0
    assert fact("longhua-public-welfare-orgs")["confidence"] == "inferred"
    qualified = fact("longhua-qualified-transfer-orgs")["value"]
    agreements = fact("longhua-orgs-with-purchase-agreements")["value"]
    assert (qualified, agreements) == (138.0, 32.0)
    assert agreements <= qualified  # 其中: a subset
    # purchase counts, each saying what it counts, the 32 part of the 138
    assert fact("longhua-qualified-transfer-orgs")["indicator"] == "purchase_count"
    assert fact("longhua-qualified-transfer-orgs")["counts"] == "qualified_organizations"
    assert fact("longhua-orgs-with-purchase-agreements")["counts"] == "organizations_with_agreements"
    assert fact("longhua-orgs-with-purchase-agreements")["part_of"] == "longhua-qualified-transfer-orgs"
    assert fact("longhua-purchased-government-projects")["counts"] == "purchased_projects"
    projects = fact("longhua-purchased-government-projects")
    assert (projects["low"], projects["high"], projects["qualifier"]) == (50.0, 60.0, "more_than")
    assert projects["low"] > agreements  # more projects than organizations holding them


# ---------------------------------------------------------------------------- incubation
@pytest.mark.parametrize(
    ("tier", "incubated", "parts"),
    [
        ("district-centre", 200.0, {"registered": 88.0, "name-preapproved": 83.0}),
        ("street-community-centres", 104.0, {"registered": 36.0, "filed": 5.0}),
    ],
)
def test_incubator_counts_add_up(fact, tier, incubated, parts):
    assert fact(f"longhua-incubated-{tier}")["value"] == incubated
    got = {stage: fact(f"longhua-{stage}-{tier}")["value"] for stage in parts}
    assert got == parts
    assert sum(got.values()) <= incubated  # 88 + 83 = 171 <= 200; 36 + 5 = 41 <= 104


def test_incubator_subjects_carry_the_stage_prefix(facts):
    rows = facts[facts["indicator"] == "incubator_count"]
    assert len(rows) == 7
    stages = {s.split(":", 1)[0] for s in rows["subject"]}
    assert stages == {"incubated", "registered", "name_preapproved", "filed", "housed"}
    assert rows.loc[rows["id"] == "longhua-housed-district-centre", "value"].item() == 75.0


def test_incubator_area_and_network(fact, facts):
    area = fact("longhua-incubator-area")
    assert (area["value"], area["unit"]) == (1200.0, "square_metres")
    assert features(facts, "hub_feature") == {
        "incubator",
        "multi_tier_network",
        "service_centre_per_street",
        "hub_organizations",
    }
    network = fact("longhua-hub-feature-multi-tier-network")
    assert (network["period_start"], network["period_end"]) == ("2014-01-01", "2014-12-31")  # 从今年开始
    claims = facts[facts["indicator"] == "first_or_pioneer_claim"].set_index("id")["value_text"]
    assert claims.to_dict() == {
        "longhua-first-city-building-heads-association": "city",
        "longhua-first-city-incubation-platform": "city",
        "longhua-first-province-three-tier-network": "province",
    }


# ---------------------------------------------------------------------------- funding
def test_funding_amounts(fact, facts):
    grant = fact("longhua-startup-grant-amount")
    assert (grant["low"], grant["high"], grant["qualifier"], grant["basis"]) == (
        10_000.0,
        30_000.0,
        "range",
        "per_unit",
    )
    assert pd.isna(grant["value"])  # a range states no single figure

    spent = fact("longhua-fiscal-funding-2014")
    assert (spent["basis"], spent["qualifier"]) == ("annual", "about")
    # 约830万元: an interval around 8.3 million (its width is the parser's rule for 约, not the source's).
    assert spent["value"] == 8_300_000.0
    assert spent["low"] < spent["value"] < spent["high"]
    assert (spent["period_start"], spent["period_end"]) == ("2014-01-01", "2014-12-31")

    budget = fact("longhua-fiscal-budget-2015")
    assert (budget["basis"], budget["low"], budget["high"]) == ("budget", 1e7, 2e7)
    assert budget["period_start"] == "2015-01-01"
    assert budget["low"] > spent["high"]  # the 2015 budget exceeds anything the 2014 figure allows

    instruments = features(facts, "funding_instrument")
    assert instruments == {"startup_grant", "fiscal_budget", "venture_philanthropy", "government_purchase"}
    amounts = facts[facts["indicator"] == "funding_amount"]
    assert {s.split(":", 1)[0] for s in amounts["subject"]} <= instruments


# ---------------------------------------------------------------------------- registration
@pytest.mark.parametrize(
    ("what", "before", "after", "unit"),
    [("materials", 22.0, 15.0, "items"), ("trips", 7.0, 3.0, "trips"), ("approval-days", 60.0, 10.0, "days")],
)
def test_procedure_before_and_after(fact, what, before, after, unit):
    b, a = fact(f"longhua-{what}-before"), fact(f"longhua-{what}-after")
    assert (b["value"], a["value"]) == (before, after)
    assert b["unit"] == a["unit"] == unit
    assert b["subject"] == a["subject"]  # paired by subject
    assert b["period_end"] < "2014-07-01" <= a["period_start"]


def test_direct_registration_from_july_2014(fact, facts):
    direct = fact("longhua-direct-registration")
    assert (direct["value_text"], direct["period_start"], direct["period_end"]) == ("true", "2014-07-01", "2014-07-31")
    assert features(facts, "direct_registration_category") == {"all_without_legal_prior_approval"}
    for fact_id in ["longhua-direct-registrations-accepted", "longhua-direct-name-preapprovals"]:
        assert fact(fact_id)["period_start"] == direct["period_start"]
    changes = facts[facts["indicator"] == "registration_procedure_change"]
    # 改革现有年检制度: the annual inspection was reformed, not replaced
    assert sorted(changes["value_text"]) == ["abolished", "abolished", "eased", "reformed"]
    assert features(facts, "supervision_feature") == {"annual_report_system", "spot_checks"}
    assert features(facts, "transfer_instrument") == {"key_transfer_list", "negative_list", "qualified_roster"}


# ---------------------------------------------------------------------------- services
def test_service_volumes(fact):
    trainings = fact("longhua-social-work-association-trainings")
    assert (trainings["value"], trainings["unit"]) == (21.0, "times")
    served = fact("longhua-social-work-association-served")
    assert (served["unit"], served["low"], served["high"], served["high_closed"]) == (
        "person_times",
        8100.0,
        9000.0,
        False,
    )
    insured = fact("longhua-self-employed-social-insurance")
    assert (insured["unit"], insured["qualifier"], insured["low"], insured["low_closed"]) == (
        "persons",
        "over",
        1000.0,
        False,
    )
    assert math.isinf(insured["high"])


def test_staff_posts(fact):
    assert fact("longhua-staff-civil-service")["value"] == 21.0
    assert fact("longhua-staff-public-institution")["value"] == 27.0


# ---------------------------------------------------------------------------- dates and context
def test_today_is_2014_and_three_years_after_founding(fact, facts):
    founded = fact("longhua-new-district-founded")
    assert founded["value_text"] == "2011-12-30"
    # Levels "as of now" sit in the article window; counts "so far" run from earlier up to it.
    for period_text in ["截至目前", "目前", "最新统计"]:
        rows = facts[facts["period_text"] == period_text]
        assert len(rows) > 0
        assert set(rows["period_end"]) == {ARTICLE[1]}
        stocks = rows[rows["basis"] == "stock"]
        assert len(stocks) > 0
        assert set(zip(stocks["period_start"], stocks["period_end"])) == {ARTICLE}
    # 成立三年来 / 近三年: the article window lies 2.7 to 3.05 years after the founding.
    start, end = (dt.date.fromisoformat(d) for d in ARTICLE)
    day0 = dt.date.fromisoformat(founded["value_text"])
    assert 2.7 < (start - day0).days / 365.25 < (end - day0).days / 365.25 < 3.05
    # Every fact dated 今年 lies in 2014.
    this_year = facts[facts["period_text"].str.contains("今年")]
    assert len(this_year) >= 3
    assert (this_year["period_start"] >= "2014-01-01").all() and (this_year["period_end"] <= "2014-12-31").all()


def test_external_facts_kept_apart_from_the_article(fact):
    census = fact("longhua-population-census-2020")
    assert (census["source"], census["value"], census["period_start"]) == (
        "ext-population-area",
        2528872.0,
        "2020-11-01",
    )
    assert census["indicator"] == "population_resident"
    assert fact("longhua-population-managed")["indicator"] == "population_managed"
    assert fact("longhua-district-inaugurated")["value_text"] == "2017-01-07"
    assert fact("longhua-district-approved")["confidence"] == "disputed"
    assert fact("longhua-new-district-founded")["value_text"] < fact("longhua-district-inaugurated")["value_text"]
    article, external = fact("longhua-land-area-article"), fact("longhua-land-area-external")
    assert (article["source"], external["source"]) == ("longhua-2014-feature", "ext-population-area")
    assert abs(article["value"] - external["value"]) < 1  # 175 and 175.58 km2: the same territory


# ---------------------------------------------------------------------------- new dimensions (issue 12)
def test_separation_and_designation(fact, facts):
    # 改变了以往社会组织登记成立需要双重审批的现状
    assert features(facts, "separation_feature") == {"dual_management_removed"}
    assert fact("longhua-separation-dual-approval")["period_start"] == "2014-07-01"
    # 被省纪委选为典型: a provincial model, this month
    model = fact("longhua-designation-anti-corruption-model")
    assert (model["value_text"], model["period_start"], model["period_end"]) == ("model", *ARTICLE)
    assert "省纪委选为典型" in model["quote"]


def test_silent_dimensions_stay_missing(facts):
    # the feature names no Party-building arrangement and no rule on competition or outside organizations
    assert not facts["indicator"].isin(["party_building_feature", "competition_feature"]).any()


def test_sums_carry_payer_reach_and_use(fact):
    # 2014年新区财政为社会组织培育提供经费约830万元: the new district's budget; what it pays for is not itemized
    funding = fact("longhua-fiscal-funding-2014")
    assert (funding["payer"], funding["reach"], funding["instruments"]) == (
        "district_budget",
        "district",
        "longhua-instrument-fiscal-budget",
    )
    assert pd.isna(funding["use"])
    startup = fact("longhua-startup-grant-amount")
    assert (startup["use"], startup["reach"]) == ("startup", "district")


def test_translations_corrected(fact):
    # 增长了11倍: by eleven times the base, to twelve times; no "elevenfold" beside a note reading x12
    assert "elevenfold" not in fact("longhua-district-wide-groups-growth")["english"]
    # the twice-yearly rounds stay uncoded, for the right reason now: no indicator counts funding rounds
    assert "no longer holds" in fact("longhua-instrument-venture-philanthropy")["note"]
