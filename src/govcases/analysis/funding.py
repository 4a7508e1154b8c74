"""How the districts fund their social organizations, and which of their sums can be set side by side.

The sources name funding instruments (``funding_instrument``), give some sums of money
(``funding_amount``, ``funding_total_all_instruments``) and one sum insured (``insured_sum``, cover
for volunteers, never spending). The sums differ in basis (annual, cumulative, one-off, budget, per
organization), in period and in what they cover, so this module:

* lists every sum with its interval, basis and period (:func:`amounts`);
* turns into a per-year interval only the sums the evidence allows (:func:`per_year`): annual sums as
  they stand, and cumulative sums whose text dates the start of the accumulation, divided by an
  interval of years;
* divides those per-year intervals, where the sum reaches the district and no wider or narrower area,
  by every organization count (:func:`per_organization`) and every
  population (:func:`per_10k_residents`) the record holds for the district, naming each denominator,
  its scope or kind and how far apart the two dates are, instead of choosing one;
* classifies each district's funding mix by who pays (:func:`payer_mix`) and by mechanism
  (:func:`mechanism_mix`), as composition, never as a ranking; a district's own frame (Zhenhai's
  1+3+X) is shown as one frame among others;
* derives the make-up of a named funding model from its facts (:func:`model_components`);
* and lists, by rule, the comparisons the sources do not allow (:func:`incomparable`).

All derived figures are computed with :mod:`govcases.records.intervals`, so 近/余/多/约 carry through.
"""

from __future__ import annotations

import math
import re
from itertools import combinations

import numpy as np
import pandas as pd

from govcases.analysis.denominators import population
from govcases.records.casebook import Casebook
from govcases.records.intervals import (
    DAYS_PER_YEAR,
    Interval,
    interval_of,
    period_distance,
)
from govcases.records.models import parse_iso_date

__all__ = [
    "AMOUNT_INDICATORS",
    "MECHANISMS",
    "ORG_COUNT_INDICATORS",
    "PAYERS",
    "PAYER_OF_INSTRUMENT",
    "amounts",
    "incomparable",
    "instrument_matrix",
    "instrument_use",
    "mechanism_mix",
    "model_components",
    "normalized",
    "payer_mix",
    "per_10k_residents",
    "per_organization",
    "per_year",
]

#: Indicators that state a sum of money; the last is cover, not spending, and is never normalized.
AMOUNT_INDICATORS = ("funding_amount", "funding_total_all_instruments", "insured_sum")

#: Organization counts a per-organization figure may divide by: district-wide totals of three scopes
#: and the community-level count. Their scopes differ, which every row says.
ORG_COUNT_INDICATORS = (
    "orgs_registered",
    "orgs_registered_and_filed",
    "orgs_total_scope_unstated",
    "orgs_community_level",
)

# A dated start of an accumulation as period texts write it: 2013年起, 从2010年起, 2012年以来.
_START_YEAR = re.compile(r"(?:从|自)?(\d{4})年(?:起|以来|开始)")
_KIND = {
    "funding_amount": "sum for one instrument",
    "funding_total_all_instruments": "total of all instruments",
    "insured_sum": "sum insured (cover, not spending)",
}

#: Who pays, in the codebook's order (its ``fields.payer`` categories), with the words a reader sees.
PAYERS: dict[str, str] = {
    "district_budget": "district budget and special funds",
    "street_or_community_budget": "street and community budgets",
    "welfare_lottery_fund": "welfare-lottery fund",
    "higher_level_government": "higher levels of government",
    "enterprises_and_donors": "enterprises and donors",
    "mixed": "several payers in one sum",
}

#: Instruments whose very name says whose money they are. Only these imply a payer without a sum;
#: a budget line (special fund, fiscal budget) does not say which level's budget it is.
PAYER_OF_INSTRUMENT: dict[str, str] = {
    "lottery_welfare_fund": "welfare_lottery_fund",
    "social_funds": "enterprises_and_donors",
    "directed_donation_tax_incentive": "enterprises_and_donors",
}

#: How money reaches organizations, with the instruments of each (our coding of the codebook's
#: instrument categories; every category is in exactly one mechanism, which a test checks). The first
#: five are the mechanisms the comparison asks about; the rest keep what fits none of them visible.
MECHANISMS: dict[str, tuple[str, tuple[str, ...]]] = {
    "purchase": ("purchase of services", ("government_purchase",)),
    "venture_philanthropy": ("venture philanthropy", ("venture_philanthropy",)),
    "project_grants": ("project and start-up grants", ("project_grant", "startup_grant")),
    "rewards": ("rewards in lieu of subsidies", ("reward_in_lieu_of_subsidy",)),
    "rating_subsidies": ("subsidies by rating", ("rating_subsidy",)),
    "running_costs": ("running-cost subsidies", ("running_cost_subsidy",)),
    "fund_or_budget_line": (
        "a fund or budget line, mechanism not named",
        ("special_fund", "fiscal_budget", "lottery_welfare_fund", "tiered_fiscal_subsidy", "social_funds"),
    ),
    "tax_and_insurance": ("tax incentives and insurance", ("directed_donation_tax_incentive", "volunteer_insurance")),
}

_MIX_COLUMNS = ["district", "key", "label", "status", "sums", "sum_facts", "instrument_facts", "own_frame"]


def _own_frame(cb: Casebook) -> dict[str, str]:
    """Instrument fact id -> the district's own model and component that holds it (``1+3+X: 3``)."""
    comps = model_components(cb)
    return {
        str(r["instrument_fact"]): f"{r['model']}: {r['component']}"
        for _, r in comps.iterrows()
        if not pd.isna(r["instrument_fact"])
    }


def _mix_frame(rows: list[dict]) -> pd.DataFrame:
    out = pd.DataFrame(rows, columns=_MIX_COLUMNS)
    return out.astype("string")


def payer_mix(cb: Casebook) -> pd.DataFrame:
    """Who pays for each district's social organizations: composition, not a ranking.

    For every district and every payer of the codebook (:data:`PAYERS`) the status is one of

    * ``sum stated``: a sum of money whose ``payer`` field names this payer;
    * ``named, no sum``: an instrument whose name says it is this payer's money
      (:data:`PAYER_OF_INSTRUMENT`) but no sum of this payer;
    * ``not reported``: the source says nothing of this payer's money (never "none").

    Sums are listed as written, with their basis, never added up: they differ in basis, period and
    reach (see :func:`incomparable`). Sums whose ``payer`` is not stated appear under no payer and are
    counted in the row ``payer not stated``, so every sum of money is in the table once.

    Parameters
    ----------
    cb : Casebook
        A validated casebook, from :func:`govcases.load_casebook`.

    Returns
    -------
    pandas.DataFrame
        One row per district and payer (and one ``payer not stated`` row per district with such sums):

        ================  ==============================================================
        district          district slug
        key               the payer category (``unstated`` for the last row)
        label             the payer in words
        status            ``sum stated``, ``named, no sum`` or ``not reported``
        sums              the sums as written, with basis and reach (``; ``-joined)
        sum_facts         their fact ids (``|``-joined)
        instrument_facts  the instruments that name this payer (``|``-joined)
        own_frame         the district's own model component holding them (``1+3+X: 1``)
        ================  ==============================================================

    Examples
    --------
    >>> import govcases
    >>> from govcases.analysis.funding import payer_mix
    >>> t = payer_mix(govcases.load_casebook().select(["beilun"])).set_index("key")
    >>> t.loc["welfare_lottery_fund", ["status", "sums"]].tolist()
    ['sum stated', '239万 (cumulative)']
    """
    f = cb.facts
    money = f[f["indicator"].isin(["funding_amount", "funding_total_all_instruments"])]
    inst = f[(f["indicator"] == "funding_instrument") & f["status"].isna()]
    frame = _own_frame(cb)
    rows = []
    for d in cb.districts:
        m = money[money["district"] == d].sort_values("id")
        i = inst[inst["district"] == d].sort_values("id")
        for key, label in [*PAYERS.items(), ("unstated", "payer not stated")]:
            s = m[m["payer"].isna()] if key == "unstated" else m[m["payer"] == key]
            if key == "unstated":
                named = i.iloc[0:0]
                if s.empty:
                    continue
            else:
                named = i[i["value_text"].map(PAYER_OF_INSTRUMENT) == key]
            status = "sum stated" if len(s) else ("named, no sum" if len(named) else "not reported")
            if key == "unstated":
                status = "sum stated"
            rows.append(
                {
                    "district": d,
                    "key": key,
                    "label": label,
                    "status": status,
                    "sums": "; ".join(_sum_words(r) for _, r in s.iterrows()),
                    "sum_facts": "|".join(s["id"]),
                    "instrument_facts": "|".join(named["id"]),
                    "own_frame": "; ".join(sorted({frame[x] for x in named["id"] if x in frame})),
                }
            )
    return _mix_frame(rows)


def _sum_words(r) -> str:
    """A sum as a reader sees it in a mix table: as written, its basis, and its reach where stated."""
    reach = "" if pd.isna(r["reach"]) else f", reaching {str(r['reach']).replace('_', ' ')}"
    return f"{r['value_text']} ({r['basis']}{reach})"


def mechanism_mix(cb: Casebook) -> pd.DataFrame:
    """How each district's money reaches organizations, by mechanism (:data:`MECHANISMS`).

    Status per district and mechanism: ``sum stated`` (an instrument of the mechanism is named and a
    sum names that instrument in its ``instruments`` field), ``named, no sum`` (instruments named,
    no sum of them), ``planned`` (only announced for later), ``not reported``. A sum for several
    instruments at once is listed under each of them and marked ``shared``; it is never split. The
    district's own frame (a named model such as 1+3+X) is given beside, as one frame among others.

    Parameters
    ----------
    cb : Casebook
        A validated casebook, from :func:`govcases.load_casebook`.

    Returns
    -------
    pandas.DataFrame
        One row per district and mechanism, the columns of :func:`payer_mix` (``key`` is the
        mechanism, ``instrument_facts`` its instruments named by the source).

    Examples
    --------
    >>> import govcases
    >>> from govcases.analysis.funding import mechanism_mix
    >>> t = mechanism_mix(govcases.load_casebook().select(["lvyuan"])).set_index("key")
    >>> t.loc["venture_philanthropy", ["status", "sums"]].tolist()
    ['sum stated', '200余万元 (annual, shared)']
    """
    f = cb.facts
    money = f[f["indicator"].isin(["funding_amount", "funding_total_all_instruments"])]
    inst = f[f["indicator"] == "funding_instrument"]
    frame = _own_frame(cb)
    rows = []
    for d in cb.districts:
        m = money[money["district"] == d].sort_values("id")
        i = inst[inst["district"] == d].sort_values("id")
        for key, (label, members) in MECHANISMS.items():
            named = i[i["value_text"].isin(members)]
            in_place = named[named["status"].isna()]
            ids = set(in_place["id"])
            s = m.loc[[bool(ids & set(_ids(c))) for c in m["instruments"]]]
            words = []
            for _, r in s.iterrows():
                w = _sum_words(r)
                if len(_ids(r["instruments"])) > 1:
                    w = w[:-1] + ", shared)"
                words.append(w)
            if len(s):
                status = "sum stated"
            elif len(in_place):
                status = "named, no sum"
            elif len(named):
                status = "planned"
            else:
                status = "not reported"
            rows.append(
                {
                    "district": d,
                    "key": key,
                    "label": label,
                    "status": status,
                    "sums": "; ".join(words),
                    "sum_facts": "|".join(s["id"]),
                    "instrument_facts": "|".join(named["id"]),
                    "own_frame": "; ".join(sorted({frame[x] for x in named["id"] if x in frame})),
                }
            )
    return _mix_frame(rows)


def _beyond_denominator(s) -> bool:
    """Whether a sum reaches an area other than the district, so a district count or population is not its base.

    A sum whose reach is not stated is kept (the source's silence is not a mismatch), and the
    normalized table says so in its ``reach`` column.
    """
    return not pd.isna(s["reach"]) and s["reach"] != "district"


# ---------------------------------------------------------------------------------- instruments
def _ids(cell) -> list[str]:
    """The fact ids of a ``|``-joined pairing cell (instruments, recipients); none when it is empty."""
    if cell is None or pd.isna(cell) or not str(cell):
        return []
    return str(cell).split("|")


def _instrument_of(indicator: str, subject) -> str:
    if indicator == "funding_total_all_instruments":
        return "all_instruments"
    if subject is None or pd.isna(subject):
        return ""
    return str(subject).split(":", 1)[0].strip()


def instrument_use(cb: Casebook) -> pd.DataFrame:
    """Which funding instruments each source names, and whether it gives a sum for them.

    A sum is attached to an instrument when its subject names that instrument, or when it is a
    ``mixed`` sum whose ``instruments`` field names the instrument's fact: the source then gives
    one sum for several instruments together. The pairing is written in the record and checked by
    validation (:mod:`govcases.records.links`), never guessed from the text.

    Parameters
    ----------
    cb : Casebook
        A validated casebook, from :func:`govcases.load_casebook`.

    Returns
    -------
    pandas.DataFrame
        One row per instrument (codebook order) and district:

        ===============  ===================================================================
        instrument       a category of ``funding_instrument``
        district         district slug
        named            whether the district's source names the instrument
        instrument_ids   ids of the ``funding_instrument`` facts (`` | ``-joined; "" if none)
        own_sum_ids      ids of sums stated for this instrument alone
        shared_sum_ids   ids of ``mixed`` sums that cover it with other instruments
        ===============  ===================================================================

    Examples
    --------
    >>> import govcases
    >>> from govcases.analysis.funding import instrument_use
    >>> t = instrument_use(govcases.load_casebook()).set_index(["instrument", "district"])
    >>> r = t.loc[("venture_philanthropy", "lvyuan")]
    >>> bool(r["named"]), r["own_sum_ids"], r["shared_sum_ids"]
    (True, '', 'lvyuan-funding-amount-this-year')
    """
    facts = cb.facts
    cats = cb.codebook.indicators["funding_instrument"].categories or []
    inst = facts[facts["indicator"] == "funding_instrument"]
    money = facts[facts["indicator"] == "funding_amount"]
    # grouped once in plain dicts: filtering the frames per instrument and district was most of a call
    named_ids: dict[tuple, list[str]] = {}
    for fid, d, c in zip(inst["id"], inst["district"], inst["value_text"]):
        named_ids.setdefault((d, c), []).append(fid)
    sums: dict[tuple, list[str]] = {}  # (district, instrument of the sum) -> ids
    named_by_mixed: dict[str, list[tuple[str, set[str]]]] = {}  # district -> (mixed sum id, facts it names)
    for fid, d, i, s, m in zip(
        money["id"], money["district"], money["indicator"], money["subject"], money["instruments"]
    ):
        kind = _instrument_of(i, s)
        sums.setdefault((d, kind), []).append(fid)
        if kind == "mixed":
            named_by_mixed.setdefault(d, []).append((fid, set(_ids(m))))
    rows = []
    for c in cats:
        for d in cb.districts:
            ids = set(named_ids.get((d, c), []))
            shared = [fid for fid, names in named_by_mixed.get(d, []) if ids & names]
            rows.append(
                {
                    "instrument": c,
                    "district": d,
                    "named": bool(ids),
                    "instrument_ids": " | ".join(sorted(ids)),
                    "own_sum_ids": " | ".join(sorted(sums.get((d, c), []))),
                    "shared_sum_ids": " | ".join(sorted(shared)),
                }
            )
    out = pd.DataFrame(rows)
    for col in ("instrument", "district", "instrument_ids", "own_sum_ids", "shared_sum_ids"):
        out[col] = out[col].astype("string")
    return out


def instrument_matrix(cb: Casebook) -> pd.DataFrame:
    """Funding instruments (rows) by district (columns), as marks for reading.

    Cells: ``named + sum`` (named, with a sum of its own), ``named + shared sum`` (named, with one
    sum for it and other instruments), ``named`` (no sum), ``""`` (the source does not mention it,
    which is not evidence that the district does not use it). Column ``n_districts`` counts the
    districts whose source names the instrument.

    Parameters
    ----------
    cb : Casebook
        A validated casebook, from :func:`govcases.load_casebook`.

    Returns
    -------
    pandas.DataFrame
        Index: the ``funding_instrument`` categories of the codebook, in codebook order. One
        string column per district (``cb.districts``) holding the mark above, and ``n_districts``
        (Int64), the number of districts whose source names the instrument.

    Examples
    --------
    >>> import govcases
    >>> from govcases.analysis.funding import instrument_matrix
    >>> m = instrument_matrix(govcases.load_casebook())
    >>> m.loc["government_purchase", ["beilun", "lvyuan"]].tolist()
    ['named + sum', 'named + shared sum']
    """
    use = instrument_use(cb)

    def mark(r) -> str:
        if not r["named"]:
            return ""
        if r["own_sum_ids"]:
            return "named + sum"
        if r["shared_sum_ids"]:
            return "named + shared sum"
        return "named"

    use = use.assign(mark=[mark(r) for _, r in use.iterrows()])
    table = use.pivot(index="instrument", columns="district", values="mark")
    cats = list(cb.codebook.indicators["funding_instrument"].categories or [])
    table = table.reindex(index=cats, columns=cb.districts).astype("string")
    table["n_districts"] = use.groupby("instrument")["named"].sum().reindex(cats).astype("Int64")
    table.columns.name = None
    return table


# ---------------------------------------------------------------------------------- amounts
def amounts(cb: Casebook) -> pd.DataFrame:
    """Every stated sum of money, with its interval, basis and period.

    Parameters
    ----------
    cb : Casebook
        A validated casebook, from :func:`govcases.load_casebook`.

    Returns
    -------
    pandas.DataFrame
        One row per fact of :data:`AMOUNT_INDICATORS`, sorted by district and id:

        ==================  ================================================================
        district, id        district slug and fact id
        indicator           funding_amount, funding_total_all_instruments or insured_sum
        kind                ``sum for one instrument``, ``sum for several instruments``
                            (subject ``mixed``), ``total of all instruments`` or
                            ``sum insured (cover, not spending)``
        instrument          instrument named by the subject (``mixed``, ``all_instruments``)
        description         the rest of the subject: what the sum is for (our words)
        value_text          the sum as written (e.g. ``140多万元``)
        value               the stated figure in yuan (NA for a range)
        low, high           the interval the expression means, in yuan
        qualifier           exact, more_than, nearly, about, range, ...
        basis               annual, cumulative, one_off, budget, per_unit or stock
        period_text         the reference date as the text gives it
        period_start/end    the resolved reference interval (ISO)
        confidence          stated, inferred or disputed
        note                the record's note (who pays, what is unclear)
        ==================  ================================================================

    Examples
    --------
    >>> import govcases
    >>> from govcases.analysis.funding import amounts
    >>> a = amounts(govcases.load_casebook()).set_index("id")
    >>> a.loc["zhenhai-insured-sum", "kind"]
    'sum insured (cover, not spending)'
    >>> r = a.loc["lvyuan-funding-amount-this-year"]
    >>> float(r["low"]), float(r["high"]), r["basis"]
    (2000000.0, 3000000.0, 'annual')
    """
    f = cb.facts[cb.facts["indicator"].isin(AMOUNT_INDICATORS)]
    inst = [_instrument_of(i, s) for i, s in zip(f["indicator"], f["subject"])]
    kind = [
        "sum for several instruments" if i == "funding_amount" and k == "mixed" else _KIND[i]
        for i, k in zip(f["indicator"], inst)
    ]
    desc = [
        "" if s is None or pd.isna(s) else (str(s).split(":", 1)[1].strip() if ":" in str(s) else str(s))
        for s in f["subject"]
    ]
    out = f.assign(kind=kind, instrument=inst, description=desc)
    cols = [
        "district",
        "id",
        "indicator",
        "kind",
        "instrument",
        "description",
        "value_text",
        "value",
        "low",
        "high",
        "qualifier",
        "basis",
        "period_text",
        "period_start",
        "period_end",
        "confidence",
        "note",
    ]
    out = out[cols].sort_values(["district", "id"], ignore_index=True)
    for col in ("kind", "instrument", "description"):
        out[col] = out[col].astype("string")
    return out


# ---------------------------------------------------------------------------------- per year
def _date(s) -> pd.Timestamp:
    return pd.Timestamp(parse_iso_date(str(s)))


def _accumulation_years(period_text, start: str, end: str) -> tuple[Interval, str] | None:
    """Years over which a cumulative sum built up, as an interval, or None when undated.

    The text must date the start (2013年起); the accumulation then began on some day of that year
    (no earlier than the resolved period_start) and ran to the resolved period_end, the date the
    sum is reported as of. Days are counted inclusively and divided by 365.25.
    """
    m = _START_YEAR.search(str(period_text or ""))
    if m is None:
        return None
    year = int(m.group(1))
    first = max(_date(f"{year}-01-01"), _date(start))
    last = _date(f"{year}-12-31")
    stop = _date(end)
    if last > stop:
        last = stop
    longest = ((stop - first).days + 1) / DAYS_PER_YEAR
    shortest = ((stop - last).days + 1) / DAYS_PER_YEAR
    return Interval(shortest, longest), f"{first.date()}..{stop.date()}"


def per_year(cb: Casebook) -> pd.DataFrame:
    """Sums of money per year, where the evidence allows; for the others, why not.

    Annual sums are per-year figures as they stand. A cumulative sum is divided by the years it
    built up over only when the text dates the start of the accumulation (``2013年起``): the
    start is then some day of that year and the end the fact's period_end, which gives an interval
    of years, and the per-year figure is the sum's interval divided by it. Budgets (plans), one-off
    and per-organization sums and cumulative sums without a dated start stay NA, with the reason.
    Sums insured are left out (cover, not spending).

    Parameters
    ----------
    cb : Casebook
        A validated casebook, from :func:`govcases.load_casebook`.

    Returns
    -------
    pandas.DataFrame
        One row per sum of ``funding_amount`` and ``funding_total_all_instruments``:

        ==================  ================================================================
        district, id        district slug and fact id
        instrument          instrument named by the subject
        basis               the fact's basis
        value_text          the sum as written
        low, high           the sum's interval (yuan)
        years_low/high      the interval of years a cumulative sum is spread over (NA else)
        averaged_over       the longest accumulation window (ISO dates), for cumulative sums
        per_year_low/high   the per-year interval (yuan per year); NA where not allowed
        per_year_point      per-year figure from the stated figures (NA for ranges and for
                            cumulative sums, whose number of years is itself an interval)
        period_start/end    the fact's resolved period
        normalized          whether a per-year figure is given
        method              how it was derived, or why it is not
        ==================  ================================================================

    Examples
    --------
    >>> import govcases
    >>> from govcases.analysis.funding import per_year
    >>> t = per_year(govcases.load_casebook()).set_index("id")
    >>> r = t.loc["zhenhai-venture-philanthropy-amount"]
    >>> round(r["per_year_low"]), round(r["per_year_high"])
    (728763, 1284884)
    >>> bool(t.loc["zhenhai-support-funds-total", "normalized"])
    False
    """
    a = amounts(cb)
    a = a[a["indicator"] != "insured_sum"]
    rows = []
    for _, r in a.iterrows():
        row = {k: r[k] for k in ("district", "id", "instrument", "basis", "value_text", "low", "high")}
        row.update(
            years_low=math.nan,
            years_high=math.nan,
            averaged_over=None,
            per_year_low=math.nan,
            per_year_high=math.nan,
            per_year_point=math.nan,
            period_start=r["period_start"],
            period_end=r["period_end"],
            normalized=False,
        )
        amount = interval_of(r)
        if r["basis"] == "annual":
            row.update(
                per_year_low=amount.low,
                per_year_high=amount.high,
                per_year_point=math.nan if amount.point is None else amount.point,
                normalized=True,
                method="stated as a yearly sum",
            )
        elif r["basis"] == "cumulative":
            years = _accumulation_years(r["period_text"], r["period_start"], r["period_end"])
            if years is None:
                row["method"] = (
                    "cumulative, but the text does not date the start of the accumulation "
                    f"({r['period_text']}): no number of years to divide by"
                )
            else:
                span, window = years
                res = Interval(amount.low, amount.high) / span
                row.update(
                    years_low=span.low,
                    years_high=span.high,
                    averaged_over=window,
                    per_year_low=res.low,
                    per_year_high=res.high,
                    normalized=True,
                    method=(
                        f"cumulative sum ÷ {span.low:.2f}-{span.high:.2f} years "
                        f"(start some day of {window[:4]}, end {window[-10:]})"
                    ),
                )
        elif r["basis"] == "budget":
            row["method"] = "a budget: money planned, not money spent; not set beside yearly outturns"
        elif r["basis"] == "one_off":
            row["method"] = "a one-off sum for one round, not a yearly flow"
        elif r["basis"] == "per_unit":
            row["method"] = "a sum per organization, not a total (see per_organization)"
        else:
            row["method"] = f"basis {r['basis']}: not a flow of money per year"
        rows.append(row)
    # named columns, so a casebook without any sum gives an empty table rather than a KeyError
    columns = [
        "district",
        "id",
        "instrument",
        "basis",
        "value_text",
        "low",
        "high",
        "years_low",
        "years_high",
        "averaged_over",
        "per_year_low",
        "per_year_high",
        "per_year_point",
        "period_start",
        "period_end",
        "normalized",
        "method",
    ]
    out = pd.DataFrame(rows, columns=columns)
    out["normalized"] = out["normalized"].astype(bool)
    for col in ("years_low", "years_high", "per_year_low", "per_year_high", "per_year_point"):
        out[col] = out[col].astype(float)
    for col in ("district", "id", "instrument", "basis", "value_text", "averaged_over", "method"):
        out[col] = out[col].astype("string")
    out["low"] = out["low"].astype(float)
    out["high"] = out["high"].astype(float)
    return out.sort_values(["district", "id"], ignore_index=True)


# ---------------------------------------------------------------------------------- timing
def _timing(a_start, a_end, d_start, d_end) -> tuple[float, float, str]:
    """Least and greatest distance in years between two date intervals, and a label for readers."""
    least, most = period_distance((a_start, a_end), (d_start, d_end))
    if least == 0 and most <= 1.0:
        text = "same year"
    elif least == 0:
        text = f"periods overlap, but may lie up to {most:.1f} years apart"
    else:
        side = "after" if d_start > a_end else "before"  # ISO dates order as text
        text = f"MISMATCH: denominator {least:.1f}-{most:.1f} years {side} the sum"
    return least, most, text


# ---------------------------------------------------------------------------------- per organization
def _recipients(cb: Casebook, amount) -> pd.DataFrame:
    """Counts of who received a sum: the facts its ``recipients`` field names.

    These are the facts that count the funded projects (funding_recipients) or the organizations a
    rating round subsidized (rating_count); validation checks that they exist in the same record
    and fit the sum's instrument.
    """
    f = cb.facts
    ids = _ids(amount["recipients"])
    found = f[(f["district"] == amount["district"]) & f["id"].isin(ids)]
    # validation allows only these targets (codebook fields.recipients); say so here rather than trust it silently
    odd = found[~found["indicator"].isin(["funding_recipients", "rating_count"])]
    if len(odd):
        raise ValueError(f"{amount['id']}: recipients {', '.join(odd['id'])} count neither recipients nor ratings")
    return found


def per_organization(cb: Casebook) -> pd.DataFrame:
    """Sums per organization, each with its organization count, the count's scope and its date.

    Three kinds of row (column ``measure``):

    * ``per organization per year``: every per-year interval of :func:`per_year` divided by every
      count of :data:`ORG_COUNT_INDICATORS` the district's record holds (disputed ones left out),
      only for sums that reach the district: a sum whose ``reach`` is stated as another area (a
      city-wide call, one street) is never divided by the district's organizations.
      This is money per organization in the district, not what any organization received; the
      scopes differ (registered, registered plus filed, unstated, community-level), so rows of
      different scope are not comparable, and the timing column says when the dates do not match.
    * ``per recipient``: a sum divided by the count of those who received it (funded projects,
      organizations a rating round subsidized), as the sum's ``recipients`` field names it.
    * ``per organization as stated``: sums the source itself gives per organization.

    Parameters
    ----------
    cb : Casebook
        A validated casebook, from :func:`govcases.load_casebook`.

    Returns
    -------
    pandas.DataFrame
        ===================  ============================================================
        measure              one of the three above
        district, id         district and the fact id of the sum
        sum_text             the sum as written, with its basis
        numerator_low/high   the sum's interval used (per year for the first kind), yuan
        denominator_id       fact id of the count (NA for stated per-organization sums)
        denominator          the count as written and what it counts
        denominator_scope    scope of the count (registered, registered_and_filed, ...)
        denominator_low/high the count's interval
        years_apart_min/max  least and greatest distance in years between the two periods
        timing               ``same year``, an overlap that may still differ, or MISMATCH
        low, high            the result's interval
        point                from the stated figures (NA when a range is involved)
        unit                 what the result is in
        ===================  ============================================================

    Examples
    --------
    >>> import govcases
    >>> from govcases.analysis.funding import per_organization
    >>> t = per_organization(govcases.load_casebook())
    >>> r = t[t["denominator_id"] == "zhenhai-rating-passed-first-round"].iloc[0]
    >>> round(float(r["low"]), 2), round(float(r["high"]), 2), r["unit"]
    (1415.73, 1573.03, 'yuan per subsidized organization, one round')
    """
    f = cb.facts
    py = per_year(cb)
    py = py[py["normalized"]]
    counts = f[f["indicator"].isin(ORG_COUNT_INDICATORS) & (f["confidence"] != "disputed")]
    facts = f.set_index("id")
    rows = []
    for _, s in py.iterrows():
        if _beyond_denominator(facts.loc[s["id"]]):
            continue
        num = Interval(
            s["per_year_low"], s["per_year_high"], None if math.isnan(s["per_year_point"]) else s["per_year_point"]
        )
        sum_text = f"{s['value_text']} ({s['basis']})"
        for _, c in counts[counts["district"] == s["district"]].sort_values("id").iterrows():
            res = _divided(num, interval_of(c))
            least, most, timing = _timing(s["period_start"], s["period_end"], c["period_start"], c["period_end"])
            rows.append(
                _org_row(
                    "per organization per year",
                    s["district"],
                    s["id"],
                    sum_text,
                    num,
                    c,
                    least,
                    most,
                    timing,
                    res,
                    "yuan per organization per year",
                )
            )
    money = f[f["indicator"] == "funding_amount"].sort_values(["district", "id"])
    for _, s in money.iterrows():
        if s["basis"] == "per_unit":
            amt = interval_of(s)
            rows.append(
                {
                    "measure": "per organization as stated",
                    "district": s["district"],
                    "id": s["id"],
                    "sum_text": f"{s['value_text']} ({s['basis']})",
                    "numerator_low": amt.low,
                    "numerator_high": amt.high,
                    "denominator_id": None,
                    "denominator": "each organization, as the source states: "
                    + str(s["subject"]).split(":", 1)[-1].strip(),
                    "denominator_scope": "as stated",
                    "denominator_low": 1.0,
                    "denominator_high": 1.0,
                    "years_apart_min": 0.0,
                    "years_apart_max": 0.0,
                    "timing": "same sentence",
                    "low": amt.low,
                    "high": amt.high,
                    "point": math.nan if amt.point is None else amt.point,
                    "unit": "yuan per organization (stated)",
                }
            )
            continue
        for _, c in _recipients(cb, s).sort_values("id").iterrows():
            amt = interval_of(s)
            res = _divided(amt, interval_of(c))
            what = "funded project" if c["unit"] == "items" else "subsidized organization"
            basis = {"one_off": "one round", "cumulative": f"cumulative {s['period_start'][:4]}-{s['period_end'][:4]}"}
            rows.append(
                _org_row(
                    "per recipient",
                    s["district"],
                    s["id"],
                    f"{s['value_text']} ({s['basis']})",
                    amt,
                    c,
                    0.0,
                    0.0,
                    "same sentence",
                    res,
                    f"yuan per {what}, {basis.get(s['basis'], s['basis'])}",
                )
            )
    out = pd.DataFrame(rows, columns=_ORG_COLUMNS)
    for col in (
        "measure",
        "district",
        "id",
        "sum_text",
        "denominator_id",
        "denominator",
        "denominator_scope",
        "timing",
        "unit",
    ):
        out[col] = out[col].astype("string")
    order = {"per organization per year": 0, "per recipient": 1, "per organization as stated": 2}
    out = out.assign(_o=out["measure"].map(order)).sort_values(
        ["_o", "district", "id", "denominator_id"], ignore_index=True
    )
    return out.drop(columns="_o")


_ORG_COLUMNS = [
    "measure",
    "district",
    "id",
    "sum_text",
    "numerator_low",
    "numerator_high",
    "denominator_id",
    "denominator",
    "denominator_scope",
    "denominator_low",
    "denominator_high",
    "years_apart_min",
    "years_apart_max",
    "timing",
    "low",
    "high",
    "point",
    "unit",
]


class _NoRatio:
    """Stands in for the result of a division whose denominator may be zero: missing, not a crash."""

    low = high = math.nan
    point = None


#: A ratio whose denominator may be zero: missing, and the denominator's text says why.
_NO_RATIO = _NoRatio()
_ZERO = "; it may be zero, so no ratio is computed"


def _divided(num: Interval, den: Interval) -> Interval | _NoRatio:
    """``num / den``, or :data:`_NO_RATIO` when the denominator reaches zero (a count of 0家, say)."""
    return _NO_RATIO if den.low <= 0 else num / den


def _org_row(measure, district, fact_id, sum_text, num: Interval, c, least, most, timing, res: Interval, unit):
    what = c["subject"] if c["subject"] is not None and not pd.isna(c["subject"]) else c["indicator"]
    return {
        "measure": measure,
        "district": district,
        "id": fact_id,
        "sum_text": sum_text,
        "numerator_low": num.low,
        "numerator_high": num.high,
        "denominator_id": c["id"],
        "denominator": f"{c['value_text']} {what} ({c['period_start']}..{c['period_end']})"
        + ("" if res is not _NO_RATIO else _ZERO),
        "denominator_scope": c["scope"],
        "denominator_low": float(c["low"]),
        "denominator_high": float(c["high"]),
        "years_apart_min": least,
        "years_apart_max": most,
        "timing": timing,
        "low": res.low,
        "high": res.high,
        "point": math.nan if res.point is None else res.point,
        "unit": unit,
    }


# ---------------------------------------------------------------------------------- per resident
def per_10k_residents(cb: Casebook) -> pd.DataFrame:
    """Per-year sums per 10,000 people, once for every population the record holds for the district.

    Populations come from :func:`govcases.analysis.denominators.population` (disputed copies left out): a
    figure stated in the source, a managed population (which counts people a resident figure leaves
    out), a year-end estimate or a census count. Each row names its population, its kind and date,
    and says how far apart the population's date and the sum's period may be.

    Parameters
    ----------
    cb : Casebook
        A validated casebook, from :func:`govcases.load_casebook`.

    Returns
    -------
    pandas.DataFrame
        ===================  ============================================================
        district, id         district and the fact id of the sum
        sum_text             the sum as written, with its basis
        numerator_low/high   the per-year interval (yuan per year)
        population_id        fact id of the population
        population_kind      census, year-end estimate, stated in the source, managed population
        population           the population as written, with its date
        population_low/high  the population's interval (persons)
        years_apart_min/max  least and greatest distance in years between the two periods
        timing               ``same year``, an overlap that may still differ, or MISMATCH
        low, high            yuan per 10,000 people per year
        point                from the stated figures (NA when a range is involved)
        ===================  ============================================================

    Examples
    --------
    >>> import govcases
    >>> from govcases.analysis.funding import per_10k_residents
    >>> t = per_10k_residents(govcases.load_casebook())
    >>> r = t[t["population_id"] == "longhua-population-managed"].iloc[0]
    >>> round(float(r["low"]), 1), round(float(r["high"]), 1), r["timing"]
    (27189.7, 31125.0, 'same year')
    """
    py = per_year(cb)
    py = py[py["normalized"]]
    pops = population(cb)
    facts = cb.facts_by_id
    rows = []
    for _, s in py.iterrows():
        if _beyond_denominator(facts.loc[s["id"]]):
            continue
        num = Interval(
            s["per_year_low"], s["per_year_high"], None if math.isnan(s["per_year_point"]) else s["per_year_point"]
        )
        for _, p in pops[pops["district"] == s["district"]].iterrows():
            res = _divided(num, interval_of(p) / 10_000)
            least, most, timing = _timing(s["period_start"], s["period_end"], p["period_start"], p["period_end"])
            when = (
                p["period_start"] if p["period_start"] == p["period_end"] else f"{p['period_start']}..{p['period_end']}"
            )
            rows.append(
                {
                    "district": s["district"],
                    "id": s["id"],
                    "sum_text": f"{s['value_text']} ({s['basis']})",
                    "numerator_low": num.low,
                    "numerator_high": num.high,
                    "population_id": p["id"],
                    "population_kind": p["kind"],
                    "population": f"{p['value_text']} ({when})" + ("" if res is not _NO_RATIO else _ZERO),
                    "population_low": float(p["low"]),
                    "population_high": float(p["high"]),
                    "years_apart_min": least,
                    "years_apart_max": most,
                    "timing": timing,
                    "low": res.low,
                    "high": res.high,
                    "point": math.nan if res.point is None else res.point,
                }
            )
    cols = [
        "district",
        "id",
        "sum_text",
        "numerator_low",
        "numerator_high",
        "population_id",
        "population_kind",
        "population",
        "population_low",
        "population_high",
        "years_apart_min",
        "years_apart_max",
        "timing",
        "low",
        "high",
        "point",
    ]
    out = pd.DataFrame(rows, columns=cols)
    for col in ("district", "id", "sum_text", "population_id", "population_kind", "population", "timing"):
        out[col] = out[col].astype("string")
    return out.sort_values(["district", "id", "population_id"], ignore_index=True)


# ---------------------------------------------------------------------------------- all together
def normalized(cb: Casebook) -> pd.DataFrame:
    """The three normalizations in one long table, for a figure or a quick look.

    Parameters
    ----------
    cb : Casebook
        A validated casebook, from :func:`govcases.load_casebook`.

    Returns
    -------
    pandas.DataFrame
        Columns ``measure`` (``per year``, ``per organization per year``, ``per recipient``,
        ``per organization as stated``, ``per 10,000 people per year``), ``district``, ``id`` (the
        sum), ``denominator_id`` (NA for per-year rows), ``denominator`` (what is divided by, in
        words), ``timing``, ``low``, ``high``, ``point``, ``unit``, ``payer`` (who pays, in words)
        and ``reach`` (the area the sum reaches, ``not stated`` where the source is silent).

    Examples
    --------
    >>> import govcases
    >>> from govcases.analysis.funding import normalized
    >>> counts = normalized(govcases.load_casebook())["measure"].value_counts().sort_index()
    >>> for measure, n in counts.items():
    ...     print(f"{measure}: {n}")
    per 10,000 people per year: 7
    per organization as stated: 1
    per organization per year: 9
    per recipient: 2
    per year: 5
    """
    py = per_year(cb)
    py = py[py["normalized"]]
    a = pd.DataFrame(
        {
            "measure": "per year",
            "district": py["district"],
            "id": py["id"],
            "denominator_id": None,
            "denominator": [f"{m}" for m in py["method"]],
            "timing": "",
            "low": py["per_year_low"],
            "high": py["per_year_high"],
            "point": py["per_year_point"],
            "unit": "yuan per year",
        }
    )
    o = per_organization(cb)
    b = o[["measure", "district", "id", "denominator_id", "denominator", "timing", "low", "high", "point", "unit"]]
    r = per_10k_residents(cb)
    c = pd.DataFrame(
        {
            "measure": "per 10,000 people per year",
            "district": r["district"],
            "id": r["id"],
            "denominator_id": r["population_id"],
            "denominator": [f"{p} [{k}]" for p, k in zip(r["population"], r["population_kind"])],
            "timing": r["timing"],
            "low": r["low"],
            "high": r["high"],
            "point": r["point"],
            "unit": "yuan per 10,000 people per year",
        }
    )
    out = pd.concat([a, b, c], ignore_index=True)
    # Who pays and whom the sum reaches travel with every row, so social money and budgets are
    # never set on one axis unmarked, and a reader sees where the source is silent on reach.
    facts = cb.facts_by_id
    out["payer"] = [PAYERS.get(facts.at[i, "payer"], "payer not stated") for i in out["id"]]
    out["reach"] = [
        "not stated" if pd.isna(facts.at[i, "reach"]) else str(facts.at[i, "reach"]).replace("_", " ")
        for i in out["id"]
    ]
    for col in ("measure", "district", "id", "denominator_id", "denominator", "timing", "unit", "payer", "reach"):
        out[col] = out[col].astype("string")
    return out


# ---------------------------------------------------------------------------------- funding models
_COMPONENT = re.compile(r"^component\s+(\S+?)\s*:\s*(.*)$")


def model_components(cb: Casebook) -> pd.DataFrame:
    """The make-up of each named funding model, from its ``funding_model`` facts.

    A model is the fact without a subject (its value is the model's name, e.g. ``1+3+X``); its
    components are the facts whose subject reads ``component <token>: <description>``. Each
    component is linked to the ``funding_instrument`` fact its ``instruments`` field names, where
    it names one (validation checks that fact is in the same record).

    Parameters
    ----------
    cb : Casebook
        A validated casebook, from :func:`govcases.load_casebook`.

    Returns
    -------
    pandas.DataFrame
        One row per component, in the order the model's name lists them:

        ================  ==============================================================
        district          district slug
        model             the model's name as written
        model_fact        its fact id
        component         the token (``1``, ``3``, ``X``)
        in_model_name     whether the token is one of the ``+``-separated parts of the name
        description       the subject after the token (our words)
        value_text        the component as the source writes it
        component_fact    its fact id
        instrument        the linked funding instrument (NA if none)
        instrument_fact   the id of that instrument fact
        ================  ==============================================================

    Examples
    --------
    >>> import govcases
    >>> from govcases.analysis.funding import model_components
    >>> model_components(govcases.load_casebook())[["component", "instrument"]].values.tolist()
    [['1', 'lottery_welfare_fund'], ['3', 'tiered_fiscal_subsidy'], ['X', 'social_funds']]
    """
    f = cb.facts
    models = f[f["indicator"] == "funding_model"]
    inst = f[f["indicator"] == "funding_instrument"]
    rows = []
    for d in cb.districts:
        m = models[models["district"] == d]
        heads = m[m["subject"].isna()]
        parts = m[m["subject"].notna()]
        for _, head in heads.sort_values("id").iterrows():
            tokens = [t.strip() for t in str(head["value_text"]).split("+")]
            comp_rows = []
            for _, p in parts.iterrows():
                match = _COMPONENT.match(str(p["subject"]))
                if match is None:
                    continue
                token, desc = match.groups()
                linked = inst[(inst["district"] == d) & inst["id"].isin(_ids(p["instruments"]))]
                linked = linked.sort_values("id")
                comp_rows.append(
                    {
                        "district": d,
                        "model": head["value_text"],
                        "model_fact": head["id"],
                        "component": token,
                        "in_model_name": token in tokens,
                        "description": desc,
                        "value_text": p["value_text"],
                        "component_fact": p["id"],
                        "instrument": linked["value_text"].iloc[0] if len(linked) else None,
                        "instrument_fact": linked["id"].iloc[0] if len(linked) else None,
                    }
                )
            comp_rows.sort(
                key=lambda r: (
                    tokens.index(r["component"]) if r["component"] in tokens else len(tokens),
                    r["component"],
                )
            )
            rows += comp_rows
    cols = [
        "district",
        "model",
        "model_fact",
        "component",
        "in_model_name",
        "description",
        "value_text",
        "component_fact",
        "instrument",
        "instrument_fact",
    ]
    out = pd.DataFrame(rows, columns=cols)
    for col in cols:
        if col != "in_model_name":
            out[col] = out[col].astype("string")
    out["in_model_name"] = out["in_model_name"].astype(bool)
    return out


# ---------------------------------------------------------------------------------- what cannot be compared
def incomparable(cb: Casebook) -> pd.DataFrame:
    """The comparisons of money the sources do not allow, found by rule from the facts.

    Rules, in order: cumulative sums set beside yearly ones; cumulative sums without a dated start;
    one sum for several instruments; a total of all instruments beside the sums it may contain;
    cover (sum insured) beside spending; budgets beside outturns; one-off and per-organization sums
    beside district flows; sums reaching another area than the district; yearly figures from periods
    that do not overlap, or are too wide to show
    the same year; per-organization figures over counts of different scope; per-resident figures
    over populations of different kinds or dates; districts that name instruments but state no sum.

    Parameters
    ----------
    cb : Casebook
        A validated casebook, from :func:`govcases.load_casebook`.

    Returns
    -------
    pandas.DataFrame
        One row per problem found: ``issue`` (short name), ``districts`` (comma-separated),
        ``facts`` (fact ids, comma-separated; ``a vs b`` for pairs), ``why`` (one sentence).

    Examples
    --------
    >>> import govcases
    >>> from govcases.analysis.funding import incomparable
    >>> t = incomparable(govcases.load_casebook()).set_index("issue")
    >>> t.loc["one sum for several instruments", "facts"]
    'lvyuan-funding-amount-this-year, zhenhai-support-funds-total'
    """
    a = amounts(cb)
    money = a[a["indicator"] != "insured_sum"]
    py = per_year(cb)
    rows: list[dict] = []

    def add(issue: str, facts: pd.DataFrame | list, why: str, districts=None) -> None:
        if isinstance(facts, pd.DataFrame):
            if facts.empty:
                return
            ids, districts = sorted(facts["id"]), sorted(set(facts["district"]))
        else:
            if not facts:
                return
            ids = facts
        rows.append({"issue": issue, "districts": ", ".join(districts), "facts": ", ".join(ids), "why": why})

    cum, ann = money[money["basis"] == "cumulative"], money[money["basis"] == "annual"]
    if len(cum) and len(ann):
        add(
            "cumulative beside annual",
            pd.concat([cum, ann]),
            "A cumulative sum covers its own run of years; beside a yearly sum it compares a stock of several "
            "years with a flow of one. Only per-year intervals (per_year) may be set side by side.",
        )
    undated = py[(py["basis"] == "cumulative") & ~py["normalized"]]
    add(
        "cumulative without a dated start",
        undated,
        "The text does not say when the accumulation began, so there is no number of years to divide by "
        "and no per-year figure.",
    )
    add(
        "one sum for several instruments",
        money[money["instrument"].isin(["mixed", "all_instruments"])],
        "One sum covers several instruments together and cannot be split; it is not comparable with a sum "
        "for one instrument, nor with another district's sum for a different mix.",
    )
    totals = money[money["instrument"] == "all_instruments"]
    for d in sorted(set(totals["district"])):
        parts = money[(money["district"] == d) & (money["instrument"] != "all_instruments")]
        if len(parts):
            add(
                "total beside its possible parts",
                pd.concat([totals[totals["district"] == d], parts]),
                "The total of all instruments may already contain the instrument sums; adding them counts "
                "money twice, and subtracting them assumes what the source does not say.",
            )
    add(
        "cover is not spending",
        a[a["indicator"] == "insured_sum"],
        "A sum insured is the cover bought for volunteers; the premium paid is not stated. It is never "
        "added to or compared with money spent.",
    )
    add(
        "budget beside outturn",
        money[money["basis"] == "budget"],
        "A budget is money planned for a year; set beside money provided it mixes plans with outturns.",
    )
    add(
        "part, not district flow",
        money[money["basis"].isin(["one_off", "per_unit"])],
        "A one-off sum for one round (or one street), or a sum per organization, is not a district's "
        "yearly funding and is not set beside one.",
    )
    reach = cb.facts_by_id["reach"]
    beyond = [not pd.isna(reach[i]) and reach[i] != "district" for i in money["id"]]
    flows = money["basis"].isin(["annual", "cumulative"]).to_numpy(dtype=bool)
    wide = money.loc[np.asarray(beyond, dtype=bool) & flows]
    add(
        "reach beyond the district",
        wide,
        "The sum reaches another area than the district (a call open to the whole city, one street), so "
        "it is not divided by the district's organizations or residents.",
    )
    yearly = py[py["normalized"]]
    apart, vague = [], []
    for (_, x), (_, y) in combinations(yearly.iterrows(), 2):
        if x["district"] == y["district"]:
            continue
        least, most, _ = _timing(x["period_start"], x["period_end"], y["period_start"], y["period_end"])
        pair = f"{x['id']} vs {y['id']}"
        if least > 0:
            apart.append((pair, x["district"], y["district"]))
        elif most > 1.0:
            vague.append((pair, x["district"], y["district"]))
    for issue, pairs, why in (
        (
            "yearly figures from different periods",
            apart,
            "The periods do not overlap: the districts, their prices and their policies changed in between.",
        ),
        (
            "yearly figures of uncertain year",
            vague,
            "The periods overlap, but at least one spans several years, so the two sums may belong to years far "
            "apart; a difference between them may be a difference of years.",
        ),
    ):
        if pairs:
            add(issue, [p for p, _, _ in pairs], why, sorted({d for _, a1, b1 in pairs for d in (a1, b1)}))
    org = per_organization(cb)
    org = org[org["measure"] == "per organization per year"]
    scopes = org.groupby("district")["denominator_scope"].agg(lambda s: sorted(set(s)))
    if org["denominator_scope"].nunique() > 1:
        add(
            "organization counts of different scope",
            sorted(set(org["denominator_id"].dropna())),
            "Money per organization divides by counts of different scope ("
            + "; ".join(f"{d}: {', '.join(s)}" for d, s in scopes.items())
            + "); only rows of the same scope could be set side by side, and they also differ in date.",
            sorted(scopes.index),
        )
    res = per_10k_residents(cb)
    odd = res[res["timing"].str.startswith("MISMATCH") | (res["population_kind"] != "census")]
    if res["population_kind"].nunique() > 1 or len(odd):
        add(
            "populations of different kind or date",
            sorted(set(odd["population_id"])),
            "Per-resident figures divide by a managed population in one district and census counts in "
            "others, and some populations are dated years away from the sum; each row of per_10k_residents "
            "says which.",
            sorted(set(odd["district"])),
        )
    use = instrument_use(cb)
    for d in cb.districts:
        named = use[(use["district"] == d) & use["named"]]
        if len(named) and not (money["district"] == d).any():
            add(
                "instruments without any sum",
                sorted(i for s in named["instrument_ids"] for i in s.split(" | ")),
                "The source names the instruments but states no sum of money, so the district's funding can be "
                "described, not measured.",
                [d],
            )
    out = pd.DataFrame(rows, columns=["issue", "districts", "facts", "why"])
    return out.astype("string")
