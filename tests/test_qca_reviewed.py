"""The reviewed QCA: three-valued conditions, a national anchor, necessity, the negated outcome, caveats.

Hand-worked values on the five original districts (fixture ``five``), properties for any casebook,
and a published crisp-set data set with its published solutions to show the minimization is right.
"""

import pandas as pd
import pytest

import govcases
from govcases.analysis import qca, typology

# ---------------------------------------------------------------------------- a published data set
#
# Lipset's (1959) indicators of the survival of democracy in inter-war Europe, calibrated to crisp
# sets as the QCA package for R ships them (data set LC; Dusa, QCA, documentation of `_Lipset`,
# https://www.rdocumentation.org/packages/QCA/versions/3.8.2/topics/_Lipset, following Rihoux and
# De Meur 2009 and Ragin 2009 in Rihoux & Ragin, Configurational Comparative Methods). The truth
# table (configurations, their cases and outcomes) and the solutions below are those the package's
# own regression tests record for minimize() on LC: repository dusadrian/QCA, file
# tests/testthat/_snaps/minimize.md (commit ee9fd13d8e49483f887cbe929d941e7706bd7a71):
#   complex (conservative)      DEV*~URB*LIT*STB + DEV*LIT*IND*STB  <-> SURV
#   parsimonious (include "?")  DEV*STB                              <-> SURV
#   negated outcome, complex    ~DEV*~URB*~IND + DEV*LIT*IND*~STB    <-> ~SURV
#   negated outcome, parsimonious  ~DEV + ~STB                       <-> ~SURV
LC_CONDITIONS = ["DEV", "URB", "LIT", "IND", "STB"]
LC = {  # configuration DEV URB LIT IND STB -> (cases, SURV), as the snapshot lists them
    "11111": ("BE CZ NL UK", 1),
    "10101": ("FI IE", 1),
    "10111": ("FR SE", 1),
    "00000": ("GR PT ES", 0),
    "00001": ("IT RO", 0),
    "00100": ("HU PL", 0),
    "00101": ("EE", 0),
    "10110": ("AU", 0),
    "11110": ("DE", 0),
}


def _lc(negated=False):
    rows, out = [], []
    for cfg, (cases, surv) in LC.items():
        for case in cases.split():
            rows.append({"district": case, **{c: int(b) for c, b in zip(LC_CONDITIONS, cfg)}})
            out.append({"district": case, "outcome": 1 - surv if negated else surv})
    matrix = pd.DataFrame(rows).set_index("district")
    outcome = pd.DataFrame(out).astype({"outcome": "Int64"})
    return matrix, outcome


def test_lipset_has_the_published_eighteen_cases():
    matrix, outcome = _lc()
    assert len(matrix) == 18 and int(outcome["outcome"].sum()) == 8


@pytest.mark.parametrize(
    ("negated", "kind", "published"),
    [
        (False, "complex", "DEV*~URB*LIT*STB + DEV*LIT*IND*STB"),
        (False, "parsimonious", "DEV*STB"),
        (True, "complex", "~DEV*~URB*~IND + DEV*LIT*IND*~STB"),
        (True, "parsimonious", "~DEV + ~STB"),
    ],
)
def test_lipset_published_solutions(negated, kind, published):
    matrix, outcome = _lc(negated)
    table = qca.truth_table(matrix, outcome, LC_CONDITIONS)
    sol = qca.minimize(table, LC_CONDITIONS, kind=kind)
    # Same terms as published (order of terms aside); and no other minimal sum: the published model is unique.
    assert set(sol.text.split(" + ")) == set(published.split(" + "))
    assert len(sol.alternatives) == 1


def test_lipset_necessity():
    # Every surviving democracy is developed, literate and stable (8 of 8); DEV covers 8 of 10 developed.
    matrix, outcome = _lc()
    nec = qca.necessity(matrix, outcome).set_index(["outcome", "condition"])
    assert nec.loc[("Y", "DEV"), ["n_both", "consistency", "coverage"]].tolist() == [8, 1.0, 0.8]
    assert nec.loc[("Y", "STB"), "consistency"] == 1.0 and nec.loc[("Y", "URB"), "consistency"] == 0.5
    # Of the 10 breakdowns, 8 were not developed (published covS of ~DEV: 0.8).
    assert nec.loc[("~Y", "~DEV"), ["n_outcome", "n_both", "consistency"]].tolist() == [10, 8, 0.8]


# ---------------------------------------------------------------------------- the five, by hand


@pytest.fixture(scope="module")
def cb(five):
    return five


def test_states_three_valued_by_hand(cb):
    s = typology.condition_states(cb)
    # beilun-lottery-fund reports the welfare-lottery fund; longhua's source says nothing of one.
    assert s.loc["beilun", "lottery_fund"] == "present"
    assert s.loc["longhua", "lottery_fund"] == "not reported"
    # No source of the five says a district lacks one of the coded conditions: no "absent" anywhere.
    assert "absent" not in set(s.to_numpy().ravel())


def test_national_outcome_by_hand(cb):
    o = qca.national_outcome(cb, qca.sector_density(cb)).set_index("district")
    # Zhenhai: 333 registered / 510,462 residents * 10,000 = 6.52, count period 2014-2015; the only
    # yardstick year with a density is 2015: 658,000 / 1,374,620,000 * 10,000 = 4.787 -> 1.
    assert o.loc["zhenhai", "outcome"] == 1 and o.loc["zhenhai", "years"] == "2015"
    assert o.loc["zhenhai", "national_low"] == pytest.approx(658_000 / 1_374_620_000 * 10_000)
    # Lüyuan: 157 / 714,919 * 10,000 = 2.196, period 2017-2020; national 2017-2019 is 5.48 to 6.19 -> 0.
    assert o.loc["lvyuan", "outcome"] == 0 and o.loc["lvyuan", "years"] == "2017|2018|2019"
    # Longhua's count is of 2014, a year the yardstick has no density for: not coded, not guessed.
    assert o.loc["longhua", "status"] == "no yardstick year" and pd.isna(o.loc["longhua", "outcome"])
    # Beilun's [0, 1655] registered over 612,267 residents is [0, 27.0]: overlaps, not coded.
    assert o.loc["beilun", "status"] == "straddles"
    assert o.loc["minhang", "status"] == "no count"


def test_reviewed_qca_by_hand(cb):
    r = qca.reviewed_qca(cb, ["direct_registration", "multi_tier_network", "lottery_fund"])
    # Only Zhenhai reports all three; the other four are dropped for silence, not coded 0.
    assert list(r["matrix"].index) == ["zhenhai"]
    assert sorted(r["notes"]["district"]) == ["beilun", "longhua", "lvyuan", "minhang"]
    assert r["n_coded"] == 1 and r["demonstration"]
    # Reading silence as absence codes Lüyuan 0-1-0 (multi-tier network reported) with outcome 0 as well.
    s = qca.reviewed_qca(cb, ["direct_registration", "multi_tier_network", "lottery_fund"], coding="silence as absent")
    assert s["n_coded"] == 2
    t = s["truth_table"].set_index(["direct_registration", "multi_tier_network", "lottery_fund"])
    assert t.loc[(0, 1, 0), ["cases", "row_outcome"]].tolist() == ["lvyuan", "0"]
    # Two cases, 1-1-1 positive and 0-1-0 negative: parsimonious sums are single conditions that tell them apart.
    assert set(s["parsimonious"].alternatives) == {"direct_registration", "lottery_fund"}
    assert set(s["negated_parsimonious"].alternatives) == {"~direct_registration", "~lottery_fund"}


# ---------------------------------------------------------------------------- properties of any casebook


@pytest.fixture(scope="module")
def full():
    return govcases.load_casebook()


@pytest.mark.parametrize("coding", qca.CODINGS)
def test_properties_any_casebook(full, coding):
    conds = list(qca.CONDITIONS)
    r = qca.reviewed_qca(full, conds, coding=coding)
    states = r["states"]
    # A not-reported cell never becomes a 0 under "drop": every kept district reports every condition.
    if coding == "drop":
        assert (states.loc[r["matrix"].index, conds] != "not reported").all().all()
    # Count in == count out: kept plus dropped is every district.
    dropped = set(r["notes"]["district"]) if coding == "drop" else set()
    assert set(r["matrix"].index) | dropped == set(full.districts)
    # Every coded case sits in exactly one truth-table row; remainders hold none.
    assert r["truth_table"]["n_cases"].sum() == r["n_coded"]
    # The negated outcome flips every coded case: positives and negatives swap.
    assert r["negated_truth_table"]["n_positive"].sum() == r["n_coded"] - r["truth_table"]["n_positive"].sum()
    # The export carries its caveats: title first, cases coded, remainders, contradictions.
    t = qca.export_truth_table(r)
    first = t.columns[0]
    assert t[first].iloc[0].startswith("Demonstration") == (r["n_coded"] < qca.HANDFUL)
    notes = " ".join(t[first].iloc[-len(r["caveats"]) :])
    for word in ("cases coded", "remainders", "contradictions"):
        assert word in notes
    # No code names in what a reader sees.
    text = " ".join(map(str, t.to_numpy().ravel())) + " ".join(map(str, qca.export_solutions(r).to_numpy().ravel()))
    assert "_" not in text


def test_necessity_bounds(full):
    r = qca.reviewed_qca(full, coding="silence as absent")
    nec = r["necessity"]
    assert ((nec["consistency"].dropna() >= 0) & (nec["consistency"].dropna() <= 1)).all()
    # X and ~X split the cases with the outcome between them.
    for _, g in nec.assign(base=nec["condition"].str.lstrip("~")).groupby(["outcome", "base"]):
        assert g["n_both"].sum() == g["n_outcome"].iloc[0]
