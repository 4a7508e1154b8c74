"""Outcome coding, truth table and Boolean minimization (src/govcases/qca.py).

Expected values are worked out by hand: casebook figures from the facts named in the comments,
minimizations on paper (Quine-McCluskey) before the code was run.
"""

import math

import pandas as pd
import pytest

from govcases.analysis import qca
from govcases.analysis.qca import Solution
from govcases.publish import figures

CONDITIONS = ["direct_registration", "multi_tier_network", "lottery_fund"]


@pytest.fixture(scope="module")
def cb(five):
    # results across the casebook are pinned to the five original districts (tests/conftest.py)
    return five


# ---------------------------------------------------------------------------- counts and densities


def test_registered_counts(cb):
    c = qca.org_counts(cb, scope="registered").set_index("district")
    # lvyuan-orgs-registered 157家 and zhenhai-orgs-registered 333家 are stated registered counts.
    assert c.loc["lvyuan", ["low", "high", "how"]].tolist() == [157, 157, "stated"]
    assert c.loc["zhenhai", ["low", "high", "how"]].tolist() == [333, 333, "stated"]
    # longhua's 近430家 is of unstated scope: registered organizations are at most its upper end 430.
    assert c.loc["longhua", ["low", "high", "how"]].tolist() == [0, 430, "upper bound only"]
    # beilun gives only registered + filed (1655家): an upper bound.
    assert c.loc["beilun", ["low", "high", "fact_ids"]].tolist() == [0, 1655, "beilun-orgs-registered-and-filed"]
    # minhang's article gives no count of organizations at all.
    assert c.loc["minhang", "how"] == "no count"


def test_registered_and_filed_counts(cb):
    c = qca.org_counts(cb, scope="registered_and_filed").set_index("district")
    assert c.loc["beilun", ["low", "high"]].tolist() == [1655, 1655]
    assert c.loc["lvyuan", ["low", "high"]].tolist() == [287, 287]  # lvyuan-orgs-total (inferred scope)
    # 近430 is [387, 430): whatever its scope, registered + filed is at least 387, with no upper bound.
    assert c.loc["longhua", ["low", "high"]].tolist() == [387, math.inf]
    assert c.loc["zhenhai", ["low", "high"]].tolist() == [333, math.inf]


def test_density_by_hand(cb):
    d = qca.sector_density(cb, scope="registered").set_index("district")
    # zhenhai: 333 / 510,462 (census 2020, the only undisputed resident population) x 10,000 = 6.5235
    assert d.loc["zhenhai", "density_point"] == pytest.approx(6.5235, abs=1e-4)
    assert d.loc["zhenhai", "pop_ids"] == "zhenhai-population-census-2020"
    # lvyuan: 157 / 714,919 x 10,000 = 2.19605
    assert d.loc["lvyuan", "density_low"] == pytest.approx(2.19605, abs=1e-5)
    # longhua: at most 430 / 2,528,872 x 10,000 = 1.70036; the managed population is not a resident one.
    assert d.loc["longhua", ["density_low", "density_high"]].tolist() == pytest.approx([0, 1.70036], abs=1e-5)
    assert d.loc["longhua", "pop_ids"] == "longhua-population-census-2020"
    # beilun: the count's year-end lies in 2009..2015 (the article's own evidence, see the record), so the
    # 2010 census is the nearest; the high end is 1655 / 612,267 x 10,000 = 27.0307.
    assert d.loc["beilun", "pop_ids"] == "beilun-population-census-2010"
    assert d.loc["beilun", "density_high"] == pytest.approx(27.0307, abs=1e-4)
    assert math.isnan(d.loc["minhang", "density_low"])


def test_density_registered_and_filed_beilun(cb):
    d = qca.sector_density(cb, scope="registered_and_filed").set_index("district")
    # 1655 / 612,267 x 10,000 = 27.0307 (the 2010 census, nearest to a year-end in 2009..2015)
    assert d.loc["beilun", ["density_low", "density_high"]].tolist() == pytest.approx([27.0307, 27.0307], abs=1e-4)


def test_code_outcome_at_five(cb):
    out = qca.code_outcome(qca.sector_density(cb), 5).set_index("district")
    assert out["status"].to_dict() == {
        "beilun": "straddles",
        "longhua": "coded",
        "lvyuan": "coded",
        "minhang": "no count",
        "zhenhai": "coded",
    }
    assert out.loc["zhenhai", "outcome"] == 1
    assert out.loc["longhua", "outcome"] == 0 and out.loc["lvyuan", "outcome"] == 0
    assert pd.isna(out.loc["beilun", "outcome"]) and pd.isna(out.loc["minhang", "outcome"])


# ---------------------------------------------------------------------------- truth table and solution


def test_truth_table_real(cb):
    r = qca.run_qca(cb, CONDITIONS, threshold=5)
    t = r["truth_table"]
    t = t.set_index(t[CONDITIONS].astype(str).agg("".join, axis=1))
    # By hand: zhenhai (direct 1, multi-tier 1, lottery 1) is the only positive case; longhua (1, 1, 0)
    # and lvyuan (0, 1, 0) are negative; beilun (0, 0, 1) and minhang (1, 0, 0) are not coded.
    assert t.loc["111", ["cases", "consistency", "row_outcome"]].tolist() == ["zhenhai", 1.0, "1"]
    assert t.loc["110", ["cases", "consistency", "row_outcome"]].tolist() == ["longhua", 0.0, "0"]
    assert t.loc["010", ["cases", "row_outcome"]].tolist() == ["lvyuan", "0"]
    assert t.loc["001", ["n_cases", "row_outcome", "not_coded"]].tolist() == [0, "?", "beilun"]
    assert t.loc["100", ["row_outcome", "not_coded"]].tolist() == ["?", "minhang"]
    assert len(t) == 8


def test_solution_real(cb):
    r = qca.run_qca(cb, CONDITIONS, threshold=5)
    # On paper: minterm 111; off-set 110, 010; the other five rows are remainders. lottery_fund covers
    # 001, 011, 101, 111 and no off-set row, so the parsimonious solution is lottery_fund (the only
    # prime implicant covering 111: any term covering 111 but not 110 must contain lottery_fund).
    assert r["parsimonious"].text == "lottery_fund"
    assert r["parsimonious"].alternatives == ("lottery_fund",)
    assert r["complex"].text == "direct_registration*multi_tier_network*lottery_fund"
    fit = r["fit"].set_index("solution")
    # One case in the solution (zhenhai), one positive case (zhenhai): consistency 1/1, coverage 1/1.
    assert fit.loc["parsimonious", ["consistency", "coverage", "covered"]].tolist() == [1.0, 1.0, "zhenhai"]


def _table(conditions, rows):
    """A truth table from {config string: row_outcome}."""
    return pd.DataFrame(
        [{**{c: int(b) for c, b in zip(conditions, cfg)}, "row_outcome": out} for cfg, out in rows.items()]
    )


def test_textbook_three_conditions():
    # A Ragin-style example. Positive rows ABC, ABc, AbC (111, 110, 101); negative abc (000) and aBC (011);
    # remainders 001, 010, 100.
    # Complex: 111 + 110 = AB, 111 + 101 = AC -> AB + AC.
    # Parsimonious: A covers 100, 101, 110, 111, none negative -> A alone.
    conds = ["A", "B", "C"]
    t = _table(conds, {"000": "0", "001": "?", "010": "?", "011": "0", "100": "?", "101": "1", "110": "1", "111": "1"})
    assert qca.minimize(t, conds, kind="complex").text == "A*B + A*C"
    assert qca.minimize(t, conds, kind="parsimonious").text == "A"


def test_textbook_quine_mccluskey_with_two_minimal_sums():
    # The classic Quine-McCluskey exercise f(A,B,C,D) = sum m(4,8,10,11,12,15) + d(9,14).
    # Prime implicants: B~C~D (4,12), A~B (8,9,10,11), A~D (8,10,12,14), AC (10,11,14,15).
    # 4 is covered only by B~C~D and 15 only by AC (both essential); they leave 8 uncovered, which A~B
    # or A~D covers equally well: two minimal sums.
    conds = list("ABCD")
    on, dc = {4, 8, 10, 11, 12, 15}, {9, 14}
    rows = {f"{i:04b}": "1" if i in on else "?" if i in dc else "0" for i in range(16)}
    sol = qca.minimize(_table(conds, rows), conds)
    expected = {"A*~B + A*C + B*~C*~D", "A*C + A*~D + B*~C*~D"}
    assert set(sol.alternatives) == expected
    assert sol.text in expected  # SOPform returns one of the two


def test_minimize_edge_cases():
    conds = ["A"]
    assert qca.minimize(_table(conds, {"0": "0", "1": "0"}), conds).text.startswith("(none")
    assert qca.minimize(_table(conds, {"0": "?", "1": "1"}), conds).text == "(always)"
    # A contradiction row (C) is neither a minterm nor a don't-care.
    assert qca.minimize(_table(conds, {"0": "1", "1": "C"}), conds).text == "~A"


def test_contradiction_and_fit_by_hand():
    m = pd.DataFrame({"A": [1, 1, 1, 0]}, index=pd.Index(list("wxyz"), name="district"))
    o = pd.DataFrame({"district": list("wxyz"), "outcome": pd.array([1, 1, 0, 1], dtype="Int64")})
    t = qca.truth_table(m, o, ["A"])
    # Row A=1 holds w, x, y with 2 of 3 positive: consistency 2/3, a contradiction.
    assert t.loc[t["A"] == 1, ["n_cases", "consistency", "row_outcome"]].values.tolist() == [[3, 2 / 3, "C"]]
    fit = qca.solution_fit(Solution(("A",), ({"A": 1},), "complex"), m, o)
    # In A: w, x, y; positive: w, x, z. consistency = 2/3, coverage = 2/3.
    assert fit["consistency"] == pytest.approx(2 / 3) and fit["coverage"] == pytest.approx(2 / 3)
    assert fit["uncovered"] == "z" and fit["wrong"] == "y"


def test_condition_fit_real(cb):
    from govcases.analysis.typology import condition_matrix

    out = qca.code_outcome(qca.sector_density(cb), 5)
    fit = qca.condition_fit(condition_matrix(cb), out).set_index("condition")
    # Coded: longhua 0, lvyuan 0, zhenhai 1. Conditions reported by zhenhai alone of the three fit perfectly:
    # lottery_fund and special_fund (beilun and minhang have them too, but are not coded).
    assert sorted(fit.index[fit["perfect"]]) == ["lottery_fund", "special_fund"]


# ---------------------------------------------------------------------------- sensitivity


def test_threshold_sensitivity_by_hand(cb):
    t = qca.threshold_sensitivity(cb, CONDITIONS, [2, 7], scopes=("registered", "registered_and_filed"))
    t = t.set_index(["scope", "threshold"])
    # At 2 (registered): lvyuan 2.196 >= 2 -> 1, longhua <= 1.700 -> 0, zhenhai 1. Positives 010, 111,
    # negative 110: any term covering 010 but not 110 contains ~direct_registration, any covering 111
    # but not 110 contains lottery_fund -> ~direct_registration + lottery_fund.
    row = t.loc[("registered", 2.0)]
    assert [row[d] for d in ("beilun", "longhua", "lvyuan", "minhang", "zhenhai")] == ["?", "0", "1", "-", "1"]
    assert row["parsimonious"] == "~direct_registration + lottery_fund"
    # At 7 (registered): zhenhai 6.52 < 7 -> no positive case.
    assert t.loc[("registered", 7.0), "parsimonious"].startswith("(none")
    # At 7 (registered + filed): beilun [19.95, 27.03] -> 1 (001), lvyuan 4.01 -> 0 (010), zhenhai
    # [6.52, inf) and longhua [1.53, inf) straddle. Both lottery_fund and ~multi_tier_network cover 001
    # and avoid 010: two minimal sums.
    row = t.loc[("registered_and_filed", 7.0)]
    assert row["ambiguous"] and row["all_minimal"] == "lottery_fund | ~multi_tier_network"


def test_interval_sensitivity_by_hand(cb):
    s = qca.interval_sensitivity(cb, 5).set_index("district")
    # beilun's registered count runs from 0 to 1655: 0 at the low end, 27.03 >= 5 at the high end.
    assert s.loc["beilun", "flips"] and s.loc["beilun", "at_low"] == 0 and s.loc["beilun", "at_high"] == 1
    # zhenhai would need more than 333 / 5 x 10,000 = 666,000 residents to fall below 5; longhua fewer
    # than 430 / 5 x 10,000 = 860,000 to reach it.
    assert s.loc["zhenhai", "flip_pop"] == pytest.approx(666_000)
    assert s.loc["longhua", "flip_pop"] == pytest.approx(860_000)


def test_denominator_sensitivity_by_hand(cb):
    s = qca.denominator_sensitivity(cb, 5).set_index("pop_id")
    # longhua with its managed population 280多万 [2.8M, 2.9M]: at most 430 / 2,800,000 x 10,000 = 1.5357.
    assert s.loc["longhua-population-managed", "density_high"] == pytest.approx(1.5357, abs=1e-4)
    assert not s.loc["longhua-population-managed", "default"]
    # zhenhai with the disputed mirror census 531,830: 333 / 531,830 x 10,000 = 6.2614, still >= 5.
    assert s.loc["zhenhai-population-census-2020-mirror", ["density_low", "code"]].tolist() == [
        pytest.approx(6.2614, abs=1e-4),
        "1",
    ]
    assert "minhang" not in set(s["district"])


def test_figure(cb):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig = figures.qca.fig_outcome_threshold(cb, thresholds=[2, 5, 10], threshold=5)
    # Right panel: one column per threshold, one row per district.
    assert fig.axes[1].images[0].get_array().shape == (len(cb.districts), 3)
    assert fig.axes[0].get_xlabel() == "organizations per 10,000 residents (registered)"
    plt.close(fig)
    fig = figures.qca.fig_outcome_threshold(cb, scope="registered_and_filed")
    assert fig.axes[0].get_xlabel() == "organizations per 10,000 residents (registered + filed)"
    plt.close(fig)
