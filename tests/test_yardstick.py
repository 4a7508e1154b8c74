"""The yardstick table: validation of every row, and the national density and growth derived from it.

Hand-worked values use a small frozen table written here, so they do not move when the real table
gains rows; the real table is checked by properties that hold for any table.
"""

from __future__ import annotations

import csv
import io
import math

import pytest

from govcases.analysis.yardstick import national_density
from govcases.records.errors import CasebookError
from govcases.records.yardstick import KEY, YARDSTICK_COLUMNS, load_yardstick

HEADER = ",".join(YARDSTICK_COLUMNS)


def _row(**over) -> str:
    row = {
        "area": "China 全国",
        "level": "country",
        "what": "organizations",
        "type": "all",
        "basis": "year_end_statistics",
        "value_text": "40万",
        "period_start": "2010-12-31",
        "period_end": "2010-12-31",
        "primary": "yes",
        "source_title": "a page",
        "source_url": "https://example.org/a",
        "source_kind": "test",
        "note": "test row",
    }
    row.update(over)
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow([row[c] for c in YARDSTICK_COLUMNS])
    return out.getvalue()


def _table(tmp_path, *rows: str):
    path = tmp_path / "yardstick.csv"
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


# Four years of counts, two of them with a population: every derived figure worked by hand below.
FROZEN = [
    _row(value_text="40万", period_start="2010-12-31", period_end="2010-12-31"),
    _row(value_text="44万", period_start="2011-12-31", period_end="2011-12-31", source_url="https://example.org/b"),
    _row(value_text="53.24万", period_start="2013-12-31", period_end="2013-12-31", basis="year_end_quarterly"),
    _row(value_text="超过99万", period_start="2013-06-30", period_end="2013-06-30", basis="platform_snapshot"),
    _row(
        what="population",
        type="resident",
        basis="census",
        value_text="100000万人",
        period_start="2010-11-01",
        period_end="2010-11-01",
    ),
    _row(
        what="population",
        type="resident",
        basis="year_end_estimate",
        value_text="110000万人",
        period_start="2011-12-31",
        period_end="2011-12-31",
    ),
    _row(
        what="population",
        type="resident",
        basis="census",
        value_text="120000万人",
        period_start="2011-11-01",
        period_end="2011-11-01",
    ),
    _row(
        area="Zhejiang 浙江省", level="province", value_text="3万", period_start="2011-12-31", period_end="2011-12-31"
    ),  # a density a page states is kept as stated and never mixed into the derived ones
    _row(what="organizations_per_10k", basis="stated", value_text="9.9个", source_url="https://example.org/c"),
]


def test_frozen_densities_and_growth_are_worked_by_hand(tmp_path):
    t = load_yardstick(path=_table(tmp_path, *FROZEN))
    d = national_density(table=t).set_index("year")
    # only year-end counts of the country, one row per year; the platform snapshot and the province stay out
    assert list(d.index) == [2010, 2011, 2013]
    # 2010: 400,000 organizations / 1,000,000,000 residents x 10,000 = 4.0 (census of 1 November)
    assert d.loc[2010, "per_10k"] == pytest.approx(4.0)
    assert d.loc[2010, "population_basis"] == "census"
    assert "2010-11-01" in d.loc[2010, "note"]
    # 2011: the year-end estimate (1.1e9) is preferred to the census (1.2e9): 440,000 / 1.1e9 x 10,000 = 4.0
    assert d.loc[2011, "population"] == 1.1e9
    assert d.loc[2011, "per_10k"] == pytest.approx(4.0)
    # growth 2010 -> 2011: 440,000 / 400,000 - 1 = 10 %
    assert d.loc[2011, "growth_percent"] == pytest.approx(10.0)
    assert d.loc[2011, "annual_growth_percent"] == pytest.approx(10.0)
    # 2013: no population, no density; growth over two years: 532,400 / 440,000 = 1.21 = 1.1^2 -> 21 %, 10 % a year
    assert math.isnan(d.loc[2013, "per_10k"])
    assert d.loc[2013, "previous_year"] == 2011
    assert d.loc[2013, "growth_percent"] == pytest.approx(21.0)
    assert d.loc[2013, "annual_growth_percent"] == pytest.approx(10.0)
    assert "no population" in d.loc[2013, "note"] and "2 years" in d.loc[2013, "note"]
    assert "quarter" in d.loc[2013, "note"]


def test_another_area_is_derived_the_same_way(tmp_path):
    rows = [
        _row(area="Mou 某市", level="city", value_text="3000家"),
        _row(
            area="Mou 某市",
            level="city",
            what="population",
            type="resident",
            basis="census",
            value_text="600万人",
            period_start="2010-11-01",
            period_end="2010-11-01",
        ),
        *FROZEN,
    ]
    d = national_density(table=load_yardstick(path=_table(tmp_path, *rows)), area="Mou 某市")
    # 3,000 organizations / 6,000,000 residents x 10,000 = 5.0; the country's rows stay out
    assert d["year"].tolist() == [2010] and d.loc[0, "per_10k"] == pytest.approx(5.0)


def test_frozen_table_keeps_every_row_and_interval(tmp_path):
    t = load_yardstick(path=_table(tmp_path, *FROZEN))
    assert len(t) == len(FROZEN)  # count in == count out
    open_row = t[t["value_text"] == "超过99万"].iloc[0]
    assert (open_row["low"], open_row["high"], open_row["qualifier"]) == (990000.0, math.inf, "over")


@pytest.mark.parametrize(
    ("row", "column", "words"),
    [
        (_row(source_url=""), "source_url", "empty"),
        (_row(source_url="example.org/a"), "source_url", "http"),
        (_row(source_title=""), "source_title", "empty"),
        (_row(value_text="若干万"), "value_text", "cannot read"),  # 数十万 is read since the parser knows 数十
        (_row(value_text="40万人"), "value_text", "measure word"),
        (_row(what="population", type="resident", basis="census", value_text="40万个"), "value_text", "measure word"),
        (_row(level="county"), "level", "unknown level"),
        (_row(type="trade_unions"), "type", "unknown type"),
        (_row(basis="guess"), "basis", "unknown basis"),
        (_row(primary="maybe"), "primary", "yes nor no"),
        (_row(period_start="2010-13-01"), "period_start", ""),
        (_row(period_start="2011-01-01"), "period_end", "before"),
        (_row(note=" padded"), "note", "spaces"),
        (_row(what="organizations_per_10k", basis="year_end_statistics"), "basis", "unknown basis"),
        (_row(what="households"), "what", "unknown figure"),
    ],
)
def test_bad_rows_are_refused_with_line_and_column(tmp_path, row, column, words):
    path = _table(tmp_path, _row(source_url="https://example.org/good"), row)
    with pytest.raises(CasebookError) as err:
        load_yardstick(path=path)
    problems = err.value.problems
    assert problems and all(p.line == 3 and p.file == str(path) for p in problems)
    assert column in {p.field for p in problems}
    assert words in str(err.value)


def test_every_problem_is_reported_at_once(tmp_path):
    path = _table(tmp_path, _row(source_url=""), _row(level="county", source_url="https://example.org/c"))
    with pytest.raises(CasebookError) as err:
        load_yardstick(path=path)
    assert [p.line for p in err.value.problems] == [2, 3]


def test_two_primary_rows_for_one_figure_are_refused(tmp_path):
    path = _table(tmp_path, _row(), _row(value_text="41万", source_url="https://example.org/other"))
    with pytest.raises(CasebookError, match="second primary row"):
        load_yardstick(path=path)
    # marked as an alternative, it loads
    assert len(load_yardstick(path=_table(tmp_path, _row(), _row(primary="no", source_url="https://x.org/2")))) == 2


def test_the_same_row_twice_is_refused(tmp_path):
    with pytest.raises(CasebookError, match="same area, figure"):
        load_yardstick(path=_table(tmp_path, _row(), _row(primary="no")))


def test_a_wrong_header_is_refused(tmp_path):
    path = tmp_path / "y.csv"
    path.write_text(HEADER.replace("note", "remarks") + "\n", encoding="utf-8")
    with pytest.raises(CasebookError, match="missing note; unknown remarks"):
        load_yardstick(path=path)


# ------------------------------------------------------------------ the real table, by properties
def test_real_table_validates_and_cites_every_row():
    t = load_yardstick()
    assert len(t) > 0
    assert t["source_url"].str.match(r"https?://").all()
    assert (t["source_title"].str.len() > 0).all() and (t["note"].str.len() > 0).all()
    assert not t.duplicated(KEY).any()


def test_real_density_is_count_over_population():
    t = load_yardstick()
    d = national_density(table=t)
    assert d["year"].is_monotonic_increasing and d["year"].is_unique
    with_pop = d.dropna(subset=["population"])
    assert len(with_pop) > 0
    for _, r in with_pop.iterrows():
        assert r["per_10k"] == pytest.approx(r["organizations"] / r["population"] * 10_000)
        # the figures come from primary rows of the table, with their addresses
        assert r["organizations_url"] in set(t["source_url"]) and r["population_url"] in set(t["source_url"])
    for _, r in d.iloc[1:].iterrows():
        previous = d.set_index("year").loc[r["previous_year"], "organizations"]
        assert r["growth_percent"] == pytest.approx((r["organizations"] / previous - 1) * 100)
