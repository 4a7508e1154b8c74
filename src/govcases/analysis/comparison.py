"""Table 1: the districts' governance models side by side, every cell traced to its facts.

A row per district of the casebook, a column per feature, the features grouped by domain
(registration regime, funding model, incubation and hubs, purchase and transfer, evaluation and
supervision, Party building, separation of government and society, competition and openness).
Every cell is in one of three states, never merged:

* ``present``: a fact of the district says the arrangement exists (a plan the text announces for
  later, status ``planned``, does not count, and neither does a disputed fact);
* ``absent``: a fact says the district has none, or that it was abolished (a boolean reported
  false, or a measure that removed it, such as breaking down the dual-management barrier);
* ``not reported``: no fact speaks to it. The district's source is silent, which is not evidence
  that the district lacks it.

What makes a cell present or absent is metadata, not code: :data:`DOMAINS` and :data:`FEATURES`
list each feature's label and the kinds of fact (a :class:`Match`) that say it exists or that it
does not. A test checks every clause against the codebook.

When facts point both ways (an arrangement reported in place and later abolished), the state of
the later fact wins (by the end of its reference period) and the other facts are kept as
``contrary_fact_ids``; facts that end on the same day are an error, because no rule can say
which holds.

:func:`qualifier_sensitivity` reads the casebook's comparisons between figures of different
districts, and shows how each moves within the bands the qualifier table gives 近, 约, 多 and 余.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

import pandas as pd

from govcases.records.casebook import Casebook
from govcases.records.quantity import QUALIFIERS

__all__ = [
    "BANDED",
    "DOMAINS",
    "FEATURES",
    "STATES",
    "Feature",
    "Match",
    "cell_evidence",
    "domain_summary",
    "evidence_table",
    "feature_table",
    "models_table",
    "qualifier_sensitivity",
    "state_counts",
]

#: The three states of a cell, in the order tables list them.
STATES = ("present", "absent", "not reported")

#: Domains in the order Table 1 shows them: id -> label a reader sees.
DOMAINS: dict[str, str] = {
    "registration": "Registration regime",
    "funding": "Funding model",
    "incubation_hubs": "Incubation and hubs",
    "purchase_transfer": "Purchase of services and transfer of functions",
    "evaluation_supervision": "Evaluation and supervision",
    "party_building": "Party building",
    "state_society": "Separation of government and society",
    "competition_openness": "Competition and openness",
}


@dataclass(frozen=True)
class Match:
    """One kind of fact that speaks to a feature.

    Parameters
    ----------
    indicator : str
        The codebook indicator the fact must have.
    value : str or bool or None
        For a category indicator the category; for a boolean indicator ``True`` or ``False``;
        None: any value.
    field : str or None
        An optional field of the fact (``payer``, ``counts``) that must hold ``field_value``.
    field_value : str or None
        The value ``field`` must hold.
    subject_prefix : str or None
        The fact's subject must begin with this (``'filed:'``, ``'government_purchase:'``).
    """

    indicator: str
    value: str | bool | None = None
    field: str | None = None
    field_value: str | None = None
    subject_prefix: str | None = None

    def matches(self, fact: dict) -> bool:
        """Whether one fact (a row of ``Casebook.facts`` as a dict) is of this kind."""
        if fact["indicator"] != self.indicator:
            return False
        if isinstance(self.value, bool):
            if fact["value_type"] != "boolean" or _missing(fact["value"]):
                return False
            if bool(float(fact["value"])) is not self.value:
                return False
        elif self.value is not None and fact["value_text"] != self.value:
            return False
        if self.field is not None:
            held = fact.get(self.field)
            if _missing(held) or self.field_value not in str(held).split("|"):
                return False
        if self.subject_prefix is not None:
            subject = fact["subject"]
            if _missing(subject) or not str(subject).startswith(self.subject_prefix):
                return False
        return True

    @property
    def text(self) -> str:
        """The clause in one line, for the feature table."""
        out = self.indicator
        if isinstance(self.value, bool):
            out += f" = {str(self.value).lower()}"
        elif self.value is not None:
            out += f" = {self.value}"
        if self.field is not None:
            out += f" with {self.field} {self.field_value}"
        if self.subject_prefix is not None:
            out += f" with subject '{self.subject_prefix}...'"
        return out


@dataclass(frozen=True)
class Feature:
    """One column of Table 1.

    Attributes
    ----------
    id : str
        Stable snake_case id (kept out of what readers see).
    domain : str
        A key of :data:`DOMAINS`.
    label : str
        The column's label for readers.
    present : tuple of Match
        Facts that say the district has it.
    absent : tuple of Match
        Facts that say the district has none, or that it was abolished.
    sums : bool
        Whether the cell also shows the sums of money its present facts state.
    """

    id: str
    domain: str
    label: str
    present: tuple[Match, ...]
    absent: tuple[Match, ...] = ()
    sums: bool = False


def _missing(value) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and value != value)


def _f(domain, id, label, present, absent=(), sums=False) -> Feature:
    return Feature(id, domain, label, tuple(present), tuple(absent), sums)


def _payer(payer: str, *instruments: str) -> tuple[Match, ...]:
    """A payer is present when a sum names it, or an instrument whose payer is plain from its name is in use."""
    return (
        Match("funding_amount", field="payer", field_value=payer),
        Match("funding_total_all_instruments", field="payer", field_value=payer),
        *(Match("funding_instrument", value) for value in instruments),
    )


M = Match
#: The features of Table 1, domain by domain. A boolean indicator reported false, and a measure
#: that removed an arrangement, are the only kinds of fact that make a cell absent.
FEATURES: tuple[Feature, ...] = (
    # ------------------------------------------------------------------------- registration
    _f(
        "registration",
        "direct_registration",
        "Direct registration",
        [M("direct_registration", True), M("direct_registration_category")],
        [M("direct_registration", False)],
    ),
    _f(
        "registration",
        "dual_approval",
        "Supervisory-unit approval required (dual management)",
        [],
        # the text says the dual-management barrier or double approval was removed
        [M("separation_feature", "dual_management_removed")],
    ),
    _f(
        "registration",
        "filing",
        "Filing of grassroots organizations",
        [
            M("filing_system", True),
            M("dual_track_registration", True),
            M("orgs_community_filed"),
            M("orgs_registered_and_filed"),
            M("incubator_count", subject_prefix="filed:"),
        ],
        [M("filing_system", False), M("dual_track_registration", False)],
    ),
    _f(
        "registration",
        "streamlined",
        "Registration procedure eased or shortened",
        [M("registration_procedure_change"), M("registration_procedure_after")],
    ),
    # ------------------------------------------------------------------------- funding, by payer
    _f(
        "funding",
        "payer_district",
        "District budget",
        _payer("district_budget", "tiered_fiscal_subsidy"),
        sums=True,
    ),
    _f(
        "funding",
        "payer_street",
        "Street or community budgets",
        _payer("street_or_community_budget", "tiered_fiscal_subsidy"),
        sums=True,
    ),
    _f(
        "funding",
        "payer_lottery",
        "Welfare-lottery fund",
        _payer("welfare_lottery_fund", "lottery_welfare_fund"),
        sums=True,
    ),
    _f(
        "funding",
        "payer_higher",
        "Higher levels of government",
        _payer("higher_level_government"),
        sums=True,
    ),
    _f(
        "funding",
        "payer_social",
        "Enterprises and donors",
        _payer("enterprises_and_donors", "directed_donation_tax_incentive", "social_funds"),
        sums=True,
    ),
    _f(
        "funding",
        "payer_mixed",
        "Several payers in one sum",
        [
            M("funding_amount", field="payer", field_value="mixed"),
            M("funding_total_all_instruments", field="payer", field_value="mixed"),
        ],
        sums=True,
    ),
    _f("funding", "named_model", "Named funding model", [M("funding_model")]),
    # ------------------------------------------------------------------------- incubation and hubs
    _f(
        "incubation_hubs",
        "incubator",
        "Incubator",
        [M("hub_feature", "incubator"), M("incubator_area"), M("incubator_site_area"), M("incubator_count")],
    ),
    _f("incubation_hubs", "hub_organizations", "Hub organizations", [M("hub_feature", "hub_organizations")]),
    _f(
        "incubation_hubs",
        "multi_tier_network",
        "Multi-tier network",
        [M("hub_feature", "multi_tier_network"), M("hub_network_tiers")],
    ),
    _f(
        "incubation_hubs",
        "street_centres",
        "Centre in every street",
        [M("hub_feature", "service_centre_per_street")],
    ),
    _f(
        "incubation_hubs",
        "federation",
        "Federation",
        [M("hub_feature", "federation"), M("federation_first_established")],
    ),
    _f(
        "incubation_hubs",
        "support_organization",
        "Support organization",
        [M("hub_feature", "support_organization")],
    ),
    _f(
        "incubation_hubs",
        "community_station",
        "Community stations",
        [M("hub_feature", "community_station")],
    ),
    # ------------------------------------------------------------------------- purchase and transfer
    _f(
        "purchase_transfer",
        "government_purchase",
        "Government purchase of services",
        [
            M("funding_instrument", "government_purchase"),
            M("funding_amount", subject_prefix="government_purchase:"),
            M("purchase_count", field="counts", field_value="purchased_projects"),
            M("purchase_count", field="counts", field_value="purchased_posts"),
            M("purchase_count", field="counts", field_value="organizations_with_agreements"),
        ],
    ),
    _f(
        "purchase_transfer",
        "catalogues",
        "Catalogues and lists of functions or services",
        [
            M("transfer_instrument", "transfer_catalogue"),
            M("transfer_instrument", "purchase_catalogue"),
            M("transfer_instrument", "key_transfer_list"),
            M("transfer_instrument", "negative_list"),
        ],
    ),
    _f(
        "purchase_transfer",
        "roster",
        "Roster of qualified organizations",
        [
            M("transfer_instrument", "qualified_roster"),
            M("purchase_count", field="counts", field_value="qualified_organizations"),
        ],
    ),
    _f("purchase_transfer", "platform", "Purchase platform", [M("transfer_instrument", "purchase_platform")]),
    _f(
        "purchase_transfer",
        "contracting",
        "Project contracting or directed commission",
        [M("transfer_instrument", "project_contracting"), M("transfer_instrument", "directed_commission")],
    ),
    _f(
        "purchase_transfer",
        "access_list",
        "Community work access list",
        [M("transfer_instrument", "community_work_access_list"), M("community_work_items")],
    ),
    # ------------------------------------------------------------------------- evaluation and supervision
    _f(
        "evaluation_supervision",
        "third_party",
        "Third-party evaluation",
        [M("supervision_feature", "third_party_evaluation")],
    ),
    _f(
        "evaluation_supervision",
        "rating",
        "Graded rating",
        [M("supervision_feature", "rating_system"), M("rating_count")],
    ),
    _f(
        "evaluation_supervision",
        "rating_linked",
        "Subsidies or privileges tied to the rating",
        [
            M("supervision_feature", "rating_linked_subsidy"),
            M("supervision_feature", "rating_linked_privileges"),
            M("funding_instrument", "rating_subsidy"),
        ],
    ),
    _f(
        "evaluation_supervision",
        "project_evaluation",
        "Project evaluation",
        [M("supervision_feature", "project_evaluation")],
    ),
    _f(
        "evaluation_supervision",
        "annual_reports",
        "Annual reports and spot checks",
        [M("supervision_feature", "annual_report_system"), M("supervision_feature", "spot_checks")],
    ),
    _f(
        "evaluation_supervision",
        "sanctions",
        "Subsidy withdrawn after a failed rating",
        [M("supervision_feature", "subsidy_withdrawal")],
    ),
    # ------------------------------------------------------------------------- Party building
    _f(
        "party_building",
        "party_centre",
        "Party-building service centre",
        [M("party_building_feature", "party_building_service_centre")],
    ),
    _f(
        "party_building",
        "party_committee",
        "Party work committee or joint Party committee",
        [M("party_building_feature", "party_work_committee"), M("party_building_feature", "joint_party_committee")],
    ),
    _f(
        "party_building",
        "party_in_organizations",
        "Party members or training in organizations",
        [
            M("party_building_feature", "party_role_in_organizations"),
            M("party_building_feature", "party_building_training"),
        ],
    ),
    _f(
        "party_building",
        "party_alliance",
        "Alliance of Party and masses",
        [M("party_building_feature", "party_mass_alliance")],
    ),
    _f(
        "party_building",
        "party_formula",
        "“Party leads” formula",
        [M("party_building_feature", "party_leadership_formula")],
    ),
    # ------------------------------------------------------------------------- separation
    _f(
        "state_society",
        "concurrent_posts",
        "Officials' concurrent posts cleared",
        [M("separation_feature", "concurrent_posts_cleared")],
    ),
    _f(
        "state_society",
        "groups_separated",
        "Social groups separated from Party and government organs",
        [M("separation_feature", "groups_separated_from_organs")],
    ),
    _f(
        "state_society",
        "dual_management_removed",
        "Dual-management barrier removed",
        [M("separation_feature", "dual_management_removed")],
    ),
    _f(
        "state_society",
        "community_boundary",
        "Boundary between government and residents' committees",
        [
            M("separation_feature", "government_community_boundary"),
            M("separation_feature", "residents_committee_station_separation"),
        ],
    ),
    # ------------------------------------------------------------------------- competition and openness
    _f(
        "competition_openness",
        "moderate_competition",
        "Several organizations allowed per field",
        [M("competition_feature", "moderate_competition")],
    ),
    _f(
        "competition_openness",
        "outside_equal_terms",
        "Outside organizations on equal terms",
        [M("competition_feature", "outside_organizations_equal_terms")],
    ),
    _f(
        "competition_openness",
        "open_call",
        "Calls open beyond the district",
        [M("competition_feature", "open_call_beyond_district")],
    ),
    _f(
        "competition_openness",
        "tendering",
        "Competitive tendering",
        [M("competition_feature", "competitive_tendering")],
    ),
)
del M


def feature_table(features=FEATURES) -> pd.DataFrame:
    """The features of Table 1 and the facts that decide each cell.

    Parameters
    ----------
    features : sequence of Feature, default :data:`FEATURES`
        The features to list.

    Returns
    -------
    pandas.DataFrame
        One row per feature, in table order: ``domain`` (label), ``feature`` (label), ``present_when``
        and ``absent_when`` (the kinds of fact, joined by `` OR ``; empty when none), ``shows_sums``.

    Examples
    --------
    >>> t = feature_table().set_index("feature")
    >>> t.loc["Direct registration", "absent_when"]
    'direct_registration = false'
    """
    return pd.DataFrame(
        [
            {
                "domain": DOMAINS[f.domain],
                "feature": f.label,
                "present_when": " OR ".join(m.text for m in f.present),
                "absent_when": " OR ".join(m.text for m in f.absent),
                "shows_sums": f.sums,
            }
            for f in features
        ]
    )


_BASIS = {
    "annual": "a year",
    "cumulative": "cumulative",
    "one_off": "one-off",
    "budget": "budgeted",
    "per_unit": "each",
    "stock": "at a date",
}


def _usable(cb: Casebook) -> list[dict]:
    facts = cb.facts
    # a disputed fact (sources disagree) decides no cell; a planned one is not evidence that something exists
    keep = (facts["confidence"] != "disputed") & (facts["status"].fillna("") != "planned")
    return facts[keep].sort_values(["district", "id"]).to_dict("records")


def _decide(feature: Feature, facts: list[dict]) -> tuple[str, list[dict], list[dict]]:
    """The state of one cell, the facts that say it and the facts that point the other way."""
    yes = [f for f in facts if any(m.matches(f) for m in feature.present)]
    no = [f for f in facts if any(m.matches(f) for m in feature.absent)]
    if not yes and not no:
        return "not reported", [], []
    if not no:
        return "present", yes, []
    if not yes:
        return "absent", no, []
    latest_yes = max(str(f["period_end"]) for f in yes)
    latest_no = max(str(f["period_end"]) for f in no)
    if latest_yes == latest_no:
        ids = ", ".join(sorted(str(f["id"]) for f in yes + no))
        raise ValueError(
            f"feature {feature.label!r}: facts {ids} say both that the district has it and that it does not, "
            "with periods ending on the same day; mark one disputed or correct its period"
        )
    return ("present", yes, no) if latest_yes > latest_no else ("absent", no, yes)


def cell_evidence(cb: Casebook, features=FEATURES) -> pd.DataFrame:
    """Every cell of Table 1 with its state and every fact that decides it.

    Parameters
    ----------
    cb : Casebook
        A validated casebook.
    features : sequence of Feature, default :data:`FEATURES`
        The columns of the table.

    Returns
    -------
    pandas.DataFrame
        One row per (district, feature, deciding fact), and one row with empty fact columns for
        each cell that is not reported; in district, then feature order:

        ================  ==========================================================
        district          district slug
        district_name     the district's English name
        domain, feature   labels of the domain and the feature
        feature_id        the feature's id
        status            ``present``, ``absent`` or ``not reported``
        fact_id           a fact that says the status (NA when not reported)
        role              ``says`` (it decides the cell) or ``contrary`` (points the
                          other way and is outweighed by a later fact)
        value             the fact's value as written
        quote, english    the quote and our English rendering
        source            the source id
        period            the reference period as the text gives it, with its resolved
                          interval (``2014-01-01 to 2015-04-21``)
        ================  ==========================================================

    Examples
    --------
    >>> import govcases
    >>> cells = cell_evidence(govcases.load_casebook())
    >>> sorted(set(cells["status"])) == sorted(set(cells["status"]) & set(STATES))
    True
    """
    names = cb.profiles.set_index("district")["name_en"]
    by_district: dict[str, list[dict]] = {d: [] for d in cb.districts}
    for fact in _usable(cb):
        by_district[fact["district"]].append(fact)
    rows = []
    for district in cb.districts:
        for feature in features:
            status, says, contrary = _decide(feature, by_district[district])
            base = {
                "district": district,
                "district_name": str(names[district]),
                "domain": DOMAINS[feature.domain],
                "feature": feature.label,
                "feature_id": feature.id,
                "status": status,
            }
            if not says:
                rows.append(base | dict.fromkeys(("fact_id", "role", "value", "quote", "english", "source", "period")))
            for role, group in (("says", says), ("contrary", contrary)):
                for f in group:
                    rows.append(
                        base
                        | {
                            "fact_id": f["id"],
                            "role": role,
                            "value": f["value_text"],
                            "quote": f["quote"],
                            "english": f["english"],
                            "source": f["source"],
                            "period": f"{f['period_text']} ({f['period_start']} to {f['period_end']})",
                        }
                    )
    out = pd.DataFrame(rows)
    return out.astype(dict.fromkeys(out.columns, "string"))


def evidence_table(cb: Casebook, features=FEATURES) -> pd.DataFrame:
    """Table 1 in long form: one row per district and feature, with the facts behind each state.

    Parameters
    ----------
    cb : Casebook
        A validated casebook.
    features : sequence of Feature, default :data:`FEATURES`
        The columns of the table.

    Returns
    -------
    pandas.DataFrame
        One row per district (casebook order) and feature (table order):

        =================  ======================================================================
        district           district slug
        domain, feature    labels of the domain and the feature
        status             ``present``, ``absent`` or ``not reported``
        fact_ids           the facts that say the status, sorted, joined by ``|``; empty when not
                           reported
        contrary_fact_ids  facts pointing the other way, outweighed by a later fact; usually empty
        =================  ======================================================================

    Examples
    --------
    >>> import govcases
    >>> t = evidence_table(govcases.load_casebook())
    >>> list(t.columns)
    ['district', 'domain', 'feature', 'status', 'fact_ids', 'contrary_fact_ids']
    """
    cells = cell_evidence(cb, features)
    rows = []
    for (district, _feature), group in cells.groupby(["district", "feature_id"], sort=False):
        first = group.iloc[0]
        says = sorted(group.loc[group["role"] == "says", "fact_id"])
        contrary = sorted(group.loc[group["role"] == "contrary", "fact_id"])
        rows.append(
            {
                "district": district,
                "domain": first["domain"],
                "feature": first["feature"],
                "status": first["status"],
                "fact_ids": "|".join(says),
                "contrary_fact_ids": "|".join(contrary),
            }
        )
    return pd.DataFrame(rows).astype("string")


def _sum_text(fact: dict) -> str:
    basis = _BASIS.get(str(fact.get("basis")), "")
    return f"{fact['value_text']} {basis}".strip()


def models_table(cb: Casebook, features=FEATURES) -> pd.DataFrame:
    """Table 1: the districts' governance models side by side, in short words a reader can read.

    Parameters
    ----------
    cb : Casebook
        A validated casebook.
    features : sequence of Feature, default :data:`FEATURES`
        The columns of the table.

    Returns
    -------
    pandas.DataFrame
        One row per district, in casebook order. The first column, ``District``, holds its English
        name; then one column per feature, named ``"<domain>: <feature>"``, grouped by domain.
        A cell reads ``present``, ``absent`` or ``not reported``; a present payer also lists the
        sums it pays as the sources write them, with their basis (``present: 239万``, ``100万元 a year``).

    Examples
    --------
    >>> import govcases
    >>> t = models_table(govcases.load_casebook())
    >>> t.columns[0], t.columns[1]
    ('District', 'Registration regime: Direct registration')
    """
    cells = cell_evidence(cb, features)
    facts = cb.facts_by_id
    by_feature = {f.id: f for f in features}
    table: dict[str, list[str]] = {"District": []}
    for f in features:
        table[f"{DOMAINS[f.domain]}: {f.label}"] = []
    for _district, group in cells.groupby("district", sort=False):
        table["District"].append(str(group["district_name"].iloc[0]))
        for f in features:
            cell = group[group["feature_id"] == f.id]
            status = str(cell["status"].iloc[0])
            text = status
            if status == "present" and by_feature[f.id].sums:
                sums = [
                    _sum_text(facts.loc[i].to_dict())
                    for i in cell.loc[cell["role"] == "says", "fact_id"]
                    if facts.loc[i, "value_type"] == "quantity"
                ]
                if sums:
                    text = "present: " + "; ".join(sums)
            table[f"{DOMAINS[f.domain]}: {f.label}"].append(text)
    return pd.DataFrame(table).astype("string")


def domain_summary(cb: Casebook, features=FEATURES) -> pd.DataFrame:
    """Table 1 folded by domain, for a page: what each district's source reports in each domain.

    Parameters
    ----------
    cb : Casebook
        A validated casebook.
    features : sequence of Feature, default :data:`FEATURES`
        The features to fold.

    Returns
    -------
    pandas.DataFrame
        One row per district, in casebook order: ``District`` (its English name), then one column per
        domain. A cell lists the features present (``;``-separated), then those a fact says are absent
        (``no ...``); a domain on which the source reports nothing reads ``not reported`` (silence, not
        absence).

    Examples
    --------
    >>> import govcases
    >>> t = domain_summary(govcases.load_casebook().select(["longhua"]))
    >>> t.columns[:2].tolist(), "Direct registration" in t.iloc[0, 1]
    (['District', 'Registration regime'], True)
    """
    cells = cell_evidence(cb, features).drop_duplicates(["district", "feature_id"])
    labels = {f.id: f.label for f in features}
    domains = [d for d in DOMAINS if any(f.domain == d for f in features)]
    table: dict[str, list[str]] = {"District": [], **{DOMAINS[d]: [] for d in domains}}
    for _district, group in cells.groupby("district", sort=False):
        table["District"].append(str(group["district_name"].iloc[0]))
        for d in domains:
            ids = [f.id for f in features if f.domain == d]
            state = group.set_index("feature_id")["status"]
            present = [labels[i] for i in ids if state.get(i) == "present"]
            absent = [f"no {labels[i][0].lower()}{labels[i][1:]}" for i in ids if state.get(i) == "absent"]
            table[DOMAINS[d]].append("; ".join(present + absent) or "not reported")
    return pd.DataFrame(table).astype("string")


def state_counts(cb: Casebook, features=FEATURES) -> pd.DataFrame:
    """How many districts are in each state, feature by feature.

    Parameters
    ----------
    cb : Casebook
        A validated casebook.
    features : sequence of Feature, default :data:`FEATURES`
        The columns of the table.

    Returns
    -------
    pandas.DataFrame
        One row per feature (table order): ``domain``, ``feature`` (labels), ``present``,
        ``absent``, ``not reported`` (numbers of districts), ``districts`` (the number of
        districts in the casebook) and ``present_in`` (English names of the districts where
        present, joined by ", ").

    Examples
    --------
    >>> import govcases
    >>> t = state_counts(govcases.load_casebook())
    >>> bool((t[list(STATES)].sum(axis=1) == t["districts"]).all())
    True
    """
    ev = evidence_table(cb, features)
    names = cb.profiles.set_index("district")["name_en"]
    rows = []
    for f in features:
        cells = ev[ev["feature"] == f.label]
        row = {"domain": DOMAINS[f.domain], "feature": f.label}
        for state in STATES:
            row[state] = int((cells["status"] == state).sum())
        row["districts"] = len(cb.districts)
        row["present_in"] = ", ".join(str(names[d]) for d in cells.loc[cells["status"] == "present", "district"])
        rows.append(row)
    return pd.DataFrame(rows)


# ---------------------------------------------------------------------------------- qualifier sensitivity
#: The qualifiers whose bands are our conventions (近, 约) or the writer's rounding (多, 余).
BANDED = ("nearly", "about", "more_than")


def _band(qualifier: str) -> str:
    rule = QUALIFIERS[qualifier]
    markers = "/".join(rule.markers) if rule.markers else "no marker"
    return f"{markers}: {rule.rule_en}"


_SUM_INDICATORS = ("funding_amount", "funding_total_all_instruments")
#: payer category -> "Money from: <the payer's column label>", read from the payer features of Table 1
_PAYERS = {
    f.present[0].field_value: f"Money from: {f.label}" for f in FEATURES if f.present and f.present[0].field == "payer"
}


def _comparable(a: dict, b: dict, needs_subject: bool) -> bool:
    """Whether the codebook lets two facts of one indicator (unit and basis already equal) stand side by side."""
    if a["indicator"] in _SUM_INDICATORS:
        # sums: the same payer, stated for both (a mixed sum is a different mix each time)
        payers = {str(a["payer"]), str(b["payer"])}
        return len(payers) == 1 and not _missing(a["payer"]) and a["payer"] != "mixed"
    if needs_subject:
        return not _missing(a["subject"]) and a["subject"] == b["subject"]
    return True


def qualifier_sensitivity(cb: Casebook) -> pd.DataFrame:
    """How each comparison between two districts' figures moves within the qualifiers' bands.

    A comparison is a pair of quantity facts of two districts that the codebook lets stand side by
    side: the same indicator, unit and basis, and the same subject where the indicator's facts
    must say what they count; for sums of money, the same basis and the same stated payer (the
    sums Table 1 shows in one payer's column, whatever they pay for). It is listed when at least
    one figure is written with 近, 约, 多 or 余,
    the qualifiers whose intervals are a convention or the writer's rounding. Each figure may lie
    anywhere in the interval :data:`govcases.records.quantity.QUALIFIERS` gives its qualifier (the
    ``low``/``high`` of the fact, which the parser computes from that table); the conclusion at the
    stated figures is then checked at the ends of both bands.

    Parameters
    ----------
    cb : Casebook
        A validated casebook.

    Returns
    -------
    pandas.DataFrame
        One row per comparison, sorted by indicator and district pair:

        =================  ===================================================================
        indicator          the codebook indicator's English label (for sums, the payer's)
        basis              the facts' basis (stock, annual, ...)
        district_a/_b      English names of the two districts
        fact_a, fact_b     fact ids
        stated_a/_b        the figures as written
        band_a, band_b     the qualifier's markers and its interval rule, from ``QUALIFIERS``
        low_a, high_a,     the interval ends of each figure (an open end is still the bound
        low_b, high_b      the band reaches towards)
        at_stated          the conclusion at the stated figures: ``A above B``, ``A below B``,
                           ``equal`` or ``not comparable`` (a figure without a point value)
        ratio_low/_high    the smallest and largest A/B the bands allow
        verdict            ``holds throughout the bands`` when every pair of values in the
                           bands gives the same order, otherwise ``moves within the bands``
        =================  ===================================================================

    Examples
    --------
    >>> import govcases
    >>> t = qualifier_sensitivity(govcases.load_casebook())
    >>> set(t["verdict"]) <= {"holds throughout the bands", "moves within the bands"}
    True
    """
    book = cb.codebook.table().set_index("indicator")
    names = cb.profiles.set_index("district")["name_en"]
    facts = cb.facts[(cb.facts["value_type"] == "quantity") & (cb.facts["confidence"] != "disputed")]
    # sums of one payer are compared across indicators (Table 1 sets them side by side), so group them together
    group_key = facts["indicator"].where(~facts["indicator"].isin(_SUM_INDICATORS), "funding_amount")
    rows = []
    for indicator, group in facts.groupby(group_key, sort=True):
        needs_subject = book.loc[indicator, "subject"] == "required"
        records = group.sort_values(["district", "id"]).to_dict("records")
        for a, b in combinations(records, 2):
            if a["district"] == b["district"] or a["unit"] != b["unit"] or str(a["basis"]) != str(b["basis"]):
                continue
            if not _comparable(a, b, needs_subject):
                continue
            if a["qualifier"] not in BANDED and b["qualifier"] not in BANDED:
                continue
            low_a, high_a, low_b, high_b = (float(x) for x in (a["low"], a["high"], b["low"], b["high"]))
            if pd.isna(a["value"]) or pd.isna(b["value"]):
                at_stated = "not comparable"
            else:
                va, vb = float(a["value"]), float(b["value"])
                at_stated = "A above B" if va > vb else "A below B" if va < vb else "equal"
            # the order holds throughout when the bands do not meet (a shared open end is not a meeting)
            above = low_a > high_b or (low_a == high_b and not (a["low_closed"] and b["high_closed"]))
            below = high_a < low_b or (high_a == low_b and not (a["high_closed"] and b["low_closed"]))
            holds = (at_stated == "A above B" and above) or (at_stated == "A below B" and below)
            rows.append(
                {
                    "indicator": _PAYERS[str(a["payer"])]
                    if indicator == "funding_amount"
                    else str(book.loc[indicator, "label_en"]),
                    "basis": a["basis"],
                    "district_a": str(names[a["district"]]),
                    "district_b": str(names[b["district"]]),
                    "fact_a": a["id"],
                    "fact_b": b["id"],
                    "stated_a": a["value_text"],
                    "stated_b": b["value_text"],
                    "band_a": _band(a["qualifier"]),
                    "band_b": _band(b["qualifier"]),
                    "low_a": low_a,
                    "high_a": high_a,
                    "low_b": low_b,
                    "high_b": high_b,
                    "at_stated": at_stated,
                    "ratio_low": low_a / high_b if high_b else float("nan"),
                    "ratio_high": high_a / low_b if low_b else float("inf"),
                    "verdict": "holds throughout the bands" if holds else "moves within the bands",
                }
            )
    columns = [
        "indicator",
        "basis",
        "district_a",
        "district_b",
        "fact_a",
        "fact_b",
        "stated_a",
        "stated_b",
        "band_a",
        "band_b",
        "low_a",
        "high_a",
        "low_b",
        "high_b",
        "at_stated",
        "ratio_low",
        "ratio_high",
        "verdict",
    ]
    return pd.DataFrame(rows, columns=columns)
