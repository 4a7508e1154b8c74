"""The optional fields of a fact, and the checks of facts that name other facts.

A fact may carry fields besides its value (:data:`govcases.records.models.FACT_FIELDS`): who pays
a sum (``payer``), whom it reaches (``reach``), what it pays for (``use``), which instrument facts it
belongs to (``instruments``), which facts count its recipients (``recipients``), which total a count
is part of (``part_of``) or is given beside (``beside``), what a count counts (``counts``), and
whether the text only announces it (``status: planned``). The codebook's ``fields`` says which
indicators take each field and which values or facts it may hold; this module checks a fact
against that (:func:`field_problems`) and, once a whole record is read, that every fact named
exists in the same record and is of a kind that fits (:func:`link_problems`).

Pairings used to be found by comparing quotes (a sum and its recipients paired when their quotes
were identical); they are now written in the record and checked here.
"""

from __future__ import annotations

from govcases.records.errors import Problem
from govcases.records.models import FACT_FIELDS, Fact, FactField, Indicator

__all__ = ["field_problems", "instrument_prefix", "link_problems"]


def instrument_prefix(subject: str | None) -> str:
    """The instrument a sum's subject names before its colon (``special_fund: ...`` -> ``special_fund``).

    Parameters
    ----------
    subject : str or None
        A fact's subject.

    Returns
    -------
    str
        The text before the first colon, stripped; ``""`` when there is no subject or no colon.

    Examples
    --------
    >>> instrument_prefix("venture_philanthropy: projects across the city")
    'venture_philanthropy'
    >>> instrument_prefix(None)
    ''
    """
    if not subject or ":" not in subject:
        return ""
    return subject.split(":", 1)[0].strip()


def field_problems(fact: Fact, ind: Indicator, fields: dict[str, FactField]) -> list[tuple[str, str, str]]:
    """(field, message, hint) of each problem of a fact's optional fields, taken on its own.

    Parameters
    ----------
    fact : Fact
        The fact as read.
    ind : Indicator
        Its indicator.
    fields : dict of str to FactField
        The codebook's ``fields``.

    Returns
    -------
    list of tuple
        One ``(field, message, hint)`` per problem: a field the indicator does not take, a value
        not among the field's categories, an empty or repeated list, a count without ``counts``
        where the indicator requires it, a ``period.reading`` the indicator does not allow.
    """
    out = []
    for name in FACT_FIELDS:
        value = getattr(fact, name)
        if value is None:
            continue
        spec = fields[name]
        if ind.id not in spec.applies_to:
            out.append(
                (
                    name,
                    f"indicator '{ind.id}' takes no {name}",
                    f"remove it; {name} applies to: {', '.join(spec.applies_to)}",
                )
            )
            continue
        values = value if isinstance(value, list) else [value]
        if not values:
            out.append((name, f"{name} is an empty list", f"leave {name} out when the source does not say"))
        if len(set(values)) < len(values):
            out.append((name, f"{name} lists a value twice", "list each once"))
        if spec.kind in ("category", "categories"):
            allowed = (ind.count_kinds or []) if name == "counts" else list(spec.categories or {})
            for v in values:
                if v not in allowed:
                    out.append(
                        (name, f"'{v}' is not a value of {name} for '{ind.id}'", f"use one of: {', '.join(allowed)}")
                    )
    if ind.count_kinds and fact.counts is None:
        out.append(
            (
                "counts",
                f"a count of '{ind.id}' says what it counts",
                f"add counts: one of {', '.join(ind.count_kinds)}",
            )
        )
    if fact.period.reading is not None and ind.period_means == "as_of":
        out.append(
            (
                "period.reading",
                f"the period of '{ind.id}' is already the date of a state; in_place_by is for start or issue dates",
                "remove reading",
            )
        )
    return out


def link_problems(doc, parsed: list[tuple[int, Fact, tuple | None]], indicators, fields, columns) -> list[Problem]:
    """Problems of the facts a record's facts name: each exists in the record and fits.

    Parameters
    ----------
    doc : YamlDoc
        The record file, to locate problems.
    parsed : list of (int, Fact, tuple or None)
        Each fact's position in ``facts``, the fact, and its table row (None when the fact has
        problems of its own).
    indicators : dict of str to Indicator
        The codebook's indicators.
    fields : dict of str to FactField
        The codebook's ``fields``.
    columns : tuple of str
        The names of a row's columns.

    Returns
    -------
    list of Problem
        One per problem: a fact named that is not in this record (or is the fact itself), whose
        indicator the field does not allow, a sum's instrument that is not the one its subject
        names, a ``mixed`` sum with fewer than two instruments, a sum whose subject names an
        instrument but that names no instrument fact, recipients counted for another instrument,
        a part in another unit than its total or larger than it.
    """
    by_id = {f.id: (f, row) for _, f, row in parsed}
    unit, low, high, value = (columns.index(c) for c in ("unit", "low", "high", "value_text"))
    # worked out once per record, not per fact: which fields name facts, the instruments known
    linking = [(name, fields[name]) for name in FACT_FIELDS if fields[name].kind in ("fact", "facts")]
    known = indicators.get("funding_instrument")
    categories = (known.categories or []) if known is not None else []
    problems = []

    def bad(i: int, name: str, message: str, hint: str = "") -> None:
        problems.append(doc.problem(("facts", i, name), message, hint))

    for i, fact, row in parsed:
        named: dict[str, list[tuple[Fact, tuple | None]]] = {}
        for name, spec in linking:
            ids = getattr(fact, name)
            if ids is None:
                continue
            for target_id in ids if isinstance(ids, list) else [ids]:
                if target_id == fact.id:
                    bad(i, name, f"{name} names the fact itself", "name another fact of this record")
                    continue
                if target_id not in by_id:
                    bad(
                        i,
                        name,
                        f"{name} names '{target_id}', which is not a fact of this record",
                        "name a fact of the same record: facts of other districts are never paired",
                    )
                    continue
                target, target_row = by_id[target_id]
                if target.indicator not in (spec.targets or []):
                    bad(
                        i,
                        name,
                        f"{name} names '{target_id}', a fact of '{target.indicator}'",
                        f"{name} may name facts of: {', '.join(spec.targets or [])}",
                    )
                    continue
                named.setdefault(name, []).append((target, target_row))
        # what follows checks a sum's instruments and the facts named: nothing to check for most facts
        if not named and fact.indicator != "funding_amount":
            continue
        ind = indicators.get(fact.indicator)
        if ind is None:
            continue
        prefix = instrument_prefix(fact.subject)
        instruments = named.get("instruments", [])
        if fact.indicator == "funding_amount":
            if prefix in categories and fact.instruments is None:
                bad(
                    i,
                    "instruments",
                    f"the sum names the instrument '{prefix}' but no fact of it",
                    "add a funding_instrument fact for it and name it in instruments",
                )
            for target, _ in instruments:
                if prefix in categories and target.value != prefix:
                    bad(
                        i,
                        "instruments",
                        f"'{target.id}' is the instrument '{target.value}', but the sum's subject names '{prefix}'",
                        "name the fact of the subject's instrument, or make the subject 'mixed: ...'",
                    )
            if prefix == "mixed" and fact.instruments is not None and len({t.value for t, _ in instruments}) < 2:
                bad(
                    i,
                    "instruments",
                    "a mixed sum names at least two different instruments",
                    "or give its one instrument",
                )
        for target, _ in named.get("recipients", []):
            their = instrument_prefix(target.subject)
            if target.indicator == "funding_recipients" and prefix and their and their != prefix:
                bad(
                    i,
                    "recipients",
                    f"'{target.id}' counts recipients of '{their}', the sum is '{prefix}'",
                    "name the count of this sum's recipients",
                )
        for name in ("part_of", "beside"):
            for target, target_row in named.get(name, []):
                if row is None or target_row is None:
                    continue
                if row[unit] != target_row[unit]:
                    bad(
                        i,
                        name,
                        f"'{fact.id}' counts {row[unit]}, '{target.id}' counts {target_row[unit]}",
                        "a count nests only in a total of the same unit",
                    )
                elif (
                    name == "part_of"
                    and row[low] is not None
                    and target_row[high] is not None
                    and row[low] > target_row[high]
                ):
                    bad(
                        i,
                        name,
                        f"the part ({row[value]}) is larger than its total '{target.id}' ({target_row[value]})",
                        "check both figures against the source; use beside if it is not a part",
                    )
    return problems
