"""Interval arithmetic and the distance between reference periods."""

from __future__ import annotations

import math

import pytest

from govcases.records.intervals import DAYS_PER_YEAR, Interval, monotone, period_distance, period_gap


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
