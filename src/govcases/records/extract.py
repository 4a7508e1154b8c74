"""Find the figures in a source and draft a district record from them.

Writing a new district record starts from the source: every figure the page states is a
possible fact. :func:`find_quantities` lists them from the clean text of a source, each with
the sentence it stands in and the interval :func:`govcases.parse_quantity` reads from it, and
:func:`draft_record` turns that list into a YAML record whose facts still lack an indicator,
a basis, an English rendering and a reference period. A person fills those in (or deletes the
fact), and the record then validates like any other. ``govcases extract SOURCE.txt`` runs both.

What counts as a candidate
--------------------------
* An Arabic figure (full-width digits too, decimals, thousands commas ``1,655``) with at least
  one of: a qualifier before it (``近``, ``约``, ``超过`` and the other prefix markers of
  :data:`govcases.records.quantity.QUALIFIERS`), a magnitude (``万 亿 千 百 十``), ``多``/``余`` on
  either side of the magnitude (``3万余名``, ``200余万元``), a measure word, ``以上``/``左右``
  after it. A bare number (``1+3+X``, ``3A``, the ``3.`` of a numbered list) is not listed.
* A percentage (``15%``, ``百分之十五``), a range (``1万-3万``, ``5至10人``) and a ratio
  (``1∶36.5``, written ``1:36.5`` in clean text).
* A Chinese-numeral figure with a measure word (``两家``, ``五大类``) or with a qualifier and a
  place or magnitude character (``百余个``, ``近千万``, ``超过千人``). A bare ``百``/``千``/``万``
  needs a qualifier, since alone it is an idiom (``千家万户``) more often than a count.
* Tenths (``三成``) and vague counts (``数百家``, ``十几个``, ``上千人``), which the parser reads
  as intervals. An expression the parser refuses is listed with its error, never dropped; a
  figure standing alone inside quotation marks (the “三成” model) is a name and is not listed.
* A four-digit year directly before ``起`` or ``以来`` (``2012年起``), or after ``自``/``从`` with
  the ``以来`` later in the clause (``自2008年成立联合会以来``), as kind ``"year"``: the start of
  a period, or the value of a year indicator.

Measure words are the ``measure_words`` of the codebook's ``units``
(``casebook/codebook.yaml``); extending a unit there extends what is found here.

What is skipped: dates and times (``2015年``, ``4月21日``, ``2013年底``, ``2015-04-21 00:14:47``,
``9:30``; but ``1:20`` stays a ratio),
ordinals (``第一家``), rate denominators (``每万人``), list numbering (``一是``, ``3.``) and a
``从X到Y`` change, whose two ends are listed as separate figures rather than as a range.
"""

from __future__ import annotations

import bisect
import json
import re
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from govcases.records.characters import escape_forbidden
from govcases.records.codebook import LoadedCodebook, load_codebook
from govcases.records.intervals import format_interval
from govcases.records.models import AREA_KINDS, PLACEHOLDER
from govcases.records.quantity import (
    _PLACE_UNITS,
    QUALIFIERS,
    Quantity,
    QuantityError,
    parse_quantity,
)

__all__ = [
    "PLACEHOLDER",
    "Candidate",
    "draft_record",
    "find_quantities",
    "format_draft",
    "placeholders",
    "skipped_numbers",
    "summary_line",
]

#: What the draft writes where a person has to supply a value.

# A district slug that also works as the first part of a fact id: fact ids allow no underscore
# (models.FACT_ID), so a slug with one would make every fact id of the draft invalid.
_DISTRICT_SLUG = re.compile(r"[a-z][a-z0-9]*")


@dataclass(frozen=True)
class Candidate:
    """One figure found in a clean text.

    Attributes
    ----------
    expression : str
        The figure exactly as the clean text writes it (``'近430家'``, ``'1:36.5'``).
    quote : str
        The sentence or clause it stands in: the text between the nearest sentence breaks
        (``。 ！ ？ ；`` in full or half width, and line breaks), stripped of surrounding
        whitespace, and cut to :data:`MAX_QUOTE_CHARS` around the figure when longer. Always a
        verbatim substring of the clean text.
    start : int
        Offset of ``expression`` in the clean text.
    kind : str
        ``'quantity'`` for a figure given to :func:`govcases.parse_quantity`; ``'year'`` for a
        year before 起/以来, which is not parsed as a quantity.
    quantity : Quantity or None
        What the parser reads from ``expression``; None for a year or an expression it refuses.
    error : str or None
        The parser's message when it refuses ``expression``; None otherwise.
    also : tuple of (int, str)
        Further places (offset, quote) where the same expression stands, as when a title repeats
        a figure of the text: one candidate, every place kept.
    """

    expression: str
    quote: str
    start: int
    kind: str
    quantity: Quantity | None
    error: str | None
    also: tuple[tuple[int, str], ...] = ()

    @property
    def parsed(self) -> bool:
        """Whether the expression was read (a year always is)."""
        return self.error is None

    @property
    def year(self) -> int | None:
        """The year of a ``'year'`` candidate, else None."""
        if self.kind != "year":
            return None
        return int(re.match(r"\d+", _fold_digits(self.expression)).group())


# ------------------------------------------------------------------------------ patterns
_DIGITS = "0-9０-９"
# Thousands commas only when exactly three digits follow: in clean text the prose comma is
# also ',', and 138,195 would otherwise swallow two figures of a list.
_ARABIC = rf"(?:[{_DIGITS}]{{1,3}}(?:,[{_DIGITS}]{{3}})+(?![{_DIGITS}])|[{_DIGITS}]+)(?:[.．][{_DIGITS}]+)?"
_CN_NUMERAL = "零〇一二两三四五六七八九十百千万亿"
_CN_DIGIT = "一二两三四五六七八九"


def _alternation(words) -> str:
    # Longest first, so that 人次 wins over 人 and 超过 over 超.
    return "|".join(re.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))


def _markers(slot: str, *, inner: bool | None = None) -> str:
    return _alternation(
        m
        for rule in QUALIFIERS.values()
        if inner is None or rule.before_magnitude == inner
        for m in rule.markers_in(slot)
    )


# Qualifier markers come from the parser's own table, so a marker it learns is found here too.
# A bound word may take a verb before its figure (起码要2天, 最多需要3天); the parser reads it.
_PREFIX = "(?:" + _markers("prefix") + ")(?:需要|只需|只要|要|需)?"
# Spaces (ASCII, no-break, ideographic) that may stand between the parts of one figure.
_SP = "[ \u00a0\u3000]?"
_INNER = _markers("suffix", inner=True)  # 多, 余: on either side of 万/亿
_OUTER = _markers("suffix", inner=False)  # 以上, 左右: after the measure word
_RATIO_SEPS = "∶:："
_RANGE = _alternation(m for m in QUALIFIERS["range"].markers)
# 千克, 百分点, ...: units that begin with a place character (the parser's own list), so that
# 5千米 is not read as 5千 followed by a stray 米.
_NOT_PLACE_UNIT = "(?!" + _alternation(_PLACE_UNITS) + ")"
_ARABIC_MAG = rf"(?:{_NOT_PLACE_UNIT}[十百千])?万?亿?"

# Dates and times are matched first and hide every figure inside them.
_SKIP = re.compile(
    "|".join(
        [
            rf"[{_DIGITS}]{{4}}[-/.][{_DIGITS}]{{1,2}}[-/.][{_DIGITS}]{{1,2}}(?:\s+[{_DIGITS}]{{1,2}}:[{_DIGITS}]{{2}}(?::[{_DIGITS}]{{2}})?)?",
            rf"(?<![{_DIGITS}:])[{_DIGITS}]{{1,2}}:[{_DIGITS}]{{2}}:[{_DIGITS}]{{2}}",
            # 2015年, 2019年5月, 2015年4月21日, 2013年底: a year is a date, never a count
            rf"(?<![{_DIGITS}])(?:1[89]|20)[0-9]{{2}}年(?:[{_DIGITS}]{{1,2}}月(?:[{_DIGITS}]{{1,2}}[日号])?)?",
            # 11月5日, and 11月5日~11日 with the end day of a span of dates
            rf"(?<![{_DIGITS}])[{_DIGITS}]{{1,2}}月[{_DIGITS}]{{1,2}}[日号]?(?:[-~〜至到—–][{_DIGITS}]{{1,2}}[日号])?",
            "[〇零一二三四五六七八九]{4}年",
            "[一二三四五六七八九十]{1,3}月[一二三四五六七八九十]{1,3}[日号]",
        ]
    )
)
# 2012年起, 2013年以来, and 自2008年 ... 以来 with the 以来 later in the same clause.
_YEAR = re.compile(
    rf"(?<![{_DIGITS}])(?:1[89]|20)[0-9]{{2}}年(?=起|以来)"
    rf"|(?<=[自从])(?:1[89]|20)[0-9]{{2}}年(?=[^。！？；!?;,，\n]*?(?:起|以来))"
)
# Characters that make the figure after them something other than a count: 第 an ordinal,
# 每 a denominator (每万人拥有 ...).
_NOT_A_COUNT_AFTER = frozenset("第每")
# 从X到Y / 由X至Y is a change between two figures, not a range.
_CHANGE_OPENERS = frozenset("从由自")
# Quotation marks end a quote too: a byline before an opening mark or a speaker after a closing
# one is not part of the sentence that states the figure.
_SENTENCE_BREAK = re.compile(r"[。！？；!?;\n“”「」『』]")


@dataclass(frozen=True)
class _Patterns:
    ratio: re.Pattern
    range: re.Pattern
    arabic: re.Pattern
    chinese: re.Pattern
    tenths: re.Pattern
    vague: re.Pattern


@lru_cache(maxsize=8)
def _patterns(measure_words: tuple[str, ...]) -> _Patterns:
    unit = _alternation(measure_words)
    sp = _SP
    side = rf"(?:{_ARABIC}|[{_CN_NUMERAL}]+)(?:{_INNER})?{_ARABIC_MAG}(?:{_INNER})?(?:{unit})?"
    return _Patterns(
        ratio=re.compile(
            rf"(?<![{_DIGITS}.．:∶：])(?P<a>{_ARABIC})[{_RATIO_SEPS}](?P<b>{_ARABIC})(?![{_DIGITS}]|[{_RATIO_SEPS}][{_DIGITS}])"
        ),
        range=re.compile(
            rf"(?<![{_DIGITS}.．{_CN_NUMERAL}])(?P<lo>{side})(?P<sep>{_RANGE})(?P<hi>{side})(?P<post>{_OUTER})?"
        ),
        # PDF and web copies put spaces between a figure's parts (近 20 家, 40 多万元): the parser
        # drops whitespace, so the parts are matched across it and the quote keeps it as written.
        arabic=re.compile(
            rf"(?<![{_DIGITS}.．A-Za-z])(?:(?P<pre>{_PREFIX}){sp})?(?P<pct>百分之)?(?P<num>{_ARABIC})"
            rf"(?:{sp}(?P<q1>{_INNER}))?(?P<mag>{_ARABIC_MAG})(?:{sp}(?P<q2>{_INNER}))?"
            rf"(?:{sp}(?P<unit>{unit}))?(?:{sp}(?P<post>{_OUTER}))?"
        ),
        chinese=re.compile(
            rf"(?:(?P<pre>{_PREFIX}){sp})?(?P<pct>百分之)?(?P<run>[{_CN_NUMERAL}]+)"
            rf"(?:{sp}(?P<q1>{_INNER}))?(?P<mag>万?亿?)(?:{sp}(?P<unit>{unit}))?(?:{sp}(?P<post>{_OUTER}))?"
        ),
        tenths=re.compile(rf"(?P<pre>{_PREFIX})?(?P<run>[{_CN_NUMERAL}]*[{_CN_DIGIT}])成(?P<post>{_OUTER})?"),
        vague=re.compile(
            rf"(?:(?P<lead>数|好几|几|上)(?P<run>[十百千万亿]+)(?:{_INNER})?(?P<unit>{unit})?"
            rf"|[{_CN_NUMERAL}]*[十百千]几(?P<unit2>{unit}))"
        ),
    )


def _measure_words(codebook: LoadedCodebook) -> tuple[str, ...]:
    # '' (no measure word) is not something to look for, and 'ratio' is the parser's name for
    # the unit of a∶b, not a word a page writes.
    words = {w for u in codebook.model.units.values() for w in u.measure_words}
    return tuple(sorted(words - {"", "ratio"}))


def _codebook(codebook: LoadedCodebook | Path | str | None) -> LoadedCodebook:
    if isinstance(codebook, LoadedCodebook):
        return codebook
    if codebook is None:
        from govcases.records.paths import project_paths

        codebook = project_paths()[0] / "codebook.yaml"
    return _load_codebook_cached(str(Path(codebook).resolve()))


@lru_cache(maxsize=4)
def _load_codebook_cached(path: str) -> LoadedCodebook:
    return load_codebook(path)


def _fold_digits(s: str) -> str:
    return s.translate({0xFF10 + i: str(i) for i in range(10)})


# ------------------------------------------------------------------------------ finding
def find_quantities(clean: str, *, codebook: LoadedCodebook | Path | str | None = None) -> list[Candidate]:
    """List every candidate figure in a clean text, in the order they occur.

    Parameters
    ----------
    clean : str
        The clean text of a source (:func:`govcases.records.sources.clean_text`); quotes are cut from
        it verbatim.
    codebook : LoadedCodebook or path-like, optional
        The codebook whose units supply the measure words; default ``casebook/codebook.yaml``.

    Returns
    -------
    list of Candidate
        One per figure, sorted by ``start``; no two overlap. Expressions the parser refuses are
        included with their ``error``. The module docstring says what is and is not listed.

    Examples
    --------
    >>> cands = find_quantities("2019年5月,全区共有社会组织近500家,志愿者1200余名。一是加强管理。")
    >>> [(c.expression, c.quantity.low, c.quantity.high) for c in cands]
    [('近500家', 450.0, 500.0), ('1200余名', 1200.0, 1300.0)]
    >>> cands[0].quote
    '2019年5月,全区共有社会组织近500家,志愿者1200余名'
    >>> find_quantities("推广“三成”模式,近三成以上的社区")[0].error
    'cannot parse quantity "近三成以上": conflicting qualifiers "近" and "以上"'
    """
    words = _measure_words(_codebook(codebook))
    pats = _patterns(words)
    # characters of accepted spans (earlier passes win): a mark per character keeps the overlap test
    # linear in the text, where a list of spans made a sentence of 20,000 figures take seconds
    taken = bytearray(len(clean))
    found: list[tuple[int, str, str]] = []  # (start, expression, kind)

    def mark(a: int, b: int) -> None:
        taken[a:b] = b"\x01" * (b - a)

    def free(a: int, b: int) -> bool:
        return taken.find(1, a, b) == -1

    def take(a: int, b: int, kind: str) -> None:
        mark(a, b)
        found.append((a, clean[a:b], kind))

    for m in _YEAR.finditer(clean):
        take(m.start(), m.end(), "year")
    for m in _SKIP.finditer(clean):
        if free(m.start(), m.end()):
            mark(*m.span())  # hidden, not listed

    for m in pats.ratio.finditer(clean):
        if not _is_clock_time(m) and free(*m.span()):
            take(*m.span(), "quantity")
    for m in pats.range.finditer(clean):
        if _is_range(clean, m) and free(*m.span()):
            take(*m.span(), "quantity")
    for m in pats.arabic.finditer(clean):
        if _arabic_is_figure(clean, m) and free(*m.span()):
            take(*m.span(), "quantity")
    for pattern, accept in (
        (pats.tenths, _tenths_is_figure),
        (pats.vague, _vague_is_figure),
        (pats.chinese, _chinese_is_figure),
    ):
        for m in pattern.finditer(clean):
            if accept(clean, m) and free(*m.span()):
                take(*m.span(), "quantity")

    # A figure standing alone between quotation marks is a name (the “三成” model), not a count.
    found = [f for f in found if not _quoted_name(clean, f[0], f[0] + len(f[1]))]
    breaks = [m.start() for m in _SENTENCE_BREAK.finditer(clean)]
    out = []
    for start, expression, kind in sorted(found):
        quote = _sentence(clean, breaks, start, len(expression))
        if kind == "year":
            out.append(Candidate(expression, quote, start, kind, None, None))
            continue
        try:
            out.append(Candidate(expression, quote, start, kind, parse_quantity(expression, units=words), None))
        except QuantityError as err:
            out.append(Candidate(expression, quote, start, kind, None, str(err)))
    return _merge_repeats(out)


def _merge_repeats(cands: list[Candidate]) -> list[Candidate]:
    """One candidate per expression and kind, the later places kept in ``also``."""
    first: dict[tuple[str, str], int] = {}
    merged: list[Candidate] = []
    for c in cands:
        key = (c.kind, c.expression)
        if key in first:
            k = first[key]
            merged[k] = replace(merged[k], also=(*merged[k].also, (c.start, c.quote)))
        else:
            first[key] = len(merged)
            merged.append(c)
    return merged


_OPEN_QUOTES, _CLOSE_QUOTES = '“‘「『"', '”’」』"'


def _quoted_name(clean: str, a: int, b: int) -> bool:
    return a > 0 and b < len(clean) and clean[a - 1] in _OPEN_QUOTES and clean[b] in _CLOSE_QUOTES


#: The longest quote a candidate gets: a longer sentence is cut to this many characters around
#: the figure, so that a page of one endless sentence full of figures is not copied into every
#: candidate. The sentences of real reports are shorter (the five sources' longest is about 200).
MAX_QUOTE_CHARS = 300


def _sentence(clean: str, breaks: list[int], pos: int, length: int) -> str:
    i = bisect.bisect_right(breaks, pos)
    begin = breaks[i - 1] + 1 if i else 0
    end = breaks[i] if i < len(breaks) else len(clean)
    if end - begin > MAX_QUOTE_CHARS:
        begin = max(begin, min(pos + length + (MAX_QUOTE_CHARS - length) // 2, end) - MAX_QUOTE_CHARS)
        end = min(end, begin + MAX_QUOTE_CHARS)
    return clean[begin:end].strip()


def _is_clock_time(m: re.Match) -> bool:
    # 9:30 and 14:05 are times of day. A ratio is usually 1:x (1:20 is a ratio, not 01:20),
    # so a first term of 1 or a second that is not two digits keeps the ratio reading.
    a, b = _fold_digits(m.group("a")), _fold_digits(m.group("b"))
    return a.isdigit() and a != "1" and int(a) <= 24 and len(b) == 2 and b.isdigit() and int(b) <= 59


def _before(clean: str, m: re.Match) -> str:
    return clean[m.start() - 1] if m.start() else ""


def _is_range(clean: str, m: re.Match) -> bool:
    lo, hi = m.group("lo"), m.group("hi")
    if _before(clean, m) in _NOT_A_COUNT_AFTER:
        return False
    if m.group("sep") in ("至", "到") and _before(clean, m) in _CHANGE_OPENERS:
        return False
    # Two bare numbers joined by a dash are a date, a phone number or a page range far more
    # often than a range of figures: an end needs a measure word (5-10人), or, with Arabic
    # digits, a magnitude (1万-3万). Chinese ends need a measure word, or 一至 in prose would do.
    if _has_measure_word(lo) or _has_measure_word(hi):
        return True
    arabic = any(ch in _DIGITS_SET for ch in lo + hi)
    return arabic and any(ch in "十百千万亿" for ch in lo + hi)


_DIGITS_SET = frozenset("0123456789０１２３４５６７８９")


def _has_measure_word(side: str) -> bool:
    """Whether a range end carries more than digits, magnitudes and 多/余."""
    return any(not (ch in _DIGITS_SET or ch in ",.．多余" or ch in _CN_NUMERAL) for ch in side)


def _arabic_is_figure(clean: str, m: re.Match) -> bool:
    if _before(clean, m) in _NOT_A_COUNT_AFTER:
        return False
    return any(m.group(g) for g in ("pre", "pct", "q1", "mag", "q2", "unit", "post"))


# 一次性, 一个门(一门式), 一站式: 一 with a measure word that is the start of a word, not a count.
_WORD_AFTER_ONE = frozenset("性化门式站线口体")


def _chinese_is_figure(clean: str, m: re.Match) -> bool:
    if _before(clean, m) in _NOT_A_COUNT_AFTER:
        return False
    if m.group("run") == "一" and m.group("unit") and clean[m.end() : m.end() + 1] in _WORD_AFTER_ONE:
        return False
    run = m.group("run")
    qualified = any(m.group(g) for g in ("pre", "q1", "post"))
    if m.group("pct"):
        return True
    if not any(ch in _CN_DIGIT or ch in "零〇十" for ch in run):
        # 百, 千, 万 alone: 千家万户, 万人空巷 and 每万人 are not counts; 百余个, 近千万 are.
        return qualified
    if m.group("unit"):
        return True
    # 近三年, 十八届: a numeral with a qualifier but neither a place nor a measure word is a
    # duration or a name, not a figure to record.
    return qualified and any(ch in "十百千万亿" for ch in run + m.group("mag"))


def _tenths_is_figure(clean: str, m: re.Match) -> bool:
    # 一成 is almost never a tenth in these texts but the tail of a word: 统一成立, 一成不变.
    return _before(clean, m) not in _NOT_A_COUNT_AFTER and m.group("run") != "一"


def _vague_is_figure(clean: str, m: re.Match) -> bool:
    if m.group("unit2"):
        return True  # 十几个
    if m.group("unit"):
        return True  # 数百家, 上千人
    # 数百万 without a measure word is still a sum of money; 成千上万 and 上万 alone are idioms.
    return m.group("lead") in ("数", "几", "好几") and any(ch in "万亿" for ch in m.group("run"))


# ------------------------------------------------------------------------------ the draft
def skipped_numbers(clean: str, candidates: list[Candidate]) -> list[str]:
    """The bare numbers of a clean text that are not listed: neither a candidate nor a date.

    Parameters
    ----------
    clean : str
        The clean text the candidates were found in.
    candidates : list of Candidate
        What :func:`find_quantities` listed for it.

    Returns
    -------
    list of str
        Every run of Arabic digits (with its decimal part) outside the candidates and outside
        dates and times, in order: list numbers, codes, numbers in names. A reader checks them.

    Examples
    --------
    >>> text = "2019年5月,共有社会组织近500家,其中3A级以上12家。"
    >>> skipped_numbers(text, find_quantities(text))
    ['3']
    """
    covered = [(a, a + len(c.expression)) for c in candidates for a in (c.start, *(s for s, _ in c.also))]
    covered += [m.span() for m in _SKIP.finditer(clean)]
    out = []
    for m in re.finditer(rf"[{_DIGITS}]+(?:[.．][{_DIGITS}]+)?", clean):
        if not any(a <= m.start() and m.end() <= b for a, b in covered):
            out.append(m.group())
    return out


def summary_line(candidates: list[Candidate], skipped: list[str] | None = None) -> str:
    """One line counting candidates: how many, how many parsed, which were not.

    Parameters
    ----------
    candidates : list of Candidate
    skipped : list of str, optional
        The bare numbers not listed (:func:`skipped_numbers`); counted at the end when given.

    Returns
    -------
    str

    Examples
    --------
    >>> summary_line(find_quantities("近500家,近三成以上"))
    '2 candidates, 1 parsed, 1 unparsed (近三成以上)'
    """
    bad = [c.expression for c in candidates if not c.parsed]
    line = f"{len(candidates)} candidates, {len(candidates) - len(bad)} parsed, {len(bad)} unparsed"
    line += f" ({', '.join(bad)})" if bad else ""
    if skipped is not None:
        line += f"; {len(skipped)} bare numbers not listed" + (f" ({', '.join(skipped[:10])})" if skipped else "")
        line += ", ..." if len(skipped) > 10 else ""
    return line


def _describe(c: Candidate, codebook: LoadedCodebook) -> str:
    """The comment above a fact: how the expression reads and which units it fits."""
    if c.kind == "year":
        return (
            f"{c.expression} -> year {c.year}, before 起/以来: the value of a year indicator, "
            "or the start of the period of a figure near it"
        )
    if c.error is not None:
        return f"{c.expression} -> NOT PARSED: {c.error}"
    q = c.quantity
    reading = format_interval(q.low, q.high, q.low_closed, q.high_closed, point=q.value)
    reading += f" {q.qualifier}"
    if q.unit and q.unit != "ratio":  # a ratio's unit is its qualifier, said once is enough
        reading += f", measure word {q.unit}"
    elif not q.unit:
        reading += ", no measure word"
    units = [k for k, u in codebook.model.units.items() if q.unit in u.measure_words]
    fits = f"; codebook units: {', '.join(units)}" if units else "; no codebook unit takes it"
    return f"{c.expression} -> {reading}{fits}"


def _s(text: str) -> str:
    # A JSON string is a valid YAML double-quoted scalar, whatever colons, quotes or '#' it holds.
    # A control character or direction mark of the source is written as an escape: it is not shown
    # raw, and validation names it in its field.
    return escape_forbidden(json.dumps(text, ensure_ascii=False))


def format_draft(
    candidates: list[Candidate],
    *,
    district: str,
    source_id: str,
    codebook: LoadedCodebook | Path | str | None = None,
) -> str:
    """Write candidates as a draft district record (YAML text).

    Parameters
    ----------
    candidates : list of Candidate
        As returned by :func:`find_quantities` on the source's clean text.
    district : str
        District slug: lower-case letters and digits, starting with a letter. It names the
        record and prefixes every fact id (``<district>-q001``, ...).
    source_id : str
        The source's id in ``data/raw/manifest.csv``.
    codebook : LoadedCodebook or path-like, optional
        Used to say, for each fact, which units take its measure word.

    Returns
    -------
    str
        A YAML document with ``district``, a ``profile`` of :data:`PLACEHOLDER` values apart from
        ``sources``, and one fact per candidate, each preceded by a comment giving the parsed
        value and interval (or the parser's error). Fields a person must fill hold
        :data:`PLACEHOLDER`; ``subject`` is null, to be filled where the indicator needs one.

    Raises
    ------
    ValueError
        If ``district`` is not a usable slug.

    Examples
    --------
    >>> text = format_draft(find_quantities("共有社会组织近500家。"), district="mou", source_id="mou-source")
    >>> print(text[text.index("  # 近500家"):].rstrip())
      # 近500家 -> 500 [450, 500) nearly, measure word 家; codebook units: organizations, organizations_per_10k
      - id: "mou-q001"
        indicator: "TODO"
        subject: null
        value: "近500家"
        basis: "TODO"
        source: "mou-source"
        quote: "共有社会组织近500家"
        english: "TODO"
        period:
          text: "TODO"
          start: "TODO"
          end: "TODO"
          reasoning: "TODO"
        confidence: "stated"
    """
    if not _DISTRICT_SLUG.fullmatch(district):
        raise ValueError(
            f"district slug {district!r} must be lower-case letters and digits starting with a letter "
            "(it prefixes every fact id, which allows no '_' or '-')"
        )
    cb = _codebook(codebook)
    todo = _s(PLACEHOLDER)
    lines = [
        f"# Draft record for {district}, written by `govcases extract` from source {source_id}.",
        f"# {summary_line(candidates)}. Nothing here has been checked by a person yet.",
        "# To finish it (casebook/README.md describes every field):",
        "#   - fill the profile;",
        "#   - for each fact you keep: an indicator from casebook/codebook.yaml whose unit takes the",
        "#     measure word, a subject where the indicator asks for one, the basis, our English",
        "#     rendering and the reference period; a year indicator takes no basis;",
        "#   - delete the facts you do not keep (model names, figures the record does not need);",
        f"#   - save it as casebook/{district}.yaml, run `make validate` until it is clean, and check",
        f"#     that no {PLACEHOLDER} is left: validation cannot tell one left in a free-text field.",
        f"district: {_s(district)}",
        "profile:",
        *(f"  {key}: {todo}" for key in ("name_zh", "name_en", "city_zh", "city_en", "province_zh", "province_en")),
        f"  area_kind: {todo}  # {' | '.join(AREA_KINDS)}",
        f"  sources: [{_s(source_id)}]",
        f"  summary: {todo}  # two or three sentences in our own words on what the source describes",
    ]
    if not candidates:
        lines += ["facts: []  # no figure found: add facts by hand"]
        return "\n".join(lines) + "\n"
    lines.append("facts:")
    width = max(3, len(str(len(candidates))))
    for i, c in enumerate(candidates, 1):
        lines += [
            "",
            f"  # {_describe(c, cb)}".replace("\n", " "),
            *(
                f"  # the same figure also stands in: {q} (split it into two facts if it counts two things)".replace(
                    "\n", " "
                )
                for _, q in c.also
            ),
            f"  - id: {_s(f'{district}-q{i:0{width}d}')}",
            f"    indicator: {todo}",
            "    subject: null",
        ]
        if c.kind == "year":
            lines.append(f"    value: {c.year}")  # a year indicator takes a number, and no basis
        else:
            lines += [f"    value: {_s(c.expression)}", f"    basis: {todo}"]
        lines += [
            f"    source: {_s(source_id)}",
            f"    quote: {_s(c.quote)}",
            f"    english: {todo}",
            "    period:",
            *(f"      {key}: {todo}" for key in ("text", "start", "end", "reasoning")),
            f"    confidence: {_s('stated')}",
        ]
    return "\n".join(lines) + "\n"


def draft_record(
    source_text: str,
    *,
    district: str,
    source_id: str,
    codebook: LoadedCodebook | Path | str | None = None,
) -> str:
    """Clean a source and draft a record listing every figure in it.

    Parameters
    ----------
    source_text : str
        The source as stored in ``data/raw`` (it is cleaned with
        :func:`govcases.records.sources.clean_text`, as quotes are checked against the clean text).
    district : str
        District slug; see :func:`format_draft`.
    source_id : str
        The source's id in ``data/raw/manifest.csv``.
    codebook : LoadedCodebook or path-like, optional
        Default ``casebook/codebook.yaml``.

    Returns
    -------
    str
        The draft as YAML text (:func:`format_draft`).

    Examples
    --------
    >>> text = draft_record("全區共有社會組織1655家", district="mou", source_id="mou-source")
    >>> [line.strip() for line in text.splitlines() if "value:" in line or "quote:" in line]
    ['value: "1655家"', 'quote: "全区共有社会组织1655家"']
    """
    from govcases.records.sources import clean_text

    cb = _codebook(codebook)
    candidates = find_quantities(clean_text(source_text), codebook=cb)
    return format_draft(candidates, district=district, source_id=source_id, codebook=cb)


def placeholders(record: object, path: str = "") -> list[str]:
    """List the fields of a parsed record that still hold :data:`PLACEHOLDER`.

    Some placeholders are caught by validation because they are not valid values (a basis, a
    date, an area kind, an indicator), but free-text fields (``english``, ``period.text``,
    ``period.reasoning``, the profile's names and summary) accept any text; this lists them all.

    Parameters
    ----------
    record : object
        A record as parsed from YAML (dicts, lists and scalars).
    path : str, optional
        Prefix for the field names.

    Returns
    -------
    list of str
        Dotted field paths, e.g. ``['profile.name_zh', 'facts[0].english']``.

    Examples
    --------
    >>> placeholders({"profile": {"name_zh": "TODO"}, "facts": [{"english": "TODO", "value": "5家"}]})
    ['profile.name_zh', 'facts[0].english']
    """
    from govcases.records.casebook import placeholder_paths
    from govcases.records.yamlio import format_path

    return [(path + "." if path else "") + format_path(p) if p else path for p in placeholder_paths(record)]
