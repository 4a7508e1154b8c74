"""Condition coding, similarity and clustering (src/govcases/typology.py).

Every expected value below was worked out by hand from the casebook facts named in the comments.
"""

import numpy as np
import pandas as pd
import pytest

from govcases.analysis import typology
from govcases.analysis.typology import RULES, Clause, ConditionRule
from govcases.publish import figures


@pytest.fixture(scope="module")
def cb(five):
    # results across the casebook are pinned to the five original districts (tests/conftest.py)
    return five


@pytest.fixture(scope="module")
def matrix(cb):
    return typology.condition_matrix(cb)


@pytest.fixture(scope="module")
def evidence(cb):
    return typology.evidence_table(cb).set_index(["district", "condition"])


# ---------------------------------------------------------------------------- the rule table


def test_rules_name_real_indicators_and_categories(cb):
    """A misspelled indicator or category would silently code every district 0."""
    indicators = cb.codebook.indicators
    for rule in RULES:
        assert rule.clauses, rule.id
        for clause in rule.clauses:
            assert clause.indicator in indicators, (rule.id, clause.indicator)
            ind = indicators[clause.indicator]
            if clause.equals is True:
                assert ind.value_type == "boolean", (rule.id, clause.text)
            elif clause.equals is not None:
                assert clause.equals in (ind.categories or []), (rule.id, clause.text)
            if clause.subject_prefix is not None:
                assert ind.subject != "none", (rule.id, clause.text)
            if clause.at_least is not None:
                assert ind.value_type == "quantity", (rule.id, clause.text)


def test_rule_ids_unique_and_domains_are_codebook_categories(cb):
    ids = [r.id for r in RULES]
    assert len(ids) == len(set(ids))
    assert {r.domain for r in RULES} <= set(cb.codebook.model.categories)


def _fact(**kw):
    base = {
        "id": "x-1",
        "district": "x",
        "indicator": "filing_system",
        "value_type": "boolean",
        "value_text": "true",
        "value": 1.0,
        "low": 1.0,
        "subject": pd.NA,
        "confidence": "stated",
    }
    base.update(kw)
    return base


def test_clause_boolean_false_is_contrary_not_support():
    clause = Clause("filing_system", True)
    assert clause.matches(_fact())
    false_fact = _fact(value_text="false", value=0.0, low=0.0)
    assert not clause.matches(false_fact)
    assert clause.contradicts(false_fact)
    rule = ConditionRule("f", "F", "F", "registration", "", (clause,))
    facts = pd.DataFrame([false_fact])
    assert rule.evidence(facts) == [] and rule.contrary(facts) == ["x-1"] and not rule.predicate(facts)


def test_clause_at_least_uses_low_end_and_subject_prefix():
    tiers = Clause("hub_network_tiers", at_least=2)
    # 三级 is exactly 3: passes; "1 or 2 tiers" as an interval [1, 2] does not, since 1 < 2.
    assert tiers.matches(_fact(indicator="hub_network_tiers", value_type="quantity", low=3.0))
    assert not tiers.matches(_fact(indicator="hub_network_tiers", value_type="quantity", low=1.0))
    filed = Clause("incubator_count", subject_prefix="filed:")
    assert filed.matches(_fact(indicator="incubator_count", value_type="quantity", subject="filed: street centres"))
    assert not filed.matches(_fact(indicator="incubator_count", value_type="quantity", subject="housed: district"))
    assert not filed.matches(_fact(indicator="incubator_count", value_type="quantity", subject=pd.NA))


# ---------------------------------------------------------------------------- the condition matrix, by hand


@pytest.mark.parametrize(
    ("district", "condition", "coded", "facts"),
    [
        # beilun.yaml has no direct_registration or direct_registration_category fact.
        ("beilun", "direct_registration", 0, ""),
        # beilun: filing_system true, and a registered-plus-filed count (1655家).
        ("beilun", "filing_system", 1, "beilun-filing-system|beilun-orgs-registered-and-filed"),
        # longhua: no filing_system fact, but an incubator count of 5 organizations filed (subject 'filed:').
        ("longhua", "filing_system", 1, "longhua-filed-street-community-centres"),
        # minhang: no filing fact and no filed-scope count anywhere in the article.
        ("minhang", "filing_system", 0, ""),
        # zhenhai: filing_system true and dual_track_registration true.
        ("zhenhai", "filing_system", 1, "zhenhai-dual-track|zhenhai-filing-system"),
        # lottery: funding_instrument lottery_welfare_fund in beilun (plus its 239万 grants) and zhenhai only.
        ("beilun", "lottery_fund", 1, "beilun-instrument-lottery-fund|beilun-lottery-fund-grants"),
        ("zhenhai", "lottery_fund", 1, "zhenhai-instrument-lottery-fund"),
        ("lvyuan", "lottery_fund", 0, ""),
        # multi-tier: zhenhai has hub_feature multi_tier_network and hub_network_tiers 三级 (3 >= 2).
        ("zhenhai", "multi_tier_network", 1, "zhenhai-hub-network|zhenhai-hub-network-tiers"),
        ("lvyuan", "multi_tier_network", 1, "lvyuan-hub-multi-tier"),
        # minhang's incubation park and town/street centres are coded incubator and service_centre_per_street,
        # not multi_tier_network, so the rule gives 0.
        ("minhang", "multi_tier_network", 0, ""),
        ("minhang", "incubator", 1, "minhang-incubation-park"),
        ("beilun", "incubator", 0, ""),
        ("lvyuan", "third_party_evaluation", 1, "lvyuan-third-party-evaluation"),
        ("zhenhai", "third_party_evaluation", 0, ""),
    ],
)
def test_condition_cells(evidence, district, condition, coded, facts):
    row = evidence.loc[(district, condition)]
    assert row["coded"] == coded
    assert row["evidence"] == facts
    if not coded:
        assert row["meaning"] == "not reported by the source (unknown, not absent)"


def test_inferred_only_cells(evidence):
    # lvyuan-hub-multi-tier, lvyuan-hub-support-organization (a takeover read into a sentence without
    # a verb), longhua-hub-feature-street-centres and minhang-support-organizations are the only
    # supporting facts of their cells and all four have confidence: inferred.
    inferred = evidence[evidence["only_inferred"]].index.tolist()
    assert sorted(inferred) == [
        ("longhua", "street_service_centres"),
        ("lvyuan", "multi_tier_network"),
        ("lvyuan", "support_organization"),
        ("minhang", "support_organization"),
    ]


def test_beilun_row(matrix):
    # Beilun's news report supports five conditions: filing (beilun-filing-system), lottery fund,
    # government purchase, special fund and directed donations (its four funding_instrument facts).
    row = matrix.loc["beilun"]
    assert sorted(row[row == 1].index) == [
        "directed_donation",
        "filing_system",
        "government_purchase",
        "lottery_fund",
        "special_fund",
    ]


def test_government_purchase_reported_everywhere(matrix):
    # Every record has a funding_instrument government_purchase fact; the condition cannot discriminate.
    assert matrix["government_purchase"].tolist() == [1, 1, 1, 1, 1]


def test_matrix_has_every_district_and_condition(cb, matrix):
    assert list(matrix.index) == cb.districts
    assert list(matrix.columns) == [r.id for r in RULES]
    assert set(matrix.to_numpy().ravel()) <= {0, 1}


def test_condition_profile_duplicates(matrix):
    prof = typology.condition_profile(matrix).set_index("condition")
    # venture philanthropy (longhua, lvyuan, zhenhai) and multi-tier network (same three) share a column.
    assert prof.loc["venture_philanthropy", "same_as"] == "multi_tier_network"
    assert not prof.loc["government_purchase", "varies"]


# ---------------------------------------------------------------------------- similarity and clustering


def test_jaccard_by_hand(matrix):
    sim = typology.similarity(matrix)
    # beilun {filing, lottery, purchase, special, donation}; zhenhai {direct, filing, lottery, venture,
    # purchase, special, incubator, multi-tier, hub, federation, rating}: 4 shared, 5 + 11 - 4 = 12 in
    # the union -> 4/12 = 1/3.
    assert sim.loc["beilun", "zhenhai"] == pytest.approx(1 / 3)
    # longhua (11) and zhenhai (11) share direct, filing, venture, purchase, incubator, multi-tier, hub
    # = 7; union 15 -> 7/15.
    assert sim.loc["longhua", "zhenhai"] == pytest.approx(7 / 15)
    # lvyuan (11, with its town and street centres) and minhang (10) share purchase, incubator, street
    # centres, support, project evaluation = 5; union 16.
    assert sim.loc["lvyuan", "minhang"] == pytest.approx(5 / 16)
    assert (sim.to_numpy().diagonal() == 1).all()


def test_simple_matching_by_hand(matrix):
    # beilun vs zhenhai over 20 conditions: they differ on 1 (donation) + 7 (zhenhai's others) = 8,
    # agree on 12 -> 0.6, higher than Jaccard's 1/3 because 8 joint "not reported" count as agreement.
    sim = typology.similarity(matrix, metric="simple_matching")
    assert len(matrix.columns) == 20
    assert sim.loc["beilun", "zhenhai"] == pytest.approx(12 / 20)


def test_average_linkage_by_hand(matrix):
    z = typology.linkage_matrix(matrix)
    # Jaccard distances: longhua~zhenhai and lvyuan~zhenhai tie at 1 - 7/15 = 8/15 (closest; the first
    # pair in order merges); lvyuan joins at the mean of lvyuan~longhua 1 - 6/16 and lvyuan~zhenhai 8/15;
    # minhang at the mean of 0.6, 0.6875, 0.6875; beilun last at the mean of 6/7, 6/7, 11/13, 2/3.
    assert z[:, 2] == pytest.approx(
        [8 / 15, (10 / 16 + 8 / 15) / 2, (0.6 + 0.6875 + 0.6875) / 3, (6 / 7 + 6 / 7 + 11 / 13 + 2 / 3) / 4]
    )
    members = typology.cluster_memberships(matrix)
    assert members["average k=2"].to_dict() == {"beilun": 1, "longhua": 2, "lvyuan": 2, "minhang": 2, "zhenhai": 2}
    assert members["average k=3"].to_dict() == {"beilun": 1, "longhua": 2, "lvyuan": 2, "minhang": 3, "zhenhai": 2}


def test_ties(matrix):
    ties = typology.tied_pairs(typology.similarity(matrix))
    # longhua~zhenhai and lvyuan~zhenhai 7/15; lvyuan~minhang and minhang~zhenhai 5/16; beilun~longhua
    # and beilun~lvyuan 2/14.
    assert ties["pairs"].tolist() == [
        "longhua~zhenhai|lvyuan~zhenhai",
        "lvyuan~minhang|minhang~zhenhai",
        "beilun~longhua|beilun~lvyuan",
    ]
    assert ties["similarity"].tolist() == pytest.approx([7 / 15, 5 / 16, 1 / 7])


def test_stability_shows_fragile_pairs(matrix):
    stab = typology.cluster_stability(matrix, k=4).set_index(["district_a", "district_b"])
    # At four clusters zhenhai pairs with longhua or with lvyuan (tied at 7/15) depending on which
    # condition is dropped: 15 and 5 of the 20 runs; beilun and minhang are always alone.
    assert stab.loc[("longhua", "zhenhai"), "together_share"] == 0.75
    assert stab.loc[("lvyuan", "zhenhai"), "together_share"] == 0.25
    assert stab.loc[("beilun", "minhang"), "together_share"] == 0.0


def test_figures(cb):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig = figures.typology.fig_condition_matrix(cb)
    assert next(t.get_text() for t in fig.axes[0].get_yticklabels()) == "Direct registration"
    plt.close(fig)
    fig = figures.typology.fig_dendrogram(cb)
    assert len(fig.axes[0].get_xticklabels()) == len(cb.districts)
    plt.close(fig)
    fig = figures.typology.fig_similarity(cb, metric="simple_matching")
    sim = typology.similarity(typology.condition_matrix(cb), metric="simple_matching")
    cells = fig.axes[0].images[0].get_array().reshape(sim.shape)
    assert np.allclose(cells, sim.to_numpy())  # the drawn matrix is the similarity matrix
    assert [t.get_text() for t in fig.axes[0].texts][:2] == ["1.00", f"{sim.iat[0, 1]:.2f}"]
    plt.close(fig)
