"""Interval arithmetic for figures that are ranges, not points.

A fact's ``low`` and ``high`` say what its Chinese expression can mean (近430 is [387, 430)). A
figure derived from such facts (a growth rate, an amount per organization) is computed at the
ends of its inputs, so that the result holds every value the inputs allow. Derived intervals are
closed hulls: whether an end of an input was open is not carried through, which can only make
a derived interval slightly wider, never narrower.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

import pandas as pd

__all__ = ["Interval", "interval_of", "monotone"]


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
    def exact(cls, x: float) -> "Interval":
        return cls(float(x), float(x), float(x))

    @property
    def width(self) -> float:
        return self.high - self.low

    def __contains__(self, x: float) -> bool:
        return self.low <= x <= self.high

    def __truediv__(self, other: "Interval | float") -> "Interval":
        other = _as_interval(other)
        if other.low <= 0:
            raise ZeroDivisionError(f"cannot divide by an interval reaching zero or below: {other}")
        point = None if self.point is None or other.point is None else self.point / other.point
        return monotone(lambda a, b: a / b, self, other, increasing=(True, False), point=point)

    def __mul__(self, other: "Interval | float") -> "Interval":
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
