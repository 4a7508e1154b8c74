"""Table 1 (analysis.comparison): hand-worked cells on the five original districts, and properties of any casebook."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
from madeup import SHAPES, add_districts, plain

import govcases
from govcases.analysis import comparison
from govcases.analysis.comparison import (
    DOMAINS,
    FEATURES,
    STATES,
    Feature,
    Match,
    cell_evidence,
    evidence_table,
    models_table,
    qualifier_sensitivity,
)
from govcases.records.quantity import QUALIFIERS, parse_quantity

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def grown():
    """The project's casebook with every made-up district shape added, as a user would add them."""
    import tempfile

    root = Path(tempfile.mkdtemp(prefix="govcases-comparison-"))
    shutil.copytree(ROOT / "casebook", root / "casebook")
    shutil.copytree(ROOT / "data" / "raw", root / "data" / "raw")
    shutil.copytree(ROOT / "data" / "external", root / "data" / "external")
    present = set(govcases.load_casebook(root / "casebook").districts)  # a grown casebook may hold some already
    add_districts(root, [d for d in [plain()] + [shape() for shape in SHAPES] if d.district not in present])
    try:
        yield govcases.load_casebook(root / "casebook")
    finally:
        shutil.rmtree(root)


def _cell(table: pd.DataFrame, district: str, feature: str) -> pd.Series:
    row = table[(table["district"] == district) & (table["feature"] == feature)]
    assert len(row) == 1, (district, feature)
    return row.iloc[0]


# ---------------------------------------------------------------------------- hand-worked, on the five
def test_abolished_dual_approval_is_absent_with_its_facts(five):
    ev = evidence_table(five)
    label = "Supervisory-unit approval required (dual management)"
    # Longhua: 改变了以往社会组织登记成立需要双重审批的现状; Zhenhai: 打破社会组织双重管理体制壁垒
    assert _cell(ev, "longhua", label)["status"] == "absent"
    assert _cell(ev, "longhua", label)["fact_ids"] == "longhua-separation-dual-approval"
    assert _cell(ev, "zhenhai", label)["fact_ids"] == "zhenhai-separation-dual-management"
    # Beilun's news report says nothing about it: silence, not absence
    assert _cell(ev, "beilun", label)["status"] == "not reported"
    assert _cell(ev, "beilun", label)["fact_ids"] == ""


def test_planned_is_not_present(five):
    ev = evidence_table(five)
    # Minhang announces a call open to organizations of the whole city for later (status planned)
    assert _cell(ev, "minhang", "Calls open beyond the district")["status"] == "not reported"
    assert _cell(ev, "minhang", "Purchase platform")["status"] == "not reported"
    assert _cell(ev, "zhenhai", "Calls open beyond the district")["status"] == "present"


def test_payer_cells_show_their_sums_as_written(five):
    t = models_table(five).set_index("District")
    assert t.loc["Beilun District", "Funding model: District budget"] == "present: 140多万元 a year; 100万元 a year"
    assert t.loc["Beilun District", "Funding model: Welfare-lottery fund"] == "present: 239万 cumulative"
    assert t.loc["Minhang District", "Funding model: District budget"] == "not reported"
    # Zhenhai's district and street tiers pay (三级财政补助) but the report gives them no sum
    assert t.loc["Zhenhai District", "Funding model: Street or community budgets"] == "present"


def test_sensitivity_hand_worked(five):
    t = qualifier_sensitivity(five)
    row = t[(t["fact_a"] == "beilun-purchase-annual-funds") & (t["fact_b"] == "longhua-fiscal-funding-2014")]
    assert len(row) == 1
    row = row.iloc[0]
    # 140多万元: [1,400,000, 1,500,000); 约830万元: 830万 ± 5% = [7,885,000, 8,715,000]
    assert (row["low_a"], row["high_a"], row["low_b"], row["high_b"]) == (1_400_000, 1_500_000, 7_885_000, 8_715_000)
    assert row["at_stated"] == "A below B"
    assert row["ratio_low"] == pytest.approx(1_400_000 / 8_715_000)
    assert row["ratio_high"] == pytest.approx(1_500_000 / 7_885_000)
    assert row["verdict"] == "holds throughout the bands"
    assert row["indicator"] == "Money from: District budget"


# ---------------------------------------------------------------------------- the features as metadata
def test_features_name_what_the_codebook_has(five):
    book = five.codebook.table().set_index("indicator")
    labels = [(f.domain, f.label) for f in FEATURES]
    assert len(set(labels)) == len(labels)
    assert len({f.id for f in FEATURES}) == len(FEATURES)
    assert len({f.label for f in FEATURES}) == len(FEATURES)
    for f in FEATURES:
        assert f.domain in DOMAINS, f.id
        assert f.present or f.absent, f.id
        for m in f.present + f.absent:
            assert m.indicator in book.index, (f.id, m.indicator)
            kind = book.loc[m.indicator, "value_type"]
            if isinstance(m.value, bool):
                assert kind == "boolean", (f.id, m.indicator)
            elif m.value is not None:
                assert m.value in str(book.loc[m.indicator, "categories"]).split("|"), (f.id, m.value)
            if m.field is not None:
                assert m.field in five.facts.columns, (f.id, m.field)


# ---------------------------------------------------------------------------- properties of any casebook
@pytest.fixture(params=["five", "grown"])
def any_cb(request):
    return request.getfixturevalue(request.param)


def test_a_row_per_district_and_states_are_three(any_cb):
    t = models_table(any_cb)
    names = any_cb.profiles.set_index("district")["name_en"]
    assert list(t["District"]) == [names[d] for d in any_cb.districts]
    ev = evidence_table(any_cb)
    assert len(ev) == len(any_cb.districts) * len(FEATURES)
    assert set(ev["status"]) <= set(STATES)
    # the wide table and the long one say the same state
    for _, cell in ev.iterrows():
        text = t.loc[t["District"] == names[cell["district"]], f"{cell['domain']}: {cell['feature']}"].iloc[0]
        assert text.split(":")[0] == cell["status"]


def test_every_present_or_absent_cell_names_facts_that_exist_and_say_it(any_cb):
    facts = any_cb.facts.set_index("id")
    by_label = {f.label: f for f in FEATURES}
    for _, cell in evidence_table(any_cb).iterrows():
        feature = by_label[cell["feature"]]
        mine = any_cb.facts[any_cb.facts["district"] == cell["district"]].to_dict("records")
        if cell["status"] == "not reported":
            assert cell["fact_ids"] == ""
            usable = [f for f in mine if f["confidence"] != "disputed" and f["status"] != "planned"]
            assert not [f for f in usable if any(m.matches(f) for m in feature.present + feature.absent)]
            continue
        ids = cell["fact_ids"].split("|")
        assert ids and all(ids)
        clauses = feature.present if cell["status"] == "present" else feature.absent
        for i in ids:
            fact = facts.loc[i].to_dict() | {"id": i}
            assert fact["district"] == cell["district"]
            assert fact["confidence"] != "disputed" and fact["status"] != "planned"
            assert any(m.matches(fact) for m in clauses), (i, cell["feature"])


def test_a_district_silent_on_a_domain_is_not_reported_there_never_absent(grown):
    ev = evidence_table(grown)
    cells = cell_evidence(grown)
    for (district, domain), group in ev.groupby(["district", "domain"]):
        decided = cells[(cells["district"] == district) & (cells["domain"] == domain) & cells["fact_id"].notna()]
        if decided.empty:
            assert set(group["status"]) == {"not reported"}, (district, domain)


def test_a_made_up_district_appears_as_a_row(grown):
    new = plain()
    t = models_table(grown)
    assert new.name_en in set(t["District"])
    assert (evidence_table(grown)["district"] == new.district).sum() == len(FEATURES)


# ---------------------------------------------------------------------------- contrary evidence
def _fact(fid, value, end):
    return {
        "id": fid,
        "indicator": "filing_system",
        "value_type": "boolean",
        "value": value,
        "value_text": "true" if value else "false",
        "subject": None,
        "period_end": end,
    }


def test_the_later_fact_decides_and_a_tie_is_refused():
    feature = next(f for f in FEATURES if f.id == "filing")
    decide = comparison._decide
    status, says, contrary = decide(feature, [_fact("a", 1.0, "2012-12-31"), _fact("b", 0.0, "2015-12-31")])
    assert (status, [f["id"] for f in says], [f["id"] for f in contrary]) == ("absent", ["b"], ["a"])
    status, says, _ = decide(feature, [_fact("a", 1.0, "2016-12-31"), _fact("b", 0.0, "2015-12-31")])
    assert (status, [f["id"] for f in says]) == ("present", ["a"])
    with pytest.raises(ValueError, match="same day"):
        decide(feature, [_fact("a", 1.0, "2015-12-31"), _fact("b", 0.0, "2015-12-31")])
    assert decide(feature, [])[0] == "not reported"


def test_a_false_boolean_reads_as_absent_never_present():
    feature = Feature("x", "registration", "X", (Match("filing_system", True),), (Match("filing_system", False),))
    assert comparison._decide(feature, [_fact("a", 0.0, "2015-01-01")])[0] == "absent"


# ---------------------------------------------------------------------------- qualifier sensitivity
def test_sensitivity_bands_are_the_qualifier_tables(any_cb):
    t = qualifier_sensitivity(any_cb)
    facts = any_cb.facts.set_index("id")
    for _, row in t.iterrows():
        for side in ("a", "b"):
            stated = row[f"stated_{side}"]
            q = parse_quantity(stated)
            assert (row[f"low_{side}"], row[f"high_{side}"]) == (float(q.low), float(q.high))
            assert row[f"band_{side}"].endswith(QUALIFIERS[q.qualifier].rule_en)
            assert facts.loc[row[f"fact_{side}"], "value_text"] == stated
        assert {
            facts.loc[row["fact_a"], "qualifier"],
            facts.loc[row["fact_b"], "qualifier"],
        } & set(comparison.BANDED)
        assert facts.loc[row["fact_a"], "district"] != facts.loc[row["fact_b"], "district"]
        assert row["ratio_low"] <= row["ratio_high"]
        # a conclusion holds throughout exactly when the bands keep the order everywhere
        if row["verdict"] == "holds throughout the bands":
            assert row["high_a"] <= row["low_b"] or row["low_a"] >= row["high_b"]


def test_sensitivity_moves_when_the_bands_overlap(five):
    import dataclasses

    # Beilun's yearly purchase funds rewritten as 近210万元: 近 reaches down to 90% (QUALIFIERS' 'nearly'),
    # [1,890,000, 2,100,000); Lüyuan's 200余万元 is [2,000,000, 3,000,000). At the stated figures Beilun's
    # is larger (210万 > 200万), but the bands overlap, so the order can turn.
    facts = five.facts.copy()
    at = facts["id"] == "beilun-purchase-annual-funds"
    q = parse_quantity("近210万元")
    facts.loc[at, ["value_text", "qualifier"]] = ["近210万元", q.qualifier]
    facts.loc[at, ["value", "low", "high"]] = [float(q.value), float(q.low), float(q.high)]
    t = qualifier_sensitivity(dataclasses.replace(five, facts=facts))
    row = t[(t["fact_a"] == "beilun-purchase-annual-funds") & (t["fact_b"] == "lvyuan-funding-amount-this-year")]
    assert len(row) == 1, t[["fact_a", "fact_b"]]
    row = row.iloc[0]
    assert (row["low_a"], row["high_a"]) == (1_890_000, 2_100_000)
    assert row["at_stated"] == "A above B"
    assert row["verdict"] == "moves within the bands"
    assert row["ratio_low"] == pytest.approx(1_890_000 / 3_000_000)
    assert row["ratio_high"] == pytest.approx(2_100_000 / 2_000_000)
