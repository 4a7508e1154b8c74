"""The shape of the codebook and of a district record, as pydantic models.

Models forbid unknown keys (a misspelt key that is silently ignored is a lost fact) and are
strict: a value of the wrong type is an error, never converted, so ``start: 2015`` does not
quietly become a date and ``value: yes`` does not become ``True``.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "BASES",
    "CONFIDENCE",
    "FACT_FIELDS",
    "ISO_DATE",
    "Codebook",
    "Fact",
    "FactField",
    "Indicator",
    "Period",
    "Profile",
    "Unit",
    "parse_iso_date",
]

SLUG = r"^[a-z][a-z0-9_]*$"
FACT_ID = r"^[a-z][a-z0-9]*(-[a-z0-9]+)+$"
BASES = ("stock", "annual", "cumulative", "one_off", "budget", "per_unit", "rate", "change")
CONFIDENCE = ("stated", "inferred", "disputed")
AREA_KINDS = ("urban_district", "new_district", "suburban_district", "county")
#: What `govcases extract` writes where a person must fill in a value; validation rejects it.
PLACEHOLDER = "TODO"
VALUE_TYPES = ("quantity", "year", "date", "boolean", "category", "text")
#: What a period means for an indicator: the date of a state (``as_of``, the default), the date
#: something began (``began``) or was issued (``issued``).
PERIOD_MEANINGS = ("as_of", "began", "issued")
#: The optional fields a fact may carry besides its value, each described in the codebook's
#: ``fields`` (which indicators take it, which values or which facts it may name). A field the
#: source is silent on is left out: missing means "not stated", never "no".
FACT_FIELDS = ("payer", "reach", "use", "instruments", "recipients", "part_of", "beside", "counts", "status")
#: How a field of :data:`FACT_FIELDS` is written: one category, a list of categories, one fact id
#: of the same record, or a list of them.
FIELD_KINDS = ("category", "categories", "fact", "facts")


#: How every date in a record, a manifest and an external table is written. (``\d`` also matches
#: digits of other scripts; :func:`parse_iso_date` then refuses them as no calendar date.)
ISO_DATE = r"^\d{4}-\d{2}-\d{2}$"
_ISO_DATE = re.compile(ISO_DATE)


def parse_iso_date(value: object) -> dt.date:
    """The calendar date of text written YYYY-MM-DD: the one check of a date in the package.

    Records are parsed without automatic date conversion (the YAML parser would also convert
    quoted dates), so every date arrives as text and is read here, strictly.

    Parameters
    ----------
    value : object
        The value as the record gives it; only text of the form YYYY-MM-DD is accepted.

    Returns
    -------
    datetime.date
        The date the text names.

    Raises
    ------
    ValueError
        For text in any other layout (``2014/3/5``; also ``20140305`` and ``2014-W10-3``, which
        ``date.fromisoformat`` alone would take), for a day that does not exist, and for a value
        that is not text. The message says which; callers add the file and field.

    Examples
    --------
    >>> parse_iso_date("2013-03-14")
    datetime.date(2013, 3, 14)
    >>> parse_iso_date("2013-02-30")
    Traceback (most recent call last):
    ...
    ValueError: 2013-02-30 is not a calendar date
    """
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
        raise ValueError(f"write the date as YYYY-MM-DD (got {value!r})")
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{value} is not a calendar date") from None


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


# ---------------------------------------------------------------------------- codebook
class Unit(_Strict):
    """A unit of the codebook: its label and the Chinese measure words that name it (家, 个, 元, ...)."""

    label: str
    measure_words: list[str] = Field(min_length=1)


class Indicator(_Strict):
    """One indicator of the codebook: id, labels, category, value type, unit(s), scope and subject rule."""

    id: str = Field(pattern=SLUG)
    label_zh: str = Field(min_length=1)
    label_en: str = Field(min_length=1)
    category: str
    value_type: Literal[VALUE_TYPES]
    unit: str | list[str] | None
    scope: str = Field(min_length=1)
    subject: Literal["required", "optional", "none"]
    categories: list[str] | None = None
    description: str = Field(min_length=1)
    period_means: Literal[PERIOD_MEANINGS] = "as_of"
    count_kinds: list[str] | None = None

    @property
    def unit_keys(self) -> tuple[str, ...]:
        """The unit keys the indicator allows, as a tuple (empty when it has no unit)."""
        if self.unit is None:
            return ()
        return (self.unit,) if isinstance(self.unit, str) else tuple(self.unit)


class FactField(_Strict):
    """One optional field of a fact (payer, reach, part_of, ...): what it says and what it may hold."""

    label_en: str = Field(min_length=1)
    kind: Literal[FIELD_KINDS]
    applies_to: list[str] = Field(min_length=1)
    description: str = Field(min_length=1)
    categories: dict[str, str] | None = None
    targets: list[str] | None = None


class Codebook(_Strict):
    """The whole ``codebook.yaml``: categories, units, indicators and the optional fields of a fact."""

    categories: dict[str, str]
    units: dict[str, Unit]
    indicators: list[Indicator]
    fields: dict[str, FactField]


# ---------------------------------------------------------------------------- records
class Period(_Strict):
    """A fact's reference period: the text's own words, the ISO start and end read from them, and why."""

    # ISO dates stay text here (checked by pattern, in pydantic's fast core); the loader checks
    # that they are real calendar dates and that start <= end, and exports them as written.
    text: str = Field(min_length=1)
    start: str = Field(pattern=ISO_DATE)
    end: str = Field(pattern=ISO_DATE)
    reasoning: str = Field(min_length=1)
    # Only for indicators whose period means a start or an issue date: the interval is then a
    # time by which the thing was in place (the text's own date), and it may have begun earlier.
    reading: Literal["in_place_by"] | None = None


class Fact(_Strict):
    """One coded fact of a district record, with its source, verbatim quote, English rendering and period."""

    id: str = Field(pattern=FACT_ID)
    indicator: str
    subject: str | None = None
    value: str | bool | int
    basis: Literal[BASES] | None = None
    source: str
    quote: str = Field(min_length=1)
    english: str = Field(min_length=1)
    period: Period
    confidence: Literal[CONFIDENCE]
    note: str | None = None
    # The optional fields of FACT_FIELDS; the codebook's `fields` says which indicators take them.
    payer: str | None = None
    reach: str | None = None
    use: list[str] | None = None
    instruments: list[str] | None = None
    recipients: list[str] | None = None
    part_of: str | None = None
    beside: str | None = None
    counts: str | None = None
    status: str | None = None


class Profile(_Strict):
    """A district's profile: names, city and province in Chinese and English, kind of area, sources, summary."""

    name_zh: str = Field(min_length=1)
    name_en: str = Field(min_length=1)
    city_zh: str = Field(min_length=1)
    city_en: str = Field(min_length=1)
    province_zh: str = Field(min_length=1)
    province_en: str = Field(min_length=1)
    area_kind: Literal[AREA_KINDS]
    sources: list[str] = Field(min_length=1)
    summary: str = Field(min_length=1)
