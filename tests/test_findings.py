"""The comparative conclusions of notebooks 02 and 04, written from their tables.

Hand-worked on the five (fixture ``five``) and as properties of any casebook: no code names, every
district named where the tables say so, nothing typed.
"""

import re

import pytest

import govcases
from govcases.analysis import funding, registration
from govcases.publish.findings_funding import funding_conclusion
from govcases.publish.findings_timeline import placed_against, timeline_conclusion

PLAN = "2013-03-14"


def test_funding_conclusion_by_hand(five):
    text = funding_conclusion(five)
    # Beilun's sums name three payers: district budget, lottery fund, enterprises and donors
    assert "Beilun District: district budget and special funds, welfare-lottery fund, enterprises and donors" in text
    assert "Zhenhai District frames its own mix as 1+3+X (three components" in text
    # purchase of services is named by every district of the five
    assert "Purchase of services is named by all five districts" in text
    assert "Minhang District states no sum" in text
    assert "Zhenhai District: a call open to a wider area" in text


def test_placed_against_the_plan_by_hand(five):
    t = placed_against(five, PLAN)
    # Beilun's filing system began in 2006 (before); Longhua's direct registration (July 2014) and support
    # measures (Aug-Nov 2014) after; Zhenhai's 2012年起 windows run to 2015 and contain the plan
    assert t.loc["beilun", "before"] == 1
    assert t.loc["longhua", "after"] == 2
    assert t.loc["zhenhai", "cannot tell"] == 6 and t.loc["zhenhai", "before"] == 0
    assert t.loc["minhang", ["before", "after", "cannot tell"]].sum() == 0


@pytest.mark.parametrize("which", ["five", "all"])
def test_conclusions_are_properties_of_any_casebook(which, five):
    cb = five if which == "five" else govcases.load_casebook()
    t = registration.policy_timeline(cb)
    placed = placed_against(cb, PLAN)
    assert int(placed.to_numpy().sum()) == len(t)  # every mark in one column
    for text in (funding_conclusion(cb), timeline_conclusion(cb, plan_date=PLAN)):
        assert not re.search(r"\b[a-z]+(?:_[a-z]+)+\b", text)  # no snake_case
        assert not any(d in text.split() for d in cb.districts)  # no slugs
        for heading in ("What differs", "What is shared", "What the evidence cannot settle"):
            assert heading in text
    payers = funding.payer_mix(cb)
    text = funding_conclusion(cb)
    for d in cb.districts:
        has_sum = (payers.loc[payers["district"] == d, "sum_facts"] != "").any()
        name = cb.profiles.set_index("district").at[d, "name_en"]
        if not has_sum:
            assert name in text
