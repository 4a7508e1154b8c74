"""Sentences about the casebook written from its data, so that they stay true when it grows.

A notebook that says "all five name government purchase" is wrong the day a sixth district is
added. Statements about how many districts, sources or cases say something are written here from
the casebook instead: the notebook passes the districts that say it and the casebook, and gets the
words. :func:`fixed_counts` finds prose that still names a fixed number (``make notebooks`` warns
about each).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = ["count_words", "fixed_counts", "markdown", "names", "share"]

_SMALL_NUMBERS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


def count_words(n: int) -> str:
    """A count as an English word up to ten, else in digits.

    Parameters
    ----------
    n : int
        The count.

    Returns
    -------
    str
        ``"five"`` for 5, ``"11"`` for 11.

    Examples
    --------
    >>> count_words(5), count_words(11)
    ('five', '11')
    """
    return _SMALL_NUMBERS[n] if 0 <= n < len(_SMALL_NUMBERS) else str(n)


def share(k: int, n: int, noun: str = "") -> str:
    """How many of ``n`` say something, in words: "all five", "four of the five", "none of the five".

    Parameters
    ----------
    k : int
        How many say it.
    n : int
        How many there are (the districts or sources of the casebook, for example).
    noun : str, optional
        A plural noun to name them (``"sources"``); "the" is added where English needs it.

    Returns
    -------
    str
        The phrase, starting in lower case.

    Raises
    ------
    ValueError
        If ``k`` is negative or more than ``n``.

    Examples
    --------
    >>> share(5, 5, "sources"), share(4, 5, "sources"), share(0, 5), share(2, 2), share(1, 1, "sources")
    ('all five sources', 'four of the five sources', 'none of the five', 'both', 'the only one of the sources')
    """
    if not 0 <= k <= n:
        raise ValueError(f"{k} of {n}: a share must lie between none and all")
    of = f" {noun}" if noun else ""
    if n == 1:
        return f"the only one of the{of}" if k == 1 else f"not the only one of the{of}"
    if k == n:
        return f"both{of}" if n == 2 else f"all {count_words(n)}{of}"
    if k == 0:
        return f"neither of the two{of}" if n == 2 else f"none of the {count_words(n)}{of}"
    return f"{count_words(k)} of the {count_words(n)}{of}"


def names(cb, districts: Iterable[str]) -> str:
    """District names in English, in the casebook's order, joined as a sentence would: "A, B and C".

    Parameters
    ----------
    cb : govcases.Casebook
        The casebook that has the districts.
    districts : iterable of str
        District ids.

    Returns
    -------
    str
        Their English names (``name_en`` of the profiles); ``"no district"`` for none.

    Raises
    ------
    KeyError
        If a district is not in the casebook.

    Examples
    --------
    >>> import govcases
    >>> names(govcases.load_casebook(), ["zhenhai", "beilun"])
    'Beilun District and Zhenhai District'
    """
    wanted = set(districts)
    missing = sorted(wanted - set(cb.districts))
    if missing:
        raise KeyError(f"not in the casebook: {', '.join(missing)}")
    by_id = cb.profiles.set_index("district")["name_en"]
    listed = [str(by_id[d]) for d in cb.districts if d in wanted]
    if not listed:
        return "no district"
    return listed[0] if len(listed) == 1 else ", ".join(listed[:-1]) + " and " + listed[-1]


def markdown(text: str):
    """Text to show as Markdown in a notebook (a display object; plain text outside Jupyter).

    Parameters
    ----------
    text : str
        Markdown.

    Returns
    -------
    IPython.display.Markdown
        Shown as formatted text by JupyterLab and nbconvert; nbval compares its text.
    """
    from IPython.display import Markdown

    return Markdown(text)


# A number (in words or digits), or "all"/"both", before a word for the cases: prose that counts
# them is true of one casebook only; so is "all five" or "these five" on its own. "The two" is left
# alone (it points back at a pair just named), as are figures ("24 district-wide groups").
_NUMBER = r"(?:two|three|four|five|six|seven|eight|nine|ten|\d{1,3})"
_WORD = r"(?:three|four|five|six|seven|eight|nine|ten)"
_FIXED = re.compile(
    rf"\b(?:all|both|{_NUMBER})(?:\s+of\s+(?:the\s+)?{_NUMBER})?\s+(?:[a-z]+\s+)?"
    rf"(?:districts?|cases|sources|records|documents)\b(?!-)"
    rf"|\b(?:all|these|the)\s+{_WORD}\b(?!\s+(?:years?|times|of\b))",
    re.IGNORECASE,
)


def fixed_counts(text: str) -> list[str]:
    """Phrases of ``text`` that name a fixed number of districts, cases, sources or records.

    Parameters
    ----------
    text : str
        Prose, for example a notebook's Markdown cell.

    Returns
    -------
    list of str
        Each phrase found, in order; empty when the text counts nothing that can grow.

    Examples
    --------
    >>> fixed_counts("All five name government purchase; three sources give a sum over 2 years.")
    ['All five', 'three sources']
    >>> fixed_counts("Each district's source names its instruments.")
    []
    """
    return [m.group(0) for m in _FIXED.finditer(text)]
