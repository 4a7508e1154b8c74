"""Interval arithmetic and the distance between reference periods."""

from __future__ import annotations

import math
import re

import pytest

from govcases.analysis import growth
from govcases.publish import casebook_html
from govcases.records import export
from govcases.records.extract import find_quantities, format_draft
from govcases.records.intervals import (
    DAYS_PER_YEAR,
    Interval,
    format_interval,
    format_number,
    monotone,
    period_distance,
    period_gap,
)
from govcases.records.quantity import parse_quantity, qualifier_table


def test_division_takes_the_ends_that_widen_the_result():
    # 近430 over 244 exactly: [387/244, 430/244]
    r = Interval(387, 430, 430) / Interval.exact(244)
    assert (r.low, r.high, r.point) == (387 / 244, 430 / 244, 430 / 244)
    with pytest.raises(ZeroDivisionError):
        Interval(1, 2) / Interval(0, 1)


def test_monotone_uses_each_arguments_worst_end():
    r = monotone(lambda a, b: a - b, Interval(10, 20), Interval(1, 2), increasing=(True, False))
    assert (r.low, r.high) == (8, 19)


def test_period_gap_between_longhua_founding_and_the_article():
    # founding 2011-12-30..2012-12-31, article 2014-09-26..2014-12-31:
    # 2012-12-31 -> 2014-09-26 is 634 days; 2011-12-30 -> 2014-12-31 is 1097 days
    gap = period_gap(("2011-12-30", "2012-12-31"), ("2014-09-26", "2014-12-31"))
    assert (gap.low, gap.high) == (634 / DAYS_PER_YEAR, 1097 / DAYS_PER_YEAR)


def test_period_distance_is_zero_for_overlap_and_symmetric():
    a, b = ("2014-01-01", "2014-12-31"), ("2020-11-01", "2020-11-01")
    # 2014-12-31 -> 2020-11-01 is 2132 days; 2014-01-01 -> 2020-11-01 is 2496 days
    assert period_distance(a, b) == (2132 / DAYS_PER_YEAR, 2496 / DAYS_PER_YEAR)
    assert period_distance(b, a) == period_distance(a, b)
    assert period_distance(a, ("2014-06-30", "2015-06-30"))[0] == 0


def test_interval_rejects_reversed_or_nan_ends():
    with pytest.raises(ValueError):
        Interval(2, 1)
    with pytest.raises(ValueError):
        Interval(math.nan, 1)


# ---------------------------------------------------------------------------- writing intervals
def test_numbers_are_written_in_place_with_their_whole_part_in_full():
    assert format_number(0.9 * 430) == "387"  # 387.00000000000006: binary noise, not a digit
    assert format_number(1172838, digits=3) == "1172838"  # a count is never rounded
    assert format_number(1172838.65, digits=6, grouping=True) == "1,172,839"
    assert format_number(2 / 3, digits=4) == "0.6667"
    assert format_number(0.00001) == "0.00001"  # not 1e-05
    assert format_number(2014.0, grouping=False) == "2014"
    assert (format_number(math.inf), format_number(-math.inf, infinity="INF")) == ("inf", "-INF")


def test_interval_brackets_say_which_ends_belong():
    assert format_interval(387, 430, True, False) == "[387, 430)"
    assert format_interval(1000, math.inf, False, False) == "(1000, inf)"
    # no figure reaches infinity: that end is open whatever the flag says
    assert format_interval(10, math.inf, True, True, infinity="∞") == "[10, ∞)"
    assert format_interval(-math.inf, 0) == "(-inf, 0]"
    assert format_interval(430, 430, exact_as_number=True) == "430"
    assert format_interval(430, 430, True, False, exact_as_number=True) == "[430, 430)"
    assert format_interval(387, 430, point=430) == Interval(387, 430, 430).format() == "430 [387, 430]"


# One expression per shape: half-open above, open with no upper bound, closed with no upper
# bound, a single value, closed, half-open with a large figure, a ratio with a fraction.
WRITTEN = ["近430家", "超过千人", "10%以上", "1655家", "约1900平方米", "720多万", "1∶36.5"]


@pytest.mark.parametrize("expression", WRITTEN)
def test_every_writer_of_an_interval_agrees(expression):
    q = parse_quantity(expression)
    want = format_interval(q.low, q.high, q.low_closed, q.high_closed)

    def plain(text: str) -> str:
        # readers get thousands separators and ∞; the numbers and brackets must be the same
        return re.sub(r"(?<=\d),(?=\d{3})", "", text).replace("\u221e", "inf")

    row = {"low": q.low, "high": q.high, "low_closed": q.low_closed, "high_closed": q.high_closed}
    assert plain(casebook_html._interval({**row, "value_type": "quantity"})) == want
    draft = format_draft(find_quantities(expression), district="x", source_id="x-1")
    reading = want if q.value is None else f"{format_number(q.value)} {want}"
    assert f"# {expression} -> {reading} {q.qualifier}" in draft
    cells = [export._cell(q.low), export._cell(q.high)]
    assert want[1:-1] == ", ".join(c.replace("INF", "inf") for c in cells)
    if q.low_closed and (q.high_closed or math.isinf(q.high)):  # the writers of closed hulls
        assert Interval(q.low, q.high).format(digits=15) == want
        expected = format_number(q.low) if q.low == q.high else want
        assert plain(growth._interval_text(Interval(q.low, q.high))) == expected


def test_qualifier_table_writes_its_examples_as_the_parser_reads_them():
    for row in qualifier_table():
        q = parse_quantity(row["example"])
        assert row["example_interval"] == format_interval(q.low, q.high, q.low_closed, q.high_closed)
