"""Parse Chinese quantity expressions as written in government reports.

Reports rarely state a bare number. They write ``720多万`` ("seven hundred and twenty-odd
ten-thousands"), ``近千万`` ("nearly ten million"), ``约1900平方米`` or ``1万-3万``. A figure
like that is a claim about an interval, and comparing cases honestly needs the interval, not
a number picked from it. :func:`parse_quantity` turns one expression into a :class:`Quantity`
holding the figure as stated, the interval it asserts, the qualifier that produced the
interval and the measure word.

What is read
------------
* Arabic digits with an optional decimal part and optional ``,`` thousands separators
  (``1,655``); full-width forms are folded with Unicode NFKC first, and all whitespace is
  dropped (PDF extraction scatters spaces inside figures).
* Chinese numerals ``零 〇 一 二 两 三 四 五 六 七 八 九 十 百 千 万 亿`` in their standard form
  (``十二``, ``一千零五``, ``三千万``), the colloquial short form with the last place left
  implicit (``一万五`` = 15000, ``三千五`` = 3500), and a decimal with ``点`` (``三点五亿``).
* Magnitude characters after Arabic digits: ``十 百 千 万 亿`` in the order ``[十|百|千][万][亿]``
  (``3千``, ``1.5万``, ``2千万``, ``1722.11亿``). A qualifier marker may stand before or after them:
  ``200余万元`` and ``3万余名`` both occur.
* ``百分之X`` as a percentage.
* A measure word after the figure, kept as written (``家``, ``元``, ``人次``, ``平方米``, ``%``,
  ``大类``). ``千克 千米 千瓦 千伏 千帕 千卡 百分点`` are read as units, not as 千/百 times a unit.

Qualifiers and the interval each one asserts
--------------------------------------------
The table :data:`QUALIFIERS` is the single source of these rules; the parser finds markers
and computes bounds through it, and :func:`qualifier_table` prints it with worked examples.
``x`` is the stated figure after scaling by its magnitude characters.

exact
    No marker. [x, x]; a stated decimal (``167.8万元``) is exact as stated.
more_than
    多 or 余 after the figure, before or after its 万/亿 (``200余万``, ``3万余``), or at the
    very end (``3年余``). [x, x + step), see below. A marker inside a compound measure word
    (``3个多月``) is refused.
nearly
    近 (also 将近, 接近) before the figure. [0.9 x, x): just short of the figure.
about
    约 or 大约 before, or 左右 after the figure. [0.95 x, 1.05 x], both ends included.
at_least
    以上 after the figure or its unit (``10%以上``, ``百人以上``), or 不少于 / 至少 before it.
    [x, inf).
over
    超过 (also 超, 逾) before the figure. (x, inf): the figure itself is excluded.
range
    Two figures joined by ``-`` (or another dash), ``~``, ``〜``, 至 or 到. [x1, x2], both
    ends included; the value is None because no single figure is stated.
ratio
    ``a∶b`` with U+2236, ``:`` or ``：``. low = high = value = b / a; unit ``'ratio'``.

``step`` for ``more_than`` is one unit in the last place the writer stated: for an integer
figure the place of its last nonzero digit, for a decimal figure its last decimal place, in
both cases times the magnitude. So ``720多万`` gives [7 200 000, 7 300 000), ``200余万元``
[2 000 000, 3 000 000), ``1000多万`` [10 000 000, 20 000 000), ``1120余个`` [1120, 1130) and
``1.5万余`` [15 000, 16 000). The step does not depend on whether the marker stands before or
after the magnitude character; for ``120万余`` this is the wider of the two readings, so the
interval still contains the figure the writer meant.

A range ``X-Y`` may carry its magnitude and unit on either end or both. A lower end with
neither borrows the magnitude and unit of the upper end (``1-3万元`` is 1万元 to 3万元); a
lower end with its own unit keeps its own scale (``5元-3万元`` is 5 to 30 000). A lower end
that then exceeds the upper end is an error, not a reinterpretation. When the upper end is a
Chinese numeral with an inner place (``五千万``) and the bare lower end has none (``三``), the
scale it should borrow is ambiguous (3万 or 3千万) and the expression is refused.

Percentages keep the unit ``%`` and a value in percentage points (``152%`` -> 152.0).

Arithmetic is done in :class:`decimal.Decimal`, and floats are made only at the end, so
``253.22万`` is exactly 2532200.0.

What is refused
---------------
Anything the rules above do not cover raises :class:`QuantityError`, whose message names
the expression and the reason: an empty string, no figure at all, vague counts (``数百``,
``十几``, ``上万``), tenths (``三成``), two conflicting qualifiers (``近100人以上``), a marker
repeated in the same slot, a qualifier inside a range, a range whose low end exceeds its
high end, ``多``/``余`` on a figure with no nonzero digit, ``近0``, a ratio whose first term is zero, and
figures too large for a float. The parser never guesses and never returns NaN.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, localcontext
from functools import lru_cache
from typing import NamedTuple

from govcases.records.intervals import format_interval

__all__ = [
    "QUALIFIERS",
    "Bounds",
    "Figure",
    "QualifierRule",
    "Quantity",
    "QuantityError",
    "parse_quantity",
    "qualifier_table",
]


class QuantityError(ValueError):
    """Raised for an expression that cannot be parsed.

    Parameters
    ----------
    expression : str
        The expression exactly as given to :func:`parse_quantity`.
    reason : str
        Why it was refused, in plain English.

    Attributes
    ----------
    expression : str
        The expression exactly as given.
    reason : str
        Why it was refused.
    """

    def __init__(self, expression: str, reason: str):
        self.expression = expression
        self.reason = reason
        super().__init__(f'cannot parse quantity "{expression}": {reason}')

    def __reduce__(self):
        # The default would call __init__ with the message alone and fail on unpickling.
        return (type(self), (self.expression, self.reason))


@dataclass(frozen=True)
class Quantity:
    """One parsed quantity expression and the interval it asserts.

    Attributes
    ----------
    text : str
        The expression exactly as given.
    value : float or None
        The figure as stated, scaled by its magnitude (``720多万`` -> 7200000.0, ``近430`` ->
        430.0; for a ratio ``a∶b`` it is b / a). None only for a range, which states no single
        figure.
    low, high : float
        Bounds of the interval; ``high`` is ``math.inf`` when the interval is open above.
    low_closed, high_closed : bool
        Whether ``low`` / ``high`` belong to the interval. An infinite bound is never closed.
    qualifier : str
        A key of :data:`QUALIFIERS`.
    unit : str
        The measure word as written once magnitude characters are removed (``'元'`` for
        ``200余万元``, ``''`` for ``720多万``, ``'%'`` for percentages, ``'ratio'`` for a ratio),
        after NFKC folding (so full-width ``％`` becomes ``%`` and ``㎡`` becomes ``m2``).
    """

    text: str
    value: float | None
    low: float
    high: float
    low_closed: bool
    high_closed: bool
    qualifier: str
    unit: str

    def contains(self, x: float) -> bool:
        """Return whether ``x`` lies in the interval, honouring open and closed ends.

        Parameters
        ----------
        x : float
            The number to test, in the same scale as ``low`` and ``high``.

        Returns
        -------
        bool
        """
        above = x >= self.low if self.low_closed else x > self.low
        below = x <= self.high if self.high_closed else x < self.high
        return above and below


@dataclass(frozen=True)
class Figure:
    """A stated figure, scaled, with the size of one unit in its last stated place.

    Attributes
    ----------
    amount : Decimal
        The figure times its magnitude (``200余万`` -> 2000000).
    step : Decimal or None
        One unit in the last stated place, times the magnitude (``200余万`` -> 1000000,
        ``1.5万`` -> 1000). None when the figure has no nonzero digit, because then there is
        no place the writer was rounding to.
    """

    amount: Decimal
    step: Decimal | None


@dataclass(frozen=True)
class Bounds:
    """What a qualifier rule asserts about a figure (or two, for ranges and ratios).

    Attributes
    ----------
    value : Decimal or None
        The single figure stated, or None for a range.
    low, high : Decimal
        Interval ends; ``Decimal('Infinity')`` when open above.
    low_closed, high_closed : bool
        Whether each end belongs to the interval.
    """

    value: Decimal | None
    low: Decimal
    high: Decimal
    low_closed: bool
    high_closed: bool


class _RuleError(Exception):
    """A rule refused its figures; the parser re-raises it as QuantityError with the text."""


_SLOTS = ("prefix", "suffix", "between")


@dataclass(frozen=True)
class QualifierRule:
    """One row of :data:`QUALIFIERS`: how a qualifier is written and what interval it means.

    Attributes
    ----------
    name : str
        Key in :data:`QUALIFIERS` and value of :attr:`Quantity.qualifier`.
    markers : tuple of str
        The Chinese (or punctuation) markers that signal this qualifier; empty for ``exact``.
    slots : tuple of str
        Where each marker stands, parallel to ``markers``: ``'prefix'`` (before the figure),
        ``'suffix'`` (after the figure, next to its magnitude, or at the very end after the
        unit) or ``'between'`` (between two figures).
    rule_en : str
        The interval rule in one English sentence.
    bounds : callable
        ``bounds(figures) -> Bounds`` for a tuple of :class:`Figure` (one, or two for
        ``'between'`` rules). Raises an internal error for figures the rule cannot take.
    example : str
        An expression that parses to this qualifier; :func:`qualifier_table` runs it.
    before_magnitude : bool
        Whether a suffix marker may also stand between the digits and their 万/亿
        (``200余万``). Only 多/余 do; ``3以上万`` is refused.
    """

    name: str
    markers: tuple[str, ...]
    slots: tuple[str, ...]
    rule_en: str
    bounds: Callable[[tuple[Figure, ...]], Bounds]
    example: str
    before_magnitude: bool = False

    def __post_init__(self) -> None:
        if len(self.markers) != len(self.slots):
            raise ValueError(f"{self.name}: markers and slots differ in length")
        if any(s not in _SLOTS for s in self.slots):
            raise ValueError(f"{self.name}: unknown slot in {self.slots}")

    @property
    def position(self) -> str:
        """Where the markers stand.

        ``'prefix'``, ``'suffix'``, ``'between'``, ``'none'`` (no marker), or ``'prefix/suffix'``
        when the rule has markers on both sides.
        """
        used = [s for s in _SLOTS if s in self.slots]
        return "/".join(used) if used else "none"

    def markers_in(self, slot: str) -> tuple[str, ...]:
        """Return the markers of this rule that stand in ``slot``, NFKC-normalised.

        Parameters
        ----------
        slot : {'prefix', 'suffix', 'between'}

        Returns
        -------
        tuple of str
        """
        return tuple(_nfkc(m) for m, s in zip(self.markers, self.slots) if s == slot)


_INF = Decimal("Infinity")


def _exact(figs: tuple[Figure, ...]) -> Bounds:
    (f,) = figs
    return Bounds(f.amount, f.amount, f.amount, True, True)


def _more_than(figs: tuple[Figure, ...]) -> Bounds:
    (f,) = figs
    if f.step is None:
        raise _RuleError("多/余 needs a figure with a nonzero digit to count up from")
    return Bounds(f.amount, f.amount, f.amount + f.step, True, False)


def _nearly(figs: tuple[Figure, ...]) -> Bounds:
    (f,) = figs
    if f.amount <= 0:
        raise _RuleError("近 needs a positive figure to fall short of")
    return Bounds(f.amount, f.amount * Decimal("0.9"), f.amount, True, False)


def _about(figs: tuple[Figure, ...]) -> Bounds:
    (f,) = figs
    return Bounds(f.amount, f.amount * Decimal("0.95"), f.amount * Decimal("1.05"), True, True)


def _at_least(figs: tuple[Figure, ...]) -> Bounds:
    (f,) = figs
    return Bounds(f.amount, f.amount, _INF, True, False)


def _over(figs: tuple[Figure, ...]) -> Bounds:
    (f,) = figs
    return Bounds(f.amount, f.amount, _INF, False, False)


def _range(figs: tuple[Figure, ...]) -> Bounds:
    lo, hi = figs
    if lo.amount > hi.amount:
        raise _RuleError(f"range runs backwards ({lo.amount} > {hi.amount})")
    return Bounds(None, lo.amount, hi.amount, True, True)


def _ratio(figs: tuple[Figure, ...]) -> Bounds:
    a, b = figs
    if a.amount == 0:
        raise _RuleError("ratio has zero as its first term")
    v = b.amount / a.amount
    return Bounds(v, v, v, True, True)


QUALIFIERS: dict[str, QualifierRule] = {
    r.name: r
    for r in (
        QualifierRule(
            "exact",
            (),
            (),
            "A figure with no marker means exactly that figure, decimals included.",
            _exact,
            "1655家",
        ),
        QualifierRule(
            "more_than",
            ("多", "余"),
            ("suffix", "suffix"),
            "多 or 余 after a figure means at least the figure and less than the figure plus one "
            "unit in its last stated place (last nonzero digit, or last decimal place), scaled "
            "by 万/亿.",
            _more_than,
            "720多万",
            before_magnitude=True,
        ),
        QualifierRule(
            "nearly",
            ("近", "将近", "接近"),
            ("prefix", "prefix", "prefix"),
            "近 (or 将近, 接近) before a figure means just short of it: from 90% of the figure "
            "up to but not including the figure.",
            _nearly,
            "近430家",
        ),
        QualifierRule(
            "about",
            ("约", "大约", "左右"),
            ("prefix", "prefix", "suffix"),
            "约 or 大约 before, or 左右 after, a figure means within 5% of it either way, ends included.",
            _about,
            "约1900平方米",
        ),
        QualifierRule(
            "at_least",
            ("以上", "不少于", "至少"),
            ("suffix", "prefix", "prefix"),
            "以上 after a figure (or after its unit), or 不少于 or 至少 before it, means the "
            "figure or more, with no upper bound.",
            _at_least,
            "10%以上",
        ),
        QualifierRule(
            "over",
            ("超过", "超", "逾"),
            ("prefix", "prefix", "prefix"),
            "超过 (or 超, 逾) before a figure means strictly more than the figure, with no upper bound.",
            _over,
            "超过千人",
        ),
        QualifierRule(
            "range",
            ("-", "–", "—", "―", "−", "‐", "~", "〜", "至", "到"),
            ("between",) * 10,
            "Two figures joined by a dash, tilde, 至 or 到 mean every value from the first to "
            "the second, both included; a bare first figure borrows the second's magnitude and "
            "unit.",
            _range,
            "1万-3万",
        ),
        QualifierRule(
            "ratio",
            ("∶", ":", "："),
            ("between", "between", "between"),
            "a∶b states the single value b / a (how many of the second per one of the first).",
            _ratio,
            "1∶36.5",
        ),
    )
}
_EXACT = QUALIFIERS["exact"]


def qualifier_table() -> list[dict]:
    """Return :data:`QUALIFIERS` as printable rows, each with a worked example.

    The example bounds are computed by running :func:`parse_quantity` on the example, so the
    table cannot drift from the parser.

    Returns
    -------
    list of dict
        One row per qualifier, keys ``qualifier``, ``markers`` (space-separated),
        ``position``, ``rule``, ``example``, ``example_low``, ``example_high`` and
        ``example_interval`` (the interval in bracket notation, e.g. ``[387, 430)``).
    """
    rows = []
    for rule in QUALIFIERS.values():
        q = parse_quantity(rule.example)
        if q.qualifier != rule.name:
            raise RuntimeError(f"example {rule.example!r} of {rule.name!r} parses as {q.qualifier!r}")
        rows.append(
            {
                "qualifier": rule.name,
                "markers": " ".join(rule.markers),
                "position": rule.position,
                "rule": rule.rule_en,
                "example": rule.example,
                "example_low": q.low,
                "example_high": q.high,
                "example_interval": format_interval(q.low, q.high, q.low_closed, q.high_closed),
            }
        )
    return rows


# --------------------------------------------------------------------------------------------
# Lexicon

_CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CN_PLACES = {"十": 10, "百": 100, "千": 1000}
_CN_BIG = {"万": 10**4, "亿": 10**8}
_CN_CHARS = frozenset(_CN_DIGITS) | frozenset(_CN_PLACES) | frozenset(_CN_BIG)
_ZEROS = frozenset("零〇")

_MAGNITUDE = {**_CN_PLACES, **_CN_BIG}
# One optional lower place, then 万, then 亿: enough for 3千, 2千万, 5万亿, and no nonsense like 万千.
_ARABIC_MAGNITUDES = re.compile(r"[十百千]?万?亿?")
_CHINESE_POST_MAGNITUDES = re.compile(r"万?亿?")

# Units that begin with a place character; without this list 5千克 would read as 5000 克.
_PLACE_UNITS = ("千克", "千米", "千瓦", "千伏", "千帕", "千卡", "百分点")

_ARABIC = re.compile(r"(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?")
_PERCENT_WORD = "百分之"
_VAGUE_STARTS = ("数", "几", "上万", "上千", "上百", "上亿", "成千", "成百", "好几")
_UNIT_EXTRA = frozenset("%‰°/·")


# Traditional forms of the characters quantities are written with (the Beilun page is Traditional),
# so that 720多萬 reads like 720多万. Only these characters: the rest of a unit is kept as written.
_TRADITIONAL = str.maketrans(
    {
        "萬": "万",
        "億": "亿",
        "兩": "两",
        "個": "个",
        "餘": "余",
        "約": "约",
        "項": "项",
        "場": "场",
        "將": "将",
    }
)


_HAS_TRADITIONAL = re.compile("[" + "".join(map(chr, _TRADITIONAL)) + "]").search


def _nfkc(s: str) -> str:
    s = unicodedata.normalize("NFKC", s)
    # translating costs several times more than looking for the few characters it changes
    return s.translate(_TRADITIONAL) if _HAS_TRADITIONAL(s) else s


def _markers(slot: str) -> list[tuple[str, QualifierRule]]:
    # Longest first so that 超过 is not read as 超 followed by a unit 过.
    # NFKC folds ： into :, so the same marker may be listed twice; keep it once.
    pairs = dict.fromkeys((m, r.name) for r in QUALIFIERS.values() for m in r.markers_in(slot))
    return sorted(((m, QUALIFIERS[n]) for m, n in pairs), key=lambda p: -len(p[0]))


_PREFIX = _markers("prefix")
_SUFFIX = _markers("suffix")
_BETWEEN = _markers("between")
# The markers of each slot as one tuple, for str.startswith/endswith: most expressions have no
# marker in a given place, and one call says so where a loop over the markers would take many.
_PREFIX_MARKS = tuple(m for m, _ in _PREFIX)
_SUFFIX_MARKS = tuple(m for m, _ in _SUFFIX)
_ANY_BETWEEN = re.compile("|".join(re.escape(m) for m, _ in _BETWEEN)).search
_SCIENTIFIC = re.compile(r"[eE][+-]?\d")
_ANY_MARKER = re.compile("|".join(re.escape(m) for m, _ in _PREFIX + _SUFFIX + _BETWEEN)).search


# --------------------------------------------------------------------------------------------
# Chinese numerals


def _cn_small(s: str) -> int:
    """Value of a numeral below 10000 (digits with 十/百/千 and 零)."""
    value = 0
    pending: int | None = None
    last_place = 10**4  # sentinel above every place, so the first place always fits
    zero = False
    for i, ch in enumerate(s):
        if ch in _ZEROS:
            if pending is not None or zero or value == 0:
                raise ValueError(f"misplaced 零 in {s!r}")
            zero = True
        elif ch in _CN_DIGITS:
            if pending is not None:
                raise ValueError(f"two digits in a row in {s!r} (positional digits are not read)")
            pending = _CN_DIGITS[ch]
        elif ch in _CN_PLACES:
            place = _CN_PLACES[ch]
            if place >= last_place:
                raise ValueError(f"places out of order in {s!r}")
            if value and not zero and place != last_place // 10:
                raise ValueError(f"a place is skipped without 零 in {s!r}")
            if zero and place >= last_place // 10:
                raise ValueError(f"零 stands before the very next place in {s!r}")
            if pending is None:
                if i != 0:
                    raise ValueError(f"no digit before {ch} in {s!r}")
                pending = 1  # 十二, 百余, 千万: a leading place means one of it
            value += pending * place
            pending, last_place, zero = None, place, False
        else:
            raise ValueError(f"{ch!r} is not a Chinese numeral")
    if zero and pending is None:
        raise ValueError(f"{s!r} ends in 零")
    if pending is not None:
        if zero or last_place == 10**4:
            value += pending
        else:
            # 三千五 is 3500: a trailing bare digit fills the place just below the last one.
            value += pending * (last_place // 10)
    return value


def _cn_low_section(s: str, top: int, parse: Callable[[str], int]) -> int:
    """Value of what follows 万 (top=1000) or 亿 (top=10**7)."""
    if not s:
        return 0
    if s[0] in _ZEROS:
        rest = s[1:]
        if not rest or rest[0] in _ZEROS:
            raise ValueError(f"misplaced 零 in {s!r}")
        v = parse(rest)
        if v >= top:
            raise ValueError(f"零 before a full section in {s!r}")
        return v
    if len(s) == 1 and s in _CN_DIGITS:
        return _CN_DIGITS[s] * top  # 一万五 is 15000, 一亿五 is 150 million
    v = parse(s)
    if v < top:
        raise ValueError(f"a place is skipped without 零 in {s!r}")
    return v


def _cn_below_yi(s: str) -> int:
    if "万" not in s:
        return _cn_small(s)
    hi, lo = s.split("万", 1)
    if "万" in lo:
        raise ValueError(f"万 twice in {s!r}")
    hi_v = _cn_small(hi) if hi else 1
    if hi_v == 0:
        raise ValueError(f"nothing before 万 in {s!r}")
    return hi_v * 10**4 + _cn_low_section(lo, 1000, _cn_small)


def _cn_int(s: str) -> int:
    """Value of a Chinese numeral in standard or short colloquial form; ValueError otherwise."""
    if s in _ZEROS:
        return 0
    if "亿" not in s:
        return _cn_below_yi(s)
    hi, lo = s.split("亿", 1)
    if "亿" in lo:
        raise ValueError(f"亿 twice in {s!r}")
    hi_v = _cn_below_yi(hi) if hi else 1
    if hi_v == 0:
        raise ValueError(f"nothing before 亿 in {s!r}")
    return hi_v * 10**8 + _cn_low_section(lo, 10**7, _cn_below_yi)


# --------------------------------------------------------------------------------------------
# One figure with its qualifier markers and unit


class _Side(NamedTuple):
    """One figure as read, before a rule turns it into bounds."""

    number: Decimal  # as written, before magnitude characters outside the numeral
    decimals: int  # digits after the decimal point as written
    scale: int  # product of magnitude characters outside the numeral
    mag_text: str  # the magnitude a bare range start would borrow (万 in 1-3万)
    has_magnitude: bool  # any 十百千万亿 outside the numeral, or 万/亿 inside it
    inner_place: bool  # Chinese numeral with 十/百/千 before its trailing 万/亿
    unit: str
    rules: tuple[tuple[QualifierRule, str, str], ...]  # (rule, marker, slot) found

    def figure(self) -> Figure:
        amount = self.number * self.scale
        if self.decimals:
            step = Decimal(1).scaleb(-self.decimals) * self.scale
        else:
            n = int(self.number)
            if n == 0:
                return Figure(amount, None)
            place = 1
            while n % 10 == 0:  # one unit of the last nonzero digit
                n //= 10
                place *= 10
            step = Decimal(place * self.scale)
        return Figure(amount, step)


def _place_unit_at(s: str, pos: int) -> bool:
    return s.startswith(_PLACE_UNITS, pos)


# Records write few distinct units (家, 元, %, 人次 ...), so each is checked once; a unit that is
# refused raises again at every call (lru_cache keeps no exceptions).
@lru_cache(maxsize=1024)
def _check_unit(unit: str) -> None:
    if not unit:
        return
    first = unit[0]
    if first.isdigit() or first in ".,":
        raise _RuleError(f'unexpected "{unit}" after the figure (mixed forms like 1万2千 are not read)')
    if first in _CN_CHARS and not _place_unit_at(unit, 0):
        raise _RuleError(f'unexpected numeral "{first}" after the figure')
    if first == "成":
        raise _RuleError("成 (tenths of a whole) is not a supported unit")
    if first in "几数":
        raise _RuleError(f'vague count "{first}" is not a figure')
    # nearly every unit holds no marker at all, and then none of the loops below can find one
    marked = _ANY_MARKER(unit) is not None
    if marked:
        for m, _ in _SUFFIX:
            if m in unit:
                raise _RuleError(f'qualifier "{m}" inside the unit "{unit}"')
        for m, _ in _PREFIX:
            if unit.endswith(m):
                raise _RuleError(f'qualifier "{m}" after the unit "{unit}"')
    if _SCIENTIFIC.match(unit):
        raise _RuleError("scientific notation is not read")
    if marked:
        for m, _ in _BETWEEN:
            if m in unit:
                raise _RuleError(f'separator "{m}" inside the unit "{unit}"')
    for i, ch in enumerate(unit):
        cat = unicodedata.category(ch)
        if cat.startswith("L") or ch in _UNIT_EXTRA:
            continue
        # NFKC turns ㎡ into m2: a digit may follow a Latin letter inside a unit.
        if ch.isdigit() and i > 0 and unit[i - 1].isascii() and unit[i - 1].isalnum():
            continue
        raise _RuleError(f'character "{ch}" cannot be part of a unit')


def _read_side(s: str) -> _Side:
    """Read ``[prefix] figure [多/余 and magnitudes] [unit] [suffix]`` from normalised ``s``."""
    found: list[tuple[QualifierRule, str, str]] = []

    if s.startswith(_PREFIX_MARKS):
        for m, rule in _PREFIX:
            if s.startswith(m):
                found.append((rule, m, "prefix"))
                s = s[len(m) :]
                break
        for m, _ in _PREFIX:
            if s.startswith(m):
                raise _RuleError(f'two qualifier markers "{found[0][1]}" and "{m}" before the figure')

    if s.endswith(_SUFFIX_MARKS):
        for m, rule in _SUFFIX:
            if len(s) > len(m) and s.endswith(m):
                found.append((rule, m, "suffix"))
                s = s[: -len(m)]
                break

    percent_word = s.startswith(_PERCENT_WORD)
    if percent_word:
        s = s[len(_PERCENT_WORD) :]

    if not s:
        raise _RuleError("no figure")
    if s.startswith(_VAGUE_STARTS):
        raise _RuleError("vague count (数, 几, 上万 ...) is not a figure")

    inner_place = False
    mag_text = ""
    m = _ARABIC.match(s)
    if m:
        number = Decimal(m.group(1).replace(",", "") + ("." + m.group(2) if m.group(2) else ""))
        decimals = len(m.group(2) or "")
        pos = m.end()
        has_magnitude = False
        mag_pattern = _ARABIC_MAGNITUDES
        allowed = _MAGNITUDE
    elif s[0] in _CN_CHARS:
        end = 0
        while end < len(s) and s[end] in _CN_CHARS:
            end += 1
        run = s[:end]
        if run[-1] in _CN_PLACES and _place_unit_at(s, end - 1):
            raise _RuleError(f'"{s}" is ambiguous between a numeral and the unit {s[end - 1 :]}')
        decimals = 0
        frac = ""
        if s.startswith("点", end) and end + 1 < len(s) and s[end + 1] in _CN_DIGITS:
            j = end + 1
            while j < len(s) and s[j] in _CN_DIGITS:
                j += 1
            frac = "".join(str(_CN_DIGITS[c]) for c in s[end + 1 : j])
            decimals = len(frac)
            end = j
        try:
            whole = _cn_int(run)
        except ValueError as e:
            raise _RuleError(f"not a valid Chinese numeral: {e}") from None
        number = Decimal(f"{whole}.{frac}") if frac else Decimal(whole)
        body = run.rstrip("万亿")
        mag_text = run[len(body) :]
        has_magnitude = any(c in _CN_BIG for c in run)
        inner_place = any(c in _CN_PLACES for c in body)
        pos = end
        mag_pattern = _CHINESE_POST_MAGNITUDES
        allowed = _CN_BIG
    else:
        raise _RuleError("no figure (no Arabic or Chinese digits where the number should be)")

    mags = ""
    while pos < len(s):
        if _place_unit_at(s, pos):
            break
        if s[pos] in allowed:
            mags += s[pos]
            pos += 1
            continue
        if not s.startswith(_SUFFIX_MARKS, pos):
            break
        for mk, rule in _SUFFIX:
            if s.startswith(mk, pos):
                if any(slot == "suffix" for _, _, slot in found):
                    raise _RuleError(f'more than one qualifier after the figure ("{mk}" again)')
                nxt = s[pos + len(mk) : pos + len(mk) + 1]
                if nxt and nxt in allowed and not rule.before_magnitude:
                    raise _RuleError(f'"{mk}" cannot stand before the magnitude "{nxt}"')
                found.append((rule, mk, "suffix"))
                pos += len(mk)
                break
        else:
            break
    if not mag_pattern.fullmatch(mags):
        raise _RuleError(f'magnitude characters "{mags}" are not in a readable order')
    mag_text += mags
    has_magnitude = has_magnitude or bool(mags)
    scale = math.prod(_MAGNITUDE[c] for c in mags) if mags else 1

    unit = s[pos:]
    _check_unit(unit)
    if percent_word:
        if unit:
            raise _RuleError(f'unit "{unit}" after 百分之')
        unit = "%"
    return _Side(number, decimals, scale, mag_text, has_magnitude, inner_place, unit, tuple(found))


def _single_rule(side: _Side) -> QualifierRule:
    if len(side.rules) < 2:  # as in nearly every expression: one marker or none
        return side.rules[0][0] if side.rules else _EXACT
    rules = {r.name: r for r, _, _ in side.rules}
    if len(rules) > 1:
        marks = " and ".join(f'"{mk}"' for _, mk, _ in side.rules)
        raise _RuleError(f"conflicting qualifiers {marks}")
    return next(iter(rules.values()), QUALIFIERS["exact"])


# --------------------------------------------------------------------------------------------
# Expressions


def _split_between(s: str) -> tuple[QualifierRule, str, str] | None:
    if _ANY_BETWEEN(s) is None:  # as in most expressions: a single figure
        return None
    hits = []
    for m, rule in _BETWEEN:
        start = 0
        while (i := s.find(m, start)) != -1:
            start = i + len(m)
            # 至少 is a prefix marker, not the 至 of a range.
            if any(s.startswith(pm, i) for pm, _ in _PREFIX):
                continue
            hits.append((i, m, rule))
    if not hits:
        return None
    if len({r.name for _, _, r in hits}) > 1:
        raise _RuleError("mixes range and ratio separators")
    if len(hits) > 1:
        raise _RuleError(f"more than one {hits[0][2].name} separator")
    i, m, rule = hits[0]
    left, right = s[:i], s[i + len(m) :]
    if not left or not right:
        raise _RuleError(f'{rule.name} separator "{m}" needs a figure on each side')
    return rule, left, right


def _read_ratio_term(s: str) -> Figure:
    side = _read_side(s)
    if side.rules or side.unit or side.scale != 1 or side.mag_text:
        raise _RuleError(f'ratio term "{s}" must be a bare number')
    return side.figure()


def _read_range(left: str, right: str) -> tuple[tuple[Figure, Figure], str]:
    hi = _read_side(right)
    lo = _read_side(left)
    if lo.rules or hi.rules:
        raise _RuleError("a qualifier inside a range is not read")
    if not lo.has_magnitude and not lo.unit and hi.mag_text:
        if hi.inner_place and not lo.inner_place and lo.number < 10:
            raise _RuleError(
                f'the start "{left}" could borrow "{hi.mag_text}" or more of "{right}"; write both ends in full'
            )
        lo = _read_side(left + hi.mag_text)
    if lo.unit and hi.unit and lo.unit != hi.unit:
        raise _RuleError(f'range ends have different units "{lo.unit}" and "{hi.unit}"')
    return (lo.figure(), hi.figure()), hi.unit or lo.unit


def _to_float(x: Decimal) -> float:
    f = float(x)
    if not math.isfinite(f) and (math.isnan(f) or not x.is_infinite()):
        raise _RuleError("figure is too large to represent")
    return f


def _quantity(text: str, rule: QualifierRule, b: Bounds, unit: str) -> Quantity:
    return Quantity(
        text=text,
        value=None if b.value is None else _to_float(b.value),
        low=_to_float(b.low),
        high=_to_float(b.high),
        low_closed=b.low_closed and not b.low.is_infinite(),
        high_closed=b.high_closed and not b.high.is_infinite(),
        qualifier=rule.name,
        unit=unit,
    )


def _parse_impl(text: str) -> Quantity:
    if not isinstance(text, str):
        raise TypeError(f"parse_quantity expects a str, not {type(text).__name__}")
    s = "".join(_nfkc(text).split())
    if not s:
        raise QuantityError(text, "empty expression")
    try:
        with localcontext() as ctx:
            # Ample precision so that products of 亿-scale figures and decimals stay exact.
            ctx.prec = 60
            split = _split_between(s)
            if split is None:
                side = _read_side(s)
                rule = _single_rule(side)
                b = rule.bounds((side.figure(),))
                unit = side.unit
            elif split[0].name == "ratio":
                rule, left, right = split
                b = rule.bounds((_read_ratio_term(left), _read_ratio_term(right)))
                unit = "ratio"
            else:
                rule, left, right = split
                figs, unit = _read_range(left, right)
                b = rule.bounds(figs)
            return _quantity(text, rule, b, unit)
    except _RuleError as e:
        raise QuantityError(text, str(e)) from None


# Quantities are immutable, and records repeat expressions (家 counts, percentages), so parsed
# results are kept; errors are not cached and are raised again on every call.
_parse_cached = lru_cache(maxsize=1 << 16)(_parse_impl)


def parse_quantity(text: str) -> Quantity:
    """Parse one quantity expression into the interval it asserts.

    Parameters
    ----------
    text : str
        The expression, e.g. ``'720多万'``, ``'近14万元'``, ``'1万-3万'``, ``'1∶36.5'``.
        Full-width characters and whitespace are tolerated.

    Returns
    -------
    Quantity
        The stated figure, interval bounds and closedness, qualifier and unit. The rules
        are those of :data:`QUALIFIERS`; see the module docstring.

    Raises
    ------
    QuantityError
        If ``text`` is not a quantity these rules can read; the message says why.
    TypeError
        If ``text`` is not a string.

    Examples
    --------
    >>> q = parse_quantity("720多万")
    >>> (q.value, q.low, q.high, q.high_closed, q.qualifier, q.unit)
    (7200000.0, 7200000.0, 7300000.0, False, 'more_than', '')
    >>> parse_quantity("近14万元").low
    126000.0
    """
    if not isinstance(text, str):
        raise TypeError(f"parse_quantity expects a str, not {type(text).__name__}")
    return _parse_cached(text)
