"""One policy timeline across domains (issue 13.3): the casebook's marks and the cited context layer.

Hand-worked values are read from the records (casebook/*.yaml) and from data/external/policy_context.csv;
properties hold for any casebook.
"""

import csv

import pandas as pd
import pytest
from matplotlib.figure import Figure

import govcases
from govcases.analysis import registration
from govcases.publish import figures
from govcases.records.errors import CasebookError
from govcases.records.policy_context import DOMAINS, POLICY_CONTEXT_COLUMNS, READINGS, load_policy_context


@pytest.fixture(scope="module")
def timeline(five):
    return registration.policy_timeline(five)


@pytest.fixture(scope="module")
def context(five):
    return registration.policy_context(five)


# ---------------------------------------------------------------------------------- hand-worked, the five
def test_began_and_in_place_by_by_hand(timeline):
    t = timeline.set_index("id")
    # 早在2006年: a filing system whose start the text dates (period_means began)
    assert t.loc["beilun-filing-system", ["mark", "period_start", "period_end"]].tolist() == [
        "began",
        "2006-01-01",
        "2006-12-31",
    ]
    # Minhang's direct registration has no stated date: in place by the page's window, not begun
    assert t.loc["minhang-direct-registration", "mark"] == "in place by"
    # Minhang's policies issued 先后 (period.reading in_place_by): in place by, not began
    assert t.loc["minhang-policy-purchase", "mark"] == "in place by"
    # Longhua's support measures issued 上月 (last month): began, August to November 2014
    assert t.loc["longhua-support-measures", ["mark", "period_start", "period_end"]].tolist() == [
        "began",
        "2014-08-01",
        "2014-11-30",
    ]
    # features are as-of: in place by
    assert t.loc["zhenhai-instrument-venture-philanthropy", ["domain", "mark"]].tolist() == ["funding", "in place by"]


def test_every_domain_of_the_issue_is_a_lane(timeline):
    domains = set(timeline["domain"])
    for d in ("registration", "funding", "incubation and hubs", "purchase and transfer", "Party building"):
        assert d in domains
    assert "evaluation and supervision" in domains


def test_planned_arrangements_are_counted_not_drawn(five, timeline):
    f = five.facts
    planned = f[(f["status"] == "planned").fillna(False).astype(bool)]
    assert not timeline["id"].isin(planned["id"]).any()
    assert timeline.attrs["left_out"]["planned"] >= 1


def test_context_by_hand(context):
    longhua = context[context["district"] == "longhua"]
    # Guangdong announced 2011-11-22, in force from 2012-07-01; Shenzhen 2008 and March 2010
    assert sorted(longhua["period_start"]) == ["2008-01-01", "2010-03-01", "2011-11-22", "2012-07-01"]
    zhenhai = context[context["district"] == "zhenhai"].set_index("area")
    assert zhenhai.loc["Zhejiang 浙江省", "period_start"] == "2013-09-18"
    assert zhenhai.loc["Ningbo 宁波市", "period_start"] == "2012-10-01"
    # no page was found for Jilin: Lüyuan has no context row (silence, not "no reform")
    assert "lvyuan" not in set(context["district"].dropna())
    national = context[context["district"].isna()].set_index("period_start")
    assert national.loc["2013-03-14", "reading"] == "began"
    assert national.loc["2013-12-31", "reading"] == "announced"


# ---------------------------------------------------------------------------------- properties, any casebook
@pytest.mark.parametrize("which", ["five", "all"])
def test_every_mark_traces_to_a_fact(which, five):
    cb = five if which == "five" else govcases.load_casebook()
    t = registration.policy_timeline(cb)
    facts = cb.facts.set_index("id")
    assert t["id"].is_unique
    for _, r in t.iterrows():
        fact = facts.loc[r["id"]]
        assert fact["district"] == r["district"]
        assert (fact["period_start"], fact["period_end"]) == (r["period_start"], r["period_end"])
        assert r["mark"] in ("began", "in place by")
        if r["mark"] == "began":
            assert fact["period_text"] != "not stated" and fact["period_reading"] != "in_place_by"
    assert set(t["domain"]) <= set(registration.TIMELINE_DOMAINS.values())
    assert not t["what"].str.contains(r"[a-z]+_[a-z]+").any()  # no snake_case code names for readers
    # count in == count out: every marking fact is drawn or counted as planned
    cats = list(registration.TIMELINE_INDICATORS)
    n = int(cb.facts["indicator"].isin(cats).sum())
    assert len(t) + t.attrs["left_out"]["planned"] == n


@pytest.mark.parametrize("which", ["five", "all"])
def test_every_context_row_is_cited_and_placed(which, five):
    cb = five if which == "five" else govcases.load_casebook()
    ctx = registration.policy_context(cb)
    assert ctx["source_url"].str.match(r"https?://").all()
    profiles = cb.profiles.set_index("district")
    for _, r in ctx.dropna(subset=["district"]).iterrows():
        place = r["area"].split(" ")[0]
        assert place in (profiles.at[r["district"], "province_en"], profiles.at[r["district"], "city_en"])
    assert (ctx["period_start"] <= ctx["period_end"]).all()


# ---------------------------------------------------------------------------------- the loader
def _write(tmp_path, rows):
    path = tmp_path / "policy_context.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(list(POLICY_CONTEXT_COLUMNS))
        w.writerows(rows)
    return path


_GOOD = [
    "Madeup 虚构省",
    "province",
    "registration",
    "A made-up reform",
    "began",
    "2012-07-01",
    "2012-07-01",
    "a made-up page",
    "https://example.org/page",
    "test page",
    "our words",
]


def test_a_good_row_is_read_as_is(tmp_path):
    t = load_policy_context(path=_write(tmp_path, [_GOOD]))
    assert t.iloc[0]["period_start"] == "2012-07-01" and t.iloc[0]["line"] == 2


@pytest.mark.parametrize(
    ("column", "value", "words"),
    [
        ("level", "county", "unknown level"),
        ("domain", "housing", "unknown domain"),
        ("reading", "maybe", "unknown reading"),
        ("period_start", "2012/07/01", "period_start"),
        ("period_end", "2011-01-01", "before period_start"),
        ("source_url", "example.org", "not an http(s) address"),
        ("note", "", "empty"),
    ],
)
def test_bad_rows_are_refused_with_line_and_column(tmp_path, column, value, words):
    row = list(_GOOD)
    row[list(POLICY_CONTEXT_COLUMNS).index(column)] = value
    with pytest.raises(CasebookError) as err:
        load_policy_context(path=_write(tmp_path, [_GOOD, row]))
    text = str(err.value)
    assert ":3" in text and words in text


def test_the_same_row_twice_is_refused(tmp_path):
    with pytest.raises(CasebookError, match="line 2"):
        load_policy_context(path=_write(tmp_path, [_GOOD, _GOOD]))


def test_real_table_validates_and_cites_every_row():
    t = load_policy_context()
    assert t["source_url"].str.match(r"https?://").all()
    assert set(t["domain"]) <= set(DOMAINS) and set(t["reading"]) <= set(READINGS)
    assert (pd.to_datetime(t["period_start"]) <= pd.to_datetime(t["period_end"])).all()


# ---------------------------------------------------------------------------------- figure
def test_timeline_figure_draws_every_mark(five, timeline, context):
    fig = figures.policy_timeline.fig_policy_timeline(five)
    assert isinstance(fig, Figure) and len(fig.axes) == len(five.districts)
    # each fact: a line and a marker; each local context row: a line and a marker; national: one vline per panel
    national = int(context["district"].isna().sum())
    local = int(context["district"].notna().sum())
    lines = sum(len(ax.lines) for ax in fig.axes)
    assert lines == 2 * len(timeline) + 2 * local + national * len(five.districts)
    labels = [t.get_text() for ax in fig.axes for t in ax.get_yticklabels()]
    assert not any("_" in x for x in labels)


def test_every_marking_indicator_of_the_domains_is_on_the_timeline(five):
    marking = {
        k
        for k, i in five.codebook.indicators.items()
        if i.category in registration.TIMELINE_DOMAINS and i.value_type in ("boolean", "category", "year")
    }
    assert marking | {"policy_document"} == set(registration.TIMELINE_INDICATORS)
