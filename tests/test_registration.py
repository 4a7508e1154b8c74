"""Tests for govcases.analysis.registration, with expected values worked out by hand from the source facts.

Procedure figures: longhua-materials-before/after (22项 -> 15项), longhua-trips-before/after (7趟 -> 3趟),
longhua-approval-days-before/after (60日 -> 10日). Reported effects: longhua-direct-registrations-accepted
(16家, +152%) and longhua-direct-name-preapprovals (48家, +363%). Incubation: the new-district centre
incubated 200 and registered 88; the street-office and community centres incubated 104 and registered 36.
"""

from __future__ import annotations

import hashlib
import math
import re
from pathlib import Path
from types import SimpleNamespace

import pytest

import govcases
from govcases.analysis import registration
from govcases.publish import figures
from govcases.records.sources import load_manifest

ROOT = Path(__file__).resolve().parents[1]
HAN = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def cb(five):
    # results across the casebook are pinned to the five original districts (tests/conftest.py)
    return five


# ---------------------------------------------------------------------------- national policy table
def test_national_policy_table():
    nat = registration.national_reforms().set_index("what")
    assert list(nat.index) == [
        "state_council_plan_approved",
        "direct_registration_four_kinds",
        "regulation_revision_deadline",
        "provinces_with_direct_registration",
    ]
    assert str(nat.loc["state_council_plan_approved", "date"].date()) == "2013-03-14"
    assert str(nat.loc["regulation_revision_deadline", "date"].date()) == "2013-12-31"
    assert nat.loc["direct_registration_four_kinds", "value"] == "4"
    # The four kinds, as the stored page prints them (Traditional characters).
    assert (
        "行業協會商會類、科技類、公益慈善類、城鄉社區服務類社會組織"
        in nat.loc["direct_registration_four_kinds", "note"]
    )
    assert "直接向民政部門依法申請登記" in nat.loc["direct_registration_four_kinds", "note"]
    for what, row in nat.iterrows():
        assert row["source_url"].startswith("http"), what
        assert row["source_title"], what
        assert HAN.search(row["note"]), what  # every note quotes its page's Chinese text


def test_national_policy_is_in_the_manifest_with_its_checksum():
    source = load_manifest()["ext-national-policy"]
    assert source.file == "external/national_policy.csv"
    assert source.kind == "external-table"
    path = ROOT / "data" / "external" / "national_policy.csv"
    assert hashlib.sha256(path.read_bytes()).hexdigest() == source.sha256
    assert b"\r" not in path.read_bytes()


# ---------------------------------------------------------------------------- timeline
def test_reform_timeline(cb):
    t = registration.reform_timeline(cb).set_index("id")
    assert (t.loc["beilun-filing-system", "period_start"], t.loc["beilun-filing-system", "period_end"]) == (
        "2006-01-01",
        "2006-12-31",
    )
    assert t.loc["longhua-direct-registration", "period_start"] == "2014-07-01"
    zhenhai = t[t["district"] == "zhenhai"]
    assert sorted(zhenhai["kind"]) == ["direct registration", "dual track", "filing system"]
    assert set(zhenhai["period_start"]) == {"2012-01-01"}
    # Minhang gives no date: the period is when the pilot is reported in force, not its start.
    assert not t.loc["minhang-direct-registration", "start_stated"]
    assert t.loc["minhang-direct-registration", "categories"] == (
        "community_service, industry_commerce, public_welfare_charity, social_welfare"
    )
    assert "lvyuan" not in set(t["district"])


def test_timeline_figure_has_a_band_per_district_and_the_national_dates(cb):
    fig = figures.registration.fig_reform_timeline(cb)
    ax = fig.axes[0]
    assert len(ax.get_yticks()) == len(cb.districts)
    # Two dated national facts (2013-03-14, 2013-12-31) drawn as vertical lines.
    verticals = [ln for ln in ax.get_lines() if len(set(ln.get_xdata())) == 1 and len(ln.get_xdata()) == 2]
    assert len(verticals) == 2


# ---------------------------------------------------------------------------- procedures
def test_procedure_changes(cb):
    p = registration.procedure_changes(cb).set_index("before_id")
    expected = {
        # before_id: (before, after, after / before, change in percent)
        "longhua-materials-before": (22, 15, 15 / 22, -31.818),  # 15 / 22 = 0.6818: 7 of 22 documents dropped
        "longhua-trips-before": (7, 3, 3 / 7, -57.143),  # 3 / 7 = 0.4286
        "longhua-approval-days-before": (60, 10, 10 / 60, -83.333),  # 10 / 60 = 0.1667: six times faster
    }
    assert set(p.index) == set(expected)
    for before_id, (before, after, share, change) in expected.items():
        row = p.loc[before_id]
        assert (row["before"], row["after"]) == (before, after)
        assert row["after_share"] == pytest.approx(share)
        assert row["change_percent"] == pytest.approx(change, abs=1e-3)
    assert p.loc["longhua-trips-before", "after_id"] == "longhua-trips-after"


# ---------------------------------------------------------------------------- reported effects
def test_implied_base_of_152_and_363_percent():
    # 152% printed as a whole number: [151.5, 152.5]; 16 / 2.525 = 6.3366, 16 / 2.515 = 6.3618: no whole base.
    r = registration.implied_base(16, "152%", 152)
    assert (r["base_low"], r["base_high"]) == pytest.approx((6.336634, 6.361829), abs=1e-6)
    assert (r["whole_bases"], r["fits"]) == ("", False)
    # Bases 6 and 7 would give 16 / 6 - 1 = +166.7% and 16 / 7 - 1 = +128.6%.
    assert r["nearest"] == "6 -> +166.7%, 7 -> +128.6%"
    # 48 / 4.635 = 10.3560, 48 / 4.625 = 10.3784; bases 10 and 11 give +380.0% and +336.4%.
    r = registration.implied_base(48, "363%", 363)
    assert (r["base_low"], r["base_high"]) == pytest.approx((10.355987, 10.378378), abs=1e-6)
    assert (r["fits"], r["nearest"]) == (False, "10 -> +380.0%, 11 -> +336.4%")


def test_implied_base_finds_a_fitting_base():
    # 10 at +100%: 10 / 2.005 = 4.9875, 10 / 1.995 = 5.0125, so 5 fits.
    r = registration.implied_base(10, "100%", 100)
    assert (r["whole_bases"], r["fits"]) == ("5", True)


def test_reported_effects_pair_counts_with_their_changes(cb):
    e = registration.reported_effects(cb).set_index("count_id")
    assert e.loc["longhua-direct-registrations-accepted", "yoy_id"] == "longhua-direct-registrations-yoy"
    assert e.loc["longhua-direct-name-preapprovals", "yoy_id"] == "longhua-direct-name-preapprovals-yoy"
    assert not e.loc["longhua-direct-registrations-accepted", "fits"]
    # Zhenhai's 8 registrations in 2015 Q1 have no stated change.
    assert e.loc["zhenhai-registrations-2015q1", "count"] == 8
    assert e["yoy_id"].isna().sum() == 1


# ---------------------------------------------------------------------------- incubation
def _wilson(k, n, z=1.959963984540054):
    # Wilson score interval, written out: (p + z²/2n ± z √(p(1-p)/n + z²/4n²)) / (1 + z²/n).
    p = k / n
    d = 1 + z * z / n
    c = (p + z * z / (2 * n)) / d
    h = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / d
    return c - h, c + h


def test_wilson_by_hand():
    # 88 / 200: p = 0.44, z² = 3.841459, 1 + z²/n = 1.019207;
    # centre (0.44 + 0.009604) / 1.019207 = 0.441131; half 1.959964 x √(0.001232 + 0.000024) / 1.019207 = 0.068153.
    assert _wilson(88, 200) == pytest.approx((0.372978, 0.509283), abs=1e-6)
    # 36 / 104: p = 0.346154, 1 + z²/n = 1.036937; centre 0.351634, half 0.089957.
    assert _wilson(36, 104) == pytest.approx((0.261677, 0.441591), abs=1e-6)


def test_conversion_rates(cb):
    r = registration.conversion_rates(cb)
    assert r["district"].tolist() == ["longhua", "longhua"]
    centre, streets = r.iloc[0], r.iloc[1]
    assert (centre["incubated"], centre["registered"], centre["rate"]) == (200, 88, 0.44)
    assert (centre["ci_low"], centre["ci_high"]) == pytest.approx((0.372978, 0.509283), abs=1e-6)
    assert (streets["incubated"], streets["registered"]) == (104, 36)
    assert streets["rate"] == pytest.approx(0.346154, abs=1e-6)
    assert (streets["ci_low"], streets["ci_high"]) == pytest.approx((0.261677, 0.441591), abs=1e-6)
    assert centre["registered_id"] == "longhua-registered-district-centre"


def test_conversion_refuses_approximate_counts(cb):
    facts = cb.facts.copy()
    hit = facts["id"] == "longhua-incubated-district-centre"
    facts.loc[hit, "high"] = 210.0  # as if the text had said 200余家
    with pytest.raises(ValueError, match="approximate"):
        registration.conversion_rates(SimpleNamespace(facts=facts))


def test_registration_figures(cb):
    for fn, rows in ((figures.registration.fig_procedure_changes, 3), (figures.registration.fig_conversion_rates, 2)):
        fig = fn(cb)
        assert len(fig.axes[0].get_yticks()) == rows


def test_a_district_without_reforms_keeps_its_band():
    one = govcases.load_casebook(ROOT / "casebook" / "lvyuan.yaml")
    assert registration.reform_timeline(one).empty
    assert registration.conversion_rates(one).empty and "ci_low" in registration.conversion_rates(one).columns
    fig = figures.registration.fig_reform_timeline(one)
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert "no registration reform reported in the source" in texts
