"""Governance conditions coded from facts by explicit rules, and how alike the districts are.

A condition (``direct_registration``, ``incubator``, ...) is never typed in by hand: each has a
:class:`ConditionRule` that lists the kinds of fact that count as evidence for it (a clause such as
``funding_instrument = lottery_welfare_fund`` or ``hub_network_tiers >= 2``). A district has the
condition when at least one of its facts matches a clause, and the matching fact ids are kept as
the cell's evidence. A 0 means that the district's source does not report the condition; it is not
evidence that the district lacks it. The sources differ a great deal in length and focus (a short
news report for Beilun, a long district report for Zhenhai), so a row of zeros says as much about
the source as about the district.

Similarity between districts uses the Jaccard index, which ignores conditions that neither source
reports: two districts are not alike because both sources are silent on something. The tree is
average-linkage (UPGMA) clustering of Jaccard distances.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

import numpy as np
import pandas as pd

from govcases.records.casebook import Casebook

__all__ = [
    "RULES",
    "STATES",
    "Clause",
    "ConditionRule",
    "cluster_memberships",
    "cluster_stability",
    "condition_evidence",
    "condition_matrix",
    "condition_profile",
    "condition_states",
    "evidence_table",
    "linkage_matrix",
    "rules_table",
    "similarity",
    "tied_pairs",
]


# ---------------------------------------------------------------------------- rules


@dataclass(frozen=True)
class Clause:
    """One kind of fact that counts as evidence for a condition.

    Parameters
    ----------
    indicator : str
        Codebook indicator id the fact must have.
    equals : str or bool or None
        For category indicators the category the fact must have; ``True`` for a boolean
        indicator whose fact must be true. None: any fact of the indicator.
    subject_prefix : str or None
        The fact's subject must begin with this (``'filed:'``, ``'lottery_welfare_fund:'``), as
        the codebook asks subjects of some indicators to do.
    at_least : float or None
        For quantities: the low end of the fact's interval must be at least this, so that an
        approximate figure counts only when every value it allows passes.
    """

    indicator: str
    equals: str | bool | None = None
    subject_prefix: str | None = None
    at_least: float | None = None

    def matches(self, fact) -> bool:
        """Whether one fact row (a mapping with the columns of ``Casebook.facts``) supports the clause."""
        if fact["indicator"] != self.indicator:
            return False
        # a plan the text announces (status planned) is not evidence that the arrangement exists
        if "status" in fact and not pd.isna(fact["status"]) and fact["status"] == "planned":
            return False
        if self.equals is True:
            # A boolean fact counts only when true; a false one is contrary evidence (see contradicts).
            if fact["value_type"] != "boolean" or pd.isna(fact["value"]) or float(fact["value"]) != 1.0:
                return False
        elif self.equals is not None and fact["value_text"] != self.equals:
            return False
        if self.subject_prefix is not None:
            subject = fact["subject"]
            if pd.isna(subject) or not str(subject).startswith(self.subject_prefix):
                return False
        if self.at_least is not None:
            return not (pd.isna(fact["low"]) or float(fact["low"]) < self.at_least)
        return True

    def contradicts(self, fact) -> bool:
        """Whether the fact reports the clause's boolean as false (the source says the district does not)."""
        return (
            self.equals is True
            and fact["indicator"] == self.indicator
            and fact["value_type"] == "boolean"
            and not pd.isna(fact["value"])
            and float(fact["value"]) == 0.0
        )

    @property
    def text(self) -> str:
        """The clause as a short rule, e.g. ``funding_instrument = lottery_welfare_fund``."""
        if self.equals is True:
            out = f"{self.indicator} = true"
        elif self.equals is not None:
            out = f"{self.indicator} = {self.equals}"
        elif self.at_least is not None:
            out = f"{self.indicator} >= {self.at_least:g}"
        else:
            out = f"any {self.indicator}"
        if self.subject_prefix is not None:
            out += f" with subject '{self.subject_prefix}...'"
        return out


@dataclass(frozen=True)
class ConditionRule:
    """A governance condition and the facts that make it true for a district.

    Attributes
    ----------
    id : str
        Stable snake_case id, used as the column name of the condition matrix.
    label_en, label_zh : str
        Short labels for tables and figures.
    domain : str
        Codebook category the condition belongs to (registration, funding, ...).
    description : str
        What the condition means, in one sentence.
    clauses : tuple of Clause
        The district has the condition when any of its facts matches any clause.
    """

    id: str
    label_en: str
    label_zh: str
    domain: str
    description: str
    clauses: tuple[Clause, ...]

    def evidence(self, facts: pd.DataFrame | list[dict]) -> list[str]:
        """Ids of the facts (of one district, or any frame of facts) that support the condition, sorted.

        ``facts`` may also be the frame's rows as dicts (``to_dict("records")``), converted once
        when many rules read the same facts.
        """
        return sorted(str(f["id"]) for f in _records(facts) if any(c.matches(f) for c in self.clauses))

    def contrary(self, facts: pd.DataFrame | list[dict]) -> list[str]:
        """Ids of facts saying the district does not have it (a boolean clause reported false), sorted."""
        return sorted(str(f["id"]) for f in _records(facts) if any(c.contradicts(f) for c in self.clauses))

    def predicate(self, facts: pd.DataFrame) -> bool:
        """True when the district's facts support the condition."""
        return bool(self.evidence(facts))

    @property
    def rule_text(self) -> str:
        """The clauses joined by OR, as the rule table shows them."""
        return " OR ".join(c.text for c in self.clauses)


def _records(facts: pd.DataFrame | list[dict]) -> list[dict]:
    # Plain dicts: matching ~20 rules against a few hundred facts row by row is then fast.
    return facts if isinstance(facts, list) else facts.to_dict("records")


def _rule(id, label_en, label_zh, domain, description, *clauses) -> ConditionRule:
    return ConditionRule(id, label_en, label_zh, domain, description, tuple(clauses))


#: The conditions and their coding rules, grouped by domain. Each clause names a codebook indicator
#: (and category) so that a test can check the rule table against the codebook.
RULES: tuple[ConditionRule, ...] = (
    # registration
    _rule(
        "direct_registration",
        "Direct registration",
        "直接登记",
        "registration",
        "Some organizations may register without a professional supervisory unit.",
        Clause("direct_registration", True),
        Clause("direct_registration_category"),
    ),
    _rule(
        "filing_system",
        "Filing system",
        "备案制度",
        "registration",
        "Unregistered grassroots organizations can be recognized by filing (备案); a count that includes "
        "filed organizations shows that filing is in use.",
        Clause("filing_system", True),
        Clause("dual_track_registration", True),
        Clause("orgs_community_filed"),
        Clause("orgs_registered_and_filed"),
        Clause("incubator_count", subject_prefix="filed:"),
    ),
    _rule(
        "registration_streamlined",
        "Streamlined registration",
        "登记程序简化",
        "registration",
        "The source reports a registration procedure abolished, eased or shortened.",
        Clause("registration_procedure_change"),
        Clause("registration_procedure_after"),
    ),
    # funding
    _rule(
        "lottery_fund",
        "Welfare-lottery fund",
        "福彩公益金",
        "funding",
        "Welfare-lottery public-welfare money is used to fund organizations.",
        Clause("funding_instrument", "lottery_welfare_fund"),
        Clause("funding_amount", subject_prefix="lottery_welfare_fund:"),
    ),
    _rule(
        "venture_philanthropy",
        "Venture philanthropy",
        "公益创投",
        "funding",
        "Public-welfare venture philanthropy (公益创投) competitions fund organizations' projects.",
        Clause("funding_instrument", "venture_philanthropy"),
        Clause("funding_amount", subject_prefix="venture_philanthropy:"),
        Clause("funding_recipients", subject_prefix="venture_philanthropy:"),
    ),
    _rule(
        "government_purchase",
        "Government purchase",
        "政府购买服务",
        "funding",
        "Government buys services from organizations.",
        Clause("funding_instrument", "government_purchase"),
        Clause("funding_amount", subject_prefix="government_purchase:"),
        Clause("transfer_instrument", "purchase_catalogue"),
        Clause("transfer_instrument", "purchase_platform"),
    ),
    _rule(
        "special_fund",
        "Special fund",
        "专项资金",
        "funding",
        "A dedicated fund (专项资金) for social organizations.",
        Clause("funding_instrument", "special_fund"),
        Clause("funding_amount", subject_prefix="special_fund:"),
    ),
    _rule(
        "directed_donation",
        "Directed donations",
        "定向捐赠",
        "funding",
        "Corporate donations directed to organizations, with a tax incentive.",
        Clause("funding_instrument", "directed_donation_tax_incentive"),
        Clause("funding_amount", subject_prefix="directed_donation_tax_incentive:"),
    ),
    # incubation and hubs
    _rule(
        "incubator",
        "Incubator",
        "孵化基地",
        "incubation_hubs",
        "An incubator, incubation park or centre that houses new organizations.",
        Clause("hub_feature", "incubator"),
        Clause("incubator_area"),
        Clause("incubator_count"),
    ),
    _rule(
        "multi_tier_network",
        "Multi-tier network",
        "多级服务网络",
        "incubation_hubs",
        "A service or incubation network of two or more tiers (district, street, community).",
        Clause("hub_feature", "multi_tier_network"),
        Clause("hub_network_tiers", at_least=2),
    ),
    _rule(
        "hub_organizations",
        "Hub organizations",
        "枢纽型组织",
        "incubation_hubs",
        "Hub-type (枢纽型) organizations that link and serve others.",
        Clause("hub_feature", "hub_organizations"),
    ),
    _rule(
        "street_service_centres",
        "Centre in every street",
        "街镇服务中心",
        "incubation_hubs",
        "A social-organization service or incubation centre in every street or town.",
        Clause("hub_feature", "service_centre_per_street"),
    ),
    _rule(
        "federation",
        "Federation",
        "联合会",
        "incubation_hubs",
        "A federation (联合会) of community or similar organizations.",
        Clause("hub_feature", "federation"),
        Clause("federation_first_established"),
    ),
    _rule(
        "support_organization",
        "Support organization",
        "支持型组织",
        "incubation_hubs",
        "A support organization runs or serves the incubation arrangements.",
        Clause("hub_feature", "support_organization"),
    ),
    # evaluation and supervision
    _rule(
        "third_party_evaluation",
        "Third-party evaluation",
        "第三方评估",
        "evaluation_supervision",
        "Organizations or their projects are evaluated by a third party.",
        Clause("supervision_feature", "third_party_evaluation"),
    ),
    _rule(
        "rating_system",
        "Graded rating",
        "等级评估",
        "evaluation_supervision",
        "Organizations are rated in grades, possibly with subsidies or privileges tied to the grade.",
        Clause("supervision_feature", "rating_system"),
        Clause("supervision_feature", "rating_linked_subsidy"),
        Clause("supervision_feature", "rating_linked_privileges"),
        Clause("funding_instrument", "rating_subsidy"),
        Clause("rating_count"),
    ),
    _rule(
        "project_evaluation",
        "Project evaluation",
        "项目评估",
        "evaluation_supervision",
        "Organizations' projects are evaluated before, during or after they run.",
        Clause("supervision_feature", "project_evaluation"),
    ),
    _rule(
        "annual_reports_spot_checks",
        "Annual reports and spot checks",
        "年报与抽查",
        "evaluation_supervision",
        "Annual reports and spot checks (in place of annual inspection).",
        Clause("supervision_feature", "annual_report_system"),
        Clause("supervision_feature", "spot_checks"),
    ),
    # purchase and transfer
    _rule(
        "transfer_lists",
        "Transfer catalogues and lists",
        "职能转移目录清单",
        "purchase_transfer",
        "Catalogues, lists or rosters that say which government functions go to which organizations.",
        Clause("transfer_instrument", "transfer_catalogue"),
        Clause("transfer_instrument", "key_transfer_list"),
        Clause("transfer_instrument", "negative_list"),
        Clause("transfer_instrument", "qualified_roster"),
        Clause("transfer_instrument", "purchase_catalogue"),
    ),
    # context
    _rule(
        "coordinating_body",
        "Coordinating body",
        "领导协调机构",
        "context",
        "A leading group, joint meeting or office set up to coordinate work on social organizations.",
        Clause("coordination_body"),
    ),
)


def rules_table(rules=RULES) -> pd.DataFrame:
    """The rule table: which facts make each condition true.

    Parameters
    ----------
    rules : sequence of ConditionRule, default :data:`RULES`
        The coding rules: which facts make each condition true.

    Returns
    -------
    pandas.DataFrame
        One row per condition, in rule order:

        ===========  =====================================================
        condition    condition id (column of the condition matrix)
        label_en     short English label
        label_zh     short Chinese label
        domain       codebook category the condition belongs to
        description  what the condition means
        rule         the clauses joined by OR (any matching fact suffices)
        ===========  =====================================================

    Examples
    --------
    >>> from govcases.analysis.typology import rules_table
    >>> rules_table().set_index("condition").loc["multi_tier_network", "rule"]
    'hub_feature = multi_tier_network OR hub_network_tiers >= 2'
    """
    return pd.DataFrame(
        [
            {
                "condition": r.id,
                "label_en": r.label_en,
                "label_zh": r.label_zh,
                "domain": r.domain,
                "description": r.description,
                "rule": r.rule_text,
            }
            for r in rules
        ]
    )


def _usable(facts: pd.DataFrame, include_disputed: bool) -> pd.DataFrame:
    # Disputed facts (sources disagree) do not make a condition true unless asked for.
    return facts if include_disputed else facts[facts["confidence"] != "disputed"]


def condition_evidence(cb: Casebook, rules=RULES, *, include_disputed: bool = False) -> pd.DataFrame:
    """Every fact that supports a condition, one row per (district, condition, fact).

    Parameters
    ----------
    cb : Casebook
        A validated casebook, from :func:`govcases.load_casebook`.
    rules : sequence of ConditionRule, default :data:`RULES`
        The coding rules: which facts make each condition true.
    include_disputed : bool, default False
        Also keep facts whose confidence is ``disputed``.

    Returns
    -------
    pandas.DataFrame
        ==========  ==================================================
        district    district slug
        condition   condition id
        fact_id     id of a fact that matches one of the rule's clauses
        clause      the clause it matches (first matching, in rule order)
        indicator   the fact's indicator
        value_text  the fact's value as written
        confidence  stated or inferred (disputed only when asked for)
        ==========  ==================================================

        Sorted by district, condition (rule order) and fact id.

    Examples
    --------
    >>> import govcases
    >>> from govcases.analysis.typology import condition_evidence
    >>> ev = condition_evidence(govcases.load_casebook())
    >>> sorted(ev.loc[(ev["district"] == "zhenhai") & (ev["condition"] == "multi_tier_network"), "fact_id"])
    ['zhenhai-hub-network', 'zhenhai-hub-network-tiers']
    """
    facts = _records(_usable(cb.facts, include_disputed))
    rows = []
    for order, rule in enumerate(rules):
        for f in facts:
            clause = next((c for c in rule.clauses if c.matches(f)), None)
            if clause is not None:
                rows.append(
                    {
                        "district": f["district"],
                        "condition": rule.id,
                        "fact_id": f["id"],
                        "clause": clause.text,
                        "indicator": f["indicator"],
                        "value_text": f["value_text"],
                        "confidence": f["confidence"],
                        "_order": order,
                    }
                )
    cols = ["district", "condition", "fact_id", "clause", "indicator", "value_text", "confidence"]
    if not rows:
        return pd.DataFrame(columns=cols)
    out = pd.DataFrame(rows).sort_values(["district", "_order", "fact_id"], ignore_index=True)
    return out[cols]


def condition_matrix(cb: Casebook, rules=RULES, *, include_disputed: bool = False) -> pd.DataFrame:
    """District-by-condition matrix of 1 (a fact supports it) and 0 (the source does not report it).

    Parameters
    ----------
    cb : Casebook
        A validated casebook, from :func:`govcases.load_casebook`.
    rules : sequence of ConditionRule, default :data:`RULES`
        The coding rules: which facts make each condition true.
    include_disputed : bool, default False
        Also keep facts whose confidence is ``disputed``.

    Returns
    -------
    pandas.DataFrame
        Index ``district`` (every district of the casebook, sorted); one int column per condition in
        rule order. 1: at least one fact of the district matches the condition's rule; 0: the
        source does not report it, which is not evidence that the district lacks it.

    Examples
    --------
    >>> import govcases
    >>> from govcases.analysis.typology import condition_matrix
    >>> m = condition_matrix(govcases.load_casebook())
    >>> m.loc[["beilun", "longhua"], "lottery_fund"].to_dict()
    {'beilun': 1, 'longhua': 0}
    """
    ev = condition_evidence(cb, rules, include_disputed=include_disputed)
    ids = [r.id for r in rules]
    table = pd.crosstab(ev["district"], ev["condition"]) if len(ev) else pd.DataFrame()
    table = (table > 0).astype(int).reindex(index=cb.districts, columns=ids, fill_value=0)
    table.index.name, table.columns.name = "district", "condition"
    return table


#: The three values a condition takes for a district. ``present``: a fact supports it; ``absent``:
#: a fact says the district does not have it (a boolean clause reported false, or abolished);
#: ``not reported``: the source is silent, which is not evidence either way.
STATES: tuple[str, ...] = ("present", "absent", "not reported")


def condition_states(cb: Casebook, rules=RULES, *, include_disputed: bool = False) -> pd.DataFrame:
    """District-by-condition matrix of three values: present, absent, not reported.

    A district with facts both for and against a condition (a reform adopted, then abolished) is
    not silently resolved: the cell reads ``present`` only when no fact says otherwise, and such a
    clash raises an error naming the facts, so that a coder decides which period the analysis reads.

    Parameters
    ----------
    cb : Casebook
        A validated casebook, from :func:`govcases.load_casebook`.
    rules : sequence of ConditionRule, default :data:`RULES`
        The coding rules: which facts make each condition true, and which say it is not.
    include_disputed : bool, default False
        Also keep facts whose confidence is ``disputed``.

    Returns
    -------
    pandas.DataFrame
        Index ``district`` (every district of the casebook, sorted); one str column per condition
        in rule order, each value one of :data:`STATES`.

    Raises
    ------
    ValueError
        When a district has facts both supporting and contradicting one condition.

    Examples
    --------
    >>> import govcases
    >>> from govcases.analysis.typology import condition_states
    >>> s = condition_states(govcases.load_casebook().select(["beilun", "longhua"]))
    >>> s["lottery_fund"].to_dict()
    {'beilun': 'present', 'longhua': 'not reported'}
    """
    facts = _usable(cb.facts, include_disputed)
    rows = []
    for district in cb.districts:
        own = _records(facts[facts["district"] == district])  # once for all the rules
        row = {"district": district}
        for rule in rules:
            pro, con = rule.evidence(own), rule.contrary(own)
            if pro and con:
                raise ValueError(
                    f"{district}: condition {rule.id!r} is supported by {', '.join(pro)} and contradicted by "
                    f"{', '.join(con)}; restrict the facts to one period (or correct the casebook) before coding it"
                )
            row[rule.id] = "present" if pro else "absent" if con else "not reported"
        rows.append(row)
    out = pd.DataFrame(rows, columns=["district", *(r.id for r in rules)]).set_index("district")
    out.columns.name = "condition"
    return out


def evidence_table(cb: Casebook, rules=RULES, *, include_disputed: bool = False) -> pd.DataFrame:
    """Each cell of the condition matrix with the facts behind it, one row per (district, condition).

    Parameters
    ----------
    cb : Casebook
        A validated casebook, from :func:`govcases.load_casebook`.
    rules : sequence of ConditionRule, default :data:`RULES`
        The coding rules: which facts make each condition true.
    include_disputed : bool, default False
        Also keep facts whose confidence is ``disputed``.

    Returns
    -------
    pandas.DataFrame
        =============  =======================================================================
        district       district slug
        condition      condition id
        coded          1 if a fact supports it, 0 if the source does not report it
        evidence       supporting fact ids joined by ``|`` (empty for 0)
        n_facts        number of supporting facts
        only_inferred  True when every supporting fact has confidence ``inferred``
        contrary       ids of facts saying the district does not have it (a boolean reported false)
        meaning        what the code means in words
        =============  =======================================================================

    Examples
    --------
    >>> import govcases
    >>> from govcases.analysis.typology import evidence_table
    >>> t = evidence_table(govcases.load_casebook()).set_index(["district", "condition"])
    >>> cell = t.loc[("lvyuan", "multi_tier_network")]
    >>> int(cell["coded"]), cell["evidence"], bool(cell["only_inferred"])
    (1, 'lvyuan-hub-multi-tier', True)
    """
    facts = _usable(cb.facts, include_disputed)
    ev = condition_evidence(cb, rules, include_disputed=include_disputed)
    # Not dict(groupby): dict() takes a GroupBy for a mapping (it has .keys, a list) and fails.
    groups = {key: g for key, g in ev.groupby(["district", "condition"], sort=False)}  # noqa: C416
    rows = []
    for district in cb.districts:
        own = _records(facts[facts["district"] == district])
        for rule in rules:
            hit = groups.get((district, rule.id), ev.iloc[0:0])
            contrary = sorted(str(f["id"]) for f in own if any(c.contradicts(f) for c in rule.clauses))
            coded = int(len(hit) > 0)
            if coded:
                meaning = "reported by the source"
            elif contrary:
                meaning = "the source says the district does not have it"
            else:
                meaning = "not reported by the source (unknown, not absent)"
            rows.append(
                {
                    "district": district,
                    "condition": rule.id,
                    "coded": coded,
                    "evidence": "|".join(hit["fact_id"]),
                    "n_facts": len(hit),
                    "only_inferred": bool(coded and (hit["confidence"] == "inferred").all()),
                    "contrary": "|".join(contrary),
                    "meaning": meaning,
                }
            )
    return pd.DataFrame(rows)


def condition_profile(matrix: pd.DataFrame) -> pd.DataFrame:
    """How each condition varies across districts, to choose conditions for a comparison.

    A condition every district reports (or none) cannot tell districts apart; two conditions with
    identical columns cannot be told apart from each other.

    Parameters
    ----------
    matrix : pandas.DataFrame
        A 0/1 condition matrix, districts as rows and conditions as columns, e.g. from
        :func:`condition_matrix`.

    Returns
    -------
    pandas.DataFrame
        ============  ==============================================================
        condition     condition id
        n_reported    number of districts whose source reports it
        districts     those districts, joined by ``|``
        varies        False when every district or no district reports it
        same_as       other conditions with exactly the same column, joined by ``|``
        ============  ==============================================================

    Examples
    --------
    >>> import pandas as pd
    >>> from govcases.analysis.typology import condition_profile
    >>> m = pd.DataFrame({"a": [1, 1], "b": [1, 0], "c": [1, 0]}, index=pd.Index(["x", "y"], name="district"))
    >>> condition_profile(m)[["condition", "varies", "same_as"]].values.tolist()
    [['a', False, ''], ['b', True, 'c'], ['c', True, 'b']]
    """
    rows = []
    for c in matrix.columns:
        col = matrix[c]
        same = [o for o in matrix.columns if o != c and (matrix[o] == col).all()]
        rows.append(
            {
                "condition": c,
                "n_reported": int(col.sum()),
                "districts": "|".join(str(d) for d in matrix.index[col == 1]),
                "varies": bool(0 < col.sum() < len(col)),
                "same_as": "|".join(same),
            }
        )
    return pd.DataFrame(rows)


# ---------------------------------------------------------------------------- similarity and clustering


def similarity(matrix: pd.DataFrame, *, metric: str = "jaccard") -> pd.DataFrame:
    """Pairwise similarity of districts' condition sets.

    Parameters
    ----------
    matrix : pandas.DataFrame
        A 0/1 condition matrix (districts as rows).
    metric : {'jaccard', 'simple_matching'}
        ``jaccard``: shared conditions over conditions either reports (joint zeros ignored);
        ``simple_matching``: share of conditions on which the two agree, joint zeros included.
        Both come from :func:`scipy.spatial.distance.pdist` (``jaccard`` and ``hamming``).

    Returns
    -------
    pandas.DataFrame
        Square, districts by districts, similarity in [0, 1]; 1 on the diagonal.

    Examples
    --------
    >>> import pandas as pd
    >>> from govcases.analysis.typology import similarity
    >>> m = pd.DataFrame([[1, 1, 0, 0], [1, 0, 1, 0]], index=["x", "y"])
    >>> round(float(similarity(m).loc["x", "y"]), 4), float(similarity(m, metric="simple_matching").loc["x", "y"])
    (0.3333, 0.5)
    """
    from scipy.spatial.distance import pdist, squareform

    names = {"jaccard": "jaccard", "simple_matching": "hamming"}
    if metric not in names:
        raise ValueError(f"metric must be one of {sorted(names)}, not {metric!r}")
    data = matrix.to_numpy(dtype=bool)
    sim = 1.0 - squareform(pdist(data, names[metric]))
    return pd.DataFrame(sim, index=matrix.index.copy(), columns=matrix.index.copy())


def linkage_matrix(matrix: pd.DataFrame, *, method: str = "average") -> np.ndarray:
    """Hierarchical clustering of Jaccard distances (:func:`scipy.cluster.hierarchy.linkage`).

    Average linkage is the default because it needs only a dissimilarity (Jaccard distances are
    not Euclidean, which Ward and centroid linkage assume) and it merges groups by their mean
    distance, so one odd pair does not decide a merge as it does under single (chaining) or
    complete (one outlier) linkage.

    Parameters
    ----------
    matrix : pandas.DataFrame
        A 0/1 condition matrix, districts as rows and conditions as columns, e.g. from
        :func:`condition_matrix`.
    method : str, default 'average'
        Linkage method of :func:`scipy.cluster.hierarchy.linkage` ('average', 'single', 'complete', ...).

    Returns
    -------
    numpy.ndarray
        The linkage matrix (one row per merge: the two clusters merged, their distance and the size
        of the new cluster), in the row order of ``matrix``.
    """
    from scipy.cluster.hierarchy import linkage
    from scipy.spatial.distance import pdist

    return linkage(pdist(matrix.to_numpy(dtype=bool), "jaccard"), method=method)


def cluster_memberships(matrix: pd.DataFrame, *, ks=(2, 3), methods=("average", "single", "complete")) -> pd.DataFrame:
    """Which cluster each district falls in when the tree is cut into k groups, for several linkages.

    Cluster numbers are relabelled in order of first appearance along the sorted districts, so that
    the same partition always reads the same way.

    Parameters
    ----------
    matrix : pandas.DataFrame
        A 0/1 condition matrix, districts as rows and conditions as columns, e.g. from
        :func:`condition_matrix`.
    ks : sequence of int, default (2, 3)
        Numbers of groups to cut the tree into.
    methods : sequence of str, default ('average', 'single', 'complete')
        Linkage methods to compare (see :func:`linkage_matrix`).

    Returns
    -------
    pandas.DataFrame
        Index ``district``; one column ``<method> k=<k>`` per method and k, holding cluster numbers
        (1, 2, ...). Agreement across methods is one check of robustness; :func:`cluster_stability`
        is another.

    Examples
    --------
    >>> import pandas as pd
    >>> from govcases.analysis.typology import cluster_memberships
    >>> m = pd.DataFrame([[1, 1, 0], [1, 1, 0], [0, 0, 1]], index=pd.Index(["a", "b", "c"], name="district"))
    >>> cluster_memberships(m, ks=(2,), methods=("average",))["average k=2"].tolist()
    [1, 1, 2]
    """
    from scipy.cluster.hierarchy import fcluster

    out = {}
    for method in methods:
        z = linkage_matrix(matrix, method=method)
        for k in ks:
            out[f"{method} k={k}"] = _relabel(fcluster(z, t=k, criterion="maxclust"))
    table = pd.DataFrame(out, index=matrix.index.copy())
    table.index.name = "district"
    return table


def _relabel(labels) -> list[int]:
    seen: dict[int, int] = {}
    return [seen.setdefault(int(x), len(seen) + 1) for x in labels]


def cluster_stability(matrix: pd.DataFrame, *, k: int = 2, method: str = "average") -> pd.DataFrame:
    """How often each pair of districts stays in one cluster when one condition is left out.

    The tree is recomputed once for every condition that is dropped (leave-one-condition-out) and
    cut into ``k`` groups; a pair that is together in every run has share 1. With few conditions
    per source and ties in the distances, shares well below 1 show how fragile the grouping is.

    Parameters
    ----------
    matrix : pandas.DataFrame
        A 0/1 condition matrix, districts as rows and conditions as columns, e.g. from
        :func:`condition_matrix`.
    k : int, default 2
        Number of groups the tree is cut into.
    method : str, default 'average'
        Linkage method (see :func:`linkage_matrix`).

    Returns
    -------
    pandas.DataFrame
        =================  =========================================================
        district_a         first district of the pair (sorted)
        district_b         second district
        together_full      1 if the pair shares a cluster with every condition used
        together_share     share of leave-one-out runs in which the pair shares one
        =================  =========================================================

    Examples
    --------
    >>> import pandas as pd
    >>> from govcases.analysis.typology import cluster_stability
    >>> m = pd.DataFrame([[1, 1, 0, 0], [1, 1, 0, 0], [0, 0, 1, 1]], index=["a", "b", "c"])
    >>> cluster_stability(m)["together_share"].tolist()
    [1.0, 0.0, 0.0]
    """
    from scipy.cluster.hierarchy import fcluster

    def together(m: pd.DataFrame) -> dict[tuple, bool]:
        labels = fcluster(linkage_matrix(m, method=method), t=k, criterion="maxclust")
        lab = dict(zip(m.index, labels))
        return {(a, b): lab[a] == lab[b] for a, b in combinations(sorted(m.index), 2)}

    full = together(matrix)
    # A district whose only reported conditions are dropped would have an all-zero row; scipy
    # then gives distance 0 to another all-zero row, which is still a defined (if empty) result.
    runs = [together(matrix.drop(columns=c)) for c in matrix.columns]
    rows = [
        {
            "district_a": a,
            "district_b": b,
            "together_full": int(full[(a, b)]),
            "together_share": sum(r[(a, b)] for r in runs) / len(runs),
        }
        for (a, b) in full
    ]
    return pd.DataFrame(rows)


def tied_pairs(sim: pd.DataFrame, *, digits: int = 9) -> pd.DataFrame:
    """Groups of district pairs with exactly the same similarity (ties make the merge order arbitrary).

    Parameters
    ----------
    sim : pandas.DataFrame
        A square similarity matrix with districts as index and columns, from :func:`similarity`.
    digits : int, default 9
        Decimals similarities are rounded to before they are compared, so float noise does not
        split a tie.

    Returns
    -------
    pandas.DataFrame
        ==========  =============================================
        similarity  the shared value
        n_pairs     how many pairs share it (2 or more)
        pairs       the pairs, ``a~b`` joined by ``|``
        ==========  =============================================

        Sorted by similarity, highest first.

    Examples
    --------
    >>> import pandas as pd
    >>> from govcases.analysis.typology import tied_pairs
    >>> s = pd.DataFrame([[1, .5, .5], [.5, 1, .2], [.5, .2, 1]], index=list("abc"), columns=list("abc"))
    >>> tied_pairs(s).values.tolist()
    [[0.5, 2, 'a~b|a~c']]
    """
    groups: dict[float, list[str]] = {}
    for a, b in combinations(sorted(sim.index), 2):
        groups.setdefault(round(float(sim.loc[a, b]), digits), []).append(f"{a}~{b}")
    rows = [{"similarity": v, "n_pairs": len(p), "pairs": "|".join(p)} for v, p in groups.items() if len(p) > 1]
    out = pd.DataFrame(rows, columns=["similarity", "n_pairs", "pairs"])
    return out.sort_values("similarity", ascending=False, ignore_index=True)


# ---------------------------------------------------------------------------- figures
