"""Interval arithmetic for figures that are ranges, not points.

A fact's ``low`` and ``high`` say what its Chinese expression can mean (近430 is [387, 430)). A
figure derived from such facts (a growth rate, an amount per organization) is computed at the
ends of its inputs, so that the result holds every value the inputs allow. Derived intervals are
closed hulls: whether an end of an input was open is not carried through, which can only make
a derived interval slightly wider, never narrower.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

__all__ = ["DAYS_PER_YEAR", "Interval", "interval_of", "monotone", "period_distance", "period_gap"]

#: Days in a year when a number of days between two dates is turned into years.
DAYS_PER_YEAR = 365.25


@dataclass(frozen=True)
class Interval:
    """A closed interval ``[low, high]`` with an optional point figure as stated.

    Parameters
    ----------
    low, high : float
        Bounds; ``high`` may be ``inf``.
    point : float or None
        The figure as stated in the source (``430`` for 近430), or a figure derived from stated
        figures; None where there is none (a range).
    """

    low: float
    high: float
    point: float | None = None

    def __post_init__(self):
        if math.isnan(self.low) or math.isnan(self.high) or self.low > self.high:
            raise ValueError(f"not an interval: [{self.low}, {self.high}]")

    @classmethod
    def exact(cls, x: float) -> Interval:
        return cls(float(x), float(x), float(x))

    @property
    def width(self) -> float:
        return self.high - self.low

    def __contains__(self, x: float) -> bool:
        return self.low <= x <= self.high

    def __truediv__(self, other: Interval | float) -> Interval:
        other = _as_interval(other)
        if other.low <= 0:
            raise ZeroDivisionError(f"cannot divide by an interval reaching zero or below: {other}")
        point = None if self.point is None or other.point is None else self.point / other.point
        return monotone(lambda a, b: a / b, self, other, increasing=(True, False), point=point)

    def __mul__(self, other: Interval | float) -> Interval:
        other = _as_interval(other)
        if self.low < 0 or other.low < 0:
            raise ValueError("multiplication is defined here for non-negative intervals only")
        point = None if self.point is None or other.point is None else self.point * other.point
        return monotone(lambda a, b: a * b, self, other, increasing=(True, True), point=point)

    __rmul__ = __mul__

    def format(self, digits: int = 3) -> str:
        """``'430 [387, 430]'``-style text with ``digits`` significant digits."""

        def f(x: float) -> str:
            return "inf" if math.isinf(x) else f"{x:.{digits}g}"

        head = "" if self.point is None else f(self.point) + " "
        return f"{head}[{f(self.low)}, {f(self.high)}]"


def _as_interval(x) -> Interval:
    return x if isinstance(x, Interval) else Interval.exact(float(x))


def monotone(
    fn: Callable[..., float],
    *args: Interval,
    increasing: tuple[bool, ...],
    point: float | None = None,
) -> Interval:
    """Apply a function monotone in each argument to intervals, at their ends.

    ``increasing[i]`` says whether ``fn`` rises with argument ``i``. The low end of the result
    uses each argument's end that lowers ``fn``; the high end the other ends.
    """
    if len(increasing) != len(args):
        raise ValueError("one direction per argument")
    lo_args = [a.low if up else a.high for a, up in zip(args, increasing)]
    hi_args = [a.high if up else a.low for a, up in zip(args, increasing)]
    lo, hi = fn(*lo_args), fn(*hi_args)
    if point is None and all(a.point is not None for a in args):
        point = fn(*(a.point for a in args))
    return Interval(lo, hi, point)


def interval_of(row: pd.Series | dict) -> Interval:
    """The interval of one fact row of ``Casebook.facts`` (value as the point)."""
    value = row["value"]
    point = None if value is None or pd.isna(value) else float(value)
    return Interval(float(row["low"]), float(row["high"]), point)


def period_gap(first: tuple[str, str], second: tuple[str, str]) -> Interval:
    """How far the second reference period lies after the first, in years, as an interval.

    Each period is ``(start, end)`` in ISO dates, as in the facts table. ``low`` runs from the end
    of the first to the start of the second, ``high`` from the start of the first to the end of the
    second (both negative where the second comes first), ``point`` between the midpoints; whole
    days divided by :data:`DAYS_PER_YEAR`. The gap can be negative at one end and positive at the
    other when the periods overlap.

    Examples
    --------
    >>> period_gap(("2011-12-30", "2012-12-31"), ("2014-09-26", "2014-12-31")).format()
    '2.37 [1.74, 3]'
    >>> gap = period_gap(("2014-01-01", "2014-12-31"), ("2010-11-01", "2010-11-01"))  # a census before a count
    >>> round(gap.low * DAYS_PER_YEAR), round(gap.high * DAYS_PER_YEAR)  # -1521 and -1157 days
    (-1521, -1157)
    """
    f0, f1 = pd.Timestamp(first[0]), pd.Timestamp(first[1])
    s0, s1 = pd.Timestamp(second[0]), pd.Timestamp(second[1])
    mid = ((s0 + (s1 - s0) / 2) - (f0 + (f1 - f0) / 2)).total_seconds() / 86400 / DAYS_PER_YEAR
    return Interval((s0 - f1).days / DAYS_PER_YEAR, (s1 - f0).days / DAYS_PER_YEAR, mid)


def period_distance(first: tuple[str, str], second: tuple[str, str]) -> tuple[float, float]:
    """Least and greatest distance in years between two reference periods, in either direction.

    The least is 0 when the periods overlap.

    Examples
    --------
    >>> least, most = period_distance(("2014-01-01", "2014-12-31"), ("2014-06-30", "2014-06-30"))
    >>> least, round(most * DAYS_PER_YEAR)  # overlapping; at most 184 days apart (30 June to 31 December)
    (0, 184)
    """
    gap = period_gap(first, second)
    return max(0, gap.low, -gap.high), max(gap.high, -gap.low, 0)
