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
  ``大类``), if it is a known one (see below). ``千克 千米 千瓦 千伏 千帕 千卡 百分点`` are read
  as units, not as 千/百 times a unit.

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

Bounds, vague counts, shares and growth
---------------------------------------
at_least, at_most, below
    Bound words on either side of the figure, also after its measure word (``2万元以下``,
    ``5个工作日内``, ``2万元起``, ``起码2天``, ``不足50人``): see :data:`QUALIFIERS` for each word and
    whether its end is open. A verb may stand between a bound word and its figure (``起码要2天``).
vague, around, adjacent
    ``十几`` [11, 20), ``几十`` [20, 100), ``数百`` [200, 1000), ``上千`` [1000, 10000);
    ``十来个`` and ``万把元`` 90% to 110% of the figure; ``三四十`` [30, 40], ``一两`` [1, 2].
doubling, growth_multiple
    ``翻一番`` 2 倍, ``翻两番`` 4 倍; ``增长3倍`` [3, 4] 倍, both readings of the phrase.
Shares
    ``三成`` 30%, ``近六成`` [54, 60)%, ``七八成`` [70, 80]%, ``三分之一`` 33.3...%, ``千分之五``
    5‰, ``一半``/``半数`` 50%, ``过半`` (50, inf)%. A half after a unit adds 0.5 (``两年半``,
    ``一个半月``; ``半年`` is 0.5 年).
Growth
    ``同比增长15.3%`` (also 增长, 增加, 提高, 上升 after 同比, 环比, 比上年 ...) is read as its
    figure, with :attr:`Quantity.growth` set.
Written numerals
    Years digit by digit (``二〇一四年``); financial numerals (``壹佰万元``, ``拾``, ``佰``, ``仟``).

A measure word must be one of :data:`MEASURE_WORDS` or of the ``units`` a caller passes (the
codebook's): any other text after the figure is an error naming it, never a unit.

What is refused
---------------
Anything the rules above do not cover raises :class:`QuantityError`, whose message names
the expression and the reason: an empty string, no figure at all, an unknown measure word,
two conflicting qualifiers (``近100人以上``), a qualifier on a vague count, a marker
repeated in the same slot, a qualifier inside a range, a range whose low end exceeds its
high end, ``多``/``余`` on a figure with no nonzero digit, ``近0``, a ratio whose first term is
zero, ``起`` right after a bare figure (``5起``, also the measure word for cases), superscripts,
circled and enclosed numerals (``10²家``, ``①``), list markers and ordinals (``1、``, ``第一``),
words and figures of speech (``千家万户``, ``成千上万``, ``一次性``) and figures too large for a
float. The parser never guesses and never returns NaN.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Collection
from dataclasses import dataclass
from decimal import Decimal, localcontext
from functools import lru_cache
from typing import NamedTuple

from govcases.records.intervals import format_interval

__all__ = [
    "MEASURE_WORDS",
    "QUALIFIERS",
    "Bounds",
    "Figure",
    "QualifierRule",
    "Quantity",
    "QuantityError",
    "parse_quantity",
    "qualifier_table",
    "whole_figure_in",
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
        Shares (``三成``, ``三分之一``, ``一半``) are in percent, unit ``'%'``.
    growth : bool
        Whether the figure is stated as a change from an earlier level (``同比增长15.3%``,
        ``增长3倍``) rather than as a level.
    """

    text: str
    value: float | None
    low: float
    high: float
    low_closed: bool
    high_closed: bool
    qualifier: str
    unit: str
    growth: bool = False

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


_SLOTS = ("prefix", "suffix", "between", "form")


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
        unit), ``'between'`` (between two figures) or ``'form'`` (part of how the numeral itself
        is written, like 几 in 十几 or 翻…番; read by dedicated code, not as a free marker).
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


_ZERO = Decimal(0)


def _at_most(figs: tuple[Figure, ...]) -> Bounds:
    (f,) = figs
    if f.amount <= 0:
        raise _RuleError("以下/以内/不超过 needs a positive figure as its upper end")
    return Bounds(f.amount, _ZERO, f.amount, True, True)


def _below(figs: tuple[Figure, ...]) -> Bounds:
    (f,) = figs
    if f.amount <= 0:
        raise _RuleError("不足/不到 needs a positive figure to fall below")
    return Bounds(f.amount, _ZERO, f.amount, True, False)


def _vague(figs: tuple[Figure, ...]) -> Bounds:
    (f,) = figs  # amount: the smallest figure the words allow; step: the width of the span
    return Bounds(None, f.amount, f.amount + f.step, True, False)


def _around(figs: tuple[Figure, ...]) -> Bounds:
    (f,) = figs
    return Bounds(f.amount, f.amount * Decimal("0.9"), f.amount * Decimal("1.1"), True, True)


def _adjacent(figs: tuple[Figure, ...]) -> Bounds:
    lo, hi = figs
    return Bounds(None, lo.amount, hi.amount, True, True)


def _growth_multiple(figs: tuple[Figure, ...]) -> Bounds:
    (f,) = figs
    return Bounds(None, f.amount, f.amount + 1, True, True)


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
            ("以上", "起", "不少于", "不低于", "至少", "起码", "最少"),
            ("suffix", "suffix", "prefix", "prefix", "prefix", "prefix", "prefix"),
            "以上 or 起 after a figure (or after its unit), or 不少于, 不低于, 至少, 起码 or 最少 "
            "before it, means the figure or more, with no upper bound (以上 includes the figure, "
            "as in Chinese statute usage). 起 right after a bare figure is refused: it is also "
            "the measure word for cases (5起).",
            _at_least,
            "10%以上",
        ),
        QualifierRule(
            "at_most",
            ("以下", "以内", "内", "封顶", "不超过", "最多", "至多", "最高"),
            ("suffix", "suffix", "suffix", "suffix", "prefix", "prefix", "prefix", "prefix"),
            "以下, 以内, 内 or 封顶 after a figure (or after its unit), or 不超过, 最多, 至多 or "
            "最高 before it, means from zero up to and including the figure (以下 and 以内 include "
            "the figure, as in Chinese statute usage; the figures so bounded are counts, sums, "
            "durations and shares, none below zero).",
            _at_most,
            "2万元以下",
        ),
        QualifierRule(
            "below",
            ("不足", "不到", "低于", "未满", "不满"),
            ("prefix",) * 5,
            "不足, 不到, 低于, 未满 or 不满 before a figure means from zero up to but not including the figure.",
            _below,
            "不足50人",
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
        QualifierRule(
            "vague",
            ("几", "数", "好几", "上"),
            ("form",) * 4,
            "A vague count spans the figures its words allow: X十几 fills the ones with 1 to 9 "
            "(十几 is [11, 20), 二十几 [21, 30)); 几 or 数 before a place means two to nine of "
            "it (几十 is [20, 100), 数百 [200, 1000)); 上 before a place means reaching it "
            "(上千 is [1000, 10000)). The upper end is open because 十几万 can be 19.5万. "
            "成千上万 and 成百上千 are refused: figures of speech with no defensible bounds.",
            _vague,
            "十几个",
        ),
        QualifierRule(
            "around",
            ("来", "把"),
            ("form", "form"),
            "来 or 把 after a round Chinese figure (十来个, 百来人, 万把元) means about that "
            "figure, usually a little under and sometimes a little over (Xiandai Hanyu Cidian); "
            "we take 90% to 110% of it, ends included: the 近 band on both sides.",
            _around,
            "十来个",
        ),
        QualifierRule(
            "adjacent",
            ("三四十", "一两", "七八成", "三五"),
            ("form",) * 4,
            "Two neighbouring digits written together (一两, 三四十, 十五六, 七八成; also 三五) "
            "mean a figure from the smaller to the larger reading, both included.",
            _adjacent,
            "三四十家",
        ),
        QualifierRule(
            "doubling",
            ("翻番", "翻一番", "翻两番"),
            ("form",) * 3,
            "翻一番 (翻番) means doubled, 翻两番 four times as many: 2 to the power of the number "
            "of 番, in 倍 (times as many as before).",
            _exact,
            "翻了一番",
        ),
        QualifierRule(
            "growth_multiple",
            ("增长", "增加", "提高", "上升"),
            ("form",) * 4,
            "增长N倍 (增加, 提高, 上升) is read both ways the texts use it: N+1 times as many (grew by N "
            "times the base) or N times as many (loose usage); the interval [N, N+1] in 倍 keeps "
            "both, and no single figure is stated.",
            _growth_multiple,
            "增长3倍",
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
_UNIT_EXTRA = frozenset("%‰°/·")

#: Measure words and units a figure may carry (after NFKC folding), besides any a caller passes
#: as ``units`` (the codebook's). What is left after a figure must be one of them, or the
#: expression is refused naming the unknown part: a unit is never "whatever text is left".
MEASURE_WORDS = frozenset(
    (
        "家",
        "个",
        "名",
        "人",
        "位",
        "户",
        "人次",
        "次",
        "场",
        "场次",
        "家次",
        "届",
        "期",
        "批",
        "轮",
        "元",
        "美元",
        "%",
        "‰",
        "倍",
        "个百分点",
        "百分点",
        "平方米",
        "平方公里",
        "平方千米",
        "公顷",
        "亩",
        "千米",
        "公里",
        "米",
        "千克",
        "公斤",
        "吨",
        "千瓦",
        "m2",
        "km2",
        "大类",
        "小类",
        "大项",
        "小项",
        "项",
        "种",
        "类",
        "级",
        "星",
        "所",
        "座",
        "处",
        "间",
        "套",
        "件",
        "份",
        "条",
        "篇",
        "本",
        "册",
        "部",
        "支",
        "队",
        "组",
        "张",
        "台",
        "辆",
        "块",
        "只",
        "例",
        "日",
        "天",
        "个工作日",
        "工作日",
        "个月",
        "月",
        "年",
        "周",
        "个小时",
        "小时",
        "分钟",
        "岁",
        "课时",
        "学时",
        "床",
        "趟",
        "镇",
        "街",
        "街道",
        "村",
        "社区",
    )
)

# Vague counts (the "vague" rule): 几/数/好几 or 上 before a run of place characters, or 几 after
# a numeral ending in 十.
_VAGUE_LEAD = re.compile(r"(好几|几|数|上)([十百千万亿]+)")
_VAGUE_TAIL = re.compile(r"([一二两三四五六七八九]?十)几")
# Two neighbouring digits (一两, 三四十, 十五六, 七八成) or the fixed pair 三五 (the "adjacent" rule).
_ADJACENT = re.compile(r"(十)?([一两二三四五六七八九])([两二三四五六七八九])([十百千]?)")
# 翻一番, 翻了两番, 翻番 (the "doubling" rule) and 增长3倍 (the "growth_multiple" rule).
_DOUBLING = re.compile(r"翻了?([一二两三四]?)番")
_GROWTH = re.compile(r"(?:同比|环比|比上年|比去年|较上年|较去年|比上年同期|较上年同期)?(增长|增加|提高|上升)了?")
# Verbs between a bound word and its figure: 起码要2天, 最多需要3天.
_BOUND_VERB = ("需要", "只需", "只要", "要", "需", "有")
# Words and figures of speech that start with numerals: never figures (checked at the start only,
# because a numeral may run into them: 一万一千 holds 万一).
_IDIOMS = re.compile(
    "千家万户|成千上万|成百上千|千方百计|千辛万苦|千军万马|千头万绪|千变万化|千差万别|千千万万|万无一失|"
    "万众一心|一心一意|三心二意|一五一十|四面八方|五花八门|七上八下|乱七八糟|十全十美|一举两得|独一无二|"
    "一模一样|九牛一毛|一次性|一体化|一站式|一把手|一揽子|一系列|百姓"
)
_LIST_MARKER = re.compile(r"[(（][0-9一二三四五六七八九十]+[)）].*|[0-9一二三四五六七八九十]+[、.．]|第.*")
# Enclosed and dingbat numerals (①, ⑴, ⒈, ❶, ㈠, ㊀) have no reading as figures.
_ENCLOSED = ((0x2460, 0x24FF), (0x2776, 0x2793), (0x3220, 0x3243), (0x3280, 0x32B0))


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
        # Financial numerals (大写数字), written on cheques and budgets: 壹佰万元 reads as 一百万元.
        "壹": "一",
        "贰": "二",
        "貳": "二",
        "叁": "三",
        "參": "三",
        "肆": "四",
        "伍": "五",
        "陆": "六",
        "陸": "六",
        "柒": "七",
        "捌": "八",
        "玖": "九",
        "拾": "十",
        "佰": "百",
        "仟": "千",
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
# A range separator inside a prefix marker (至 in 至少, 到 in 不到) is not a range: (marker, offset).
_BETWEEN_IN_PREFIX = {
    b: tuple((pm, k) for pm, _ in _PREFIX for k in range(len(pm)) if pm.startswith(b, k)) for b, _ in _BETWEEN
}
_BOUND_RULES = frozenset({"at_least", "at_most", "below", "over"})
# 一半 and 半数 are half of a whole; 过半 more than half.
_HALF_WORDS = {"一半": None, "半数": None, "过半": QUALIFIERS["over"], "过半数": QUALIFIERS["over"]}
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
    form: QualifierRule | None = None  # a rule the numeral's own form implies (十几, 三四十)
    upper: Decimal | None = None  # the upper number of a vague or adjacent form, unscaled
    step: Decimal | None = None  # one unit in the last stated place, when not from the digits

    def figure(self) -> Figure:
        amount = self.number * self.scale
        if self.step is not None:
            return Figure(amount, self.step * self.scale)
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

    def figures(self) -> tuple[Figure, ...]:
        """The figures the side's rule takes: one, or two for an adjacent pair."""
        if self.form is not None and self.form.name == "vague":
            return (Figure(self.number * self.scale, (self.upper - self.number) * self.scale),)
        if self.form is not None and self.form.name == "adjacent":
            return (Figure(self.number * self.scale, None), Figure(self.upper * self.scale, None))
        return (self.figure(),)


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


def _known_unit(unit: str, units: frozenset[str] | None) -> bool:
    if not unit or unit in MEASURE_WORDS or (units is not None and unit in units):
        return True
    # 元/人, 人/万人: a rate of two known units
    head, sep, tail = unit.partition("/")
    return bool(sep and head and tail) and _known_unit(head, units) and _known_unit(tail, units)


def _unknown_unit(unit: str) -> _RuleError:
    return _RuleError(
        f'unknown measure word "{unit}" after the figure (not a measure word the parser or the '
        "codebook lists; add it to the codebook's units if it is one)"
    )


def _strip_prefix(s: str, found: list) -> str:
    if s.startswith(_PREFIX_MARKS):
        for m, rule in _PREFIX:
            if s.startswith(m):
                found.append((rule, m, "prefix"))
                s = s[len(m) :]
                break
        for m, _ in _PREFIX:
            if s.startswith(m):
                raise _RuleError(f'two qualifier markers "{found[0][1]}" and "{m}" before the figure')
        # 起码要2天, 最多需要3天: a verb may stand between a bound word and its figure
        if found[-1][0].name in _BOUND_RULES and s.startswith(_BOUND_VERB):
            for v in _BOUND_VERB:
                if s.startswith(v) and len(s) > len(v):
                    s = s[len(v) :]
                    break
    return s


def _read_form(s: str, units: frozenset[str] | None) -> _Side | None:
    """Read the numeral forms that are not a single figure: vague counts and adjacent digits."""
    m = _VAGUE_LEAD.match(s)
    form = None
    if m:
        lead, places = m.groups()
        try:
            p = _cn_int(places)  # 十 10, 百 100, 十万 100000
        except ValueError as e:
            raise _RuleError(f"not a valid vague count: {e}") from None
        if lead == "上":
            low, high = Decimal(p), Decimal(p * 10)
        else:  # 几/数/好几: two to nine of the place
            low, high = Decimal(2 * p), Decimal(10 * p)
        form, end = QUALIFIERS["vague"], m.end()
    elif (m := _VAGUE_TAIL.match(s)) is not None:
        base = _cn_int(m.group(1))
        low, high = Decimal(base + 1), Decimal(base + 10)
        form, end = QUALIFIERS["vague"], m.end()
    elif (m := _ADJACENT.match(s)) is not None:
        ten, d1, d2, place = m.groups()
        a, b = _CN_DIGITS[d1], _CN_DIGITS[d2]
        # 一 pairs only with 两 (一两); 两 comes second only after 一 (一二 could be 12 read digit by digit)
        pair_ok = (b == a + 1 and (d1 == "一") == (d2 == "两")) or (a, b) == (3, 5)
        if not pair_ok or (ten and place):
            return None
        p = _CN_PLACES.get(place, 1)
        low, high = Decimal(a * p + (10 if ten else 0)), Decimal(b * p + (10 if ten else 0))
        form, end = QUALIFIERS["adjacent"], m.end()
    if form is None:
        return None
    mags = ""
    while end < len(s) and s[end] in _CN_BIG:
        mags += s[end]
        end += 1
    if not _CHINESE_POST_MAGNITUDES.fullmatch(mags):
        raise _RuleError(f'magnitude characters "{mags}" are not in a readable order')
    scale = math.prod(_MAGNITUDE[c] for c in mags) if mags else 1
    unit = s[end:]
    if unit == "成" and form.name == "adjacent" and low < 10 and scale == 1:
        low, high, unit, scale = low * 10, high * 10, "%", 1  # 七八成 is 70% to 80%
    elif unit.startswith(("多", "余")) or unit.startswith(_SUFFIX_MARKS):
        raise _RuleError(f"a qualifier on a vague or two-digit figure is not read ({s})")
    else:
        _check_unit(unit)
        if not _known_unit(unit, units):
            raise _unknown_unit(unit)
    return _Side(low, 0, scale, mags, bool(mags), False, unit, (), form, high)


def _read_side(s: str, units: frozenset[str] | None = None) -> _Side:
    """Read ``[prefix] figure [多/余 and magnitudes] [unit] [suffix]`` from normalised ``s``."""
    found: list[tuple[QualifierRule, str, str]] = []

    if s.startswith(_PREFIX_MARKS):
        s = _strip_prefix(s, found)

    if s.endswith(_SUFFIX_MARKS):
        for m, rule in _SUFFIX:
            if len(s) > len(m) and s.endswith(m):
                found.append((rule, m, "suffix"))
                s = s[: -len(m)]
                break

    arabic_first = "0" <= s[:1] <= "9"
    # 一半, 半数, 过半: half of a whole, in percent
    if arabic_first:
        pass
    elif s in _HALF_WORDS:
        rule = _HALF_WORDS[s]
        if rule is not None:
            if found:
                raise _RuleError(f'two qualifiers "{found[0][1]}" and "过"')
            found.append((rule, "过", "prefix"))
        return _Side(Decimal(50), 0, 1, "", False, False, "%", tuple(found))
    # 半年, 半个月: half of one unit
    elif s.startswith("半") and _known_unit(s[1:], units) and s[1:]:
        return _Side(Decimal("0.5"), 1, 1, "", False, False, s[1:], tuple(found), step=Decimal("0.5"))

    percent_word = s.startswith(_PERCENT_WORD)
    if percent_word:
        s = s[len(_PERCENT_WORD) :]

    if not s:
        raise _RuleError("no figure")
    if arabic_first:
        pass
    elif s.startswith(("成千", "成百")):
        raise _RuleError("成千上万 and 成百上千 are figures of speech, not figures")
    elif s[0] in "几数上好十一二两三四五六七八九" and (not percent_word) and (side := _read_form(s, units)) is not None:
        if found:
            raise _RuleError(f'a qualifier "{found[0][1]}" on a vague or two-digit figure is not read')
        return side
    elif s.startswith(("数", "几", "好几", "上")):
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
    elif s[0] in _CN_CHARS or (s[0] == "点" and len(s) > 1 and s[1] in _CN_DIGITS):
        end = 0
        while end < len(s) and s[end] in _CN_CHARS:
            end += 1
        run = s[:end]
        if run and run[-1] in _CN_PLACES and _place_unit_at(s, end - 1):
            raise _RuleError(f'"{s}" is ambiguous between a numeral and the unit {s[end - 1 :]}')
        decimals = 0
        frac = ""
        if s.startswith("点", end) and end + 1 < len(s) and s[end + 1] in _CN_DIGITS:
            if not run:
                raise _RuleError("a decimal needs a whole part before 点 (零点五, not 点五)")
            j = end + 1
            while j < len(s) and s[j] in _CN_DIGITS:
                j += 1
            frac = "".join(str(_CN_DIGITS[c]) for c in s[end + 1 : j])
            decimals = len(frac)
            end = j
        if len(run) == 4 and s[end:] == "年" and all(c in _CN_DIGITS for c in run) and "两" not in run:
            # 二〇一四年: a year is written digit by digit
            whole = int("".join(str(_CN_DIGITS[c]) for c in run))
        else:
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
        # 来 follows 十/百/千/万 (十来个); 把 only 百/千/万 (万把元), since 十把 is also ten of something held
        approx = s[pos : pos + 1]
        if (
            approx in ("来", "把")
            and not frac
            and run[-1] in ("十百千万" if approx == "来" else "百千万")
            and not found
        ):
            # 十来个, 百来人, 万把元: about a round figure (the "around" rule)
            unit = s[pos + 1 :]
            _check_unit(unit)
            if not _known_unit(unit, units):
                raise _unknown_unit(unit)
            return _Side(number, 0, 1, mag_text, has_magnitude, inner_place, unit, (), QUALIFIERS["around"])
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
    step = None
    if not unit or unit in MEASURE_WORDS:
        pass  # as in nearly every expression
    elif unit == "成" and not percent_word:
        # 三成, 近六成: tenths of a whole, in percent; 三成多 counts up by one tenth
        if has_magnitude or number > 10:
            raise _RuleError("成 (tenths of a whole) takes a figure of at most ten")
        unit, scale, step = "%", 10, (Decimal(1).scaleb(-decimals) if decimals else Decimal(1))
    elif unit.startswith("分之") and not percent_word:
        return _read_fraction(number, decimals, scale, unit[2:], tuple(found), units)
    elif unit.endswith("半") and len(unit) > 1 and not has_magnitude and not decimals:
        # 两年半, 一个半月: a half after the unit
        head = unit[:-1]
        if head.startswith("个半"):
            raise _RuleError(f'"{unit}" has two halves')
        if _known_unit(head, units):
            unit, number, step = head, number + Decimal("0.5"), Decimal("0.5")
    elif unit.startswith("个半") and not has_magnitude and not decimals and _known_unit("个" + unit[2:], units):
        unit, number, step = "个" + unit[2:], number + Decimal("0.5"), Decimal("0.5")
    elif unit == "半" and number == 1 and not has_magnitude and not decimals:
        unit, number = "%", Decimal(50)  # 一半
    if unit != "%" or step is None:
        _check_unit(unit)
        if not _known_unit(unit, units):
            raise _unknown_unit(unit)
    if percent_word:
        if unit:
            raise _RuleError(f'unit "{unit}" after 百分之')
        unit = "%"
    if found and not unit and any(mk == "起" for _, mk, _ in found):
        raise _RuleError("起 right after a figure is also the measure word for cases (5起); write the unit before 起")
    return _Side(number, decimals, scale, mag_text, has_magnitude, inner_place, unit, tuple(found), step=step)


def _read_fraction(
    den: Decimal, decimals: int, scale: int, rest: str, found: tuple, units: frozenset[str] | None
) -> _Side:
    """三分之一, 3分之1, 千分之五: the numerator after 分之, over the figure read before it."""
    if decimals or den <= 0:
        raise _RuleError("分之 needs a whole positive figure before it")
    den = den * scale
    inner = _read_side(rest, units) if rest else None
    if inner is None or inner.rules or inner.form or inner.scale != 1 or inner.unit or inner.decimals:
        raise _RuleError(f'分之 needs a bare whole figure after it (got "{rest}")')
    if inner.number > den:
        raise _RuleError(f"a fraction above one ({inner.number}/{den}) is not a share")
    if any(r.name == "more_than" for r, _, _ in found):
        raise _RuleError("多/余 on a fraction is not read")
    # per mille for 千分之, percent otherwise
    if den == 1000:
        return _Side(inner.number, 0, 1, "", False, False, "‰", found)
    return _Side(inner.number * 100 / den, 0, 1, "", False, False, "%", found)


_PERIOD_UNITS = frozenset({"年", "个月", "月", "周", "天", "日"})


def _check_period(side: _Side) -> None:
    # 近3年, 近两个月, 近30天: "the last N years/months/days" far more often than "nearly N"
    if side.unit in _PERIOD_UNITS and any(mk == "近" for _, mk, _ in side.rules):
        raise _RuleError(
            f"近N{side.unit} usually means the last N {side.unit} (a period), not nearly N; it is not read"
        )


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
            # 至少, 不到: the separator is part of a prefix marker, not a range
            if any(s.startswith(pm, i - k) for pm, k in _BETWEEN_IN_PREFIX.get(m, ()) if i >= k):
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
    if side.rules or side.unit or side.scale != 1 or side.mag_text or side.form:
        raise _RuleError(f'ratio term "{s}" must be a bare number')
    return side.figure()


def _read_range(left: str, right: str, units: frozenset[str] | None) -> tuple[tuple[Figure, Figure], str]:
    hi = _read_side(right, units)
    lo = _read_side(left, units)
    if lo.rules or hi.rules:
        raise _RuleError("a qualifier inside a range is not read")
    if lo.form or hi.form:
        raise _RuleError("a vague or two-digit figure inside a range is not read")
    if not lo.has_magnitude and not lo.unit and hi.mag_text:
        if hi.inner_place and not lo.inner_place and lo.number < 10:
            raise _RuleError(
                f'the start "{left}" could borrow "{hi.mag_text}" or more of "{right}"; write both ends in full'
            )
        lo = _read_side(left + hi.mag_text, units)
    if lo.unit and hi.unit and lo.unit != hi.unit:
        raise _RuleError(f'range ends have different units "{lo.unit}" and "{hi.unit}"')
    return (lo.figure(), hi.figure()), hi.unit or lo.unit


def _to_float(x: Decimal) -> float:
    f = float(x)
    if not math.isfinite(f) and (math.isnan(f) or not x.is_infinite()):
        raise _RuleError("figure is too large to represent")
    return f


def _quantity(text: str, rule: QualifierRule, b: Bounds, unit: str, growth: bool = False) -> Quantity:
    return Quantity(
        text=text,
        value=None if b.value is None else _to_float(b.value),
        low=_to_float(b.low),
        high=_to_float(b.high),
        low_closed=b.low_closed and not b.low.is_infinite(),
        high_closed=b.high_closed and not b.high.is_infinite(),
        qualifier=rule.name,
        unit=unit,
        growth=growth,
    )


# The first characters of 翻…番 and of the growth phrases.
_FORM_STARTS = frozenset("翻同环比较增提上")
# Anything outside ASCII, CJK punctuation, the unified ideographs and full-width forms.
_UNCOMMON_CHAR = re.compile("[^\x00-\x7f\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]").search


def _refuse_glyphs(text: str) -> None:
    """Refuse superscripts, circled and enclosed numerals before NFKC turns them into digits."""
    for i, ch in enumerate(text):
        if ch < "\u0080" or "\u4e00" <= ch <= "\u9fff":
            continue
        o = ord(ch)
        tag = unicodedata.decomposition(ch).partition(" ")[0]
        if tag in ("<super>", "<sub>") and i and text[i - 1].isascii() and text[i - 1].isalpha():
            continue  # m², km²: a power of a Latin unit
        if tag in ("<super>", "<sub>", "<circle>", "<fraction>") or any(a <= o <= b for a, b in _ENCLOSED):
            raise _RuleError(
                f'"{ch}" is a superscript, circled or enclosed numeral (a footnote or list mark), not part of a figure'
            )


def _parse_impl(text: str, units: frozenset[str] | None = None) -> Quantity:
    if not isinstance(text, str):
        raise TypeError(f"parse_quantity expects a str, not {type(text).__name__}")
    try:
        # Most expressions are digits, CJK and ASCII only: the character checks below are skipped
        # for them by one search (parse_quantity is hot on a cold load of many records).
        if not text.isascii() and _UNCOMMON_CHAR(text) is not None:
            _refuse_glyphs(text)
        s = "".join(_nfkc(text).split())
        if not s:
            raise QuantityError(text, "empty expression")
        c0 = s[0]
        if not c0.isascii() and (idiom := _IDIOMS.match(s)) is not None:
            raise _RuleError(f'"{idiom.group()}" is a word or figure of speech, not a figure')
        if (c0 in "(（第" or s[-1] in "、.") and _LIST_MARKER.fullmatch(s):
            raise _RuleError("a list marker or an ordinal (第, 1、, (一)) is not a quantity")
        with localcontext() as ctx:
            # Ample precision so that products of 亿-scale figures and decimals stay exact.
            ctx.prec = 60
            growth = False
            if c0 not in _FORM_STARTS:
                pass
            elif (g := _DOUBLING.fullmatch(s)) is not None:
                n = _CN_DIGITS[g.group(1)] if g.group(1) else 1
                rule = QUALIFIERS["doubling"]
                return _quantity(text, rule, rule.bounds((Figure(Decimal(2**n), None),)), "倍")
            elif (g := _GROWTH.match(s)) is not None and g.end() < len(s):
                growth, s = True, s[g.end() :]
                if s.endswith("倍"):
                    side = _read_side(s, units)
                    if side.rules or side.form or side.scale != 1:
                        raise _RuleError("a qualifier on a growth multiple (增长N倍) is not read")
                    rule = QUALIFIERS["growth_multiple"]
                    return _quantity(text, rule, rule.bounds((side.figure(),)), "倍", True)
            split = _split_between(s)
            if split is None:
                side = _read_side(s, units)
                if side.form is not None:
                    rule = side.form
                    b = rule.bounds(side.figures())
                else:
                    if side.rules and side.unit in _PERIOD_UNITS:
                        _check_period(side)
                    rule = _single_rule(side)
                    b = rule.bounds((side.figure(),))
                unit = side.unit
            elif split[0].name == "ratio":
                rule, left, right = split
                b = rule.bounds((_read_ratio_term(left), _read_ratio_term(right)))
                unit = "ratio"
            else:
                rule, left, right = split
                figs, unit = _read_range(left, right, units)
                b = rule.bounds(figs)
            if growth and unit == "倍":
                raise _RuleError("a qualifier on a growth multiple (增长N倍) is not read")
            return _quantity(text, rule, b, unit, growth)
    except _RuleError as e:
        raise QuantityError(text, str(e)) from None


@lru_cache(maxsize=1 << 16)
def quantity_fields(text: str, units: frozenset[str] | None = None) -> tuple:
    """The fields of the :class:`Quantity` ``text`` parses to, in their order (``units`` a frozenset or None)."""
    # Records repeat expressions (家 counts, percentages), so parsed results are kept; errors are
    # not cached and are raised again on every call. They are kept as tuples of texts, numbers and
    # booleans, which the garbage collector stops tracking, not as Quantity objects, which it
    # tracks: 65,536 cached Quantity objects made two of the four full collections of a cold load
    # of 180,000 facts, about 0.3 s. The loader reads these fields; parse_quantity makes a Quantity.
    q = _parse_impl(text, units)
    return (q.text, q.value, q.low, q.high, q.low_closed, q.high_closed, q.qualifier, q.unit, q.growth)


def parse_quantity(text: str, *, units: Collection[str] | None = None) -> Quantity:
    """Parse one quantity expression into the interval it asserts.

    Parameters
    ----------
    text : str
        The expression, e.g. ``'720多万'``, ``'近14万元'``, ``'1万-3万'``, ``'1∶36.5'``.
        Full-width characters and whitespace are tolerated.
    units : collection of str, optional
        Measure words accepted besides :data:`MEASURE_WORDS` (a codebook's units). Any other
        text after the figure is refused, naming it.

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
    if units is not None and not isinstance(units, frozenset):
        units = frozenset(units)
    return Quantity(*quantity_fields(text, units))


# --------------------------------------------------------------------------------------------
# A value against its quote

# Words that end in a marker character without being the marker: 签约3家 is not 约3家.
_NOT_MARKER_WORDS = (
    "签约",
    "节约",
    "预约",
    "特约",
    "制约",
    "履约",
    "合约",
    "最近",
    "附近",
    "就近",
    "邻近",
    "临近",
    "高超",
    "赶超",
)
# Words after a figure that begin with a bound character without being the bound: 3家起草单位.
_NOT_BOUND_WORDS = ("起草", "起到", "起来", "起诉", "起义", "起因", "内设", "内部", "内容")
# After a figure that ends in a digit or numeral these continue it: 三成, 三分之一, 十几, 十来个, 两年半.
# A thousands group: exactly three digits after the comma (1,655), not a CSV field (2020,113127).
_THOUSANDS_HEAD = re.compile(r"\d{3}(?!\d)")
_THOUSANDS_TAIL = re.compile(r",\d{3}(?!\d)")
_NUMERAL_TAILS = ("成", "分之", "几", "来", "把", "半")


def _glued(q: str, a: int, b: int, v: str) -> bool:
    """Whether ``q[a:b]`` (which equals ``v``) is only part of a longer figure or lacks a qualifier."""
    before, after = q[:a], q[b:]
    v0, v1 = v[0], v[-1]
    numeral0 = v0.isdigit() or v0 in _CN_CHARS
    numeral1 = v1.isdigit() or v1 in _CN_CHARS
    if before:
        left = before[-1]
        if numeral0 and (left.isdigit() or left in ".．" or (v0 in _CN_CHARS and left in _CN_CHARS)):
            return True
        # a thousands comma (1,655) continues a figure; a prose or CSV comma does not
        if numeral0 and left == "," and before[-2:-1].isdigit() and _THOUSANDS_HEAD.match(v):
            return True
        if numeral0 and before.endswith("分之"):
            return True
        if (
            not v.startswith(_PREFIX_MARKS)
            and before.endswith(_PREFIX_MARKS)
            and not before.endswith(_NOT_MARKER_WORDS)
        ):
            return True
    if after:
        right = after[0]
        if numeral1 and (right.isdigit() or right in "%‰％.．" or right in _CN_CHARS):
            return True
        if numeral1 and right == "," and _THOUSANDS_TAIL.match(after):
            return True
        if numeral1 and after.startswith(_NUMERAL_TAILS):
            return True
        if after.startswith(_SUFFIX_MARKS) and not v.endswith(_SUFFIX_MARKS) and not after.startswith(_NOT_BOUND_WORDS):
            return True
        if right == "半":
            return True
    return False


def _occurs_whole(v: str, q: str) -> bool:
    start = 0
    while (i := q.find(v, start)) != -1:
        if not _glued(q, i, i + len(v), v):
            return True
        start = i + 1
    return False


def whole_figure_in(value: str, quote: str) -> bool:
    """Tell whether a value occurs in its quote as a whole figure, with the quote's qualifier.

    A value that is only part of a figure (``33家`` in ``共333家``, ``0家`` in ``近2000家``) or
    leaves out a qualifier the quote gives (``千万`` for ``近千万``, ``3万`` for ``3万余名``,
    ``10%`` for ``10%以上``, ``60日`` for ``60日内``) does not count: it would be read as a
    different figure. An occurrence counts when nothing that continues a figure stands right
    before it (a digit, a numeral, a qualifier marker of :data:`QUALIFIERS`, 分之) or right after
    it (a digit, a numeral, a magnitude, %, 多/余 and the other suffix markers, 成, 几, 来, 半 ...).

    Parameters
    ----------
    value : str
        The value as a record writes it.
    quote : str
        The quote it should occur in. Both are compared as given and, failing that, after the
        parser's own folding (NFKC, the Traditional forms of numerals, whitespace removed).

    Returns
    -------
    bool
        True when at least one occurrence of ``value`` in ``quote`` is a whole figure.

    Examples
    --------
    >>> whole_figure_in("333家", "全区社会组织共333家")
    True
    >>> whole_figure_in("33家", "全区社会组织共333家"), whole_figure_in("3万", "志愿者3万余名")
    (False, False)
    """
    if not value:
        return False
    if value in quote and _occurs_whole(value, quote):
        return True
    v, q = "".join(_nfkc(value).split()), "".join(_nfkc(quote).split())
    return bool(v) and (v != value or q != quote) and _occurs_whole(v, q)
