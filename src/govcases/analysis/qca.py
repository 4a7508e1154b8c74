"""Crisp-set QCA on the districts: an outcome coded from facts, a truth table, Boolean minimization.

The outcome is "large sector": organizations per 10,000 residents at or above a threshold. The
count and the population both come from facts, with their intervals:

* **Count.** One scope only, never a mix. For ``scope='registered'`` a district's
  ``orgs_registered`` fact is used; where the source gives no registered count, a total that
  includes more (``orgs_registered_and_filed``, or ``orgs_total_scope_unstated``, which is one of
  the two) bounds it from above and nothing bounds it from below but 0. For
  ``scope='registered_and_filed'`` the ``orgs_registered_and_filed`` fact is used; otherwise a
  registered count or an unstated total bounds it from below and nothing from above. Where a
  district has several facts of the scope, the latest (by end of reference period) is used.
* **Population.** Resident population (never the "managed population", which counts people the
  resident figure leaves out): the fact nearest in time to the count's reference period; where
  several are equally near (both inside a wide reference period, as for Beilun's undated article),
  the interval spanning them. :func:`denominator_sensitivity` shows every other choice.

A district is coded 1 when its whole density interval is at or above the threshold, 0 when it is
wholly below, and is left out of the truth table when the interval straddles the threshold or no
count exists; the reason is shown, the value is never guessed.

Minimization uses :func:`sympy.logic.boolalg.SOPform`: observed positive configurations are the
minterms; for the parsimonious solution, configurations without any coded case (remainders) are
don't-cares, for the complex (conservative) solution they are treated as negative. Because SOPform
returns one minimal cover, :func:`minimal_solutions` lists every minimal sum as well, so that model
ambiguity is shown rather than hidden.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from itertools import combinations, product

import pandas as pd

from govcases.records.casebook import Casebook
from govcases.records.intervals import Interval, format_interval, period_distance, ratio

__all__ = [
    "CODINGS",
    "CONDITIONS",
    "HANDFUL",
    "SCOPES",
    "THRESHOLD",
    "THRESHOLD_GRID",
    "Solution",
    "code_outcome",
    "condition_fit",
    "condition_set_sensitivity",
    "crisp_matrix",
    "denominator_sensitivity",
    "export_solutions",
    "export_truth_table",
    "interval_sensitivity",
    "minimal_solutions",
    "minimize",
    "national_outcome",
    "necessity",
    "org_counts",
    "reviewed_qca",
    "run_qca",
    "sector_density",
    "solution_fit",
    "stated_densities",
    "threshold_sensitivity",
    "truth_table",
]

#: How a count of each target scope is found or bounded. Registered organizations are a subset of
#: registered plus filed ones; a total of unstated scope is one of the two, so it bounds the
#: registered count from above and the registered-plus-filed count from below.
SCOPES: dict[str, dict[str, tuple[str, ...]]] = {
    "registered": {
        "exact": ("orgs_registered",),
        "upper": ("orgs_registered_and_filed", "orgs_total_scope_unstated"),
        "lower": (),
    },
    "registered_and_filed": {
        "exact": ("orgs_registered_and_filed",),
        "upper": (),
        "lower": ("orgs_registered", "orgs_total_scope_unstated"),
    },
}

PER = 10_000  # residents

#: The analysis defaults (notebook 05 states why): one condition per policy domain, each varying
#: across the districts; a threshold in the gap between the coded densities; a grid around it.
#: 6.5 sits between Zhenhai's own stated density (6.35) and ours from the census (6.52).
CONDITIONS: tuple[str, ...] = ("direct_registration", "multi_tier_network", "lottery_fund")
THRESHOLD = 5.0
THRESHOLD_GRID: tuple[float, ...] = (1, 1.5, 2, 3, 4, 5, 6, 6.5, 7, 10, 15, 20, 30)


# ---------------------------------------------------------------------------- outcome


def _latest(rows: pd.DataFrame) -> pd.DataFrame:
    # The latest reference period stands for the sector's current size; ties are all kept.
    last = rows["period_end"].max()
    return rows[rows["period_end"] == last].sort_values("id")


def org_counts(cb: Casebook, *, scope: str = "registered", include_disputed: bool = False) -> pd.DataFrame:
    """The count of organizations of one scope per district, exact or bounded, from facts.

    Parameters
    ----------
    cb : Casebook
        A validated casebook, from :func:`govcases.load_casebook`.
    scope : {'registered', 'registered_and_filed'}
        Which organizations are counted (see :data:`SCOPES`).
    include_disputed : bool, default False
        Also use facts whose confidence is ``disputed``.

    Returns
    -------
    pandas.DataFrame
        One row per district (sorted):

        ============  ==================================================================
        district      district slug
        scope         the scope asked for
        low, high     the interval of the count (organizations); NA when there is none
        point         the figure as stated, where the count is stated in this scope
        how           ``stated``, ``upper bound only``, ``lower bound only`` or ``no count``
        fact_ids      the facts used, joined by ``|``
        period_start  start of the facts' reference period (ISO date)
        period_end    end of it
        note          how the bound follows from the facts
        ============  ==================================================================

    Examples
    --------
    >>> import govcases
    >>> from govcases.analysis.qca import org_counts
    >>> c = org_counts(govcases.load_casebook()).set_index("district")
    >>> float(c.loc["longhua", "low"]), float(c.loc["longhua", "high"]), c.loc["longhua", "how"]
    (0.0, 430.0, 'upper bound only')
    """
    if scope not in SCOPES:
        raise ValueError(f"scope must be one of {sorted(SCOPES)}, not {scope!r}")
    rule = SCOPES[scope]
    facts = cb.facts if include_disputed else cb.facts[cb.facts["confidence"] != "disputed"]
    facts = facts[facts["basis"] == "stock"]
    rows = []
    for district in cb.districts:
        own = facts[facts["district"] == district]
        exact = own[own["indicator"].isin(rule["exact"])]
        upper = own[own["indicator"].isin(rule["upper"])]
        lower = own[own["indicator"].isin(rule["lower"])]
        row = {
            "district": district,
            "scope": scope,
            "low": math.nan,
            "high": math.nan,
            "point": math.nan,
            "how": "no count",
            "fact_ids": "",
            "period_start": pd.NA,
            "period_end": pd.NA,
            "note": "the source gives no count of this scope or of one that bounds it",
        }
        if len(exact):
            used = _latest(exact)
            point = used["value"].iloc[0] if len(used) == 1 else pd.NA
            row.update(
                low=float(used["low"].min()),
                high=float(used["high"].max()),
                point=float(point) if not pd.isna(point) else math.nan,
                how="stated",
                note="count of this scope as the source states it",
            )
        elif len(upper):
            used = _latest(upper)
            row.update(
                low=0.0,
                high=float(used["high"].min()),
                how="upper bound only",
                note=f"no {scope} count; the {', '.join(sorted(set(used['indicator'])))} total "
                "includes them, so it is an upper bound; no lower bound but 0",
            )
        elif len(lower):
            used = _latest(lower)
            row.update(
                low=float(used["low"].max()),
                high=math.inf,
                how="lower bound only",
                note=f"no {scope} count; the {', '.join(sorted(set(used['indicator'])))} total "
                "is part of it, so it is a lower bound; no upper bound",
            )
        else:
            used = own.iloc[0:0]
        if len(used):
            row.update(
                fact_ids="|".join(used["id"]),
                period_start=used["period_start"].min(),
                period_end=used["period_end"].max(),
            )
        rows.append(row)
    return pd.DataFrame(rows)


def sector_density(
    cb: Casebook, *, scope: str = "registered", population: str | None = None, include_disputed: bool = False
) -> pd.DataFrame:
    """Organizations per 10,000 residents per district, as an interval, with its count and denominator named.

    Parameters
    ----------
    cb : Casebook
        A validated casebook, from :func:`govcases.load_casebook`.
    scope : str
        Scope of the count (see :func:`org_counts`).
    population : str or None
        None: the resident population nearest in time to the count (hull of ties). Otherwise a
        population fact id to use for its district (other districts keep the default); this is how
        :func:`denominator_sensitivity` tries each choice.
    include_disputed : bool, default False
        Also use facts whose confidence is ``disputed``.

    Returns
    -------
    pandas.DataFrame
        One row per district (sorted):

        ===============  ============================================================
        district         district slug
        scope            scope of the count
        count_low        low end of the count
        count_high       high end of the count (inf when unbounded)
        count_how        stated / upper bound only / lower bound only / no count
        count_ids        facts behind the count
        count_period     reference period of the count, ``start..end``
        pop_ids          population fact(s) used, joined by ``|``
        pop_kind         their kind (census, stated in the source, ...)
        pop_low          low end of the population (persons)
        pop_high         high end of the population
        gap_years        years between the population's date and the count's period (0 inside)
        density_low      organizations per 10,000 residents, low end
        density_point    from the stated figures, where both are stated; NA otherwise
        density_high     high end (inf when the count is unbounded above)
        ===============  ============================================================

    Examples
    --------
    >>> import govcases
    >>> from govcases.analysis.qca import sector_density
    >>> d = sector_density(govcases.load_casebook()).set_index("district")
    >>> round(float(d.loc["zhenhai", "density_point"]), 2), d.loc["zhenhai", "pop_ids"]
    (6.52, 'zhenhai-population-census-2020')
    """
    from govcases.analysis.denominators import population as population_table

    counts = org_counts(cb, scope=scope, include_disputed=include_disputed)
    pops = population_table(cb, include_disputed=True)
    if not include_disputed:
        chosen_disputed = pops[(pops["id"] == population) & (pops["confidence"] == "disputed")]
        pops = pd.concat([pops[pops["confidence"] != "disputed"], chosen_disputed])
    rows = []
    for _, c in counts.iterrows():
        d = c["district"]
        row = {
            "district": d,
            "scope": scope,
            "count_low": c["low"],
            "count_high": c["high"],
            "count_how": c["how"],
            "count_ids": c["fact_ids"],
            "count_period": "" if pd.isna(c["period_start"]) else f"{c['period_start']}..{c['period_end']}",
            "pop_ids": "",
            "pop_kind": "",
            "pop_low": math.nan,
            "pop_high": math.nan,
            "gap_years": math.nan,
            "density_low": math.nan,
            "density_point": math.nan,
            "density_high": math.nan,
        }
        own = pops[pops["district"] == d]
        if population is not None and (own["id"] == population).any():
            chosen = own[own["id"] == population]
        else:
            chosen = own[own["kind"] != "managed population (stated in the source)"]
        if len(chosen) and not pd.isna(c["period_start"]):
            # the population nearest in time to the count: least years between their periods
            gaps = [
                period_distance((c["period_start"], c["period_end"]), (p["period_start"], p["period_end"]))[0]
                for _, p in chosen.iterrows()
            ]
            chosen = chosen.assign(_gap=gaps)
            chosen = chosen[chosen["_gap"] == chosen["_gap"].min()].sort_values("id")
            pop = Interval(
                float(chosen["low"].min()),
                float(chosen["high"].max()),
                float(chosen["value"].iloc[0]) if len(chosen) == 1 else None,
            )
            count = Interval(float(c["low"]), float(c["high"]), None if pd.isna(c["point"]) else float(c["point"]))
            dens = ratio(count, pop) * PER  # NO_RATIO for a population that may be 0人: no density, no crash
            row.update(
                pop_ids="|".join(chosen["id"]),
                pop_kind="|".join(dict.fromkeys(chosen["kind"])),
                pop_low=pop.low,
                pop_high=pop.high,
                gap_years=round(float(chosen["_gap"].iloc[0]), 1),
                density_low=dens.low,
                density_high=dens.high,
                density_point=math.nan if dens.point is None else dens.point,
            )
        rows.append(row)
    return pd.DataFrame(rows)


def stated_densities(cb: Casebook) -> pd.DataFrame:
    """Densities the sources state themselves (``orgs_per_10k_residents``), to set beside derived ones.

    Parameters
    ----------
    cb : Casebook
        A validated casebook, from :func:`govcases.load_casebook`.

    Returns
    -------
    pandas.DataFrame
        Columns district, id, subject, value_text, value, period_start, period_end: one row per fact.

    Examples
    --------
    >>> import govcases
    >>> from govcases.analysis.qca import stated_densities
    >>> stated_densities(govcases.load_casebook())["id"].tolist()
    ['longhua-orgs-per-10k-at-founding', 'zhenhai-orgs-per-10k']
    """
    f = cb.indicator("orgs_per_10k_residents")
    return f[["district", "id", "subject", "value_text", "value", "period_start", "period_end"]].reset_index(drop=True)


def code_outcome(density: pd.DataFrame, threshold: float) -> pd.DataFrame:
    """Crisp outcome per district: 1 if the whole density interval is >= threshold, 0 if wholly below.

    Parameters
    ----------
    density : pandas.DataFrame
        One row per district with columns ``district``, ``density_low`` and ``density_high``, as
        :func:`sector_density` returns it; ``count_how``, where present, tells a district without a
        count from one without a population.
    threshold : float
        Organizations per 10,000 residents at or above which a district is coded 1.

    Returns
    -------
    pandas.DataFrame
        The district column of ``density`` plus:

        =========  ===================================================================
        outcome    1, 0, or NA (not coded)
        status     ``coded``, ``straddles`` (interval on both sides) or ``no count``/``no population``
        reason     the interval and threshold in words
        =========  ===================================================================

    Examples
    --------
    >>> import pandas as pd
    >>> from govcases.analysis.qca import code_outcome
    >>> d = pd.DataFrame({"district": ["a", "b", "c"], "density_low": [6.0, 0.0, 1.0], "density_high": [7.0, 2.0, 9.0]})
    >>> code_outcome(d, 5)["outcome"].tolist()
    [1, 0, <NA>]
    """
    rows = []
    for _, r in density.iterrows():
        lo, hi = r["density_low"], r["density_high"]
        if pd.isna(lo):
            count_missing = "count_how" not in r or r["count_how"] == "no count"
            status = "no count" if count_missing else "no population"
            reason = (
                "the source gives no count of organizations of this scope"
                if count_missing
                else "no resident population for the district"
            )
            outcome = pd.NA
        elif lo >= threshold:
            status, outcome, reason = "coded", 1, f"{format_interval(lo, hi, digits=3)} >= {threshold:g}"
        elif hi < threshold:
            status, outcome, reason = "coded", 0, f"{format_interval(lo, hi, digits=3)} < {threshold:g}"
        else:
            status, outcome = "straddles", pd.NA
            reason = f"{format_interval(lo, hi, digits=3)} contains {threshold:g}: not coded, not guessed"
        rows.append({"district": r["district"], "outcome": outcome, "status": status, "reason": reason})
    out = pd.DataFrame(rows)
    out["outcome"] = out["outcome"].astype("Int64")
    return out


# ---------------------------------------------------------------------------- truth table


def truth_table(
    matrix: pd.DataFrame, outcome: pd.DataFrame, conditions: list[str], *, cutoff: float = 1.0, remainders: bool = True
) -> pd.DataFrame:
    """Crisp-set truth table: every configuration of the conditions, its cases and consistency.

    Parameters
    ----------
    matrix : pandas.DataFrame
        0/1 condition matrix, districts as index (:func:`govcases.analysis.typology.condition_matrix`).
    outcome : pandas.DataFrame
        From :func:`code_outcome` (columns district, outcome).
    conditions : list of str
        The conditions to use, in order (the first is the leftmost digit of the configuration).
    cutoff : float
        Consistency a row needs to count as positive. 1.0 (the default) admits no contradiction.
    remainders : bool
        Include configurations no coded case shows.

    Returns
    -------
    pandas.DataFrame
        One row per configuration, in binary order (first condition most significant):

        ==============  =============================================================
        <conditions>    0/1 per condition
        n_cases         coded cases with this configuration
        cases           those cases, joined by ``|``
        n_positive      of them, cases with outcome 1
        consistency     n_positive / n_cases (NA for remainders)
        row_outcome     ``1`` (consistency >= cutoff), ``0`` (consistency 0), ``C``
                        (a contradiction: between), ``?`` (remainder: no coded case)
        not_coded       districts with this configuration whose outcome is not coded
        ==============  =============================================================

    Examples
    --------
    >>> import pandas as pd
    >>> from govcases.analysis.qca import truth_table
    >>> m = pd.DataFrame({"A": [1, 1, 0]}, index=pd.Index(["x", "y", "z"], name="district"))
    >>> o = pd.DataFrame({"district": ["x", "y", "z"], "outcome": pd.array([1, 0, 0], dtype="Int64")})
    >>> truth_table(m, o, ["A"])[["A", "n_cases", "consistency", "row_outcome"]].values.tolist()
    [[0, 1, 0.0, '0'], [1, 2, 0.5, 'C']]
    """
    out = outcome.set_index("district")["outcome"]
    rows = []
    for config in product((0, 1), repeat=len(conditions)):
        match = [d for d in matrix.index if tuple(int(matrix.loc[d, c]) for c in conditions) == config]
        coded = [d for d in match if d in out.index and not pd.isna(out[d])]
        pos = [d for d in coded if int(out[d]) == 1]
        if coded:
            cons = len(pos) / len(coded)
            label = "1" if cons >= cutoff else "0" if cons == 0 else "C"
        else:
            cons, label = math.nan, "?"
        if not coded and not remainders:
            continue
        rows.append(
            {
                **dict(zip(conditions, config)),
                "n_cases": len(coded),
                "cases": "|".join(coded),
                "n_positive": len(pos),
                "consistency": cons,
                "row_outcome": label,
                "not_coded": "|".join(d for d in match if d not in coded),
            }
        )
    return pd.DataFrame(rows)


# ---------------------------------------------------------------------------- minimization


@dataclass(frozen=True)
class Solution:
    """A minimized solution: its terms and how it reads.

    Attributes
    ----------
    conditions : tuple of str
        Condition names, in truth-table order.
    terms : tuple of dict
        Each term maps condition -> 1 (present) or 0 (absent); a condition not in the term is free.
        An empty tuple is the empty solution (no positive configuration); ``({},)`` is "always".
    kind : str
        ``parsimonious`` (remainders as don't-cares) or ``complex`` (remainders as negative).
    alternatives : tuple of str
        Every minimal sum (fewest terms, then fewest literals) found by exhaustive search; more than
        one means model ambiguity.
    """

    conditions: tuple[str, ...]
    terms: tuple[dict, ...]
    kind: str
    alternatives: tuple[str, ...] = field(default=())

    @property
    def text(self) -> str:
        """The solution in QCA notation: ``*`` for and, ``+`` for or, ``~`` for absent."""
        return _format(self.terms, self.conditions)

    def covers(self, config: dict) -> bool:
        """Whether a configuration (condition -> 0/1) is a member of the solution."""
        return any(all(int(config[c]) == v for c, v in t.items()) for t in self.terms)


def _format(terms, conditions) -> str:
    if not terms:
        return "(none: no configuration has the outcome)"
    if any(not t for t in terms):
        return "(always)"
    parts = ["*".join(c if t[c] else f"~{c}" for c in conditions if c in t) for t in terms]
    return " + ".join(parts)


def _sort_terms(terms, conditions) -> tuple[dict, ...]:
    def key(t):
        return (len(t), [(conditions.index(c), -t[c]) for c in conditions if c in t])

    return tuple(sorted(terms, key=key))


def _sympy_terms(expr, symbols: dict) -> list[dict]:
    from sympy import And, Not, Or
    from sympy.logic.boolalg import BooleanFalse, BooleanTrue

    if isinstance(expr, BooleanTrue):
        return [{}]
    if isinstance(expr, BooleanFalse):
        return []
    names = {s: n for n, s in symbols.items()}
    terms = []
    for term in expr.args if isinstance(expr, Or) else (expr,):
        lits = term.args if isinstance(term, And) else (term,)
        t = {}
        for lit in lits:
            if isinstance(lit, Not):
                t[names[lit.args[0]]] = 0
            else:
                t[names[lit]] = 1
        terms.append(t)
    return terms


def minimize(table: pd.DataFrame, conditions: list[str], *, kind: str = "parsimonious") -> Solution:
    """Boolean minimization of a truth table with :func:`sympy.logic.boolalg.SOPform`.

    Parameters
    ----------
    table : pandas.DataFrame
        From :func:`truth_table` (with remainders).
    conditions : list of str
        The condition columns of ``table``, in the order the solution names them.
    kind : {'parsimonious', 'complex'}
        ``parsimonious``: remainders (``?`` rows) are don't-cares, so the simplest sum consistent
        with every coded case; ``complex``: remainders are treated as negative.

    Returns
    -------
    Solution
        The minimized sum with ``kind`` as asked; its ``alternatives`` list every minimal sum
        :func:`minimal_solutions` finds, so more than one flags model ambiguity.

    Examples
    --------
    >>> import pandas as pd
    >>> from govcases.analysis.qca import minimize
    >>> t = pd.DataFrame({"A": [0, 0, 1, 1], "B": [0, 1, 0, 1], "row_outcome": ["0", "?", "1", "1"]})
    >>> minimize(t, ["A", "B"]).text, minimize(t, ["A", "B"], kind="complex").text
    ('A', 'A')
    """
    from sympy import symbols as make_symbols
    from sympy.logic.boolalg import SOPform

    if kind not in ("parsimonious", "complex"):
        raise ValueError(f"kind must be 'parsimonious' or 'complex', not {kind!r}")
    configs = [tuple(int(r[c]) for c in conditions) for _, r in table.iterrows()]
    on = [cfg for cfg, lab in zip(configs, table["row_outcome"]) if lab == "1"]
    dc = [cfg for cfg, lab in zip(configs, table["row_outcome"]) if lab == "?"] if kind == "parsimonious" else []
    syms = dict(zip(conditions, make_symbols(list(conditions))))  # names as symbols, in order
    expr = SOPform(list(syms.values()), [list(m) for m in on], [list(d) for d in dc])
    terms = _sort_terms(_sympy_terms(expr, syms), list(conditions))
    alternatives = tuple(
        _format(s, conditions) for s in minimal_solutions(len(conditions), set(on), set(dc), conditions)
    )
    return Solution(tuple(conditions), terms, kind, alternatives)


def minimal_solutions(k: int, on: set, dc: set, conditions=None) -> list[tuple[dict, ...]]:
    """Every minimal sum of prime implicants covering ``on``, by exhaustive search (small k only).

    A check on SOPform, which returns one minimal cover: where several are equally short, QCA
    reports them all (model ambiguity). Minimal means fewest terms, then fewest literals.

    Parameters
    ----------
    k : int
        Number of conditions (the search visits 3**k terms; k <= 8 is quick).
    on, dc : set of tuple
        Positive configurations and don't-cares, as tuples of 0/1.
    conditions : list of str, optional
        Names of the k conditions, in tuple order; default ``x0``, ``x1``, ...

    Returns
    -------
    list of tuple of dict
        Every minimal sum, sorted by how it reads; each a tuple of terms mapping a condition to 1
        (present) or 0 (absent). ``[()]`` when ``on`` is empty.

    Examples
    --------
    >>> from govcases.analysis.qca import minimal_solutions
    >>> minimal_solutions(2, {(1, 0), (1, 1)}, set(), ["A", "B"])
    [({'A': 1},)]
    """
    conditions = list(conditions or [f"x{i}" for i in range(k)])
    if not on:
        return [()]
    allowed = set(on) | set(dc)
    space = list(product((0, 1), repeat=k))

    def cover(term):
        return frozenset(c for c in space if all(t is None or t == v for t, v in zip(term, c)))

    implicants = {}
    for term in product((None, 0, 1), repeat=k):
        cov = cover(term)
        if cov <= allowed and cov & on:
            implicants[term] = cov
    prime = [t for t, cov in implicants.items() if not any(o != t and cov < implicants[o] for o in implicants)]
    best: list[tuple] = []
    for size in range(1, len(prime) + 1):
        best = [combo for combo in combinations(prime, size) if set(on) <= set().union(*(implicants[t] for t in combo))]
        if best:
            break
    fewest = min(sum(x is not None for t in combo for x in t) for combo in best)
    best = [combo for combo in best if sum(x is not None for t in combo for x in t) == fewest]
    sols = [
        _sort_terms([{conditions[i]: v for i, v in enumerate(t) if v is not None} for t in combo], conditions)
        for combo in best
    ]
    return sorted(sols, key=lambda s: _format(s, conditions))


def solution_fit(solution: Solution, matrix: pd.DataFrame, outcome: pd.DataFrame) -> dict:
    """Consistency and coverage of a solution over the coded cases (crisp sets).

    consistency = cases in the solution with the outcome / cases in the solution;
    coverage = cases in the solution with the outcome / cases with the outcome.

    Parameters
    ----------
    solution : Solution
        A solution from :func:`minimize`.
    matrix : pandas.DataFrame
        The 0/1 condition matrix the solution was found on (districts as index).
    outcome : pandas.DataFrame
        From :func:`code_outcome`; districts whose outcome is NA are left out.

    Returns
    -------
    dict
        consistency, coverage (NA when the denominator is 0), n_in_solution, n_positive,
        covered (positive cases the solution covers), uncovered (positive cases it misses),
        wrong (cases in the solution without the outcome); case lists joined by ``|``.

    Examples
    --------
    >>> import pandas as pd
    >>> from govcases.analysis.qca import Solution, solution_fit
    >>> m = pd.DataFrame({"A": [1, 1, 0]}, index=["x", "y", "z"])
    >>> o = pd.DataFrame({"district": ["x", "y", "z"], "outcome": pd.array([1, 0, 1], dtype="Int64")})
    >>> fit = solution_fit(Solution(("A",), ({"A": 1},), "complex"), m, o)
    >>> fit["consistency"], fit["coverage"]
    (0.5, 0.5)
    """
    coded = outcome[outcome["outcome"].notna()]
    inside, positive = [], []
    for _, r in coded.iterrows():
        d = r["district"]
        config = {c: int(matrix.loc[d, c]) for c in solution.conditions}
        if solution.covers(config):
            inside.append(d)
        if int(r["outcome"]) == 1:
            positive.append(d)
    both = [d for d in inside if d in positive]
    return {
        "consistency": len(both) / len(inside) if inside else pd.NA,
        "coverage": len(both) / len(positive) if positive else pd.NA,
        "n_in_solution": len(inside),
        "n_positive": len(positive),
        "covered": "|".join(both),
        "uncovered": "|".join(d for d in positive if d not in inside),
        "wrong": "|".join(d for d in inside if d not in positive),
    }


def condition_fit(matrix: pd.DataFrame, outcome: pd.DataFrame) -> pd.DataFrame:
    """Each condition on its own as a sufficient condition for the outcome, over the coded cases.

    With very few coded cases many single conditions fit perfectly; this table shows how many,
    which is a measure of how little the cases can discriminate.

    Parameters
    ----------
    matrix : pandas.DataFrame
        A 0/1 condition matrix (districts as index, one column per condition).
    outcome : pandas.DataFrame
        From :func:`code_outcome`; districts whose outcome is NA are left out.

    Returns
    -------
    pandas.DataFrame
        ===========  ==========================================================
        condition    condition id
        n_with       coded cases reporting the condition
        consistency  of those, share with outcome 1 (NA when none)
        coverage     share of positive cases that report the condition
        perfect      consistency and coverage both 1
        ===========  ==========================================================

    Examples
    --------
    >>> import pandas as pd
    >>> from govcases.analysis.qca import condition_fit
    >>> m = pd.DataFrame({"A": [1, 0], "B": [1, 1]}, index=["x", "y"])
    >>> o = pd.DataFrame({"district": ["x", "y"], "outcome": pd.array([1, 0], dtype="Int64")})
    >>> condition_fit(m, o)["perfect"].tolist()
    [True, False]
    """
    rows = []
    for c in matrix.columns:
        fit = solution_fit(Solution((c,), ({c: 1},), "single"), matrix, outcome)
        rows.append(
            {
                "condition": c,
                "n_with": fit["n_in_solution"],
                "consistency": fit["consistency"],
                "coverage": fit["coverage"],
                "perfect": bool(
                    fit["consistency"] is not pd.NA
                    and fit["coverage"] is not pd.NA
                    and fit["consistency"] == 1
                    and fit["coverage"] == 1
                ),
            }
        )
    return pd.DataFrame(rows)


# ---------------------------------------------------------------------------- the whole run


def run_qca(
    cb: Casebook,
    conditions=CONDITIONS,
    *,
    threshold: float = THRESHOLD,
    scope: str = "registered",
    population: str | None = None,
    matrix: pd.DataFrame | None = None,
) -> dict:
    """Outcome, truth table, both solutions and their fit, in one call.

    Parameters
    ----------
    cb : Casebook
        A validated casebook, from :func:`govcases.load_casebook`.
    conditions : sequence of str, default :data:`CONDITIONS`
        Condition ids (columns of the condition matrix) the truth table is built on.
    threshold : float, default :data:`THRESHOLD`
        Organizations per 10,000 residents at or above which a district is coded 1.
    scope : str, default 'registered'
        Which organizations are counted (a key of :data:`SCOPES`; see :func:`org_counts`).
    population : str or None, default None
        A population fact id to divide by for its district; None takes the resident population
        nearest in time to the count (see :func:`sector_density`).
    matrix : pandas.DataFrame or None, default None
        A condition matrix to use instead of the rule-coded one
        (:func:`govcases.analysis.typology.condition_matrix`), e.g. one with a cell recoded.

    Returns
    -------
    dict
        ``density`` (:func:`sector_density`), ``outcome`` (:func:`code_outcome`), ``truth_table``,
        ``parsimonious`` and ``complex`` (:class:`Solution`), ``fit`` (a DataFrame with one row
        per solution: solution, text, alternatives, consistency, coverage, covered, uncovered, wrong).

    Examples
    --------
    >>> import govcases
    >>> from govcases.analysis.qca import run_qca
    >>> cb = govcases.load_casebook()
    >>> r = run_qca(cb, ["direct_registration", "multi_tier_network", "lottery_fund"], threshold=5)
    >>> r["parsimonious"].text
    'lottery_fund'
    """
    from govcases.analysis.typology import condition_matrix

    conditions = list(conditions)
    matrix = condition_matrix(cb) if matrix is None else matrix
    density = sector_density(cb, scope=scope, population=population)
    outcome = code_outcome(density, threshold)
    table = truth_table(matrix, outcome, conditions)
    sols = {kind: minimize(table, conditions, kind=kind) for kind in ("parsimonious", "complex")}
    fit = pd.DataFrame(
        [
            {
                "solution": kind,
                "text": s.text,
                "alternatives": " | ".join(s.alternatives),
                **solution_fit(s, matrix, outcome),
            }
            for kind, s in sols.items()
        ]
    )
    return {"density": density, "outcome": outcome, "truth_table": table, **sols, "fit": fit}


# ---------------------------------------------------------------------------- sensitivity

_CODE = {"coded": None, "straddles": "?", "no count": "-", "no population": "-"}


def _code_text(row) -> str:
    return str(int(row["outcome"])) if row["status"] == "coded" else _CODE[row["status"]]


def threshold_sensitivity(
    cb: Casebook,
    conditions=CONDITIONS,
    thresholds=THRESHOLD_GRID,
    *,
    scopes=("registered",),
    matrix: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """How coding and solution move over a grid of thresholds (and scopes).

    Parameters
    ----------
    cb : Casebook
        A validated casebook, from :func:`govcases.load_casebook`.
    conditions : sequence of str, default :data:`CONDITIONS`
        Condition ids the truth table is built on.
    thresholds : sequence of float, default :data:`THRESHOLD_GRID`
        Thresholds to try, in organizations per 10,000 residents.
    scopes : sequence of str, default ('registered',)
        Scopes of the count to try (keys of :data:`SCOPES`).
    matrix : pandas.DataFrame or None, default None
        A condition matrix to use instead of the rule-coded one.

    Returns
    -------
    pandas.DataFrame
        One row per (scope, threshold):

        ======================  ==========================================================
        scope                   scope of the count
        threshold               organizations per 10,000 residents
        <district>              code per district: ``1``, ``0``, ``?`` (interval straddles
                                the threshold: not coded) or ``-`` (no count)
        n_coded                 districts coded
        parsimonious            parsimonious solution (SOPform, remainders as don't-cares)
        complex                 complex solution (remainders as negative)
        consistency             of the parsimonious solution
        coverage                of the parsimonious solution
        ambiguous               True when more than one minimal parsimonious sum exists
        all_minimal             every minimal parsimonious sum, joined by `` | ``
        ======================  ==========================================================

    Examples
    --------
    >>> import govcases
    >>> from govcases.analysis.qca import threshold_sensitivity
    >>> t = threshold_sensitivity(govcases.load_casebook(), ["lottery_fund"], [1, 5])
    >>> t["zhenhai"].tolist()
    ['1', '1']
    """
    from govcases.analysis.typology import condition_matrix

    conditions = list(conditions)
    matrix = condition_matrix(cb) if matrix is None else matrix
    rows = []
    for scope in scopes:
        density = sector_density(cb, scope=scope)
        for t in thresholds:
            outcome = code_outcome(density, t)
            table = truth_table(matrix, outcome, conditions)
            pars = minimize(table, conditions, kind="parsimonious")
            comp = minimize(table, conditions, kind="complex")
            fit = solution_fit(pars, matrix, outcome)
            row = {"scope": scope, "threshold": float(t)}
            row.update({r["district"]: _code_text(r) for _, r in outcome.iterrows()})
            row.update(
                n_coded=int(outcome["outcome"].notna().sum()),
                parsimonious=pars.text,
                complex=comp.text,
                consistency=fit["consistency"],
                coverage=fit["coverage"],
                ambiguous=len(pars.alternatives) > 1,
                all_minimal=" | ".join(pars.alternatives),
            )
            rows.append(row)
    return pd.DataFrame(rows)


def interval_sensitivity(cb: Casebook, threshold: float = THRESHOLD, *, scope: str = "registered") -> pd.DataFrame:
    """The outcome at the low end, the stated point and the high end of every count and population.

    A district flips when its code at the low end (lowest count over highest population) differs
    from its code at the high end; those are exactly the districts the crisp coding leaves out.

    Parameters
    ----------
    cb : Casebook
        A validated casebook, from :func:`govcases.load_casebook`.
    threshold : float, default :data:`THRESHOLD`
        Organizations per 10,000 residents at or above which a district is coded 1.
    scope : str, default 'registered'
        Which organizations are counted (a key of :data:`SCOPES`; see :func:`org_counts`).

    Returns
    -------
    pandas.DataFrame
        One row per district:

        =============  ===========================================================
        district       district slug
        density_low    lowest density the intervals allow
        density_point  from the stated figures (NA when a bound stands in for a count)
        density_high   highest density
        at_low         code at the low end (1/0; NA without a count)
        at_point       code at the stated point (NA without one)
        at_high        code at the high end
        flips          at_low differs from at_high
        flip_pop       for a coded district, the resident population at which its code
                       would change given its count (count / threshold x 10,000):
                       a 0 would need fewer residents, a 1 more; NA otherwise
        =============  ===========================================================

    Examples
    --------
    >>> import govcases
    >>> from govcases.analysis.qca import interval_sensitivity
    >>> s = interval_sensitivity(govcases.load_casebook(), 5).set_index("district")
    >>> bool(s.loc["beilun", "flips"]), bool(s.loc["zhenhai", "flips"])
    (True, False)
    """
    density = sector_density(cb, scope=scope)

    def code(x):
        return pd.NA if pd.isna(x) else int(x >= threshold)

    out = density[["district", "density_low", "density_point", "density_high"]].copy()
    out["at_low"] = pd.array([code(x) for x in out["density_low"]], dtype="Int64")
    out["at_point"] = pd.array([code(x) for x in out["density_point"]], dtype="Int64")
    out["at_high"] = pd.array([code(x) for x in out["density_high"]], dtype="Int64")
    out["flips"] = [
        bool(a != b) if not (pd.isna(a) or pd.isna(b)) else False for a, b in zip(out["at_low"], out["at_high"])
    ]
    # The break-even population: below it a 0 district would reach the threshold (with its highest
    # count), above it a 1 district would fall short (with its lowest count).
    flip = []
    for (_, d), lo_code, hi_code in zip(density.iterrows(), out["at_low"], out["at_high"]):
        if pd.isna(lo_code) or lo_code != hi_code:
            flip.append(math.nan)
        elif hi_code == 0:
            flip.append(d["count_high"] / threshold * PER)
        else:
            flip.append(d["count_low"] / threshold * PER)
    out["flip_pop"] = flip
    return out


def denominator_sensitivity(cb: Casebook, threshold: float = THRESHOLD, *, scope: str = "registered") -> pd.DataFrame:
    """The density and code with every population fact in turn (census, estimate, stated, managed).

    Parameters
    ----------
    cb : Casebook
        A validated casebook, from :func:`govcases.load_casebook`.
    threshold : float, default :data:`THRESHOLD`
        Organizations per 10,000 residents at or above which a district is coded 1.
    scope : str, default 'registered'
        Which organizations are counted (a key of :data:`SCOPES`; see :func:`org_counts`).

    Returns
    -------
    pandas.DataFrame
        One row per (district, population fact), districts without a count left out:

        =============  ===========================================================
        district       district slug
        pop_id         the population fact
        kind           its kind (census, year-end estimate, stated in the source, managed ...)
        confidence     stated / disputed
        default        True for the population the main coding uses
        density_low    organizations per 10,000, low end
        density_high   high end
        code           ``1``, ``0`` or ``?`` at the threshold
        =============  ===========================================================

    Examples
    --------
    >>> import govcases
    >>> from govcases.analysis.qca import denominator_sensitivity
    >>> s = denominator_sensitivity(govcases.load_casebook(), 5)
    >>> s.loc[s["pop_id"] == "longhua-population-managed", "code"].item()
    '0'
    """
    from govcases.analysis.denominators import population as population_table

    main = sector_density(cb, scope=scope).set_index("district")
    pops = population_table(cb, include_disputed=True)
    rows = []
    for _, p in pops.iterrows():
        d = p["district"]
        if main.loc[d, "count_how"] == "no count":
            continue
        alt = sector_density(cb, scope=scope, population=p["id"], include_disputed=False).set_index("district")
        lo, hi = alt.loc[d, "density_low"], alt.loc[d, "density_high"]
        code = "1" if lo >= threshold else "0" if hi < threshold else "?"
        rows.append(
            {
                "district": d,
                "pop_id": p["id"],
                "kind": p["kind"],
                "confidence": p["confidence"],
                "default": p["id"] in str(main.loc[d, "pop_ids"]).split("|"),
                "density_low": lo,
                "density_high": hi,
                "code": code,
            }
        )
    return pd.DataFrame(rows).sort_values(["district", "pop_id"], ignore_index=True)


def condition_set_sensitivity(
    cb: Casebook, condition_sets, *, threshold: float = THRESHOLD, scope: str = "registered"
) -> pd.DataFrame:
    """The solution for several choices of conditions, at one threshold and scope.

    With three coded cases, any condition that only the positive case reports separates it from the
    negative ones, so the solution names whichever such condition was chosen; this table shows it.

    Parameters
    ----------
    cb : Casebook
        A validated casebook, from :func:`govcases.load_casebook`.
    condition_sets : iterable of sequence of str
        The choices of conditions to compare, each a list of condition ids.
    threshold : float, default :data:`THRESHOLD`
        Organizations per 10,000 residents at or above which a district is coded 1.
    scope : str, default 'registered'
        Which organizations are counted (a key of :data:`SCOPES`; see :func:`org_counts`).

    Returns
    -------
    pandas.DataFrame
        One row per condition set:

        ================  ==========================================================
        conditions        the set, joined by ``, ``
        n_configurations  distinct configurations among all districts (of 2**k)
        n_districts       districts (coded or not)
        parsimonious      parsimonious solution
        all_minimal       every minimal parsimonious sum, joined by `` | ``
        complex           complex solution
        consistency       of the parsimonious solution
        coverage          of the parsimonious solution
        ================  ==========================================================

    Examples
    --------
    >>> import govcases
    >>> from govcases.analysis.qca import condition_set_sensitivity
    >>> t = condition_set_sensitivity(govcases.load_casebook(), [["direct_registration", "special_fund"]])
    >>> t["parsimonious"].item()
    'special_fund'
    """
    from govcases.analysis.typology import condition_matrix

    matrix = condition_matrix(cb)
    rows = []
    for conds in condition_sets:
        conds = list(conds)
        r = run_qca(cb, conds, threshold=threshold, scope=scope, matrix=matrix)
        pars = r["fit"].set_index("solution")
        rows.append(
            {
                "conditions": ", ".join(conds),
                "n_configurations": len(matrix[conds].drop_duplicates()),
                "n_districts": len(matrix),
                "parsimonious": r["parsimonious"].text,
                "all_minimal": " | ".join(r["parsimonious"].alternatives),
                "complex": r["complex"].text,
                "consistency": pars.loc["parsimonious", "consistency"],
                "coverage": pars.loc["parsimonious", "coverage"],
            }
        )
    return pd.DataFrame(rows)


# ---------------------------------------------------------------------------- the reviewed analysis

#: Coded cases below which an analysis is a demonstration of the method, not a finding.
HANDFUL = 5

#: How a condition the source does not report enters the crisp matrix. ``drop``: the district is left
#: out of that analysis, with a note (the default); ``silence as absent``: coded 0, the older reading,
#: shown only beside ``drop`` so the reader sees what the silence decides.
CODINGS: tuple[str, ...] = ("drop", "silence as absent")


def crisp_matrix(states: pd.DataFrame, conditions, *, coding: str = "drop") -> tuple[pd.DataFrame, pd.DataFrame]:
    """A 0/1 matrix from three-valued condition states, and the districts it leaves out.

    Parameters
    ----------
    states : pandas.DataFrame
        From :func:`govcases.analysis.typology.condition_states` (present / absent / not reported).
    conditions : sequence of str
        The conditions of the analysis.
    coding : {'drop', 'silence as absent'}
        What a ``not reported`` cell does (see :data:`CODINGS`).

    Returns
    -------
    tuple of pandas.DataFrame
        The matrix (districts kept as index, one 0/1 column per condition: present 1, absent 0) and
        a frame of notes with columns ``district``, ``not_reported`` (the conditions, joined by
        ``|``) and ``note``: dropped districts under ``drop``, recoded ones under the other coding.

    Examples
    --------
    >>> import pandas as pd
    >>> from govcases.analysis.qca import crisp_matrix
    >>> s = pd.DataFrame({"A": ["present", "absent", "not reported"]}, index=pd.Index(list("xyz"), name="district"))
    >>> m, notes = crisp_matrix(s, ["A"])
    >>> m["A"].to_dict(), notes["district"].tolist()
    ({'x': 1, 'y': 0}, ['z'])
    >>> crisp_matrix(s, ["A"], coding="silence as absent")[0]["A"].to_dict()
    {'x': 1, 'y': 0, 'z': 0}
    """
    if coding not in CODINGS:
        raise ValueError(f"coding must be one of {list(CODINGS)}, not {coding!r}")
    conditions = list(conditions)
    unknown = set(states.loc[:, conditions].stack().unique()) - {"present", "absent", "not reported"}
    if unknown:
        raise ValueError(f"condition states must be present, absent or not reported; found {sorted(unknown)}")
    silent = {d: [c for c in conditions if states.loc[d, c] == "not reported"] for d in states.index}
    notes = pd.DataFrame(
        [
            {
                "district": d,
                "not_reported": "|".join(cs),
                "note": "left out: the source does not report "
                if coding == "drop"
                else "coded absent although the source does not report ",
            }
            for d, cs in silent.items()
            if cs
        ],
        columns=["district", "not_reported", "note"],
    )
    notes["note"] = notes["note"] + notes["not_reported"].map(lambda t: ", ".join(_label(c) for c in t.split("|")))
    keep = [d for d in states.index if not silent[d]] if coding == "drop" else list(states.index)
    matrix = (states.loc[keep, conditions] == "present").astype(int)
    matrix.index.name = "district"
    return matrix, notes


def national_outcome(cb: Casebook, density: pd.DataFrame) -> pd.DataFrame:
    """Crisp outcome against the national density of the same years: 1 above it, 0 below it.

    The threshold is not chosen from the gap between the districts' values: it is the national
    number of social organizations per 10,000 residents (:func:`govcases.analysis.yardstick.national_density`)
    in the years of each district's count period. Where the period spans several yardstick years
    the threshold is their interval; a district is coded 1 only when its whole density interval is
    at or above the whole national interval, 0 when wholly below, and is not coded when they
    overlap, when its count period has no yardstick year, or when it has no density.

    Parameters
    ----------
    cb : Casebook
        The casebook (its yardstick rows come from ``data/external``).
    density : pandas.DataFrame
        From :func:`sector_density`.

    Returns
    -------
    pandas.DataFrame
        ``district``, ``outcome`` (Int64 1, 0 or NA), ``status`` (``coded``, ``straddles``,
        ``no yardstick year``, ``no count``, ``no population``), ``national_low``,
        ``national_high``, ``years`` (the yardstick years used, joined by ``|``) and ``reason``.

    Examples
    --------
    >>> import govcases
    >>> from govcases.analysis.qca import national_outcome, sector_density
    >>> cb = govcases.load_casebook().select(["zhenhai"])
    >>> national_outcome(cb, sector_density(cb))[["outcome", "years"]].values.tolist()
    [[1, '2015']]
    """
    from govcases.analysis.yardstick import national_density

    nat = national_density(cb).dropna(subset=["per_10k"]).set_index("year")["per_10k"]
    rows = []
    for _, r in density.iterrows():
        row = {"district": r["district"], "outcome": pd.NA, "national_low": math.nan, "national_high": math.nan}
        row["years"] = ""
        if pd.isna(r["density_low"]):
            base = code_outcome(density[density["district"] == r["district"]], 0.0).iloc[0]
            row.update(status=base["status"], reason=base["reason"])
            rows.append(row)
            continue
        first, last = (int(x[:4]) for x in str(r["count_period"]).split(".."))
        years = [y for y in range(first, last + 1) if y in nat.index]
        if not years:
            row.update(
                status="no yardstick year",
                reason=f"no national density for {first}" + (f"-{last}" if last != first else "") + ": not coded",
            )
            rows.append(row)
            continue
        lo_n, hi_n = float(nat[years].min()), float(nat[years].max())
        lo, hi = float(r["density_low"]), float(r["density_high"])
        nat_text = format_interval(lo_n, hi_n, digits=3)
        own = format_interval(lo, hi, digits=3)
        if lo >= hi_n:
            status, outcome, reason = "coded", 1, f"{own} at or above the national {nat_text}"
        elif hi < lo_n:
            status, outcome, reason = "coded", 0, f"{own} below the national {nat_text}"
        else:
            status, outcome, reason = "straddles", pd.NA, f"{own} overlaps the national {nat_text}: not coded"
        row.update(
            outcome=outcome,
            status=status,
            national_low=lo_n,
            national_high=hi_n,
            years="|".join(str(y) for y in years),
            reason=reason,
        )
        rows.append(row)
    cols = ["district", "outcome", "status", "national_low", "national_high", "years", "reason"]
    out = pd.DataFrame(rows, columns=cols)
    out["outcome"] = out["outcome"].astype("Int64")
    return out


def necessity(matrix: pd.DataFrame, outcome: pd.DataFrame, conditions=None) -> pd.DataFrame:
    """Analysis of necessary conditions: each condition and its negation, for the outcome and its negation.

    A condition X is necessary for Y when every case with Y has X. Over the coded cases:
    consistency = cases with X and Y / cases with Y; coverage (relevance) = cases with X and Y /
    cases with X.

    Parameters
    ----------
    matrix : pandas.DataFrame
        0/1 condition matrix, districts as index.
    outcome : pandas.DataFrame
        Columns ``district`` and ``outcome`` (1, 0 or NA; NA cases are left out).
    conditions : sequence of str, optional
        Default: every column of ``matrix``.

    Returns
    -------
    pandas.DataFrame
        ``outcome`` (``Y`` or ``~Y``), ``condition`` (``X`` or ``~X``), ``n_outcome`` (coded cases
        with that outcome), ``n_both``, ``consistency`` and ``coverage`` (NA where the denominator
        is 0), ``cases`` (those with both, joined by ``|``).

    Examples
    --------
    >>> import pandas as pd
    >>> from govcases.analysis.qca import necessity
    >>> m = pd.DataFrame({"A": [1, 1, 0]}, index=["x", "y", "z"])
    >>> o = pd.DataFrame({"district": ["x", "y", "z"], "outcome": pd.array([1, 0, 0], dtype="Int64")})
    >>> necessity(m, o).set_index(["outcome", "condition"])["consistency"].to_dict()
    {('Y', 'A'): 1.0, ('Y', '~A'): 0.0, ('~Y', 'A'): 0.5, ('~Y', '~A'): 0.5}
    """
    conditions = list(matrix.columns if conditions is None else conditions)
    out = outcome.dropna(subset=["outcome"]).set_index("district")["outcome"]
    coded = [d for d in matrix.index if d in out.index]
    rows = []
    for label, value in (("Y", 1), ("~Y", 0)):
        with_y = [d for d in coded if int(out[d]) == value]
        for c in conditions:
            for name, want in ((c, 1), (f"~{c}", 0)):
                with_x = [d for d in coded if int(matrix.loc[d, c]) == want]
                both = [d for d in with_y if d in with_x]
                rows.append(
                    {
                        "outcome": label,
                        "condition": name,
                        "n_outcome": len(with_y),
                        "n_both": len(both),
                        "consistency": len(both) / len(with_y) if with_y else math.nan,
                        "coverage": len(both) / len(with_x) if with_x else math.nan,
                        "cases": "|".join(both),
                    }
                )
    return pd.DataFrame(rows)


def reviewed_qca(cb: Casebook, conditions=CONDITIONS, *, coding: str = "drop", scope: str = "registered") -> dict:
    """The QCA a methods reviewer asks for: silence kept apart, a national anchor, both outcomes, caveats.

    Conditions are three-valued (:func:`govcases.analysis.typology.condition_states`); a district
    whose condition is not reported is dropped from the analysis with a note (or, with
    ``coding='silence as absent'``, coded 0 and flagged). The outcome is the sector's density at
    or above the national density of the same years (:func:`national_outcome`). Necessary
    conditions are analysed before sufficient ones; the outcome and its negation are both
    minimized, each to a parsimonious and a complex solution.

    Parameters
    ----------
    cb : Casebook
        A validated casebook, from :func:`govcases.load_casebook`.
    conditions : sequence of str, default :data:`CONDITIONS`
        Condition ids.
    coding : {'drop', 'silence as absent'}
        What a not-reported condition does (see :data:`CODINGS`).
    scope : str, default 'registered'
        Which organizations are counted (a key of :data:`SCOPES`).

    Returns
    -------
    dict
        ``states``, ``matrix``, ``notes`` (districts dropped or recoded), ``density``, ``outcome``,
        ``truth_table`` and ``negated_truth_table``, ``parsimonious``, ``complex``,
        ``negated_parsimonious``, ``negated_complex`` (:class:`Solution`), ``necessity``,
        ``names`` (district to English name), ``n_coded`` (cases with both conditions and outcome
        coded), ``demonstration`` (``n_coded < HANDFUL``), ``title`` and ``caveats`` (list of sentences).

    Examples
    --------
    >>> import govcases
    >>> from govcases.analysis.qca import reviewed_qca
    >>> r = reviewed_qca(govcases.load_casebook().select(["lvyuan", "zhenhai"]), ["incubator"])
    >>> r["n_coded"], r["demonstration"], r["parsimonious"].text
    (2, True, '(none: no configuration has the outcome)')
    """
    from govcases.analysis.typology import condition_states

    conditions = list(conditions)
    states = condition_states(cb)
    matrix, notes = crisp_matrix(states, conditions, coding=coding)
    density = sector_density(cb, scope=scope)
    outcome = national_outcome(cb, density)
    kept = outcome[outcome["district"].isin(matrix.index)]
    negated = kept.assign(outcome=(1 - kept["outcome"]).astype("Int64"))
    table = truth_table(matrix, kept, conditions)
    ntable = truth_table(matrix, negated, conditions)
    coded = list(kept.dropna(subset=["outcome"])["district"])
    n = len(coded)
    names = dict(zip(cb.profiles["district"], cb.profiles["name_en"]))
    remainders = int((table["row_outcome"] == "?").sum())
    contradictions = int((table["row_outcome"] == "C").sum())
    title = (
        "Demonstration of the method, not a finding: " if n < HANDFUL else ""
    ) + f"crisp-set truth table, {len(conditions)} conditions"
    caveats = [
        f"cases coded: {n} ({', '.join(names[d] for d in coded) or 'none'})",
        f"remainders: {remainders} of {len(table)} configurations have no coded case",
        f"contradictions: {contradictions}",
        "outcome: density at or above the national density of the same years",
        "not-reported conditions: "
        + ("district left out" if coding == "drop" else "coded absent (silence read as absence)"),
    ]
    not_coded = outcome[outcome["outcome"].isna()]
    caveats += [f"outcome not coded for {names[r.district]}: {r.reason}" for r in not_coded.itertuples()]
    caveats += [f"{names[r.district]}: {r.note}" for r in notes.itertuples()]
    return {
        "states": states,
        "matrix": matrix,
        "notes": notes,
        "density": density,
        "outcome": outcome,
        "truth_table": table,
        "negated_truth_table": ntable,
        "parsimonious": minimize(table, conditions, kind="parsimonious"),
        "complex": minimize(table, conditions, kind="complex"),
        "negated_parsimonious": minimize(ntable, conditions, kind="parsimonious"),
        "negated_complex": minimize(ntable, conditions, kind="complex"),
        "necessity": necessity(matrix, kept, conditions),
        "names": names,
        "n_coded": n,
        "demonstration": n < HANDFUL,
        "title": title,
        "caveats": caveats,
    }


def _label(condition: str) -> str:
    from govcases.analysis.typology import RULES

    names = {r.id: r.label_en for r in RULES}
    return names.get(condition.lstrip("~"), condition.lstrip("~").replace("_", " "))


def _readable(text: str) -> str:
    # Solutions read "A*~B + C"; a reader sees condition labels, "not" and "and".
    if text.startswith("("):
        return text
    terms = []
    for term in text.split(" + "):
        terms.append(" and ".join(("not " if lit.startswith("~") else "") + _label(lit) for lit in term.split("*")))
    return " OR ".join(terms)


def _with_notes(body: pd.DataFrame, title: str, caveats: list[str]) -> pd.DataFrame:
    first = body.columns[0]
    top = pd.DataFrame([{first: title}], columns=body.columns)
    bottom = pd.DataFrame([{first: f"Note: {c}"} for c in caveats], columns=body.columns)
    return pd.concat([top, body.astype(object), bottom], ignore_index=True).fillna("")


def export_truth_table(result: dict) -> pd.DataFrame:
    """The truth table of :func:`reviewed_qca` for readers, its title and caveats in the table itself.

    Parameters
    ----------
    result : dict
        From :func:`reviewed_qca`.

    Returns
    -------
    pandas.DataFrame
        First row the title (a demonstration when fewer than :data:`HANDFUL` cases are coded); then
        one row per configuration with conditions as ``yes``/``no`` under their labels, the cases,
        the outcome row (1, 0, contradiction, remainder) and consistency; last rows the caveats
        (cases coded, remainders, contradictions, districts not coded and why).

    Examples
    --------
    >>> import govcases
    >>> from govcases.analysis.qca import export_truth_table, reviewed_qca
    >>> t = export_truth_table(reviewed_qca(govcases.load_casebook().select(["zhenhai"]), ["incubator"]))
    >>> t.iloc[0, 0].startswith("Demonstration")
    True
    """
    table = result["truth_table"]
    conditions = [c for c in table.columns if c not in _TT_COLUMNS]
    words = {"1": "1", "0": "0", "C": "contradiction", "?": "remainder"}
    body = pd.DataFrame(
        {
            **{_label(c): table[c].map({1: "yes", 0: "no"}) for c in conditions},
            "Cases": table["cases"].map(lambda t: ", ".join(result["names"][d] for d in t.split("|") if d)),
            "Outcome": table["row_outcome"].map(words),
            "Consistency": table["consistency"].map(lambda x: "" if pd.isna(x) else f"{x:.2f}"),
        }
    )
    return _with_notes(body, result["title"], result["caveats"])


_TT_COLUMNS = ("n_cases", "cases", "n_positive", "consistency", "row_outcome", "not_coded")


def export_solutions(result: dict) -> pd.DataFrame:
    """The four solutions of :func:`reviewed_qca` (outcome and its negation), with title and caveats.

    Parameters
    ----------
    result : dict
        From :func:`reviewed_qca`.

    Returns
    -------
    pandas.DataFrame
        Columns Outcome, Solution, Reads, Other minimal sums, Consistency, Coverage; first row the
        title, last rows the caveats.

    Examples
    --------
    >>> import govcases
    >>> from govcases.analysis.qca import export_solutions, reviewed_qca
    >>> t = export_solutions(reviewed_qca(govcases.load_casebook().select(["zhenhai"]), ["incubator"]))
    >>> t["Outcome"].tolist()[1:5]
    ['large sector', 'large sector', 'not a large sector', 'not a large sector']
    """
    rows = []
    outcome = result["outcome"][result["outcome"]["district"].isin(result["matrix"].index)]
    negated = outcome.assign(outcome=(1 - outcome["outcome"]).astype("Int64"))
    for prefix, name, out in (("", "large sector", outcome), ("negated_", "not a large sector", negated)):
        for kind in ("parsimonious", "complex"):
            s = result[prefix + kind]
            fit = solution_fit(s, result["matrix"], out)
            rows.append(
                {
                    "Outcome": name,
                    "Solution": kind,
                    "Reads": _readable(s.text),
                    "Other minimal sums": "; ".join(_readable(a) for a in s.alternatives if a != s.text),
                    "Consistency": "" if pd.isna(fit["consistency"]) else f"{fit['consistency']:.2f}",
                    "Coverage": "" if pd.isna(fit["coverage"]) else f"{fit['coverage']:.2f}",
                }
            )
    title = result["title"].replace("truth table", "solutions")
    return _with_notes(pd.DataFrame(rows), title, result["caveats"])


# ---------------------------------------------------------------------------- figure


def default_truth_table(cb: Casebook) -> pd.DataFrame:
    """The truth table of :func:`reviewed_qca` with its default conditions, titled and with caveats (appendix)."""
    return export_truth_table(reviewed_qca(cb))


def default_solution_fit(cb: Casebook) -> pd.DataFrame:
    """The solutions of :func:`reviewed_qca` for the outcome and its negation, with caveats (appendix)."""
    return export_solutions(reviewed_qca(cb))
