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

from govcases.records.models import parse_iso_date

__all__ = [
    "DAYS_PER_YEAR",
    "NO_RATIO",
    "Interval",
    "format_interval",
    "format_number",
    "interval_of",
    "monotone",
    "period_distance",
    "period_gap",
    "ratio",
]

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
        """The interval of one exact figure: ``[x, x]`` with ``x`` as its point."""
        return cls(float(x), float(x), float(x))

    @property
    def width(self) -> float:
        """``high - low`` (``inf`` when the interval has no upper bound)."""
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
        """``'430 [387, 430]'``-style text with ``digits`` significant digits (see :func:`format_interval`)."""
        return format_interval(self.low, self.high, point=self.point, digits=digits)


def format_number(x: float, *, digits: int = 15, grouping: bool = False, infinity: str = "inf") -> str:
    """A number as text, in positional notation: whole part in full, ``digits`` significant digits.

    The whole part is never rounded (a count of 1,172,838 stays that); a fraction keeps
    ``digits`` significant digits in all, without trailing zeros. The default of 15 keeps every
    digit a stated figure can have while dropping the noise of binary floats (0.9 * 430 is
    387.00000000000006); fewer digits suit text for readers.

    Parameters
    ----------
    x : float
        The number; anything ``float()`` accepts.
    digits : int
        Significant digits of a number with a fraction.
    grouping : bool
        Separate thousands with commas (counts and sums of money, not years).
    infinity : str
        How an infinite value is written (``inf`` in data files, ``∞`` for readers), after a
        ``-`` when it is negative.

    Returns
    -------
    str
        The number without exponent or trailing zeros; a whole number has no decimal point.

    Examples
    --------
    >>> format_number(0.9 * 430), format_number(7200000, grouping=True), format_number(2 / 3, digits=4)
    ('387', '7,200,000', '0.6667')
    >>> format_number(1172838.65, digits=6, grouping=True), format_number(-math.inf, infinity="∞")
    ('1,172,839', '-∞')
    """
    x = float(x)
    if math.isinf(x):
        return infinity if x > 0 else "-" + infinity
    comma = "," if grouping else ""
    if x.is_integer():
        return f"{int(x):{comma}}"
    # `g` would switch to scientific notation (1.17284e+06, 1e-05): the same digits, written in place
    places = max(0, digits - 1 - math.floor(math.log10(abs(x))))
    text = f"{x:{comma}.{places}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def format_interval(
    low: float,
    high: float,
    low_closed: bool = True,
    high_closed: bool = True,
    *,
    point: float | None = None,
    exact_as_number: bool = False,
    digits: int = 15,
    grouping: bool = False,
    infinity: str = "inf",
) -> str:
    """An interval in bracket notation: ``[387, 430)`` (``[`` and ``]`` include an end, ``(`` and ``)`` do not).

    The one way the package writes an interval, in data files and in text for readers alike; the
    numbers are written by :func:`format_number` with ``digits``, ``grouping`` and ``infinity``.
    An infinite end is always written open: no figure reaches it.

    Parameters
    ----------
    low, high : float
        The ends.
    low_closed, high_closed : bool
        Whether each end belongs to the interval.
    point : float or None
        A figure as stated, written before the brackets (``430 [387, 430)``).
    exact_as_number : bool
        Write a closed interval of one value as that value alone (``430``, not ``[430, 430]``).
    digits : int
        Significant digits of a number with a fraction (see :func:`format_number`).
    grouping : bool
        Separate thousands with commas.
    infinity : str
        How an infinite end is written (``inf`` in data files, ``∞`` for readers).

    Returns
    -------
    str
        The interval as ``[low, high]`` with the brackets its ends call for, after the point and
        a space when there is one.

    Examples
    --------
    >>> format_interval(387, 430, True, False), format_interval(10, math.inf, infinity="∞")
    ('[387, 430)', '[10, ∞)')
    >>> format_interval(387, 430, point=430), format_interval(430, 430, exact_as_number=True)
    ('430 [387, 430]', '430')
    """

    def num(x: float) -> str:
        return format_number(x, digits=digits, grouping=grouping, infinity=infinity)

    if exact_as_number and low == high and low_closed and high_closed:
        return num(low)
    left = "[" if low_closed and not math.isinf(low) else "("
    right = "]" if high_closed and not math.isinf(high) else ")"
    head = "" if point is None else num(point) + " "
    return f"{head}{left}{num(low)}, {num(high)}{right}"


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

    Parameters
    ----------
    fn : callable
        A function of as many numbers as there are intervals, monotone in each of them.
    *args : Interval
        The intervals to apply ``fn`` to.
    increasing : tuple of bool
        One per interval: True where ``fn`` rises with that argument, False where it falls.
    point : float or None
        The point of the result; default ``fn`` of the arguments' points when every argument has
        one, else None.

    Returns
    -------
    Interval
        From ``fn`` at the ends that give its least value to ``fn`` at the ends that give its greatest.

    Raises
    ------
    ValueError
        If ``increasing`` does not give one direction per interval.

    Examples
    --------
    >>> monotone(lambda a, b: a - b, Interval(10, 12, 11), Interval(1, 2, 2), increasing=(True, False))
    Interval(low=8, high=11, point=9)
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
    """The interval of one fact row of ``Casebook.facts`` (value as the point).

    Parameters
    ----------
    row : pandas.Series or dict
        A fact with its ``low`` and ``high`` bounds and its ``value`` (the figure as stated, or
        missing for a range).

    Returns
    -------
    Interval
        ``[low, high]`` with the value as its point, or no point when the value is missing.

    Examples
    --------
    >>> interval_of({"low": 387, "high": 430, "value": 430}).format()
    '430 [387, 430]'
    """
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

    Parameters
    ----------
    first, second : tuple of (str, str)
        The two reference periods, each as its start and end date written YYYY-MM-DD.

    Returns
    -------
    Interval
        The gap in years (see above); positive where the second period comes later.

    Raises
    ------
    ValueError
        If a date is not a valid ISO date, or a period ends before it starts so that the gap is
        not an interval.

    Examples
    --------
    >>> period_gap(("2011-12-30", "2012-12-31"), ("2014-09-26", "2014-12-31")).format()
    '2.37 [1.74, 3]'
    >>> gap = period_gap(("2014-01-01", "2014-12-31"), ("2010-11-01", "2010-11-01"))  # a census before a count
    >>> round(gap.low * DAYS_PER_YEAR), round(gap.high * DAYS_PER_YEAR)  # -1521 and -1157 days
    (-1521, -1157)
    """
    f0, f1 = parse_iso_date(first[0]), parse_iso_date(first[1])
    s0, s1 = parse_iso_date(second[0]), parse_iso_date(second[1])
    mid = ((s0 - f0).days + (s1 - f1).days) / 2 / DAYS_PER_YEAR  # between the midpoints
    return Interval((s0 - f1).days / DAYS_PER_YEAR, (s1 - f0).days / DAYS_PER_YEAR, mid)


def period_distance(first: tuple[str, str], second: tuple[str, str]) -> tuple[float, float]:
    """Least and greatest distance in years between two reference periods, in either direction.

    The least is 0 when the periods overlap.

    Parameters
    ----------
    first, second : tuple of (str, str)
        The two reference periods, each as its start and end date written YYYY-MM-DD.

    Returns
    -------
    least, greatest : float
        The smallest and largest number of years between a day of one period and a day of the
        other (days over :data:`DAYS_PER_YEAR`).

    Examples
    --------
    >>> least, most = period_distance(("2014-01-01", "2014-12-31"), ("2014-06-30", "2014-06-30"))
    >>> least, round(most * DAYS_PER_YEAR)  # overlapping; at most 184 days apart (30 June to 31 December)
    (0, 184)
    """
    gap = period_gap(first, second)
    return max(0, gap.low, -gap.high), max(gap.high, -gap.low, 0)


class _NoRatio:
    """Stands in for the result of a division whose denominator may be zero: missing ends, no point."""

    low = high = math.nan
    point = None

    def __mul__(self, other) -> _NoRatio:
        return self

    def __repr__(self) -> str:
        return "NO_RATIO"


#: What :func:`ratio` gives when the denominator may be zero: ``low`` and ``high`` are NaN.
NO_RATIO = _NoRatio()


def ratio(num: Interval, den: Interval) -> Interval | _NoRatio:
    """``num / den``, or ``None`` when the denominator may be zero or below.

    A count of 0家 or a population of 0人 is a valid fact; a ratio over it is not a number. Callers
    leave such a ratio missing and say why, instead of failing.

    Parameters
    ----------
    num, den : Interval
        Numerator and denominator.

    Returns
    -------
    Interval or NO_RATIO
        The quotient, or :data:`NO_RATIO` (missing ends, no point) when ``den.low <= 0``.

    Examples
    --------
    >>> ratio(Interval.exact(6), Interval(2, 3)), ratio(Interval.exact(6), Interval.exact(0))
    (Interval(low=2.0, high=3.0, point=None), NO_RATIO)
    """
    return NO_RATIO if den.low <= 0 else num / den
