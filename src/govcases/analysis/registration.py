"""Registration reforms: what the districts changed, when, and what they report it did.

Three kinds of evidence sit in the casebook's registration and incubation facts: reforms with a
date (a filing system, a dual track of registration and filing, direct registration, easier
procedures), counts before and after a procedure change (documents, trips, days), and reported
effects (registrations since a reform and their year-on-year change; organizations an incubator
took in and how many of them went on to register). The national move of 2013 to direct
registration is not a district fact; it comes from ``data/external/national_policy.csv`` of the
casebook's project (the ``data`` folder beside the casebook folder) and is read by :func:`national_reforms`.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import numpy as np
import pandas as pd

from govcases.records.casebook import Casebook
from govcases.records.intervals import Interval
from govcases.records.models import parse_iso_date
from govcases.records.paths import project_paths

__all__ = [
    "NATIONAL_POLICY_FILE",
    "REFORM_KINDS",
    "TIMELINE_DOMAINS",
    "TIMELINE_INDICATORS",
    "conversion_rates",
    "implied_base",
    "national_reforms",
    "policy_context",
    "policy_timeline",
    "procedure_changes",
    "reform_timeline",
    "reported_effects",
]

#: The external table of national policy facts, in a project's data folder (see data/external/README.md).
NATIONAL_POLICY_FILE = "external/national_policy.csv"

#: Indicators that record a reform, and the short name each gets in tables and figures.
REFORM_KINDS = {
    "filing_system": "filing system",
    "dual_track_registration": "dual track",
    "direct_registration": "direct registration",
    "registration_procedure_change": "procedure change",
    "registration_procedure_after": "procedure change",
}

_INCUBATOR_STAGES = ("incubated", "registered")


def national_reforms(cb: Casebook | None = None, *, path=None) -> pd.DataFrame:
    """The national policy facts of ``data/external/national_policy.csv``, with their citations.

    Parameters
    ----------
    cb : Casebook, optional
        The casebook whose project holds the table: :data:`NATIONAL_POLICY_FILE` in the ``data``
        folder beside ``cb.root``. Default: the casebook :func:`govcases.load_casebook` reads by
        default (``GOVCASES_CASEBOOK`` if set).
    path : path-like, optional
        A table to read instead, wherever it is.

    Returns
    -------
    pandas.DataFrame
        One row per fact, in file order.

        ============ ==================================================================
        column       meaning
        ============ ==================================================================
        what         a short id of the fact (state_council_plan_approved, ...)
        value        the value as text (a date, or a number)
        unit         'date', or what the number counts
        year         the year it refers to
        date         the value as a Timestamp where unit is 'date', else NaT
        source_title title of the page read, or why it is not known
        source_url   address of the page read
        note         the Chinese text of the page, quoted, and caveats
        ============ ==================================================================

    Examples
    --------
    >>> nat = national_reforms()
    >>> nat.set_index("what").loc["state_council_plan_approved", "value"]
    '2013-03-14'
    """
    if path is None:
        data = project_paths(cb.root if cb is not None else None)[1]
        path = data / NATIONAL_POLICY_FILE
        if not path.is_file():
            raise FileNotFoundError(
                f"{path}: no national policy table in the casebook's data folder; copy "
                f"data/{NATIONAL_POLICY_FILE} of the govcases repository there, or pass path="
            )
    table = pd.read_csv(Path(path), dtype=str, keep_default_na=False, encoding="utf-8")
    table["year"] = table["year"].astype(int)
    dates = table["value"].where(table["unit"] == "date")
    for i, text in dates.dropna().items():
        try:
            parse_iso_date(text)
        except ValueError as err:  # pandas would also read 2013/3/14 or 14.3.2013, and not say where
            raise ValueError(f"{path}:{i + 2}: column 'value': {err}") from None
    table["date"] = pd.to_datetime(dates, format="%Y-%m-%d")
    cols = ["what", "value", "unit", "year", "date", "source_title", "source_url", "note"]
    return table[cols]


# ---------------------------------------------------------------------------- timeline
def reform_timeline(cb: Casebook) -> pd.DataFrame:
    """Every reform fact with its resolved period, sorted by district and start.

    Parameters
    ----------
    cb : Casebook
        A validated casebook, from :func:`govcases.load_casebook`.

    Returns
    -------
    pandas.DataFrame
        ============= ====================================================================
        column        meaning
        ============= ====================================================================
        district      district slug
        id            fact id
        indicator     one of the keys of :data:`REFORM_KINDS`
        kind          filing system, dual track, direct registration, procedure change
        subject       what the reform concerns (our words)
        value_text    as written (true, abolished, 15项, ...)
        period_text   the date as the text gives it
        period_start  start of the resolved period (ISO date)
        period_end    end of the resolved period
        start_stated  False where the text gives no date ('not stated') or only the date by
                      which the reform was in place (period reading ``in_place_by``): the
                      period is then when it is reported in force, and it may have begun earlier
        categories    for direct registration, the eligible categories the source lists
        confidence    stated, inferred or disputed
        ============= ====================================================================

    Examples
    --------
    >>> import govcases
    >>> t = reform_timeline(govcases.load_casebook())
    >>> t.loc[t["id"] == "beilun-filing-system", ["kind", "period_start"]].values.tolist()
    [['filing system', '2006-01-01']]
    """
    facts = cb.facts
    rows = facts[facts["indicator"].isin(REFORM_KINDS)].copy()
    cats = facts[facts["indicator"] == "direct_registration_category"]
    by_district = cats.groupby("district")["value_text"].apply(lambda s: ", ".join(sorted(s)))
    rows["kind"] = rows["indicator"].map(REFORM_KINDS)
    rows["start_stated"] = (rows["period_text"] != "not stated") & (rows["period_reading"] != "in_place_by")
    rows["categories"] = [
        by_district.get(d, "") if i == "direct_registration" else ""
        for d, i in zip(rows["district"], rows["indicator"])
    ]
    cols = [
        "district",
        "id",
        "indicator",
        "kind",
        "subject",
        "value_text",
        "period_text",
        "period_start",
        "period_end",
        "start_stated",
        "categories",
        "confidence",
    ]
    return rows[cols].sort_values(["district", "period_start", "kind", "id"], ignore_index=True)


# ---------------------------------------------------------------------------- procedures
def procedure_changes(cb: Casebook) -> pd.DataFrame:
    """Requirements before and after a reform, paired by district and subject.

    Parameters
    ----------
    cb : Casebook
        A validated casebook, from :func:`govcases.load_casebook`.

    Returns
    -------
    pandas.DataFrame
        ============== ===============================================================
        column         meaning
        ============== ===============================================================
        district       district slug
        subject        what is counted (documents, trips, days)
        unit           items, trips or days
        before_text    as written before (22项)
        after_text     as written after (15项)
        before         the figure before
        after          the figure after
        after_share    after / before (interval low end; exact figures here)
        after_share_high  high end
        change_percent (after - before) / before x 100
        before_id      fact id
        after_id       fact id
        ============== ===============================================================

    Examples
    --------
    >>> import govcases
    >>> p = procedure_changes(govcases.load_casebook().select(["longhua"]))
    >>> p[["before", "after"]].values.tolist()
    [[22.0, 15.0], [60.0, 10.0], [7.0, 3.0]]
    """
    facts = cb.facts
    before = facts[facts["indicator"] == "registration_procedure_before"]
    after = facts[facts["indicator"] == "registration_procedure_after"]
    pairs = before.merge(after, on=["district", "subject"], suffixes=("_b", "_a"))
    rows = []
    for _, p in pairs.sort_values(["district", "subject"]).iterrows():
        b = Interval(float(p["low_b"]), float(p["high_b"]), float(p["value_b"]))
        a = Interval(float(p["low_a"]), float(p["high_a"]), float(p["value_a"]))
        share = a / b
        rows.append(
            {
                "district": p["district"],
                "subject": p["subject"],
                "unit": p["unit_a"],
                "before_text": p["value_text_b"],
                "after_text": p["value_text_a"],
                "before": b.point,
                "after": a.point,
                "after_share": share.low,
                "after_share_high": share.high,
                "change_percent": 100.0 * (share.point - 1.0),
                "before_id": p["id_b"],
                "after_id": p["id_a"],
            }
        )
    return pd.DataFrame(
        rows,
        columns=[
            "district",
            "subject",
            "unit",
            "before_text",
            "after_text",
            "before",
            "after",
            "after_share",
            "after_share_high",
            "change_percent",
            "before_id",
            "after_id",
        ],
    )


# ---------------------------------------------------------------------------- reported effects
def implied_base(count: float, percent_text: str, percent: float) -> dict:
    """What a count and its year-on-year growth imply about last year's count.

    A printed whole percentage stands for the values that round to it (152% is [151.5, 152.5]),
    so last year's count lies in ``count / (1 + [151.5, 152.5] / 100)``. If no whole number lies
    there, the two figures cannot both be exact counts and an exact change between them.

    Parameters
    ----------
    count : float
        This year's count.
    percent_text : str
        The year-on-year change as printed (``152%``); its decimals set how far the rounding reaches.
    percent : float
        The same change as a number (152 for 152%).

    Returns
    -------
    dict
        ``base_low``, ``base_high``, ``whole_bases`` (text, '' when none), ``fits`` and
        ``nearest`` (the whole bases either side, with the percentage each would give).

    Examples
    --------
    >>> r = implied_base(16, "152%", 152)
    >>> round(r["base_low"], 3), round(r["base_high"], 3), r["fits"]
    (6.337, 6.362, False)
    >>> r["nearest"]
    '6 -> +166.7%, 7 -> +128.6%'
    """
    digits = re.findall(r"\d+(?:\.(\d+))?", percent_text)
    decimals = len(digits[0]) if digits and digits[0] else 0
    half = 0.5 * 10.0 ** (-decimals)
    low, high = count / (1 + (percent + half) / 100), count / (1 + (percent - half) / 100)
    whole = list(range(math.ceil(low - 1e-9), math.floor(high + 1e-9) + 1))
    point = count / (1 + percent / 100)
    near = sorted({math.floor(point), math.ceil(point)} - {0})
    nearest = ", ".join(f"{b} -> {100 * (count / b - 1):+.1f}%" for b in near)
    return {
        "base_low": low,
        "base_high": high,
        "whole_bases": ", ".join(map(str, whole)),
        "fits": bool(whole),
        "nearest": nearest,
    }


def _plain(subject) -> str:
    """A subject without its parenthesized Chinese gloss, for matching counts with their rates."""
    return re.sub(r"\s+", " ", re.sub(r"\([^)]*\)", "", str(subject or ""))).strip()


def reported_effects(cb: Casebook) -> pd.DataFrame:
    """Registrations and name pre-approvals the sources report, with their year-on-year change.

    A count (``registrations_count``) is matched with a growth_rate_yoy fact of the same district
    and period whose subject is the count's subject without its Chinese gloss. For each match
    the base a year earlier is worked out by :func:`implied_base`.

    Parameters
    ----------
    cb : Casebook
        A validated casebook, from :func:`govcases.load_casebook`.

    Returns
    -------
    pandas.DataFrame
        ============== ==============================================================
        column         meaning
        ============== ==============================================================
        district       district slug
        count_id       the count
        subject        what was counted
        count_text     as written (16家)
        count          the figure
        period_start   start of the period counted
        period_end     end of the period counted
        yoy_id         the matching year-on-year change (NA if none)
        yoy_text       as written (152%)
        base_low/high  last year's count implied by count and change (derived)
        whole_bases    whole numbers in that interval ('' when none)
        fits           whether any whole base fits
        nearest        nearest whole bases and the change each would give
        ============== ==============================================================

    Examples
    --------
    >>> import govcases
    >>> e = reported_effects(govcases.load_casebook().select(["longhua"]))
    >>> e.loc[e["yoy_text"].notna(), ["count_text", "yoy_text", "fits"]].values.tolist()
    [['48家', '363%', False], ['16家', '152%', False]]
    """
    facts = cb.facts
    counts = facts[facts["indicator"] == "registrations_count"]
    yoy = facts[facts["indicator"] == "growth_rate_yoy"]
    rows = []
    for _, c in counts.sort_values(["district", "id"]).iterrows():
        match = yoy[
            (yoy["district"] == c["district"])
            & (yoy["period_start"] == c["period_start"])
            & (yoy["period_end"] == c["period_end"])
            & (yoy["subject"].map(_plain) == _plain(c["subject"]))
        ]
        row = {
            "district": c["district"],
            "count_id": c["id"],
            "subject": c["subject"],
            "count_text": c["value_text"],
            "count": float(c["value"]),
            "period_start": c["period_start"],
            "period_end": c["period_end"],
            "yoy_id": pd.NA,
            "yoy_text": pd.NA,
            "base_low": np.nan,
            "base_high": np.nan,
            "whole_bases": pd.NA,
            "fits": pd.NA,
            "nearest": pd.NA,
        }
        if len(match) == 1:
            y = match.iloc[0]
            row.update(
                {
                    "yoy_id": y["id"],
                    "yoy_text": y["value_text"],
                    **implied_base(float(c["value"]), str(y["value_text"]), float(y["value"])),
                }
            )
        rows.append(row)
    return pd.DataFrame(
        rows,
        columns=[
            "district",
            "count_id",
            "subject",
            "count_text",
            "count",
            "period_start",
            "period_end",
            "yoy_id",
            "yoy_text",
            "base_low",
            "base_high",
            "whole_bases",
            "fits",
            "nearest",
        ],
    )


# ---------------------------------------------------------------------------- incubation
def conversion_rates(cb: Casebook, *, alpha: float = 0.05) -> pd.DataFrame:
    """Share of incubated organizations that registered, per incubator tier, with Wilson intervals.

    ``incubator_count`` facts whose subject starts with ``incubated:`` and ``registered:`` are
    paired by district and the tier named after the colon. The interval is statsmodels'
    ``proportion_confint(method='wilson')``; it treats the count as a sample, which these
    cumulative counts are not (see the notebook), so read it as a yardstick of how much a share
    of this size moves with a few organizations more or less.

    Parameters
    ----------
    cb : Casebook
        A validated casebook, from :func:`govcases.load_casebook`.
    alpha : float, default 0.05
        One minus the level of the Wilson interval (0.05 gives 95%).

    Returns
    -------
    pandas.DataFrame
        ============== ==============================================================
        column         meaning
        ============== ==============================================================
        district       district slug
        tier           the incubator tier, as the subject names it
        incubated      organizations incubated (cumulative)
        registered     of them, registered
        rate           registered / incubated
        ci_low         Wilson interval, low end (level 1 - alpha)
        ci_high        high end
        incubated_id   fact id
        registered_id  fact id
        period_start   earliest start of the two facts' periods
        period_end     latest end
        ============== ==============================================================

    Examples
    --------
    >>> import govcases
    >>> r = conversion_rates(govcases.load_casebook().select(["longhua"]))
    >>> r[["incubated", "registered"]].values.tolist()
    [[200, 88], [104, 36]]
    """
    from statsmodels.stats.proportion import proportion_confint

    facts = cb.facts
    inc = facts[facts["indicator"] == "incubator_count"].copy()
    split = inc["subject"].str.split(":", n=1)
    inc["stage"] = split.str[0].str.strip()
    inc["tier"] = split.str[1].str.strip()
    rows = []
    for (district, tier), g in inc.groupby(["district", "tier"], sort=True):
        stages = g.set_index("stage")
        if not all(s in stages.index for s in _INCUBATOR_STAGES):
            continue
        n_row, k_row = stages.loc["incubated"], stages.loc["registered"]
        for r in (n_row, k_row):
            if r["low"] != r["high"]:
                # A share of an approximate count (30余) is not a binomial count; refuse it openly.
                raise ValueError(f"{r['id']}: count {r['value_text']} is approximate; no conversion rate computed")
        n, k = int(n_row["value"]), int(k_row["value"])
        lo, hi = proportion_confint(k, n, alpha=alpha, method="wilson")
        rows.append(
            {
                "district": district,
                "tier": tier,
                "incubated": n,
                "registered": k,
                "rate": k / n,
                "ci_low": float(lo),
                "ci_high": float(hi),
                "incubated_id": n_row["id"],
                "registered_id": k_row["id"],
                "period_start": min(n_row["period_start"], k_row["period_start"]),
                "period_end": max(n_row["period_end"], k_row["period_end"]),
            }
        )
    out = pd.DataFrame(
        rows,
        columns=[
            "district",
            "tier",
            "incubated",
            "registered",
            "rate",
            "ci_low",
            "ci_high",
            "incubated_id",
            "registered_id",
            "period_start",
            "period_end",
        ],
    )
    return out.sort_values(["district", "rate"], ascending=[True, False], ignore_index=True) if len(out) else out


# ---------------------------------------------------------------------------- one timeline, all domains
#: Codebook categories drawn on the policy timeline, with the words a reader sees. Policy documents
#: get a lane of their own: the codebook does not code which domain a document belongs to.
TIMELINE_DOMAINS = {
    "registration": "registration",
    "funding": "funding",
    "incubation_hubs": "incubation and hubs",
    "purchase_transfer": "purchase and transfer",
    "evaluation_supervision": "evaluation and supervision",
    "party_building": "Party building",
    "policy_documents": "policy documents (domain not coded)",
}

#: Indicators that mark a policy, an instrument or an arrangement (not a count) on the timeline; the
#: domain is the indicator's codebook category. A test checks that every marking indicator of these
#: categories is listed, so a new one is not left off silently.
TIMELINE_INDICATORS = (
    "filing_system",
    "dual_track_registration",
    "direct_registration",
    "direct_registration_category",
    "funding_instrument",
    "hub_feature",
    "federation_first_established",
    "transfer_instrument",
    "supervision_feature",
    "party_building_feature",
    "policy_document",
)

# What the national table's dated rows mean, in words (national_policy.csv's `what`).
_NATIONAL_EVENTS = {
    "state_council_plan_approved": (
        "State Council plan approved: direct registration for four kinds of organization",
        "began",
    ),
    "regulation_revision_deadline": ("Deadline set for revising the registration regulations", "announced"),
}


def policy_timeline(cb: Casebook) -> pd.DataFrame:
    """Every dated policy, instrument and arrangement of the districts, across all domains.

    A fact is on the timeline when its indicator is one of :data:`TIMELINE_INDICATORS`: it marks
    something rather than counts it (a reform, an instrument, a hub feature, a Party-building or
    supervision arrangement, a policy document). Each gets one of two marks:

    * ``began``: the text dates the start or the issue (``period_means`` began or issued, and a
      date the text states); the period is when it began;
    * ``in place by``: the text gives only its own date, or the date by which the thing existed
      (``as_of`` features, ``period.reading: in_place_by``, an unstated start); it may have begun
      any time before ``period_end``.

    Planned arrangements (``status: planned``) are not in place and are left out; ``left_out``
    in the attributes of the table counts them, so count in equals count out.

    Parameters
    ----------
    cb : Casebook
        A validated casebook, from :func:`govcases.load_casebook`.

    Returns
    -------
    pandas.DataFrame
        One row per fact, sorted by district, domain and date:

        ============  ==============================================================
        district      district slug
        domain        the domain in words (a value of :data:`TIMELINE_DOMAINS`)
        what          what is marked, in words (the codebook's label and value)
        mark          ``began`` or ``in place by``
        period_start  first day of the resolved period (ISO date)
        period_end    last day
        period_text   the date as the text gives it
        id            the fact id
        confidence    stated, inferred or disputed
        ============  ==============================================================

    Examples
    --------
    >>> import govcases
    >>> t = policy_timeline(govcases.load_casebook().select(["beilun"])).set_index("id")
    >>> t.loc["beilun-filing-system", ["domain", "mark", "period_start"]].tolist()
    ['registration', 'began', '2006-01-01']
    """
    f = cb.facts
    indicators = cb.codebook.indicators
    cats = {k: ("policy_documents" if k == "policy_document" else indicators[k].category) for k in TIMELINE_INDICATORS}
    rows = f[f["indicator"].isin(list(cats))]
    planned = (rows["status"] == "planned").fillna(False).astype(bool)
    kept = rows[~planned]
    out = []
    for _, r in kept.iterrows():
        ind = indicators[r["indicator"]]
        began = (
            ind.period_means in ("began", "issued")
            and r["period_reading"] != "in_place_by"
            and r["period_text"] != "not stated"
        )
        out.append(
            {
                "district": r["district"],
                "domain": TIMELINE_DOMAINS[cats[r["indicator"]]],
                "what": _timeline_words(ind, r),
                "mark": "began" if began else "in place by",
                "period_start": r["period_start"],
                "period_end": r["period_end"],
                "period_text": r["period_text"],
                "id": r["id"],
                "confidence": r["confidence"],
            }
        )
    cols = ["district", "domain", "what", "mark", "period_start", "period_end", "period_text", "id", "confidence"]
    table = pd.DataFrame(out, columns=cols).astype("string")
    order = {v: i for i, v in enumerate(TIMELINE_DOMAINS.values())}
    table = table.sort_values(
        ["district", "domain", "period_start", "id"], key=lambda s: s.map(order) if s.name == "domain" else s
    ).reset_index(drop=True)
    table.attrs["left_out"] = {"planned": int(planned.sum())}
    return table


def _timeline_words(ind, r) -> str:
    """What a timeline mark stands for, in a reader's words: never an id or a snake_case value."""
    if ind.value_type == "category":
        return f"{ind.label_en}: {str(r['value_text']).replace('_', ' ')}"
    if ind.value_type == "boolean":
        return (
            ind.label_en if str(r["value_text"]).lower() in ("true", "yes") else f"{ind.label_en} ({r['value_text']})"
        )
    if ind.value_type == "text" and not pd.isna(r["subject"]):
        return f"{ind.label_en}: {r['subject']}"
    if ind.value_type == "text":
        return f"{ind.label_en}: {r['value_text']}"
    return ind.label_en


def policy_context(cb: Casebook) -> pd.DataFrame:
    """The national, provincial and city reforms around the districts' own, each with its page.

    National rows come from ``national_policy.csv`` (its dated facts: the 2013 plan, the deadline
    for revising the regulations) and from the country rows of ``policy_context.csv``; provincial
    and city rows from ``policy_context.csv`` (:func:`govcases.records.policy_context.load_policy_context`),
    each attached to every district whose profile names that province or city. A district whose
    province has no row has none: no page was found, which is not to say nothing happened.

    Parameters
    ----------
    cb : Casebook
        A validated casebook, from :func:`govcases.load_casebook`; its project's ``data`` folder
        holds the two tables.

    Returns
    -------
    pandas.DataFrame
        One row per (district, context event), national rows once with ``district`` NA:
        ``district``, ``area``, ``level``, ``domain`` (in words), ``event``, ``reading``
        (``began``, ``announced`` or ``in place by``), ``period_start``, ``period_end``,
        ``source_url``.

    Raises
    ------
    ValueError
        If ``national_policy.csv`` has a dated fact this function has no words for.

    Examples
    --------
    >>> import govcases
    >>> t = policy_context(govcases.load_casebook().select(["longhua"]))
    >>> t.loc[t["district"] == "longhua", "area"].unique().tolist()
    ['Shenzhen 深圳市', 'Guangdong 广东省']
    """
    from govcases.records.policy_context import DOMAINS, load_policy_context

    rows = []
    nat = national_reforms(cb)
    for _, r in nat[nat["unit"] == "date"].iterrows():
        if r["what"] not in _NATIONAL_EVENTS:
            raise ValueError(
                f"national_policy.csv: dated fact {r['what']!r} has no words in "
                "govcases.analysis.registration._NATIONAL_EVENTS; add them there"
            )
        event, reading = _NATIONAL_EVENTS[r["what"]]
        rows.append(
            {
                "district": None,
                "area": "China 全国",
                "level": "country",
                "domain": "registration",
                "event": event,
                "reading": reading,
                "period_start": r["value"],
                "period_end": r["value"],
                "source_url": r["source_url"],
            }
        )
    ctx = load_policy_context(cb)
    profiles = cb.profiles.set_index("district")
    for _, r in ctx.iterrows():
        base = {
            "area": r["area"],
            "level": r["level"],
            "domain": DOMAINS[r["domain"]],
            "event": r["event"],
            "reading": r["reading"].replace("_", " "),
            "period_start": r["period_start"],
            "period_end": r["period_end"],
            "source_url": r["source_url"],
        }
        if r["level"] == "country":
            rows.append({"district": None, **base})
            continue
        column = "province_en" if r["level"] == "province" else "city_en"
        for d in cb.districts:
            if str(profiles.at[d, column]) == r["area"].split(" ")[0]:
                rows.append({"district": d, **base})
    cols = ["district", "area", "level", "domain", "event", "reading", "period_start", "period_end", "source_url"]
    out = pd.DataFrame(rows, columns=cols).astype("string")
    return out.sort_values(["district", "period_start", "area"], na_position="first", ignore_index=True)
